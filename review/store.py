"""Reviewers' verdicts in SQLite (``<data dir>/review.sqlite3``), exported as CSV or JSONL.

One connection per call, so the store can be shared by every Streamlit session thread; WAL
mode lets readers go on while one writer commits, and ``busy_timeout`` makes a second writer
wait instead of failing.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sqlite3
import time
from contextlib import AbstractContextManager
from dataclasses import asdict, fields
from pathlib import Path

from review.types import VERDICTS, CitedPassage, ReviewItem, Verdict
from storage.sqlite import connect, prepare

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2  # 2: verdicts carry their reviewer, one verdict per reviewer and citation

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS answers (
    answer_id  TEXT PRIMARY KEY,
    question   TEXT NOT NULL,
    answer     TEXT NOT NULL,
    citations  TEXT NOT NULL,           -- JSON list of CitedPassage
    refused    INTEGER NOT NULL DEFAULT 0,
    backend    TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    rating     INTEGER CHECK (rating IN (-1, 1)),
    rated_at   REAL
);
CREATE TABLE IF NOT EXISTS verdicts (
    answer_id   TEXT NOT NULL REFERENCES answers(answer_id) ON DELETE CASCADE,
    marker      INTEGER NOT NULL,
    reviewer    TEXT NOT NULL DEFAULT '',  -- '' for verdicts made before reviewers were named
    verdict     TEXT NOT NULL CHECK (verdict IN ({", ".join(repr(v) for v in VERDICTS)})),
    comment     TEXT NOT NULL DEFAULT '',
    reviewed_at REAL NOT NULL,
    PRIMARY KEY (answer_id, marker, reviewer)
);
CREATE INDEX IF NOT EXISTS answers_created ON answers(created_at);
PRAGMA user_version = {SCHEMA_VERSION};
"""

# Version 1 kept one verdict per citation, without its reviewer: copy those as unnamed verdicts.
_MIGRATE_1_TO_2 = f"""
BEGIN;
ALTER TABLE verdicts RENAME TO verdicts_v1;
CREATE TABLE verdicts (
    answer_id   TEXT NOT NULL REFERENCES answers(answer_id) ON DELETE CASCADE,
    marker      INTEGER NOT NULL,
    reviewer    TEXT NOT NULL DEFAULT '',
    verdict     TEXT NOT NULL CHECK (verdict IN ({", ".join(repr(v) for v in VERDICTS)})),
    comment     TEXT NOT NULL DEFAULT '',
    reviewed_at REAL NOT NULL,
    PRIMARY KEY (answer_id, marker, reviewer)
);
INSERT INTO verdicts (answer_id, marker, reviewer, verdict, comment, reviewed_at)
    SELECT answer_id, marker, '', verdict, comment, reviewed_at FROM verdicts_v1;
DROP TABLE verdicts_v1;
PRAGMA user_version = 2;
COMMIT;
"""

CSV_COLUMNS = (
    "answer_id", "created_at", "question", "answer", "refused", "backend", "rating", "rated_at",
    "marker", "claim", "source", "title", "date", "page", "chunk_id", "quote", "passage",
    "verdict", "reviewer", "comment", "reviewed_at",
)


def _cell(value: object) -> object:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP CSV injection advice)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _iso(epoch: float | None) -> str:
    return "" if epoch is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


