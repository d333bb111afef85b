"""Metadata a PDF shows by its layout: the title in the largest type of the first page, the
printed date, the authors' names beside their job titles, the series and report number.

Each value falls back to the document properties (Title, Author, Keywords, CreationDate),
never to the file's modification time.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ingest.metadata import find_date, printed_date, series_of_number, split_names
from vectorstore.types import DocumentMeta

if TYPE_CHECKING:
    from ingest.pdf import _PageLines

_TITLE_SIZE = 1.3  # title type is at least this share of the body size
_PLACEHOLDER_TITLES = frozenset({"", "word document", "document", "untitled", "title", "anonymous", "microsoft word"})
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]+|de|van|von|da|del|la)){1,4}(?:,?\s+(?:Jr\.|Sr\.|II|III|IV))?"
# A job title names one of these roles within its first words ("Specialist in ...", "Legislative
# Attorney", "Deputy Assistant Director/ALD", "U.S. Army Fellow", "Coordinator of ...").
_JOB = (r"(?:\S+\s+){0,3}(?:Specialist|Analyst|Attorney|Fellow|Director|Coordinator|Librarian|Manager|Economist"
        r"|Counsel|Professor|Editor|Researcher|Associate|Assistant)\b")
_NAME_LINE = re.compile(rf"^(?P<name>{_NAME})$")
_NAME_AND_JOB = re.compile(rf"^(?P<name>{_NAME}),\s+{_JOB}")
_JOB_LINE = re.compile(rf"^{_JOB}.{{0,80}}$")
_AUTHOR_HEADING = re.compile(r"^(?:author(?:s|\s+information)?|about the authors?|contributors?)\s*:?$", re.IGNORECASE)
_AUTHORS_LINE = re.compile(r"^(?:authors?|written by|prepared by)\s*:\s*(?P<names>.{2,200})$", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:by|written by)\s+(?P<names>[A-Z].{1,150})$", re.IGNORECASE)
_NOT_NAME = re.compile(
    r"\b(?:Congress|Service|Research|Committee|Act|Report|Department|Office|Program|Policy|Summary|Contents"
    r"|Information|Disclaimer|Acknowledgments?|Introduction|Background|Figure|Table|Notes?|United|States"
    r"|Federal|National|Agency|Court|House|Senate)\b"
)
_NUMBER = re.compile(r"\b(?P<number>(?:R|RL|RS|IF|IN|LSB)\d{4,5}|9\d-\d{3,4})\b")
_PRINTED_SERIES = (
    (re.compile(r"^CRS INSIGHT$", re.IGNORECASE), "Insight"),
    (re.compile(r"^CRS Legal Sidebar$", re.IGNORECASE), "Legal Sidebar"),
    (re.compile(r"^CRS In Focus$", re.IGNORECASE), "In Focus"),
    (re.compile(r"^CRS Report$", re.IGNORECASE), "Report"),
)


def layout_metadata(pages: list[_PageLines], *, body: float, properties: dict[str, str],
                    running: list[str]) -> DocumentMeta:
    """Title, date, series, authors (and the report number, in ``extra``) of a PDF."""
    first = pages[0].lines if pages else []
    number = _report_number(first, running, pages)
    extra = (("report_number", number),) if number else ()
    return DocumentMeta(
        title=_title(first, body) or _property_title(properties),
        date=_date(first, properties),
        series=_series(first) or series_of_number(number),
        authors=_authors(pages) or split_names(properties.get("Author", "")),
        extra=extra,
    )


def _title(lines: list, body: float) -> str:
    candidates = [line for line in lines if not _URL.match(line.text) and any(c.isalpha() for c in line.text)
                  and line.size >= body * _TITLE_SIZE]
    if not candidates:
        return ""
    biggest = max(line.size for line in candidates)
    run: list = []
    for line in lines:
        if line.size == biggest and line in candidates:
            run.append(line)
        elif run:
            break
    return " ".join(" ".join(line.text.split()) for line in run)


def _property_title(properties: dict[str, str]) -> str:
    title = properties.get("Title", "").strip()
    return "" if title.lower() in _PLACEHOLDER_TITLES else title


def _date(lines: list, properties: dict[str, str]) -> str:
    date = printed_date(line.text for line in lines[:40])
    if date:
        return date
    printed = find_date(properties.get("Keywords", ""))
    if printed:
        return printed
    created = re.match(r"^D:(\d{4})(\d{2})(\d{2})", properties.get("CreationDate", ""))
    return "-".join(created.groups()) if created else ""


def _series(lines: list) -> str:
    for line in lines[:12]:
        for pattern, series in _PRINTED_SERIES:
            if pattern.match(line.text):
                return series
    return ""


def _report_number(first: list, running: list[str], pages: list) -> str:
    """The number printed in the footer ("IF12155 · VERSION 7") or alone on a line of the first
    pages; never one that a sentence cites."""
    footer = [line.text for page in pages[-1:] for line in page.lines] + running
    for text in footer:
        match = re.search(rf"{_NUMBER.pattern}\s*·\s*VERSION", text)
        if match:
            return match.group("number")
    for text in [line.text for page in pages[:2] for line in page.lines] + running:
        match = _NUMBER.fullmatch(text.strip())
        if match:
            return match.group("number")
    return ""


def _authors(pages: list[_PageLines]) -> tuple[str, ...]:
    """Names printed with their job titles ("Jane Doe" over "Specialist in ...", or
    "Jane Doe, Analyst in ..."), under an "Author Information" heading, or in a byline."""
    lines = [line.text for page in pages[:3] for line in page.lines]
    first_page = len(pages[0].lines) if pages else 0
    if len(pages) > 3:
        lines += [line.text for page in pages[-3:] for line in page.lines]
    names: list[str] = []

    def add(name: str) -> None:
        name = " ".join(name.split())
        if (name not in names and not _NOT_NAME.search(name) and re.fullmatch(_NAME, name)
                and not re.search(r"\d|\b(?!II\b|III\b|IV\b)[A-Z]{2,}\b", name)):
            names.append(name)

    for index, text in enumerate(lines):
        match = _AUTHORS_LINE.match(text) or (_BYLINE.match(text) if index < min(first_page, 25) else None)
        if match:
            for name in split_names(match.group("names")):
                add(name)
            continue
        match = _NAME_AND_JOB.match(text) if len(text.split()) <= 12 else None  # not a sentence about one
        if match:
            add(match.group("name"))
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _NAME_LINE.match(text) and _JOB_LINE.match(following):
            add(text)
    return tuple(names)
