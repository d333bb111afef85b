"""Question-time metadata filters: which briefs a question may draw on.

Expressed once: ``Filters.matches`` decides whether a brief's passage is allowed. The keyword
ranking applies it as a mask over its index (``restrict``), and the dense ranking gets a Chroma
``where`` clause derived from the same decision, the ids of the allowed briefs (plus the allowed
passages' ids when they are few enough to search exactly), so both rankings always see the same
passages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from vectorstore.store import EXACT_SEARCH_MAX
from vectorstore.types import Chunk, date_number

if TYPE_CHECKING:
    from retrieval.keyword import KeywordIndex


def _date_number(value: str, name: str) -> int:
    """A filter bound as ``date_number`` gives it; ValueError naming the field when it is no date."""
    number = date_number(value) if len(value) == 10 else 0
    if not number:
        raise ValueError(f"{name} ({value!r}) must be an ISO date, YYYY-MM-DD")
    return number


@dataclass(frozen=True)
class Filters:
    """Restrictions on the passages a question may retrieve; empty fields restrict nothing.

    Several values in one field mean "any of them"; different fields must all hold. Briefs
    without a known date are excluded as soon as a date bound is set.
    """

    sources: tuple[str, ...] = ()  # brief file names as stored (``Chunk.source``)
    doc_ids: tuple[str, ...] = ()  # brief content hashes
    date_from: str | None = None  # inclusive, YYYY-MM-DD
    date_to: str | None = None  # inclusive, YYYY-MM-DD
    series: tuple[str, ...] = ()  # series or type, exact
    authors: tuple[str, ...] = ()  # matched case-insensitively as part of an author's name

    def __post_init__(self) -> None:
        for name in ("sources", "doc_ids", "series", "authors"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise TypeError(f"{name} must be a tuple of strings, not the string {value!r}")
            object.__setattr__(self, name, tuple(value))
        low = _date_number(self.date_from, "date_from") if self.date_from else None
        high = _date_number(self.date_to, "date_to") if self.date_to else None
        if low is not None and high is not None and low > high:
            raise ValueError(f"date_from ({self.date_from}) is after date_to ({self.date_to})")

    @property
    def empty(self) -> bool:
        return not (self.sources or self.doc_ids or self.date_from or self.date_to or self.series or self.authors)

    def matches(self, chunk: Chunk) -> bool:
        """Whether a passage passes every field, authors included."""
        if self.sources and chunk.source not in self.sources:
            return False
        if self.doc_ids and chunk.doc_id not in self.doc_ids:
            return False
        if self.series and chunk.series not in self.series:
            return False
        if self.date_from or self.date_to:
            number = date_number(chunk.date)
            if number == 0:
                return False
            if self.date_from and number < _date_number(self.date_from, "date_from"):
                return False
            if self.date_to and number > _date_number(self.date_to, "date_to"):
                return False
        return not self.authors or self.matches_authors(chunk.authors)

    def matches_authors(self, authors: tuple[str, ...]) -> bool:
        wanted = [a.casefold().strip() for a in self.authors]
        names = [a.casefold() for a in authors]
        return any(w in name for w in wanted for name in names)


@dataclass(frozen=True)
class Restriction:
    """The passages a ``Filters`` allows among those of a keyword index, in the forms each ranking needs."""

    mask: np.ndarray  # one boolean per passage of the index
    doc_ids: tuple[str, ...]  # the allowed briefs, sorted
    chunk_ids: tuple[str, ...] | None  # the allowed passages, when few enough for exact dense search

    @property
    def empty(self) -> bool:
        return not self.doc_ids

    def where(self) -> dict[str, Any]:
        """The Chroma ``where`` clause allowing exactly these briefs."""
        ids = list(self.doc_ids)
        return {"doc_id": ids[0]} if len(ids) == 1 else {"doc_id": {"$in": ids}}


def restrict(filters: Filters | None, index: KeywordIndex) -> Restriction | None:
    """What ``filters`` allows among the index's passages (None when it restricts nothing)."""
    if filters is None or filters.empty:
        return None
    mask, doc_ids = index.briefs_matching(filters.matches)
    allowed = np.flatnonzero(mask)
    chunk_ids = tuple(index.chunks[i].id for i in allowed) if len(allowed) <= EXACT_SEARCH_MAX else None
    return Restriction(mask, doc_ids, chunk_ids)
