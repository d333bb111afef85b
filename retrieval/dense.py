"""Dense search: the question's vector against the passage vectors in Chroma."""

from __future__ import annotations

from typing import Any, Protocol, Sequence

import numpy as np

from vectorstore.embedder import TextEmbedder
from vectorstore.types import Hit


class VectorStore(Protocol):
    """What dense search needs of the store (``vectorstore.store.ChromaStore``)."""

    def query(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None, *,
              among: Sequence[str] | None = None) -> list[Hit]: ...


def dense_search(store: VectorStore, embedder: TextEmbedder, question: str, k: int, *,
                 where: dict[str, Any] | None = None, vector: np.ndarray | None = None,
                 among: Sequence[str] | None = None) -> list[Hit]:
    """The ``k`` passages nearest to the question by cosine similarity, best first.

    Pass ``vector`` when the question is already encoded, so it is not encoded twice, and
    ``among`` (the ids ``where`` allows) when known, so a narrow filter is searched exactly.
    """
    if k <= 0:
        raise ValueError(f"k ({k}) must be positive")
    if vector is None:
        vector = embedder.encode([question])[0]
    return store.query(vector, k, where, among=among)
