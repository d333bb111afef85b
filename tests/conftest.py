"""Shared fixtures: a deterministic fake embedder, the real bundled one, temporary stores, sample briefs.

Stores are opened as the product opens them (``open_system(...).store``) and filled here directly
(split, embed, upsert ready, manifest), independent of the sync pipeline, so retrieval and answer
tests depend only on the store's contract.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Generator, Iterable, Iterator, Sequence

import numpy as np
import pytest

from ingest.splitter import embedding_text, split_document
from settings import SAMPLE_BRIEFS, ChunkingSettings, Settings, StoreSettings
from system import System
from vectorstore.embedder import TextEmbedder
from vectorstore.store import ChromaStore, ManifestEntry
from vectorstore.types import Chunk, Document, DocumentMeta, Section

SAMPLE_000 = "000_e8f8a75dd6e65921.txt"  # Asia Unbound, undated: trilateral response, Elbridge Colby
SAMPLE_001 = "001_e4801710110b8048.txt"  # Expert Brief, 2017-05-08: uncertainty among U.S. allies


# The session's temporary data folder, when this session made one (None: BRIEFS_DATA_DIR was the user's).
_session_data_dir: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _session_data_dir
    config.addinivalue_line("markers", "slow: loads the real embedding model (still runs in CI)")
    # Whatever a test runs with default settings (the ingest command saves keyword indexes, the
    # app saves reviews) writes under a temporary data folder, never the repository's .data.
    if "BRIEFS_DATA_DIR" not in os.environ:
        _session_data_dir = tempfile.mkdtemp(prefix="briefs-test-data-")
        os.environ["BRIEFS_DATA_DIR"] = _session_data_dir


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's temporary data folder. Runs after every fixture's teardown, so the servers
    and child processes that tests started with it in their environment have stopped; a user's own
    BRIEFS_DATA_DIR is left as it is."""
    global _session_data_dir
    if _session_data_dir is not None:
        shutil.rmtree(_session_data_dir, ignore_errors=True)
        if os.environ.get("BRIEFS_DATA_DIR") == _session_data_dir:
            del os.environ["BRIEFS_DATA_DIR"]
        _session_data_dir = None


def _chroma_systems() -> set[str]:
    """The identifiers of the Chroma systems open in this process. Chroma keeps each system it opens (an
    embedded one holds its SQLite database and index files, about 16 file descriptors) in a process-wide
    cache (``SharedSystemClient``) until its last client is closed (``ChromaStore.close``, ``System.close``)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    return set(SharedSystemClient._identifier_to_system)


_forgotten = False  # whether a Chroma system was forgotten since the last garbage collection


def _forget_chroma_systems(identifiers: Iterable[str]) -> None:
    """Drop the Chroma systems ``identifiers`` names from Chroma's cache, as ``System`` does when it reopens
    a store: a system nothing uses any more is released with its files by the garbage collector, one still
    in use (a class fixture's System that opened its store during a test) keeps working."""
    global _forgotten
    from chromadb.api.shared_system_client import SharedSystemClient

    for identifier in identifiers:
        if SharedSystemClient._identifier_to_system.pop(identifier, None) is not None:
            _forgotten = True
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest) -> Generator[None, object, object]:
    """A fixture narrower than the session that opened a store and left it open has it forgotten at its
    teardown (left open, a whole-suite run held over 1024 file descriptors); session fixtures' stay open."""
    before = _chroma_systems()
    result = yield
    if fixturedef.scope != "session":
        opened = _chroma_systems() - before
        if opened:
            fixturedef.addfinalizer(lambda: _forget_chroma_systems(opened))
    return result


@pytest.fixture(autouse=True)
def _forget_chroma_systems_the_test_opened() -> Iterator[None]:
    """The stores a test opened in its body and left open are forgotten after it (fixtures' at their own
    teardown: ``pytest_fixture_setup``), and what was forgotten is collected."""
    global _forgotten
    before = _chroma_systems()
    yield
    _forget_chroma_systems(_chroma_systems() - before)
    if _forgotten:
        _forgotten = False
        gc.collect()


