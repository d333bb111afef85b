"""Headings in a brief's text: which lines are headings, and which heading governs an offset.

One rule for the whole product: the answerer's outline (``answer.outline``) reads a brief's sections
with it, ``answer.statements`` re-exports ``is_heading`` (a heading is never a claim), and the retriever
gives each passage the heading it sits under (``governing_heading``), so a sentence under "Defender
Services" is read in that section's context. PDF briefs come without section metadata, but their text
sets headings apart: a paragraph of one short line without final punctuation and mostly capitalised,
or a short question standing alone ("Does the GAOA Expire?"). Rules written by hand: a heuristic (a
table row in capitals reads as a heading; an author line "Jane Roe, Analyst in ..." does too).
"""

from __future__ import annotations

import bisect
import re

from text.captions import is_photo_caption

MAX_HEADING_WORDS = 14  # a longer line is a sentence, whatever its capitals
BULLET = re.compile(r"^\s*(?:[•▪●◦‣∙·*–-]|\(?[a-z0-9]\))\s")
# A caption or label line ("Figure 1. ...", "Table 2. ...", "Source: ...", "Notes: ..."): it labels a
# figure or table inside a section and opens none.
LABEL = re.compile(r"^(?:Figure|Table|Chart|Map|Source|Sources|Notes?|Photo)\s*\d*[.:]")

_TERMINAL = re.compile(r"[.!?][\"'”’)\]]*$")
# A final full stop that belongs to a company's or a name's abbreviation ("Latest DOJ Action: United States v. Uber
# Technologies, Inc."): the line still has no final punctuation of its own. Not "U.S.": a sentence ending "... from the
# U.S." has two capitals more and would read as a heading.
_ABBREVIATION_END = re.compile(r"\b(?:Inc|Co|Corp|Ltd|Jr|Sr|Bros)\.$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_MINOR = frozenset("a an the and or of in on for to at by with from as but nor vs via into over under is are".split())


def is_heading(sentence: str, *, title: str = "", section: str = "") -> bool:
    """Whether a line is a heading, a title or a caption label rather than a claim.

    A heading: the brief's title or a section heading, "Figure 1. ..."/"Table 2. ..." labels, a photo
    caption (``text.captions.is_photo_caption``: "... (left to right) at the G7 Summit.", "... Photo: Jane
    Roe/AP"), or a
    line without final punctuation most of whose words (minor words aside) are capitalised
    ("Riverton Housing Repair Fund", "High Costs of Conflict").
    """
    text = " ".join(sentence.split())
    if not text:
        return True
    bare = text.rstrip(" .:").casefold()
    for name in (title, section):
        name = " ".join(name.split()).casefold()
        if name and bare and (bare == name.rstrip(" .:") or (bare in name and len(bare) >= 12)):
            return True
    if LABEL.match(text) or is_photo_caption(text):
        return True
    if _TERMINAL.search(text) and not _ABBREVIATION_END.search(text):
        return False
    if not _WORD.search(text):
        return False  # no Latin words (a script without capitals, or figures): nothing to judge by
    words = [w for w in _WORD.findall(text) if w.lower() not in _MINOR]
    if not words:
        return True
    capitalised = sum(w[0].isupper() for w in words)
    return capitalised / len(words) >= 0.6


def is_heading_line(line: str, *, title: str = "") -> bool:
    """Whether one paragraph-line of a brief is a heading: short, and capitalised without final
    punctuation (``is_heading``) or a question standing alone."""
    text = " ".join(line.split())
    words = len(text.split())
    if not text or words > MAX_HEADING_WORDS or BULLET.match(text):
        return False
    if text.endswith("?") and text[0].isupper():
        return True
    return is_heading(text, title=title)


def title_line(line: str, title: str) -> bool:
    """Whether a line is the brief's title or a line of it (a title wrapped over two lines)."""
    bare = " ".join(line.split()).rstrip(" .:").casefold()
    name = " ".join(title.split()).rstrip(" .:").casefold()
    return bool(name and bare and (bare == name or (len(bare) >= 12 and bare in name)))


def heading_lines(text: str, *, title: str = "") -> list[tuple[int, int, str]]:
    """The headings of ``text`` (each a line of its own) as ``(start, end, line)`` offsets in ``text``,
    in order. The brief's ``title`` (a CRS Report prints it again on its first page) and caption or
    label lines ("Table 1. ...", "Source: ...", a photo caption) are no headings."""
    found = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group().strip()
        if not line or LABEL.match(line) or is_photo_caption(line) or title_line(line, title):
            continue
        if is_heading_line(line, title=title):
            found.append((match.start(), match.end(), line))
    return found


def section_headings(text: str, *, title: str = "") -> list[tuple[int, int, str]]:
    """The headings of ``text`` that open a section (``heading_lines`` less table rows: "Year | Action"
    reads as a heading but opens no section, so the heading above the table still governs the text
    after it), as ``(start, end, line)``."""
    return [h for h in heading_lines(text, title=title) if "|" not in h[2]]


# A line that is a date ("April 20, 2026", "Updated April 13, 2026"): a CRS brief prints one over its
# title; it opens no part of the brief's argument.
_DATE_LINE = re.compile(r"^(?:Updated\s+)?(?:January|February|March|April|May|June|July|August|September|October|"
                        r"November|December)\s+\d{1,2},\s+\d{4}$")
_LEADERS = re.compile(r"\.{5,}")  # a table of contents line ("Introduction ........ 1")


def dateline_or_contents(line: str) -> bool:
    """Whether a heading line is a date line over the title or a table of contents entry: no section of
    the brief's own (text before the first real heading stands at the brief's level)."""
    text = " ".join(line.split())
    return bool(_DATE_LINE.match(text) or _LEADERS.search(text))


def opening_heading(found: list[tuple[int, int, str]]) -> str:
    """The heading of the brief's opening section ("Overview", "Introduction", "Summary", "Background"):
    the first of ``found`` (``section_headings``) that is no date line or contents entry; "" when none."""
    return next((line for _, _, line in found if not dateline_or_contents(line)), "")


def repeated_headings(found: list[tuple[int, int, str]]) -> tuple[str, ...]:
    """The heading lines of ``found`` that stand more than once in the brief: page furniture (a web page's
    tag list "North Korea" under "More on:", a "More From Our Experts" widget, a table header repeated
    on each page) rather than the name of one section."""
    seen: dict[str, int] = {}
    for _, _, line in found:
        key = " ".join(line.split())
        seen[key] = seen.get(key, 0) + 1
    return tuple(line for line, count in seen.items() if count > 1)


def governing_heading(text: str, offset: int, *, title: str = "",
                      found: list[tuple[int, int, str]] | None = None) -> str:
    """The heading governing offset ``offset`` of ``text``: the nearest section heading that ends at
    or before it ("" before the first). ``found`` is ``section_headings(text, title=title)`` when
    the caller has it (it is the costly part)."""
    marks = section_headings(text, title=title) if found is None else found
    i = bisect.bisect_right([end for _, end, _ in marks], offset) - 1
    return marks[i][2] if i >= 0 else ""
