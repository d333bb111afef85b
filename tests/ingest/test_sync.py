"""Sync semantics against a real embedded Chroma store and the real bundled model."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.__main__ import main as ingest_main
from ingest.sync import Syncer, SyncOptions, recover
from settings import REPO_ROOT
from tests.fixtures import briefs_dir, real_embedder, store  # noqa: F401  (fixtures)
from vectorstore.store import ChromaStore, ManifestEntry

pytestmark = pytest.mark.slow

BENCH_CORPORA = REPO_ROOT.parent / "shared" / "bench" / "chunking" / "corpora"


class CountingEmbedder:
    """The real embedder, counting the passages it encodes."""

    def __init__(self, inner):
        self.inner, self.encoded = inner, 0
        self.name, self.dimension, self.max_tokens = inner.name, inner.dimension, inner.max_tokens

    def encode(self, texts):
        self.encoded += len(texts)
        return self.inner.encode(texts)

    def count_tokens(self, texts):
        return self.inner.count_tokens(texts)


def assert_consistent(store: ChromaStore) -> None:
    """The invariants every sync must leave behind."""
    manifest = store.manifest()
    assert all(e.status == "ready" for e in manifest.values())
    chunks = list(store.iter_chunks(include_unready=True))
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids)), "duplicate passage ids"
    assert all(store.get_chunks([c.id]) for c in chunks[:1])
    stored = {c.id for c in chunks}
    expected = {cid for e in manifest.values() for cid in e.chunk_ids}
    assert stored == expected, "manifest and store disagree"
    texts = {doc_id: store.document_text(doc_id) for doc_id in manifest}
    for c in chunks:
        assert texts[c.doc_id][c.start:c.end] == c.text
    assert store.count() == len(expected)


def make_syncer(store, embedder) -> Syncer:
    return Syncer(store, embedder, SyncOptions())


def test_first_sync_adds_both_samples_and_every_passage_is_an_exact_span(store, real_embedder, briefs_dir):
    report = make_syncer(store, real_embedder).sync([briefs_dir])
    assert (report.added, report.updated, report.unchanged, report.removed) == (2, 0, 0, 0)
    assert report.failed == []
    assert report.chunks == store.count() > 10
    assert_consistent(store)
    titles = {e.title for e in store.manifest().values()}
    assert "Uncertainty Among U.S. Allies in Northeast Asia" in titles


def test_passages_leave_out_web_debris(store, real_embedder, briefs_dir):
    make_syncer(store, real_embedder).sync([briefs_dir])
    texts = [c.text for c in store.iter_chunks()]
    assert not any("More on:" in t for t in texts)
    assert not any("Top Stories on CFR" in t for t in texts)
    assert not any("View License Detail" in t for t in texts)
    body = "It is war on the Korean peninsula that has always been seen as the gravest threat"
    assert sum(body in t for t in texts) == 1, "the pull quote's body copy is stored exactly once"


def test_resync_of_unchanged_files_embeds_nothing(store, real_embedder, briefs_dir):
    make_syncer(store, real_embedder).sync([briefs_dir])
    counting = CountingEmbedder(real_embedder)
    before = {c.id for c in store.iter_chunks()}
    report = make_syncer(store, counting).sync([briefs_dir])
    assert (report.added, report.updated, report.unchanged, report.removed) == (0, 0, 2, 0)
    assert counting.encoded == 0
    assert {c.id for c in store.iter_chunks()} == before


def test_changed_file_replaces_its_passages(store, real_embedder, briefs_dir):
    make_syncer(store, real_embedder).sync([briefs_dir])
    target = next(briefs_dir.glob("001_*.txt"))
    old_ids = {c.id for c in store.iter_chunks() if c.source == target.name}
    text = target.read_text(encoding="utf-8")
    anchor = "At the end of the day, collective action"
    target.write_text(text.replace(anchor, "A new paragraph about Guam and its bases.\n\n" + anchor), encoding="utf-8")
    report = make_syncer(store, real_embedder).sync([briefs_dir])
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    new_ids = {c.id for c in store.iter_chunks() if c.source == target.name}
    assert new_ids and not (old_ids & new_ids)
    assert any("Guam" in c.text for c in store.iter_chunks())
    assert len(store.manifest()) == 2
    assert_consistent(store)


def test_file_removed_from_synced_folder_loses_its_passages(store, real_embedder, briefs_dir):
    make_syncer(store, real_embedder).sync([briefs_dir])
    gone = next(briefs_dir.glob("000_*.txt"))
    gone.unlink()
    report = make_syncer(store, real_embedder).sync([briefs_dir])
    assert (report.removed, report.unchanged) == (1, 1)
    assert all(c.source != gone.name for c in store.iter_chunks())
    assert len(store.manifest()) == 1
    assert_consistent(store)


def test_prune_removes_briefs_not_among_the_paths(store, real_embedder, briefs_dir, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.md").write_text("# Note\n\nThe alliance met in Manila to discuss maritime patrols.\n")
    syncer = make_syncer(store, real_embedder)
    syncer.sync([briefs_dir, other])
    assert len(store.manifest()) == 3
    report = syncer.sync([other], prune=True)
    assert report.removed == 2
    assert [e.sources for e in store.manifest().values()] == [("note.md",)]
    assert_consistent(store)


def test_same_bytes_under_two_names_are_stored_once_with_both_names(store, real_embedder, briefs_dir):
    original = next(briefs_dir.glob("001_*.txt"))
    shutil.copy(original, briefs_dir / "copy-of-001.txt")
    counting = CountingEmbedder(real_embedder)
    report = make_syncer(store, counting).sync([briefs_dir])
    assert report.added == 3
    manifest = store.manifest()
    assert len(manifest) == 2
    (entry,) = [e for e in manifest.values() if len(e.sources) == 2]
    assert set(entry.sources) == {original.name, "copy-of-001.txt"}
    assert counting.encoded == store.count()
    assert_consistent(store)


def test_renamed_file_is_not_embedded_again_and_passages_carry_the_new_name(store, real_embedder, briefs_dir):
    make_syncer(store, real_embedder).sync([briefs_dir])
    original = next(briefs_dir.glob("000_*.txt"))
    original.rename(briefs_dir / "trilateral.txt")
    counting = CountingEmbedder(real_embedder)
    report = make_syncer(store, counting).sync([briefs_dir])
    assert (report.added, report.removed, counting.encoded) == (1, 1, 0)
    assert {c.source for c in store.iter_chunks()} == {"trilateral.txt", next(briefs_dir.glob("001_*.txt")).name}
    assert_consistent(store)


def test_a_bad_file_fails_alone_and_a_stored_brief_survives_its_file_turning_bad(store, real_embedder, briefs_dir):
    (briefs_dir / "empty.txt").write_bytes(b"")
    report = make_syncer(store, real_embedder).sync([briefs_dir])
    assert report.added == 2
    assert [(Path(f.path).name, f.error) for f in report.failed] == [("empty.txt", "file is empty")]
    victim = next(briefs_dir.glob("001_*.txt"))
    kept = {c.id for c in store.iter_chunks() if c.source == victim.name}
    victim.write_bytes(b"\x00\x01\x02binary\xff" * 50)
    report = make_syncer(store, real_embedder).sync([briefs_dir])
    assert {Path(f.path).name for f in report.failed} == {"empty.txt", victim.name}
    assert {c.id for c in store.iter_chunks() if c.source == victim.name} == kept
    assert_consistent(store)


@pytest.mark.parametrize("crash_at", ["put_manifest", "upsert_chunks", "set_ready", "delete_chunks"])
def test_a_run_interrupted_at_any_step_is_finished_by_the_next(store, real_embedder, briefs_dir, crash_at):
    make_syncer(store, real_embedder).sync([briefs_dir])
    target = next(briefs_dir.glob("001_*.txt"))
    target.write_text(target.read_text(encoding="utf-8").replace("Tokyo", "Tôkyô"), encoding="utf-8")

    class Crash(BaseException):
        pass

    real = getattr(store, crash_at)
    calls = {"n": 0}

    def crashing(*args, **kwargs):
        calls["n"] += 1
        # Let the first manifest write through so the crash lands mid-document.
        if crash_at == "put_manifest" and calls["n"] == 1:
            return real(*args, **kwargs)
        raise Crash

    setattr(store, crash_at, crashing)
    with pytest.raises(Crash):
        make_syncer(store, real_embedder).sync([briefs_dir])
    setattr(store, crash_at, real)
    # Whatever the crash left, retrieval sees only whole documents.
    visible = {c.doc_id for c in store.iter_chunks()}
    ready = {e.doc_id: e for e in store.manifest().values() if e.status == "ready"}
    for doc_id in visible:
        if doc_id in ready:
            assert {c.id for c in store.iter_chunks() if c.doc_id == doc_id} == set(ready[doc_id].chunk_ids)
    report = make_syncer(store, real_embedder).sync([briefs_dir])
    assert report.failed == []
    assert len(store.manifest()) == 2
    assert any("Tôkyô" in c.text for c in store.iter_chunks())
    assert_consistent(store)


def test_recover_removes_what_an_interrupted_write_left(store, real_embedder, briefs_dir):
    make_syncer(store, real_embedder).sync([briefs_dir])
    chunk = next(store.iter_chunks())
    store.put_manifest(ManifestEntry(doc_id="f" * 64, sources=("half.txt",), chunk_ids=("x",), model="m",
                                     status="writing"), text="half")
    store.set_ready([chunk.id], False)
    assert recover(store) == 1
    assert "f" * 64 not in store.manifest()
    assert chunk.id not in {c.id for c in store.iter_chunks(include_unready=True)}


def test_kill_9_during_ingest_is_finished_by_the_next_run(tmp_path):
    if not BENCH_CORPORA.is_dir():
        pytest.skip("../shared/bench/chunking/corpora is not beside the repository")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("chatlogs.md", "state_of_the_union.md", "wikitexts.md"):
        shutil.copy(BENCH_CORPORA / name, corpus / name)
    store_dir = tmp_path / "store"
    command = [sys.executable, "-m", "ingest", str(corpus), "--store", str(store_dir), "--json"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    for delay in (4.0, 6.5, 9.0):
        proc = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["failed"] == []
    from vectorstore.embedder import SentenceTransformerEmbedder  # noqa: F401
    from tests.fixtures import bundled_embedder
    from vectorstore.store import open_store

    emb = bundled_embedder()
    reopened = open_store(path=str(store_dir), model=emb.name, dimension=emb.dimension)
    assert len(reopened.manifest()) == 3
    assert_consistent(reopened)
    again = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert json.loads(again.stdout)["unchanged"] == 3


def test_cli_json_summary_and_exit_codes(tmp_path, briefs_dir, capsys):
    store_dir = str(tmp_path / "cli-store")
    assert ingest_main([str(briefs_dir), "--store", store_dir, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary) == {"added", "updated", "unchanged", "removed", "chunks", "failed"}
    assert summary["added"] == 2 and summary["chunks"] > 0
    (briefs_dir / "blank.md").write_text("   \n\n  ")
    assert ingest_main([str(briefs_dir), "--store", store_dir, "--json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["unchanged"] == 2
    assert summary["failed"] == [{"path": str((briefs_dir / "blank.md").absolute()), "error": "contains only whitespace"}]
    with pytest.raises(SystemExit) as usage:
        ingest_main(["--store", store_dir])
    assert usage.value.code == 2


def _small_briefs(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"note-{i:02d}.txt"
        path.write_text(f"Port Note {i}\n\nThe port of city {i} inspected {10 + i} containers in March. "
                        f"Officials in city {i} promised monthly statistics on sanctions enforcement.\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


class CallCountingEmbedder(CountingEmbedder):
    def __init__(self, inner, fail_calls: int = 0):
        super().__init__(inner)
        self.calls, self.fail_calls = 0, fail_calls

    def encode(self, texts):
        self.calls += 1
        if self.calls <= self.fail_calls:
            raise RuntimeError("the model ran out of memory")
        return super().encode(texts)


def test_many_new_small_briefs_are_embedded_in_groups_each_keeping_its_own_record(store, real_embedder, tmp_path):
    _small_briefs(tmp_path / "notes", 12)
    counting = CallCountingEmbedder(real_embedder)
    report = Syncer(store, counting, SyncOptions(group_passages=8)).sync([tmp_path / "notes"])
    assert (report.added, report.failed) == (12, [])
    assert counting.calls <= 12 // 8 + 2, f"{counting.calls} encode calls for 12 one-passage briefs"
    assert counting.encoded == store.count() == report.chunks
    manifest = store.manifest()
    assert sorted(e.sources[0] for e in manifest.values()) == [f"note-{i:02d}.txt" for i in range(12)]
    assert_consistent(store)
    one_by_one = CallCountingEmbedder(real_embedder)
    again = Syncer(store, one_by_one, SyncOptions(group_passages=8)).sync([tmp_path / "notes"])
    assert (again.unchanged, one_by_one.calls) == (12, 0)


def test_a_group_that_cannot_be_embedded_fails_each_of_its_files_and_the_next_run_stores_them(store, real_embedder,
                                                                                            tmp_path):
    _small_briefs(tmp_path / "notes", 5)
    failing = CallCountingEmbedder(real_embedder, fail_calls=1)
    report = Syncer(store, failing, SyncOptions(group_passages=1000)).sync([tmp_path / "notes"])
    assert report.added == 0
    assert sorted(Path(f.path).name for f in report.failed) == [f"note-{i:02d}.txt" for i in range(5)]
    assert all("ran out of memory" in f.error for f in report.failed)
    assert list(store.iter_chunks()) == [], "nothing of a failed group is visible"
    report = Syncer(store, real_embedder, SyncOptions(group_passages=1000)).sync([tmp_path / "notes"])
    assert (report.added, report.failed) == (5, [])
    assert_consistent(store)


def test_a_run_killed_in_the_middle_of_a_group_is_finished_by_the_next(store, real_embedder, tmp_path):
    _small_briefs(tmp_path / "notes", 6)

    class Crash(BaseException):
        pass

    real = store.set_ready

    def crashing(*args, **kwargs):
        raise Crash

    store.set_ready = crashing
    with pytest.raises(Crash):
        Syncer(store, real_embedder, SyncOptions(group_passages=1000)).sync([tmp_path / "notes"])
    store.set_ready = real
    assert list(store.iter_chunks()) == [], "passages of an unfinished group are never visible"
    report = Syncer(store, real_embedder, SyncOptions(group_passages=1000)).sync([tmp_path / "notes"])
    assert (report.added, report.failed) == (6, [])
    assert len(store.manifest()) == 6
    assert_consistent(store)
