"""Several processes on one store: the running app never answers from a stale index.

Embedded mode: the app (Streamlit's AppTest running app.py, its cached resources alive between
runs as in a served app) keeps answering while the command line adds, edits and removes briefs
in another process. Server mode: two app processes against one real `chroma run` see the same
briefs, including one added through the other's upload panel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time

import pytest

from ingest.sync import Syncer, SyncOptions
from retrieval.filters import Filters
from settings import REPO_ROOT, SAMPLE_BRIEFS, Settings
from tests.fixtures import bundled_embedder
from tests.reliability.support import (chroma_server, child_env, ingest_command, plain, reopen, run_ingest,
                                       stop)
from vectorstore.store import open_store

pytestmark = pytest.mark.slow

BUSAN = ("Port Transparency in Busan\n\nThe port authority of Busan will publish container inspection statistics "
         "every month, responding to complaints that sanctions enforcement was opaque.\n")
BUSAN_QUESTION = "How often will the Busan port authority publish container inspection statistics?"
MANILA = ("Visiting Forces in Manila\n\nVeterans' groups in Manila criticised the visiting forces agreement, arguing "
          "that its legal provisions favour foreign personnel in criminal cases.\n")
MANILA_QUESTION = "What did veterans' groups in Manila say about the visiting forces agreement?"
JEJU_OLD = ("Jeju Exercise Note\n\nA trilateral exercise near Jeju Island rehearsed the rescue of a downed pilot "
            "with four destroyers.\n")
JEJU_NEW = JEJU_OLD.replace("four destroyers", "eleven frigates and a hospital ship")
JEJU_QUESTION = "Which ships took part in the trilateral exercise near Jeju Island?"
DATED = Filters(date_from="2017-01-01")  # the dated sample brief only


def _clean_env(monkeypatch, **values: str) -> None:
    for name in list(os.environ):
        if name.startswith("BRIEFS_"):
            monkeypatch.delenv(name)
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def _ask(at, question: str):
    at.chat_input(key="question").set_value(question).run()
    assert not at.exception, [e.value for e in at.exception]
    turn = at.session_state["turns"][-1]
    assert turn.error is None, turn.error
    return turn.answer


def test_the_running_app_answers_from_briefs_the_cli_added_edited_and_removed_in_embedded_mode(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    folder = tmp_path / "briefs"
    shutil.copytree(SAMPLE_BRIEFS, folder)
    (folder / "jeju.txt").write_text(JEJU_OLD, encoding="utf-8")
    store_dir = tmp_path / "store"
    embedder = bundled_embedder()
    store = reopen(store_dir, embedder)
    Syncer(store, embedder, SyncOptions()).sync([folder])
    store.client.close()
    _clean_env(monkeypatch, BRIEFS_STORE__PATH=str(store_dir), BRIEFS_DATA_DIR=str(tmp_path / "data"))

    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120).run()
    assert at.metric[0].value == "3"
    before = _ask(at, BUSAN_QUESTION)
    assert "busan.txt" not in {h.chunk.source for h in before.retrieved}
    assert "four destroyers" in " ".join(c.quote for c in _ask(at, JEJU_QUESTION).citations)

    # Another process adds a brief while the app runs.
    (folder / "busan.txt").write_text(BUSAN, encoding="utf-8")
    done = run_ingest(str(folder), "--store", str(store_dir), "--json")
    assert json.loads(done.stdout)["added"] == 1, done.stderr
    at.run()
    assert at.metric[0].value == "4", "the sidebar still counts the briefs from before the sync"
    after = _ask(at, BUSAN_QUESTION)
    busan_hits = [h for h in after.retrieved if h.chunk.source == "busan.txt"]
    assert busan_hits and busan_hits[0].dense_score is not None, "the app's vector search does not see the new brief"
    assert any(c.source == "busan.txt" and "every month" in c.quote for c in after.citations), after.text

    # Another process edits one brief and removes another.
    (folder / "jeju.txt").write_text(JEJU_NEW, encoding="utf-8")
    (folder / "busan.txt").unlink()
    done = run_ingest(str(folder), "--store", str(store_dir), "--json")
    summary = json.loads(done.stdout)
    assert (summary["updated"], summary["removed"]) == (1, 1), done.stderr
    at.run()
    assert at.metric[0].value == "3"
    edited = _ask(at, JEJU_QUESTION)
    texts = [h.chunk.text for h in edited.retrieved]
    assert any("eleven frigates" in c.quote for c in edited.citations), edited.text
    assert not any("four destroyers" in t for t in texts), "a passage of the replaced version was retrieved"
    gone = _ask(at, BUSAN_QUESTION)
    assert "busan.txt" not in {h.chunk.source for h in gone.retrieved}, "a removed brief was retrieved"
    assert "every month" not in gone.text


def test_questions_asked_while_the_cli_syncs_in_another_process_are_answered_not_failed(tmp_path):
    """The app's shared System keeps answering during a long command-line sync: no question,
    plain or filtered, fails because the index is being written by another process, and once
    the sync is done the new briefs are found."""
    from system import System

    folder = tmp_path / "briefs"
    shutil.copytree(SAMPLE_BRIEFS, folder)
    store_dir = tmp_path / "store"
    embedder = bundled_embedder()
    store = reopen(store_dir, embedder)
    Syncer(store, embedder, SyncOptions()).sync([folder])
    store.client.close()
    system = System(Settings(store={"path": store_dir}, data_dir=tmp_path / "data"), embedder=embedder)
    system.warm_up()
    topics = ["port inspections in Busan", "visiting forces in Manila", "fishing fleets near the reefs",
              "gas contracts with Qatar", "export controls on chips", "shelters in Okinawa", "engine tests at Sohae",
              "the Jeju rescue drill", "the defence budget increase", "missile warning data"]
    for n, topic in enumerate(topics):
        (folder / f"new-{n:02d}.txt").write_text(
            f"Brief {n} on {topic}\n\n" + " ".join(f"Officials discussed {topic} in session {i} and agreed on "
                                                   f"measure {n}-{i} for the coming year." for i in range(12)) + "\n",
            encoding="utf-8")
    questions = ["How many missiles has Kim launched since he came to power?", "Who is Elbridge Colby?",
                 "What did officials agree about port inspections in Busan?"]
    errors: list[str] = []
    answered = 0
    proc = subprocess.Popen(ingest_command(str(folder), "--store", str(store_dir), "--json"), cwd=REPO_ROOT,
                            env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        while proc.poll() is None and time.monotonic() < deadline:
            for question in questions:
                for filters in (None, DATED):  # Chroma's filtered search takes another path than the plain one
                    try:
                        system.current().assistant.ask(question, filters=filters)
                        answered += 1
                    except Exception as exc:  # noqa: BLE001 - every failure is the finding
                        errors.append(f"{type(exc).__name__} ({'filtered' if filters else 'plain'}): {exc}")
        out, err = proc.communicate(timeout=240)
    finally:
        stop(proc)
    assert proc.returncode == 0 and json.loads(out)["added"] == 10, err
    assert answered + len(errors) >= 6, "the sync ended before questions overlapped it"
    assert errors == [], f"{len(errors)} of {answered + len(errors)} questions failed during the sync: {errors[:3]}"
    final = system.current().assistant.ask(questions[-1])
    assert any(c.source.startswith("new-") for c in final.citations), final.text


class Worker:
    """An app process (tests/reliability/app_worker.py) talking JSON lines."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.reliability.app_worker"], cwd=REPO_ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True)

    def read(self, timeout: float = 240) -> dict:
        result: dict = {}

        def reader() -> None:
            for line in self.proc.stdout:
                if line.startswith("RESULT "):
                    result.update(json.loads(line[len("RESULT "):]))
                    return

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        thread.join(timeout)
        assert result, f"the app process gave no result within {timeout:g} s (exit {self.proc.poll()})"
        assert result.get("exceptions") in (None, []), result["exceptions"]
        return result

    def send(self, **command: object) -> dict:
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write(json.dumps({"quit": True}) + "\n")
                self.proc.stdin.flush()
                self.proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                pass
        stop(self.proc)


