"""Build the ingest objects from settings (used by the CLI and the app)."""

from __future__ import annotations

from ingest.sync import Syncer, SyncOptions
from settings import Settings
from vectorstore.embedder import SentenceTransformerEmbedder, TextEmbedder
from vectorstore.store import ChromaStore, open_store


def build_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    e = settings.embedding
    return SentenceTransformerEmbedder(e.model, device=e.device, batch_size=e.batch_size, precision=e.precision)


def build_store(settings: Settings, embedder: TextEmbedder) -> ChromaStore:
    s = settings.store
    return open_store(path=str(s.path), host=s.host, port=s.port, ssl=s.ssl, collection=s.collection,
                      model=embedder.name, dimension=embedder.dimension)


def sync_options(settings: Settings) -> SyncOptions:
    c, i = settings.chunking, settings.ingest
    return SyncOptions(max_bytes=int(i.max_file_mb * 1024 * 1024), parse_timeout_s=i.parse_timeout_s,
                       target_chars=c.target_chars, overlap_sentences=c.overlap_sentences, max_tokens=c.max_tokens,
                       embed_title=c.embed_title, encoding=i.encoding)


def build_syncer(settings: Settings, embedder: TextEmbedder | None = None) -> Syncer:
    embedder = embedder or build_embedder(settings)
    return Syncer(build_store(settings, embedder), embedder, sync_options(settings))
