"""Fixtures shared by the ingest and store tests (import them into a test module to use them)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from settings import SAMPLE_BRIEFS
from vectorstore.embedder import SentenceTransformerEmbedder
from vectorstore.store import ChromaStore

_EMBEDDER: SentenceTransformerEmbedder | None = None


def bundled_embedder() -> SentenceTransformerEmbedder:
    """The real bundled all-MiniLM-L6-v2, loaded once per test process."""
    global _EMBEDDER
    if _EMBEDDER is None:
        _EMBEDDER = SentenceTransformerEmbedder()
    return _EMBEDDER


@pytest.fixture
def real_embedder() -> SentenceTransformerEmbedder:
    return bundled_embedder()


@pytest.fixture
def store(tmp_path: Path, real_embedder: SentenceTransformerEmbedder) -> ChromaStore:
    """A fresh embedded Chroma store in a temporary directory."""
    from tests.conftest import open_system

    return open_system(tmp_path / "store", real_embedder).store


@pytest.fixture
def briefs_dir(tmp_path: Path) -> Path:
    """A writable copy of the two sample briefs."""
    folder = tmp_path / "briefs"
    shutil.copytree(SAMPLE_BRIEFS, folder)
    return folder
