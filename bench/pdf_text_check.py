"""Check the stored text of PDFs for what a reader would call broken: running headers or footers
inside passages, and line breaks inside sentences of body text. Lists every case, prints figures.

    .venv/bin/python -m bench.pdf_text_check [--corpus ../shared/corpora/crs-reports] [--list]

Every PDF is loaded as ``python -m ingest`` loads it (``load_document``) and split into passages
as the sync splits it (``split_document``, the bundled embedder's tokenizer, the sync's defaults).

- **running lines**: found independently of ``ingest.pdf``, from PDFium's plain text of each page
  (``get_text_range``): one of the first or last three lines of a page whose text, digits folded,
  is among the first or last three lines of at least a quarter of the pages (and 3). A passage
  contains one when the line is a whole line of the passage past the first page (a first page
  prints the title that later pages repeat as their header), or when it carries a page number
  at either end ("Congressional Research Service 7") and occurs anywhere.
- **breaks inside sentences**: two consecutive lines of the stored text, outside debris, where
  the first ends without sentence punctuation (``.!?:;`` and closing quotes or brackets) and
  the next starts in lower case or the first ends in a connective word on its own ("of", "the",
  "and", ...; not a note letter against a bracket, "(a))a") or a hyphen after a letter. Each case is filed by where it lies: ``table`` (a row line, cells
  between " | "), ``caption`` (a line that opens with "Figure N"/"Table N"/"Source"/"Note"),
  ``footnote`` (after the "Notes" heading), ``list`` (the next line is a list item: a lead-in
  such as "...; and" before a bullet is a break by design, counted apart) or ``body``; the figure
  that must be 0 is ``body``, and two table rows never count (a row ends at a line break).
- **glued note markers**: a note reference number stuck to the body text before the "Notes"
  heading, outside debris and table rows: 1-3 digits right after two lower-case letters
  ("disruptions38 have"), after a lower-case letter and ".,;:" (perhaps a closing quote:
  "funding.88 Private", "labels.”438"), or after a closing bracket or quote ("(CA),2 advance"),
  followed by a space, a comma or the line end. A heuristic of the stored text, independent of
  ``ingest.pdf``; it misses a marker after a digit or a capital ("FY2025.3") and would count a
  number glued that way in print.
- **captioned tables stored as rows**: the "Table N" captions of the stored text outside debris
  (each table number once per report; a contents listing is debris), and how many of them have
  a table row (cells between " | ") in the first three lines of the next paragraph (a unit line
  or subtitle set over the table is a line of its own, ``ingest.pdf_tables``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import REPO_ROOT
from vectorstore.types import Chunk

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "crs-reports"
_EDGE_LINES = 3
_RUNNING_SHARE = 0.25
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
# A connective word on its own (after a space or at the line start): "... (38 U.S.C. §5303(a))a"
# ends in a note letter set against a bracket, not in the article "a".
_CONNECTIVE = re.compile(r"(?:^|\s)(?:the|a|an|of|and|or|to|in|for|at|on|by|with|from|as|that|which|its|their)$")
_HYPHEN_END = re.compile(r"[^\W\d_]-$")
_LIST_ITEM = re.compile(r"^(?:[•▪●◦■□‣\-–]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")
_CAPTION = re.compile(r"^(?:Figure|Table|Source|Sources|Note|Notes)\b", re.IGNORECASE)
_NOTES = "\n\nNotes\n\n"
_GLUED_MARKER = re.compile(r"(?:[a-z]{2}|[a-z][.,;:][”’\"]?|[)\]”’][.,;:]?)(\d{1,3})(?=[\s,;]|$)")
_PAGE_NUMBERED = re.compile(r"(?:^|[\s-])#$|^# ")  # a page number at either end: "congressional research service #"


def _fold(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).casefold()


def running_lines(data: bytes) -> set[str]:
    """Folded texts of the lines that repeat at the top or bottom of a page (PDFium's plain text)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        counts: Counter[str] = Counter()
        pages = len(document)
        for index in range(pages):
            page = document[index]
            textpage = page.get_textpage()
            lines = [line.strip() for line in textpage.get_text_range().splitlines() if line.strip()]
            textpage.close()
            page.close()
            counts.update({_fold(line) for line in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]})
    finally:
        document.close()
    need = max(3, round(_RUNNING_SHARE * pages))
    return {key for key, n in counts.items() if n >= need and pages >= 3 and len(key) > 1}


def _furniture_in(chunk: Chunk, running: set[str]) -> list[str]:
    """The running lines in a passage: a whole line of it past the first page (the first page
    prints the title that later pages repeat as their header), or one with a page number."""
    found = []
    lines, offset = {}, chunk.start
    for line in chunk.text.split("\n"):
        if (chunk.page_at(offset) or 1) > 1:
            lines[_fold(line)] = offset
        offset += len(line) + 1
    folded = _fold(chunk.text)
    for key in running:
        numbered = _PAGE_NUMBERED.search(key) and re.search(r"(?<![\w#])" + re.escape(key) + r"(?![\w#$,.])", folded)
        if key in lines or numbered:
            found.append(key)
    return found


def _is_row(line: str) -> bool:
    """A table row as stored: cells between " | ", the first or last cell maybe empty ("| $26.5 |")."""
    return " | " in line or line.startswith("| ") or line.endswith(" |")


