"""The composition root: every long-lived part of the assistant, built from ``Settings`` here only.

``System(settings)`` builds, lazily and once, the embedder, the store, the hybrid retriever, the
answering assistant, the syncer and the review store, and decides when the store-bound parts
are stale (``current``). The app, the three command lines, the evaluation runner, the
benchmarks and the test fixtures ask it for parts; no other module knows how to open a store or
build a chat model.

Layers (see README, Development): ``app/ui, evaluation, CLIs -> system -> answer -> retrieval ->
vectorstore`` and ``system -> ingest -> vectorstore``; nothing below imports anything above.
The answer and retrieval layers are imported when first built, not with this module: the
ingest command needs only the store and the syncer, and importing the answerer (nltk, LangChain)
would add seconds to every sync.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ingest.overrides import MetadataOverrides, overrides_path
from ingest.sync import Syncer, SyncOptions
from review.store import ReviewStore
from settings import EmbeddingSettings, Settings
from vectorstore.embedder import SentenceTransformerEmbedder, TextEmbedder
from vectorstore.errors import EmptyStoreError
from vectorstore.freshness import StoreVersion, StoreWatch
from vectorstore.store import ChromaStore, ManifestEntry, open_store

if TYPE_CHECKING:
    from answer.assistant import Assistant
    from retrieval.hybrid import HybridRetriever

log = logging.getLogger(__name__)

_EMBEDDERS: dict[tuple[str, str, int, str], SentenceTransformerEmbedder] = {}
_EMBEDDERS_LOCK = threading.Lock()


def shared_embedder(settings: EmbeddingSettings) -> SentenceTransformerEmbedder:
    """The embedding model these settings name, loaded once per process and shared by every System.

    The model is the heaviest part (seconds to load, ~100 MB); it serialises ``encode`` itself,
    so sessions, stores and threads can share one.
    """
    key = (settings.model, settings.device, settings.batch_size, settings.precision)
    with _EMBEDDERS_LOCK:
        if key not in _EMBEDDERS:
            _EMBEDDERS[key] = SentenceTransformerEmbedder(settings.model, device=settings.device,
                                                          batch_size=settings.batch_size, precision=settings.precision)
        return _EMBEDDERS[key]


def sync_options(settings: Settings) -> SyncOptions:
    """The sync pipeline's options as the settings give them (chunking and ingest limits)."""
    c, i = settings.chunking, settings.ingest
    return SyncOptions(max_bytes=int(i.max_file_mb * 1024 * 1024), parse_timeout_s=i.parse_timeout_s,
                       target_chars=c.target_chars, overlap_sentences=c.overlap_sentences, max_tokens=c.max_tokens,
                       embed_title=c.embed_title, encoding=i.encoding)


class Opened:
    """One opening of the store and the parts built on it (consistent with each other).

    The retriever and the assistant are built on first use (for the LLM backend the assistant
    sets up the chat model), so syncing never needs them and searching never needs the answer
    settings to be valid.
    """

    def __init__(self, store: ChromaStore, watch: StoreWatch, syncer: Syncer,
                 build_retriever: Callable[[ChromaStore, StoreWatch], HybridRetriever],
                 build_assistant: Callable[[HybridRetriever], Assistant]) -> None:
        self.store, self.watch, self.syncer = store, watch, syncer
        self.generation = watch.generation()  # what this opening's Chroma client has seen
        self._build_retriever, self._build_assistant = build_retriever, build_assistant
        self._lock = threading.RLock()
        self._retriever: HybridRetriever | None = None
        self._built: tuple[Assistant | None, BaseException | None] | None = None

    @property
    def retriever(self) -> HybridRetriever:
        """The hybrid retriever over this opening's store (its keyword index is built on first search)."""
        with self._lock:
            if self._retriever is None:
                self._retriever = self._build_retriever(self.store, self.watch)
            return self._retriever

    def _assistant(self) -> tuple[Assistant | None, BaseException | None]:
        with self._lock:
            if self._built is None:
                try:
                    self._built = (self._build_assistant(self.retriever), None)
                except Exception as exc:  # noqa: BLE001 - any LLM client set-up failure is shown, the index stays usable
                    log.exception("cannot build the answerer")
                    self._built = (None, exc)
            return self._built

    @property
    def assistant(self) -> Assistant | None:
        """The assistant over this opening's retriever, or None when it cannot be built (see ``assistant_error``)."""
        return self._assistant()[0]

    @property
    def assistant_exception(self) -> BaseException | None:
        return self._assistant()[1]


