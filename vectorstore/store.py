"""The Chroma store: passages with their vectors, and a manifest of the documents they come from.

Two collections per store:
- ``<name>`` holds one record per passage (vector, text, metadata). A passage is visible to
  retrieval only once its metadata says ``ready`` — see ``ingest.sync`` for the protocol.
- ``<name>-manifest`` holds one record per document (keyed by its content hash) with its source
  names, passage ids, status and full text, plus one record with the store's sync state.
  Chroma wants a vector for every record, so manifest records carry a constant 1-d vector.

Vectors always come from our embedder: collections are created with ``embedding_function=None``.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from vectorstore.errors import ModelMismatchError, StoreUnavailableError
from vectorstore.freshness import note_sync, note_write, write_stamp
from vectorstore.types import Chunk, Hit, Span, date_number

log = logging.getLogger(__name__)

_STATE_ID = "__sync_state__"
_NO_VECTOR = [0.0]
_PAGE = 5000  # rows per get() page when reading a whole collection
_UNREADY_MARGIN = 32  # extra nearest neighbours fetched to make up for unready passages
# Up to this many allowed passages, a filtered search compares their stored vectors here (30 µs a
# vector) instead of Chroma's filtered search, which scans every passage's metadata (~240 ms at
# 100,000 passages for one brief, against ~10 ms this way).
EXACT_SEARCH_MAX = 1_000


def _writes(method):
    """Mark a method that writes to the store: its write stamp moves once it returns or fails
    (``vectorstore.freshness``)."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        finally:
            self._wrote()

    return wrapper


@dataclass(frozen=True)
class ManifestEntry:
    """One stored document: which files carry these bytes and which passages came from them."""

    doc_id: str  # sha256 of the file's bytes
    sources: tuple[str, ...]  # names shown to users: paths relative to the synced folder
    chunk_ids: tuple[str, ...]
    model: str
    status: str = "ready"  # "writing" -> "ready" -> "deleting"
    format: str = ""
    encoding: str = ""
    title: str = ""
    date: str = ""
    series: str = ""
    authors: tuple[str, ...] = ()
    license: str = ""
    paths: tuple[str, ...] = ()  # absolute paths of the files, parallel to ``sources``
    debris: tuple[Span, ...] = ()  # spans of the document text that are not body text (shown greyed)
    updated_at: float = field(default_factory=time.time)


def _chunk_metadata(chunk: Chunk, ready: bool) -> dict[str, Any]:
    return {
        "doc_id": chunk.doc_id, "source": chunk.source, "start": chunk.start, "end": chunk.end,
        "index": chunk.index, "section": chunk.section, "page": -1 if chunk.page is None else chunk.page,
        "title": chunk.title, "date": chunk.date, "date_num": date_number(chunk.date),
        "series": chunk.series, "authors": json.dumps(list(chunk.authors)), "ready": ready,
        "page_starts": json.dumps([list(p) for p in chunk.page_starts]),
    }


def _chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    page = int(meta.get("page", -1))
    return Chunk(
        id=chunk_id, doc_id=str(meta["doc_id"]), source=str(meta["source"]), start=int(meta["start"]),
        end=int(meta["end"]), text=text, index=int(meta.get("index", 0)), section=str(meta.get("section", "")),
        page=None if page < 0 else page, title=str(meta.get("title", "")), date=str(meta.get("date", "")),
        series=str(meta.get("series", "")), authors=tuple(json.loads(meta.get("authors") or "[]")),
        page_starts=tuple((int(a), int(b)) for a, b in json.loads(meta.get("page_starts") or "[]")),
    )


def _manifest_metadata(entry: ManifestEntry) -> dict[str, Any]:
    return {
        "sources": json.dumps(list(entry.sources)), "chunk_ids": json.dumps(list(entry.chunk_ids)),
        "model": entry.model, "status": entry.status, "format": entry.format, "encoding": entry.encoding,
        "title": entry.title, "date": entry.date, "series": entry.series,
        "authors": json.dumps(list(entry.authors)), "license": entry.license, "paths": json.dumps(list(entry.paths)),
        "updated_at": entry.updated_at, "debris": json.dumps([[s.start, s.end, s.kind] for s in entry.debris]),
    }


