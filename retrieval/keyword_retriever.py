"""Keyword retrieval: BM25 over the store's ready passages, with the index kept fresh and saved.

The index (``retrieval.keyword.KeywordIndex``) is built from ``store.iter_chunks()``, rebuilt
whenever the store's version moves (``vectorstore.freshness.StoreWatch`` decides when), and,
with a cache folder, saved there and loaded back for exactly the same passages
(``retrieval.keyword_cache``), so a restart skips the build.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np

from retrieval.keyword import KeywordHit, KeywordIndex
from retrieval.keyword_cache import KeywordIndexCache, passages_key
from vectorstore.freshness import StoreVersion, StoreWatch
from vectorstore.store import ChromaStore
from vectorstore.types import Chunk

log = logging.getLogger(__name__)


def keyword_text(chunk: Chunk) -> str:
    """What BM25 indexes for a passage: its brief title and section heading, then its text."""
    head = " ".join(part for part in (chunk.title, chunk.section) if part)
    return f"{head}\n{chunk.text}" if head else chunk.text


class KeywordRetriever:
    """BM25 search over every ready passage of a store; safe to share between threads.

    ``keyword_titles`` indexes each passage's brief title and section heading with its text.
    ``cache_dir`` is where the index is saved and loaded from (None: never saved). ``watch``
    tells when the store changed (a new one over ``store`` by default, trusting an answer for
    ``recheck_s`` seconds).
    """

    def __init__(self, store: ChromaStore, *, cache_dir: Path | None = None, keyword_titles: bool = True,
                 watch: StoreWatch | None = None, recheck_s: float = 1.0) -> None:
        self.store, self.cache_dir, self.keyword_titles = store, cache_dir, keyword_titles
        self.watch = watch if watch is not None else StoreWatch(store, recheck_s=recheck_s)
        self._lock = threading.Lock()
        self._index: KeywordIndex | None = None
        self._version: StoreVersion | None = None

    def index(self) -> KeywordIndex:
        """The BM25 index over the store's ready passages, rebuilt (or loaded) first if the store changed."""
        version = self.watch.version()
        with self._lock:
            if self._index is None or version != self._version:
                self._index, self._version = self._load_or_build(), version
            return self._index

    def search(self, question: str, k: int, *, index: KeywordIndex | None = None,
               mask: np.ndarray | None = None) -> list[tuple[Chunk, float]]:
        """The ``k`` passages with the best positive BM25 scores, best first.

        ``index`` is the index the caller already holds (so that a mask computed on it applies);
        ``mask`` (booleans, one per passage of that index) limits the search.
        """
        index = self.index() if index is None else index
        hits: list[KeywordHit] = index.search(question, k, mask=mask)
        return [(index.chunks[h.position], h.score) for h in hits]

    def _load_or_build(self) -> KeywordIndex:
        cache = None
        if self.cache_dir is not None:
            cache = KeywordIndexCache(self.cache_dir / f"{self.store.collection}-{self.store.collection_id}")
            key = passages_key(self.store.ready_ids(), keyword_titles=self.keyword_titles)
            index = cache.load(key)
            if index is not None and not _metadata_current(index, self.store):
                # Same passages, other metadata: a correction (title, date, series, authors) changes
                # no passage id, but the saved index's filters and title text would be stale.
                log.info("saved keyword index predates a metadata correction; rebuilding it")
                cache.discard(key)
                index = None
            if index is not None:
                log.info("keyword index loaded: %d passages", len(index))
                return index
        chunks = list(self.store.iter_chunks())
        index = KeywordIndex(chunks, [keyword_text(c) for c in chunks] if self.keyword_titles else None)
        log.info("keyword index built: %d passages", len(chunks))
        if cache is not None:  # keyed by what was read, even if the store changed meanwhile
            cache.save(passages_key((c.id for c in chunks), keyword_titles=self.keyword_titles), index)
        return index


def _metadata_current(index: KeywordIndex, store: ChromaStore) -> bool:
    """Whether every passage of ``index`` carries its brief's metadata as the store's manifest has it now."""
    manifest = store.manifest()
    for chunk in index.chunks:
        entry = manifest.get(chunk.doc_id)
        if entry is None or (chunk.title, chunk.date, chunk.series, tuple(chunk.authors)) != (
                entry.title, entry.date, entry.series, tuple(entry.authors)):
            return False
    return True
