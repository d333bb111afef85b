"""Caption lines, one place for the ingest and the answerer: numbered table and figure captions
("Table 2. ...", "Figure 1: ...") and unnumbered photo captions of briefs copied from web pages
("... (left to right) at the May 2023 G7 Summit ...", "... Photo: Jane Roe/AP"). A caption is one
unit, never cut into sentences (``whole_lines``), and never a claim (``answer.statements.is_heading``
reads ``is_photo_caption``). A web page that prints a caption, then again with its credit, keeps
the credited copy only (``ingest.debris``), so the credit marks it wherever a passage is read alone.

The photo-caption cues are a heuristic written by hand (no maintained library finds captions in plain
text; trafilatura drops ``<figcaption>`` only in HTML). They were read off the captions of the two sample
briefs ("Official White House Photo by Cameron Smith", "(Damir Sagolj/Reuters)"), the ingest test
fixtures ("Photo: Jane Roe/AP") and the conventions of news photo credits; the 69 CRS reports print no
photo caption (their figures carry numbered captions and "Source:" lines). Hit list over every stored
brief: README, "Captions, and briefs without headings".
"""

from __future__ import annotations

import re

CAPTION = re.compile(r"^(?:Table|Figure|Exhibit|Chart|Map)\s+[A-Z]?-?\d{1,3}(?:\.\d+)?(?:[.:](?:\s|$)|\s+[-–—]\s+|$)")
"""A line that opens with a numbered table or figure label and a separator ("Table 1. ", "Figure 2: ",
"Figure 3 — "); "Figure 1 presents ..." in running text is not one."""

_AGENCY = (r"(?:Reuters|REUTERS|AP|AP Photo|AFP|AFP/Getty Images|Getty Images|Getty|EPA|EPA-EFE|Bloomberg|Xinhua|Yonhap"
           r"|Kyodo|Shutterstock|Alamy|Wikimedia Commons|Flickr|DoD|U\.S\. Navy|U\.S\. Army|U\.S\. Air Force)")
_CREDIT_FORMS = (
    # "Official White House Photo by Cameron Smith", "Photograph courtesy of the Navy"
    r"(?:[A-Z][\w.'’-]*\s+){0,4}(?:Photo|Photograph|Image|Picture)s?\s+(?:by|courtesy of|via)\s+[^.!?]{2,80}",
    # "Photo: Jane Roe/AP", "Image credit: NASA", "Credit: Jane Roe"
    r"(?:Photo|Photograph|Image|Picture)s?(?:\s+credits?)?\s*:\s*[^.!?]{2,80}|Credits?\s*:\s*[^.!?]{2,80}",
    # "(Damir Sagolj/Reuters)", "Kim Kyung-Hoon/Reuters", "(AP Photo/Ahn Young-joon)": a name and an agency
    # between slashes ("Associated Press (AP)" in a sentence is no credit)
    rf"\(?[A-Z][^()/\n]{{1,50}}/\s*{_AGENCY}\)?|\(?{_AGENCY}\s*/\s*[A-Z][^()/\n]{{1,50}}\)?",
    # an agency that only ever credits photos, alone: "(Getty Images)", "Shutterstock"
    r"\(?(?:Getty Images|AP Photo|Shutterstock|Alamy)\)?",
    # "Courtesy of the U.S. Navy"
    r"Courtesy(?:\s+of)?\s+[^.!?]{2,80}",
)
CREDIT = re.compile(rf"(?:{'|'.join(_CREDIT_FORMS)})\s*$")
"""A photo credit as a whole string (``fullmatch`` it), or at the end of a line (``search`` with ``_CREDIT_END``)."""
_CREDIT_END = re.compile(rf"(?:^|(?<=[.!?”\"’)])\s+|\s+(?=\())(?:{'|'.join(_CREDIT_FORMS)})\s*$")
# Where the people of a photo stand: "(left to right)", "(from left)", "(L-R)", "(second from right)".
_POSITION = re.compile(r"\((?:(?:from\s+)?left\s+to\s+right|from\s+left|l\s*(?:-|–|to)\s*r|(?:second|third)\s+from\s+"
                       r"(?:left|right)|center|centre|far (?:left|right))\)", re.IGNORECASE)
