"""Crash safety as a property: random edits, syncs, kill -9 of a real ingest process, reopens.

A Hypothesis state machine in the style of Chroma's own property tests. Files in a folder are
written, edited, renamed and deleted at random; the folder is synced in this process or by a
real ``python -m ingest`` subprocess, which is sometimes killed with SIGKILL at a random point
(before the model loads, or while passages are being written); the store is reopened on a fresh
Chroma client. After every step:

- no passage is stored twice, and what retrieval sees is made of whole documents, each passage
  an exact span of its document's text and listed by its manifest record;
- every visible passage is found by the product's retriever (dense and keyword) from its own text;
- after a completed sync (and until the next kill) the manifest equals the store's contents and
  the folder's files.
"""

from __future__ import annotations

import hashlib
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from system import sync_options
from ingest.sync import Syncer
from settings import REPO_ROOT, Settings
from tests.fixtures import bundled_embedder
from tests.reliability.support import (OwnTextRetrieval, assert_mirrors_folder, assert_visible_state_whole,
                                       child_env, ingest_command, reopen, stale_versions, store_snapshot)
from vectorstore.store import ChromaStore

pytestmark = pytest.mark.slow

NAMES = ("alliance.txt", "budget.md", "regional/korea.txt", "regional/japan.md", "trade.txt")
TITLES = ("Allied Deterrence Review", "Defence Budget Outlook", "Maritime Security Note", "Energy and Trade Brief")
PARAGRAPHS = (
    "Seoul and Tokyo agreed to share missile warning data in real time, a step officials had resisted "
    "for a decade because of disputes over wartime history.",
    "The defence ministry asked parliament for a seven percent increase, most of it for long-range "
    "interceptors and the maintenance of ageing destroyers.",
    "Fishing fleets escorted by coast guard cutters have crowded the disputed reefs since March, and "
    "analysts expect more collisions before the monsoon season.",
    "Liquefied natural gas contracts signed with Qatar now cover a third of national demand, which "
    "reduces exposure to pipeline politics in Central Asia.",
    "A trilateral exercise near Jeju Island rehearsed the rescue of a downed pilot, the first such drill "
    "to include live anti-submarine warfare.",
    "Semiconductor export controls announced in October restrict tools for advanced logic chips, and "
    "three suppliers have already moved assembly lines abroad.",
    "Municipal shelters in Okinawa were inspected after the typhoon, and half of them lacked backup "
    "generators or drinking water for more than a day.",
    "Pyongyang tested a solid-fuel engine at the Sohae site, which shortens the time needed to prepare "
    "a launch and makes early warning harder.",
    "The port authority of Busan will publish container inspection statistics monthly, responding to "
    "complaints that sanctions enforcement was opaque.",
    "Veterans' groups in Manila criticised the visiting forces agreement, arguing that its legal "
    "provisions favour foreign personnel in criminal cases.",
)

MAX_KILLS_PER_RUN = 2
MAX_KILLS_TOTAL = 5
MAX_CLI_SYNCS_TOTAL = 1
KILL_WAIT_S = 90  # the longest a killed run may take to reach its kill point (model loading on a busy machine)

document = st.tuples(st.sampled_from(TITLES), st.lists(st.sampled_from(PARAGRAPHS), min_size=1, max_size=3,
                                                       unique=True))


def render(name: str, title: str, paragraphs: list[str]) -> str:
    heading = f"# {title}" if name.endswith(".md") else title
    return "\n\n".join([heading, *paragraphs]) + "\n"


class Budget:
    """Subprocess runs allowed across all examples of one test (they cost seconds each)."""

    kills = 0
    cli_syncs = 0
    landed: dict[str, int] = {}  # where the kills landed, for the test's report

    @classmethod
    def note(cls, outcome: str) -> None:
        cls.landed[outcome] = cls.landed.get(outcome, 0) + 1


