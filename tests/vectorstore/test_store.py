"""The Chroma store: model check, batching, and server mode against a real `chroma run`."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ingest.sync import Syncer, SyncOptions
from tests.fixtures import briefs_dir, real_embedder, store  # noqa: F401  (fixtures)
from vectorstore.errors import ModelMismatchError, StoreUnavailableError
from vectorstore.store import open_store
from vectorstore.types import Chunk


def _chunks(n: int) -> list[Chunk]:
    return [Chunk(id=f"c{i}", doc_id="d" * 64, source="s.txt", start=i, end=i + 1, text=f"t{i}") for i in range(n)]


def test_opening_a_store_with_another_model_is_refused_naming_both(tmp_path):
    path = str(tmp_path / "s")
    first = open_store(path=path, model="all-MiniLM-L6-v2", dimension=384)
    first.upsert_chunks(_chunks(1), np.ones((1, 384), dtype=np.float32), ready=True)
    with pytest.raises(ModelMismatchError) as refused:
        open_store(path=path, model="BAAI/bge-small-en-v1.5", dimension=384)
    assert "all-MiniLM-L6-v2" in str(refused.value) and "BAAI/bge-small-en-v1.5" in str(refused.value)
    with pytest.raises(ModelMismatchError, match="768"):
        open_store(path=path, model="all-MiniLM-L6-v2", dimension=768)
    assert open_store(path=path, model="all-MiniLM-L6-v2", dimension=384).count() == 1


def test_writes_larger_than_chromas_batch_limit_are_split(tmp_path):
    s = open_store(path=str(tmp_path / "s"), model="m", dimension=8)
    n = s.max_batch + 7
    vectors = np.random.default_rng(0).random((n, 8), dtype=np.float32)
    s.upsert_chunks(_chunks(n), vectors)
    assert s.count() == n
    assert list(s.iter_chunks()) == []  # written unready: invisible to retrieval
    s.set_ready([f"c{i}" for i in range(n)])
    assert sum(1 for _ in s.iter_chunks()) == n


def test_query_sees_ready_passages_only(tmp_path):
    s = open_store(path=str(tmp_path / "s"), model="m", dimension=2)
    chunks = _chunks(2)
    s.upsert_chunks(chunks[:1], np.array([[1.0, 0.0]], dtype=np.float32), ready=True)
    s.upsert_chunks(chunks[1:], np.array([[1.0, 0.0]], dtype=np.float32), ready=False)
    hits = s.query(np.array([1.0, 0.0]), k=5)
    assert [h.chunk.id for h in hits] == ["c0"]
    assert hits[0].score == pytest.approx(1.0)


def test_a_filtered_search_among_known_ids_ranks_as_chromas_filtered_search(tmp_path):
    rng = np.random.default_rng(7)
    s = open_store(path=str(tmp_path / "s"), model="m", dimension=16)
    chunks = [Chunk(id=f"c{i}", doc_id=f"d{i % 5}", source=f"brief{i % 5}.txt", start=i, end=i + 1, text=f"t{i}")
              for i in range(60)]
    vectors = rng.standard_normal((60, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    s.upsert_chunks(chunks, vectors, ready=True)
    s.set_ready(["c2"], False)  # brief2's first passage is being written: never returned
    allowed = [c.id for c in chunks if c.source in ("brief2.txt", "brief3.txt")]
    where = {"source": {"$in": ["brief2.txt", "brief3.txt"]}}
    chroma_calls = []
    chroma_query = s._query
    s._query = lambda *args: chroma_calls.append(args) or chroma_query(*args)
    for query in rng.standard_normal((5, 16)).astype(np.float32):
        exact = s.query(query, 6, where, among=allowed)
        assert chroma_calls == [], "the search among known ids went to Chroma"
        chroma = s.query(query, 6, where)
        chroma_calls.clear()
        assert [h.chunk.id for h in exact] == [h.chunk.id for h in chroma]
        assert [h.rank for h in exact] == list(range(1, 7))
        assert np.allclose([h.score for h in exact], [h.score for h in chroma], atol=1e-4)
        assert "c2" not in {h.chunk.id for h in exact}
    assert s.query(vectors[0], 3, where, among=["missing"]) == []


def test_collection_names_shorter_than_three_characters_are_rejected(tmp_path):
    with pytest.raises(ValueError, match="'ab'"):
        open_store(path=str(tmp_path / "s"), collection="ab", model="m", dimension=2)


def test_unreachable_server_gives_a_clear_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StoreUnavailableError, match=f"127.0.0.1:{port}"):
        open_store(host="127.0.0.1", port=port, model="m", dimension=2)


@pytest.fixture
def chroma_server(tmp_path):
    """A real `chroma run` on a free loopback port, stopped after the test."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield port
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.slow
def test_server_mode_syncs_and_a_second_client_sees_the_same_briefs(chroma_server, real_embedder, briefs_dir):
    def connect():
        return open_store(host="127.0.0.1", port=chroma_server, model=real_embedder.name,
                          dimension=real_embedder.dimension)

    writer = connect()
    report = Syncer(writer, real_embedder, SyncOptions()).sync([briefs_dir])
    assert report.added == 2 and report.failed == []
    reader = connect()
    assert reader.count() == writer.count() == report.chunks
    hits = reader.query(real_embedder.encode(["Who is Elbridge Colby?"])[0], k=3)
    assert any("Colby" in h.chunk.text for h in hits)
    again = Syncer(connect(), real_embedder, SyncOptions()).sync([briefs_dir])
    assert again.unchanged == 2