class FakeEmbedder:
    """Deterministic bag-of-words vectors (hashed, signed, L2-normalised): same words, close vectors."""

    name = "fake-embedder"
    dimension = 256
    max_tokens = 256

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dimension
                vectors[row, bucket] += 1.0 if digest[4] & 1 else -1.0
            norm = np.linalg.norm(vectors[row])
            vectors[row] = vectors[row] / norm if norm else vectors[row]
        return vectors

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(re.findall(r"\w+|[^\w\s]", t)) for t in texts]


def open_system(store_path: Path, embedder: TextEmbedder, *, data_dir: Path | None = None) -> System:
    """The product's System over an embedded store at ``store_path`` with ``embedder``."""
    settings = Settings(store=StoreSettings(path=store_path), data_dir=data_dir or store_path.parent / "data")
    return System(settings, embedder=embedder)


def make_document(text: str, *, source: str, meta: DocumentMeta = DocumentMeta(),
                  headings: Iterable[str] = ()) -> Document:
    """A plain-text brief; ``headings`` are strings of the text that start sections."""
    sections = tuple(sorted((Section(text.index(h), h) for h in headings), key=lambda s: s.start))
    return Document(source=source, text=text, content_hash=hashlib.sha256(text.encode()).hexdigest(), format="txt",
                    encoding="utf-8", meta=meta, sections=sections)


def sample_documents() -> list[Document]:
    """The two sample briefs as the ingest loader reads them (metadata, sections, debris)."""
    from ingest.loaders import load_document

    return [load_document(SAMPLE_BRIEFS / name, source=name, max_bytes=1 << 20, timeout_s=30.0)
            for name in (SAMPLE_000, SAMPLE_001)]


def index_documents(store: ChromaStore, embedder: TextEmbedder, documents: Iterable[Document], *,
                    chunking: ChunkingSettings = ChunkingSettings()) -> list[Chunk]:
    """Split, embed and store documents as ready passages (as sync does), then record a changed sync."""
    stored: list[Chunk] = []
    for doc in documents:
        chunks = split_document(doc, count_tokens=embedder.count_tokens, max_tokens=embedder.max_tokens,
                                target_chars=chunking.target_chars, overlap_sentences=chunking.overlap_sentences,
                                embed_title=chunking.embed_title)
        vectors = embedder.encode([embedding_text(c, with_title=chunking.embed_title) for c in chunks])
        store.upsert_chunks(chunks, vectors, ready=True)
        store.put_manifest(ManifestEntry(doc_id=doc.content_hash, sources=(doc.source,),
                                         chunk_ids=tuple(c.id for c in chunks), model=embedder.name, title=doc.meta.title,
                                         date=doc.meta.date, series=doc.meta.series, authors=doc.meta.authors),
                           text=doc.text)
        stored.extend(chunks)
    store.record_sync(changed=True)
    return stored


@pytest.fixture(scope="session")
def embedder() -> TextEmbedder:
    """The real bundled all-MiniLM-L6-v2 (one per test process); tests using it are marked slow."""
    from tests.fixtures import bundled_embedder

    return bundled_embedder()


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def make_store(tmp_path: Path) -> Callable[[TextEmbedder], ChromaStore]:
    """A factory of fresh embedded stores under this test's temporary directory."""
    count = 0

    def make(embedder: TextEmbedder) -> ChromaStore:
        nonlocal count
        count += 1
        return open_system(tmp_path / f"store-{count}", embedder).store

    return make


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory, embedder: TextEmbedder) -> ChromaStore:
    """The two sample briefs embedded with the real model, built once per session: do not modify it."""
    store = open_system(tmp_path_factory.mktemp("sample-store") / "store", embedder).store
    index_documents(store, embedder, sample_documents())
    return store

