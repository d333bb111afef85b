"""Run a question set against the assistant: answers, metrics and report into a run directory.

``answers.jsonl`` is appended to as each question finishes, so a run that stops (an error, a
kill, Ctrl-C) loses nothing; running again with the same directory skips every question
already answered without error and asks the rest. Failed questions are asked again.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol

from answer.types import Answer
from evaluation.corpus import Corpus
from evaluation.questions import Question, QuestionSet
from evaluation.records import Latency, QuestionRecord, dumps, read_records
from evaluation.report import render_report
from evaluation.scoring import failed_question, score, unreadable_row
from evaluation.summary import summarize

log = logging.getLogger(__name__)

ANSWERS, ANSWERS_CSV, METRICS, REPORT, RUN = "answers.jsonl", "answers.csv", "metrics.json", "report.html", "run.json"


@dataclass(frozen=True)
class Reply:
    """The assistant's answer to one question and the milliseconds its retrieval took."""

    answer: Answer
    retrieve_ms: float


class Assistant(Protocol):
    """What a run asks questions of: the real assistant (``evaluation.assistant``) or a fake."""

    def ask(self, question: Question, *, k: int) -> Reply: ...


@dataclass(frozen=True)
class EvaluationTarget:
    """What a run needs: the assistant to ask, the documents to check against, and how it is set up."""

    assistant: Assistant
    corpus: Corpus
    config: dict[str, Any]


class Judge(Protocol):
    """An optional LLM judge: the share of the answer's sentences its cited passages support."""

    def faithfulness(self, answer: Answer) -> float | None: ...


class RunMismatchError(ValueError):
    """The run directory holds a run made with other settings than the ones given."""


@dataclass(frozen=True)
class RunResult:
    out_dir: Path
    records: tuple[QuestionRecord, ...]
    metrics: dict[str, Any]
    resumed: int  # questions taken from an earlier run in the same directory
    asked: int  # questions asked in this run


Progress = Callable[[int, int], None]  # (questions finished, questions to ask)


def run_evaluation(questions: QuestionSet, assistant: Assistant, corpus: Corpus, *, out_dir: str | Path, k: int,
                   workers: int = 1, config: dict[str, Any] | None = None, judge: Judge | None = None,
                   progress: Progress | None = None) -> RunResult:
    """Ask every question not yet answered in ``out_dir``, then write metrics, CSV and report.

    ``config`` describes the run (store, model, backend ...) and is kept in ``run.json``; a
    directory made with another ``k`` or another question file is refused rather than mixed.
    """
    if k <= 0:
        raise ValueError(f"k ({k}) must be positive")
    if workers <= 0:
        raise ValueError(f"workers ({workers}) must be positive")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    config = {"questions_file": str(questions.path.resolve()), "k": k, **(config or {})}
    _check_run_config(out, config)

    done = _keep_answered(out / ANSWERS)
    # a row edited since it was answered (same id, other question) is asked again
    todo = [q for q in questions.questions if q.id not in done or done[q.id].question != q.question]
    rows = [unreadable_row(e) for e in questions.errors]
    lock = threading.Lock()
    finished = 0
    new: dict[str, QuestionRecord] = {}
    with (out / ANSWERS).open("a", encoding="utf-8") as sink:
        for record in rows:
            sink.write(dumps(record) + "\n")
        sink.flush()

        def record_done(record: QuestionRecord) -> None:
            nonlocal finished
            with lock:
                sink.write(dumps(record) + "\n")
                sink.flush()
                new[record.id] = record
                finished += 1
                if progress is not None:
                    progress(finished, len(todo))

        if progress is not None:
            progress(0, len(todo))
        if workers == 1:
            for question in todo:
                record_done(evaluate_question(question, assistant, corpus, k=k, judge=judge))
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="evaluation") as pool:
                futures = [pool.submit(evaluate_question, q, assistant, corpus, k=k, judge=judge) for q in todo]
                try:
                    for future in as_completed(futures):
                        record_done(future.result())
                except BaseException:
                    for future in futures:
                        future.cancel()
                    raise

    by_id = {**done, **new, **{r.id: r for r in rows}}
    order = [q.id for q in questions.questions] + [e.id for e in questions.errors]
    records = tuple(sorted((by_id[i] for i in order), key=lambda r: (r.line, r.id)))
    # In file order now that all are in; answers to questions outside this set (another --limit) are kept.
    wanted = set(order)
    _atomic_write(out / ANSWERS, "".join(dumps(r) + "\n" for r in
                                         [*records, *(r for i, r in by_id.items() if i not in wanted)]))
    metrics = summarize(records, k=k, config=config)
    write_outputs(out, records, metrics)
    return RunResult(out, records, metrics, resumed=len(questions.questions) - len(todo), asked=len(todo))