def _manifest_from_record(doc_id: str, meta: dict[str, Any]) -> ManifestEntry:
    return ManifestEntry(
        doc_id=doc_id, sources=tuple(json.loads(meta["sources"])), chunk_ids=tuple(json.loads(meta["chunk_ids"])),
        model=str(meta["model"]), status=str(meta["status"]), format=str(meta.get("format", "")),
        encoding=str(meta.get("encoding", "")), title=str(meta.get("title", "")), date=str(meta.get("date", "")),
        series=str(meta.get("series", "")), authors=tuple(json.loads(meta.get("authors") or "[]")),
        license=str(meta.get("license", "")), paths=tuple(json.loads(meta.get("paths") or "[]")),
        updated_at=float(meta.get("updated_at", 0.0)),
        debris=tuple(Span(int(a), int(b), str(k)) for a, b, k in json.loads(meta.get("debris") or "[]")),
    )


def _and(*clauses: dict[str, Any] | None) -> dict[str, Any]:
    present = [c for c in clauses if c]
    return present[0] if len(present) == 1 else {"$and": present}


class ChromaStore:
    """Passages and manifest in Chroma, checked against the embedding model on open."""

    def __init__(self, client: Any, *, collection: str, model: str, dimension: int) -> None:
        if len(collection) < 3:
            raise ValueError(f"collection name {collection!r} must have at least 3 characters")
        self.client = client
        self.model, self.dimension = model, dimension
        self._closed = False
        self._chroma_system = getattr(client, "_system", None)  # Chroma's per-path system, as opened
        self.max_batch = int(client.get_max_batch_size())
        self._chunks = client.get_or_create_collection(
            collection, embedding_function=None,
            metadata={"hnsw:space": "cosine", "embedding_model": model, "embedding_dim": dimension},
        )
        stored_model = (self._chunks.metadata or {}).get("embedding_model", model)
        stored_dim = int((self._chunks.metadata or {}).get("embedding_dim", dimension))
        if stored_model != model or stored_dim != dimension:
            raise ModelMismatchError(stored_model, stored_dim, model, dimension)
        self._manifest = client.get_or_create_collection(f"{collection}-manifest", embedding_function=None)
        self.collection = collection
        config = client.get_settings()
        where = (f"{config.chroma_server_host}:{config.chroma_server_http_port}" if config.chroma_server_host
                 else str(config.persist_directory))
        # The same for every ChromaStore opened on this store; a collection made anew gets a new id.
        self.identity = (where, collection, str(self._chunks.id))

    def close(self) -> None:
        """Release what the client holds open: for an embedded store its SQLite database and index files
        (about 16 file descriptors), for either its Chroma system. Idempotent; the store cannot be used
        afterwards. Chroma shares one system among the clients opened on a path in a process, and stops it
        when the last of them is closed (``chromadb.Client.close``). A store whose system Chroma's cache no
        longer holds (``system.System`` reopened the path after another process's sync) is left to the
        garbage collector, which releases its files once nothing uses it: closing its client would stop
        the system of the newer opening of the same path."""
        if self._closed:
            return
        self._closed = True
        from chromadb.api.shared_system_client import SharedSystemClient

        identifier = str(getattr(self.client, "_identifier", ""))
        if self._chroma_system is not None and \
                SharedSystemClient._identifier_to_system.get(identifier) is self._chroma_system:
            self.client.close()

    @property
    def write_stamp(self) -> int:
        """Changes whenever this process writes to the store, through this object or another
        opened on the same store; 0 before any write (see ``vectorstore.freshness``)."""
        return write_stamp(self.identity)

    def _wrote(self) -> None:
        note_write(self.identity)

    # -- passages -------------------------------------------------------------------------

    def _batches(self, n: int) -> Iterator[slice]:
        for begin in range(0, n, self.max_batch):
            yield slice(begin, min(n, begin + self.max_batch))

    @_writes
    def upsert_chunks(self, chunks: Sequence[Chunk], vectors: np.ndarray, *, ready: bool = False) -> None:
        if len(chunks) != len(vectors):
            raise ValueError(f"{len(chunks)} passages but {len(vectors)} vectors")
        for part in self._batches(len(chunks)):
            batch = chunks[part]
            self._chunks.upsert(
                ids=[c.id for c in batch], embeddings=np.asarray(vectors[part], dtype=np.float32),
                documents=[c.text for c in batch], metadatas=[_chunk_metadata(c, ready) for c in batch],
            )

    @_writes
    def update_chunks(self, chunk_ids: Sequence[str], fields: dict[str, Any]) -> None:
        """Change metadata fields of passages without re-embedding them (Chroma merges the fields)."""
        ids = list(chunk_ids)
        for part in self._batches(len(ids)):
            self._chunks.update(ids=ids[part], metadatas=[dict(fields) for _ in range(part.stop - part.start)])

    def set_ready(self, chunk_ids: Sequence[str], ready: bool = True) -> None:
        self.update_chunks(chunk_ids, {"ready": ready})

    @_writes
    def delete_chunks(self, *, doc_id: str | None = None, ids: Sequence[str] | None = None,
                      unready: bool = False) -> None:
        if ids:
            for part in self._batches(len(ids)):
                self._chunks.delete(ids=list(ids[part]))
        if doc_id is not None:
            self._chunks.delete(where={"doc_id": doc_id})
        if unready:
            self._chunks.delete(where={"ready": False})

    def count(self) -> int:
        return int(self._chunks.count())

    def query(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None, *,
              among: Sequence[str] | None = None) -> list[Hit]:
        """Nearest ready passages by cosine similarity (score = 1 - cosine distance).

        Any metadata filter makes Chroma leave its HNSW index for a brute-force scan (at 100,000
        passages about 860 ms against 7 ms, docs/benchmarks.md). Unready passages exist only
        while a sync is writing, so without a user filter we over-fetch unfiltered and drop
        them here, and ask Chroma to filter only when that leaves too few.

        ``among``, when the caller knows them, are the ids of the passages ``where`` allows; up
        to ``EXACT_SEARCH_MAX`` of them are searched exactly here, over their stored vectors.
        """
        if k <= 0:
            return []
        n = k  # Chroma returns fewer when the store holds fewer; asking count() costs 10 ms at 100,000
        if where is not None and among is not None and len(among) <= EXACT_SEARCH_MAX:
            from chromadb.errors import ChromaError

            try:
                return self._query_among(vector, n, among)
            except ChromaError as exc:  # e.g. vectors another process is still writing: let Chroma filter
                log.warning("exact search over %d passages failed (%s); using Chroma's filter", len(among), exc)
        if where is None:
            fetch = n + _UNREADY_MARGIN
            found = self._query(vector, fetch, None)
            hits = [h for h, ready in found if ready]
            if len(hits) >= n or len(found) < fetch:  # enough, or every passage was looked at
                return [replace(h, rank=rank) for rank, h in enumerate(hits[:n], 1)]
        return [h for h, _ in self._query(vector, n, _and({"ready": True}, where))]

    def _query_among(self, vector: np.ndarray, n: int, ids: Sequence[str]) -> list[Hit]:
        """The ``n`` ready passages among ``ids`` nearest to ``vector``, compared here one by one."""
        found, vectors = [], []
        for part in self._batches(len(ids)):
            got = self._chunks.get(ids=list(ids[part]), include=["embeddings"])
            found.extend(got["ids"])
            vectors.extend(got["embeddings"])
        if not found:
            return []
        matrix = np.asarray(vectors, dtype=np.float32)
        query = np.asarray(vector, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1) * max(float(np.linalg.norm(query)), 1e-12)
        scores = matrix @ query / np.maximum(norms, 1e-12)
        order = np.argsort(-scores, kind="stable")[: n + _UNREADY_MARGIN]
        top = [found[i] for i in order]
        rows = self._chunks.get(ids=top, include=["documents", "metadatas"])
        records = {cid: (text, meta) for cid, text, meta in zip(rows["ids"], rows["documents"], rows["metadatas"])}
        hits: list[Hit] = []
        for i, cid in zip(order, top):
            record = records.get(cid)
            if record is None or record[1].get("ready") is not True:
                continue
            score = float(scores[i])
            hits.append(Hit(_chunk_from_record(cid, *record), score, len(hits) + 1, dense_score=score))
            if len(hits) == n:
                break
        return hits

    def _query(self, vector: np.ndarray, n: int, where: dict[str, Any] | None) -> list[tuple[Hit, bool]]:
        result = self._chunks.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)], n_results=n,
            where=where, include=["documents", "metadatas", "distances"],
        )
        hits = []
        for rank, (cid, text, meta, dist) in enumerate(zip(result["ids"][0], result["documents"][0],
                                                           result["metadatas"][0], result["distances"][0]), 1):
            score = 1.0 - float(dist)
            hits.append((Hit(_chunk_from_record(cid, text, meta), score, rank, dense_score=score),
                         bool(meta.get("ready"))))
        return hits

    def iter_chunks(self, where: dict[str, Any] | None = None, *, include_unready: bool = False) -> Iterator[Chunk]:
        """Every (ready) passage, read page by page."""
        clause = where if include_unready else _and({"ready": True}, where)
        offset = 0
        while True:
            page = self._chunks.get(where=clause or None, limit=_PAGE, offset=offset,
                                    include=["documents", "metadatas"])
            for cid, text, meta in zip(page["ids"], page["documents"], page["metadatas"]):
                yield _chunk_from_record(cid, text, meta)
            if len(page["ids"]) < _PAGE:
                return
            offset += _PAGE

    def ready_ids(self) -> list[str]:
        """The ids of every ready passage (no text, no metadata: a tenth of ``iter_chunks``'s time)."""
        return list(self._chunks.get(where={"ready": True}, include=[])["ids"])

    @property
    def collection_id(self) -> str:
        """The passages collection's id: a collection deleted and created again gets a new one."""
        return str(self._chunks.id)

    def get_chunks(self, ids: Sequence[str]) -> list[Chunk]:
        found: dict[str, Chunk] = {}
        for part in self._batches(len(ids)):
            page = self._chunks.get(ids=list(ids[part]), include=["documents", "metadatas"])
            for cid, text, meta in zip(page["ids"], page["documents"], page["metadatas"]):
                found[cid] = _chunk_from_record(cid, text, meta)
        return [found[i] for i in ids if i in found]

    # -- manifest -------------------------------------------------------------------------

    def manifest(self) -> dict[str, ManifestEntry]:
        entries: dict[str, ManifestEntry] = {}
        offset = 0
        while True:
            page = self._manifest.get(limit=_PAGE, offset=offset, include=["metadatas"])
            for doc_id, meta in zip(page["ids"], page["metadatas"]):
                if doc_id != _STATE_ID:
                    entries[doc_id] = _manifest_from_record(doc_id, meta)
            if len(page["ids"]) < _PAGE:
                return entries
            offset += _PAGE

    @_writes
    def put_manifest(self, entry: ManifestEntry, text: str | None = None) -> None:
        """Write a manifest record; ``text`` (the document text) is kept unless given anew."""
        entry = replace(entry, updated_at=time.time())
        if text is None:
            self._manifest.update(ids=[entry.doc_id], metadatas=[_manifest_metadata(entry)])
        else:
            self._manifest.upsert(ids=[entry.doc_id], embeddings=[_NO_VECTOR], documents=[text],
                                  metadatas=[_manifest_metadata(entry)])

    @_writes
    def delete_manifest(self, doc_id: str) -> None:
        self._manifest.delete(ids=[doc_id])

    def document_debris(self, doc_id: str) -> tuple[Span, ...]:
        """The debris spans of a stored document (cover pages, web navigation ...), () when none."""
        got = self._manifest.get(ids=[doc_id], include=["metadatas"])
        return _manifest_from_record(doc_id, got["metadatas"][0]).debris if got["ids"] else ()

    def document_text(self, doc_id: str) -> str | None:
        got = self._manifest.get(ids=[doc_id], include=["documents"])
        return got["documents"][0] if got["ids"] else None

    # -- sync state -----------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """``generation`` (bumped by every sync that changed something) and ``last_sync`` (epoch s)."""
        got = self._manifest.get(ids=[_STATE_ID], include=["metadatas"])
        return dict(got["metadatas"][0]) if got["ids"] else {"generation": 0, "last_sync": 0.0}

    @_writes
    def record_sync(self, *, changed: bool) -> None:
        """Note a finished sync; one that changed something moves the generation (and this process
        remembers that it moved it, so its own readers are not reopened: ``vectorstore.freshness``)."""
        state = self.state()
        before = int(state.get("generation", 0))
        state["last_sync"] = time.time()
        if changed:
            state["generation"] = before + 1
        self._manifest.upsert(ids=[_STATE_ID], embeddings=[_NO_VECTOR], documents=[""], metadatas=[state])
        note_sync(self.identity, before, int(state.get("generation", 0)))


def make_client(*, path: str | None = None, host: str | None = None, port: int = 8000, ssl: bool = False) -> Any:
    """A Chroma client: server mode when ``host`` is set, embedded (persistent) otherwise."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    if not host and not path:
        raise ValueError("an embedded store needs a path (or set a host for server mode)")
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if host:
            return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:  # chromadb reports connection and file problems as ValueError or bare Exception
        where = f"{host}:{port}" if host else str(path)
        raise StoreUnavailableError(f"cannot open the Chroma store at {where}: {exc}") from exc


def open_store(*, path: str | None = None, host: str | None = None, port: int = 8000, ssl: bool = False,
               collection: str = "briefs", model: str, dimension: int) -> ChromaStore:
    return ChromaStore(make_client(path=path, host=host, port=port, ssl=ssl), collection=collection,
                       model=model, dimension=dimension)


def entries_by_path(entries: Iterable[ManifestEntry]) -> dict[str, ManifestEntry]:
    return {path: entry for entry in entries for path in entry.paths}
