"""Answer text that is safe to render as Markdown: no images, no links but to the cited sources.

Brief text and model output are untrusted. A Markdown image or link in an answer would make
the reader's browser fetch a URL that can carry document text away, so images and HTML are
removed and links are kept only when they point at a cited source.
"""

from __future__ import annotations

import re
from typing import Collection

_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|!\[[^\]\n]*\]\[[^\]\n]*\]")
_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*\S+.*$", re.MULTILINE)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")
_BARE_URL = re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)
_FOOTNOTE = re.compile(r"\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\]")
LINK_REMOVED = "(link removed)"


def sanitize_markdown(text: str, *, allowed_urls: Collection[str] = ()) -> str:
    """``text`` with images, HTML, reference definitions and links to anything but ``allowed_urls`` removed.

    A removed link keeps its visible text; a removed bare URL leaves a short notice.
    """
    allowed = {u.strip() for u in allowed_urls if u.strip()}
    text = _IMAGE.sub("", text)
    text = _REFERENCE_DEFINITION.sub("", text)
    text = _HTML_TAG.sub("", text)

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        return match.group(0) if url in allowed else label

    text = _LINK.sub(link, text)
    text = _BARE_URL.sub(lambda m: m.group(0) if m.group(0) in allowed else LINK_REMOVED, text)
    return text


def strip_footnotes(sentence: str) -> str:
    """A brief's own numeric footnote marks ("[12]") removed, so they cannot pass for our markers."""
    stripped = re.sub(r"[ \t]+([.,;:!?])", r"\1", _FOOTNOTE.sub("", sentence))
    return re.sub(r"[ \t]{2,}", " ", stripped).strip()
