"""The evaluation page: upload a question file, run it, read the metrics, download, compare.

``app.py`` calls ``render_evaluation_page(target_factory, runs_dir=...)`` from its navigation.
``target_factory`` builds the ``evaluation.runner.EvaluationTarget`` to ask (the app's
shared store and retriever, see ``evaluation.assistant.evaluation_target``); it is called only when a
run starts, in the run's worker thread (``evaluation.background``): a run outlives the script run
that started it, so clicks and page changes do not stop it, and the page polls its progress. Each
run gets its own folder under ``runs_dir``. Text from question files, answers and briefs is shown
only through tables and ``st.text``, never as Markdown.
"""

from __future__ import annotations

import io
import re
import shutil
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any, Callable

import streamlit as st

from evaluation import background
from evaluation.compare import compare_runs
from evaluation.labels import label, why_missing
from evaluation.questions import SUFFIXES
from evaluation.records import QuestionRecord
from evaluation.report import order_failures_first
from evaluation.runner import METRICS, EvaluationTarget
from ui.render import md_text

LAST_RUN = "evaluation.last_run"  # the run folder shown (the session's last finished run, or one opened)
ACTIVE_RUN = "evaluation.active_run"  # the folder of the session's latest run started, running or finished
OWNER = "evaluation.owner"  # this session's token in evaluation.background (one run at a time per session)
_SAFE = re.compile(r"[^A-Za-z0-9_-]+")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def run_name(original: str, *, now: float | None = None) -> str:
    """A folder name for a run: the time, then the uploaded file's stem made safe."""
    stem = _SAFE.sub("-", Path(original).stem).strip("-")[:40] or "questions"
    return time.strftime("%Y%m%d-%H%M%S", time.localtime(now)) + f"-{stem}"


def finished_runs(runs_dir: Path) -> list[Path]:
    """Run folders holding a ``metrics.json``, newest first."""
    if not runs_dir.is_dir():
        return []
    return sorted((p for p in runs_dir.iterdir() if (p / METRICS).is_file()), key=lambda p: p.name, reverse=True)


