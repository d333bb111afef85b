"""Briefs added from the browser: saved under names we make, then synced like any folder.

An uploaded file's name is the client's word, so it never becomes a path: ``safe_name`` keeps
only a cleaned stem and a supported suffix, ``save_uploads`` writes into ``<data dir>/uploads``
and nowhere else, and the original name is kept only as display metadata (``.uploads.json``,
a hidden file the sync skips).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol, Sequence

from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.sync import Syncer, SyncReport

log = logging.getLogger(__name__)

NAMES_FILE = ".uploads.json"
MAX_STEM = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
_names_lock = threading.Lock()


class Upload(Protocol):
    """What we need of a ``streamlit.runtime.uploaded_file_manager.UploadedFile``."""

    name: str
    size: int

    def getvalue(self) -> bytes: ...


@dataclass(frozen=True)
class Saved:
    original: str  # the name the browser sent, for display only
    path: Path  # where we wrote it, inside the uploads folder
    new: bool = True  # False when identical bytes were already there


@dataclass(frozen=True)
class Rejected:
    original: str
    reason: str


@dataclass
class UploadResult:
    saved: list[Saved] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)  # refused before or while syncing
    report: SyncReport | None = None

    @property
    def stored(self) -> list[Saved]:
        failed = {r.original for r in self.rejected}
        return [s for s in self.saved if s.original not in failed]


def safe_name(original: str) -> str:
    """A file name made from ``original`` that is safe to create in one folder.

    Directories (``/`` and ``\\``), NUL and control characters, ``..`` and anything outside
    ``[A-Za-z0-9._ -]`` are removed; the stem is cut to ``MAX_STEM`` characters; the suffix is
    kept, lower-cased, only when it is a supported one. Raises ``ValueError`` for an
    unsupported suffix (the file would never be ingested).
    """
    base = re.split(r"[\\/]", original.replace("\x00", ""))[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = "".join(ch for ch in base if ch.isprintable())
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = f".{suffix.lower()}" if suffix else ""
    if suffix not in SUPPORTED_SUFFIXES:
        raise ValueError(f"unsupported file type '{suffix or '(none)'}'; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    stem = _UNSAFE.sub("_", stem).replace("..", "_")
    stem = re.sub(r"[_ ]{2,}", "_", stem).strip(" ._-")[:MAX_STEM].rstrip(" .")
    return f"{stem or 'brief'}{suffix}"


def _unique(folder: Path, name: str, data: bytes) -> tuple[Path, bool]:
    """Where to put ``data``: ``name``, or ``name`` with a content hash when taken by other bytes.

    Returns the path and whether identical bytes are already there.
    """
    path = folder / name
    if path.exists():
        if path.read_bytes() == data:
            return path, True
        stem, suffix = os.path.splitext(name)
        path = folder / f"{stem}-{hashlib.sha256(data).hexdigest()[:10]}{suffix}"
        return path, path.exists()
    return path, False


def _write_atomic(path: Path, data: bytes) -> None:
    handle, tmp = tempfile.mkstemp(prefix=".part-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def display_names(folder: Path) -> dict[str, str]:
    """Saved file name -> the name it was uploaded as."""
    try:
        return dict(json.loads((folder / NAMES_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def _remember(folder: Path, saved: Sequence[Saved]) -> None:
    with _names_lock:
        names = display_names(folder)
        names.update({s.path.name: s.original for s in saved})
        _write_atomic(folder / NAMES_FILE, json.dumps(names, ensure_ascii=False, indent=1).encode("utf-8"))


def save_uploads(files: Sequence[Upload], folder: Path, *, max_bytes: int) -> UploadResult:
    """Check each upload's size and type, then write it under a safe name into ``folder``."""
    folder = folder.absolute()  # the sync reports absolute paths
    folder.mkdir(parents=True, exist_ok=True)
    result = UploadResult()
    for file in files:
        if file.size > max_bytes:  # checked before a byte is written
            result.rejected.append(Rejected(file.name, f"file is {file.size / 1e6:.1f} MB, over the "
                                                       f"{max_bytes / 1e6:.0f} MB limit"))
            continue
        try:
            name = safe_name(file.name)
        except ValueError as exc:
            result.rejected.append(Rejected(file.name, str(exc)))
            continue
        data = file.getvalue()
        if len(data) > max_bytes:  # the browser's size claim is not trusted either
            result.rejected.append(Rejected(file.name, f"file is over the {max_bytes / 1e6:.0f} MB limit"))
            continue
        path, present = _unique(folder, name, data)
        if not present:
            _write_atomic(path, data)
        result.saved.append(Saved(file.name, path, new=not present))
    if result.saved:
        _remember(folder, result.saved)
    return result


