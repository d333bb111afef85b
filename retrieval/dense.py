"""Dense retrieval: the question's vector against the passage vectors in Chroma."""

from __future__ import annotations

from typing import Any, Protocol, Sequence

import numpy as np

from vectorstore.embedder import TextEmbedder
from vectorstore.types import Hit


class VectorStore(Protocol):
    """What dense search needs of the store (``vectorstore.store.ChromaStore``)."""

    def query(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None, *,
              among: Sequence[str] | None = None) -> list[Hit]: ...


class DenseRetriever:
    """The passages nearest to a question by cosine similarity of their embeddings.

    Holds the store and the embedder the store was built with; safe to share between threads
    (the embedder serialises ``encode``).
    """

    def __init__(self, store: VectorStore, embedder: TextEmbedder) -> None:
        self.store, self.embedder = store, embedder

    def encode(self, question: str) -> np.ndarray:
        """The question's vector (shape ``(dimension,)``)."""
        return self.embedder.encode([question])[0]

    def search(self, question: str, k: int, *, vector: np.ndarray | None = None,
               where: dict[str, Any] | None = None, among: Sequence[str] | None = None) -> list[Hit]:
        """The ``k`` nearest ready passages, best first (score: cosine similarity).

        Pass ``vector`` when the question is already encoded, so it is not encoded twice;
        ``where`` (a Chroma clause) restricts the passages, and ``among`` (the ids ``where``
        allows), when known, lets a narrow restriction be searched exactly.
        """
        if k <= 0:
            raise ValueError(f"k ({k}) must be positive")
        if vector is None:
            vector = self.encode(question)
        return self.store.query(vector, k, where, among=among)