def zip_run(run_dir: Path) -> bytes:
    """The run folder as a zip archive, files under the folder's name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(run_dir.rglob("*")):
            if path.is_file() and not path.name.endswith(".partial"):
                archive.write(path, f"{run_dir.name}/{path.relative_to(run_dir).as_posix()}")
    return buffer.getvalue()


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


_HEADLINE = ("retrieval.hit_rate", "retrieval.mrr", "answers.contains_answer", "answers.token_f1",
             "citations.validity", "refusal.accuracy")
_TABLE = ("retrieval.recall", "retrieval.span.recall", "retrieval.span.precision", "retrieval.span.iou",
          "citations.support_rate", "citations.sentence_coverage", "citations.recall", "refusal.false_refusal_rate",
          "faithfulness.score")
_SHORT = {"retrieval.hit_rate": "Hit rate at {k}", "retrieval.mrr": "MRR", "answers.contains_answer": "Contains answer",
          "answers.token_f1": "Token F1", "citations.validity": "Citations exact",
          "refusal.accuracy": "Refusal accuracy"}


def _value(metrics: dict[str, Any], name: str) -> Any:
    value: Any = metrics
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _headline(metrics: dict[str, Any]) -> None:
    k = metrics["retrieval"]["k"]
    cols = st.columns(len(_HEADLINE))
    missing: list[tuple[str, str]] = []
    for col, name in zip(cols, _HEADLINE):
        value = _value(metrics, name)
        short = _SHORT[name].format(k=k)
        reason = why_missing(name, metrics) if value is None else None
        col.metric(short, _pct(value), help=f"{label(name)}: not computed — {reason}." if reason else label(name))
        if reason:
            missing.append((short, reason))
    for short, reason in missing:
        st.caption(f":material/info: **{short}** not computed: {reason}.")
    rows = []
    for name in _TABLE:
        value = _value(metrics, name)
        rows.append({"metric": label(name), "value": _pct(value),
                     "why not computed": why_missing(name, metrics) if value is None else ""})
    for stage, figures in metrics["latency_ms"].items():
        for stat in ("p50", "p95"):
            name = f"latency_ms.{stage}.{stat}"
            value = figures.get(stat)
            rows.append({"metric": label(name), "value": "–" if value is None else f"{value:,.0f} ms",
                         "why not computed": why_missing(name, metrics) if value is None else ""})
    st.dataframe(rows, hide_index=True, width="stretch")


def _plots(metrics: dict[str, Any], records: list[QuestionRecord]) -> None:
    left, middle, right = st.columns(3)
    by_k = metrics["retrieval"]["hit_rate_by_k"]
    with left:
        st.caption("Hit rate by k")
        if by_k:
            st.line_chart({"hit rate": {int(k): v for k, v in by_k.items()}}, x_label="k", y_label="hit rate")
        else:
            st.info(f"No chart: hit rate {why_missing('retrieval.hit_rate_by_k', metrics)}.", icon=":material/info:")
    with middle:
        st.caption("Time per question (ms)")
        timed = [r.latency_ms for r in records if r.error is None and r.latency_ms is not None]
        if timed:
            st.bar_chart({stage: [getattr(t, stage) for t in timed] for stage in ("retrieve", "answer")},
                         x_label="question", y_label="ms", stack=True)
        else:
            st.info("No chart: no question was answered.", icon=":material/info:")
    with right:
        st.caption("Metrics per question type")
        by_type = metrics["by_type"]
        names = {"hit_rate": "hit rate", "contains_answer": "contains answer", "token_f1": "token F1",
                 "ok": "outcome ok"}
        table = {name: {names[m]: t[m] for m in names if t[m] is not None} for name, t in by_type.items()}
        if any(table.values()):
            st.bar_chart(table, stack=False, horizontal=True)
        else:
            st.info("No chart: no metric could be computed for any question type.", icon=":material/info:")


def _questions_table(records: list[QuestionRecord]) -> None:
    rows = []
    for r in order_failures_first(records):
        s = r.scores
        rows.append({
            "outcome": r.outcome, "id": r.id, "type": r.type, "question": r.question,
            "answer": r.error if r.error is not None else r.answer,
            "citations": " ".join(f"[{c.marker}] {c.source}" for c in r.citations),
            "references": " | ".join(f"{ref.source}: {ref.text[:160]}" for ref in r.references),
            "hit": None if s is None else s.hit, "F1": None if s is None else s.token_f1,
        })
    st.dataframe(rows, hide_index=True, width="stretch")


def _show_run(run_dir: Path) -> None:
    from evaluation.compare import load_run

    metrics, records = load_run(run_dir)
    st.subheader(f"Run {run_dir.name}")
    st.caption(f"{metrics['run']['questions']} questions, {metrics['run']['failed']} failed · "
               + " · ".join(f"{k} {v}" for k, v in metrics["outcomes"].items() if v))
    _headline(metrics)
    _plots(metrics, records)
    _questions_table(records)
    st.download_button("Download the run (zip)", data=zip_run(run_dir), file_name=f"{run_dir.name}.zip",
                       mime="application/zip", key="evaluation.download")


def _compare(run_dir: Path, runs_dir: Path) -> None:
    earlier = [p for p in finished_runs(runs_dir) if p != run_dir]
    if not earlier:
        return
    st.subheader("Compare with an earlier run")
    other = st.selectbox("Earlier run", earlier, format_func=lambda p: p.name, key="evaluation.compare_with")
    if other is None:
        return
    comparison = compare_runs(other, run_dir)
    if not comparison.same_questions:
        if comparison.common == 0:
            st.warning("These runs share no question (different question files): there is nothing to compare.",
                       icon=":material/warning:")
            return
        st.warning(f"These runs asked different questions: {comparison.only_a} only in the earlier run, "
                   f"{comparison.only_b} only in this one. The figures below are recomputed over the "
                   f"{comparison.common} question{'s' if comparison.common != 1 else ''} both asked, and only those are listed.", icon=":material/warning:")
    changed = [m for m in comparison.metrics if m.before != m.after]  # a figure that became "–" changed too
    if not changed:
        st.text("No metric changed.")
    else:
        st.dataframe([{"metric": label(m.name), "earlier": _shown(m.name, m.before), "this run": _shown(m.name, m.after),
                       "change": _change(m.name, m.delta), "better": {True: "better", False: "worse", None: ""}[m.better]}
                      for m in changed], hide_index=True, width="stretch")
    st.text(f"{len(comparison.changes)} questions changed outcome")
    if comparison.changes:
        st.dataframe([{"id": c.id, "question": c.question, "earlier": c.before, "this run": c.after,
                       "better": c.better} for c in comparison.changes], hide_index=True, width="stretch")


def _shown(name: str, value: float | None) -> str:
    if value is None:
        return "–"
    if name.startswith("latency_ms."):
        return f"{value:,.0f} ms"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,d}"
    return f"{value:.1%}"


def _change(name: str, delta: float | None) -> str:
    if delta is None:
        return "–"
    if name.startswith("latency_ms."):
        return f"{delta:+,.0f} ms"
    if float(delta).is_integer() and abs(delta) >= 1:
        return f"{delta:+,.0f}"
    return f"{100 * delta:+.1f} points"


def _start_run(upload: Any, target_factory: Callable[[], EvaluationTarget], runs_dir: Path, *, k: int,
               limit: int | None, workers: int) -> Path | None:
    """Start a run of the uploaded file in the background (``evaluation.background``); its folder, or None."""
    if upload.size > MAX_UPLOAD_BYTES:
        st.error(f"{upload.name} is {upload.size / 1e6:.1f} MB; question files are limited to "
                 f"{MAX_UPLOAD_BYTES / 1e6:.0f} MB")
        return None
    owner = st.session_state.setdefault(OWNER, uuid.uuid4().hex)
    suffix = Path(upload.name).suffix.lower()
    runs_dir.mkdir(parents=True, exist_ok=True)
    name = run_name(upload.name)
    run_dir, n = runs_dir / name, 2
    while run_dir.exists():
        run_dir, n = runs_dir / f"{name}-{n}", n + 1
    run_dir.mkdir()
    questions_path = run_dir / f"questions{suffix}"
    questions_path.write_bytes(upload.getvalue())
    try:
        background.start(run_dir, owner=owner, label=upload.name, questions_file=questions_path,
                         target_factory=target_factory, k=k, limit=limit, workers=workers)
    except background.RunInProgressError as exc:
        shutil.rmtree(run_dir, ignore_errors=True)
        st.warning(f"A run is in progress ({md_text(exc.running.label)}); wait until it is done to start another.",
                   icon=":material/hourglass_top:")
        return None
    return run_dir


@st.fragment(run_every=1.0)
def _progress(run_dir: str) -> None:
    """The running run's progress, polled every second; the whole page reruns once the run has finished."""
    run = background.status(run_dir)
    if run is None or not run.running:
        st.rerun()
    assert run is not None
    if run.total is None:
        st.progress(0.0, text="Starting…")
        return
    left = run.seconds_left()
    eta = f", about {left:.0f} s left" if left is not None else ""
    st.progress(run.done / run.total if run.total else 1.0, text=f"{run.done} of {run.total} questions{eta}")


