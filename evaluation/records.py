"""One evaluated question as stored in ``answers.jsonl``: what was asked, retrieved, answered, scored.

A record holds everything the summary, the report and ``compare`` need, so they work from a
run directory alone, and a resumed run can summarise questions answered by an earlier process.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Iterator

log = logging.getLogger(__name__)

# Outcomes, worst first: the order the report lists questions in.
OUTCOMES = ("error", "answered unanswerable", "false refusal", "wrong answer", "retrieval miss",
            "invalid citation", "ok")


@dataclass(frozen=True)
class CitationRecord:
    marker: str
    source: str
    title: str
    start: int
    end: int
    quote: str
    support: float | None  # the answerer's support score (1.0/0.0 when it gives a yes/no)
    valid: bool  # quote == doc_text[start:end]
    supported: bool  # support at or above the answerer's threshold
    page: int | None = None  # the page where the quote starts (PDF briefs)


@dataclass(frozen=True)
class RetrievedRecord:
    rank: int
    chunk_id: str
    source: str
    start: int
    end: int
    score: float
    text: str


@dataclass(frozen=True)
class ReferenceRecord:
    source: str  # as given, or the document it was found in
    start: int | None
    end: int | None
    text: str
    located: bool  # whether it was matched to a stored document span


@dataclass(frozen=True)
class Latency:
    """Milliseconds spent retrieving, answering, and in all (question in to record out)."""

    retrieve: float
    answer: float
    total: float


@dataclass(frozen=True)
class QuestionScores:
    """Per-question metrics (see ``evaluation.metrics``); None where a metric does not apply."""

    first_relevant_rank: int | None = None
    hit: float | None = None
    recall: float | None = None
    reciprocal_rank: float | None = None
    span_recall: float | None = None
    span_precision: float | None = None
    span_iou: float | None = None
    contains_answer: float | None = None
    token_f1: float | None = None
    citations: int = 0
    citations_valid: int = 0
    citations_supported: int = 0
    sentences: int = 0
    sentences_cited: int = 0
    citation_recall: float | None = None
    faithfulness: float | None = None
    key_points: int | None = None  # marked key points of a summary question
    key_points_covered: int | None = None  # of them, how many a cited span overlaps
    citations_in_briefs: float | None = None  # share of citations inside the briefs the question names
    briefs_cited: float | None = None  # share of the briefs the question names that the answer cites
    interpreted: float | None = None  # 1.0 when the standalone question holds every ``interpreted_as`` phrase


@dataclass(frozen=True)
class QuestionRecord:
    id: str
    question: str
    type: str = ""
    line: int = 0
    unanswerable: bool = False
    acceptable_answers: tuple[str, ...] = ()
    references: tuple[ReferenceRecord, ...] = ()
    answer: str = ""
    refused: bool = False
    notice: str = ""  # how the question was taken, when not whole (``Answer.notice``: a long question's focus)
    citations: tuple[CitationRecord, ...] = ()
    retrieved: tuple[RetrievedRecord, ...] = ()
    latency_ms: Latency | None = None
    scores: QuestionScores | None = None
    error: str | None = None
    split: str = ""  # the question set's split ("dev", "heldout")
    kind: str = ""  # the question kind the assistant recognised (answer.kinds)
    standalone_question: str = ""  # the question as searched, follow-ups resolved (``Answer.standalone_question``)

    @property
    def outcome(self) -> str:
        """The worst thing that happened to this question, one of ``OUTCOMES``."""
        s = self.scores
        if self.error is not None or s is None:
            return "error"
        if self.unanswerable:
            return "ok" if self.refused else "answered unanswerable"
        if self.refused:
            return "false refusal"
        if s.contains_answer is not None and s.contains_answer < 1:
            return "wrong answer"
        if s.hit is not None and s.hit < 1:
            return "retrieval miss"
        if s.citations_valid < s.citations:
            return "invalid citation"
        return "ok"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if self.error is None:
            del data["error"]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "QuestionRecord":
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["acceptable_answers"] = tuple(data.get("acceptable_answers", ()))
        values["references"] = tuple(ReferenceRecord(**r) for r in data.get("references", ()))
        values["citations"] = tuple(CitationRecord(**c) for c in data.get("citations", ()))
        values["retrieved"] = tuple(RetrievedRecord(**r) for r in data.get("retrieved", ()))
        values["latency_ms"] = Latency(**data["latency_ms"]) if data.get("latency_ms") else None
        values["scores"] = QuestionScores(**data["scores"]) if data.get("scores") else None
        return cls(**values)


def read_records(path: Path) -> Iterator[QuestionRecord]:
    """Records of an ``answers.jsonl``; a torn last line (a killed run) is skipped."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for number, raw in enumerate(lines, 1):
            if not raw.strip():
                continue
            try:
                yield QuestionRecord.from_json(json.loads(raw))
            except (json.JSONDecodeError, TypeError, KeyError) as exc:
                log.warning("%s line %d is not a record (%s); its question will be asked again", path, number, exc)


def dumps(record: QuestionRecord) -> str:
    return json.dumps(record.to_json(), ensure_ascii=False)
