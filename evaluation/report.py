"""``report.html``: one self-contained page (inline CSS and SVG, no script, no external URL).

Headline metrics, three plots (hit rate by k, latency distribution, metrics per question type)
and a per-question table, failures first, with each answer's citations beside the reference
passages. Every piece of text from questions, answers and documents is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any, Sequence

from evaluation.plots import grouped_bars, histogram, line_chart
from evaluation.records import OUTCOMES, QuestionRecord

_CSS = """
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222;max-width:1400px}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums}
.plots{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
.outcome{font-weight:bold;white-space:nowrap}.bad{color:#a12}.good{color:#286d2f}
.quote{background:#fff7d6}.ref{background:#e8f1fb}.muted{color:#777;font-size:.9em}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:.8rem}
ul{margin:.2rem 0;padding-left:1.2rem}details summary{cursor:pointer;color:#345}
"""

_METRIC_ROWS = (
    ("Retrieval", "retrieval", (("hit rate at k", "hit_rate"), ("recall at k", "recall"), ("MRR", "mrr"))),
    ("Benchmark spans (top k)", "retrieval.span", (("recall", "recall"), ("precision", "precision"), ("IoU", "iou"))),
    ("Answers", "answers", (("contains an acceptable answer", "contains_answer"), ("token F1", "token_f1"))),
    ("Citations", "citations", (("validity", "validity"), ("support rate", "support_rate"),
                                ("sentences with a citation", "sentence_coverage"), ("citation recall", "recall"))),
    ("Refusal", "refusal", (("accuracy on unanswerable", "accuracy"), ("false refusals on answerable", "false_refusal_rate"))),
    ("LLM-judged", "faithfulness", (("faithfulness", "score"),)),
)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} ms"


def _section(metrics: dict[str, Any], path: str) -> dict[str, Any]:
    for key in path.split("."):
        metrics = metrics.get(key, {})
    return metrics


def _metrics_table(metrics: dict[str, Any]) -> str:
    rows = []
    for group, path, items in _METRIC_ROWS:
        section = _section(metrics, path)
        for label, key in items:
            rows.append(f"<tr><td>{escape(group)}</td><td>{escape(label)}</td>"
                        f'<td class="num">{_pct(section.get(key))}</td></tr>')
    latency = metrics.get("latency_ms", {})
    for stage in ("retrieve", "answer", "total"):
        figures = latency.get(stage, {})
        rows.append(f"<tr><td>Latency</td><td>{stage} p50 / p95</td>"
                    f'<td class="num">{_ms(figures.get("p50"))} / {_ms(figures.get("p95"))}</td></tr>')
    return "<table><tr><th>group</th><th>metric</th><th>value</th></tr>" + "".join(rows) + "</table>"


def _plots(metrics: dict[str, Any], records: Sequence[QuestionRecord]) -> str:
    retrieval = metrics.get("retrieval", {})
    by_k = {int(k): v for k, v in retrieval.get("hit_rate_by_k", {}).items()}
    charts = [line_chart(by_k, title="Hit rate by k", x_label="k (passages retrieved)", y_label="hit rate")]
    timed = [r.latency_ms for r in records if r.error is None and r.latency_ms is not None]
    latency = metrics.get("latency_ms", {})
    for stage in ("retrieve", "answer", "total"):
        marks = {name: latency.get(stage, {}).get(name) for name in ("p50", "p95")}
        charts.append(histogram([getattr(t, stage) for t in timed], title=f"Latency: {stage}", x_label="ms",
                                marks={k: v for k, v in marks.items() if v is not None}))
    per_type = {name: {"hit rate": t.get("hit_rate"), "recall": t.get("recall"), "span recall": t.get("span_recall"),
                       "contains answer": t.get("contains_answer"), "token F1": t.get("token_f1"),
                       "refusal accuracy": t.get("refusal_accuracy"), "ok": t.get("ok")}
                for name, t in metrics.get("by_type", {}).items()}
    charts.append(grouped_bars(per_type, title="Metrics per question type"))
    return '<div class="plots">' + "".join(f"<div>{c}</div>" for c in charts) + "</div>"


def _citations_cell(record: QuestionRecord) -> str:
    if not record.citations:
        return '<span class="muted">no citations</span>'
    items = []
    for c in record.citations:
        flags = ("valid" if c.valid else '<span class="bad">invalid quote</span>') + ", " + (
            "supported" if c.supported else '<span class="bad">unsupported</span>')
        support = "" if c.support is None else f" ({c.support:.2f})"
        items.append(f"<li>[{escape(c.marker)}] <b>{escape(c.title or c.source)}</b> "
                     f'<span class="muted">{escape(c.source)} {c.start}–{c.end}; {flags}{support}</span><br>'
                     f'<span class="quote">{escape(c.quote)}</span></li>')
    return "<ul>" + "".join(items) + "</ul>"


def _references_cell(record: QuestionRecord) -> str:
    if record.unanswerable:
        return '<span class="muted">unanswerable: the briefs do not answer it</span>'
    parts = []
    if record.acceptable_answers:
        parts.append("<div><b>acceptable:</b> " + " | ".join(escape(a) for a in record.acceptable_answers) + "</div>")
    if record.references:
        items = []
        for ref in record.references:
            where = f"{ref.start}–{ref.end}" if ref.start is not None else ""
            status = "" if ref.located else ' <span class="bad">(not found in the store)</span>'
            items.append(f'<li><span class="muted">{escape(ref.source)} {where}</span>{status}<br>'
                         f'<span class="ref">{escape(ref.text)}</span></li>')
        parts.append("<ul>" + "".join(items) + "</ul>")
    return "".join(parts) or '<span class="muted">no references</span>'


def _retrieved_cell(record: QuestionRecord) -> str:
    if not record.retrieved:
        return ""
    rank = record.scores.first_relevant_rank if record.scores else None
    items = "".join(
        f"<li>{'<b>' if h.rank == rank else ''}#{h.rank} {escape(h.source)} {h.start}–{h.end} "
        f"score {h.score:.3f}{'</b>' if h.rank == rank else ''}<br>{escape(h.text)}</li>"
        for h in record.retrieved)
    label = f"retrieved {len(record.retrieved)} passages" + (f"; first relevant at rank {rank}" if rank else "")
    return f"<details><summary>{escape(label)}</summary><ol>{items}</ol></details>"


def _question_row(record: QuestionRecord) -> str:
    outcome = record.outcome
    css = "good" if outcome == "ok" else "bad"
    s = record.scores
    figures = []
    if s is not None:
        for label, value in (("hit", s.hit), ("recall", s.recall), ("F1", s.token_f1), ("span IoU", s.span_iou)):
            if value is not None:
                figures.append(f"{label} {value:.2f}")
    if record.latency_ms is not None:
        figures.append(f"{record.latency_ms.total:,.0f} ms")
    answer = (f'<div class="bad">{escape(record.error)}</div>' if record.error is not None
              else f"<div>{'<i>refused:</i> ' if record.refused else ''}{escape(record.answer)}</div>")
    return (f'<tr id="q-{escape(record.id)}"><td><span class="outcome {css}">{escape(outcome)}</span><br>'
            f'<span class="muted">{escape(record.id)}<br>{escape(record.type)}<br>{escape(", ".join(figures))}</span></td>'
            f"<td><b>{escape(record.question)}</b>{answer}{_retrieved_cell(record)}</td>"
            f'<td><div class="cols"><div><div class="muted">citations</div>{_citations_cell(record)}</div>'
            f'<div><div class="muted">references</div>{_references_cell(record)}</div></div></td></tr>')


def order_failures_first(records: Sequence[QuestionRecord]) -> list[QuestionRecord]:
    """Records ordered by outcome (worst first, as in ``OUTCOMES``), then by line in the question file."""
    return sorted(records, key=lambda r: (OUTCOMES.index(r.outcome), r.line, r.id))


def render_report(metrics: dict[str, Any], records: Sequence[QuestionRecord], *, title: str = "Evaluation run") -> str:
    """The whole HTML page as a string."""
    run = metrics.get("run", {})
    config = ", ".join(f"{escape(str(k))}: {escape(str(v))}" for k, v in run.items())
    outcomes = " · ".join(f"{escape(name)} {count}" for name, count in metrics.get("outcomes", {}).items() if count)
    rows = "".join(_question_row(r) for r in order_failures_first(records))
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1><p class=\"muted\">{config}</p><p>{outcomes}</p>"
        f"<h2>Metrics</h2>{_metrics_table(metrics)}"
        f"<h2>Plots</h2>{_plots(metrics, records)}"
        f"<h2>Questions ({len(records)}), failures first</h2>"
        "<table><tr><th>outcome</th><th>question, answer, retrieved passages</th>"
        "<th>citations beside the reference passages</th></tr>"
        f"{rows}</table></body></html>"
    )
