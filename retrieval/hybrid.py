"""Hybrid retrieval: dense search in Chroma plus BM25 over the same passages, fused, then smoothed."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field, PrivateAttr

from retrieval.dense import dense_search
from retrieval.filters import Filters
from retrieval.fusion import convex_combination, reciprocal_rank_fusion, smooth_with_neighbours
from retrieval.keyword import KeywordIndex
from retrieval.keyword_cache import KeywordIndexCache, passages_key
from settings import RetrievalSettings
from vectorstore.store import EXACT_SEARCH_MAX
from vectorstore.types import Chunk, Hit

log = logging.getLogger(__name__)


def keyword_text(chunk: Chunk) -> str:
    """What BM25 indexes for a passage: its brief title and section heading, then its text."""
    head = " ".join(part for part in (chunk.title, chunk.section) if part)
    return f"{head}\n{chunk.text}" if head else chunk.text


def _text_key(chunk: Chunk) -> str:
    return " ".join(chunk.text.split())


@dataclass(frozen=True)
class _Ranking:
    scored: list[tuple[Chunk, float]]  # best first
    weight: float
    keyword: bool = False


def _fuse(rankings: list[_Ranking], *, k: int, settings: RetrievalSettings) -> list[Hit]:
    """The top ``k`` of the rankings, fused and smoothed as ``settings`` say, identical passages counted once.

    Identical passages (a table repeated in a report, a paragraph shared by two briefs) would take
    several of the k places with one piece of evidence, so rankings are fused by passage text and
    the earliest copy (by brief name, then position) stands for them all.

    ``settings.fusion`` picks convex combination of min-max normalised scores (the dense ranking
    weighted ``convex_alpha``, the keyword ranking ``1 - convex_alpha``, each times its own
    weight) or reciprocal rank fusion. The fused scores are then smoothed over adjacent passages
    (``settings.neighbour_share``, see ``retrieval.fusion.smooth_with_neighbours``): a passage's
    neighbours are the candidates just before and after one of its copies in the same brief.
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


def _allowed_ids(index: KeywordIndex, mask: np.ndarray | None) -> list[str] | None:
    """The ids of the passages a filter allows, when few enough for the store's exact search."""
    if mask is None:
        return None
    allowed = np.flatnonzero(mask)
    return [index.chunks[i].id for i in allowed] if len(allowed) <= EXACT_SEARCH_MAX else None


def hit_to_document(hit: Hit) -> Document:
    """A LangChain Document for a hit; the passage id is in ``id`` and in the metadata."""
    chunk = hit.chunk
    metadata = {
        "chunk_id": chunk.id, "doc_id": chunk.doc_id, "source": chunk.source, "title": chunk.title,
        "date": chunk.date, "series": chunk.series, "authors": list(chunk.authors), "section": chunk.section,
        "page": chunk.page, "start": chunk.start, "end": chunk.end, "score": hit.score, "rank": hit.rank,
        "dense_score": hit.dense_score, "keyword_score": hit.keyword_score,
    }
    return Document(id=chunk.id, page_content=chunk.text, metadata=metadata)


