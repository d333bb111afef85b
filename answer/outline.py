"""The outline of a brief read from its own text: headings, the sections they open, the brief's own
summary, and the parts that are no part of its argument (notes, author boxes, running headers).

PDF briefs come without section metadata, but their text sets headings apart: a paragraph of one
short line without final punctuation and mostly capitalised (``text.headings.is_heading_line``), or a
short question standing alone ("What Are Autonomous Weapon Systems?"). A summary that follows the
brief's structure, one point per major section, is what briefing documents built from a source
do (NotebookLM's and kotaemon's briefing docs); this module gives the summary composer that
structure. Rules written by hand: a heuristic (a table row in capitals reads as a heading and
opens a small section; sections with fewer than two quotable sentences are not counted as major).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from text.headings import BULLET, heading_lines, is_heading_line  # noqa: F401  (is_heading_line re-exported)
from text.sentences import is_question, opens_with_note_number
from vectorstore.types import Hit

if TYPE_CHECKING:
    from answer.extractive import Candidate

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
_POINTER = re.compile(r"^\W*(?:for more (?:information|detail|details|on)\b|(?:for [^,]{0,80},\s*)?see\s)",
                      re.IGNORECASE)
# The brief describing itself or a companion ("This report provides an overview of ...", "This publication focuses
# on the EEHIC, describing ...", "A companion Insight, CRS Insight IN12423, ..., provides similar analysis"): what
# the document covers, not a claim about its subject (``describes_itself``).
_DESCRIBES_ITSELF = re.compile(
    r"^\W*(?:This|The present|A companion|The companion|An accompanying|A related|Another)\s+(?:CRS\s+)?"
    r"(?:report|insight|in focus|publication|sidebar|legal sidebar|product|brief|paper)\b[^.;]{0,120}?\b"
    r"(?:focus(?:es)?|examines?|describes?|discuss(?:es)?|provides?|reviews?|analy[sz]es?|summari[sz]es?|outlines?"
    r"|address(?:es)?|explores?|presents?|covers?|considers?|identif(?:y|ies)|highlights?)\b", re.IGNORECASE)
# One of the brief's tables or figures as the subject of what it shows ("Table 2 provides data on major foreign holders
# of federal debt by country.", "Figure 1 illustrates how much required capital ... would decline"): what the exhibit
# covers, which the reader does not see beside the quote.
_DESCRIBES_EXHIBIT = re.compile(
    r"^\W*(?:Table|Figure|Appendix|Chart|Map|Box|Exhibit)\s+[A-Z]?\d+[a-z]?(?:\s+and\s+\d+)?\s+(?:provides?|shows?|"
    r"lists?|presents?|illustrates?|summari[sz]es?|depicts?|displays?|compares?|details?|identif(?:y|ies)|includes?|"
    r"contains?|gives?|reports?|outlines?|describes?)\b", re.IGNORECASE)
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


def describes_exhibit(text: str) -> bool:
    """Whether a sentence says what one of the brief's tables or figures shows ("Table 2 provides data on ...",
    ``_DESCRIBES_EXHIBIT``, a heuristic; see ``describes_itself``)."""
    return bool(_DESCRIBES_EXHIBIT.match(text))


def describes_itself(text: str) -> bool:
    """Whether a sentence says what its brief (or a companion brief, ``_DESCRIBES_ITSELF``) or one of its tables or
    figures (``_DESCRIBES_EXHIBIT``) covers rather than anything about the subject (a heuristic: over the 69 CRS
    reports the first finds 44 distinct sentences, all such, the second 51, of which 3 also state a figure of their
    own: "Figure 2 shows a lower revenue-maximizing tax rate of 30%, ..."; read one by one; what they miss was not
    counted)."""
    return bool(_DESCRIBES_ITSELF.match(text)) or describes_exhibit(text)


def set_apart(hit: Hit, offset: int) -> bool:
    """Whether passage offset ``offset`` of ``hit`` stands under a heading of a part outside the brief's argument
    (``Heading.apart``: notes, references, author information), as the passage's headings say (``Hit.heading_at``)."""
    return Heading(0, 0, hit.heading_at(offset)).apart


def headings(hits: Sequence[Hit]) -> list[Heading]:
    """The headings in the passages' text (each a line of its own), in document order, once each.

    The brief's title (a CRS Report prints it again under "SUMMARY" and on its first page) and
    caption or label lines ("Table 1. ...", "Source: ...", a photo caption) open no section: the summary page stays
    one section headed "Summary", and a table's source line does not cut a section in two."""
    found: dict[int, Heading] = {}
    for hit in hits:
        chunk = hit.chunk
        for start, end, line in heading_lines(chunk.text, title=chunk.title):
            found.setdefault(chunk.start + start, Heading(chunk.start + start, chunk.start + end, line))
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
    match = BULLET.match(sentence)
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
    return bool(opens_with_note_number(text) or _CUT_TAIL.match(text) or _POINTER.match(text) or _ASIDE.match(text) or _DEBRIS.search(text) or BULLET.match(text) or text[0].islower()
                or is_question(text) or not _WHOLE.search(text)
                or text.count("(") > text.count(")"))


# A table's or figure's note paragraph ("Notes: REEs = rare earth elements. Critical minerals as determined by the
# USGS are bolded."; "Source: ..."): it says how to read the table, it states no point of the brief.
_NOTE_PARAGRAPH = re.compile(r"\s*(?:Notes?|Sources?)\s*:")


def in_note_paragraph(unit: Candidate) -> bool:
    """Whether a unit (a sentence span of its passage: ``unit.hit.chunk.text[unit.start:unit.end]``) stands
    in a paragraph (text after a blank line) that opens with "Note:", "Notes:", "Source:" or "Sources:"."""
    text = unit.hit.chunk.text
    start = text.rfind("\n\n", 0, unit.start)
    return bool(_NOTE_PARAGRAPH.match(text, start + 2 if start >= 0 else 0))
