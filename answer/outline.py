"""The outline of a brief read from its own text: headings, the sections they open, the brief's own
summary, and the parts that are no part of its argument (notes, author boxes, running headers).

PDF briefs come without section metadata, but their text sets headings apart: a paragraph of one
short line without final punctuation and mostly capitalised (``statements.is_heading``), or a
short question standing alone ("What Are Autonomous Weapon Systems?"). A summary that follows the
brief's structure, one point per major section, is what briefing documents built from a source
do (NotebookLM's and kotaemon's briefing docs); this module gives the summary composer that
structure. Rules written by hand: a heuristic (a table row in capitals reads as a heading and
opens a small section; sections with fewer than two quotable sentences are not counted as major).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from answer.statements import is_heading
from text.captions import is_photo_caption
from text.sentences import opens_with_note_number
from vectorstore.types import Hit

MAX_HEADING_WORDS = 14  # a longer line is a sentence, whatever its capitals
# Headings of a brief's own summary of itself: its sentences are lead material for a summary.
_SUMMARY_HEADING = re.compile(
    r"^(?:executive summary|summary|key (?:findings|takeaways|points|judgments|judgements)|in brief|bottom line|"
    r"conclusions?|concluding (?:remarks|thoughts)|the bottom line)$", re.IGNORECASE)
# Headings of parts that are no part of the argument: sentences under them are never summary points.
_APART_HEADING = re.compile(
    r"^(?:notes|endnotes|footnotes|references|sources|bibliography|author information|about the authors?|"
    r"authors?|contacts|acknowledge?ments|disclaimer|contents|table of contents)$", re.IGNORECASE)
# A pointer to other reading ("(For details on these measures, see CRS Report R46687, ...)", "For more
# information, see ...", "See the table below"): states nothing, in any kind of answer (``pointer``).
_POINTER = re.compile(r"^\W*(?:for more (?:information|detail|details)\b|(?:for [^,]{0,80},\s*)?see\s)",
                      re.IGNORECASE)
# A sentence wholly in brackets: an aside, never a summary point (it may still answer a fact).
_ASIDE = re.compile(r"^\(.*\)\W*$")


def pointer(text: str) -> bool:
    """Whether ``text`` points to other reading rather than states anything (``_POINTER``)."""
    return bool(_POINTER.match(text))
# The rest of a sentence cut at an abbreviation: it opens with the number the abbreviation named ("2312), ...").
_CUT_TAIL = re.compile(r"^[\d§][\d.,§-]*[)\]]")
# A URL or a running header: debris, never a point (a note moved out of its page is ``opens_with_note_number``).
_DEBRIS = re.compile(r"https?://|www\.|Congressional Research Service\b", re.IGNORECASE)
# How a whole declarative sentence ends: a full stop (after a word, a figure's % or a closing quote),
# closing quotes, and perhaps a note number the PDF set as a superscript ("... in 2025.12").
_WHOLE = re.compile(r"(?<=[A-Za-z%)\]”\"’'])[.!][\"'”’)\]]*\d{0,3}$|[.!][\"'”’)\]]*$")
_BULLET = re.compile(r"^\s*(?:[•▪●◦‣∙·*–-]|\(?[a-z0-9]\))\s")
# A caption or label line ("Figure 1. ...", "Table 2. ...", "Source: ...", "Notes: ..."): it labels a
# figure or table inside a section and opens none.
_LABEL = re.compile(r"^(?:Figure|Table|Chart|Map|Source|Sources|Notes?|Photo)\s*\d*[.:]")


@dataclass(frozen=True)
class Heading:
    """A heading found in a brief's text: document offsets and the line as written."""

    start: int
    end: int
    text: str

    @property
    def summary(self) -> bool:
        """Whether it opens the brief's own summary ("Summary", "Key Findings", "Conclusion")."""
        return bool(_SUMMARY_HEADING.match(self.text.strip(" .:")))

    @property
    def apart(self) -> bool:
        """Whether it opens a part outside the argument (notes, author information, disclaimer)."""
        return bool(_APART_HEADING.match(self.text.strip(" .:")))


