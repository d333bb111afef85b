"""The Streamlit evaluation page, driven with AppTest and a fake assistant."""

from __future__ import annotations

import io
import json
import re
import threading
import time
import zipfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

from evaluation import background
from tests.ui.conftest import unescape
from ui.evaluation_page import ACTIVE_RUN, run_name, zip_run


def page_app(runs_dir: str, gate=None, broken: bool = False) -> None:
    """The page over a fake assistant that knows two questions (AppTest runs this function's source).

    With ``gate`` (a semaphore) the assistant answers one question per release; ``broken`` makes
    building the assistant fail unexpectedly.
    """
    from pathlib import Path

    from evaluation.runner import EvaluationTarget
    from tests.evaluation.fakes import FakeAssistant, GatedAssistant, answer, chunk, citation, corpus, hits
    from ui.evaluation_page import render_evaluation_page

    s1 = "Late fees fell from $32 to $8."
    replies = {
        "How much did late fees fall?": answer("q", [("Late fees fell to $8.", (1,))],
                                               citations=(citation(1, "policy/fees.md", s1),),
                                               retrieved=hits(chunk("policy/fees.md", s1))),
        "Who met in May?": answer("q", [], refused=True),
    }

    def target() -> EvaluationTarget:
        if broken:
            raise RuntimeError("the store went away")
        assistant = FakeAssistant(replies) if gate is None else GatedAssistant(replies, gate=gate)
        return EvaluationTarget(assistant, corpus(), {"backend": "fake"})

    render_evaluation_page(target, runs_dir=Path(runs_dir))


QUESTIONS = "\n".join(json.dumps(r) for r in [
    {"id": "fees", "question": "How much did late fees fall?", "answers": ["$8"],
     "references": [{"source": "fees", "text": "Late fees fell from $32 to $8."}]},
    {"id": "may", "question": "Who met in May?", "answers": ["Seoul and Tokyo"]},
]).encode()


def test_upload_run_show_metrics_download_and_compare(tmp_path):
    at = AppTest.from_function(page_app, kwargs={"runs_dir": str(tmp_path)}, default_timeout=30)
    at.run()
    assert not at.exception
    assert at.button(key="evaluation.run").disabled
    assert not [c for c in at.caption if c.value.startswith("Ready")]
    at.file_uploader(key="evaluation.upload").set_value(("my questions.jsonl", QUESTIONS, "application/json"))
    at.run()
    # the page names the file the button will run (a browser test waits for it before clicking)
    assert [unescape(c.value) for c in at.caption if c.value.startswith("Ready")] == \
        [f"Ready to run: my questions.jsonl ({len(QUESTIONS) / 1024:.1f} KB)"]
    at.button(key="evaluation.run").click()
    at.run()
    _finish_run(at)
    assert not at.exception, at.exception
    assert not at.error
    (bar,) = at.get("progress")
    assert re.fullmatch(r"Done: 2 questions of my questions\.jsonl in \d+ s", unescape(bar.proto.text)), bar.proto.text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hit rate at 5"] == "100.0%" and metrics["Contains answer"] == "50.0%"
    runs = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert len(runs) == 1 and runs[0].name.endswith("-my-questions")
    assert (runs[0] / "report.html").is_file() and (runs[0] / "questions.jsonl").read_bytes() == QUESTIONS
    assert at.get("download_button")  # the zip of the run

    # a second run can be compared with the first
    at.button(key="evaluation.run").click()
    at.run()
    _finish_run(at)
    assert not at.exception
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) == 2
    assert at.selectbox(key="evaluation.compare_with").value.name == runs[0].name
    assert [t.value for t in at.text][-1] == "0 questions changed outcome"
    assert not at.warning  # the same question file: no warning


NO_REFERENCES = "\n".join(json.dumps(r) for r in [
    {"id": "fees", "question": "How much did late fees fall?"},
    {"id": "other", "question": "Who met in May?"},
]).encode()


def _finish_run(at: AppTest) -> None:
    """The run goes on in a worker thread: wait until it is over, then rerun as the page's poll does."""
    run = background.wait(at.session_state[ACTIVE_RUN], timeout=30)
    assert run is not None and not run.running
    at.run()