def test_two_app_processes_on_one_chroma_server_see_the_same_briefs(tmp_path):
    embedder = bundled_embedder()
    with chroma_server(tmp_path / "chroma") as port:
        store = open_store(host="127.0.0.1", port=port, model=embedder.name, dimension=embedder.dimension)
        report = Syncer(store, embedder, SyncOptions()).sync([SAMPLE_BRIEFS])
        assert report.added == 2
        workers = []
        try:
            for name in ("first", "second"):
                workers.append(Worker(child_env(BRIEFS_STORE__HOST="127.0.0.1", BRIEFS_STORE__PORT=str(port),
                                                BRIEFS_DATA_DIR=str(tmp_path / name))))
            for worker in workers:
                assert worker.read()["ready"]
            first, second = workers
            question = "How many missiles has Kim launched since he came to power?"
            a, b = first.send(ask=question), second.send(ask=question)
            assert a["error"] is None and b["error"] is None
            assert (a["text"], a["quotes"], a["retrieved"]) == (b["text"], b["quotes"], b["retrieved"])
            assert "seventy" in a["text"]

            # A brief uploaded in one app is answered from in the other.
            assert "manila.md" not in second.send(ask=MANILA_QUESTION)["retrieved"]
            uploaded = first.send(upload=["manila.md", MANILA])
            assert uploaded["errors"] == [] and uploaded["briefs"] == "3", uploaded
            seen = second.send(ask=MANILA_QUESTION)
            assert "manila.md" in seen["cited"], seen
            assert any("legal provisions favour foreign personnel" in plain(q) for q in seen["quotes"])

            # And one added by the command line into the server is seen by both.
            folder = tmp_path / "cli"
            folder.mkdir()
            (folder / "busan.txt").write_text(BUSAN, encoding="utf-8")
            done = run_ingest(str(folder), env=child_env(BRIEFS_STORE__HOST="127.0.0.1",
                                                         BRIEFS_STORE__PORT=str(port)))
            assert done.returncode == 0, done.stderr
            for worker in workers:
                assert "busan.txt" in worker.send(ask=BUSAN_QUESTION)["cited"]
        finally:
            for worker in workers:
                worker.close()
