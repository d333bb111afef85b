"""Changing the embedding model on an existing store is refused clearly, and nothing is written.

A store's vectors only make sense with the model that made them. Opening it with another model
(same dimension or not) must fail with a message naming both models, from the command line, the
app and a Chroma server alike, leaving every byte of the store as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ingest.sync import Syncer, SyncOptions
from settings import REPO_ROOT
from tests.fixtures import bundled_embedder
from tests.reliability.support import (chroma_server, child_env, plain, reopen, run_ingest, store_files_digest,
                                       store_snapshot)
from vectorstore.embedder import BUNDLED_MODEL, SentenceTransformerEmbedder, resolve_model_path
from vectorstore.errors import ModelMismatchError
from vectorstore.store import open_store

pytestmark = pytest.mark.slow

BRIEF = ("Maritime Security Note\n\nFishing fleets escorted by coast guard cutters have crowded the disputed reefs "
         "since March, and analysts expect more collisions before the monsoon season.\n")
NEW_BRIEF = ("Energy and Trade Brief\n\nLiquefied natural gas contracts signed with Qatar now cover a third of "
             "national demand, which reduces exposure to pipeline politics.\n")


@pytest.fixture(scope="module")
def renamed_model(tmp_path_factory) -> Path:
    """The bundled model's files under another name: another model of the same dimension (384)."""
    folder = tmp_path_factory.mktemp("models") / "other-minilm"
    folder.mkdir()
    for item in Path(resolve_model_path(BUNDLED_MODEL)).iterdir():
        (folder / item.name).symlink_to(item)
    return folder


@pytest.fixture(scope="module")
def wider_model(tmp_path_factory) -> Path:
    """A real model of another dimension: the bundled one with a 384 -> 128 dense layer on top."""
    from sentence_transformers import SentenceTransformer, models  # type: ignore[attr-defined]

    base = SentenceTransformer(resolve_model_path(BUNDLED_MODEL), device="cpu")
    model = SentenceTransformer(modules=[*base, models.Dense(384, 128)], device="cpu")
    folder = tmp_path_factory.mktemp("models") / "minilm-128"
    model.save(str(folder))
    return folder


@pytest.fixture
def built(tmp_path) -> tuple[Path, Path, tuple]:
    """A store built with the bundled model (its client closed), the synced folder, and a snapshot."""
    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "maritime.txt").write_text(BRIEF, encoding="utf-8")
    store_dir = tmp_path / "store"
    embedder = bundled_embedder()
    store = reopen(store_dir, embedder)
    report = Syncer(store, embedder, SyncOptions()).sync([folder])
    assert report.added == 1 and not report.failed
    snapshot = store_snapshot(store)
    store.client.close()
    (folder / "energy.txt").write_text(NEW_BRIEF, encoding="utf-8")  # pending work the refused run must not do
    return store_dir, folder, snapshot


def _unchanged(store_dir: Path, digest: dict[str, str], snapshot: tuple) -> None:
    assert store_files_digest(store_dir) == digest, "the store's files changed"
    embedder = bundled_embedder()
    store = reopen(store_dir, embedder)
    try:
        assert store_snapshot(store) == snapshot, "the store's contents changed"
    finally:
        store.client.close()


def test_cli_with_another_model_of_the_same_dimension_is_refused_naming_both_and_writes_nothing(built, renamed_model):
    store_dir, folder, snapshot = built
    digest = store_files_digest(store_dir)
    done = run_ingest(str(folder), "--store", str(store_dir), "--json",
                      env=child_env(BRIEFS_EMBEDDING__MODEL=str(renamed_model)))
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    message = done.stderr.strip()
    assert message.startswith("error: the store was built with embedding model 'all-MiniLM-L6-v2'"), message
    assert f"the configured model is '{renamed_model}'" in message
    assert "use a different store path or collection" in message
    assert "Traceback" not in done.stderr
    _unchanged(store_dir, digest, snapshot)


def test_cli_with_a_model_of_another_dimension_is_refused_naming_both_dimensions_and_writes_nothing(built, wider_model):
    store_dir, folder, snapshot = built
    digest = store_files_digest(store_dir)
    done = run_ingest(str(folder), "--store", str(store_dir), env=child_env(BRIEFS_EMBEDDING__MODEL=str(wider_model)))
    assert done.returncode == 2, done.stderr
    assert "'all-MiniLM-L6-v2' (384 dimensions)" in done.stderr
    assert f"'{wider_model}' (128 dimensions)" in done.stderr
    assert "Traceback" not in done.stderr
    _unchanged(store_dir, digest, snapshot)


def test_the_app_configured_with_another_model_shows_the_refusal_and_writes_nothing(built, renamed_model, tmp_path,
                                                                                    monkeypatch):
    from streamlit.testing.v1 import AppTest

    store_dir, _, snapshot = built
    digest = store_files_digest(store_dir)
    for name in list(os.environ):
        if name.startswith("BRIEFS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BRIEFS_STORE__PATH", str(store_dir))
    monkeypatch.setenv("BRIEFS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BRIEFS_EMBEDDING__MODEL", str(renamed_model))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    (error,) = [plain(e.value) for e in at.error]
    assert error.startswith("The index cannot be opened: the store was built with embedding model "
                            "'all-MiniLM-L6-v2'"), error
    assert str(renamed_model) in error
    assert not at.chat_input  # nothing to ask against a store the model cannot read
    _unchanged(store_dir, digest, snapshot)


def test_a_server_collection_opened_with_another_model_is_refused_and_left_as_it_was(tmp_path, renamed_model):
    embedder = bundled_embedder()
    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "maritime.txt").write_text(BRIEF, encoding="utf-8")
    with chroma_server(tmp_path / "server") as port:
        store = open_store(host="127.0.0.1", port=port, model=embedder.name, dimension=embedder.dimension)
        Syncer(store, embedder, SyncOptions()).sync([folder])
        before = store_snapshot(store)
        metadata = dict(store.client.get_collection("briefs").metadata)
        other = SentenceTransformerEmbedder(str(renamed_model))
        with pytest.raises(ModelMismatchError, match=f"'{BUNDLED_MODEL}'.*'{renamed_model}'"):
            open_store(host="127.0.0.1", port=port, model=other.name, dimension=other.dimension)
        again = open_store(host="127.0.0.1", port=port, model=embedder.name, dimension=embedder.dimension)
        assert store_snapshot(again) == before
        assert dict(again.client.get_collection("briefs").metadata) == metadata
        assert sorted(c.name for c in again.client.list_collections()) == ["briefs", "briefs-manifest"]
    shutil.rmtree(tmp_path / "server", ignore_errors=True)
