"""The SQLite verdict store: durable across reopenings, safe across threads, exported faithfully."""

from __future__ import annotations

import csv
import io
import json
import threading

import pytest

from review.store import ReviewStore
from review.types import CitedPassage, ReviewItem


def _item(answer_id: str, created_at: float, markers: tuple[int, ...] = (1, 2)) -> ReviewItem:
    citations = tuple(
        CitedPassage(marker=m, chunk_id=f"c{m}", source="brief.txt", title="Uncertainty Among U.S. Allies",
                     date="2017-05-08", start=10 * m, end=10 * m + 9, passage=f"passage {m}",
                     quote=f"quote {m}", claim=f"Claim {m} [{m}].")
        for m in markers)
    return ReviewItem(answer_id=answer_id, question=f"question {answer_id}?", answer="Claim 1 [1]. Claim 2 [2].",
                      citations=citations, created_at=created_at, backend="extractive")


@pytest.fixture
def reviews(tmp_path) -> ReviewStore:
    return ReviewStore(tmp_path / "review.sqlite3")


def test_verdicts_and_ratings_survive_reopening(tmp_path, reviews):
    reviews.record_answer(_item("a1", 100.0))
    reviews.set_verdict("a1", 1, "supported", "  exact quote ")
    reviews.set_verdict("a1", 2, "partly")
    reviews.set_verdict("a1", 2, "not_supported", "says the opposite")  # a second verdict replaces the first
    reviews.set_rating("a1", -1)

    item = ReviewStore(tmp_path / "review.sqlite3").get("a1")
    assert item.question == "question a1?" and item.citations[1].claim == "Claim 2 [2]."
    assert {m: (v.verdict, v.comment) for m, v in item.verdicts.items()} == {
        1: ("supported", "exact quote"), 2: ("not_supported", "says the opposite")}
    assert item.rating == -1 and item.rated_at is not None
    assert not item.is_open


def test_recording_the_same_answer_twice_keeps_one_record_and_its_verdicts(reviews):
    reviews.record_answer(_item("a1", 100.0))
    reviews.set_verdict("a1", 1, "supported")
    reviews.record_answer(_item("a1", 100.0))
    assert len(reviews.items()) == 1 and reviews.get("a1").verdicts[1].verdict == "supported"


def test_bad_verdicts_name_the_offending_value(reviews):
    reviews.record_answer(_item("a1", 100.0))
    with pytest.raises(ValueError, match="'great'"):
        reviews.set_verdict("a1", 1, "great")
    with pytest.raises(ValueError, match=r"\[7\]"):
        reviews.set_verdict("a1", 7, "supported")
    with pytest.raises(KeyError, match="nope"):
        reviews.set_verdict("nope", 1, "supported")
    with pytest.raises(ValueError, match="5"):
        reviews.set_rating("a1", 5)


def test_open_answers_come_first_then_newest(reviews):
    for answer_id, created in (("old-open", 1.0), ("done", 3.0), ("new-open", 2.0)):
        reviews.record_answer(_item(answer_id, created, markers=(1,)))
    reviews.set_verdict("done", 1, "supported")
    assert [i.answer_id for i in reviews.items()] == ["new-open", "old-open", "done"]
    assert [i.answer_id for i in reviews.items(open_first=False)] == ["done", "new-open", "old-open"]
    assert reviews.counts() == {"answers": 3, "open": 2, "supported": 1, "partly": 0, "not_supported": 0,
                              "judged_twice": 0, "agreed": 0}


def test_an_answer_without_citations_is_open_until_rated(reviews):
    reviews.record_answer(_item("refusal", 1.0, markers=()))
    assert reviews.get("refusal").is_open
    reviews.set_rating("refusal", 1)
    assert not reviews.get("refusal").is_open


def test_exports_carry_question_answer_citations_and_verdicts(reviews):
    reviews.record_answer(_item("a1", 100.0))
    reviews.record_answer(_item("a2", 200.0, markers=()))
    reviews.set_verdict("a1", 1, "partly", "=HYPERLINK(\"http://evil\")")
    reviews.set_rating("a1", 1)

    rows = list(csv.DictReader(io.StringIO(reviews.export_csv())))
    assert [(r["answer_id"], r["marker"], r["verdict"]) for r in rows] == [
        ("a2", "", ""), ("a1", "1", "partly"), ("a1", "2", "")]
    assert rows[1]["question"] == "question a1?" and rows[1]["claim"] == "Claim 1 [1]." and rows[1]["rating"] == "1"
    assert rows[1]["comment"].startswith("'=")  # a spreadsheet shows it, never runs it

    records = [json.loads(line) for line in reviews.export_jsonl().splitlines()]
    a1 = next(r for r in records if r["answer_id"] == "a1")
    assert a1["citations"][0]["verdict"] == "partly" and a1["citations"][0]["comment"].startswith("=HYPERLINK")
    assert a1["citations"][1]["verdict"] is None and a1["citations"][0]["passage"] == "passage 1"
    assert a1["created_at"].endswith("Z") and a1["rating"] == 1


