"""Caption lines: "Table 2. ...", "Figure 1: ...", one place for the ingest (a caption is a block
of its own) and the answerer (a caption is one unit, never cut into sentences)."""

from __future__ import annotations

import re

CAPTION = re.compile(r"^(?:Table|Figure|Exhibit|Chart|Map)\s+[A-Z]?-?\d{1,3}(?:\.\d+)?(?:[.:](?:\s|$)|\s+[-–—]\s+|$)")
"""A line that opens with a numbered table or figure label and a separator ("Table 1. ", "Figure 2: ",
"Figure 3 — "); "Figure 1 presents ..." in running text is not one."""

_LINE = re.compile(r"[^\n]+")


def _is_row(line: str) -> bool:
    """A table row as loaders store it: cells between "|" (outer pipes optional), two or more."""
    body = line.strip().strip("|")
    return "|" in body and any(part.strip() for part in body.split("|"))


def whole_lines(text: str, begin: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of the lines of ``text[begin:end]`` that are one unit each, never cut into
    sentences: table rows and captions (whitespace trimmed off)."""
    found = []
    for match in _LINE.finditer(text, begin, len(text) if end is None else end):
        line = match.group()
        stripped = line.strip()
        if stripped and (_is_row(stripped) or CAPTION.match(stripped)):
            lead = len(line) - len(line.lstrip())
            found.append((match.start() + lead, match.start() + lead + len(stripped)))
    return found


def keep_whole(spans: list[tuple[int, int]], whole: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence ``spans`` with those inside a ``whole`` line replaced by the line itself."""
    if not whole:
        return spans
    kept = [s for s in spans if not any(s[0] < e and b < s[1] for b, e in whole)]
    return sorted(kept + whole)
