"""Sentence centrality in a document (continuous LexRank over sentence embeddings) and diverse
selection by maximal marginal relevance (``mmr``, Carbonell & Goldstein 1998).

Erkan, G. and Radev, D. R. (2004), "LexRank: Graph-based Lexical Centrality as Salience in Text
Summarization", JAIR 22. A sentence is central when sentences that are themselves central are
similar to it: the stationary distribution of a random walk on the sentence-similarity graph,
with the paper's damping (0.85 here, i.e. a 0.15 chance of jumping to any sentence). The paper
uses tf-idf cosine; we use the bundled sentence embedder's cosine (clipped at 0), so paraphrases
count as similar too. Continuous LexRank keeps the weights instead of thresholding edges.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

DAMPING = 0.85  # Erkan & Radev's value (they write the jump probability d = 0.15)
_ITERATIONS = 100
_TOLERANCE = 1e-6


def lexrank(vectors: np.ndarray, *, damping: float = DAMPING) -> np.ndarray:
    """Centrality of each of ``n`` sentences from their L2-normalised vectors ``(n, dim)``; sums to 1.

    Power iteration on ``damping * M + (1 - damping) / n`` where ``M`` is the row-normalised
    cosine-similarity matrix without self-loops. An empty input gives an empty result; a
    sentence similar to nothing gets the jump probability only.
    """
    if not 0 < damping < 1:
        raise ValueError(f"damping ({damping}) must be between 0 and 1")
    n = len(vectors)
    if n == 0:
        return np.zeros(0)
    if n == 1:
        return np.ones(1)
    similarity = np.clip(vectors @ vectors.T, 0.0, None).astype(np.float64)
    np.fill_diagonal(similarity, 0.0)
    totals = similarity.sum(axis=1, keepdims=True)
    transition = np.divide(similarity, totals, out=np.full_like(similarity, 1.0 / n), where=totals > 0)
    scores = np.full(n, 1.0 / n)
    for _ in range(_ITERATIONS):
        updated = (1 - damping) / n + damping * (transition.T @ scores)
        if np.abs(updated - scores).sum() < _TOLERANCE:
            scores = updated
            break
        scores = updated
    return scores / scores.sum()


MMR_LAMBDA = 0.7  # weight of a sentence's own score against its similarity to those already chosen


def mmr(scores: np.ndarray, vectors: np.ndarray, n: int, *, chosen: Sequence[int] = (), lam: float = MMR_LAMBDA,
        allowed: np.ndarray | None = None) -> list[int]:
    """Indices of up to ``n`` more items by maximal marginal relevance, in the order chosen.

    Carbonell, J. and Goldstein, J. (1998), "The Use of MMR, Diversity-Based Reranking for
    Reordering Documents and Producing Summaries", SIGIR: each step takes the item maximising
    ``lam * score - (1 - lam) * max cosine to an item already chosen`` (``chosen`` are taken
    already; ``allowed``, a boolean mask, limits the candidates). ``scores`` are normalised to
    [0, 1] first so both terms are on one scale; ``vectors`` are L2-normalised, shape ``(m, dim)``.
    """
    if not 0 <= lam <= 1:
        raise ValueError(f"lam ({lam}) must be between 0 and 1")
    m = len(scores)
    if m == 0 or n <= 0:
        return []
    top = float(np.max(scores))
    low = float(np.min(scores))
    scaled = (scores - low) / (top - low) if top > low else np.ones(m)
    taken = list(chosen)
    nearest = np.max(vectors @ vectors[taken].T, axis=1) if taken else np.zeros(m)
    open_ = np.ones(m, dtype=bool) if allowed is None else allowed.copy()
    open_[taken] = False
    picked: list[int] = []
    while len(picked) < n and open_.any():
        value = np.where(open_, lam * scaled - (1 - lam) * nearest, -np.inf)
        best = int(np.argmax(value))
        picked.append(best)
        open_[best] = False
        nearest = np.maximum(nearest, vectors @ vectors[best])
    return picked