CAPTION_MAX_WORDS = 60  # longer lines are paragraphs that may mention a photo, not captions
_REPEAT_MIN_WORDS, _REPEAT_MAX_CREDIT = 4, 120  # as ingest.debris reads a repeated caption

_LINE = re.compile(r"[^\n]+")


def _is_row(line: str) -> bool:
    """A table row as loaders store it: cells between "|" (outer pipes optional), two or more."""
    body = line.strip().strip("|")
    return "|" in body and any(part.strip() for part in body.split("|"))


def is_credit(text: str) -> bool:
    """Whether ``text`` is a photo credit alone ("Official White House Photo by Cameron Smith",
    "(Damir Sagolj/Reuters)", "Photo: Jane Roe/AP")."""
    return bool(CREDIT.fullmatch(" ".join(text.split())))


def is_photo_caption(line: str) -> bool:
    """Whether one line, read alone, is an unnumbered photo caption (a heuristic): at most
    ``CAPTION_MAX_WORDS`` words and either ending in a photo credit ("... in September 2020. Photo:
    Jane Roe/AP", "... April 15, 2017. (Damir Sagolj/Reuters)") or saying where the people shown
    stand ("(left to right)", "(from left)"). A caption whose only cue is the credit on its repeat
    on the next line is found by ``photo_caption_lines``, which reads the lines around it."""
    text = " ".join(line.split())
    if not text or len(text.split()) > CAPTION_MAX_WORDS or _is_row(text):
        return False
    return bool(_POSITION.search(text) or _CREDIT_END.search(text))


def repeated_with_credit(line: str, following: str) -> bool:
    """Whether ``following`` is ``line`` again (at least ``_REPEAT_MIN_WORDS`` words) with a photo
    credit added: a web page's caption printed twice, the second time with its credit."""
    first, second = " ".join(line.split()), " ".join(following.split())
    return (len(first.split()) >= _REPEAT_MIN_WORDS and second.startswith(first)
            and 0 < len(second) - len(first) <= _REPEAT_MAX_CREDIT and is_credit(second[len(first):]))


def photo_caption_lines(text: str, begin: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of the photo-caption lines of ``text[begin:end]`` (whitespace trimmed off):
    lines that ``is_photo_caption`` reads alone, and lines that the next non-blank line of ``text``
    (read past ``end`` where needed) repeats with a photo credit (``repeated_with_credit``)."""
    stop = len(text) if end is None else end
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.group().strip()]
    found = []
    for k, (s, e) in enumerate(lines):
        if e <= begin or s >= stop:
            continue
        line = text[s:e]
        following = text[lines[k + 1][0]:lines[k + 1][1]] if k + 1 < len(lines) else ""
        previous = text[lines[k - 1][0]:lines[k - 1][1]] if k else ""
        if is_photo_caption(line) or repeated_with_credit(line, following) or repeated_with_credit(previous, line):
            lead = len(line) - len(line.lstrip())
            found.append((max(s + lead, begin), min(s + len(line.rstrip()), stop)))
    return found


def whole_lines(text: str, begin: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of the lines of ``text[begin:end]`` that are one unit each, never cut into
    sentences: table rows, numbered captions and photo captions (whitespace trimmed off)."""
    found = []
    for match in _LINE.finditer(text, begin, len(text) if end is None else end):
        line = match.group()
        stripped = line.strip()
        if stripped and (_is_row(stripped) or CAPTION.match(stripped)):
            lead = len(line) - len(line.lstrip())
            found.append((match.start() + lead, match.start() + lead + len(stripped)))
    return sorted(set(found) | set(photo_caption_lines(text, begin, end)))


def keep_whole(spans: list[tuple[int, int]], whole: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence ``spans`` with those inside a ``whole`` line replaced by the line itself."""
    if not whole:
        return spans
    kept = [s for s in spans if not any(s[0] < e and b < s[1] for b, e in whole)]
    return sorted(kept + whole)