def test_concurrent_writers_from_many_threads_all_land(reviews):
    for n in range(8):
        reviews.record_answer(_item(f"a{n}", float(n), markers=(1, 2, 3)))
    errors: list[BaseException] = []

    def judge(n: int) -> None:
        try:
            for marker in (1, 2, 3):
                reviews.set_verdict(f"a{n}", marker, "supported")
            reviews.set_rating(f"a{n}", 1)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=judge, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert reviews.counts()["supported"] == 24 and reviews.counts()["open"] == 0


# -- reviewers ------------------------------------------------------------------------------

_V1_SCHEMA = """
CREATE TABLE answers (answer_id TEXT PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL,
    citations TEXT NOT NULL, refused INTEGER NOT NULL DEFAULT 0, backend TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL, rating INTEGER CHECK (rating IN (-1, 1)), rated_at REAL);
CREATE TABLE verdicts (answer_id TEXT NOT NULL REFERENCES answers(answer_id) ON DELETE CASCADE,
    marker INTEGER NOT NULL, verdict TEXT NOT NULL CHECK (verdict IN ('supported', 'partly', 'not_supported')),
    comment TEXT NOT NULL DEFAULT '', reviewed_at REAL NOT NULL, PRIMARY KEY (answer_id, marker));
CREATE INDEX answers_created ON answers(created_at);
PRAGMA user_version = 1;
"""


def test_a_version_1_database_is_migrated_keeping_its_verdicts_unnamed(tmp_path):
    import sqlite3

    path = tmp_path / "review.sqlite3"
    citations = json.dumps([{"marker": 1, "chunk_id": "c1", "source": "b.txt", "quote": "q"},
                            {"marker": 2, "chunk_id": "c2", "source": "b.txt", "quote": "r"}])
    with sqlite3.connect(path) as conn:
        conn.executescript(_V1_SCHEMA)
        conn.execute("INSERT INTO answers VALUES ('a1', 'q?', 'A [1]. B [2].', ?, 0, 'extractive', 5.0, 1, 6.0)",
                     (citations,))
        conn.execute("INSERT INTO verdicts VALUES ('a1', 1, 'partly', 'old comment', 7.0)")
    conn.close()

    reviews = ReviewStore(path)
    item = reviews.get("a1")
    assert item.verdicts[1].verdict == "partly" and item.verdicts[1].reviewer == ""
    assert item.verdicts[1].comment == "old comment" and item.rating == 1
    reviews.set_verdict("a1", 1, "supported", reviewer="Ana")  # a second reviewer's verdict, kept beside the old one
    assert [(v.reviewer, v.verdict) for v in reviews.get("a1").judgements] == [("", "partly"), ("Ana", "supported")]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'verdicts_v1'").fetchone() is None
    conn.close()
    ReviewStore(path)  # opening a migrated database again changes nothing
    assert len(ReviewStore(path).get("a1").judgements) == 2


def test_each_reviewer_has_their_own_verdict_and_agreement_is_shown(reviews):
    reviews.record_answer(_item("a1", 100.0))
    reviews.set_verdict("a1", 1, "supported", reviewer="Ana")
    reviews.set_verdict("a1", 1, "supported", reviewer="Bo")
    reviews.set_verdict("a1", 2, "supported", reviewer="Ana")
    reviews.set_verdict("a1", 2, "not_supported", "wrong year", reviewer="Bo")
    reviews.set_verdict("a1", 2, "partly", reviewer="Bo")  # Bo changes his mind: replaced, not added
    item = reviews.get("a1")
    assert item.verdict_of(2, "Bo").verdict == "partly" and item.verdict_of(2, "Cy") is None
    assert (item.agreement(1).reviewers, item.agreement(1).agree) == (2, True)
    assert (item.agreement(2).reviewers, item.agreement(2).agree) == (2, False)
    counts = reviews.counts()
    assert counts["judged_twice"] == 2 and counts["agreed"] == 1

    rows = list(csv.DictReader(io.StringIO(reviews.export_csv())))
    assert sorted((r["marker"], r["reviewer"], r["verdict"]) for r in rows) == [
        ("1", "Ana", "supported"), ("1", "Bo", "supported"), ("2", "Ana", "supported"), ("2", "Bo", "partly")]
    record = json.loads(reviews.export_jsonl())
    assert {v["reviewer"] for v in record["citations"][1]["verdicts"]} == {"Ana", "Bo"}


def test_a_refusal_is_not_open(reviews):
    refusal = ReviewItem(answer_id="r1", question="Who won the 2030 cup?", answer="The briefs do not cover this.",
                         refused=True, created_at=1.0)
    reviews.record_answer(refusal)
    assert not reviews.get("r1").is_open and reviews.counts()["open"] == 0
