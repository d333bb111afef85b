"""Benchmark stores of about 2,600, 10,000 and 100,000 passages, built once and cached under .cache/.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.scale_store [--sizes 10000,100000] [--rebuild]

The base store is a real ``Syncer.sync`` of the chunking benchmark's five corpora (the product
path: load, split, embed with bf16 autocast where supported, store). Embedding 100,000 passages
on a 2-core CPU takes 20-40 minutes, so the larger stores are made by *replication*: the base
passages are cut into brief-sized documents (``--passages-per-doc``, 50 by default) and copied
as many times as needed, each copy a distinct document with its own content hash, source name,
title and passage ids. The first copy keeps the original texts (so questions still find their
true passages); later copies start each passage with a short "Copy N." sentence, so no two
passages share a text (the retriever folds identical texts into one, which would hide the
scale). Vectors are copied from the base with a little Gaussian noise (``--noise``, relative
norm; cosine to the original about 0.999) and renormalised, so the HNSW graph holds no exact
duplicates. Everything is written through ``ChromaStore.upsert_chunks(..., ready=True)`` and
``put_manifest``; BM25 is built from the store by the retriever, as in the app.

The stores are reused while their fingerprint (model, chunking settings, corpora, size,
options) matches; ``--rebuild`` forces a rebuild. ``store_for(size)`` gives other benchmark
scripts the path of a built store.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import shutil
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import CACHE, CORPORA, setup_environment  # noqa: E402

setup_environment()

from text.sentences import sentence_spans  # noqa: E402
from ingest.splitter import chunk_id  # noqa: E402
from settings import Settings  # noqa: E402
from system import System  # noqa: E402
from vectorstore.store import ChromaStore, ManifestEntry  # noqa: E402
from vectorstore.types import Chunk  # noqa: E402

log = logging.getLogger("bench.scale_store")

STORES = CACHE / "stores"
BASE = "base"
_STAMP = "bench-fingerprint.json"
_BASE_VERSION = 1  # bump when the base sync changes
_COPY_VERSION = 2  # bump when replication changes
_WRITE_BATCH = 5000  # passages per upsert_chunks call (it splits further by Chroma's own limit)


@dataclass(frozen=True)
class ScaleOptions:
    passages_per_doc: int = 50
    noise: float = 0.05
    seed: int = 0


def _fingerprint(settings: Settings, corpora: Path) -> dict:
    files = sorted(p for p in corpora.iterdir() if p.is_file())
    return {"version": _BASE_VERSION, "model": settings.embedding.model, "precision": settings.embedding.precision,
            "chunking": settings.chunking.model_dump(),
            "corpora": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}}


def _matches(path: Path, fingerprint: dict) -> bool:
    stamp = path / _STAMP
    return stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == fingerprint


def _open(path: Path, settings: Settings) -> ChromaStore:
    return System(settings).with_store(path).store  # the dimension is read from the model's files; no weights load


def build_base(settings: Settings, corpora: Path, *, rebuild: bool = False) -> Path:
    """The real sync of the corpora (the ~2,600-passage store), built unless cached."""
    path = STORES / BASE
    fingerprint = _fingerprint(settings, corpora)
    if not rebuild and _matches(path, fingerprint):
        return path
    shutil.rmtree(path, ignore_errors=True)
    system = System(settings).with_store(path)
    began = time.perf_counter()
    report = system.syncer.sync([corpora])
    if report.failed:
        raise SystemExit(f"the base sync failed: {report.failed}")
    log.warning("base store: %d passages synced in %.0f s", report.chunks, time.perf_counter() - began)
    (path / _STAMP).write_text(json.dumps(fingerprint, indent=1), encoding="utf-8")
    return path


def _base_records(store: ChromaStore) -> tuple[list[Chunk], np.ndarray, dict[str, str]]:
    """Every ready passage of the base store with its vector, and each document's text."""
    collection = store.client.get_collection(store.collection)
    got = collection.get(where={"ready": True}, include=["embeddings"])
    vectors_by_id = dict(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32)))
    chunks = sorted(store.iter_chunks(), key=lambda c: (c.doc_id, c.start))
    vectors = np.stack([vectors_by_id[c.id] for c in chunks])
    texts = {doc_id: store.document_text(doc_id) or "" for doc_id in {c.doc_id for c in chunks}}
    return chunks, vectors, texts


def _groups(chunks: list[Chunk], size: int) -> list[list[int]]:
    """Positions of consecutive passages of one document, ``size`` at a time: one brief each."""
    groups: list[list[int]] = []
    for position, chunk in enumerate(chunks):
        if not groups or len(groups[-1]) >= size or chunks[groups[-1][-1]].doc_id != chunk.doc_id:
            groups.append([])
        groups[-1].append(position)
    return groups


def tag_sentences(text: str, tag: str) -> str:
    """``text`` with ``tag`` in front of every sentence, as the answerer splits sentences."""
    if not tag:
        return text
    starts = [start for start, _ in sentence_spans(text)] or [0]
    if starts[0] != 0 and not text[: starts[0]].strip():
        starts[0] = 0
    pieces, last = [], 0
    for start in starts:
        pieces += [text[last:start], tag]
        last = start
    pieces.append(text[last:])
    return "".join(pieces)


