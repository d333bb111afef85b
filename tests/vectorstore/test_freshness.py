"""``vectorstore.freshness``: the one place that decides when readers of a store are stale."""

from __future__ import annotations

import pytest

from tests.conftest import index_documents, make_document
from vectorstore.freshness import StoreVersion, StoreWatch
from vectorstore.store import open_store


def _foreign_sync(store, *, delete_one: bool = False) -> None:
    """What another process's sync looks like from here: written straight into Chroma, so this
    process's write stamps and recorded syncs know nothing of it."""
    client = store.client
    if delete_one:
        collection = client.get_collection(store.collection)
        collection.delete(ids=[collection.get(limit=1)["ids"][0]])
    manifest = client.get_collection(f"{store.collection}-manifest")
    state = store.state()
    state["generation"] = int(state.get("generation", 0)) + 1
    manifest.upsert(ids=["__sync_state__"], embeddings=[[0.0]], documents=[""], metadatas=[state])


@pytest.fixture
def store(make_store, fake_embedder):
    store = make_store(fake_embedder)
    index_documents(store, fake_embedder, [make_document("Seoul and Tokyo met in March.", source="a.txt")])
    return store


def test_own_writes_through_any_store_object_are_seen_at_once(store, fake_embedder):
    watch = StoreWatch(store, recheck_s=3600)
    before = watch.version()
    assert before == StoreVersion(store.state()["generation"], store.count())
    other = open_store(path=store.client.get_settings().persist_directory, model=fake_embedder.name,
                       dimension=fake_embedder.dimension)
    index_documents(other, fake_embedder, [make_document("Manila hosted the talks.", source="b.txt")])
    assert watch.version() == StoreVersion(before.generation + 1, before.passages + 1)


def test_another_process_change_is_seen_once_recheck_s_has_passed(store):
    now = [100.0]
    watch = StoreWatch(store, recheck_s=1.0, clock=lambda: now[0])
    before = watch.version()
    _foreign_sync(store, delete_one=True)
    now[0] += 0.9
    assert watch.version() == before, "trusted until recheck_s has passed"
    now[0] += 0.2
    assert watch.version() == StoreVersion(before.generation + 1, before.passages - 1)


def test_own_syncs_are_not_changes_elsewhere_but_another_process_sync_is(store, fake_embedder):
    watch = StoreWatch(store)
    opened_at = watch.generation()
    index_documents(store, fake_embedder, [make_document("Manila hosted the talks.", source="b.txt")])
    store.record_sync(changed=False)  # an unchanged sync moves nothing
    assert watch.generation() == opened_at + 1
    assert not watch.changed_elsewhere(opened_at), "this process's own sync"
    _foreign_sync(store)
    assert watch.changed_elsewhere(opened_at)
    index_documents(store, fake_embedder, [make_document("Hanoi joined later.", source="c.txt")])
    assert watch.changed_elsewhere(opened_at), "our later sync does not hide the other process's one"
    assert not watch.changed_elsewhere(watch.generation())


def test_recheck_s_must_not_be_negative(store):
    with pytest.raises(ValueError, match=r"recheck_s \(-1\)"):
        StoreWatch(store, recheck_s=-1)
