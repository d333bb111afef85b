"""Compare two run directories: metric deltas and the questions whose outcome changed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluation.records import OUTCOMES, QuestionRecord, read_records
from evaluation.summary import summarize

# The sections of metrics.json whose numbers are compared (by_type is left to the report).
_SECTIONS = ("retrieval", "answers", "citations", "refusal", "latency_ms", "faithfulness")
# Figures where a smaller value is the better one.
_LOWER_IS_BETTER = ("false_refusal_rate", "latency_ms.", "unlocated_references")
# Counts, which are neither better nor worse.
_COUNTS = (".questions", ".citations", ".sentences", ".k", ".unanswerable", ".answerable", ".recall_questions")


@dataclass(frozen=True)
class MetricDelta:
    name: str  # dotted path in metrics.json, e.g. "retrieval.hit_rate"
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before

    @property
    def better(self) -> bool | None:
        """Whether the change is an improvement (None when unchanged or not comparable)."""
        if not self.delta or self.name.endswith(_COUNTS):
            return None
        lower = any(self.name.startswith(p) or self.name.endswith(p) for p in _LOWER_IS_BETTER)
        return (self.delta < 0) if lower else (self.delta > 0)


@dataclass(frozen=True)
class OutcomeChange:
    id: str
    question: str
    before: str  # an outcome, or "absent"
    after: str

    @property
    def better(self) -> bool | None:
        rank = {name: i for i, name in enumerate(OUTCOMES)}
        if self.before == "absent" or self.after == "absent":
            return None
        return rank[self.after] > rank[self.before]


@dataclass(frozen=True)
class Comparison:
    run_a: Path
    run_b: Path
    metrics: tuple[MetricDelta, ...]
    changes: tuple[OutcomeChange, ...]
    common: int = 0  # questions asked in both runs (same id and text)
    only_a: int = 0  # questions only run A asked
    only_b: int = 0

    @property
    def same_questions(self) -> bool:
        """Whether both runs asked the same questions; if not, ``metrics`` cover the common ones only."""
        return not self.only_a and not self.only_b


class RunDirectoryError(ValueError):
    """A folder that is not a finished evaluation run."""


def load_run(directory: str | Path) -> tuple[dict[str, Any], list[QuestionRecord]]:
    """``metrics.json`` and the records of ``answers.jsonl`` of a run directory."""
    directory = Path(directory)
    metrics_path = directory / "metrics.json"
    if not metrics_path.is_file():
        raise RunDirectoryError(f"{directory} is not an evaluation run: {metrics_path.name} is missing")
    try:
        metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RunDirectoryError(f"{metrics_path} is not valid JSON: {exc}") from exc
    return metrics, list(read_records(directory / "answers.jsonl"))


def _numbers(data: Any, prefix: str) -> dict[str, float | None]:
    if isinstance(data, dict):
        out: dict[str, float | None] = {}
        for key, value in data.items():
            out.update(_numbers(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if data is None or (isinstance(data, (int, float)) and not isinstance(data, bool)):
        return {prefix: data}
    return {}


def _key(record: QuestionRecord) -> tuple[str, str]:
    return (record.id, " ".join(record.question.split()))


def compare_runs(run_a: str | Path, run_b: str | Path) -> Comparison:
    """Every metric of both runs with its change, and every question whose outcome differs.

    When the runs asked different questions (another question file, or a ``--limit``), both
    runs' metrics are recomputed over the questions they share (same id and text) so that the
    figures compare like with like, and only those questions are listed.
    """
    metrics_a, records_a = load_run(run_a)
    metrics_b, records_b = load_run(run_b)
    keys_a, keys_b = {_key(r) for r in records_a}, {_key(r) for r in records_b}
    common = keys_a & keys_b
    if keys_a != keys_b:
        records_a = [r for r in records_a if _key(r) in common]
        records_b = [r for r in records_b if _key(r) in common]
        metrics_a = summarize(records_a, k=int(metrics_a.get("retrieval", {}).get("k") or 0))
        metrics_b = summarize(records_b, k=int(metrics_b.get("retrieval", {}).get("k") or 0))
    numbers_a = {k: v for s in _SECTIONS for k, v in _numbers(metrics_a.get(s, {}), s).items()}
    numbers_b = {k: v for s in _SECTIONS for k, v in _numbers(metrics_b.get(s, {}), s).items()}
    names = list(dict.fromkeys([*numbers_a, *numbers_b]))
    deltas = tuple(MetricDelta(n, numbers_a.get(n), numbers_b.get(n)) for n in names)
    by_id_a = {r.id: r for r in records_a}
    by_id_b = {r.id: r for r in records_b}
    changes = []
    for qid in dict.fromkeys([*by_id_a, *by_id_b]):
        a, b = by_id_a.get(qid), by_id_b.get(qid)
        before, after = (a.outcome if a else "absent"), (b.outcome if b else "absent")
        if before != after:
            changes.append(OutcomeChange(qid, (a or b).question, before, after))  # type: ignore[union-attr]
    return Comparison(Path(run_a), Path(run_b), deltas, tuple(changes), common=len(common),
                      only_a=len(keys_a - common), only_b=len(keys_b - common))


def _value(name: str, value: float | None) -> str:
    if value is None:
        return "–"
    if name.startswith("latency_ms."):
        return f"{value:,.0f} ms"
    if isinstance(value, int) or name.endswith((*_COUNTS, "unlocated_references")):
        return f"{value:,.0f}"
    return f"{value:.1%}"


def format_comparison(comparison: Comparison, *, all_metrics: bool = False) -> str:
    """A plain-text table of the metric changes (only changed ones unless ``all_metrics``), then the questions."""
    lines = [f"A: {comparison.run_a}", f"B: {comparison.run_b}", ""]
    if not comparison.same_questions:
        lines += [f"Warning: the runs asked different questions ({comparison.only_a} only in A, {comparison.only_b} "
                  f"only in B); figures are over the {comparison.common} question{'s' if comparison.common != 1 else ''} "
                  "both asked.", ""]
    lines.append(f"{'metric':<42} {'A':>12} {'B':>12} {'B - A':>10}")
    for m in comparison.metrics:
        if not all_metrics and not m.delta:
            continue
        arrow = {True: "  better", False: "  worse", None: ""}[m.better]
        if m.delta is None:
            delta = "–"
        elif m.name.startswith("latency_ms."):
            delta = f"{m.delta:+,.0f} ms"
        elif isinstance(m.before, int) and isinstance(m.after, int):
            delta = f"{m.delta:+,d}"
        else:
            delta = f"{100 * m.delta:+.1f} pt"
        lines.append(f"{m.name:<42} {_value(m.name, m.before):>12} {_value(m.name, m.after):>12} {delta:>10}{arrow}")
    lines += ["", f"{len(comparison.changes)} questions changed outcome"]
    for change in comparison.changes:
        mark = {True: "+", False: "-", None: " "}[change.better]
        lines.append(f"{mark} {change.id}: {change.before} -> {change.after}  {change.question[:80]}")
    return "\n".join(lines)
