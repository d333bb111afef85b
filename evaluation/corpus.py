"""The documents references and citations point into, and how a reference finds its document.

A reference's ``source`` matches a document by its path relative to the ingested folder
(``reports/sotu.md``), by that path without its suffix (``reports/sotu``) or by the file's
stem alone (``sotu``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Protocol


@dataclass(frozen=True)
class CorpusDocument:
    doc_id: str  # the document's content hash in the store
    sources: tuple[str, ...]  # its paths relative to the ingested folder


class Corpus(Protocol):
    """What the evaluation needs to know about stored documents."""

    def documents(self) -> tuple[CorpusDocument, ...]: ...

    def text(self, doc_id: str) -> str | None: ...


def source_keys(source: str) -> set[str]:
    """The names a document path answers to: the path, the path without suffix, the stem."""
    path = PurePosixPath(source)
    return {source, str(path.with_suffix("")) if path.suffix else source, path.stem}


def find_documents(corpus: Corpus, source: str) -> list[CorpusDocument]:
    """Documents that ``source`` names (exact path first, then path without suffix or stem)."""
    docs = corpus.documents()
    exact = [d for d in docs if source in d.sources]
    return exact or [d for d in docs if any(source in source_keys(s) for s in d.sources)]


class InMemoryCorpus:
    """Documents given as ``{source: text}``; their ids are their sources. For tests and tools."""

    def __init__(self, texts: dict[str, str]) -> None:
        self._texts = dict(texts)
        self._docs = tuple(CorpusDocument(source, (source,)) for source in self._texts)

    def documents(self) -> tuple[CorpusDocument, ...]:
        return self._docs

    def text(self, doc_id: str) -> str | None:
        return self._texts.get(doc_id)


class StoreCorpus:
    """The documents of a ``ChromaStore``: manifest read once, texts fetched once each (thread-safe)."""

    def __init__(self, store: object) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._docs: tuple[CorpusDocument, ...] | None = None
        self._texts: dict[str, str | None] = {}

    def documents(self) -> tuple[CorpusDocument, ...]:
        with self._lock:
            if self._docs is None:
                entries = self._store.manifest().values()  # type: ignore[attr-defined]
                self._docs = tuple(CorpusDocument(e.doc_id, tuple(e.sources)) for e in entries
                                   if e.status == "ready")
            return self._docs

    def text(self, doc_id: str) -> str | None:
        with self._lock:
            if doc_id not in self._texts:
                self._texts[doc_id] = self._store.document_text(doc_id)  # type: ignore[attr-defined]
            return self._texts[doc_id]