class HybridRetriever(BaseRetriever):
    """Dense + BM25 retrieval fused as ``settings.fusion`` says (see ``_fuse``), as a LangChain retriever.

    ``invoke(question)`` returns LangChain Documents; the answerers call ``search`` for Hits.
    The keyword index is rebuilt lazily whenever the store's sync generation (or its passage
    count) changes, so it always covers the passages that dense search sees; with ``cache_dir``
    it is loaded from disk when it was saved for exactly the store's passages. Safe to share
    across threads.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Any = Field(description="The passage store (vectorstore.store.ChromaStore).")
    embedder: Any = Field(description="The embedder the store was built with (TextEmbedder).")
    settings: RetrievalSettings = Field(default_factory=RetrievalSettings, description="k, fetch_k, fusion.")
    filters: Filters | None = Field(None, description="Filters applied by invoke(); search() takes its own.")
    keyword_titles: bool = Field(True, description="Index each passage's title and heading for BM25 too.")
    cache_dir: Path | None = Field(
        None, description="Folder to save the keyword index in and load it from (see retrieval.keyword_cache).")
    recheck_s: float = Field(
        1.0, ge=0, description="Seconds the keyword index is trusted before the store is asked again whether "
                               "another process changed it (writes by this process are seen at once).")

    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _index: KeywordIndex | None = PrivateAttr(default=None)
    _version: tuple[int, int] | None = PrivateAttr(default=None)
    _checked: tuple[int | None, float] = PrivateAttr(default=(None, float("-inf")))  # (write stamp, when)

    def keyword_index(self) -> KeywordIndex:
        """The BM25 index, rebuilt first if the store changed since it was built.

        Asking the store (its sync generation and passage count) costs 2.5 ms at 10,000
        passages and 10 ms at 100,000, a fifth of a search; so it is asked at most every
        ``recheck_s`` seconds, and at once after any write from this process.
        """
        stamp = getattr(self.store, "write_stamp", None)
        now = time.monotonic()
        with self._lock:
            if (self._index is not None and stamp is not None and self._checked[0] == stamp
                    and now - self._checked[1] < self.recheck_s):
                return self._index
        version = (int(self.store.state().get("generation", 0)), self.store.count())
        with self._lock:
            if self._index is None or version != self._version:
                self._index, self._version = self._load_or_build(), version
            self._checked = (stamp, now)
            return self._index

    def _load_or_build(self) -> KeywordIndex:
        cache = None
        if self.cache_dir is not None:
            cache = KeywordIndexCache(self.cache_dir / f"{self.store.collection}-{self.store.collection_id}")
            index = cache.load(passages_key(self.store.ready_ids(), keyword_titles=self.keyword_titles))
            if index is not None:
                log.info("keyword index loaded: %d passages", len(index))
                return index
        chunks = list(self.store.iter_chunks())
        index = KeywordIndex(chunks, [keyword_text(c) for c in chunks] if self.keyword_titles else None)
        log.info("keyword index built: %d passages", len(chunks))
        if cache is not None:  # keyed by what was read, even if the store changed meanwhile
            cache.save(passages_key((c.id for c in chunks), keyword_titles=self.keyword_titles), index)
        return index

    def search(self, question: str, k: int | None = None, filters: Filters | None = None, *,
               vector: np.ndarray | None = None) -> list[Hit]:
        """The ``k`` best passages for the question, fused from dense and keyword rankings.

        ``vector`` is the question's embedding when the caller has it already.
        """
        if not question.strip():
            raise ValueError("the question is empty")
        k = self.settings.k if k is None else k
        if k <= 0:
            raise ValueError(f"k ({k}) must be positive")
        fetch_k = max(self.settings.fetch_k, k)
        index = self.keyword_index()
        where, mask = self._restrict(index, filters)
        if mask is not None and not mask.any():
            return []
        rankings: list[_Ranking] = []
        if self.settings.dense_weight > 0:
            dense = dense_search(self.store, self.embedder, question, fetch_k, where=where, vector=vector,
                                 among=_allowed_ids(index, mask))
            rankings.append(_Ranking([(h.chunk, h.score) for h in dense], self.settings.dense_weight))
        if self.settings.keyword_weight > 0:
            keyword = index.search(question, fetch_k, mask=mask)
            rankings.append(_Ranking([(index.chunks[h.position], h.score) for h in keyword],
                                     self.settings.keyword_weight, keyword=True))
        return _fuse(rankings, k=k, settings=self.settings)

    def _restrict(self, index: KeywordIndex, filters: Filters | None) -> tuple[dict[str, Any] | None, np.ndarray | None]:
        """Chroma ``where`` clause and keyword mask for the filters (authors resolved to briefs)."""
        if filters is None or filters.empty:
            return None, None
        mask = index.brief_mask(filters.matches)
        where = filters.where()
        if filters.authors:
            doc_ids = sorted({c.doc_id for c, ok in zip(index.chunks, mask) if ok})
            if not doc_ids:
                return where, mask
            by_author = {"doc_id": {"$in": doc_ids}}
            where = by_author if where is None else {"$and": [where, by_author]}
        return where, mask

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [hit_to_document(hit) for hit in self.search(query, filters=self.filters)]
