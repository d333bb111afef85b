"""Turning brief text and model text into inert markup.

Brief and model text are untrusted: a brief can carry ``<script>``, a markdown image whose URL
would leak the page to a third party, or figures such as "$14 billion" that Streamlit's
markdown would typeset as LaTeX. Two safe routes:

- ``md_text``: every ASCII punctuation character is backslash-escaped, which CommonMark
  defines as "show this character literally"; nothing in the text can then start markup
  (images, links, HTML, math, emphasis, Streamlit's ``:color[...]``). It escapes character by
  character, so it is safe on a stream of pieces too.
- ``html.escape`` on every piece before it is put into our own HTML (passage highlighting),
  sent with ``st.html`` (sanitised by DOMPurify again, JavaScript off).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def md_text(text: str) -> str:
    """``text`` as markdown that displays exactly ``text`` and renders nothing else.

    Line breaks are kept as hard breaks; leading spaces (an indented code block) dropped.
    """
    text = _CONTROL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return "\n".join(line.lstrip(" \t") + ("  " if line.strip() else "") for line in escaped.split("\n")).rstrip()


def md_piece(piece: str) -> str:
    """One piece of a stream, escaped like ``md_text`` but with its whitespace left alone."""
    return _MD_SPECIAL.sub(r"\\\1", _CONTROL.sub("", piece))


def h(text: object) -> str:
    """HTML-escaped text (quotes included)."""
    return html.escape(str(text), quote=True)


# -- passages ------------------------------------------------------------------------------

PASSAGE_CSS = """
<style>
.brief-text { white-space: pre-wrap; font-family: ui-serif, Georgia, serif; line-height: 1.6;
  font-size: 0.98rem; color: inherit; }
.brief-text mark { background: #fff1a8; color: #1b1b1b; padding: 0 1px; }
.brief-text mark.quote { background: #ffd54f; box-shadow: 0 2px 0 #e0a800; }
.brief-text .elided { color: #888; }
.brief-text mark.debris { background: none; color: #9a9a9a; font-size: 0.85em; }
.brief-scroll { max-height: 60vh; overflow-y: auto; padding: 0.5rem 0.75rem;
  border: 1px solid rgba(128,128,128,0.35); border-radius: 0.5rem; }
.brief-meta { color: #666; font-size: 0.88rem; }
</style>
"""


@dataclass(frozen=True)
class Window:
    """A part of a brief's text around a passage: ``text[start:end]`` with the passage inside."""

    start: int
    end: int


def context_window(text: str, start: int, end: int, *, context_chars: int = 600) -> Window:
    """The passage plus about ``context_chars`` on each side, widened to paragraph breaks."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span [{start}, {end}) lies outside the text of {len(text)} characters")
    lo = max(0, start - context_chars)
    hi = min(len(text), end + context_chars)
    # Widen to the nearest line break so the context starts and ends on a whole paragraph.
    if lo > 0:
        brk = text.rfind("\n", 0, lo)
        lo = brk + 1 if brk >= 0 and lo - brk < context_chars else lo
    if hi < len(text):
        brk = text.find("\n", hi)
        hi = brk if 0 <= brk and brk - hi < context_chars else hi
    return Window(lo, hi)


@dataclass(frozen=True)
class Mark:
    """A span of the text to mark: ``css`` is "passage" (the cited passage), "quote" (its cited
    words) or "debris" (cover pages, running furniture and the like, shown greyed)."""

    start: int
    end: int
    css: str = "passage"


def marked_html(text: str, marks: list[Mark], *, window: Window | None = None, anchor: str = "cited") -> str:
    """``text`` (or a window of it) as escaped HTML with each mark wrapped in ``<mark>``.

    Marks may overlap or nest; the first mark gets ``id=anchor`` so a link can jump to it.
    Every piece of ``text`` goes through ``html.escape``; only our own tags are added.
    """
    win = window or Window(0, len(text))
    if not 0 <= win.start <= win.end <= len(text):
        raise ValueError(f"window [{win.start}, {win.end}) lies outside the text of {len(text)} characters")
    marks = [Mark(max(m.start, win.start), min(m.end, win.end), m.css) for m in marks if m.end > win.start and m.start < win.end]
    cuts = sorted({win.start, win.end, *(m.start for m in marks), *(m.end for m in marks)})
    parts = ['<span class="elided">… </span>' if win.start > 0 else ""]
    anchored = False
    for lo, hi in zip(cuts, cuts[1:]):
        piece = h(text[lo:hi])
        classes = sorted({m.css for m in marks if m.start <= lo and hi <= m.end})
        if not classes:
            parts.append(piece)
            continue
        ident = ""
        if not anchored and classes != ["debris"]:  # debris (greyed page furniture) is no target
            ident, anchored = f' id="{h(anchor)}"', True
        parts.append(f'<mark class="{" ".join(classes)}"{ident}>{piece}</mark>')
    parts.append('<span class="elided"> …</span>' if win.end < len(text) else "")
    return "".join(parts)


def brief_block(body_html: str, *, scroll: bool = False) -> str:
    """Our stylesheet and a text block around already-escaped HTML."""
    classes = "brief-text brief-scroll" if scroll else "brief-text"
    return f'{PASSAGE_CSS}<div class="{classes}">{body_html}</div>'
