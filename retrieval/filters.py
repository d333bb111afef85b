"""Question-time metadata filters: which briefs a question may draw on.

Chroma filters what it can (brief, date range, series); authors are stored as a JSON list in a
string, which Chroma's ``where`` cannot look inside, so they are matched on our side
(``Filters.matches``) and turned into a ``doc_id`` clause for dense search by the retriever.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vectorstore.types import Chunk, date_number


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

    def where(self) -> dict[str, Any] | None:
        """The Chroma ``where`` clause for every field but ``authors`` (None when there is none)."""
        clauses: list[dict[str, Any]] = []
        for key, values in (("source", self.sources), ("doc_id", self.doc_ids), ("series", self.series)):
            if values:
                clauses.append({key: values[0]} if len(values) == 1 else {key: {"$in": list(values)}})
        if self.date_from:
            clauses.append({"date_num": {"$gte": _date_number(self.date_from, "date_from")}})
        if self.date_to:
            clauses.append({"date_num": {"$lte": _date_number(self.date_to, "date_to")}})
        if self.date_from or self.date_to:
            clauses.append({"date_num": {"$gt": 0}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

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

