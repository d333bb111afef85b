"""``system.System``: the parts built from settings, their lifetime and their freshness."""

from __future__ import annotations

import os

import pytest

from answer.assistant import Assistant
from retrieval.hybrid import HybridRetriever
from settings import Settings
from system import System
from tests.conftest import index_documents, make_document, open_system
from tests.vectorstore.test_freshness import _foreign_sync
from vectorstore.errors import BriefsError, EmptyStoreError


@pytest.fixture
def system(tmp_path, make_store, fake_embedder):
    store = make_store(fake_embedder)  # tmp_path / "store-1"
    index_documents(store, fake_embedder, [make_document("Seoul and Tokyo met in March.", source="a.txt")])
    return System(Settings(store={"path": tmp_path / "store-1"}, data_dir=tmp_path / "data"), embedder=fake_embedder)


def test_the_parts_are_built_once_and_share_one_opening(system, fake_embedder):
    opened = system.current()
    assert system.embedder is fake_embedder
    assert isinstance(system.retriever, HybridRetriever) and isinstance(system.assistant, Assistant)
    assert system.store is opened.store and system.syncer.store is opened.store
    assert system.retriever.store is opened.store and system.assistant.retriever is opened.retriever
    assert system.assistant is system.assistant and system.review_store is system.review_store
    assert system.retriever.search("Seoul Tokyo", 1)[0].chunk.source == "a.txt"


def test_own_syncs_keep_the_opening_and_another_process_sync_reopens_it(system, fake_embedder):
    opened = system.current()
    system.syncer.store.record_sync(changed=True)  # as our own syncer's run ends
    index_documents(opened.store, fake_embedder, [make_document("Manila hosted the talks.", source="b.txt")])
    assert system.current() is opened
    assert sorted(e.sources for e in system.ready_entries()) == [("a.txt",), ("b.txt",)]
    assert system.retriever.search("Manila talks", 1)[0].chunk.source == "b.txt"
    _foreign_sync(opened.store)
    assert system.current() is not opened


def test_closing_a_store_from_before_a_reopening_leaves_the_new_opening_working(system):
    old = system.current().store
    _foreign_sync(old)
    new = system.current().store  # reopened: another process synced
    assert new is not old
    old.close()  # Chroma's cache now holds the new opening's system for this path: left to it
    assert new.count() > 0
    system.close()


def test_an_llm_backend_that_cannot_start_is_reported_and_the_index_stays_usable(tmp_path, system, monkeypatch):
    import answer.llm

    def broken(settings):
        raise BriefsError("cannot set up the chat model 'x:y': no such provider")

    monkeypatch.setattr(answer.llm, "build_chat_model", broken)
    llm = System(system.settings.model_copy(update={"answer": system.settings.answer.model_copy(
        update={"backend": "llm"})}), embedder=system.embedder)
    opened = llm.current()
    assert opened.assistant is None and "no such provider" in llm.assistant_error(opened)
    with pytest.raises(BriefsError, match="no such provider"):
        _ = llm.assistant  # the property raises
    assert llm.retriever.search("Seoul", 1)


def test_an_empty_store_is_refused_with_the_command_that_fills_it(tmp_path, fake_embedder):
    empty = System(Settings(store={"path": tmp_path / "empty"}, data_dir=tmp_path / "data"), embedder=fake_embedder)
    with pytest.raises(EmptyStoreError, match="python -m ingest samples/briefs --store"):
        empty.require_passages()


def test_with_store_shares_the_embedder(system, tmp_path):
    other = system.with_store(tmp_path / "other")
    assert other.embedder is system.embedder and other.settings.store.path == tmp_path / "other"
    assert system.settings.store.path == tmp_path / "store-1"


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts /proc/self/fd")
def test_closing_releases_the_store_files_and_a_later_use_opens_it_again(tmp_path, fake_embedder):
    system = open_system(tmp_path / "store", fake_embedder)
    index_documents(system.store, fake_embedder, [make_document("Seoul and Tokyo met in March.", source="a.txt")])
    open_ = _open_descriptors()
    system.close()
    system.close()  # idempotent
    closed = _open_descriptors()
    assert closed < open_  # the SQLite database and index files
    with system:
        assert system.store.count() > 0  # opened again on use
        reopened = _open_descriptors()
    assert _open_descriptors() < reopened
