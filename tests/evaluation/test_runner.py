"""Runs with a fake assistant: outputs, run-level metrics by hand, failures, resume, workers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from evaluation.questions import load_questions
from evaluation.records import read_records
from evaluation.runner import RunMismatchError, run_evaluation
from tests.evaluation.fakes import FakeAssistant, answer, chunk, citation, corpus, hits

S1 = "Late fees fell from $32 to $8."
S3 = "Sellers must show the total price up front."
T1, T2 = "Trade with Japan grew by a tenth.", "Seoul and Tokyo met in May."

ROWS = [
    {"id": "q1", "question": "How much did late fees fall?", "answers": ["$8"],
     "references": [{"source": "fees", "text": S1}]},
    {"id": "q2", "question": "What is the GDP of Mars?", "unanswerable": True},
    {"id": "q3", "question": "By how much did trade grow?", "answers": ["a tenth"],
     "references": [{"source": "trade.txt", "start": 0, "end": 33}]},
    {"id": "q4", "question": "Who called the Senate?", "answers": ["the predecessor"]},
    "{broken",
    {"id": "q5", "question": "Who won the 2030 election?", "unanswerable": True, "type": "future"},
]


def replies() -> dict:
    q1 = answer(ROWS[0]["question"],
                [("Late fees fell to $8.", (1,)), ("Prices are shown up front.", (2,)), ("That is all.", ())],
                citations=(citation(1, "policy/fees.md", S1),
                           citation(2, "policy/fees.md", S3, quote="Sellers must show", support=0.3)),
                retrieved=hits(chunk("trade.txt", T1), chunk("policy/fees.md", S1)))
    return {
        ROWS[0]["question"]: q1,
        ROWS[1]["question"]: answer(ROWS[1]["question"], [], refused=True),
        ROWS[2]["question"]: answer(ROWS[2]["question"], [], refused=True, retrieved=hits(chunk("trade.txt", T2, 1))),
        ROWS[3]["question"]: answer(ROWS[3]["question"], [("The predecessor called.", (1,))],
                                    citations=(citation(1, "policy/fees.md", S1),)),
        ROWS[5]["question"]: answer(ROWS[5]["question"], [("Fees fell.", (1,))],
                                    citations=(citation(1, "policy/fees.md", S1),)),
    }


@pytest.fixture
def questions_file(tmp_path: Path) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in ROWS) + "\n", encoding="utf-8")
    return path


def test_run_writes_every_output_with_hand_computed_metrics(tmp_path, questions_file):
    assistant = FakeAssistant(replies(), fail={ROWS[3]["question"]})
    progress: list[tuple[int, int]] = []
    result = run_evaluation(load_questions(questions_file), assistant, corpus(), out_dir=tmp_path / "run", k=2,
                            progress=lambda done, total: progress.append((done, total)))
    out = tmp_path / "run"
    assert sorted(p.name for p in out.iterdir()) == ["answers.csv", "answers.jsonl", "metrics.json", "report.html",
                                                     "run.json"]
    assert progress[0] == (0, 5) and progress[-1] == (5, 5)
    m = json.loads((out / "metrics.json").read_text())
    assert m == result.metrics
    assert (m["run"]["questions"], m["run"]["failed"], m["run"]["k"]) == (6, 2, 2)
    assert m["outcomes"] == {"error": 2, "answered unanswerable": 1, "false refusal": 1, "wrong answer": 0,
                             "retrieval miss": 0, "invalid citation": 1, "ok": 1}
    r = m["retrieval"]  # q1 first relevant at rank 2, q3 never
    assert (r["questions"], r["hit_rate"], r["recall"], r["mrr"]) == (2, 0.5, 0.5, 0.25)
    assert r["hit_rate_by_k"] == {"1": 0.0, "2": 0.5}
    assert r["span"]["recall"] == pytest.approx(0.5)
    assert r["span"]["precision"] == pytest.approx(30 / 63 / 2) and r["span"]["iou"] == pytest.approx(30 / 63 / 2)
    assert m["answers"] == {"questions": 2, "contains_answer": 0.5, "token_f1": pytest.approx(1 / 14)}
    c = m["citations"]  # q1: 2 citations (1 valid, 1 supported), 3 sentences (2 cited); q5: 1 valid, 1 of 1
    assert (c["citations"], c["validity"], c["support_rate"]) == (3, pytest.approx(2 / 3), pytest.approx(2 / 3))
    assert (c["sentences"], c["sentence_coverage"], c["recall"]) == (4, 0.75, 0.5)
    assert m["refusal"] == {"unanswerable": 2, "accuracy": 0.5, "answerable": 2, "false_refusal_rate": 0.5}
    assert m["latency_ms"]["retrieve"]["p50"] == 12.0
    assert set(m["by_type"]) == {"answerable", "unanswerable", "future", "unreadable"}
    assert m["by_type"]["future"]["refusal_accuracy"] == 0.0

    records = {rec.id: rec for rec in read_records(out / "answers.jsonl")}
    assert "model unavailable" in records["q4"].error and records["line-5"].error.startswith(str(questions_file))
    first = json.loads((out / "answers.jsonl").read_text().splitlines()[0])
    assert {"id", "question", "answer", "refused", "citations", "retrieved", "latency_ms"} <= set(first)
    assert set(first["citations"][0]) >= {"marker", "source", "title", "start", "end", "quote", "support"}
    assert set(first["retrieved"][0]) >= {"rank", "chunk_id", "source", "start", "end", "score", "text"}
    assert set(first["latency_ms"]) == {"retrieve", "answer", "total"}

    rows = list(csv.DictReader(io.StringIO((out / "answers.csv").read_text(encoding="utf-8-sig"))))
    assert [row["id"] for row in rows] == ["q1", "q2", "q3", "q4", "line-5", "q5"]
    assert rows[0]["outcome"] == "invalid citation" and rows[0]["hit"] == "1.0"


def test_rerun_resumes_and_asks_only_the_failed_questions(tmp_path, questions_file):
    questions = load_questions(questions_file)
    run_evaluation(questions, FakeAssistant(replies(), fail={ROWS[3]["question"]}), corpus(),
                   out_dir=tmp_path / "run", k=2)
    again = FakeAssistant(replies())
    result = run_evaluation(questions, again, corpus(), out_dir=tmp_path / "run", k=2)
    assert again.asked == [ROWS[3]["question"]]
    assert (result.resumed, result.asked, result.metrics["run"]["failed"]) == (4, 1, 1)
    ids = [rec.id for rec in read_records(tmp_path / "run" / "answers.jsonl")]
    assert sorted(ids) == sorted(["q1", "q2", "q3", "q4", "q5", "line-5"])


def test_an_edited_question_is_asked_again(tmp_path, questions_file):
    run_evaluation(load_questions(questions_file).limit(2), FakeAssistant(replies()), corpus(),
                   out_dir=tmp_path / "run", k=2)
    edited = questions_file.read_text().replace("GDP of Mars", "GDP of Venus")
    questions_file.write_text(edited, encoding="utf-8")
    again = FakeAssistant({**replies(), "What is the GDP of Venus?": answer("q", [], refused=True)})
    result = run_evaluation(load_questions(questions_file).limit(2), again, corpus(), out_dir=tmp_path / "run", k=2)
    assert again.asked == ["What is the GDP of Venus?"]
    assert [r.question for r in result.records] == [ROWS[0]["question"], "What is the GDP of Venus?"]


def test_a_torn_last_line_is_asked_again(tmp_path, questions_file):
    questions = load_questions(questions_file).limit(2)
    run_evaluation(questions, FakeAssistant(replies()), corpus(), out_dir=tmp_path / "run", k=2)
    answers = tmp_path / "run" / "answers.jsonl"
    lines = answers.read_text().splitlines()
    answers.write_text(lines[0] + "\n" + lines[1][:40], encoding="utf-8")  # killed while writing q2
    again = FakeAssistant(replies())
    run_evaluation(questions, again, corpus(), out_dir=tmp_path / "run", k=2)
    assert again.asked == [ROWS[1]["question"]]


def test_resume_refuses_another_k(tmp_path, questions_file):
    questions = load_questions(questions_file).limit(1)
    run_evaluation(questions, FakeAssistant(replies()), corpus(), out_dir=tmp_path / "run", k=2)
    with pytest.raises(RunMismatchError, match="k=2, not 3"):
        run_evaluation(questions, FakeAssistant(replies()), corpus(), out_dir=tmp_path / "run", k=3)


def test_workers_give_the_same_records(tmp_path, questions_file):
    questions = load_questions(questions_file)
    one = run_evaluation(questions, FakeAssistant(replies()), corpus(), out_dir=tmp_path / "one", k=2)
    four = run_evaluation(questions, FakeAssistant(replies()), corpus(), out_dir=tmp_path / "four", k=2, workers=4)
    assert [r.id for r in four.records] == [r.id for r in one.records]
    assert [r.scores for r in four.records] == [r.scores for r in one.records]
    assert four.metrics["retrieval"] == one.metrics["retrieval"]


def test_csv_cells_cannot_start_a_formula(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "f", "question": "=HYPERLINK(\"x\")"}) + "\n", encoding="utf-8")
    fake = FakeAssistant({"=HYPERLINK(\"x\")": answer("q", [("-1 is the answer.", ())])})
    run_evaluation(load_questions(path), fake, corpus(), out_dir=tmp_path / "run", k=1)
    row = next(csv.DictReader(io.StringIO((tmp_path / "run" / "answers.csv").read_text(encoding="utf-8-sig"))))
    assert row["question"] == "'=HYPERLINK(\"x\")" and row["answer"] == "'-1 is the answer."