def until(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _upload_and_run(at: AppTest, name: str, content: bytes) -> None:
    at.file_uploader(key="evaluation.upload").set_value((name, content, "application/json"))
    at.run()
    at.button(key="evaluation.run").click()
    at.run()
    _finish_run(at)
    assert not at.exception, at.exception


def test_metrics_that_cannot_be_computed_say_why_and_other_files_are_compared_on_common_questions(tmp_path):
    at = AppTest.from_function(page_app, kwargs={"runs_dir": str(tmp_path)}, default_timeout=30)
    at.run()
    _upload_and_run(at, "with references.jsonl", QUESTIONS)
    _upload_and_run(at, "bare.jsonl", NO_REFERENCES)
    metrics = {m.label: m for m in at.metric}
    assert metrics["Hit rate at 5"].value == "–" and metrics["MRR"].value == "–"
    captions = [c.value for c in at.caption]
    assert any("**Hit rate at 5** not computed: needs answerable questions with references" in c for c in captions)
    assert any("**Refusal accuracy** not computed: needs questions marked unanswerable" in c for c in captions)
    assert any(i.value.startswith("No chart: hit rate needs answerable questions with references") for i in at.info)
    table = at.dataframe[0].value.to_dict("records")
    faithfulness = next(r for r in table if r["metric"] == "Faithfulness (LLM judge)")
    assert faithfulness["value"] == "–" and "--judge" in faithfulness["why not computed"]
    assert any(r["metric"] == "Retrieval time, median" for r in table)

    # compared with the first run: one question in common ("fees"), the id "may"/"other" differ
    (warning,) = [w.value for w in at.warning]
    assert "different questions: 1 only in the earlier run, 1 only in this one" in warning
    assert "over the 1 question both asked" in warning
    (comparison,) = [d.value.to_dict("records") for d in at.dataframe if "earlier" in d.value.columns
                     and "metric" in d.value.columns]
    assert comparison
    assert all("." not in row["metric"] or row["metric"].endswith(")") for row in comparison), comparison  # words
    hit_rate = next(row for row in comparison if row["metric"] == "Hit rate at k")
    assert (hit_rate["earlier"], hit_rate["this run"]) == ("100.0%", "–")


def test_a_run_goes_on_through_reruns_and_a_second_run_waits_for_it(tmp_path):
    gate = threading.Semaphore(0)
    at = AppTest.from_function(page_app, kwargs={"runs_dir": str(tmp_path), "gate": gate}, default_timeout=30)
    at.run()
    at.file_uploader(key="evaluation.upload").set_value(("my questions.jsonl", QUESTIONS, "application/json"))
    at.run()
    at.button(key="evaluation.run").click()
    at.run()
    run_dir = at.session_state[ACTIVE_RUN]
    until(lambda: background.status(run_dir).total == 2)
    gate.release()
    until(lambda: background.status(run_dir).done == 1)
    at.number_input(key="evaluation.k").set_value(7)
    at.run()  # any interaction reruns the script; the run goes on in its thread
    (bar,) = at.get("progress")
    assert re.fullmatch(r"1 of 2 questions, about \d+ s left", bar.proto.text), bar.proto.text
    assert not at.metric  # no results while it runs

    at.button(key="evaluation.run").click()
    at.run()
    assert [unescape(w.value) for w in at.warning] == \
        ["A run is in progress (my questions.jsonl); wait until it is done to start another."]
    assert [p.name for p in tmp_path.iterdir()] == [Path(run_dir).name]  # no second run

    gate.release()
    _finish_run(at)
    (bar,) = at.get("progress")
    assert re.fullmatch(r"Done: 2 questions of my questions\.jsonl in \d+ s", unescape(bar.proto.text))
    assert {m.label for m in at.metric} >= {"Hit rate at 5"}  # the k the run started with


def test_errors_in_the_run_are_shown_on_the_page(tmp_path):
    at = AppTest.from_function(page_app, kwargs={"runs_dir": str(tmp_path / "runs")}, default_timeout=30)
    at.run()
    _upload_and_run(at, "no question column.csv", b"id,answers\n1,2\n")
    (error,) = [unescape(e.value) for e in at.error]
    assert re.fullmatch(r".*questions\.csv: the CSV header must have a 'question' column; found \['id', 'answers'\]",
                        error), error
    assert not at.metric and not at.get("progress")

    at = AppTest.from_function(page_app, kwargs={"runs_dir": str(tmp_path / "runs"), "broken": True},
                               default_timeout=30)
    at.run()
    _upload_and_run(at, "my questions.jsonl", QUESTIONS)
    assert [unescape(e.value) for e in at.error] == ["RuntimeError: the store went away"]


def test_run_name_is_safe_and_zip_holds_the_run(tmp_path):
    assert run_name("../../etc/pass wd.csv", now=0).endswith("-pass-wd")
    assert run_name("....csv", now=0).endswith("-questions")
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "metrics.json").write_text("{}")
    names = zipfile.ZipFile(io.BytesIO(zip_run(tmp_path / "run"))).namelist()
    assert names == ["run/metrics.json"]
