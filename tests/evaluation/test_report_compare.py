"""The HTML report (self-contained, escaped, failures first) and the comparison of two runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evaluation.compare import RunDirectoryError, compare_runs, format_comparison
from evaluation.plots import grouped_bars, histogram, line_chart
from evaluation.questions import load_questions
from evaluation.runner import run_evaluation
from tests.evaluation.fakes import FakeAssistant, answer, chunk, citation, corpus, hits

S1 = "Late fees fell from $32 to $8."
T1 = "Trade with Japan grew by a tenth."
ROWS = [
    {"id": "good", "question": "How much did late fees fall?", "answers": ["$8"],
     "references": [{"source": "fees", "text": S1}]},
    {"id": "evil", "question": "<script>alert(1)</script> fees?", "answers": ["$8"],
     "references": [{"source": "fees", "text": S1}]},
]


def good_answer(question: str, retrieved=None):
    return answer(question, [("Late fees fell to $8.", (1,))], citations=(citation(1, "policy/fees.md", S1),),
                  retrieved=retrieved or hits(chunk("policy/fees.md", S1)))


def run(tmp_path: Path, name: str, replies: dict, fail: frozenset[str] | set[str] = frozenset()) -> Path:
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n", encoding="utf-8")
    run_evaluation(load_questions(path), FakeAssistant(replies, fail=set(fail)), corpus(), out_dir=tmp_path / name, k=3)
    return tmp_path / name


def test_report_is_self_contained_escaped_and_lists_failures_first(tmp_path):
    q_good, q_evil = ROWS[0]["question"], ROWS[1]["question"]
    out = run(tmp_path, "run", {q_good: good_answer(q_good)}, fail={q_evil})
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # no external resource: the only URL is the SVG namespace
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) == {"http://www.w3.org/2000/svg"}
    assert html.count("<svg") == 5  # hit rate by k, three latency histograms, per-type bars
    assert html.index('id="q-evil"') < html.index('id="q-good"')  # the failure comes first
    good_row = html[html.index('id="q-good"'):]
    assert S1 in good_row and "[1]" in good_row and "acceptable:</b> $8" in good_row


def test_plots_draw_their_data():
    line = line_chart({1: 0.5, 2: 1.0}, title="Hit rate by k", x_label="k", y_label="hit rate")
    assert line.count("<circle") == 2 and ">50%<" in line and ">100%<" in line
    hist = histogram([1, 1, 2, 10], title="t", x_label="ms", bins=3, marks={"p50": 1.5})
    assert re.findall(r"<title>[^<]*: (\d+)</title></rect>", hist) == ["3", "0", "1"]
    # one far outlier shares the last bin instead of squashing the others into the first
    clipped = histogram([1.0] * 99 + [1000.0], title="t", x_label="ms", bins=2)
    assert re.findall(r"<title>[^<]*: (\d+)</title></rect>", clipped) == ["99", "1"] and "11+<" in clipped
    bars = grouped_bars({"a <b>": {"hit": 0.25, "f1": None}}, title="per type")
    assert "a &lt;b&gt;" in bars and ">25%<" in bars and "f1" not in bars


def test_compare_reports_metric_deltas_and_changed_questions(tmp_path):
    q_good, q_evil = ROWS[0]["question"], ROWS[1]["question"]
    before = run(tmp_path, "a", {q_good: good_answer(q_good),
                                 q_evil: good_answer(q_evil, hits(chunk("trade.txt", T1)))})
    after = run(tmp_path, "b", {q_good: good_answer(q_good)}, fail={q_evil})
    comparison = compare_runs(before, after)
    deltas = {m.name: m for m in comparison.metrics}
    # before: hit rate (1 + 0) / 2; after: only "good" is scored, 1 / 1
    assert (deltas["retrieval.hit_rate"].before, deltas["retrieval.hit_rate"].after) == (0.5, 1.0)
    assert deltas["retrieval.hit_rate"].delta == 0.5 and deltas["retrieval.hit_rate"].better is True
    assert deltas["retrieval.questions"].delta == -1 and deltas["retrieval.questions"].better is None  # a count
    assert [(c.id, c.before, c.after, c.better) for c in comparison.changes] == [
        ("evil", "retrieval miss", "error", False)]
    text = format_comparison(comparison)
    assert "retrieval.hit_rate" in text and "+50.0 pt  better" in text and "evil: retrieval miss -> error" in text


def test_compare_refuses_a_folder_that_is_not_a_run(tmp_path):
    with pytest.raises(RunDirectoryError, match="metrics.json is missing"):
        compare_runs(tmp_path, tmp_path)
