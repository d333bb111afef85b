"""Hybrid retrieval: dense search in Chroma plus BM25 over the same passages, fused by rank."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field, PrivateAttr

from retrieval.dense import dense_search
from retrieval.filters import Filters
from retrieval.fusion import reciprocal_rank_fusion
from retrieval.keyword import KeywordIndex
from settings import RetrievalSettings
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


def _fuse(rankings: list[_Ranking], *, k: int, rrf_k: int) -> list[Hit]:
    """The top ``k`` of the rankings fused by reciprocal rank, identical passages counted once.

    Identical passages (a table repeated in a report, a paragraph shared by two briefs) would take
    several of the k places with one piece of evidence, so rankings are fused by passage text and
    the earliest copy (by brief name, then position) stands for them all.
    """
    copies: dict[str, Chunk] = {}
    scores: list[dict[str, float]] = []
    for ranking in rankings:
        first: dict[str, float] = {}
        for chunk, score in ranking.scored:
            key = _text_key(chunk)
            first.setdefault(key, score)
            if key not in copies or (chunk.source, chunk.start) < (copies[key].source, copies[key].start):
                copies[key] = chunk
        scores.append(first)
    fused = reciprocal_rank_fusion([list(s) for s in scores], k=rrf_k, weights=[r.weight for r in rankings])[:k]
    dense = next((s for s, r in zip(scores, rankings) if not r.keyword), {})
    keyword = next((s for s, r in zip(scores, rankings) if r.keyword), {})
    return [Hit(copies[key], score, rank, dense_score=dense.get(key), keyword_score=keyword.get(key))
            for rank, (key, score) in enumerate(fused, 1)]


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
    """Dense + BM25 retrieval fused by reciprocal rank fusion, as a LangChain retriever.

    ``invoke(question)`` returns LangChain Documents; the answerers call ``search`` for Hits.
    The keyword index is rebuilt lazily whenever the store's sync generation (or its passage
    count) changes, so it always covers the passages that dense search sees. Safe to share
    across threads.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Any = Field(description="The passage store (vectorstore.store.ChromaStore).")
    embedder: Any = Field(description="The embedder the store was built with (TextEmbedder).")
    settings: RetrievalSettings = Field(default_factory=RetrievalSettings, description="k, fetch_k, fusion.")
    filters: Filters | None = Field(None, description="Filters applied by invoke(); search() takes its own.")
    keyword_titles: bool = Field(True, description="Index each passage's title and heading for BM25 too.")

    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _index: KeywordIndex | None = PrivateAttr(default=None)
    _version: tuple[int, int] | None = PrivateAttr(default=None)

    def keyword_index(self) -> KeywordIndex:
        """The BM25 index, rebuilt first if the store changed since it was built."""
        version = (int(self.store.state().get("generation", 0)), self.store.count())
        with self._lock:
            if self._index is None or version != self._version:
                chunks = list(self.store.iter_chunks())
                texts = [keyword_text(c) for c in chunks] if self.keyword_titles else None
                self._index, self._version = KeywordIndex(chunks, texts), version
                log.info("keyword index rebuilt: %d passages, store generation %d", len(chunks), version[0])
            return self._index

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
            dense = dense_search(self.store, self.embedder, question, fetch_k, where=where, vector=vector)
            rankings.append(_Ranking([(h.chunk, h.score) for h in dense], self.settings.dense_weight))
        if self.settings.keyword_weight > 0:
            keyword = index.search(question, fetch_k, mask=mask)
            rankings.append(_Ranking([(index.chunks[h.position], h.score) for h in keyword],
                                     self.settings.keyword_weight, keyword=True))
        return _fuse(rankings, k=k, rrf_k=self.settings.rrf_k)

    def _restrict(self, index: KeywordIndex, filters: Filters | None) -> tuple[dict[str, Any] | None, np.ndarray | None]:
        """Chroma ``where`` clause and keyword mask for the filters (authors resolved to briefs)."""
        if filters is None or filters.empty:
            return None, None
        mask = np.fromiter((filters.matches(c) for c in index.chunks), dtype=bool, count=len(index))
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
