"""Background runs (``evaluation.background``): the real runner in a worker thread, a fake assistant."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable

import pytest

from evaluation import background
from evaluation.runner import METRICS, RUN, EvaluationTarget
from tests.evaluation.fakes import FakeAssistant, GatedAssistant, answer, corpus
from vectorstore.errors import EmptyStoreError

ROWS = [{"id": "q1", "question": "How much did late fees fall?", "answers": ["$8"]},
        {"id": "q2", "question": "Who met in May?", "unanswerable": True}]
REPLIES = {r["question"]: answer(r["question"], [], refused=True) for r in ROWS}


@pytest.fixture
def questions_file(tmp_path: Path) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n{broken\n", encoding="utf-8")
    return path


def target(assistant: FakeAssistant) -> Callable[[], EvaluationTarget]:
    return lambda: EvaluationTarget(assistant, corpus(), {"backend": "fake"})


def until(condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def start(tmp_path: Path, questions_file: Path, assistant: FakeAssistant, *, owner: str = "session-1",
          name: str = "run", **options) -> Path:
    """Start a run into ``tmp_path / name``; owners are told apart per test (``tmp_path``'s name)."""
    run_dir = tmp_path / name
    background.start(run_dir, owner=f"{tmp_path.name}/{owner}", label="my questions.jsonl", questions_file=questions_file,
                     target_factory=target(assistant), **{"k": 2, **options})
    return run_dir


def test_a_run_reports_progress_and_finishes_in_the_background(tmp_path, questions_file):
    gated = GatedAssistant(REPLIES)
    run_dir = start(tmp_path, questions_file, gated)
    until(lambda: background.status(run_dir).total is not None)
    run = background.status(run_dir)
    assert (run.running, run.done, run.total, run.seconds_left()) == (True, 0, 2, None)
    assert run.label == "my questions.jsonl" and run.owner.endswith("/session-1")

    gated.gate.release()
    until(lambda: background.status(run_dir).done == 1)
    run = background.status(run_dir)
    assert run.running and run.seconds_left() is not None and run.seconds_left() >= 0
    assert not (run_dir / METRICS).exists()

    gated.gate.release()
    run = background.wait(run_dir, timeout=10)
    assert not run.running and run.error is None
    assert (run.done, run.total, run.questions, run.unreadable) == (2, 2, 3, 1)  # the broken row is a question too
    assert run.seconds_left() is None and run.elapsed() == run.finished - run.started
    metrics = json.loads((run_dir / METRICS).read_text())
    assert metrics["run"]["questions"] == 3
    assert json.loads((run_dir / RUN).read_text())["uploaded_as"] == "my questions.jsonl"
    assert background.status(tmp_path / "elsewhere") is None


def test_one_run_at_a_time_per_owner(tmp_path, questions_file):
    first = GatedAssistant(REPLIES)
    run_dir = start(tmp_path, questions_file, first, owner="session-1")
    with pytest.raises(background.RunInProgressError, match="a run is in progress: my questions.jsonl") as refused:
        start(tmp_path, questions_file, FakeAssistant(REPLIES), owner="session-1", name="second")
    assert refused.value.running.run_dir == run_dir
    assert background.status(tmp_path / "second") is None and not (tmp_path / "second").exists()

    other = start(tmp_path, questions_file, FakeAssistant(REPLIES), owner="session-2", name="other")
    assert background.wait(other, timeout=10).error is None  # another session runs meanwhile
    assert background.status(run_dir).running

    first.gate.release(2)
    assert background.wait(run_dir, timeout=10).error is None
    again = start(tmp_path, questions_file, FakeAssistant(REPLIES), owner="session-1", name="again")
    assert background.wait(again, timeout=10).error is None
    assert background.status(run_dir) is None  # only the owner's newest run is kept


def test_expected_errors_are_kept_as_their_message(tmp_path, questions_file):
    wrong = tmp_path / "questions.txt"
    wrong.write_text("question\n", encoding="utf-8")
    bad_file = start(tmp_path, wrong, FakeAssistant(REPLIES), name="bad-file")
    assert background.wait(bad_file, timeout=10).error == \
        f"{wrong}: question files must be .jsonl or .csv, not '.txt'"

    bad_k = start(tmp_path, questions_file, FakeAssistant(REPLIES), name="bad-k", k=0)
    assert background.wait(bad_k, timeout=10).error == "k (0) must be positive"

    (tmp_path / "mismatch").mkdir()
    (tmp_path / "mismatch" / RUN).write_text(json.dumps({"k": 3}), encoding="utf-8")
    mismatch = start(tmp_path, questions_file, FakeAssistant(REPLIES), name="mismatch")
    assert "holds a run made with k=3, not 2" in background.wait(mismatch, timeout=10).error

    def empty() -> EvaluationTarget:
        raise EmptyStoreError("no brief is indexed yet")

    run_dir = tmp_path / "empty"
    background.start(run_dir, owner=f"{tmp_path.name}/session-1", label="q.jsonl", questions_file=questions_file,
                     target_factory=empty, k=2)
    assert background.wait(run_dir, timeout=10).error == "no brief is indexed yet"


def test_an_unexpected_error_is_kept_with_its_type(tmp_path, questions_file, caplog):
    def broken() -> EvaluationTarget:
        raise KeyError("store")

    run_dir = tmp_path / "broken"
    background.start(run_dir, owner=f"{tmp_path.name}/session-1", label="q.jsonl", questions_file=questions_file,
                     target_factory=broken, k=2)
    run = background.wait(run_dir, timeout=10)
    assert run.error == "KeyError: 'store'" and not run.running
    assert any(r.exc_info and "evaluation run" in r.getMessage() for r in caplog.records)  # the traceback is logged