class ReviewStore:
    """Answers shown to analysts, with reviewers' per-citation verdicts and per-answer ratings."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        prepare(self.path, what="review", schema=_SCHEMA, version=SCHEMA_VERSION, migrate=self._migrate)

    def _migrate(self, conn: sqlite3.Connection, found: int) -> None:
        if found == 1:
            log.info("review database %s: adding reviewers to verdicts (schema 1 -> 2)", self.path)
            conn.executescript(_MIGRATE_1_TO_2)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        """A fresh connection for one unit of work (``storage.sqlite.connect``)."""
        return connect(self.path)

    # -- writing --------------------------------------------------------------------------

    def record_answer(self, item: ReviewItem) -> None:
        """Store an answer as shown (idempotent: recording it again changes nothing)."""
        citations = json.dumps([asdict(c) for c in item.citations], ensure_ascii=False)
        with self._connect() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO answers (answer_id, question, answer, citations, refused, backend, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (item.answer_id, item.question, item.answer, citations, int(item.refused), item.backend,
                 item.created_at or time.time()),
            )

    def set_verdict(self, answer_id: str, marker: int, verdict: str, comment: str = "", *,
                    reviewer: str = "") -> Verdict:
        """Record (or replace) ``reviewer``'s verdict on one citation; other reviewers' verdicts stay."""
        if verdict not in VERDICTS:
            raise ValueError(f"verdict {verdict!r} must be one of {', '.join(VERDICTS)}")
        with self._connect() as conn:
            item = self._get(conn, answer_id)
            if marker not in {c.marker for c in item.citations}:
                raise ValueError(f"answer {answer_id} has no citation [{marker}]")
            now = time.time()
            conn.execute(
                "INSERT INTO verdicts (answer_id, marker, reviewer, verdict, comment, reviewed_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (answer_id, marker, reviewer) DO UPDATE SET"
                " verdict = excluded.verdict, comment = excluded.comment, reviewed_at = excluded.reviewed_at",
                (answer_id, marker, reviewer.strip(), verdict, comment.strip(), now),
            )
        return Verdict(marker, verdict, comment.strip(), now, reviewer.strip())  # type: ignore[arg-type]

    def clear_verdict(self, answer_id: str, marker: int, *, reviewer: str = "") -> None:
        with self._connect() as conn:
            conn.execute("DELETE FROM verdicts WHERE answer_id = ? AND marker = ? AND reviewer = ?",
                         (answer_id, marker, reviewer.strip()))

    def set_rating(self, answer_id: str, rating: int | None) -> None:
        """Thumbs up (+1), down (-1) or none (None) for a whole answer."""
        if rating not in (1, -1, None):
            raise ValueError(f"rating {rating!r} must be 1, -1 or None")
        with self._connect() as conn:
            self._get(conn, answer_id)
            conn.execute("UPDATE answers SET rating = ?, rated_at = ? WHERE answer_id = ?",
                         (rating, None if rating is None else time.time(), answer_id))

    # -- reading --------------------------------------------------------------------------

    def get(self, answer_id: str) -> ReviewItem:
        with self._connect() as conn:
            return self._get(conn, answer_id)

    def find(self, answer_id: str) -> ReviewItem | None:
        try:
            return self.get(answer_id)
        except KeyError:
            return None

    def items(self, *, open_first: bool = True, limit: int | None = None) -> list[ReviewItem]:
        """Every recorded answer, newest first; with ``open_first`` those still to review lead."""
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM answers ORDER BY created_at DESC, answer_id").fetchall()
            verdicts = self._verdicts(conn)
        items = [_item(row, verdicts.get(row["answer_id"], ())) for row in rows]
        if open_first:
            items.sort(key=lambda i: not i.is_open)  # stable: newest first within each group
        return items[:limit] if limit is not None else items

    def counts(self) -> dict[str, int]:
        """How many answers are recorded, still open, and how many verdicts of each kind exist."""
        items = self.items(open_first=False)
        out = {"answers": len(items), "open": sum(i.is_open for i in items)}
        for value in VERDICTS:
            out[value] = sum(v.verdict == value for i in items for v in i.verdicts.values())
        agreements = [i.agreement(c.marker) for i in items for c in i.citations]
        out["judged_twice"] = sum(a.reviewers >= 2 for a in agreements)
        out["agreed"] = sum(a.reviewers >= 2 and a.agree for a in agreements)
        return out

    def _get(self, conn: sqlite3.Connection, answer_id: str) -> ReviewItem:
        row = conn.execute("SELECT * FROM answers WHERE answer_id = ?", (answer_id,)).fetchone()
        if row is None:
            raise KeyError(f"no recorded answer with id {answer_id!r}")
        return _item(row, self._verdicts(conn, answer_id).get(answer_id, ()))

    @staticmethod
    def _verdicts(conn: sqlite3.Connection, answer_id: str | None = None) -> dict[str, tuple[Verdict, ...]]:
        """Every verdict by answer, oldest first."""
        query = ("SELECT * FROM verdicts" + (" WHERE answer_id = ?" if answer_id else "")
                 + " ORDER BY reviewed_at, reviewer")
        out: dict[str, list[Verdict]] = {}
        for row in conn.execute(query, (answer_id,) if answer_id else ()):
            out.setdefault(row["answer_id"], []).append(Verdict(
                row["marker"], row["verdict"], row["comment"], row["reviewed_at"], row["reviewer"]))
        return {k: tuple(v) for k, v in out.items()}

    # -- export ---------------------------------------------------------------------------

    def export_jsonl(self) -> str:
        """One JSON object per answer: the question, answer, citations with their verdicts, rating."""
        lines = []
        for item in self.items(open_first=False):
            citations = []
            for cited in item.citations:
                verdict = item.verdicts.get(cited.marker)
                citations.append({**asdict(cited), "verdict": verdict.verdict if verdict else None,
                                  "reviewer": verdict.reviewer if verdict else None,
                                  "comment": verdict.comment if verdict else "",
                                  "reviewed_at": _iso(verdict.reviewed_at) if verdict else None,
                                  "verdicts": [{"reviewer": v.reviewer, "verdict": v.verdict, "comment": v.comment,
                                                "reviewed_at": _iso(v.reviewed_at)}
                                               for v in item.judgements if v.marker == cited.marker]})
            lines.append(json.dumps({
                "answer_id": item.answer_id, "created_at": _iso(item.created_at), "question": item.question,
                "answer": item.answer, "refused": item.refused, "backend": item.backend, "rating": item.rating,
                "rated_at": _iso(item.rated_at) or None, "citations": citations,
            }, ensure_ascii=False))
        return "".join(line + "\n" for line in lines)

    def export_csv(self) -> str:
        """One row per verdict (a citation without one, or an answer without citations, gets one row),
        spreadsheet-ready; ``reviewer`` names who gave the verdict."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for item in self.items(open_first=False):
            base = {"answer_id": item.answer_id, "created_at": _iso(item.created_at), "question": item.question,
                    "answer": item.answer, "refused": int(item.refused), "backend": item.backend,
                    "rating": "" if item.rating is None else item.rating, "rated_at": _iso(item.rated_at)}
            if not item.citations:
                writer.writerow({k: _cell(v) for k, v in base.items()})
            for cited in item.citations:
                judged: list[Verdict | None] = [v for v in item.judgements if v.marker == cited.marker] or [None]
                for verdict in judged:
                    writer.writerow({k: _cell(v) for k, v in {
                        **base, "marker": cited.marker, "claim": cited.claim, "source": cited.source,
                        "title": cited.title, "date": cited.date, "page": "" if cited.page is None else cited.page,
                        "chunk_id": cited.chunk_id, "quote": cited.quote, "passage": cited.passage,
                        "verdict": verdict.verdict if verdict else "", "reviewer": verdict.reviewer if verdict else "",
                        "comment": verdict.comment if verdict else "",
                        "reviewed_at": _iso(verdict.reviewed_at) if verdict else "",
                    }.items()})
        return buffer.getvalue()


_CITED_FIELDS = {f.name for f in fields(CitedPassage)}


def _item(row: sqlite3.Row, judgements: tuple[Verdict, ...]) -> ReviewItem:
    # Keep only known fields, so rows written by another version of CitedPassage still load.
    citations = tuple(CitedPassage(**{k: v for k, v in c.items() if k in _CITED_FIELDS})
                      for c in json.loads(row["citations"]))
    return ReviewItem(
        answer_id=row["answer_id"], question=row["question"], answer=row["answer"], citations=citations,
        created_at=row["created_at"], refused=bool(row["refused"]), backend=row["backend"], rating=row["rating"],
        rated_at=row["rated_at"], verdicts={v.marker: v for v in judgements}, judgements=judgements,
    )