def _finished(run: background.RunStatus) -> None:
    """The final line of a finished run, or why it failed; a run that succeeded becomes the shown run."""
    if run.error is not None:
        st.error(md_text(run.error))
        return
    st.progress(1.0, text=f"Done: {run.questions} questions of {md_text(run.label)} in {run.elapsed():.0f} s")
    if run.unreadable:
        st.warning(f"{run.unreadable} rows could not be read; they are listed as failed.")
    st.session_state[LAST_RUN] = str(run.run_dir)


def render_evaluation_page(target_factory: Callable[[], EvaluationTarget], *, runs_dir: Path,
                           default_k: int = 5) -> None:
    """The whole page; ``runs_dir`` holds one folder per run (e.g. ``<data dir>/evaluations``)."""
    st.header("Evaluation")
    st.caption("Upload questions (JSONL or CSV: question, id, answers, references, history, unanswerable) to see "
               "how well the assistant answers them.")
    upload = st.file_uploader("Question file", type=[s.lstrip(".") for s in SUFFIXES], key="evaluation.upload")
    if upload is not None:
        # Written by the server, so it names the file that "Run evaluation" will run. Just after another
        # file is picked the browser still holds the previous one (until the server answers the upload
        # request), and a click in that moment runs the previous file again.
        st.caption(f"Ready to run: {md_text(upload.name)} ({upload.size / 1024:,.1f} KB)")
    cols = st.columns(3)
    k = int(cols[0].number_input("Passages per question (k)", min_value=1, max_value=50, value=default_k,
                                 key="evaluation.k"))
    limit = int(cols[1].number_input("Only the first N rows (0 = all)", min_value=0, value=0, key="evaluation.limit"))
    workers = int(cols[2].number_input("Parallel questions", min_value=1, max_value=8, value=1, key="evaluation.workers"))
    if st.button("Run evaluation", disabled=upload is None, type="primary", key="evaluation.run"):
        run_dir = _start_run(upload, target_factory, runs_dir, k=k, limit=limit or None, workers=workers)
        if run_dir is not None:
            st.session_state[ACTIVE_RUN] = str(run_dir)
    active = st.session_state.get(ACTIVE_RUN)
    run = background.status(active) if active is not None else None
    if run is not None and run.running:
        _progress(str(run.run_dir))
        return
    if run is not None:
        _finished(run)
    runs = finished_runs(runs_dir)
    current = st.session_state.get(LAST_RUN)
    if current is None and runs:
        choice = st.selectbox("Or open an earlier run", [None, *runs], format_func=lambda p: p.name if p else "—",
                              key="evaluation.open")
        current = str(choice) if choice else None
    if current is None:
        return
    run_dir = Path(current)
    _show_run(run_dir)
    _compare(run_dir, runs_dir)
