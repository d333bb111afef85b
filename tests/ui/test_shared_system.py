"""The app's shared System sees briefs that another process synced into the store."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from settings import REPO_ROOT, Settings
from system import System
from tests.fixtures import bundled_embedder
from tests.ui.conftest import ask, no_failure, start_app

pytestmark = pytest.mark.slow  # real model, real store, and a second process

NEW_BRIEF = """Arctic Shipping Lanes

Melting sea ice has opened the Northern Sea Route to commercial convoys for four months a year.
Icebreaker escorts cost shipping companies about 200,000 dollars per voyage on the Northern Sea Route.
"""


def _ingest_elsewhere(path, store) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-m", "ingest", str(path), "--store", str(store)], cwd=REPO_ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_a_sync_by_another_process_is_picked_up_on_the_next_run(tmp_path, own_store, data_dir):
    at = start_app()
    assert at.metric[0].value == "2"
    brief = tmp_path / "arctic.txt"
    brief.write_text(NEW_BRIEF, encoding="utf-8")
    _ingest_elsewhere(brief, own_store)

    at.run()
    no_failure(at)
    assert at.metric[0].value == "3"
    ask(at, "How much do icebreaker escorts cost per voyage?")
    no_failure(at)
    answer = at.session_state["turns"][0].answer
    assert any(c.title == "Arctic Shipping Lanes" for c in answer.citations)


def test_concurrent_sessions_share_one_opening_safely(own_store, data_dir):
    system = System(Settings(), embedder=bundled_embedder())
    seen, errors = [], []

    def session() -> None:
        try:
            opened = system.current()
            hits = opened.retriever.search("trilateral security cooperation", 3)
            seen.append((id(opened), len(hits)))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=session) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len({opening for opening, _ in seen}) == 1 and all(n == 3 for _, n in seen)


def test_the_brief_list_is_read_once_per_store_version(tmp_path, make_store, fake_embedder, monkeypatch):
    from tests.conftest import index_documents, make_document

    store_dir = tmp_path / "store-1"
    store = make_store(fake_embedder)  # tmp_path / "store-1"
    index_documents(store, fake_embedder, [make_document("Seoul and Tokyo met in March.", source="a.txt")])
    system = System(Settings(store={"path": store_dir}, data_dir=tmp_path / "data"), embedder=fake_embedder)
    opened = system.current()
    reads = []
    original = type(opened.store).manifest
    monkeypatch.setattr(type(opened.store), "manifest", lambda self: reads.append(1) or original(self))
    assert [e.sources for e in system.ready_entries()] == [("a.txt",)]
    assert [e.sources for e in system.ready_entries()] == [("a.txt",)]
    assert len(reads) == 1, "the manifest was read again although the store did not change"
    index_documents(opened.store, fake_embedder, [make_document("Manila hosted the talks.", source="b.txt")])
    assert sorted(e.sources for e in system.ready_entries()) == [("a.txt",), ("b.txt",)]
    assert len(reads) == 2
