"""Run-level metrics (``metrics.json``) aggregated from per-question records.

Retrieval and answer figures are means over the questions they apply to; citation validity,
support and sentence coverage are shares of all citations (sentences) in the run; refusal
figures are shares of unanswerable (answerable) questions. Failed questions are counted but
excluded from every figure. All figures are fractions in 0..1.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Sequence

from evaluation.metrics import hit_rate_by_k, mean, percentile
from evaluation.records import OUTCOMES, QuestionRecord, QuestionScores


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _scored(records: Sequence[QuestionRecord]) -> list[QuestionRecord]:
    return [r for r in records if r.error is None and r.scores is not None]


def _scores(records: Sequence[QuestionRecord]) -> list[QuestionScores]:
    return [r.scores for r in records if r.error is None and r.scores is not None]


def _present(values: Iterable[float | None]) -> list[float]:
    """The values that apply (a metric is None where it does not)."""
    return [v for v in values if v is not None]


def retrieval_summary(records: Sequence[QuestionRecord], k: int) -> dict[str, Any]:
    """Hit rate, recall and MRR at k, hit rate by k, and the benchmark span figures."""
    rows = [s for s in _scores(records) if s.hit is not None]
    spans = [s for s in rows if s.span_recall is not None]
    return {
        "questions": len(rows),
        "k": k,
        "hit_rate": mean(_present(s.hit for s in rows)),
        "recall": mean(_present(s.recall for s in rows)),
        "mrr": mean(_present(s.reciprocal_rank for s in rows)),
        "hit_rate_by_k": {str(n): v for n, v in hit_rate_by_k([s.first_relevant_rank for s in rows], k).items()},
        "span": {
            "questions": len(spans),
            "recall": mean(_present(s.span_recall for s in spans)),
            "precision": mean(_present(s.span_precision for s in spans)),
            "iou": mean(_present(s.span_iou for s in spans)),
        },
        "unlocated_references": sum(not ref.located for r in _scored(records) for ref in r.references),
    }


def answer_summary(records: Sequence[QuestionRecord]) -> dict[str, Any]:
    rows = [s for s in _scores(records) if s.contains_answer is not None]
    return {"questions": len(rows), "contains_answer": mean(_present(s.contains_answer for s in rows)),
            "token_f1": mean(_present(s.token_f1 for s in rows))}


def citation_summary(records: Sequence[QuestionRecord]) -> dict[str, Any]:
    scored = _scores(records)
    total = sum(s.citations for s in scored)
    sentences = sum(s.sentences for s in scored)
    recalls = [s.citation_recall for s in scored if s.citation_recall is not None]
    return {
        "citations": total,
        "validity": _share(sum(s.citations_valid for s in scored), total),
        "support_rate": _share(sum(s.citations_supported for s in scored), total),
        "sentences": sentences,
        "sentence_coverage": _share(sum(s.sentences_cited for s in scored), sentences),
        "recall_questions": len(recalls),
        "recall": mean(recalls),
    }


def refusal_summary(records: Sequence[QuestionRecord]) -> dict[str, Any]:
    scored = _scored(records)
    unanswerable = [r.refused for r in scored if r.unanswerable]
    answerable = [r.refused for r in scored if not r.unanswerable]
    return {"unanswerable": len(unanswerable), "accuracy": _share(sum(unanswerable), len(unanswerable)),
            "answerable": len(answerable), "false_refusal_rate": _share(sum(answerable), len(answerable))}


def latency_summary(records: Sequence[QuestionRecord]) -> dict[str, Any]:
    timed = [r.latency_ms for r in _scored(records) if r.latency_ms is not None]
    out: dict[str, Any] = {}
    for stage in ("retrieve", "answer", "total"):
        values = [getattr(t, stage) for t in timed]
        out[stage] = {"p50": percentile(values, 50), "p95": percentile(values, 95), "mean": mean(values)}
    return out


def type_summary(records: Sequence[QuestionRecord], k: int) -> dict[str, Any]:
    """The headline figures per question type."""
    groups: dict[str, list[QuestionRecord]] = {}
    for record in records:
        groups.setdefault(record.type or "(none)", []).append(record)
    out = {}
    for name in sorted(groups):
        group = groups[name]
        retrieval, answers, refusal = retrieval_summary(group, k), answer_summary(group), refusal_summary(group)
        out[name] = {
            "questions": len(group), "failed": sum(r.error is not None for r in group),
            "ok": _share(sum(r.outcome == "ok" for r in group), len(group)),
            "hit_rate": retrieval["hit_rate"], "recall": retrieval["recall"], "mrr": retrieval["mrr"],
            "span_recall": retrieval["span"]["recall"], "span_iou": retrieval["span"]["iou"],
            "contains_answer": answers["contains_answer"], "token_f1": answers["token_f1"],
            "citation_recall": citation_summary(group)["recall"],
            "refusal_accuracy": refusal["accuracy"], "false_refusal_rate": refusal["false_refusal_rate"],
        }
    return out


def summarize(records: Sequence[QuestionRecord], *, k: int, config: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything ``metrics.json`` holds."""
    outcomes = Counter(r.outcome for r in records)
    faithfulness = _present(s.faithfulness for s in _scores(records))
    return {
        "run": {"questions": len(records), "failed": outcomes.get("error", 0), **(config or {})},
        "outcomes": {name: outcomes.get(name, 0) for name in OUTCOMES},
        "retrieval": retrieval_summary(records, k),
        "answers": answer_summary(records),
        "citations": citation_summary(records),
        "refusal": refusal_summary(records),
        "latency_ms": latency_summary(records),
        "faithfulness": {"questions": len(faithfulness), "score": mean(faithfulness)},
        "by_type": type_summary(records, k),
        "analyst": analyst_summary(records),
    }


