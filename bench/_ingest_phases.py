"""``python -m ingest`` with its memory split by phase (run by ``bench.ingest_pdfs --phases``).

    .venv/bin/python -m bench._ingest_phases REPORT.json -- PATH... --store DIR --json

Runs the real command line (``ingest.__main__.main``) in this process after wrapping the calls
that mark its phases; a thread samples this process's RSS plus its parser children's unique
memory (USS) every 50 ms and keeps, per phase, the peak and the RSS at the phase's first start:

- ``imports``: the interpreter with the ingest command's modules imported (nothing run yet);
- ``model load``: loading the embedding model (the first token count or encode);
- ``parse``: ``load_document`` (the PDF parsed in a forked child, then debris and metadata);
- ``split``: splitting a document into passages (``split_document``, token counts);
- ``embed``: ``TextEmbedder.encode`` of a group of passages;
- ``write``: Chroma writes (passages, ready flags, manifest records);
- ``keyword index``: the BM25 index built and saved after the sync;
- ``other``: everything else (discovery, hashing, recovery).

The wrappers add a function call per phase change and the sampling thread a few microseconds per
sample, so the speed of this run is not the benchmark's speed: ``bench.ingest_pdfs`` measures
speed without ``--phases``. Writes the figures as JSON to REPORT.json.
"""

from __future__ import annotations

import functools
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import psutil

_PROCESS = psutil.Process()
_state: dict[str, Any] = {"phase": "imports"}
_peaks: dict[str, int] = {}
_starts: dict[str, int] = {}
_seconds: dict[str, float] = {}
_lock = threading.Lock()


def tree_memory(process: psutil.Process = _PROCESS) -> int:
    """``process``'s RSS plus the unique memory (USS) of its children, in bytes: parser children
    are forked, and their RSS would count the pages they share with the parent a second time."""
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        try:
            total += child.memory_full_info().uss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def _sample() -> None:
    memory = tree_memory()
    with _lock:
        phase = _state["phase"]
        _peaks[phase] = max(_peaks.get(phase, 0), memory)


def _sampler(stop: threading.Event) -> None:
    while not stop.wait(0.05):
        _sample()


def _phase(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _lock:
            outer = _state["phase"]
            if outer == name:  # nested call of the same phase
                nested = True
            else:
                nested = False
                _state["phase"] = name
        if nested:
            return function(*args, **kwargs)
        memory = tree_memory()
        with _lock:
            _starts.setdefault(name, memory)
            _peaks[name] = max(_peaks.get(name, 0), memory)
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _sample()
            with _lock:
                _seconds[name] = _seconds.get(name, 0.0) + time.perf_counter() - began
                _state["phase"] = outer

    return wrapper


def main(argv: list[str]) -> int:
    report, args = Path(argv[0]), argv[argv.index("--") + 1:]
    began = time.perf_counter()
    import ingest.__main__ as command
    import ingest.sync as sync
    import vectorstore.embedder as embedder
    import vectorstore.store as store

    _starts["imports"] = _peaks["imports"] = _starts["other"] = tree_memory()
    _state["phase"] = "other"
    stop = threading.Event()
    thread = threading.Thread(target=_sampler, args=(stop,), daemon=True)
    thread.start()

    sync.load_document = _phase("parse", sync.load_document)
    sync.split_document = _phase("split", sync.split_document)
    cls = embedder.SentenceTransformerEmbedder
    cls._loaded = _phase("model load", cls._loaded)  # type: ignore[method-assign]
    cls.encode = _phase("embed", cls.encode)  # type: ignore[method-assign]
    for method in ("upsert_chunks", "set_ready", "put_manifest", "delete_chunks", "update_chunks"):
        setattr(store.ChromaStore, method, _phase("write", getattr(store.ChromaStore, method)))
    try:
        from retrieval.hybrid import HybridRetriever
        HybridRetriever.keyword_index = _phase("keyword index", HybridRetriever.keyword_index)  # type: ignore[method-assign]
    except ImportError:  # an older checkout
        pass
    code = command.main(args)
    stop.set()
    thread.join()
    _sample()
    figures = {
        "phases": {name: {"start_mb": _starts.get(name, 0) / 2**20, "peak_mb": _peaks[name] / 2**20,
                          "seconds": _seconds.get(name, 0.0)} for name in _peaks},
        "peak_mb": max(_peaks.values()) / 2**20,
        "vmhwm_mb": _vmhwm() / 2**20,
        "seconds": time.perf_counter() - began,
    }
    report.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return code


def _vmhwm() -> int:
    """The kernel's high-water mark of this process's RSS (children not included)."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
