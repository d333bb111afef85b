"""Hybrid retrieval as a LangChain retriever: dense and keyword rankings, fused (``retrieval.fusion.fuse``).

The stages live in their own modules: ``retrieval.dense.DenseRetriever`` (Chroma),
``retrieval.keyword_retriever.KeywordRetriever`` (BM25, its index kept fresh and saved),
``retrieval.filters`` (which passages a question may draw on) and ``retrieval.fusion`` (pure).
This module only runs them for a question and speaks LangChain's ``BaseRetriever`` contract.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field, PrivateAttr

from retrieval.dense import DenseRetriever
from retrieval.filters import Filters, restrict
from retrieval.fusion import Ranking, fuse
from retrieval.keyword import KeywordIndex
from retrieval.keyword_retriever import KeywordRetriever
from settings import RetrievalSettings
from text.abbreviations import definitions
from text.headings import governing_heading, opening_heading, repeated_headings, section_headings
from text.tables import cells, opened_table_note, table_header
from vectorstore.embedder import TextEmbedder
from vectorstore.store import ChromaStore
from vectorstore.types import Chunk, Hit


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
    """Dense + BM25 retrieval, fused as ``settings.fusion`` says, as a LangChain retriever.

    ``invoke(question, k=..., filters=...)`` returns LangChain Documents; the answerers call
    ``search`` for Hits, and ``search_briefs`` retrieves from each of several briefs. Unknown
    constructor arguments are refused (pydantic ``extra="forbid"``). Build one over a store with
    ``HybridRetriever.over(store, embedder, ...)``. Safe to share across threads.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid")

    dense: DenseRetriever = Field(description="The dense (embedding) ranking over the store.")
    keyword: KeywordRetriever = Field(description="The keyword (BM25) ranking over the same passages.")
    settings: RetrievalSettings = Field(default_factory=RetrievalSettings,
                                        description="fetch_k, fusion and its weights; k when ``k`` is not set.")
    k: int | None = Field(None, gt=0, description="Passages returned per question; default ``settings.k``.")
    filters: Filters | None = Field(None, description="Filters applied by invoke() unless it is given its own.")
    _abbreviations: dict[str, tuple[tuple[str, str], ...]] = PrivateAttr(default_factory=dict)
    _table_headers: dict[str, tuple[tuple[str, ...], str]] = PrivateAttr(default_factory=dict)  # per passage id: header, note
    _headings: dict[str, tuple[tuple[int, str], ...]] = PrivateAttr(default_factory=dict)  # per passage id
    _brief_headings: dict[str, tuple[str, tuple[str, ...]]] = PrivateAttr(default_factory=dict)  # per doc id
    _heading_lines: dict[str, list[tuple[int, int, str]]] = PrivateAttr(default_factory=dict)  # per brief (doc_id)

    @classmethod
    def over(cls, store: ChromaStore, embedder: TextEmbedder, *, settings: RetrievalSettings | None = None,
             cache_dir: Path | None = None, keyword_titles: bool = True, recheck_s: float = 1.0,
             **fields: Any) -> HybridRetriever:
        """The hybrid retriever over ``store``: dense search with ``embedder`` (the model the store
        was built with) and BM25 whose index is saved under ``cache_dir`` (when given), indexing
        titles and headings too (``keyword_titles``), trusted ``recheck_s`` seconds between
        checks for another process's changes (``vectorstore.freshness``)."""
        return cls(dense=DenseRetriever(store, embedder),
                   keyword=KeywordRetriever(store, cache_dir=cache_dir, keyword_titles=keyword_titles,
                                            recheck_s=recheck_s),
                   settings=settings if settings is not None else RetrievalSettings(), **fields)

    @property
    def store(self) -> ChromaStore:
        return self.keyword.store

    def keyword_index(self) -> KeywordIndex:
        """The BM25 index, loaded or built first if the store changed since it was built."""
        return self.keyword.index()

    def search(self, question: str, k: int | None = None, filters: Filters | None = None, *,
               vector: np.ndarray | None = None) -> list[Hit]:
        """The ``k`` best passages for the question (default ``self.k``, else ``settings.k``),
        fused from dense and keyword rankings. ``vector`` is the question's embedding when the
        caller has it already. Raises ``ValueError`` for an empty question or k below 1."""
        if not question.strip():
            raise ValueError("the question is empty")
        k = (self.k or self.settings.k) if k is None else k
        if k <= 0:
            raise ValueError(f"k ({k}) must be positive")
        fetch_k = max(self.settings.fetch_k, k)
        index = self.keyword.index()
        allowed = restrict(filters, index)
        if allowed is not None and allowed.empty:
            return []
        rankings: list[Ranking] = []
        if self.settings.dense_weight > 0:
            dense = self.dense.search(question, fetch_k, vector=vector,
                                      where=None if allowed is None else allowed.where(),
                                      among=None if allowed is None else allowed.chunk_ids)
            rankings.append(Ranking([(h.chunk, h.score) for h in dense], self.settings.dense_weight))
        if self.settings.keyword_weight > 0:
            keyword = self.keyword.search(question, fetch_k, index=index,
                                          mask=None if allowed is None else allowed.mask)
            rankings.append(Ranking(keyword, self.settings.keyword_weight, keyword=True))
        return [self.annotated(hit) for hit in fuse(rankings, k=k, settings=self.settings)]

    def annotated(self, hit: Hit) -> Hit:
        """The hit with what its brief's whole text says about the passage: the abbreviations the
        brief defines (``abbreviations``) and, for a passage that opens inside a table begun in
        an earlier passage, that table's header and note (``text.tables.table_header``,
        ``opened_table_note``); with ``settings.heading_context``, the section headings its
        sentences sit under (``passage_headings``) and its brief's opening section heading
        (``text.headings.opening_heading``)."""
        chunk = hit.chunk
        table = self._table_headers.get(chunk.id)
        if table is None:
            table = ((), "")
            if cells(chunk.text.split("\n", 1)[0]) is not None:  # only then is the whole text read
                document = self.store.document_text(chunk.doc_id) or ""
                table = (table_header(document, chunk.start), opened_table_note(document, chunk.start))
            self._table_headers[chunk.id] = table
        context = self.settings.heading_context
        headings = self.passage_headings(chunk) if context else ()
        opening, repeated = self.brief_headings(chunk.doc_id) if context else ("", ())
        return replace(hit, abbreviations=self.abbreviations(hit.chunk.doc_id), table_header=table[0],
                       table_note=table[1], headings=headings, opening_heading=opening, repeated_headings=repeated)

    def brief_headings(self, doc_id: str) -> tuple[str, tuple[str, ...]]:
        """A brief's opening section heading and its repeated heading lines (``text.headings``), read from
        the headings ``passage_headings`` cached for it, once per brief."""
        cached = self._brief_headings.get(doc_id)
        if cached is None:
            found = self._heading_lines.get(doc_id) or []
            cached = (opening_heading(found), repeated_headings(found))
            if doc_id in self._heading_lines:
                self._brief_headings[doc_id] = cached
        return cached

    def passage_headings(self, chunk: Chunk) -> tuple[tuple[int, str], ...]:
        """The headings over a passage's text (``Hit.headings``), read from its brief's whole stored
        text with ``text.headings`` (the rule the summary outline uses), cached per passage: the
        heading the passage opens under, at 0, then each heading line inside it, from its end."""
        cached = self._headings.get(chunk.id)
        if cached is None:
            found = self._heading_lines.get(chunk.doc_id)
            document = self.store.document_text(chunk.doc_id)
            if found is None and document is not None:
                found = section_headings(document, title=chunk.title)
                self._heading_lines[chunk.doc_id] = found
            if document is None or found is None:
                cached = ()
            else:
                opening = governing_heading(document, chunk.start, found=found)
                inside = [(end - chunk.start, line) for start, end, line in found
                          if chunk.start <= start and end <= chunk.end]
                cached = tuple([(0, opening)] if opening else []) + tuple(inside)
            self._headings[chunk.id] = cached
        return cached

    def abbreviations(self, doc_id: str) -> tuple[tuple[str, str], ...]:
        """The abbreviations a stored brief defines (``text.abbreviations.definitions`` of its whole
        text), cached per content hash (``doc_id``); none for a brief without stored text."""
        cached = self._abbreviations.get(doc_id)
        if cached is None:
            cached = definitions(self.store.document_text(doc_id) or "")
            self._abbreviations[doc_id] = cached
        return cached

    def search_briefs(self, question: str, doc_ids: Sequence[str], *, k_per_brief: int,
                      filters: Filters | None = None) -> dict[str, list[Hit]]:
        """The ``k_per_brief`` best passages of each of these briefs: ``{doc_id: hits}``, in the
        order of ``doc_ids`` (each listed once).

        Each brief is searched on its own, as ``search`` with the filter narrowed to that brief,
        so its hits are ranked, fused and smoothed among its own passages only: scores compare
        within a brief, not across briefs. A brief that is not stored, or that ``filters``
        excludes, gets an empty list. The question is encoded once. Raises ``ValueError`` for an
        empty question or ``k_per_brief`` below 1, ``TypeError`` when ``doc_ids`` is one string.
        """
        if isinstance(doc_ids, str):
            raise TypeError(f"doc_ids must be a sequence of brief ids, not the string {doc_ids!r}")
        if not question.strip():
            raise ValueError("the question is empty")
        if k_per_brief <= 0:
            raise ValueError(f"k_per_brief ({k_per_brief}) must be positive")
        base = filters if filters is not None else Filters()
        vector = self.dense.encode(question) if self.settings.dense_weight > 0 and doc_ids else None
        found: dict[str, list[Hit]] = {}
        for doc_id in dict.fromkeys(doc_ids):
            if base.doc_ids and doc_id not in base.doc_ids:
                found[doc_id] = []
                continue
            found[doc_id] = self.search(question, k_per_brief, replace(base, doc_ids=(doc_id,)), vector=vector)
        return found

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                k: int | None = None, filters: Filters | None = None) -> list[Document]:
        """LangChain's entry: ``k`` and ``filters`` given to ``invoke`` win over the retriever's own."""
        chosen = filters if filters is not None else self.filters
        return [hit_to_document(hit) for hit in self.search(query, k, chosen)]
