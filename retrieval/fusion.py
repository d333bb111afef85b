"""Fusion of several rankings of the same items (reciprocal rank, convex combination of
normalised scores), score smoothing over neighbouring items, and ``fuse``: the fusion step of
hybrid retrieval built from them (duplicate passages folded, then fused, then smoothed).
Pure functions: no store, no model."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Hashable, Sequence, TypeVar

from settings import RetrievalSettings
from vectorstore.types import Chunk, Hit

Item = TypeVar("Item", bound=Hashable)


def _checked_weights(weights: Sequence[float] | None, rankings: int) -> Sequence[float]:
    """One non-negative weight per ranking; all 1 when none are given."""
    if weights is None:
        return [1.0] * rankings
    if len(weights) != rankings:
        raise ValueError(f"{len(weights)} weights for {rankings} rankings")
    if any(w < 0 for w in weights):
        raise ValueError(f"weights ({list(weights)}) must not be negative")
    return weights


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Item]],
    *,
    k: int = 60,
    weights: Sequence[float] | None = None,
) -> list[tuple[Item, float]]:
    """Fuse rankings (best first) into one: ``score(d) = sum_i w_i / (k + rank_i(d))``.

    Cormack, Clarke and Buettcher, "Reciprocal Rank Fusion outperforms Condorcet and individual
    rank learning methods", SIGIR 2009. Only ranks are used, so dense cosine similarities and
    BM25 scores, which live on unrelated scales, never need to be normalised against each other.
    The paper found k = 60 near-optimal across TREC runs: large enough that the first few ranks
    of one list do not drown the others (1/61 vs 1/62 differ little), small enough that a top
    rank still counts for more than a deep one. Our rankings are short (30 candidates each)
    and BM25's first hits are often exact matches, so the product's setting for RRF
    (``RetrievalSettings.rrf_k``, used when ``fusion`` is ``"rrf"``) is 20, measured on the
    chunking benchmark (+0.7 recall over 60, see bench/retrieval_quality.py); the default fusion
    is ``convex_combination``. An item missing from a ranking adds nothing for it.
    Ties keep the order of first appearance, so the result is deterministic.
    """
    if k < 0:
        raise ValueError(f"k ({k}) must not be negative")
    weights = _checked_weights(weights, len(rankings))
    scores: dict[Item, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def convex_combination(
    rankings: Sequence[Sequence[tuple[Item, float]]],
    *,
    weights: Sequence[float] | None = None,
) -> list[tuple[Item, float]]:
    """Fuse scored rankings by a weighted sum of min-max normalised scores, best first.

    ``score(d) = sum_i w_i * (s_i(d) - min_i) / (max_i - min_i)``, where ``min_i`` and ``max_i``
    are the lowest and highest score in ranking ``i`` (Bruch, Gai and Ingber, "An Analysis of
    Fusion Functions for Hybrid Retrieval", ACM TOIS 2023: a convex combination of normalised
    scores beats RRF in and out of domain and needs one parameter, the share ``alpha`` of the
    dense ranking, which ``RetrievalSettings.convex_alpha`` sets). Unlike RRF it keeps how far
    ahead a first hit is: a passage that BM25 finds far above the rest is not outvoted by
    passages that both rankings list in the middle. An item missing from a ranking gets 0 from
    it (that ranking's minimum); a ranking whose scores are all equal gives each of its items 1.
    An item listed twice in one ranking counts once, with its first (best) score. Ties keep the
    order of first appearance, so the result is deterministic.
    """
    weights = _checked_weights(weights, len(rankings))
    scores: dict[Item, float] = {}
    for ranking, weight in zip(rankings, weights):
        first: dict[Item, float] = {}
        for item, score in ranking:
            if not math.isfinite(score):
                raise ValueError(f"score {score!r} of {item!r} is not a finite number")
            first.setdefault(item, float(score))
        if not first:
            continue
        low, high = min(first.values()), max(first.values())
        span = high - low
        for item, score in first.items():
            scores[item] = scores.get(item, 0.0) + weight * ((score - low) / span if span > 0 else 1.0)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def smooth_with_neighbours(
    scored: Sequence[tuple[Item, float]],
    neighbours: Callable[[Item], Sequence[Item]],
    *,
    weight: float,
) -> list[tuple[Item, float]]:
    """Rescore each item with its neighbours' scores, best first.

    ``score'(d) = (1 - weight) * score(d) + weight * (score(prev) + score(next)) / 2``, where
    ``neighbours(d)`` gives the items next to ``d`` (for a passage: the passages just before and
    after it in its document, at most two) and a neighbour that is not in ``scored`` counts 0.
    This is one step of score regularisation over the graph of adjacent passages (Diaz,
    "Regularizing Ad Hoc Retrieval Scores", CIKM 2005): by the cluster hypothesis, text next to
    other retrieved text is likelier to be relevant than an isolated hit, and evidence that
    runs across a passage boundary is found whole. All scores are from the same scale (the
    fused scores), and every item keeps two neighbour slots, so an item at a document's edge or
    alone in its document is treated like one whose neighbours were not retrieved. ``weight`` 0
    only sorts by the items' own scores. Ties keep the input order.
    """
    if not 0 <= weight < 1:
        raise ValueError(f"weight ({weight}) must be at least 0 and below 1")
    given = dict(scored)
    if len(given) != len(scored):
        raise ValueError("an item is scored twice")
    smoothed = [(item, (1 - weight) * score + weight * sum(given.get(n, 0.0) for n in neighbours(item)) / 2)
                for item, score in scored]
    return sorted(smoothed, key=lambda pair: -pair[1])


# -- the fusion step of hybrid retrieval ---------------------------------------------------------

@dataclass(frozen=True)
class Ranking:
    """One retriever's candidates, best first, with the weight fusion gives them."""

    scored: list[tuple[Chunk, float]]  # best first
    weight: float
    keyword: bool = False  # the keyword (BM25) ranking: weighted 1 - convex_alpha in convex fusion


def _text_key(chunk: Chunk) -> str:
    return " ".join(chunk.text.split())


def fuse(rankings: Sequence[Ranking], *, k: int, settings: RetrievalSettings) -> list[Hit]:
    """The top ``k`` of the rankings, fused and smoothed as ``settings`` say, identical passages counted once.

    Identical passages (a table repeated in a report, a paragraph shared by two briefs) would take
    several of the k places with one piece of evidence, so rankings are fused by passage text and
    the earliest copy (by brief name, then position) stands for them all.

    ``settings.fusion`` picks convex combination of min-max normalised scores (the dense ranking
    weighted ``convex_alpha``, the keyword ranking ``1 - convex_alpha``, each times its own
    weight) or reciprocal rank fusion. The fused scores are then smoothed over adjacent passages
    (``settings.neighbour_share``, see ``smooth_with_neighbours``): a passage's neighbours are the
    candidates just before and after one of its copies in the same brief. A pure function.
    """
    copies: dict[str, Chunk] = {}
    at: dict[tuple[str, int], str] = {}  # (brief, passage position) -> text key, for every copy
    scores: list[dict[str, float]] = []
    for ranking in rankings:
        first: dict[str, float] = {}
        for chunk, score in ranking.scored:
            key = _text_key(chunk)
            first.setdefault(key, score)
            at.setdefault((chunk.doc_id, chunk.index), key)
            if key not in copies or (chunk.source, chunk.start) < (copies[key].source, copies[key].start):
                copies[key] = chunk
        scores.append(first)
    if settings.fusion == "rrf":
        fused = reciprocal_rank_fusion([list(s) for s in scores], k=settings.rrf_k,
                                       weights=[r.weight for r in rankings])
    else:
        alpha = settings.convex_alpha
        fused = convex_combination([list(s.items()) for s in scores],
                                   weights=[r.weight * ((1 - alpha) if r.keyword else alpha) for r in rankings])
    if settings.neighbour_share > 0:
        def neighbours(key: str) -> list[str]:
            chunk = copies[key]
            found = (at.get((chunk.doc_id, chunk.index + step)) for step in (-1, 1))
            return [n for n in found if n is not None and n != key]

        fused = smooth_with_neighbours(fused, neighbours, weight=settings.neighbour_share)
    dense = next((s for s, r in zip(scores, rankings) if not r.keyword), {})
    keyword = next((s for s, r in zip(scores, rankings) if r.keyword), {})
    return [Hit(copies[key], score, rank, dense_score=dense.get(key), keyword_score=keyword.get(key))
            for rank, (key, score) in enumerate(fused[:k], 1)]
