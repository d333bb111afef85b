"""Evaluation runs in a worker thread of the server process, so no Streamlit rerun can stop them.

A Streamlit script run is stopped by the user's next interaction (a click, another page), and a
run of a few hundred questions takes minutes; the evaluation page therefore starts each run here
and polls ``status``. The registry is one dict keyed by run folder, guarded by one lock. The
worker only updates plain fields of its ``RunStatus``, never Streamlit elements. An ``owner``
(the page passes one token per browser session) has at most one unfinished run at a time. Runs
live as long as the server process; a folder left half done by a stopped server is not resumed.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from evaluation.questions import QuestionFileError, load_questions
from evaluation.runner import EvaluationTarget, RunMismatchError, run_evaluation
from vectorstore.errors import BriefsError

log = logging.getLogger(__name__)

# Errors shown by their message alone; anything else is shown with its type, and logged with its traceback.
EXPECTED = (QuestionFileError, RunMismatchError, BriefsError, ValueError)


class RunInProgressError(RuntimeError):
    """The owner already has a run that has not finished."""

    def __init__(self, running: RunStatus) -> None:
        super().__init__(f"a run is in progress: {running.label} ({running.done} of "
                         f"{'?' if running.total is None else running.total} questions)")
        self.running = running


@dataclass(frozen=True)
class RunStatus:
    """A snapshot of one run; times are ``time.monotonic()`` seconds."""

    run_dir: Path
    owner: str
    label: str  # the question file's name as the user knows it (the uploaded name)
    started: float
    done: int = 0  # questions answered so far
    total: int | None = None  # questions to ask; None until the file is read
    finished: float | None = None  # None while running
    questions: int | None = None  # questions in the finished run (unreadable rows included)
    unreadable: int = 0  # rows of the file that could not be read
    error: str | None = None  # why the run stopped, when it failed

    @property
    def running(self) -> bool:
        return self.finished is None

    def elapsed(self, now: float | None = None) -> float:
        """Seconds since the start, until the end once finished."""
        end = self.finished if self.finished is not None else time.monotonic() if now is None else now
        return end - self.started

    def seconds_left(self, now: float | None = None) -> float | None:
        """The time left at the pace so far; None before the first answer or once all are answered."""
        if not self.running or not self.done or self.total is None or self.total <= self.done:
            return None
        return self.elapsed(now) / self.done * (self.total - self.done)


_lock = threading.Lock()
_finished = threading.Condition(_lock)
_runs: dict[Path, RunStatus] = {}


def start(run_dir: Path, *, owner: str, label: str, questions_file: Path,
          target_factory: Callable[[], EvaluationTarget], k: int, limit: int | None = None,
          workers: int = 1) -> RunStatus:
    """Start running ``questions_file`` (its first ``limit`` rows) into ``run_dir`` in a worker thread.

    ``target_factory`` is called in the worker. Returns the first status; raises
    ``RunInProgressError`` when ``owner`` has a run that has not finished (nothing is started then).
    Errors of the run itself are not raised: they end up in ``RunStatus.error``.
    """
    run_dir = Path(run_dir)
    with _lock:
        running = next((r for r in _runs.values() if r.owner == owner and r.running), None)
        if running is not None:
            raise RunInProgressError(running)
        for old in [r.run_dir for r in _runs.values() if r.owner == owner]:  # keep only the owner's newest
            del _runs[old]
        status = _runs[run_dir] = RunStatus(run_dir, owner, label, started=time.monotonic())

    def work() -> None:
        fields: dict[str, Any]
        try:
            questions = load_questions(questions_file).limit(limit)
            target = target_factory()
            result = run_evaluation(questions, target.assistant, target.corpus, out_dir=run_dir, k=k, workers=workers,
                                    config={**target.config, "k": k, "uploaded_as": label},
                                    progress=lambda done, total: _update(run_dir, done=done, total=total))
            fields = {"questions": len(result.records), "unreadable": len(questions.errors)}
        except EXPECTED as exc:
            fields = {"error": str(exc)}
        except Exception as exc:  # not foreseen: shown with its type, never swallowed
            log.exception("evaluation run %s failed", run_dir)
            fields = {"error": f"{type(exc).__name__}: {exc}"}
        with _lock:
            _runs[run_dir] = dataclasses.replace(_runs[run_dir], finished=time.monotonic(), **fields)
            _finished.notify_all()

    threading.Thread(target=work, name=f"evaluation-{run_dir.name}", daemon=True).start()
    return status


def _update(run_dir: Path, **fields: Any) -> None:
    with _lock:
        _runs[run_dir] = dataclasses.replace(_runs[run_dir], **fields)


def status(run_dir: Path | str) -> RunStatus | None:
    """The run's latest status; None for a folder no run of this process was started in (or a dropped one)."""
    with _lock:
        return _runs.get(Path(run_dir))


def wait(run_dir: Path | str, timeout: float | None = None) -> RunStatus | None:
    """Block until the run has finished (or ``timeout`` seconds passed); its status then."""
    with _finished:
        _finished.wait_for(lambda: (r := _runs.get(Path(run_dir))) is None or not r.running, timeout)
        return _runs.get(Path(run_dir))
