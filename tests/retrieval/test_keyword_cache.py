import logging

import pytest

from retrieval.hybrid import HybridRetriever
from retrieval.keyword import FORMAT, KeywordIndex
from retrieval.keyword_cache import KeywordIndexCache, passages_key
from retrieval.keyword_retriever import keyword_text
from settings import RetrievalSettings
from tests.conftest import index_documents, make_document
from tests.retrieval.test_hybrid import DEFENSE, ENERGY, TRADE
from vectorstore.types import DocumentMeta


@pytest.fixture
def store(make_store, fake_embedder):
    store = make_store(fake_embedder)
    index_documents(store, fake_embedder, [
        make_document(TRADE, source="trade.txt", meta=DocumentMeta(title="Trade", authors=("Ana Lee", "Bo Kim"))),
        make_document(DEFENSE, source="defense.txt", meta=DocumentMeta(title="Defense", date="2017-05-08")),
    ])
    return store


def _retriever(store, embedder, cache_dir):
    return HybridRetriever.over(store=store, embedder=embedder, settings=RetrievalSettings(k=3, fetch_k=10),
                           cache_dir=cache_dir)


def _no_passage_reads(monkeypatch, store):
    def refuse(*args, **kwargs):
        raise AssertionError("the passages were read from the store instead of the saved index")

    monkeypatch.setattr(store, "iter_chunks", refuse)


def test_a_saved_index_loads_back_with_the_same_passages_and_scores(store, tmp_path):
    chunks = list(store.iter_chunks())
    built = KeywordIndex(chunks, [keyword_text(c) for c in chunks])
    built.save(tmp_path / "saved")
    loaded = KeywordIndex.load(tmp_path / "saved")
    assert loaded.chunks == built.chunks and loaded.chunks[0].authors == ("Ana Lee", "Bo Kim")
    for query in ("CBAM levy on imports", "missile defenses Japan", "Trade", "nothing matches zebra"):
        assert loaded.search(query, 5) == built.search(query, 5)


def test_an_empty_index_saves_and_loads(tmp_path):
    KeywordIndex([]).save(tmp_path / "empty")
    loaded = KeywordIndex.load(tmp_path / "empty")
    assert len(loaded) == 0 and loaded.search("anything", 3) == []


def test_a_second_retriever_loads_the_saved_index_instead_of_reading_every_passage(store, fake_embedder, tmp_path,
                                                                                   monkeypatch):
    first = _retriever(store, fake_embedder, tmp_path / "cache")
    expected = first.search("CBAM levy", k=2)
    _no_passage_reads(monkeypatch, store)
    second = _retriever(store, fake_embedder, tmp_path / "cache")
    assert second.search("CBAM levy", k=2) == expected
    assert len(second.keyword_index()) == store.count()


def test_a_saved_index_is_not_used_once_the_passages_changed(store, fake_embedder, tmp_path):
    _retriever(store, fake_embedder, tmp_path / "cache").keyword_index()
    index_documents(store, fake_embedder, [make_document(ENERGY, source="energy.txt")])
    hits = _retriever(store, fake_embedder, tmp_path / "cache").search("Norway pipelines", k=3)
    assert hits[0].chunk.source == "energy.txt" and hits[0].keyword_score > 0
    saved = [p.name for p in (tmp_path / "cache").iterdir()]
    assert len(saved) == 1, "one folder per collection"
    versions = list((tmp_path / "cache" / saved[0]).iterdir())
    assert [v.name for v in versions] == [passages_key(store.ready_ids(), keyword_titles=True)], \
        "the older version is removed once the new one is saved"


def test_the_key_covers_exactly_the_ready_passages_whatever_the_sync_counter_says(store, fake_embedder, tmp_path):
    """A passage flipped unready (a killed sync) leaves generation and count alone: the key still moves."""
    _retriever(store, fake_embedder, tmp_path / "cache").keyword_index()
    before = passages_key(store.ready_ids(), keyword_titles=True)
    victim = next(c for c in store.iter_chunks() if "CBAM" in c.text)
    store.set_ready([victim.id], False)
    assert passages_key(store.ready_ids(), keyword_titles=True) != before
    index = _retriever(store, fake_embedder, tmp_path / "cache").keyword_index()
    assert victim.id not in {c.id for c in index.chunks}


def test_the_key_ignores_order_and_separates_title_indexing():
    assert passages_key(["b", "a"], keyword_titles=True) == passages_key(["a", "b"], keyword_titles=True)
    assert passages_key(["a"], keyword_titles=True) != passages_key(["a"], keyword_titles=False)
    assert passages_key(["a", "b"], keyword_titles=True) != passages_key(["ab"], keyword_titles=True)


