"""Fit the summary's key-sentence scorer (``answer.keypoints``, after Kupiec, Pedersen & Chen 1995) on
briefs whose key points a reader marked, print the fit and leave-one-brief-out figures, and write the
model.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.fit_summary QUESTIONS STORE [QUESTIONS STORE ...] \\
        [--splits dev,calibration] [--write answer/data/summary_model.json]

Each ``QUESTIONS STORE`` pair is a question file and the store built for it (``bench.analyst_corpus``).
Only its ``summary`` rows with key points whose split is in ``--splits`` are read; the held-out
splits (``heldout``, ``blind``, ``heldout2``) are refused whatever ``--splits`` says, so no model is
ever fitted or chosen on them. Each brief's quotable sentences are taken as the app takes them
(``compose_kinds.summary_units`` over the whole brief); a sentence is a positive example when its
span overlaps a marked key point's span (scored as ``bench.summary_quality`` scores a citation).

Model: L2-regularised logistic regression (scikit-learn, here only; the app computes the dot
product itself), features standardised, each brief weighing the same in the fit and positives as
much as negatives. Leave-one-brief-out: for each training brief a model is fitted on the others,
and that brief's summary is chosen with it (``compose_kinds.select_points``, sections in turn,
MMR); key points covered are counted and compared with the hand-set centrality score on the same
sentences. The regularisation ``C``, whether the brief's sections take turns, and the centrality
weight of the selection are chosen from a small grid by the mean leave-one-brief-out key points
(so those figures are slightly optimistic; the held-out sets are what to believe).

One feature is itself fitted: the ``direction`` feature is the logit of a logistic regression on
the sentence embeddings (``answer.keypoints.KeyDirection``, C = ``DIRECTION_C``), nested so no brief
ever scores itself: in the fold that leaves brief k out, each other brief's value comes from a
direction fitted without it and k, and k's from one fitted on every brief but k
(``nested_directions``); the shipped model is fitted on each brief's value from a direction fitted on
the others, and ships the direction fitted on all training briefs.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from answer.compose import merged_runs  # noqa: E402
from answer.compose_kinds import (SECTION_CENTRALITY, SummaryUnits, centrality_scores, select_points,  # noqa: E402
                                  summary_aspect, summary_units)
from answer.keypoints import FEATURES, MODEL_PATH, KeyDirection, KeyPointModel, brief_relative  # noqa: E402
from evaluation.corpus import StoreCorpus, find_documents  # noqa: E402
from evaluation.questions import load_questions  # noqa: E402
from evaluation.scoring import key_point_spans  # noqa: E402
from settings import Settings  # noqa: E402
from system import System  # noqa: E402

HELD_OUT = frozenset({"heldout", "blind", "heldout2"})  # never fitted or chosen on
C_GRID = (0.03, 0.3, 3.0)
SECTION_WEIGHTS = (0.0, 0.5, 1.0, 2.0)
TURNS = (True, False)  # whether the brief's sections take turns in giving points (as the hand-set engine does)
WANTED = 3
# The key-sentence direction's regularisation: candidate Y2 of bench/summary_adoption_rule.md, chosen by its
# leave-one-brief-out figure from the grid {0.01, 0.1, 1, 10} written there before it was measured.
DIRECTION_C = 1.0


@dataclass
class Brief:
    """One training brief: its question id, sentences and which key points each sentence overlaps."""

    qid: str
    found: SummaryUnits
    x: np.ndarray  # (n, k) features
    hits: list[set[int]]  # indices of the key points each unit overlaps
    points: int  # key points marked

    @property
    def y(self) -> np.ndarray:
        return np.array([1 if h else 0 for h in self.hits])


def load_briefs(questions: Path, store: Path, splits: set[str], *, rule=None) -> list[Brief]:
    """The summary questions of ``questions`` in ``splits``, as training briefs over ``store``; ``rule``: a
    candidate's unit rule for ``summary_units`` (``bench.summary_variants``; None: the product's units)."""
    settings = Settings()
    settings.store.path = store
    settings.answer.summary_scorer = "centrality"  # the fit reads features, not the shipped model (which it may replace)
    system = System(settings)
    assistant = system.assistant
    corpus = StoreCorpus(system.store)
    catalogue = assistant.planner.catalogue()
    out = []
    for question in load_questions(questions).questions:
        if question.type != "summary" or not question.key_points or question.split not in splits:
            continue
        docs = [d.doc_id for source in question.briefs for d in find_documents(corpus, source)]
        if len(docs) != 1:
            print(f"{question.id}: names {len(docs)} briefs; only one-brief summaries train the scorer", file=sys.stderr)
            continue
        doc_id = docs[0]
        brief = catalogue.get(doc_id)
        if brief is None:
            print(f"{question.id}: brief {doc_id} not in the store {store}", file=sys.stderr)
            continue
        hits, _ = merged_runs(assistant.planner.whole_brief(doc_id), system.store.document_text(doc_id))
        plan = assistant.planner.plan(question.question, "summary", k=settings.retrieval.k)
        found = summary_units(summary_aspect(plan), brief, hits, assistant.sentence_vectors, rule=rule)
        if found is None:
            continue
        places = [key_point_spans(p, corpus) for p in question.key_points]
        overlaps = []
        for unit in found.units:
            start, end = unit.doc_start, unit.doc_start + len(unit.text)
            overlaps.append({k for k, spans in enumerate(places) for p in spans
                             if p.span is not None and p.span.corpus_id == doc_id
                             and min(end, p.span.end) > max(start, p.span.start)})
        out.append(Brief(question.id, found, found.features(), overlaps, len(places)))
    return out


def _weights(briefs: list[Brief], y: np.ndarray) -> np.ndarray:
    """Sample weights: each brief weighing the same, positives as much as negatives, mean 1."""
    weight = np.concatenate([np.full(len(b.y), 1.0 / len(b.y)) for b in briefs])
    positives = y == 1
    weight = np.where(positives, weight * (weight[~positives].sum() / weight[positives].sum()), weight)
    return weight * (len(y) / weight.sum())


def fit(briefs: list[Brief], c: float) -> KeyPointModel:
    """A logistic model fitted on ``briefs``: features standardised, each brief weighing the same."""
    from sklearn.linear_model import LogisticRegression  # the bench only: the app never imports scikit-learn

    x = np.vstack([b.x for b in briefs])
    y = np.concatenate([b.y for b in briefs])
    weight = _weights(briefs, y)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit((x - mean) / scale, y, sample_weight=weight)
    return KeyPointModel(FEATURES, mean, scale, model.coef_[0].copy(), float(model.intercept_[0]))


def fit_direction(briefs: list[Brief], c: float = DIRECTION_C) -> KeyDirection:
    """The key-sentence direction fitted on ``briefs``' sentence embeddings (unit vectors, not
    standardised): L2-regularised logistic regression, each brief weighing the same and positives as
    much as negatives (as ``fit``)."""
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([b.found.vectors for b in briefs])
    y = np.concatenate([b.y for b in briefs])
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(x, y, sample_weight=_weights(briefs, y))
    return KeyDirection(model.coef_[0].copy(), float(model.intercept_[0]))


def nested_directions(briefs: list[Brief], c: float = DIRECTION_C) -> list[list[np.ndarray]]:
    """``out[k][j]``: brief ``j``'s ``direction`` feature in the fold that leaves brief ``k`` out: from a
    direction fitted without ``j`` and ``k`` (for ``j == k``: without ``k`` alone), so no brief scores itself."""
    cache: dict[frozenset[int], KeyDirection] = {}

    def direction(left_out: frozenset[int]) -> KeyDirection:
        if left_out not in cache:
            cache[left_out] = fit_direction([b for i, b in enumerate(briefs) if i not in left_out], c)
        return cache[left_out]

    return [[direction(frozenset({j, k})).logit(b.found.vectors) for j, b in enumerate(briefs)]
            for k in range(len(briefs))]


def with_direction(x: np.ndarray, values: np.ndarray, names: tuple[str, ...] = FEATURES) -> np.ndarray:
    """``x`` (columns ``names``) with its ``direction`` and ``brief_direction`` columns set from ``values``."""
    out = x.copy()
    if "direction" in names:
        out[:, names.index("direction")] = values
    if "brief_direction" in names:
        out[:, names.index("brief_direction")] = brief_relative(values[:, None])[:, 0]
    return out


def covered(brief: Brief, score: np.ndarray, section_weight: float, turns: bool = True) -> tuple[int, int, int]:
    """Key points covered, bullets, and bullets hitting a key point, of the summary chosen by ``score``."""
    chosen = select_points(brief.found, score, section_weight=section_weight, turns=turns)
    index = {id(u): i for i, u in enumerate(brief.found.units)}
    hit_sets = [brief.hits[index[id(u)]] for u in chosen]
    return len(set().union(*hit_sets)) if hit_sets else 0, len(chosen), sum(bool(h) for h in hit_sets)


def leave_one_out(briefs: list[Brief], c: float, section_weight: float, turns: bool,
                  nested: list[list[np.ndarray]] | None = None) -> list[tuple[int, int, int]]:
    """Per brief: the key points covered etc. (``covered``) by a model fitted on the other briefs;
    ``nested`` (``nested_directions``) gives each fold's ``direction`` feature (None: as in ``b.x``)."""
    rows = []
    for k, b in enumerate(briefs):
        fold = [o if nested is None else dataclasses.replace(o, x=with_direction(o.x, nested[k][j]))
                for j, o in enumerate(briefs)]
        rows.append(covered(b, fit([o for j, o in enumerate(fold) if j != k], c).score(fold[k].x), section_weight, turns))
    return rows


