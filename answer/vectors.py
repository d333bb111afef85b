"""A cache of sentence vectors: brief sentences are encoded once, not once per question."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Protocol, Sequence

import numpy as np

from vectorstore.embedder import TextEmbedder


class Encoder(Protocol):
    """Anything that turns texts into L2-normalised vectors: an embedder or the cache below."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class SentenceVectorCache:
    """Encodes texts through an embedder, remembering the vectors of the most recent ``max_items``.

    Meant for the sentences of stored passages, which recur from question to question (a
    passage's text never changes under its id); questions are better encoded directly. Safe to
    share across threads.
    """

    def __init__(self, embedder: TextEmbedder, *, max_items: int = 20_000) -> None:
        if max_items <= 0:
            raise ValueError(f"max_items ({max_items}) must be positive")
        self.embedder, self.max_items = embedder, max_items
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._vectors)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised vector per text, in order; only unseen texts reach the embedder."""
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
            for text in known:
                self._vectors.move_to_end(text)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            known.update(zip(missing, self.embedder.encode(missing)))
            with self._lock:
                for text in missing:
                    self._vectors[text] = known[text]
                while len(self._vectors) > self.max_items:
                    self._vectors.popitem(last=False)
        if not texts:
            return np.zeros((0, self.embedder.dimension), dtype=np.float32)
        return np.stack([known[t] for t in texts]).astype(np.float32, copy=False)
