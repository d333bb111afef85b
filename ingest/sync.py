"""Sync files and folders of briefs into the store: embed what is new, drop what is gone.

The protocol that keeps the store whole when a run is killed at any point (kill -9):

1. A new document's manifest record is written first with status ``writing``.
2. Its passages are stored with ``ready=False``: retrieval only ever sees ready passages.
3. The passages are flipped to ready, then the record to ``ready``.
4. Only then is the file's previous version detached; a version no file refers to any more is
   marked ``deleting``, its passages removed, then its record.

Every run starts with ``recover``: records left ``writing`` or ``deleting`` and passages left
unready are removed, so an interrupted document is simply done again, never half-visible and
never duplicated (passage ids are deterministic, writes are upserts).

New documents at new paths (the bulk of a first sync) go through steps 1-3 in groups of up to
``SyncOptions.group_passages`` passages: one encode call and one Chroma write for many small
briefs instead of one each, every document keeping its own records and states.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from ingest.allocator import release_freed_memory
from ingest.loaders import SUPPORTED_SUFFIXES, content_hash, load_document, stated_encoding
from ingest.metadata import apply_overrides, is_sidecar
from ingest.overrides import MetadataOverrides
from ingest.splitter import embedding_text, split_document
from vectorstore.embedder import TextEmbedder
from vectorstore.errors import LoadError
from vectorstore.store import ChromaStore, ManifestEntry, entries_by_path
from vectorstore.types import Chunk, Document

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncOptions:
    max_bytes: int = 20 * 1024 * 1024
    parse_timeout_s: float = 30.0
    target_chars: int = 800  # keep in step with ChunkingSettings.target_chars
    overlap_sentences: int = 0
    max_tokens: int | None = None  # default: the embedder's own limit
    embed_title: bool = True
    encoding: str | None = None  # of text files that are not Unicode, unless a sidecar says (--encoding)
    # New documents are embedded and written together until this many passages are pending:
    # ten-passage briefs one at a time half-fill the model's batches and pay Chroma's per-call
    # cost each (see tests/ingest/test_sync.py and docs/benchmarks.md).
    group_passages: int = 256


@dataclass(frozen=True)
class Failure:
    path: str
    error: str


@dataclass
class SyncReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks: int = 0  # passages written in this run
    embedded: int = 0  # passages encoded in this run
    failed: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "removed": self.removed, "chunks": self.chunks,
                "failed": [{"path": f.path, "error": f.error} for f in self.failed]}

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True)
class _NewDocument:
    """A loaded and split document waiting for its group to be embedded and written."""

    key: str  # the file's absolute path
    doc: Document
    chunks: list[Chunk]
    entry: ManifestEntry  # status "writing"


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    source: str  # shown name: path relative to the folder it was found in


@dataclass
class _Discovery:
    files: list[SourceFile]
    folders: list[Path]
    failed: list[Failure]


def discover(paths: Iterable[Path]) -> _Discovery:
    """Supported files among ``paths`` (folders walked recursively, hidden files and sidecars skipped)."""
    found: dict[Path, SourceFile] = {}
    folders: list[Path] = []
    failed: list[Failure] = []
    for given in paths:
        path = Path(given).absolute()
        if path.is_dir():
            folders.append(path)
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    file = Path(root) / name
                    if name.startswith(".") or is_sidecar(file) or file.suffix.lower() not in SUPPORTED_SUFFIXES:
                        continue
                    found.setdefault(file, SourceFile(file, file.relative_to(path).as_posix()))
        elif path.is_file() or path.is_symlink():
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                failed.append(Failure(str(given), f"unsupported file type '{path.suffix or '(none)'}'; "
                                                  f"supported: {', '.join(SUPPORTED_SUFFIXES)}"))
            else:
                found.setdefault(path, SourceFile(path, path.name))
        else:
            failed.append(Failure(str(given), "no such file or folder"))
    return _Discovery(sorted(found.values(), key=lambda f: f.source), folders, failed)


def _hash_file(path: Path, max_bytes: int) -> str:
    try:
        info = path.stat()
    except OSError as exc:
        raise LoadError(str(path), f"cannot read file: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):  # a FIFO would block open(), a device never end
        raise LoadError(str(path), "not a regular file (a pipe, device or socket)")
    size = info.st_size
    if size > max_bytes:
        raise LoadError(str(path), f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit")
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise LoadError(str(path), f"cannot read file: {exc.strerror or exc}") from exc
    return digest.hexdigest()


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes (``_hash_file`` has checked that it is a regular file within the limit)."""
    try:
        return path.read_bytes()[:max_bytes + 1]
    except OSError as exc:
        raise LoadError(str(path), f"cannot read file: {exc.strerror or exc}") from exc