def _summary(rows: list[tuple[int, int, int]]) -> str:
    n = len(rows)
    bullets = sum(r[1] for r in rows)
    return (f">= {WANTED} key points {sum(r[0] >= WANTED for r in rows)}/{n}, mean key points "
            f"{sum(r[0] for r in rows) / n:.2f}, mean bullets {bullets / n:.1f}, bullet precision "
            f"{sum(r[2] for r in rows) / bullets if bullets else 0:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fit_summary", description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="+", metavar="QUESTIONS STORE", help="question file and its store, repeated")
    parser.add_argument("--splits", default="dev", help="comma-separated splits to train on (default: dev)")
    parser.add_argument("--write", type=Path, default=None, metavar="PATH",
                        help=f"write the model fitted on every training brief here (e.g. {MODEL_PATH})")
    args = parser.parse_args(argv)
    if len(args.pairs) % 2:
        parser.error(f"give question files and stores in pairs (got {len(args.pairs)} paths)")
    splits = {s.strip() for s in args.splits.split(",") if s.strip()}
    if splits & HELD_OUT:
        parser.error(f"refusing to train on held-out splits {sorted(splits & HELD_OUT)}")
    briefs: list[Brief] = []
    for questions, store in zip(args.pairs[::2], args.pairs[1::2]):
        if not Path(store).is_dir():
            parser.error(f"store {store} does not exist (build it with python -m bench.analyst_corpus)")
        briefs += load_briefs(Path(questions), Path(store), splits)
    if len(briefs) < 2:
        parser.error(f"need at least two training briefs, found {len(briefs)}")
    units = sum(len(b.y) for b in briefs)
    positives = sum(int(b.y.sum()) for b in briefs)
    reachable = sum(len(set().union(*b.hits)) for b in briefs)
    print(f"training briefs {len(briefs)} ({', '.join(b.qid for b in briefs)}): {units} sentences, {positives} on a "
          f"key point; key points on a quotable sentence {reachable}/{sum(b.points for b in briefs)}")
    base = [covered(b, centrality_scores(b.found), SECTION_CENTRALITY) for b in briefs]
    print(f"hand-set centrality score:      {_summary(base)}")
    nested = nested_directions(briefs)
    results = {}
    for c in C_GRID:
        for turns in TURNS:
            for weight in SECTION_WEIGHTS:
                rows = leave_one_out(briefs, c, weight, turns, nested)
                results[(c, weight, turns)] = rows
                print(f"learned, C={c:<5} sections in turn {turns!s:5} centrality w={weight:<4}: {_summary(rows)}")
    c, weight, turns = max(results, key=lambda key: (sum(r[0] for r in results[key]), sum(r[2] for r in results[key])))
    best = results[(c, weight, turns)]
    wins = sum(r[0] > h[0] for r, h in zip(best, base))
    losses = sum(r[0] < h[0] for r, h in zip(best, base))
    print(f"chosen C={c}, sections in turn {turns}, centrality weight {weight}; against the hand-set score "
          f"{wins} briefs better, {losses} worse, {len(briefs) - wins - losses} equal; per brief "
          f"(leave-one-brief-out key points, hand-set in brackets):")
    print("  " + ", ".join(f"{b.qid} {r[0]} ({h[0]})" for b, r, h in zip(briefs, best, base)))
    # each brief's direction feature from a direction fitted on the others; the model ships the one fitted on all
    own = [dataclasses.replace(b, x=with_direction(b.x, nested[k][k])) for k, b in enumerate(briefs)]
    model = dataclasses.replace(fit(own, c), section_weight=weight, section_turns=turns,
                                direction=fit_direction(briefs))
    print("weights on standardised features (all training briefs):")
    for name, w in sorted(zip(FEATURES, model.weights), key=lambda t: -abs(t[1])):
        print(f"  {name:20s} {w:+.3f}")
    if args.write:
        data = model.to_json(
            training=[f"{q} {s} (splits {','.join(sorted(splits))})" for q, s in zip(args.pairs[::2], args.pairs[1::2])],
            briefs=[b.qid for b in briefs], date=dt.date.today().isoformat(), c=c, direction_c=DIRECTION_C,
            command="python -m bench.fit_summary " + " ".join(args.pairs) + f" --splits {args.splits} --write {args.write}",
            leave_one_brief_out={"learned": _summary(best), "hand_set": _summary(base),
                                 "per_brief_learned": [r[0] for r in best], "per_brief_hand_set": [h[0] for h in base]})
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