def test_a_damaged_saved_index_is_rebuilt_with_a_warning(store, fake_embedder, tmp_path, caplog):
    first = _retriever(store, fake_embedder, tmp_path / "cache")
    expected = first.search("missile defenses", k=2)
    (saved,) = (tmp_path / "cache").glob("*/*/passages.json")
    saved.write_text('{"format": 1, "rows": [', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="retrieval.keyword_cache"):
        again = _retriever(store, fake_embedder, tmp_path / "cache")
        assert again.search("missile defenses", k=2) == expected
    assert any("unreadable" in r.getMessage() for r in caplog.records)
    assert KeywordIndex.load(saved.parent).chunks == again.keyword_index().chunks, "saved again after the rebuild"


def test_an_index_of_another_format_is_refused(store, tmp_path):
    chunks = list(store.iter_chunks())
    KeywordIndex(chunks).save(tmp_path / "saved")
    path = tmp_path / "saved" / "passages.json"
    path.write_text(path.read_text(encoding="utf-8").replace(f'"format":{FORMAT}', '"format":0'), encoding="utf-8")
    with pytest.raises(ValueError, match="another format"):
        KeywordIndex.load(tmp_path / "saved")


def test_an_unwritable_cache_folder_costs_a_rebuild_never_an_error(store, fake_embedder, tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="retrieval.keyword_cache"):
        hits = _retriever(store, fake_embedder, blocker / "cache").search("CBAM levy", k=2)
    assert hits[0].chunk.source == "trade.txt"
    assert any("cannot save" in r.getMessage() for r in caplog.records)


def test_a_save_leaves_no_temporary_folder(store, tmp_path):
    cache = KeywordIndexCache(tmp_path / "cache")
    cache.save("k1", KeywordIndex(list(store.iter_chunks())))
    cache.save("k1", KeywordIndex(list(store.iter_chunks())))  # the same passages saved twice: kept once
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["k1"]
    assert cache.load("k1") is not None and cache.load("missing") is None


def test_writes_from_this_process_reach_the_keyword_index_at_once_through_any_store_object(store, fake_embedder,
                                                                                         tmp_path):
    from vectorstore.store import open_store

    retriever = HybridRetriever.over(store=store, embedder=fake_embedder, settings=RetrievalSettings(k=3, fetch_k=10),
                                recheck_s=3600)
    retriever.keyword_index()
    other = open_store(path=store.client.get_settings().persist_directory, model=fake_embedder.name,
                       dimension=fake_embedder.dimension)
    index_documents(other, fake_embedder, [make_document(ENERGY, source="energy.txt")])
    assert retriever.search("Norway pipelines", k=3)[0].chunk.source == "energy.txt"


def test_a_change_the_store_objects_did_not_make_is_seen_once_recheck_s_has_passed(store, fake_embedder):
    """Another process's sync: written straight into Chroma, so this process's write stamp stays put.
    The watch's clock is injected, so the test neither sleeps nor depends on the machine's load."""
    from retrieval.dense import DenseRetriever
    from retrieval.keyword_retriever import KeywordRetriever
    from vectorstore.freshness import StoreWatch

    now = [100.0]
    watch = StoreWatch(store, recheck_s=0.5, clock=lambda: now[0])
    retriever = HybridRetriever(dense=DenseRetriever(store, fake_embedder), keyword=KeywordRetriever(store, watch=watch),
                                settings=RetrievalSettings(k=3, fetch_k=10))
    before = len(retriever.keyword_index())
    victim = next(c for c in store.iter_chunks() if "CBAM" in c.text)
    store.client.get_collection(store.collection).delete(ids=[victim.id])  # not through ChromaStore
    now[0] += 0.4
    assert len(retriever.keyword_index()) == before, "trusted until recheck_s has passed"
    now[0] += 0.2
    assert len(retriever.keyword_index()) == before - 1
    assert all(h.chunk.id != victim.id for h in retriever.search("CBAM levy on imports", k=3))


def test_a_metadata_correction_is_not_hidden_by_a_saved_index_of_the_same_passages(store, fake_embedder, tmp_path,
                                                                                   monkeypatch):
    # seen in a browser trial: a brief dated by hand in the UI was still left out by a date filter,
    # because the saved index (same passage ids) still carried its old, empty date
    from ingest.overrides import apply_to_store
    from retrieval.filters import Filters

    first = _retriever(store, fake_embedder, tmp_path / "cache")
    first.keyword_index()  # built and saved
    (trade,) = [e for e in store.manifest().values() if e.title == "Trade"]
    apply_to_store(store, trade, {"date": "2024-07-15"})
    in_2024 = Filters(date_from="2024-01-01", date_to="2024-12-31")
    second = _retriever(store, fake_embedder, tmp_path / "cache")
    assert {h.chunk.source for h in second.search("CBAM levy on imports", k=3, filters=in_2024)} == {"trade.txt"}
    assert first.search("CBAM levy on imports", k=3, filters=in_2024)  # the running one sees it too
    _no_passage_reads(monkeypatch, store)  # and the index saved again is the corrected one
    third = _retriever(store, fake_embedder, tmp_path / "cache")
    assert {h.chunk.source for h in third.search("CBAM levy on imports", k=3, filters=in_2024)} == {"trade.txt"}
