"""BM25 keyword search over the store's ready passages (bm25s, lowercased, Snowball-stemmed).

Local Chroma has no sparse search, so the index is built in memory from ``store.iter_chunks()``
and rebuilt by the retriever whenever the store's sync generation changes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_EN_PLUS

from vectorstore.types import Chunk

log = logging.getLogger(__name__)
# bm25s sets its own logger to DEBUG on import, which makes every index build print through any
# handler an application installs; give the level back to the application's configuration.
logging.getLogger("bm25s").setLevel(logging.NOTSET)

# Words of one character carry no evidence, but numbers do ("$8", "5G"): keep any \w run.
_TOKEN_PATTERN = r"(?u)\b\w+\b"


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lowercased, stop-word-free (NLTK's English list), stemmed tokens of each text."""
    return bm25s.tokenize(list(texts), lower=True, token_pattern=_TOKEN_PATTERN, stopwords=STOPWORDS_EN_PLUS,
                          stemmer=_stemmer().stemWords, return_ids=False, show_progress=False)


@dataclass(frozen=True)
class KeywordHit:
    position: int  # index of the passage in ``KeywordIndex.chunks``
    score: float


class KeywordIndex:
    """An in-memory BM25 index of a fixed list of passages.

    ``texts`` are what is indexed for each passage (by default its own text); a caller may add
    the brief title and section heading so that a passage is found by the subject it is under.
    """

    def __init__(self, chunks: Sequence[Chunk], texts: Sequence[str] | None = None, *,
                 k1: float = 1.2, b: float = 0.75) -> None:
        if texts is not None and len(texts) != len(chunks):
            raise ValueError(f"{len(texts)} texts for {len(chunks)} passages")
        self.chunks: tuple[Chunk, ...] = tuple(chunks)
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        self._vocab: set[str] = set()
        if self.chunks:
            corpus = tokenize(texts if texts is not None else [c.text for c in self.chunks])
            # bm25s cannot index a passage without tokens; give it a placeholder that no query has.
            corpus = [tokens or [" "] for tokens in corpus]
            self._bm25.index(corpus, show_progress=False)
            self._vocab = {t for tokens in corpus for t in tokens}
        log.debug("keyword index built over %d passages", len(self.chunks))

    def __len__(self) -> int:
        return len(self.chunks)

    def search(self, query: str, k: int, *, mask: np.ndarray | None = None) -> list[KeywordHit]:
        """The ``k`` best passages for ``query`` with a positive BM25 score, best first.

        ``mask`` (booleans, one per passage) limits the search to the passages marked True.
        """
        if k <= 0:
            raise ValueError(f"k ({k}) must be positive")
        if mask is not None and len(mask) != len(self.chunks):
            raise ValueError(f"mask has {len(mask)} entries for {len(self.chunks)} passages")
        tokens = [t for t in tokenize([query])[0] if t in self._vocab]
        if not tokens:
            return []
        scores = np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        positive = np.flatnonzero(scores > 0)
        if positive.size == 0:
            return []
        # Stable sort on -score: equal scores keep passage order, so results are deterministic.
        order = positive[np.argsort(-scores[positive], kind="stable")][:k]
        return [KeywordHit(int(i), float(scores[i])) for i in order]
