"""The heavy objects every browser session shares: embedding model, store, retriever, syncer.

``app.py`` builds one ``Resources`` per settings with ``st.cache_resource``. Everything here is
safe to call from several session threads at once: the embedder serialises ``encode``, the
retriever locks its keyword index, syncs take ``sync_lock``, and swapping the store takes
``_lock``.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from typing import Any

from answer.assistant import Assistant, build_assistant
from ingest.factory import build_embedder, build_store, sync_options
from ingest.sync import Syncer
from retrieval.factory import build_retriever
from retrieval.hybrid import HybridRetriever
from settings import Settings
from vectorstore.embedder import TextEmbedder
from vectorstore.store import ChromaStore, ManifestEntry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Opened:
    """One opening of the store and the objects built on it."""

    store: ChromaStore
    retriever: HybridRetriever
    syncer: Syncer
    generation: int
    assistant: Assistant | None = None
    assistant_error: str | None = None  # why no assistant could be built (LLM settings, missing package)


def _generation(store: ChromaStore) -> int:
    return int(store.state().get("generation", 0))


class Resources:
    """Embedder (loaded once) and the store, reopened when another process changed it."""

    def __init__(self, settings: Settings, embedder: TextEmbedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder if embedder is not None else build_embedder(settings)
        self.sync_lock = threading.Lock()
        self._lock = threading.Lock()
        self._opened: Opened | None = None
        self._entries: tuple[tuple[int, int, int], list[ManifestEntry]] | None = None

    def current(self) -> Opened:
        """The open store, reopened first if another process synced since we opened it.

        A long-running embedded Chroma client does not see vectors another process added
        (FIELD-NOTES), so when the store's sync generation moved without us, Chroma's client
        cache is cleared and the store opened afresh. Raises our ``BriefsError``s.
        """
        with self._lock:
            opened = self._opened
            if opened is not None and _generation(opened.store) == opened.generation:
                return opened
            if opened is not None:
                log.info("store changed by another process (generation %d -> %d): reopening",
                         opened.generation, _generation(opened.store))
                self._forget_client()
            self._opened = self._open()
            return self._opened

    def synced(self) -> None:
        """Note a sync done through our own syncer: our client saw its own writes, keep it."""
        with self._lock:
            if self._opened is not None:
                o = self._opened
                self._opened = replace(o, generation=_generation(o.store))

    def _open(self) -> Opened:
        store = build_store(self.settings, self.embedder)
        retriever = build_retriever(self.settings, store, self.embedder)
        retriever.keyword_index()  # load or build BM25 now, not during the first question
        syncer = Syncer(store, self.embedder, sync_options(self.settings))
        assistant, error = None, None
        try:
            assistant = build_assistant(self.settings, retriever, self.embedder)
        except Exception as exc:  # noqa: BLE001 - any LLM client set-up failure is shown, the index stays usable
            log.exception("cannot build the %s answerer", self.settings.answer.backend)
            error = (f"The {self.settings.answer.backend} answer backend cannot start "
                     f"({type(exc).__name__}: {exc}). Check BRIEFS_ANSWER__LLM_MODEL, BRIEFS_ANSWER__LLM_BASE_URL "
                     "and the provider's package, or use BRIEFS_ANSWER__BACKEND=extractive.")
        return Opened(store, retriever, syncer, _generation(store), assistant, error)

    def _forget_client(self) -> None:
        if self.settings.store.host:
            return  # a server client always sees the server's current data
        from chromadb.api.shared_system_client import SharedSystemClient

        # Sessions still holding the old store keep a working client; new calls get the new one.
        SharedSystemClient.clear_system_cache()

    def ready_entries(self) -> list[ManifestEntry]:
        """The stored briefs (ready ones), read once per store version rather than on every rerun.

        At 2,000 briefs reading the manifest takes most of a second, and Streamlit reruns the
        page on every click. Keyed by the opening, its generation and the passage count, so a
        sync by this process (``synced``) or another one is seen on the next call.
        """
        opened = self.current()
        key = (id(opened.store), opened.generation, opened.store.count())  # current() checked the generation
        with self._lock:
            if self._entries is not None and self._entries[0] == key:
                return self._entries[1]
        entries = [e for e in opened.store.manifest().values() if e.status == "ready"]
        with self._lock:
            self._entries = (key, entries)
        return entries

    def describe(self) -> dict[str, Any]:
        """What the sidebar shows about the index."""
        opened = self.current()
        state = opened.store.state()
        return {"generation": int(state.get("generation", 0)), "last_sync": float(state.get("last_sync", 0.0)),
                "passages": opened.store.count(), "model": self.embedder.name}
