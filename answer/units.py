"""The sentences an answer quotes, with hard-wrapped lines joined (PDF text, 72-column .txt).

``answer.sentences.sentence_spans`` ends a sentence at every line break, which is right for
text with one paragraph per line but cuts a PDF's wrapped paragraph into fragments ("The
Commonwealth of Australia is a close ally and partner"). Here a line break counts as a space
when the line before it is a wrapped line: it does not end a sentence (no final punctuation or
colon), is not a heading, and the next line does not open a bullet. Spans stay offsets into
the original text, so a quote is still ``text[start:end]`` (line breaks and all). A heuristic,
written by hand: no maintained library repairs wrapped lines offline while keeping offsets.
"""

from __future__ import annotations

import re
from functools import lru_cache

from text.sentences import sentence_spans
from answer.statements import is_heading
from text.captions import keep_whole, whole_lines

_BREAK_AFTER = re.compile(r"[.!?:;][\"'”’)\]]*\s*$")
_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S*\s*(?:\|.*)?$")
_BULLET = re.compile(r"^\s*(?:[•▪●◦‣∙·\-–—*]|\d{1,2}[.)]\s)")


def _heading_line(line: str, following: str) -> bool:
    """A short title-case line followed by a capitalised line: a heading, not a wrapped line.

    A line that ends in a hyphen, or is followed by one that starts in lower case, is wrapped.
    """
    nxt = following.lstrip()
    if line.rstrip().endswith("-") or (nxt and nxt[0].islower()):
        return False
    return len(line.split()) <= 8 and is_heading(line)


def _ends_paragraph(line: str, following: str, short: float) -> bool:
    """A line much shorter than the text's usual line, followed by a capitalised one, ends its paragraph."""
    nxt = following.lstrip()
    return (len(line.strip()) < short and not line.rstrip().endswith("-")
            and bool(nxt) and not nxt[0].islower())


def unwrapped(text: str) -> str:
    """``text`` with the line breaks inside wrapped paragraphs turned into spaces (same length).

    A line that continues an unfinished line is never taken for a heading; a line shorter than
    60% of the median line, followed by a capitalised line, ends its paragraph.
    """
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    widths = sorted(len(line.strip()) for line in lines if line.strip())
    short = 0.6 * widths[len(widths) // 2] if widths else 0  # a line this short ends its paragraph
    out = []
    continuing = False  # the line before this one was joined to it
    for i, line in enumerate(lines):
        out.append(line)
        if i == len(lines) - 1:
            break
        following = lines[i + 1]
        wrapped = bool(line.strip() and following.strip() and not _BREAK_AFTER.search(line)
                       and not _BULLET.match(following) and (continuing or not _heading_line(line, following))
                       and not _ends_paragraph(line, following, short)
                       and not _URL_LINE.match(line) and not _URL_LINE.match(following)
                       and "|" not in line and "|" not in following)  # table rows stand alone
        out.append(" " if wrapped else "\n")
        continuing = wrapped
    return "".join(out)


def unit_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence of ``text``, wrapped lines joined (see the module docstring)."""
    return list(_unit_spans(text))


@lru_cache(maxsize=8192)  # passages recur from question to question; splitting them is the costly part
def _unit_spans(text: str) -> tuple[tuple[int, int], ...]:
    joined = unwrapped(text)
    spans = sentence_spans(joined)
    # A table row and a caption are one unit each, whole: the full stops inside them ("42 U.S.C.
    # §3149 | Grants to lenders. | Provides ...", "Figure 1. Value of ...") end no sentence.
    spans = keep_whole(spans, whole_lines(joined))
    return tuple(spans or ([(0, len(text))] if text.strip() else []))

