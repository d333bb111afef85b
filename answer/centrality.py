"""Sentence centrality in a document: continuous LexRank over sentence embeddings.

Erkan, G. and Radev, D. R. (2004), "LexRank: Graph-based Lexical Centrality as Salience in Text
Summarization", JAIR 22. A sentence is central when sentences that are themselves central are
similar to it: the stationary distribution of a random walk on the sentence-similarity graph,
with the paper's damping (0.85 here, i.e. a 0.15 chance of jumping to any sentence). The paper
uses tf-idf cosine; we use the bundled sentence embedder's cosine (clipped at 0), so paraphrases
count as similar too. Continuous LexRank keeps the weights instead of thresholding edges.
"""

from __future__ import annotations

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
