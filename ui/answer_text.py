"""An answer's text with its ``[n]`` markers as buttons: hover or focus shows the quote, a click opens it.

Streamlit's Markdown cannot run a click handler, and a link (``?cite=2``) would reload the
page into a new session. This is a small ``st.components.v2`` component instead. The answer's
structure (headings, nested bullets, bold and italic spans) is parsed in Python
(``answer.layout.blocks``) and sent as data; the JavaScript builds it from a fixed set of
elements (h4, p, ul, li, strong, em, span, button) with ``textContent`` and ``createTextNode`` only
(never ``innerHTML``), so nothing in an answer or a brief can become markup, a script or an image;
the quote shown on hover comes from a ``data-`` attribute through CSS ``attr()``, which is
text too. Only markers that name one of the answer's checked citations become buttons; any
other ``[n]`` stays plain text.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

import streamlit as st

from answer.layout import Span, blocks
from answer.types import Answer, Citation
from vectorstore.types import Hit

_MARKER = re.compile(r"\[(\d+)\]")
TIP_CHARS = 220

_CSS = """
.answer-text { font-family: var(--st-font, "Source Sans Pro", sans-serif); font-size: 1rem; line-height: 1.6;
  color: var(--st-text-color, inherit); }
.answer-text p { margin: 0 0 0.6rem 0; white-space: pre-line; }
.answer-text h4 { font-size: 1.05rem; font-weight: 700; margin: 0.9rem 0 0.35rem 0; padding: 0; line-height: 1.4; }
.answer-text h4:first-child { margin-top: 0; }
.answer-text ul { margin: 0 0 0.6rem 0; padding-left: 1.4rem; }
.answer-text ul ul { margin: 0.15rem 0 0.15rem 0; }
.answer-text li { margin: 0.15rem 0; white-space: pre-line; }
.answer-text .glue { white-space: nowrap; }
.answer-text .cite { position: relative; display: inline-block; margin: 0 1px; padding: 0 4px; border-radius: 4px;
  border: 1px solid var(--st-primary-color, #ff4b4b); background: transparent; color: var(--st-primary-color, #ff4b4b);
  font: inherit; font-size: 0.85em; font-weight: 600; line-height: 1.3; cursor: pointer; }
.answer-text .cite.weak { border-style: dashed; color: #b26a00; border-color: #b26a00; }
.answer-text .cite:hover, .answer-text .cite:focus-visible { background: var(--st-primary-color, #ff4b4b); color: #fff; }
.answer-text .cite:hover::after, .answer-text .cite:focus-visible::after { content: attr(data-tip); position: absolute;
  left: 0; top: 1.7em; z-index: 1000; width: max-content; max-width: 26rem; white-space: pre-wrap; text-align: left;
  padding: 0.5rem 0.65rem; border-radius: 0.4rem; background: #262730; color: #fafafa; font-weight: 400;
  font-size: 0.85rem; line-height: 1.4; box-shadow: 0 4px 14px rgba(0,0,0,0.25); pointer-events: none; }
"""

_JS = """
export default function (component) {
  const { data, setTriggerValue, parentElement } = component;
  let root = parentElement.querySelector(".answer-text");
  if (!root) {
    root = document.createElement("div");
    root.className = "answer-text";
    parentElement.appendChild(root);
  }
  root.replaceChildren();
  const fill = (parent, pieces) => {
    let group = null;  // consecutive "glue" pieces: a marker with the word before it and the stop after it
    for (const piece of pieces) {
      let element = parent;
      if (piece.glue) {
        if (!group) { group = document.createElement("span"); group.className = "glue"; parent.appendChild(group); }
        element = group;
      } else {
        group = null;
      }
      if (piece.marker === undefined || piece.marker === null) {
        let holder = element;
        if (piece.bold) { const strong = document.createElement("strong"); holder.appendChild(strong); holder = strong; }
        if (piece.italic) { const em = document.createElement("em"); holder.appendChild(em); holder = em; }
        holder.appendChild(document.createTextNode(piece.text));
        continue;
      }
      const button = document.createElement("button");
      button.type = "button";
      button.className = piece.weak ? "cite weak" : "cite";
      button.textContent = "[" + piece.marker + "]";
      button.dataset.tip = piece.tip;
      button.setAttribute("aria-label", "Open citation " + piece.marker + ": " + piece.tip);
      button.addEventListener("click", () => setTriggerValue("cite", piece.marker));
      element.appendChild(button);
    }
  };
  let lists = [];  // the open <ul> of each item level
  for (const block of (data && data.blocks) || []) {
    if (block.kind !== "item") {
      lists = [];
      const element = document.createElement(block.kind === "heading" ? "h4" : "p");
      fill(element, block.pieces);
      root.appendChild(element);
      continue;
    }
    const level = Math.max(0, Math.min(block.level | 0, lists.length));
    lists = lists.slice(0, level + 1);
    if (!lists[level]) {
      const ul = document.createElement("ul");
      const parent = level === 0 ? root : (lists[level - 1].lastElementChild || lists[level - 1]);
      parent.appendChild(ul);
      lists[level] = ul;
    }
    const li = document.createElement("li");
    fill(li, block.pieces);
    lists[level].appendChild(li);
  }
}
"""

_component = st.components.v2.component("briefs_answer_text", css=_CSS, js=_JS)


def citation_place(citation: Citation, hit: Hit | None) -> str:
    """Where a citation points, for people: brief title, date and the page its quote starts on."""
    chunk = hit.chunk if hit else None
    title = citation.title or (chunk.title if chunk else "") or citation.source
    parts = [title]
    if chunk is not None and chunk.date:
        parts.append(chunk.date)
    page = citation.page or (chunk.page if chunk is not None else None)  # the quote's page, not the passage's first
    if page:
        parts.append(f"page {page}")
    return " · ".join(parts)


def _tip(citation: Citation, hit: Hit | None) -> str:
    quote = " ".join(citation.quote.split())
    if len(quote) > TIP_CHARS:
        quote = quote[: TIP_CHARS - 1].rstrip() + "…"
    weak = "" if citation.supported else "\n⚠ weak support for this sentence"
    return f"{citation_place(citation, hit)}\n“{quote}”{weak}"


def _pieces(spans: Sequence[Span], by_marker: dict[int, Citation], hits: dict[str, Hit]) -> list[dict[str, Any]]:
    """Text pieces (with their emphasis) and citation markers (only markers of real citations)."""
    pieces: list[dict[str, Any]] = []
    for span in spans:
        style = {k: True for k, on in (("bold", span.bold), ("italic", span.italic)) if on}
        at = 0
        for match in _MARKER.finditer(span.text):
            citation = by_marker.get(int(match.group(1)))
            if citation is None:
                continue
            if match.start() > at:
                pieces.append({"text": span.text[at:match.start()], **style})
            pieces.append({"marker": citation.marker, "tip": _tip(citation, hits.get(citation.chunk_id)),
                           "weak": not citation.supported})
            at = match.end()
        if at < len(span.text):
            pieces.append({"text": span.text[at:], **style})
    return pieces


_CLOSING = re.compile(r"[.,;:!?…)\]”’\"']+")
_LAST_WORD = re.compile(r"\S+\s*$")


def _glued(pieces: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``pieces`` with each marker, the word before it and the punctuation right after it marked
    ``glue`` (drawn on one line): a line never starts with a lone marker or its ".” "."""
    out: list[dict[str, Any]] = []
    for piece in pieces:
        if "marker" in piece:
            if out and "text" in out[-1] and not out[-1].get("glue"):
                before = out.pop()
                word = _LAST_WORD.search(before["text"])
                if word is None:
                    out.append(before)
                else:
                    if word.start():
                        out.append({**before, "text": before["text"][:word.start()]})
                    out.append({**before, "text": word.group(), "glue": True})
            out.append({**piece, "glue": True})
        elif out and "marker" in out[-1] and (stop := _CLOSING.match(piece["text"])):
            out.append({**piece, "text": stop.group(), "glue": True})
            if stop.end() < len(piece["text"]):
                out.append({**piece, "text": piece["text"][stop.end():]})
        else:
            out.append(piece)
    return out


def answer_blocks(answer: Answer) -> list[dict[str, Any]]:
    """The answer as blocks (``answer.layout.blocks``: heading, paragraph or item with its nesting
    level), each a list of text pieces and citation markers."""
    by_marker = {c.marker: c for c in answer.citations}
    hits = {h.chunk.id: h for h in answer.retrieved}
    return [{"kind": block.kind, "level": block.level, "pieces": _glued(_pieces(block.spans, by_marker, hits))}
            for block in blocks(answer.text.strip())]


def answer_text(answer: Answer, *, key: str) -> int | None:
    """Draw the answer; returns the marker clicked in this run (None when none was)."""
    result = _component(data={"blocks": answer_blocks(answer)}, key=key, on_cite_change=lambda: None)
    marker = getattr(result, "cite", None)
    return int(marker) if marker is not None else None