def evaluate_question(question: Question, assistant: Assistant, corpus: Corpus, *, k: int,
                      judge: Judge | None = None) -> QuestionRecord:
    """Ask one question and score the answer; any failure becomes a record with ``error``."""
    began = time.perf_counter()
    try:
        reply = assistant.ask(question, k=k)
        total_ms = 1000 * (time.perf_counter() - began)
        faithfulness = _judge(judge, reply.answer, question.id)
        latency = Latency(retrieve=round(reply.retrieve_ms, 2), answer=round(total_ms - reply.retrieve_ms, 2),
                          total=round(total_ms, 2))
        return score(question, reply.answer, corpus, k=k, latency=latency, faithfulness=faithfulness)
    except Exception as exc:  # one failing question must not stop the run: it is recorded and reported
        log.warning("question %s failed: %s", question.id, exc, exc_info=log.isEnabledFor(logging.DEBUG))
        return failed_question(question, f"{type(exc).__name__}: {exc}")


def _judge(judge: Judge | None, answer: Answer, question_id: str) -> float | None:
    """The judge's faithfulness score; None for refusals, without a judge, or when the judge fails."""
    if judge is None or answer.refused:
        return None
    try:
        return judge.faithfulness(answer)
    except Exception as exc:  # an optional metric: a judge outage must not fail the question
        log.warning("the faithfulness judge failed on question %s: %s", question_id, exc)
        return None


def _check_run_config(out: Path, config: dict[str, Any]) -> None:
    path = out / RUN
    if path.exists():
        previous = json.loads(path.read_text(encoding="utf-8"))
        for key in ("k", "questions_file", "store"):
            if key in previous and key in config and previous[key] != config[key]:
                raise RunMismatchError(
                    f"{out} holds a run made with {key}={previous[key]!r}, not {config[key]!r}; "
                    f"rerun with the same {key} to resume it, or use another --out directory")
    path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _keep_answered(path: Path) -> dict[str, QuestionRecord]:
    """Records answered without error in an earlier run; the file is rewritten to hold only them."""
    done = {r.id: r for r in read_records(path) if r.error is None and r.scores is not None}
    if path.exists():
        _atomic_write(path, "".join(dumps(r) + "\n" for r in done.values()))
    return done


def _atomic_write(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def write_outputs(out: Path, records: tuple[QuestionRecord, ...] | list[QuestionRecord], metrics: dict[str, Any]) -> None:
    """``metrics.json``, ``answers.csv`` and ``report.html`` from the records of a run."""
    _atomic_write(out / METRICS, json.dumps(metrics, indent=2, ensure_ascii=False) + "\n")
    _atomic_write(out / ANSWERS_CSV, answers_csv(records))
    _atomic_write(out / REPORT, render_report(metrics, records, title=f"Evaluation: {out.name}"))


_CSV_COLUMNS = ("id", "type", "question", "outcome", "answer", "refused", "citations", "acceptable_answers",
                "references", "hit", "recall", "reciprocal_rank", "span_recall", "span_precision", "span_iou",
                "contains_answer", "token_f1", "citation_recall", "citations_valid", "citations_supported",
                "retrieve_ms", "answer_ms", "total_ms", "top_source", "error")


def _cell(value: Any) -> Any:
    """Spreadsheet-safe text: a leading = + - @ would be read as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def answers_csv(records: tuple[QuestionRecord, ...] | list[QuestionRecord]) -> str:
    """One row per question for spreadsheet users (UTF-8 with BOM so Excel reads it as such)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_CSV_COLUMNS)
    for r in records:
        s, t = r.scores, r.latency_ms
        row = {
            "id": r.id, "type": r.type, "question": r.question, "outcome": r.outcome, "answer": r.answer,
            "refused": r.refused if r.error is None else "",
            "citations": "\n".join(f"[{c.marker}] {c.source} {c.start}-{c.end}: {c.quote}" for c in r.citations),
            "acceptable_answers": " | ".join(r.acceptable_answers),
            "references": "\n".join(f"{ref.source} {ref.start}-{ref.end}: {ref.text}" if ref.start is not None
                                    else f"{ref.source}: {ref.text}" for ref in r.references),
            "retrieve_ms": t.retrieve if t else "", "answer_ms": t.answer if t else "", "total_ms": t.total if t else "",
            "top_source": r.retrieved[0].source if r.retrieved else "", "error": r.error or "",
        }
        for name in ("hit", "recall", "reciprocal_rank", "span_recall", "span_precision", "span_iou",
                     "contains_answer", "token_f1", "citation_recall", "citations_valid", "citations_supported"):
            value = getattr(s, name) if s is not None else None
            row[name] = "" if value is None else value
        writer.writerow([_cell(row[c]) for c in _CSV_COLUMNS])
    return "\ufeff" + buffer.getvalue()
