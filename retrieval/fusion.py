"""Reciprocal rank fusion of several rankings of the same items."""

from __future__ import annotations

from typing import Hashable, Sequence, TypeVar

Item = TypeVar("Item", bound=Hashable)


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
    and BM25's first hits are often exact matches, so the product's setting
    (``RetrievalSettings.rrf_k``) is 20, measured on the chunking benchmark (+0.7 recall over
    60, see bench/retrieval_quality.py). An item missing from a ranking adds nothing for it.
    Ties keep the order of first appearance, so the result is deterministic.
    """
    if k < 0:
        raise ValueError(f"k ({k}) must not be negative")
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError(f"{len(weights)} weights for {len(rankings)} rankings")
    if any(w < 0 for w in weights):
        raise ValueError(f"weights ({list(weights)}) must not be negative")
    scores: dict[Item, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])
