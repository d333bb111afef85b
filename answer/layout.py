"""The structure of an answer's text: headings, paragraphs and (nested) list items, with bold spans.

Answers are written line by line in a small subset of Markdown: the composers write a section
heading as a bold line (``**Title (date)**``) and points as ``- `` bullets (nested by two
spaces); the LLM backend may also write ``#`` headings and numbered items. ``blocks`` reads the
lines (each line is a block: CommonMark's lazy continuation would glue a heading to the bullet
before it) and their bold and italic spans with markdown-it-py (a maintained CommonMark parser)
with every other inline rule off: no links, images, HTML, code, entities or backslash escapes,
so whatever a brief's sentence contains stays the characters it is made of. The UI draws the blocks as elements (``ui.answer_text``); the command
line and ``--json`` print ``plain_text``, the same structure without markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

BlockKind = Literal["heading", "paragraph", "item"]


@dataclass(frozen=True)
class Span:
    """A run of text with its emphasis; ``\\n`` inside ``text`` is a line break of the answer."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Block:
    """One heading, paragraph or list item of an answer (a list item's own text, not its sub-items)."""

    kind: BlockKind
    spans: tuple[Span, ...]
    level: int = 0  # nesting depth of a list item: 0 for a top-level bullet

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("zero").enable(["emphasis"])


def _spans(children: list[Any]) -> list[Span]:
    spans: list[Span] = []
    bold = italic = 0
    for token in children:
        if token.type == "strong_open":
            bold += 1
        elif token.type == "strong_close":
            bold -= 1
        elif token.type == "em_open":
            italic += 1
        elif token.type == "em_close":
            italic -= 1
        elif token.type in ("softbreak", "hardbreak"):
            spans.append(Span("\n", bool(bold), bool(italic)))
        elif token.content:
            spans.append(Span(token.content, bool(bold), bool(italic)))
    merged: list[Span] = []
    for span in spans:  # neighbours with the same emphasis joined
        if merged and (merged[-1].bold, merged[-1].italic) == (span.bold, span.italic):
            merged[-1] = Span(merged[-1].text + span.text, span.bold, span.italic)
        else:
            merged.append(span)
    return merged


_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_ITEM = re.compile(r"^([ \t]*)(?:[-*+•]|\d{1,3}[.)])[ \t]+(\S.*)$")


def blocks(text: str) -> list[Block]:
    """The blocks of an answer's text, one per line, in order (answers are written line by line, so
    a line is never a continuation of the one before). A ``#`` line, or a line that is all bold,
    is a heading; a ``- `` / ``* `` / ``1.`` line is an item, nested by its indentation."""
    found: list[Block] = []
    indents: list[int] = []  # indentation of the open item levels
    for line in text.split("\n"):
        if not line.strip():
            continue
        if heading := _HEADING.match(line):
            found.append(Block("heading", tuple(Span(s.text, True, s.italic) for s in _inline(heading.group(1)))))
            indents = []
        elif item := _ITEM.match(line):
            indent = len(item.group(1).expandtabs(4))
            while indents and indent < indents[-1]:
                indents.pop()
            if not indents or indent > indents[-1]:
                indents.append(indent)
            found.append(Block("item", tuple(_inline(item.group(2).rstrip())), level=len(indents) - 1))
        else:
            spans = tuple(_inline(line.strip()))
            found.append(Block("heading" if all(s.bold for s in spans) else "paragraph", spans))
            indents = []
    return found


def _inline(text: str) -> list[Span]:
    (token,) = _parser().parseInline(text) or [None]
    return _spans(token.children or []) if token is not None else [Span(text)]


def plain_text(text: str) -> str:
    """The answer without markup, its structure kept: headings on their own line (after a blank
    line), items as ``- `` bullets indented by their depth, paragraphs as they are."""
    lines: list[str] = []
    for block in blocks(text):
        if block.kind == "heading" and lines:
            lines.append("")
        lines.append(("  " * block.level + "- " + block.text) if block.kind == "item" else block.text)
    return "\n".join(lines)
