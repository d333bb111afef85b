"""The optional LLM judge (with a scripted chat model) and the compare command line."""

from __future__ import annotations

import json

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from evaluation.__main__ import main
from evaluation.judge import LLMJudge, judge_prompt, parse_verdicts
from evaluation.questions import load_questions
from evaluation.runner import run_evaluation
from tests.evaluation.fakes import FakeAssistant, answer, citation, corpus

S1 = "Late fees fell from $32 to $8."


def two_sentence_answer():
    return answer("q", [("Late fees fell to $8.", (1,)), ("Prices went up.", (1,))],
                  citations=(citation(1, "policy/fees.md", S1),))


def test_parse_verdicts():
    assert parse_verdicts("1 yes\n2 no", 2) == 0.5
    assert parse_verdicts("[1] Yes.\n2) yes\n9 yes", 2) == 1.0  # sentence 9 does not exist
    assert parse_verdicts("1 yes", 3) == pytest.approx(1 / 3)  # skipped sentences count as unsupported
    assert parse_verdicts("I cannot tell.", 2) is None


def test_prompt_holds_the_cited_quotes_as_delimited_data_and_numbered_sentences():
    prompt, sentences = judge_prompt(two_sentence_answer())
    assert sentences == 2
    assert f"<passage>\n[1] {S1}\n</passage>" in prompt
    assert "1 Late fees fell to $8.\n2 Prices went up." in prompt


def test_judge_score_reaches_the_metrics(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "a", "question": "Fees?"}) + "\n", encoding="utf-8")
    judge = LLMJudge(FakeListChatModel(responses=["1 yes\n2 no"]))
    result = run_evaluation(load_questions(path), FakeAssistant({"Fees?": two_sentence_answer()}), corpus(),
                            out_dir=tmp_path / "run", k=3, judge=judge)
    assert result.records[0].scores.faithfulness == 0.5
    assert result.metrics["faithfulness"] == {"questions": 1, "score": 0.5}


def test_compare_command(tmp_path, capsys):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "a", "question": "Fees?", "answers": ["$8"]}) + "\n", encoding="utf-8")
    good = FakeAssistant({"Fees?": two_sentence_answer()})
    bad = FakeAssistant({"Fees?": answer("q", [], refused=True)})
    run_evaluation(load_questions(path), good, corpus(), out_dir=tmp_path / "a", k=3)
    run_evaluation(load_questions(path), bad, corpus(), out_dir=tmp_path / "b", k=3)
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "answers.contains_answer" in out and "-100.0 pt  worse" in out
    assert "a: ok -> false refusal" in out
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "missing")]) == 2
    assert "metrics.json is missing" in capsys.readouterr().err


def test_run_command_reports_a_bad_question_file_as_a_usage_error(tmp_path, capsys, monkeypatch):
    import evaluation.assistant as assistant_module

    # the question file is read before any model is loaded
    monkeypatch.setattr(assistant_module, "build_target", lambda settings: pytest.fail("must not load the assistant"))
    assert main([str(tmp_path / "questions.txt"), "--out", str(tmp_path / "run")]) == 2
    assert "must be .jsonl or .csv" in capsys.readouterr().err