def recover(store: ChromaStore) -> int:
    """Finish what a killed run left behind; returns how many documents were cleaned up."""
    cleaned = 0
    for entry in store.manifest().values():
        if entry.status != "ready":
            log.info("recovering %s (%s) left %s by an interrupted run", entry.doc_id[:12], entry.sources, entry.status)
            store.delete_chunks(doc_id=entry.doc_id)
            store.delete_manifest(entry.doc_id)
            cleaned += 1
    store.delete_chunks(unready=True)
    return cleaned


class Syncer:
    """Keeps a store in step with files on disk; one instance per store and embedder."""

    def __init__(self, store: ChromaStore, embedder: TextEmbedder, options: SyncOptions = SyncOptions(),
                 overrides: MetadataOverrides | None = None) -> None:
        self.store, self.embedder, self.options = store, embedder, options
        self.overrides = overrides  # corrections made in the app (ingest.overrides), applied to new versions

    @property
    def max_tokens(self) -> int:
        """Read when something must be split: asking loads the model."""
        return min(self.options.max_tokens or self.embedder.max_tokens, self.embedder.max_tokens)

    def sync(self, paths: Iterable[Path], *, prune: bool = False,
             progress: Callable[[str], object] | None = None) -> SyncReport:
        """Bring the store in line with ``paths``.

        Files removed from a given folder lose their passages; with ``prune``, every stored
        file not among ``paths`` does.
        """
        began = time.perf_counter()
        report = SyncReport()
        recover(self.store)
        found = discover(paths)
        report.failed.extend(found.failed)
        manifest = self.store.manifest()
        by_path = entries_by_path(manifest.values())
        seen: set[str] = set()
        group: list[_NewDocument] = []

        for file in found.files:
            key = str(file.path)
            seen.add(key)
            try:
                self._sync_file(file, manifest, by_path, report, group)
            except LoadError as exc:
                report.failed.append(Failure(key, exc.reason))
            except (OSError, ValueError, RuntimeError) as exc:
                # A per-file problem: reported with the file (the summary, --json), not as a
                # traceback on stderr; the traceback is kept for debug logging.
                log.error("failed to ingest %s: %s", key, exc)
                log.debug("failed to ingest %s", key, exc_info=True)
                report.failed.append(Failure(key, f"{type(exc).__name__}: {exc}"))
            if progress:
                progress(file.source)
        self._flush(group, manifest, by_path, report)

        for key in list(by_path):
            if key in seen:
                continue
            in_folder = any(Path(key).is_relative_to(folder) for folder in found.folders)
            if prune or in_folder:
                self._detach(key, manifest)
                report.removed += 1

        self.store.record_sync(changed=report.changed)
        report.seconds = time.perf_counter() - began
        return report

    # -- one file -------------------------------------------------------------------------

    def _sync_file(self, file: SourceFile, manifest: dict[str, ManifestEntry],
                   by_path: dict[str, ManifestEntry], report: SyncReport, group: list[_NewDocument]) -> None:
        key = str(file.path)
        doc_id = _hash_file(file.path, self.options.max_bytes)
        stated = stated_encoding(file.path, self.options.encoding, source=key)
        if stated:  # the id of legacy bytes depends on the encoding stated for them (loaders.content_hash)
            doc_id = content_hash(_read_bytes(file.path, self.options.max_bytes), stated)
        if any(item.entry.doc_id == doc_id for item in group):  # these bytes are waiting under another name
            self._flush(group, manifest, by_path, report)
        existing = manifest.get(doc_id)
        # Older versions this file carried: normally one; two when a run was killed between
        # storing the new version and detaching the old one.
        older = [e for e in manifest.values() if key in e.paths and e.doc_id != doc_id]
        if existing is None and not older:
            # New bytes at a new path: joins the group; nothing else depends on it being stored now.
            group.append(self._prepare(self._load(file, doc_id), key))
            if sum(len(item.chunks) for item in group) >= self.options.group_passages:
                self._flush(group, manifest, by_path, report)
            return
        self._flush(group, manifest, by_path, report)  # an update, rename or copy sees the store as it is
        if existing is not None and key in existing.paths:
            if file.source not in existing.sources:  # same file, now reached through another folder
                self._attach(existing, file, manifest, by_path)
            if older:  # finish the interrupted update
                self._detach(key, manifest, keep=doc_id)
                report.updated += 1
            else:
                report.unchanged += 1
            by_path[key] = manifest[doc_id]
            return
        if existing is None:
            item = self._prepare(self._load(file, doc_id), key)
            self._write([item], manifest)
            report.chunks += len(item.chunks)
        else:
            self._attach(existing, file, manifest, by_path)
        if older:
            self._detach(key, manifest, keep=doc_id)
            report.updated += 1
        else:
            report.added += 1
        by_path[key] = manifest[doc_id]

    def _load(self, file: SourceFile, doc_id: str) -> Document:
        document = load_document(file.path, source=file.source, max_bytes=self.options.max_bytes,
                                 timeout_s=self.options.parse_timeout_s, encoding=self.options.encoding)
        if document.content_hash != doc_id:  # the file changed between hashing and loading
            raise LoadError(str(file.path), "file changed while it was being read; sync again")
        corrections = self.overrides.get(str(file.path)) if self.overrides is not None else {}
        if corrections:
            document = replace(document, meta=apply_overrides(document.meta, corrections))
        return document

    def _prepare(self, doc: Document, key: str) -> _NewDocument:
        """Split a loaded document into passages and draft its manifest record (nothing written yet)."""
        chunks = split_document(doc, count_tokens=self.embedder.count_tokens, max_tokens=self.max_tokens,
                                target_chars=self.options.target_chars,
                                overlap_sentences=self.options.overlap_sentences,
                                embed_title=self.options.embed_title)
        if not chunks:
            raise LoadError(key, "no text left once web-page debris is set aside")
        meta = doc.meta
        entry = ManifestEntry(
            doc_id=doc.content_hash, sources=(doc.source,), paths=(key,), chunk_ids=tuple(c.id for c in chunks),
            model=self.embedder.name, status="writing", format=doc.format, encoding=doc.encoding,
            title=meta.title, date=meta.date, series=meta.series, authors=meta.authors, license=meta.license,
            debris=doc.debris,
        )
        return _NewDocument(key, doc, chunks, entry)

    def _write(self, items: list[_NewDocument], manifest: dict[str, ManifestEntry]) -> None:
        """Steps 1-3 of the protocol for several documents at once: records ``writing``, passages
        stored unready, all flipped ready, then each record ``ready``."""
        try:
            for item in items:
                self.store.put_manifest(item.entry, text=item.doc.text)
            chunks = [c for item in items for c in item.chunks]
            vectors = self.embedder.encode([embedding_text(c, with_title=self.options.embed_title) for c in chunks])
            self.store.upsert_chunks(chunks, vectors, ready=False)
            self.store.set_ready([c.id for c in chunks])
            for item in items:
                entry = replace(item.entry, status="ready")
                self.store.put_manifest(entry)
                manifest[entry.doc_id] = entry
                log.info("stored %s: %d passages", item.doc.source, len(item.chunks))
        finally:
            release_freed_memory()  # the encoded batches' activations, freed by now (ingest.allocator)

    def _flush(self, group: list[_NewDocument], manifest: dict[str, ManifestEntry],
               by_path: dict[str, ManifestEntry], report: SyncReport) -> None:
        """Embed and write the waiting new documents; if that fails, each of them fails with the reason."""
        if not group:
            return
        items = list(group)
        group.clear()
        try:
            self._write(items, manifest)
        except (OSError, ValueError, RuntimeError) as exc:  # what a single file's failure is caught as
            log.error("failed to store %d new documents: %s", len(items), exc)
            log.debug("failed to store %d new documents", len(items), exc_info=True)
            report.failed.extend(Failure(item.key, f"{type(exc).__name__}: {exc}") for item in items)
            return
        for item in items:
            report.added += 1
            report.chunks += len(item.chunks)
            by_path[item.key] = manifest[item.entry.doc_id]

    def _attach(self, entry: ManifestEntry, file: SourceFile, manifest: dict[str, ManifestEntry],
                by_path: dict[str, ManifestEntry]) -> None:
        """Record one more file that carries these exact bytes: no passage is stored twice."""
        pairs = [(p, s) for p, s in zip(entry.paths, entry.sources) if p != str(file.path)]
        pairs.append((str(file.path), file.source))
        updated = replace(entry, paths=tuple(p for p, _ in pairs), sources=tuple(s for _, s in pairs))
        self._put(entry, updated)
        manifest[entry.doc_id] = updated
        for path in updated.paths:
            by_path[path] = updated

    def _detach(self, key: str, manifest: dict[str, ManifestEntry], keep: str | None = None) -> None:
        """Forget that file ``key`` carries its old version; delete a version no file carries."""
        for entry in list(manifest.values()):
            if entry.doc_id == keep or key not in entry.paths:
                continue
            pairs = [(p, s) for p, s in zip(entry.paths, entry.sources) if p != key]
            if pairs:
                updated = replace(entry, paths=tuple(p for p, _ in pairs), sources=tuple(s for _, s in pairs))
                self._put(entry, updated)
                manifest[entry.doc_id] = updated
            else:
                self.store.put_manifest(replace(entry, status="deleting"))
                self.store.delete_chunks(doc_id=entry.doc_id)
                self.store.delete_manifest(entry.doc_id)
                del manifest[entry.doc_id]

    def _put(self, old: ManifestEntry, new: ManifestEntry) -> None:
        """Write a changed record; passages carry the first source name, so keep them in step."""
        self.store.put_manifest(new)
        if new.sources and (not old.sources or old.sources[0] != new.sources[0]):
            self.store.update_chunks(new.chunk_ids, {"source": new.sources[0]})