def _in_debris(start: int, end: int, debris: tuple) -> bool:
    return any(span.start < end and start < span.end for span in debris)


def sentence_breaks(text: str, debris: tuple) -> list[tuple[str, str, str]]:
    """(kind, end of the line before, start of the next) for every break inside a sentence."""
    notes = text.find(_NOTES)
    found = []
    position = 0
    lines = []
    for raw in text.split("\n"):
        lines.append((position, raw))
        position += len(raw) + 1
    real = [(p, line) for p, line in lines if line.strip()]
    for (p1, a), (p2, b) in zip(real, real[1:]):
        a, b = a.strip(), b.strip()
        if _SENTENCE_END.search(a):
            continue
        if not (b[:1].islower() or _CONNECTIVE.search(a) or _HYPHEN_END.search(a)):
            continue
        if _in_debris(p1, p2 + len(b), debris):
            continue
        if _is_row(a) and _is_row(b):
            continue  # two rows of a table
        if _is_row(a) or _is_row(b):
            kind = "table"
        elif _LIST_ITEM.match(b):
            kind = "list"  # a lead-in ("such as", "; and") before a list item: a break by design
        elif _CAPTION.match(a) or _CAPTION.match(b):
            kind = "caption"
        elif 0 <= notes < p1:
            kind = "footnote"
        else:
            kind = "body"
        found.append((kind, a[-70:], b[:50]))
    return found


def glued_markers(text: str, debris: tuple) -> list[str]:
    """The body text around each note reference number glued to a word (``_GLUED_MARKER``)."""
    notes = text.find(_NOTES)
    body = text if notes < 0 else text[:notes]
    found = []
    for match in _GLUED_MARKER.finditer(body):
        start = match.start(1)
        line = body[body.rfind("\n", 0, start) + 1:body.find("\n", start) % (len(body) + 1)]
        if _is_row(line) or _in_debris(start, match.end(1), debris):
            continue
        found.append(body[max(0, start - 30):match.end(1) + 15])
    return found


def captioned_tables(text: str, debris: tuple) -> dict[str, bool]:
    """Each "Table N" caption of ``text`` outside debris (by its number) and whether the paragraph
    after it holds a table row in its first three lines (after a unit line or subtitles)."""
    from text.captions import CAPTION

    found: dict[str, bool] = {}
    paragraphs = text.split("\n\n")
    position = 0
    for index, paragraph in enumerate(paragraphs):
        start, position = position, position + len(paragraph) + 2
        match = CAPTION.match(paragraph)
        if not match or not paragraph.startswith("Table") or _in_debris(start, start + 1, debris):
            continue
        following = paragraphs[index + 1].split("\n")[:3] if index + 1 < len(paragraphs) else []
        number = match.group().split()[1].rstrip(".:")
        found[number] = found.get(number, False) or any(_is_row(line) for line in following)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--list", action="store_true", help="list every case")
    args = parser.parse_args(argv)

    from ingest.loaders import load_document
    from ingest.splitter import split_document
    from vectorstore.embedder import SentenceTransformerEmbedder
    from ingest.sync import SyncOptions

    embedder = SentenceTransformerEmbedder()
    options = SyncOptions()
    files = sorted(args.corpus.glob("*.pdf"))
    totals: Counter[str] = Counter()
    for path in files:
        doc = load_document(path, source=path.name, max_bytes=200 * 1024 * 1024, timeout_s=300)
        chunks = split_document(doc, count_tokens=embedder.count_tokens, max_tokens=embedder.max_tokens,
                                target_chars=options.target_chars, overlap_sentences=options.overlap_sentences)
        running = running_lines(path.read_bytes())
        totals["reports"] += 1
        totals["passages"] += len(chunks)
        for chunk in chunks:
            hits = _furniture_in(chunk, running)
            if hits:
                totals["passages with a running line"] += 1
                if args.list:
                    print(f"RUNNING  {path.name}: {hits} in passage {chunk.index}: {chunk.text[:80]!r}")
        for kind, before, after in sentence_breaks(doc.text, doc.debris):
            totals[f"breaks: {kind}"] += 1
            if args.list:
                print(f"BREAK {kind:<8} {path.name}: {before!r} / {after!r}")
        for context in glued_markers(doc.text, doc.debris):
            totals["glued note markers"] += 1
            if args.list:
                print(f"GLUED MARKER {path.name}: {context!r}")
        tables = captioned_tables(doc.text, doc.debris)
        totals["captioned tables"] += len(tables)
        totals["captioned tables as rows"] += sum(tables.values())
        if args.list:
            for number, rows in tables.items():
                if not rows:
                    print(f"TABLE NOT AS ROWS {path.name}: Table {number}")
        totals["words"] += len(doc.text.split())
    print(f"reports {totals['reports']}, passages {totals['passages']}, words {totals['words']}")
    print(f"passages with a running header/footer line: {totals['passages with a running line']}")
    for kind in ("body", "caption", "table", "footnote", "list"):
        print(f"line breaks inside sentences, {kind:<8}: {totals['breaks: ' + kind]}")
    print(f"note markers glued to body text: {totals['glued note markers']}")
    print(f"captioned tables stored as rows: {totals['captioned tables as rows']} of {totals['captioned tables']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