KEY_POINTS_WANTED = 3  # a summary should cover at least this many marked key points


def _analyst_figures(records: Sequence[QuestionRecord]) -> dict[str, Any]:
    scored = [r.scores for r in _scored(records) if r.scores is not None]
    summaries = [s for s in scored if s.key_points]
    named = [s for s in scored if s.briefs_cited is not None]
    inside = [s.citations_in_briefs for s in scored if s.citations_in_briefs is not None]
    resolved = [s.interpreted for s in scored if s.interpreted is not None]
    refusal = refusal_summary(records)
    answers = answer_summary(records)
    return {
        "questions": len(scored),
        "summaries": len(summaries),
        "summaries_covering_3_key_points": _share(sum((s.key_points_covered or 0) >= KEY_POINTS_WANTED for s in summaries),
                                                  len(summaries)),
        "key_points_covered_mean": mean([float(s.key_points_covered or 0) for s in summaries]),
        "named_brief_questions": len(named),
        "every_named_brief_cited": _share(sum(s.briefs_cited == 1.0 for s in named), len(named)),
        "citations_inside_named_briefs": mean(inside),
        "follow_ups_checked": len(resolved),
        "follow_ups_interpreted": mean(resolved),
        "false_refusal_rate": refusal["false_refusal_rate"],
        "refusal_accuracy": refusal["accuracy"],
        "contains_answer": answers["contains_answer"],
    }


def analyst_summary(records: Sequence[QuestionRecord]) -> dict[str, Any]:
    """Figures for the question kinds of an analyst set, overall, per split and per type.

    Summaries: the share covering at least ``KEY_POINTS_WANTED`` marked key points with their
    cited spans, and the mean covered; questions naming briefs: the share citing every one, and
    the share of citations inside them; refusals as in ``refusal_summary``.
    """
    splits: dict[str, list[QuestionRecord]] = {}
    types: dict[str, list[QuestionRecord]] = {}
    for record in records:
        if record.split:
            splits.setdefault(record.split, []).append(record)
        types.setdefault(record.type or "(none)", []).append(record)
    return {"all": _analyst_figures(records),
            "by_split": {name: _analyst_figures(group) for name, group in sorted(splits.items())},
            "by_type": {name: _analyst_figures(group) for name, group in sorted(types.items())}}