def ingest_uploads(files: Sequence[Upload], folder: Path, syncer: Syncer, *, max_bytes: int, lock: threading.Lock,
                   progress: Callable[[int, int, str], None] | None = None) -> UploadResult:
    """Save the uploads, then sync the uploads folder; failures name the file as uploaded.

    ``lock`` serialises syncs from different sessions of this process. ``progress`` gets
    (files done, files in the folder, display name).
    """
    folder = folder.absolute()
    result = save_uploads(files, folder, max_bytes=max_bytes)
    if not result.saved:
        return result
    names = display_names(folder)
    total = sum(1 for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                and p.suffix.lower() in SUPPORTED_SUFFIXES)
    done = 0

    def step(source: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, names.get(source, source))

    began = time.perf_counter()
    with lock:
        report = syncer.sync([folder], progress=step)
    log.info("uploads synced in %.1f s: %s", time.perf_counter() - began, report.summary())
    result.report = report
    by_path = {str(s.path): s for s in result.saved}
    for failure in report.failed:
        saved = by_path.get(failure.path)
        if saved is not None and saved.new:
            # Never stored, so drop it: a later upload must not report this failure again.
            saved.path.unlink(missing_ok=True)
        shown = saved.original if saved else names.get(Path(failure.path).name, Path(failure.path).name)
        result.rejected.append(Rejected(shown, failure.error))
    return result


# -- the sidebar panel -----------------------------------------------------------------------

_RESULT = "upload-result"
_GENERATION = "uploader-generation"


def render_upload(syncer: Syncer, folder: Path, *, max_mb: float, lock: threading.Lock) -> None:
    """Drag-and-drop several briefs; each is ingested at once, with progress and per-file errors."""
    import streamlit as st

    from ui.render import md_text

    generation = st.session_state.setdefault(_GENERATION, 0)
    files = st.file_uploader(
        "Add briefs", type=[s.lstrip(".") for s in SUPPORTED_SUFFIXES], accept_multiple_files=True,
        key=f"uploader-{generation}", max_upload_size=max(1, math.ceil(max_mb)), label_visibility="collapsed",
        help=f"Drop several files at once: {', '.join(SUPPORTED_SUFFIXES)}, up to {max_mb:g} MB each. "
             "They are stored in the data folder and added to the index.")
    if files:
        bar = st.progress(0.0, text=f"Adding {len(files)} file{'s' if len(files) > 1 else ''}…")

        def progress(done: int, total: int, name: str) -> None:
            bar.progress(min(1.0, done / max(1, total)), text=f"Indexed {done} of {total}: {md_text(name)}")

        result = ingest_uploads(files, folder, syncer, max_bytes=int(max_mb * 1024 * 1024), lock=lock,
                                progress=progress)
        st.session_state[_RESULT] = {
            "added": [s.original for s in result.stored if s.new],
            "present": [s.original for s in result.stored if not s.new],
            "rejected": [(r.original, r.reason) for r in result.rejected],
        }
        st.session_state[_GENERATION] = generation + 1  # a fresh, empty uploader
        st.rerun()
    shown = st.session_state.get(_RESULT)
    if shown:
        if shown["added"]:
            st.success("Added to the index: " + md_text(", ".join(shown["added"])), icon=":material/check_circle:")
        if shown["present"]:
            st.info("Already in the index: " + md_text(", ".join(shown["present"])), icon=":material/info:")
        for name, reason in shown["rejected"]:
            st.error(f"**{md_text(name)}**: {md_text(reason)}", icon=":material/error:")