class System:
    """Every part of the assistant for one ``Settings``, built on first use and shared.

    Safe to share between threads (the app keeps one per settings for all sessions): the
    embedder serialises ``encode``, the retriever locks its keyword index, syncs take
    ``sync_lock``, and reopening the store takes an internal lock.
    """

    def __init__(self, settings: Settings, *, embedder: TextEmbedder | None = None) -> None:
        """``embedder`` replaces the one the settings name (tests pass a fake or a preloaded model)."""
        self.settings = settings
        self.sync_lock = threading.Lock()
        self._embedder = embedder
        self._lock = threading.RLock()
        self._opened: Opened | None = None
        self._entries: tuple[tuple[int, StoreVersion], list[ManifestEntry]] | None = None
        self._review_store: ReviewStore | None = None
        self._chat_model: Any = None

    def close(self) -> None:
        """Close the open store (``vectorstore.store.ChromaStore.close``: its database and index files);
        idempotent. A later use of the System opens the store again. Also a context manager:
        ``with System(settings) as system: ...`` closes it on leaving."""
        with self._lock:
            opened, self._opened, self._entries = self._opened, None, None
        if opened is not None:
            opened.store.close()

    def __enter__(self) -> System:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> System:
        """A System over ``settings``, or over the environment's settings when none are given."""
        return cls(settings if settings is not None else Settings())

    def with_store(self, path: Path | str, *, embedder: TextEmbedder | None = None) -> System:
        """A System like this one over another embedded store directory, sharing this one's embedder
        unless ``embedder`` is given (the benchmarks build many stores with one model)."""
        settings = self.settings.model_copy(deep=True)
        settings.store.path = Path(path)
        return System(settings, embedder=embedder if embedder is not None else self.embedder)

    # -- parts ------------------------------------------------------------------------------

    @property
    def embedder(self) -> TextEmbedder:
        """The embedding model (loaded on first use, shared by every System of the process)."""
        if self._embedder is None:
            with self._lock:
                if self._embedder is None:
                    self._embedder = shared_embedder(self.settings.embedding)
        return self._embedder

    @property
    def store(self) -> ChromaStore:
        """The passage store, reopened first when another process synced it (see ``current``)."""
        return self.current().store

    @property
    def retriever(self) -> HybridRetriever:
        """The hybrid retriever over the current store (a LangChain ``BaseRetriever``)."""
        return self.current().retriever

    @property
    def syncer(self) -> Syncer:
        """The sync pipeline writing into the current store; take ``sync_lock`` around ``sync``."""
        return self.current().syncer

    @property
    def assistant(self) -> Assistant:
        """The answering assistant the settings describe. Raises what building it raised (for
        example ``BriefsError`` when the chat model cannot be set up)."""
        assistant, exception = self.current()._assistant()
        if assistant is None:
            assert exception is not None
            raise exception
        return assistant

    def assistant_error(self, opened: Opened) -> str | None:
        """Why ``opened`` has no assistant, as a message for the page (None when it has one)."""
        exc = opened.assistant_exception
        if exc is None:
            return None
        return (f"The {self.settings.answer.backend} answer backend cannot start "
                f"({type(exc).__name__}: {exc}). Check BRIEFS_ANSWER__LLM_MODEL, BRIEFS_ANSWER__LLM_BASE_URL "
                "and the provider's package, or use BRIEFS_ANSWER__BACKEND=extractive.")

    @property
    def review_store(self) -> ReviewStore:
        """Reviewers' verdicts at ``<data dir>/review.sqlite3``. Raises ``ValueError`` when the
        file is not a review database."""
        with self._lock:
            if self._review_store is None:
                self._review_store = ReviewStore(self.settings.data_dir / "review.sqlite3")
            return self._review_store

    @property
    def sync_options(self) -> SyncOptions:
        return sync_options(self.settings)

    def chat_model(self) -> Any:
        """The chat model ``settings.answer`` names (``answer.llm.build_chat_model``), built once per System:
        a local model loads its weights once, not again each time the store is reopened."""
        from answer.llm import build_chat_model

        with self._lock:
            if self._chat_model is None:
                self._chat_model = build_chat_model(self.settings.answer)
            return self._chat_model

    def assistant_over(self, retriever: Any) -> Assistant:
        """An assistant as the settings describe it, retrieving through ``retriever`` (anything
        with ``HybridRetriever.search``'s signature: the evaluation wraps the retriever to time it)."""
        from answer.assistant import Assistant

        chat_model = self.chat_model() if self.settings.answer.backend == "llm" else None
        return Assistant(retriever, self.embedder, self.settings.answer, chat_model=chat_model)

    def require_passages(self) -> None:
        """Raise ``EmptyStoreError`` (naming the store and the command to fill it) when it is empty."""
        if self.store.count() == 0:
            path = self.settings.store.path
            raise EmptyStoreError(f"the store at {path} holds no briefs yet; ingest some first: "
                                  f"python -m ingest samples/briefs --store {path}")

    # -- lifetime and freshness -------------------------------------------------------------

    def current(self) -> Opened:
        """The open store and its parts, reopened first if another process synced since we opened it.

        ``vectorstore.freshness`` decides: a long-running embedded Chroma client does not see
        vectors another process added (FIELD-NOTES), so when a sync this process did not make
        moved the store's generation, Chroma's client cache is cleared and the store opened
        afresh; this process's own syncs keep the opening (its client saw its own writes; the
        keyword index follows the store's version by itself). Raises our ``BriefsError``s.
        """
        with self._lock:
            opened = self._opened
            if opened is not None:
                generation = opened.watch.generation()
                if not opened.watch.changed_elsewhere(opened.generation, generation):
                    opened.generation = generation
                    return opened
                log.info("store changed by another process (generation %d -> %d): reopening",
                         opened.generation, generation)
                self._forget_client()
            self._opened = self._open()
            return self._opened

    def warm_up(self) -> Opened:
        """``current()`` with the keyword index loaded or built now, not during the first question."""
        opened = self.current()
        opened.retriever.keyword_index()
        return opened

    @property
    def metadata_overrides(self) -> MetadataOverrides:
        """Metadata corrections made in the app (``<data dir>/metadata-overrides.json``)."""
        return MetadataOverrides(overrides_path(self.settings.data_dir))

    def _open(self) -> Opened:
        s, embedder = self.settings.store, self.embedder
        store = open_store(path=str(s.path), host=s.host, port=s.port, ssl=s.ssl, collection=s.collection,
                           model=embedder.name, dimension=embedder.dimension)
        watch = StoreWatch(store)  # one per opening: the keyword index and the brief list follow it
        syncer = Syncer(store, embedder, sync_options(self.settings), overrides=self.metadata_overrides)
        return Opened(store, watch, syncer, self._retriever_over, self.assistant_over)

    def _retriever_over(self, store: ChromaStore, watch: StoreWatch) -> HybridRetriever:
        from retrieval.dense import DenseRetriever
        from retrieval.hybrid import HybridRetriever
        from retrieval.keyword_retriever import KeywordRetriever

        return HybridRetriever(dense=DenseRetriever(store, self.embedder),
                               keyword=KeywordRetriever(store, cache_dir=self.settings.keyword_index_dir, watch=watch),
                               settings=self.settings.retrieval)

    def _forget_client(self) -> None:
        if self.settings.store.host:
            return  # a server client always sees the server's current data
        from chromadb.api.shared_system_client import SharedSystemClient

        # Sessions still holding the old store keep a working client; new calls get the new one.
        SharedSystemClient.clear_system_cache()

    # -- what the app shows about the index -------------------------------------------------

    def ready_entries(self) -> list[ManifestEntry]:
        """The stored briefs (ready ones), read once per store version rather than on every rerun.

        At 2,000 briefs reading the manifest takes most of a second, and Streamlit reruns the
        page on every click. Keyed by the opening and the store's version (``StoreWatch.version``),
        so a sync by this process is seen on the next call, and one by another process too.
        """
        opened = self.current()
        key = (id(opened), opened.watch.version())
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
