"""Shared data types. Imports nothing of ours, so every layer can depend on it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?=$|[T ])")


def date_number(date: str) -> int:
    """A publication date as the integer YYYYMMDD, so dates compare and Chroma filters ranges.

    ``date`` is ``YYYY-MM-DD``, optionally followed by a time (``2017-05-08T10:00``); a partial
    date counts as its first day (``2021-03`` -> 20210301, ``2019`` -> 20190101). 0 for an empty,
    unreadable ("May 2017") or impossible ("2017-02-30") date, which no date range includes.
    The one date-to-number of the product: stored passages, filters and the UI all use it.
    """
    match = _ISO_DATE.match(date)
    if not match:
        return 0
    year, month, day = int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1)
    try:
        dt.date(year, month, day)
    except ValueError:
        return 0
    return year * 10000 + month * 100 + day


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` of a document's text."""

    start: int
    end: int
    kind: str = ""  # why the span matters, e.g. "more_on", "caption_repeat", "pull_quote"


@dataclass(frozen=True)
class Section:
    """A heading and where its section starts in the document text."""

    start: int
    title: str


@dataclass(frozen=True)
class Page:
    """Where a PDF page's text lies in the document text (pages numbered from 1)."""

    start: int
    end: int
    number: int


@dataclass(frozen=True)
class DocumentMeta:
    """Descriptive metadata of a brief, found by rule or overridden by the user."""

    title: str = ""
    date: str = ""  # ISO 8601: YYYY-MM-DD, or YYYY-MM / YYYY where only those are given; "" unknown
    series: str = ""  # series or type, e.g. "Expert Brief", "Asia Unbound"
    authors: tuple[str, ...] = ()
    license: str = ""
    extra: tuple[tuple[str, str], ...] = ()  # other user-supplied fields


@dataclass(frozen=True)
class Document:
    """A loaded brief: its text (the frame every span refers to) and what we know of it.

    ``text`` is the decoded file for .txt/.md and the extracted text for other formats.
    ``debris`` are spans of web-page debris that passages must not include.
    """

    source: str  # path relative to the synced folder (or as given), POSIX separators
    text: str
    content_hash: str  # sha256 of the file's bytes
    format: str  # "txt", "md", "html", "pdf", "docx"
    encoding: str = ""  # the codec used to decode the bytes ("" where not a text format)
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    sections: tuple[Section, ...] = ()
    pages: tuple[Page, ...] = ()
    debris: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A passage: a contiguous span of its document's text, ``doc_text[start:end] == text``."""

    id: str
    doc_id: str  # the document's content hash
    source: str
    start: int
    end: int
    text: str
    index: int = 0  # position of the passage within its document
    section: str = ""
    page: int | None = None
    title: str = ""
    date: str = ""
    series: str = ""
    authors: tuple[str, ...] = ()
    # (document offset, page number) of each page that starts inside the passage after its
    # first, so a quote anywhere in it has its own page (``page_at``).
    page_starts: tuple[tuple[int, int], ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The page of the document offset ``offset`` within this passage (None when unknown)."""
        page = self.page
        for start, number in self.page_starts:
            if start <= offset:
                page = number
        return page


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with its score (higher is better) and rank (from 1)."""

    chunk: Chunk
    score: float
    rank: int = 0
    dense_score: float | None = None
    keyword_score: float | None = None
    # (short form, long form) of each abbreviation the passage's document defines
    # (``text.abbreviations``), so a question may match either form in this document only.
    abbreviations: tuple[tuple[str, str], ...] = ()
    # The header cells of the table the passage opens inside, when the table began in an earlier
    # passage (``text.tables.table_header``), so the passage's rows read with their header.
    table_header: tuple[str, ...] = ()
    # That table's unit line or subtitle ("($ in millions)", ``text.tables.table_note``), "" if none.
    table_note: str = ""
    # The section headings over the passage's text, as (passage offset from which it governs, heading
    # line): the first at 0 is the heading the passage opens under (it may lie in an earlier passage),
    # then each heading line inside the passage (``text.headings.governing_heading``); () when unknown.
    headings: tuple[tuple[int, str], ...] = ()
    # The heading of the passage's brief's opening section (``text.headings.opening_heading``: "Overview",
    # "Introduction"), whose sentences speak for the brief as a whole; "" when unknown or none.
    opening_heading: str = ""
    # Heading lines its brief prints more than once (``text.headings.repeated_headings``): page furniture
    # (a web page's "More on:" tag lists and widgets, a table header repeated on each page), no section.
    repeated_headings: tuple[str, ...] = ()

    def heading_at(self, offset: int) -> str:
        """The heading governing passage offset ``offset`` ("" when none is known)."""
        heading = ""
        for start, line in self.headings:
            if start <= offset:
                heading = line
        return heading
