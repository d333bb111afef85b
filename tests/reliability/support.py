"""Helpers shared by the reliability tests: store invariants, real subprocesses, real servers."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from retrieval.hybrid import HybridRetriever
from settings import REPO_ROOT, RetrievalSettings
from vectorstore.embedder import TextEmbedder
from vectorstore.store import ChromaStore, open_store
from vectorstore.types import Chunk

CHROMA = Path(sys.executable).parent / "chroma"
STREAMLIT = Path(sys.executable).parent / "streamlit"


# -- stores --------------------------------------------------------------------------------


def reopen(path: Path, embedder: TextEmbedder, previous: ChromaStore | None = None) -> ChromaStore:
    """A store on a fresh Chroma client, as a new process would see it.

    A long-lived embedded client can miss what another process wrote (FIELD-NOTES), so the
    previous client is closed first and Chroma builds a new one for the path.
    """
    if previous is not None:
        previous.client.close()
    return open_store(path=str(path), model=embedder.name, dimension=embedder.dimension)


def folder_digest(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``folder``."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def store_files_digest(store_dir: Path) -> dict[str, str]:
    """What "nothing written" compares for an embedded store: every byte of its vector segment
    files, and every row of its SQLite database except Chroma's ``acquire_write`` bookkeeping,
    which gains a row each time any client opens the store (even with the right model)."""
    import sqlite3

    digest = {name: value for name, value in folder_digest(store_dir).items()
              if not name.startswith("chroma.sqlite3")}
    connection = sqlite3.connect(f"file:{store_dir / 'chroma.sqlite3'}?mode=ro", uri=True)
    try:
        rows = [line for line in connection.iterdump() if not line.startswith('INSERT INTO "acquire_write"')]
    finally:
        connection.close()
    digest["chroma.sqlite3 (rows)"] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digest


def plain(markdown: str) -> str:
    """Text escaped by ``ui.render.md_text`` read back as a person sees it (backslashes removed)."""
    import re

    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def store_snapshot(store: ChromaStore) -> tuple:
    """Everything a reader of the store can see: passages (all), manifest, sync state."""
    chunks = sorted((c.id, c.doc_id, c.source, c.start, c.end, c.text)
                    for c in store.iter_chunks(include_unready=True))
    manifest = sorted((e.doc_id, e.sources, e.chunk_ids, e.model, e.status) for e in store.manifest().values())
    return chunks, manifest, store.state().get("generation", 0), store.count()


def assert_visible_state_whole(store: ChromaStore) -> list[Chunk]:
    """What retrieval sees is made of whole documents, whatever a killed run left behind.

    - every ready passage belongs to a manifest record that lists it (no orphans);
    - a document is visible entirely or not at all (never half-stored);
    - no passage is stored twice, and every passage is an exact span of its document's text.
    Returns the visible passages.
    """
    manifest = store.manifest()
    everything = list(store.iter_chunks(include_unready=True))
    ids = [c.id for c in everything]
    assert len(ids) == len(set(ids)), "a passage id is stored twice"
    visible = list(store.iter_chunks())
    spans = [(c.doc_id, c.start, c.end) for c in visible]
    assert len(spans) == len(set(spans)), "the same span of a document is visible twice"
    by_doc: dict[str, set[str]] = {}
    for chunk in visible:
        entry = manifest.get(chunk.doc_id)
        assert entry is not None, f"visible passage {chunk.id} of {chunk.source} has no manifest record"
        assert chunk.id in entry.chunk_ids, f"visible passage {chunk.id} is not listed by its manifest record"
        by_doc.setdefault(chunk.doc_id, set()).add(chunk.id)
    for doc_id, shown in by_doc.items():
        assert shown == set(manifest[doc_id].chunk_ids), (
            f"document {manifest[doc_id].sources} is half visible: {len(shown)} of "
            f"{len(manifest[doc_id].chunk_ids)} passages ({manifest[doc_id].status})")
    for entry in manifest.values():
        if entry.status == "ready":
            assert entry.doc_id in by_doc, f"ready document {entry.sources} has no visible passage"
    texts = {doc_id: store.document_text(doc_id) for doc_id in by_doc}
    for chunk in visible:
        text = texts[chunk.doc_id]
        assert text is not None, f"document text of {chunk.source} is missing"
        assert text[chunk.start:chunk.end] == chunk.text, f"passage {chunk.id} is not the span it claims"
    return visible


def assert_mirrors_folder(store: ChromaStore, folder: Path) -> None:
    """After a completed sync: the manifest is exactly the folder's files and the store exactly the manifest."""
    manifest = store.manifest()
    assert all(e.status == "ready" for e in manifest.values()), [e.status for e in manifest.values()]
    on_disk: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            on_disk.setdefault(digest, set()).add(path.relative_to(folder).as_posix())
    stored = {e.doc_id: set(e.sources) for e in manifest.values()}
    assert stored == on_disk, f"manifest {stored} differs from the folder {on_disk}"
    all_ids = {c.id for c in store.iter_chunks(include_unready=True)}
    listed = {cid for e in manifest.values() for cid in e.chunk_ids}
    assert all_ids == listed, f"{len(all_ids - listed)} passages not in the manifest, {len(listed - all_ids)} missing"
    assert store.count() == len(listed)
    assert_visible_state_whole(store)


