"""Small inline SVG charts for the self-contained report.

Drawn by hand because matplotlib is not installed and the report must open offline with no
script or external file; every label goes through ``html.escape``.
"""

from __future__ import annotations

from html import escape
from typing import Sequence

from evaluation.metrics import percentile

PALETTE = ("#3b6ea8", "#e07b39", "#4a9a5b", "#b5485d", "#7d5ba6", "#8c7a4b", "#2f9c9c")
_FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
            + "".join(body) + "</svg>")


def _y_axis(x0: int, y0: int, height: int, width: int, ticks: Sequence[float], top: float, fmt=_fmt) -> list[str]:
    parts = []
    for tick in ticks:
        y = y0 - height * (tick / top if top else 0)
        parts.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + width}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end" {_FONT}>{escape(fmt(tick))}</text>')
    return parts


def line_chart(points: dict[int, float], *, title: str, x_label: str, y_label: str,
               width: int = 420, height: int = 240) -> str:
    """Values in 0..1 against integer x (hit rate by k), as a polyline with labelled points."""
    if not points:
        return "<p>No data.</p>"
    left, right, top, bottom = 48, 20, 36, 36  # room above the plot for the labels of points near 100%
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = sorted(points)
    span = max(xs[-1] - xs[0], 1)

    def place(x: int, y: float) -> tuple[float, float]:
        return left + plot_w * (x - xs[0]) / span, top + plot_h * (1 - y)

    body = [f'<text x="{width / 2}" y="14" text-anchor="middle" {_FONT} font-weight="bold">{escape(title)}</text>']
    body += _y_axis(left, top + plot_h, plot_h, plot_w, [0, 0.25, 0.5, 0.75, 1.0], 1.0,
                    fmt=lambda t: f"{t:.0%}")
    coords = [place(x, points[x]) for x in xs]
    body.append('<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(
        PALETTE[0], " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)))
    for x, (cx, cy) in zip(xs, coords):
        body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{PALETTE[0]}"/>')
        body.append(f'<text x="{cx:.1f}" y="{cy - 7:.1f}" text-anchor="middle" {_FONT}>{points[x]:.0%}</text>')
        body.append(f'<text x="{cx:.1f}" y="{top + plot_h + 15}" text-anchor="middle" {_FONT}>{x}</text>')
    body.append(f'<text x="{left + plot_w / 2}" y="{height - 4}" text-anchor="middle" {_FONT}>{escape(x_label)}</text>')
    body.append(f'<text x="12" y="{top + plot_h / 2}" text-anchor="middle" {_FONT} '
                f'transform="rotate(-90 12 {top + plot_h / 2})">{escape(y_label)}</text>')
    return _svg(width, height, body, title)


def histogram(values: Sequence[float], *, title: str, x_label: str, bins: int = 20,
              marks: dict[str, float] | None = None, width: int = 420, height: int = 200) -> str:
    """Counts of ``values`` in equal-width bins, with vertical lines at ``marks`` (e.g. p50, p95).

    A few far outliers (a first question that warms caches) would squash the rest into one bin,
    so values above 1.5 x the 99th percentile share the last bin, labelled with a "+".
    """
    if not values:
        return "<p>No data.</p>"
    left, right, top, bottom = 40, 24, 24, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high = min(values), max(values)
    cap = percentile(values, 99) or high
    clipped = high > 1.5 * cap and cap > low
    if clipped:
        high = cap
    step = (high - low) / bins if high > low else 1.0
    counts = [0] * bins
    for value in values:
        counts[max(0, min(int((value - low) / step), bins - 1))] += 1
    peak = max(counts)
    body = [f'<text x="{width / 2}" y="14" text-anchor="middle" {_FONT} font-weight="bold">{escape(title)}</text>']
    body += _y_axis(left, top + plot_h, plot_h, plot_w, sorted({0, peak // 2, peak}), peak)
    bar_w = plot_w / bins
    for i, count in enumerate(counts):
        h = plot_h * count / peak
        body.append(f'<rect x="{left + i * bar_w + 1:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 2:.1f}" '
                    f'height="{h:.1f}" fill="{PALETTE[0]}"><title>{_fmt(low + i * step)}–{_fmt(low + (i + 1) * step)}: '
                    f'{count}</title></rect>')
    for i, (name, value) in enumerate((marks or {}).items()):
        x = left + plot_w * (min(1.0, (value - low) / (high - low)) if high > low else 0.5)
        colour = PALETTE[1 + i % (len(PALETTE) - 1)]
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="{colour}" '
                    f'stroke-dasharray="4 3"/>')
        body.append(f'<text x="{x + 3:.1f}" y="{top + 10 + 12 * i}" {_FONT} fill="{colour}">'
                    f'{escape(name)} {_fmt(value)}</text>')
    for value, anchor in ((low, "start"), ((low + high) / 2, "middle"), (high, "end")):
        x = left + plot_w * ((value - low) / (high - low) if high > low else 0.5)
        label = _fmt(value) + ("+" if clipped and value == high else "")
        body.append(f'<text x="{x:.1f}" y="{top + plot_h + 15}" text-anchor="{anchor}" {_FONT}>{label}</text>')
    body.append(f'<text x="{left + plot_w / 2}" y="{height - 4}" text-anchor="middle" {_FONT}>{escape(x_label)}</text>')
    return _svg(width, height, body, title)


def grouped_bars(groups: dict[str, dict[str, float | None]], *, title: str, width: int = 640) -> str:
    """Horizontal bars in 0..1: one block per group (question type), one bar per metric."""
    metrics = [m for m in dict.fromkeys(name for values in groups.values() for name in values)
               if any(values.get(m) is not None for values in groups.values())]
    if not groups or not metrics:
        return "<p>No data.</p>"
    label_w, right, top, bar_h, gap = 150, 60, 40, 12, 10
    width = max(width, label_w + 110 * len(metrics) + 10)
    block_h = bar_h * len(metrics) + gap
    height = top + block_h * len(groups) + 10
    plot_w = width - label_w - right
    body = [f'<text x="{width / 2}" y="14" text-anchor="middle" {_FONT} font-weight="bold">{escape(title)}</text>']
    for i, metric in enumerate(metrics):
        x = label_w + i * 110
        body.append(f'<rect x="{x}" y="22" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
                    f'<text x="{x + 14}" y="31" {_FONT}>{escape(metric)}</text>')
    for g, (name, values) in enumerate(groups.items()):
        y0 = top + g * block_h
        body.append(f'<text x="{label_w - 6}" y="{y0 + block_h / 2}" text-anchor="end" {_FONT}>{escape(name)}</text>')
        for i, metric in enumerate(metrics):
            value = values.get(metric)
            y = y0 + i * bar_h
            if value is None:
                continue
            w = plot_w * max(0.0, min(1.0, value))
            body.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" '
                        f'fill="{PALETTE[i % len(PALETTE)]}"><title>{escape(name)} {escape(metric)}: '
                        f'{value:.1%}</title></rect>')
            body.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 3}" {_FONT}>{value:.0%}</text>')
    return _svg(width, height, body, title)
