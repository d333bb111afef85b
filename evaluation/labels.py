"""Metric names in words, and why a metric could not be computed for a run.

``metrics.json`` keeps dotted machine names (``latency_ms.retrieve.p50``); people read
``label(name)`` ("Retrieval time, median"). A figure that is None in ``metrics.json`` was not
computable: ``why_missing(name, metrics)`` says which part of the question file or the run
it needed.
"""

from __future__ import annotations

from typing import Any

LABELS: dict[str, str] = {
    "retrieval.questions": "Questions scored for retrieval",
    "retrieval.k": "Passages per question (k)",
    "retrieval.hit_rate": "Hit rate at k",
    "retrieval.recall": "Recall at k",
    "retrieval.mrr": "Mean reciprocal rank (MRR)",
    "retrieval.span.questions": "Questions with span references",
    "retrieval.span.recall": "Span recall",
    "retrieval.span.precision": "Span precision",
    "retrieval.span.iou": "Span IoU",
    "retrieval.unlocated_references": "References not found in the briefs",
    "answers.questions": "Questions with acceptable answers",
    "answers.contains_answer": "Answer contains an acceptable answer",
    "answers.token_f1": "Token F1 with the acceptable answer",
    "citations.citations": "Citations",
    "citations.validity": "Citations quoting their brief exactly",
    "citations.support_rate": "Citations supporting their sentence",
    "citations.sentences": "Answer sentences",
    "citations.sentence_coverage": "Sentences with a citation",
    "citations.recall_questions": "Questions scored for citation recall",
    "citations.recall": "Citation recall",
    "refusal.unanswerable": "Unanswerable questions",
    "refusal.accuracy": "Refusal accuracy on unanswerable questions",
    "refusal.answerable": "Answerable questions",
    "refusal.false_refusal_rate": "False refusals on answerable questions",
    "faithfulness.questions": "Answers judged for faithfulness",
    "faithfulness.score": "Faithfulness (LLM judge)",
}
_STAGES = {"retrieve": "Retrieval time", "answer": "Answer time", "total": "Total time"}
_STATS = {"p50": "median", "p95": "95th percentile", "mean": "mean"}


def label(name: str) -> str:
    """``name`` (a dotted path in ``metrics.json``) in words; an unknown name is returned as it is."""
    if name in LABELS:
        return LABELS[name]
    parts = name.split(".")
    if len(parts) == 3 and parts[0] == "latency_ms" and parts[1] in _STAGES and parts[2] in _STATS:
        return f"{_STAGES[parts[1]]}, {_STATS[parts[2]]}"
    if len(parts) == 3 and parts[0] == "retrieval" and parts[1] == "hit_rate_by_k":
        return f"Hit rate at {parts[2]}"
    return name


def _get(metrics: dict[str, Any], path: str) -> Any:
    value: Any = metrics
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def why_missing(name: str, metrics: dict[str, Any]) -> str:
    """Why ``name`` is None in this run's ``metrics``: what the question file or the run lacks."""
    run = metrics.get("run", {})
    if run.get("questions", 0) and run.get("questions", 0) == run.get("failed", 0):
        return "every question failed, so nothing could be scored"
    section = name.split(".")[0]
    if name.startswith("retrieval.span."):
        return ("needs references given as character spans of a brief (source, start, end), as in Chroma's "
                "chunking benchmark; this file has none")
    if section == "retrieval":
        return ("needs answerable questions with references (where in the briefs the answer lies: "
                "the “references” field); this file has none")
    if section == "answers":
        return "needs answerable questions with acceptable answers (the “answers” field); this file has none"
    if name == "citations.recall":
        return "needs answerable questions with references (the “references” field); this file has none"
    if name == "citations.sentence_coverage":
        return "no answer had sentences to cite (every answer was a refusal or failed)"
    if section == "citations":
        return "no answer cited anything (every answer was a refusal or failed)"
    if name == "refusal.accuracy":
        return "needs questions marked unanswerable (“unanswerable”: true); this file has none"
    if name == "refusal.false_refusal_rate":
        return "needs answerable questions; every question in this file is marked unanswerable"
    if section == "faithfulness":
        return "computed only with the LLM judge (--judge, which needs a chat model)"
    if section == "latency_ms":
        return "no question was answered"
    return "not enough data in this run"
