"""The command line end to end: ingest the sample briefs, evaluate, resume. Loads the real model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.__main__ import main as evaluation_main
from evaluation.records import read_records
from ingest.__main__ import main as ingest_main
from settings import SAMPLE_BRIEFS

pytestmark = pytest.mark.slow

QUESTIONS = [
    {"id": "colby", "question": "Who is Elbridge Colby?", "answers": ["former Pentagon official"],
     "references": [{"source": "000_e8f8a75dd6e65921",
                     "text": "South Korean media extensively covered remarks by Elbridge Colby, a former Pentagon "
                             "official in the Trump administration"}]},
    {"id": "cheonan", "question": "How many South Korean naval personnel died on the Cheonan?",
     "answers": ["Forty-six"],
     "references": [{"source": "001_e4801710110b8048.txt",
                     "text": "Forty-six South Korean naval personnel on the Cheonan ship"}]},
    {"id": "brazil", "question": "What is the population of Brazil's largest city?", "unanswerable": True},
    {"id": "colby-advice", "question": "What did he advise South Korea to do?",
     "history": [{"question": "Who is Elbridge Colby?", "answer": "A former Pentagon official."}],
     "answers": ["defend against North Korea alone"]},
]


def test_ingest_evaluate_and_resume(tmp_path: Path, capsys):
    store = tmp_path / "store"
    assert ingest_main([str(SAMPLE_BRIEFS), "--store", str(store)]) == 0
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(json.dumps(q) for q in QUESTIONS) + "\n", encoding="utf-8")
    out = tmp_path / "run"

    assert evaluation_main([str(questions), "--out", str(out), "--store", str(store), "--limit", "3"]) == 0
    first = {r.id: r for r in read_records(out / "answers.jsonl")}
    assert list(first) == ["colby", "cheonan", "brazil"]
    assert {p.name for p in out.iterdir()} >= {"answers.jsonl", "answers.csv", "metrics.json", "report.html"}
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["run"]["questions"] == 3 and metrics["run"]["failed"] == 0
    assert metrics["retrieval"]["questions"] == 2 and metrics["retrieval"]["unlocated_references"] == 0
    assert metrics["citations"]["validity"] == 1.0  # extractive quotes are document slices
    assert first["colby"].scores.hit == 1.0 and first["colby"].references[0].located
    assert all(r.latency_ms.total >= r.latency_ms.retrieve > 0 for r in first.values())
    assert "hit rate" in capsys.readouterr().out

    assert evaluation_main([str(questions), "--out", str(out), "--store", str(store), "--workers", "2"]) == 0
    second = {r.id: r for r in read_records(out / "answers.jsonl")}
    assert list(second) == ["colby", "cheonan", "brazil", "colby-advice"]
    assert all(second[i] == first[i] for i in first)  # resumed, not asked again
    assert "1 asked, 3 resumed" in capsys.readouterr().out
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 5 and "Elbridge Colby" in html