def _copy_document(chunks: list[Chunk], text: str, *, copy: int, group: int) -> tuple[str, list[Chunk], str]:
    """One brief-sized document made of ``chunks`` (consecutive, non-overlapping) for copy ``copy``.

    Returns the new document's id, its passages and its text; ``text[p.start:p.end] == p.text``
    holds for every passage, as in a real store.
    """
    first = chunks[0]
    doc_id = hashlib.sha256(f"{first.doc_id}:{copy}:{group}".encode()).hexdigest()
    tag = f"C{copy} " if copy else ""
    parts: list[str] = []
    cursor, position = 0, first.start
    placed: list[Chunk] = []
    for index, chunk in enumerate(chunks):
        if chunk.start < position:
            raise ValueError(f"passages overlap at {chunk.source}:{chunk.start}; scale stores need "
                             "BRIEFS_CHUNKING__OVERLAP_SENTENCES=0")
        gap = text[position:chunk.start]
        body = tag_sentences(chunk.text, tag)
        start = cursor + len(gap)
        parts += [gap, body]
        cursor = start + len(body)
        position = chunk.end
        stem = Path(chunk.source).stem
        source = f"copy{copy:03d}/{stem}-{group:03d}{Path(chunk.source).suffix}"
        title = f"{chunk.title} (copy {copy}, part {group})" if copy else f"{chunk.title} (part {group})"
        placed.append(replace(chunk, id=chunk_id(doc_id, start, cursor), doc_id=doc_id, source=source, start=start,
                              end=cursor, text=body, index=index, title=title, page=None))
    return doc_id, placed, "".join(parts)


def build_scaled(settings: Settings, base: Path, size: int, options: ScaleOptions, *, rebuild: bool = False) -> Path:
    """A store of exactly ``size`` passages replicated from the base store, built unless cached."""
    path = STORES / f"p{size}"
    fingerprint = {"version": _COPY_VERSION, "base": json.loads((base / _STAMP).read_text(encoding="utf-8")),
                   "size": size, "options": options.__dict__}
    if not rebuild and _matches(path, fingerprint):
        return path
    shutil.rmtree(path, ignore_errors=True)
    source = _open(base, settings)
    chunks, vectors, texts = _base_records(source)
    store = _open(path, settings)
    groups = _groups(chunks, options.passages_per_doc)
    rng = np.random.default_rng(options.seed)
    began = time.perf_counter()
    written, documents, copy = 0, 0, 0
    pending: list[Chunk] = []
    pending_vectors: list[np.ndarray] = []

    def flush() -> None:
        if pending:
            store.upsert_chunks(pending, np.concatenate(pending_vectors), ready=True)
            pending.clear()
            pending_vectors.clear()

    while written < size:
        for number, positions in enumerate(groups):
            positions = positions[: size - written]
            if not positions:
                break
            group_chunks = [chunks[p] for p in positions]
            doc_id, placed, text = _copy_document(group_chunks, texts[group_chunks[0].doc_id], copy=copy,
                                                  group=number)
            block = vectors[positions]
            if copy:
                block = block + rng.normal(0.0, options.noise / np.sqrt(block.shape[1]), block.shape)
                block = (block / np.linalg.norm(block, axis=1, keepdims=True)).astype(np.float32)
            pending.extend(placed)
            pending_vectors.append(block)
            first = placed[0]
            store.put_manifest(ManifestEntry(
                doc_id=doc_id, sources=(first.source,), chunk_ids=tuple(c.id for c in placed), model=store.model,
                status="ready", format="md", encoding="utf-8", title=first.title, date=first.date,
                series=first.series, authors=first.authors), text=text)
            written += len(placed)
            documents += 1
            if len(pending) >= _WRITE_BATCH:
                flush()
        copy += 1
    flush()
    store.record_sync(changed=True)
    if store.count() != size:
        raise SystemExit(f"the {size}-passage store holds {store.count()} passages")
    (path / _STAMP).write_text(json.dumps(fingerprint, indent=1), encoding="utf-8")
    log.warning("store p%d: %d passages in %d documents (%d copies) written in %.0f s", size, written, documents,
                copy, time.perf_counter() - began)
    return path


def store_for(size: int | str, settings: Settings | None = None, *, corpora: Path = CORPORA,
              options: ScaleOptions = ScaleOptions()) -> Path:
    """The path of the benchmark store of ``size`` passages ("base" for the real sync), built if needed."""
    settings = settings or Settings()
    base = build_base(settings, corpora)
    return base if size == BASE else build_scaled(settings, base, int(size), options)


def size_label(path: Path) -> str:
    stamp = json.loads((path / _STAMP).read_text(encoding="utf-8"))
    return str(stamp.get("size", BASE))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_store", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="passage counts of the scaled stores")
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="folder synced into the base store")
    parser.add_argument("--passages-per-doc", type=int, default=ScaleOptions.passages_per_doc,
                        help="passages per replicated document (a brief's worth)")
    parser.add_argument("--noise", type=float, default=ScaleOptions.noise,
                        help="relative norm of the Gaussian noise added to copied vectors")
    parser.add_argument("--rebuild", action="store_true", help="rebuild even when a cached store matches")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes ({args.sizes!r}) must be comma-separated integers")
    if args.passages_per_doc <= 0:
        parser.error(f"--passages-per-doc ({args.passages_per_doc}) must be positive")
    settings = Settings()
    options = ScaleOptions(passages_per_doc=args.passages_per_doc, noise=args.noise)
    base = build_base(settings, args.corpora, rebuild=args.rebuild)
    print(f"{base}: {_open(base, settings).count():,} passages (real sync)")
    for size in sizes:
        path = build_scaled(settings, base, size, options, rebuild=args.rebuild)
        store = _open(path, settings)
        print(f"{path}: {store.count():,} passages in {len(store.manifest()):,} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