def is_heading_line(line: str, *, title: str = "") -> bool:
    """Whether one paragraph-line of a brief is a heading: short, and capitalised without final
    punctuation (``statements.is_heading``) or a question standing alone."""
    text = " ".join(line.split())
    words = len(text.split())
    if not text or words > MAX_HEADING_WORDS or _BULLET.match(text):
        return False
    if text.endswith("?") and text[0].isupper():
        return True
    return is_heading(text, title=title)


def _title_line(line: str, title: str) -> bool:
    """Whether a line is the brief's title or a line of it (a title wrapped over two lines)."""
    bare = " ".join(line.split()).rstrip(" .:").casefold()
    name = " ".join(title.split()).rstrip(" .:").casefold()
    return bool(name and bare and (bare == name or (len(bare) >= 12 and bare in name)))


def headings(hits: Sequence[Hit]) -> list[Heading]:
    """The headings in the passages' text (each a line of its own), in document order, once each.

    The brief's title (a CRS Report prints it again under "SUMMARY" and on its first page) and
    caption or label lines ("Table 1. ...", "Source: ...", a photo caption) open no section: the summary page stays
    one section headed "Summary", and a table's source line does not cut a section in two."""
    found: dict[int, Heading] = {}
    for hit in hits:
        chunk = hit.chunk
        for match in re.finditer(r"[^\n]+", chunk.text):
            line = match.group().strip()
            if not line or _LABEL.match(line) or is_photo_caption(line) or _title_line(line, chunk.title):
                continue
            if is_heading_line(line, title=chunk.title):
                start = chunk.start + match.start()
                found.setdefault(start, Heading(start, chunk.start + match.end(), line))
    return [found[k] for k in sorted(found)]


def section_of(offset: int, marks: Sequence[Heading]) -> int:
    """The index of the section holding document offset ``offset``: the number of headings before it
    (0 is the text before the first heading)."""
    low, high = 0, len(marks)
    while low < high:
        middle = (low + high) // 2
        if marks[middle].start <= offset:
            low = middle + 1
        else:
            high = middle
    return low


def reference_entry(sentence: str) -> bool:
    """Whether a sentence is a note citing a source (a heuristic): it opens with a note number and
    holds a URL ("32 U.S. Customs and Border Protection, “Updated Guidance ...,” March 17, 2026,
    https://..."). It names where a statement comes from; it states nothing itself."""
    text = sentence.strip()
    return bool(opens_with_note_number(text) and _DEBRIS.search(text))


def bullet_marker(sentence: str) -> int:
    """The length of the bullet that opens a list item ("• ", "– ", "(a) "), with the blanks around
    it; 0 when the sentence opens with none."""
    match = _BULLET.match(sentence)
    return match.end() if match else 0


def boilerplate(sentence: str) -> bool:
    """Whether a sentence is debris for a summary: a note moved out of its page ("7 Tax-deductible
    ..."), a pointer to other reading ("For details, see CRS Report ...", a sentence in brackets), a sentence with a URL or a running header, a list fragment (a bullet, or a lowercase
    opening, or the tail of a sentence cut at an abbreviation: "2312), ..."), a line that does not end as a sentence does (a table row, "Tax rate squared -0.193") or
    that leaves a bracket open (cut at an abbreviation: "... Fiscal Year 2024 (NDAA; P.L."), or a
    question (a heading or a rhetorical one: it states nothing)."""
    text = sentence.strip()
    if not text:
        return True
    return bool(opens_with_note_number(text) or _CUT_TAIL.match(text) or _POINTER.match(text) or _ASIDE.match(text) or _DEBRIS.search(text) or _BULLET.match(text) or text[0].islower()
                or text.rstrip("”\"’' )").endswith("?") or not _WHOLE.search(text)
                or text.count("(") > text.count(")"))