class CrashSafety(RuleBasedStateMachine):
    root: Path  # set by the test
    embedder = None

    def __init__(self) -> None:
        super().__init__()
        self.work = Path(tempfile.mkdtemp(dir=self.root))
        self.folder = self.work / "briefs"
        self.folder.mkdir()
        self.store_dir = self.work / "store"
        self.store: ChromaStore = reopen(self.store_dir, self.embedder)
        self.clean = True  # no kill since the last completed sync
        self.kills = 0
        self.synced_files: dict[str, str] = {}  # the folder as of the last completed sync
        self.retrieval = OwnTextRetrieval(self.embedder)
        self.options = sync_options(Settings(_env_file=None))  # what the command line uses too

    # -- the folder -----------------------------------------------------------------------

    def _files(self) -> list[str]:
        return sorted(p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file())

    def _digest(self) -> dict[str, str]:
        return {name: hashlib.sha256((self.folder / name).read_bytes()).hexdigest() for name in self._files()}

    @rule(files=st.dictionaries(st.sampled_from(NAMES), document, min_size=1, max_size=3))
    def write_files(self, files: dict[str, tuple[str, list[str]]]) -> None:
        """Add new briefs or overwrite existing ones."""
        for name, doc in files.items():
            path = self.folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(name, *doc), encoding="utf-8")

    @precondition(lambda self: self._files())
    @rule(data=st.data(), paragraph=st.sampled_from(PARAGRAPHS))
    def append_paragraph(self, data: st.DataObject, paragraph: str) -> None:
        name = data.draw(st.sampled_from(self._files()), label="file")
        path = self.folder / name
        path.write_text(path.read_text(encoding="utf-8") + "\n" + paragraph + "\n", encoding="utf-8")

    @precondition(lambda self: self._files())
    @rule(data=st.data())
    def delete_file(self, data: st.DataObject) -> None:
        (self.folder / data.draw(st.sampled_from(self._files()), label="file")).unlink()

    @precondition(lambda self: self._files() and len(self._files()) < len(NAMES))
    @rule(data=st.data())
    def rename_file(self, data: st.DataObject) -> None:
        files = self._files()
        old = data.draw(st.sampled_from(files), label="from")
        new = data.draw(st.sampled_from([n for n in NAMES if n not in files]), label="to")
        (self.folder / new).parent.mkdir(parents=True, exist_ok=True)
        (self.folder / old).rename(self.folder / new)

    # -- syncs, kills, reopening -----------------------------------------------------------

    def _completed(self) -> None:
        self.store = reopen(self.store_dir, self.embedder, self.store)
        assert stale_versions(self.store, self.folder) == [], "an old version of an edited brief is still stored"
        assert_mirrors_folder(self.store, self.folder)
        self.clean, self.synced_files = True, self._digest()

    @rule(how=st.sampled_from(("in this process", "CLI", "CLI killed", "CLI killed")), data=st.data())
    def sync(self, how: str, data: st.DataObject) -> None:
        """Sync the folder here, with a real ``python -m ingest``, or with one that is SIGKILLed."""
        if how == "CLI killed" and self.kills < MAX_KILLS_PER_RUN and Budget.kills < MAX_KILLS_TOTAL:
            if self._digest() == self.synced_files:  # give the run something to write
                self.write_files(data.draw(st.dictionaries(st.sampled_from(NAMES), document, min_size=1,
                                                           max_size=3), label="written first"))
            self._kill_ingest(during_start_up=data.draw(st.integers(0, 3).map(lambda n: n == 0), label="start-up"),
                              stored=data.draw(st.integers(0, 3), label="stored"),
                              delay=data.draw(st.floats(0.0, 1.0), label="delay"))
        elif how == "CLI" and Budget.cli_syncs < MAX_CLI_SYNCS_TOTAL:
            self._sync_with_cli()
        else:
            self._sync_in_process()

    def _sync_in_process(self) -> None:
        self.store = reopen(self.store_dir, self.embedder, self.store)
        report = Syncer(self.store, self.embedder, self.options).sync([self.folder])
        assert report.failed == [], report.failed
        self._completed()

    def _sync_with_cli(self) -> None:
        Budget.cli_syncs += 1
        self.store.client.close()
        done = subprocess.run(ingest_command(str(self.folder), "--store", str(self.store_dir), "--json"),
                              cwd=REPO_ROOT, env=child_env(), capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        self._completed()

    def _kill_ingest(self, *, during_start_up: bool, stored: int, delay: float) -> None:
        """SIGKILL a real ingest run at a random point.

        Mostly while it writes: after it has stored ``stored`` briefs (its log says so), a random
        part of the time one more brief takes (the first about 2-3 s after the model loaded, the
        sentence splitter's import and warm-up included; the next ones a few tenths); sometimes
        during start-up and recovery (0-6 s after start).
        """
        Budget.kills += 1
        self.kills += 1
        before = store_snapshot(self.store)
        self.store.client.close()
        proc = subprocess.Popen(ingest_command(str(self.folder), "--store", str(self.store_dir), "--json", "-v"),
                                cwd=REPO_ROOT, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            if during_start_up:
                time.sleep(6 * delay)
            elif _wait_for_lines(proc, ["embedding model"] + ["stored "] * stored, timeout=KILL_WAIT_S):
                time.sleep((3.0 if stored == 0 else 0.3) * delay)
            else:  # it ended before reaching that point
                proc.wait(timeout=KILL_WAIT_S)
            finished = proc.poll() is not None
        finally:
            proc.send_signal(signal.SIGKILL)  # a no-op for a process that has ended
            proc.wait()
            proc.stderr.close()
        if finished:  # it was done before the kill
            assert proc.returncode == 0, f"the ingest run failed with exit status {proc.returncode}"
            Budget.note("after the run ended")
            self._completed()
            return
        self.clean = False
        self.store = reopen(self.store_dir, self.embedder, self.store)
        Budget.note(_landing(before, store_snapshot(self.store)))

    @rule()
    def reopen_store(self) -> None:
        before = store_snapshot(self.store)
        self.store = reopen(self.store_dir, self.embedder, self.store)
        assert store_snapshot(self.store) == before, "reopening the store changed what it holds"

    # -- after every step -------------------------------------------------------------------

    @invariant()
    def visible_state_is_whole_and_retrievable(self) -> None:
        visible = assert_visible_state_whole(self.store)
        self.retrieval.check(self.store, visible)

    @invariant()
    def manifest_equals_store_after_a_completed_sync(self) -> None:
        if not self.clean:
            return
        manifest = self.store.manifest()
        assert all(e.status == "ready" for e in manifest.values())
        stored = {c.id for c in self.store.iter_chunks(include_unready=True)}
        assert stored == {cid for e in manifest.values() for cid in e.chunk_ids}

    def teardown(self) -> None:
        try:
            # Whatever the last step left (a kill included), the next sync finishes it.
            self._sync_in_process()
        finally:
            self.store.client.close()
            shutil.rmtree(self.work, ignore_errors=True)


def _landing(before: tuple, after: tuple) -> str:
    chunks, manifest, _, _ = after
    if any(status != "ready" for *_, status in manifest):
        return "inside a document"
    return "before any write" if after == before else "between documents"


def _wait_for_lines(proc: subprocess.Popen, needles: list[str], *, timeout: float) -> bool:
    """Read the child's stderr until it has printed lines with each of ``needles`` in turn.

    False when the child exited first.
    """
    deadline = time.monotonic() + timeout
    pending = b""
    wanted = [n.encode() for n in needles]
    # a selector, not select.select: in a whole-suite run the process may hold more than FD_SETSIZE (1024) file
    # descriptors, and select() then fails ("filedescriptor out of range in select()", seen in CI)
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stderr, selectors.EVENT_READ)  # type: ignore[arg-type]
        while wanted and time.monotonic() < deadline:
            if not selector.select(0.1):
                if proc.poll() is not None:
                    return False
                continue
            data = proc.stderr.read1(65536)  # type: ignore[union-attr]
            if not data:
                return False  # stderr closed: the child has exited
            pending += data
            *lines, pending = pending.split(b"\n")
            for line in lines:
                if wanted and wanted[0] in line:
                    wanted.pop(0)
    if wanted:
        raise TimeoutError(f"the ingest run did not log {needles} within {timeout:g} s")
    return True


def test_random_edits_syncs_kills_and_reopens_never_lose_duplicate_or_half_show_a_brief(tmp_path):
    CrashSafety.root = tmp_path
    CrashSafety.embedder = bundled_embedder()
    Budget.kills = Budget.cli_syncs = 0
    Budget.landed = {}
    run_state_machine_as_test(CrashSafety, settings=settings(
        max_examples=8, stateful_step_count=7, deadline=None, database=None,
        phases=(Phase.explicit, Phase.generate),  # no shrinking: each step may start a process
        suppress_health_check=(HealthCheck.too_slow, HealthCheck.filter_too_much),
    ))
    assert Budget.kills > 0, f"no ingest process was killed, the property did not exercise crashes ({Budget.landed})"


def test_an_edit_whose_sync_is_killed_before_the_old_version_is_dropped_leaves_no_stale_version(tmp_path):
    """A real SIGKILL at the exact point: the ingest process kills itself when it starts to detach
    the old version (the new one is stored and ready); the next sync must drop the old one.

    The property test above found this window (both versions stayed stored and retrievable);
    this pins it down deterministically.
    """
    embedder = bundled_embedder()
    folder = tmp_path / "briefs"
    folder.mkdir()
    brief = folder / "budget.md"
    brief.write_text(render("budget.md", TITLES[1], [PARAGRAPHS[1]]), encoding="utf-8")
    store = reopen(tmp_path / "store", embedder)
    options = sync_options(Settings(_env_file=None))
    Syncer(store, embedder, options).sync([folder])
    store.client.close()
    brief.write_text(render("budget.md", TITLES[1], [PARAGRAPHS[1].replace("seven", "nine")]), encoding="utf-8")
    script = ("import os, signal, sys, ingest.sync as s\n"
              "s.Syncer._detach = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
              "from ingest.__main__ import main\n"
              "sys.exit(main(sys.argv[1:]))\n")
    killed = subprocess.run([sys.executable, "-c", script, str(folder), "--store", str(tmp_path / "store")],
                            cwd=REPO_ROOT, env=child_env(), capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    store = reopen(tmp_path / "store", embedder)
    try:
        report = Syncer(store, embedder, options).sync([folder])
        assert report.failed == []
        texts = [c.text for c in store.iter_chunks()]
        assert not any("seven percent" in t for t in texts), "the old version of the brief is still retrievable"
        assert_mirrors_folder(store, folder)
    finally:
        store.client.close()
