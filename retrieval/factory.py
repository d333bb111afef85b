"""Build the retriever from settings (used by the app and the command lines)."""

from __future__ import annotations

from retrieval.hybrid import HybridRetriever
from settings import Settings
from vectorstore.embedder import TextEmbedder
from vectorstore.store import ChromaStore


def build_retriever(settings: Settings, store: ChromaStore, embedder: TextEmbedder) -> HybridRetriever:
    """The hybrid retriever over ``store``, its keyword index saved under the data folder."""
    return HybridRetriever(store=store, embedder=embedder, settings=settings.retrieval,
                           cache_dir=settings.keyword_index_dir)