def stale_versions(store: ChromaStore, folder: Path) -> list[str]:
    """Files with a stored version other than their bytes on disk *besides* their current one:
    the old version of an edited brief left behind next to the new (each as ``name: doc_id``)."""
    current = {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
               for p in folder.rglob("*") if p.is_file()}
    entries = [e for e in store.manifest().values() if e.status == "ready"]
    holders = {(source, e.doc_id) for e in entries for source in e.sources}
    return sorted(f"{source}: {e.doc_id[:12]}" for e in entries for source in e.sources
                  if source in current and current[source] != e.doc_id and (source, current[source]) in holders)


class OwnTextRetrieval:
    """Checks that every visible passage is found by the product's retriever when asked with its own text."""

    def __init__(self, embedder: TextEmbedder, *, k: int = 3) -> None:
        self.embedder, self.k = embedder, k
        self._vectors: dict[str, object] = {}

    def _vector(self, text: str):
        if text not in self._vectors:
            self._vectors[text] = self.embedder.encode([text])[0]
        return self._vectors[text]

    def check(self, store: ChromaStore, passages: Sequence[Chunk]) -> None:
        retriever = HybridRetriever.over(store=store, embedder=self.embedder, settings=RetrievalSettings(k=self.k))
        missing = []
        for chunk in passages:
            hits = retriever.search(chunk.text, self.k, vector=self._vector(chunk.text))
            by_dense = any(h.chunk.text == chunk.text and h.dense_score is not None for h in hits)
            by_keyword = any(h.chunk.text == chunk.text and h.keyword_score is not None for h in hits)
            if not (by_dense and by_keyword):
                missing.append((chunk.source, chunk.text[:60], by_dense, by_keyword))
        assert not missing, f"passages not retrievable by their own text (source, text, dense, keyword): {missing}"


# -- processes -----------------------------------------------------------------------------


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process: no BRIEFS_ settings of ours leak in, offline model."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFS_")}
    env.update(HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", PYTHONPATH=str(REPO_ROOT))
    if "BRIEFS_DATA_DIR" in os.environ:  # the test session's temporary data folder (tests/conftest.py)
        env["BRIEFS_DATA_DIR"] = os.environ["BRIEFS_DATA_DIR"]
    env.update(extra)
    return env


def ingest_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "ingest", *args]


def run_ingest(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(ingest_command(*args), cwd=REPO_ROOT, env=env or child_env(), capture_output=True,
                          text=True, timeout=timeout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, *, timeout: float = 60, host: str = "127.0.0.1") -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening on port {port}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listened on {host}:{port} within {timeout:g} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def chroma_server(data: Path, *extra: str, host: str | None = "127.0.0.1") -> Iterator[int]:
    """A real ``chroma run`` on a free port (``host=None`` leaves ``--host`` to Chroma's default)."""
    port = free_port()
    command = [str(CHROMA), "run", "--path", str(data), "--port", str(port), *extra]
    if host is not None:
        command += ["--host", host]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, proc)
        yield port
    finally:
        stop(proc)


def listening_addresses(port: int) -> set[str]:
    """The local addresses of sockets listening on ``port`` on this machine, from /proc/net/tcp{,6}."""
    found: set[str] = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] != "0A" or int(port_hex, 16) != port:  # 0A: LISTEN
                continue
            found.add(_address(address, width))
    return found


def _address(hex_address: str, width: int) -> str:
    import ipaddress

    raw = bytes.fromhex(hex_address)
    # The kernel prints each 32-bit word in host (little-endian) order.
    ordered = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    address = ipaddress.ip_address(ordered)
    if width == 32 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def is_loopback(address: str) -> bool:
    import ipaddress

    return ipaddress.ip_address(address).is_loopback


class CanaryServer:
    """An HTTP server on a loopback port that records every request: the "outside address" a
    hostile brief points at. Any request it sees means a page fetched what a brief named."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/gif")
                self.end_headers()
                self.wfile.write(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")

            def log_message(self, *args: object) -> None:
                pass

        self.requests = requests
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
