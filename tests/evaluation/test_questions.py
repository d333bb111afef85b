"""Question files: JSONL, CSV with JSON list cells, the chunking benchmark CSV, bad rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from answer.types import Turn
from evaluation.questions import QuestionFileError, Reference, load_questions, question_type
from settings import REPO_ROOT

BENCH = REPO_ROOT.parent / "shared" / "bench" / "chunking" / "questions_dev.csv"


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_jsonl_fields(tmp_path):
    path = write_jsonl(tmp_path / "q.jsonl", [
        {"id": "a", "question": "Who?", "answers": ["Kim"], "references": [
            {"source": "brief.md", "start": 3, "end": 9}, {"text": "Kim said"}],
         "history": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}], "type": "who"},
        {"question": "Not covered?", "unanswerable": True},
    ])
    qs = load_questions(path)
    assert qs.errors == ()
    first, second = qs.questions
    assert first.id == "a" and first.answers == ("Kim",) and first.type == "who" and first.line == 1
    assert first.references == (Reference("brief.md", 3, 9, ""), Reference("", None, None, "Kim said"))
    assert first.history == (Turn("Hi", "Hello"),)
    assert second.unanswerable and second.id.startswith("q-") and question_type(second) == "unanswerable"


def test_history_forms_become_exchanges(tmp_path):
    path = write_jsonl(tmp_path / "q.jsonl", [
        {"question": "a", "history": [{"question": "Q1", "answer": "A1"}, {"question": "Q2"}]},
        {"question": "b", "history": ["Q1", "A1", "Q2"]},
        {"question": "c", "history": [{"role": "user", "content": "Q1"}, {"role": "user", "content": "Q2"},
                                      {"role": "assistant", "content": "A2"}]},
        {"question": "d", "history": [{"role": "assistant", "content": "A0"}]},
    ])
    qs = load_questions(path)
    assert [q.history for q in qs.questions] == [
        (Turn("Q1", "A1"), Turn("Q2")), (Turn("Q1", "A1"), Turn("Q2")), (Turn("Q1"), Turn("Q2", "A2"))]
    assert "an assistant message must follow a user message" in qs.errors[0].message


def test_line_separators_inside_strings_do_not_split_rows(tmp_path):
    jsonl = write_jsonl(tmp_path / "q.jsonl", [{"id": "a", "question": "One\u2028two?"}, {"id": "b", "question": "x?"}])
    assert [(q.id, q.line) for q in load_questions(jsonl).questions] == [("a", 1), ("b", 2)]
    path = tmp_path / "q.csv"
    path.write_text('id,question\na,"Multi\nline\u2028question?"\nb,Next?\n', encoding="utf-8")
    qs = load_questions(path)
    assert [(q.id, q.line) for q in qs.questions] == [("a", 2), ("b", 4)]
    assert qs.questions[0].question == "Multi\nline\u2028question?"


def test_derived_ids_are_stable_and_unique(tmp_path):
    rows = [{"question": "Same?"}, {"question": "Same?"}]
    ids = [q.id for q in load_questions(write_jsonl(tmp_path / "q.jsonl", rows)).questions]
    again = [q.id for q in load_questions(write_jsonl(tmp_path / "r.jsonl", rows)).questions]
    assert ids == again and ids[1] == ids[0] + "-2"


def test_bad_rows_are_errors_naming_file_and_line_and_the_rest_goes_on(tmp_path):
    path = write_jsonl(tmp_path / "q.jsonl", [
        {"id": "ok", "question": "Fine?"},
        "{not json",
        {"id": "nr", "question": "Span?", "references": [{"start": 1, "end": 5}]},
        {"id": "ok", "question": "Again?"},
        {"question": ""},
        {"question": "Both?", "unanswerable": True, "answers": ["x"]},
        {"id": ["not", "a", "string"], "question": "Odd id?"},
    ])
    qs = load_questions(path)
    assert [q.id for q in qs.questions] == ["ok"]
    assert [(e.id, e.line) for e in qs.errors] == [("line-2", 2), ("nr", 3), ("line-4", 4), ("line-5", 5), ("line-6", 6),
                                                       ("line-7", 7)]
    assert f"{path} line 3: reference 0: a span (1, 5) needs a 'source'" == qs.errors[1].message
    assert "duplicate id 'ok' (first on line 1)" in qs.errors[2].message


def test_csv_with_json_list_cells_and_plain_answer(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text(
        'id,question,answers,references,unanswerable\n'
        'c1,"Fees?","[""$8"", ""eight dollars""]","[{""source"": ""sotu"", ""text"": ""late fees""}]",\n'
        'c2,"Who?",Kim,,no\n'
        'c3,"None?",,,TRUE\n'
        'c4,"Broken?",,"[{oops",\n', encoding="utf-8")
    qs = load_questions(path)
    c1, c2, c3 = qs.questions
    assert c1.answers == ("$8", "eight dollars") and c1.references == (Reference("sotu", None, None, "late fees"),)
    assert c2.answers == ("Kim",) and not c2.unanswerable and c2.line == 3
    assert c3.unanswerable
    assert qs.errors[0].id == "line-5" and "'references' must be a JSON list" in qs.errors[0].message


def test_limit_counts_rows_good_and_bad(tmp_path):
    path = write_jsonl(tmp_path / "q.jsonl", [{"question": "1?"}, "bad", {"question": "3?"}])
    limited = load_questions(path).limit(2)
    assert [q.question for q in limited.questions] == ["1?"] and len(limited.errors) == 1


def test_unsupported_file_and_missing_question_column(tmp_path):
    with pytest.raises(QuestionFileError, match="must be .jsonl or .csv"):
        load_questions(tmp_path / "q.txt")
    bad = tmp_path / "q.csv"
    bad.write_text("query,answers\nx,y\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match="'question' column"):
        load_questions(bad)


@pytest.mark.skipif(not BENCH.exists(), reason="the shared chunking benchmark is not checked out")
def test_the_chunking_benchmark_file_is_read_as_it_is():
    qs = load_questions(BENCH)
    assert len(qs.questions) == 312 and qs.errors == ()
    first = qs.questions[0]
    assert first.type == "state_of_the_union"
    assert first.references[0] == Reference(
        "state_of_the_union", 27346, 27425,
        "My administration announced we\u2019re cutting credit card late fees from $32 to $8.")


def test_a_follow_up_row_may_replay_its_history_and_name_its_interpretation(tmp_path):
    from evaluation.questions import load_questions
    from evaluation.scoring import interpreted

    path = tmp_path / "q.jsonl"
    path.write_text(
        '{"id": "f1", "question": "Which programs are they in?", "replay": true, "history": [{"question": "Which ships?"}], '
        '"interpreted_as": ["ships | vessels", "Gulf"]}\n'
        '{"id": "f2", "question": "And they?", "replay": true, "history": [{"question": "Q?", "answer": "A."}]}\n',
        encoding="utf-8")
    questions = load_questions(path)
    first = questions.questions[0]
    assert first.replay and first.interpreted_as == ("ships | vessels", "Gulf")
    assert [e.id for e in questions.errors] == ["f2"]  # a replayed history is answered by the assistant
    assert "leave out its answers" in questions.errors[0].message
    assert interpreted("Which programs are the vessels in the Persian Gulf in?", first.interpreted_as)
    assert not interpreted("Which programs are the vessels in?", first.interpreted_as)
