"""PDF text as a reader reads it, from character positions and font sizes (pypdfium2).

``parse_pdf(data)`` returns the cleaned text of a PDF: the lines of a paragraph joined into one
line, hyphenation at line ends undone where the joined word is a word, running headers and
footers and page numbers (lines repeated in the page margins across pages) removed, footnotes
(small type at the foot of a page) moved after the body under a "Notes" heading, each with its
page, superscript note reference markers dropped from the body text (a marker glued to a word
made "funding.88 Private" one sentence; the notes keep their numbers), tables under a "Table N"
caption stored one row per line with cells between " | " (``ingest.pdf_tables``), captions and
source lines as paragraphs of their own, text inside figures and cover pages, mastheads,
contents listings and disclaimers marked as debris. Every page keeps
``Page`` spans over the cleaned text, so a passage or a quote still has its page.

Why pypdfium2: measured against pypdf and pdfplumber on the 69 CRS reports (see
docs/pdf-extraction.md), it is the fastest, lightest, gives per-character boxes, font sizes and
weights, and keeps two-column pages in reading order. No maintained library turns those
positions into paragraphs, running headers and footnotes for plain-text use, hence the rules
here; each is a rule of page layout (position, size, repetition), not of one publisher's text.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from ingest.pdf_tables import SOURCE, caption_end, find_regions, is_caption
from ingest.text import OPEN_END, join_lines, split_at, vocabulary
from vectorstore.types import DocumentMeta, Page, Span

_MARGIN = 0.09  # top and bottom share of the page height where running headers and footers sit
_REPEAT_SHARE = 0.4  # a margin line on at least this share of pages (and 2+) is a running line
_SMALL = 0.88  # footnotes and superscripts: font size below this share of the body size
_HEADING = 1.12  # headings: font size above this share of the body size (or bold and short)
_BOLD = 600
_PARA_GAP = 0.55  # a vertical gap over this many line heights starts a paragraph
_SHORT_LINE = 0.82  # a line ending a sentence and filling less than this of its column ends a paragraph
_MAX_HEADING_WORDS = 16
_COVER_MAX_WORDS = 90  # a first page with fewer words, in a document of 4+ pages, is a cover
_LEADERS = re.compile(r"(?:\.\s?){4,}\s*\d+\s*$|\.{4,}")
_BULLET = re.compile(r"^(?:[•▪●◦■□‣\-–]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")
_FOOTNOTE_START = re.compile(r"^\d{1,3}\s+\S")
_SUPERSCRIPT = re.compile(r"^[\d,\s\-–*†‡]{1,8}$")
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
_DISCLAIMER = re.compile(r"^(?:disclaimer|legal notice|copyright notice)$", re.IGNORECASE)
_NOTES_HEADING = "Notes"
_MARGIN_NOTE_WORDS = 6
_PROSE_WORD = re.compile(r"^[a-z]{4,}")  # a line with one is prose, never a margin label
_PROSE_MARK = re.compile(r"(?:^|\s)[a-z]|,")  # a lower-case word or a comma: a line of prose, not a label
_MARGIN_URL = re.compile(r"^(?:https?://|www\.)\S+(?:\s+[\w.-]+)?$", re.IGNORECASE)
_SENTENCE_INSIDE = re.compile(r"[a-z]{2}[.!?][\"'”’)]*\s+[A-Z]")
_CELL_GAP = 0.8  # a gap between characters wider than this many font sizes separates table cells
_PITCH_SLACK = 0.3  # a baseline step over the usual line pitch plus this many font sizes starts a paragraph
_BODY_SHARE = 0.2  # the body is the largest type size with at least this share of the characters
_QUOTE_INDENT = 0.25  # a block quotation starts at most this share of its column's width in from the left
_NOTE_GAP = 1.0  # lines of the notes are never set further apart than this many font sizes
_CONTINUED_STEP = 1.6  # a baseline step of at most this many font sizes: the next line of the same text
_RAISED = 0.2  # a note marker's characters sit at least this many line font sizes above the line's baseline
_MARKER_CHARS = frozenset("0123456789,-–")  # what a note reference marker is made of ("12", "3,4", "5-7")
_MASTHEAD_WORDS = 4
_REPORT_NUMBER = re.compile(r"(?=\S*\d)[A-Z\d][A-Z\d-]*")  # "IN12423", "98-317": capitals, digits, hyphens


@dataclass
class Line:
    """One text line of a page as pdfium lays it out (y grows downwards from the page top)."""

    page: int  # from 1
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # median font size of its characters, points
    bold: bool
    soft_hyphens: list[int] = field(default_factory=list)  # where pdfium joined a hyphenated word
    baseline: float = 0.0  # median bottom of its characters (descenders and superscripts aside)
    # Pieces of the line apart by a gap wider than _CELL_GAP font sizes (table cells):
    # (offset in ``text``, x0, x1) each, in order; [] when the line is one piece.
    segments: list[tuple[int, float, float]] = field(default_factory=list)
    font: str = ""  # the font of all its visible characters; "" when they are set in more than one


@dataclass
class _PageLines:
    number: int
    width: float
    height: float
    lines: list[Line]
    fonts: Counter[str] = field(default_factory=Counter)  # visible characters per font name


@dataclass(frozen=True)
class PdfText:
    """What ``read_pdf`` makes of a PDF: the cleaned text and what lies where in it."""

    text: str
    pages: tuple[Page, ...]
    debris: tuple[Span, ...]
    meta: DocumentMeta
    running: tuple[str, ...] = ()  # the running header/footer lines removed (one copy each)


class EncryptedPdf(Exception):
    pass


# --- reading characters -------------------------------------------------------------------------


def _page_lines(page: object, number: int) -> _PageLines:
    from pypdfium2 import raw

    width, height = page.get_size()  # type: ignore[attr-defined]
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    lines: list[Line] = []
    chars: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []
    placed: list[int] = []  # index in ``chars`` of each box
    sizes: list[float] = []
    weights: list[int] = []
    soft: list[int] = []

    fonts: list[bytes] = []
    page_fonts: Counter[str] = Counter()
    font_buffer = ctypes.create_string_buffer(128)
    font_flags_ref = ctypes.byref(ctypes.c_int())

    def close() -> None:
        if boxes:
            _drop_note_markers(chars, boxes, placed, sizes, weights, soft, fonts)
        text = "".join(chars)
        if text.strip() and boxes:
            lead = len(text) - len(text.lstrip())
            size = statistics.median(sizes) if sizes else 0.0
            names = {name.decode("utf-8", "replace") for name in fonts}
            page_fonts.update(name.decode("utf-8", "replace") for name in fonts)
            lines.append(Line(
                page=number, text=text.strip(), x0=min(b[0] for b in boxes), x1=max(b[1] for b in boxes),
                top=height - max(b[3] for b in boxes), bottom=height - min(b[2] for b in boxes),
                size=size,
                bold=bool(weights) and sum(w >= _BOLD for w in weights) * 2 > len(weights),
                soft_hyphens=[i - lead for i in soft if i - lead >= 0],
                baseline=height - statistics.median(b[2] for b in boxes),
                segments=_segments(boxes, placed, lead, size),
                font=names.pop() if len(names) == 1 else "",
            ))
        for collected in (chars, boxes, placed, sizes, weights, soft, fonts):
            collected.clear()

    def marker_follows(index: int) -> bool:
        """Whether pdfium's line break at ``index`` only comes before a note reference marker that goes on
        the printed line: the next character is a digit in smaller type (``_SMALL``) than the line's last,
        set right after it (within one font size to its right) and raised at least ``_RAISED`` of its size
        above the lowest of the line's last three characters ("benefits,\\r\\n124 although": the raised
        "124" had opened a line of its own, so ``_drop_note_markers`` kept it as a note's own number)."""
        if not boxes:
            return False
        following = index + 1
        while following < count and (raw.FPDFText_GetUnicode(handle, following) in (0x0A, 0x0D)
                                     or raw.FPDFText_IsGenerated(handle, following) == 1):
            following += 1
        if following >= count or not chr(raw.FPDFText_GetUnicode(handle, following)).isdigit():
            return False
        size = round(raw.FPDFText_GetFontSize(handle, following) * 2) / 2
        if not (size < _SMALL * sizes[-1] and raw.FPDFText_GetCharBox(handle, following, left, right, bottom, top)):
            return False
        lowest = min(box[2] for box in boxes[-3:])
        if not (0 <= left.value - boxes[-1][1] <= sizes[-1] and bottom.value >= lowest + _RAISED * sizes[-1]
                and top.value <= max(box[3] for box in boxes[-3:]) + sizes[-1]):
            return False
        # What follows the marker on pdfium's line must be on the same printed line (pdfium may have put
        # the next printed line's first words there: "TOML.\\r\\n117 During the ISA's" over two lines).
        baseline = statistics.median(box[2] for box in boxes[-3:])
        if abs(statistics.median(box[2] for box in boxes) - baseline) > _RAISED * sizes[-1]:
            return False  # pdfium's line already spans two printed lines: its baseline is no reference
        after = following
        while after < count and raw.FPDFText_GetUnicode(handle, after) != 0x0A:
            char = chr(raw.FPDFText_GetUnicode(handle, after))
            if (not char.isspace() and char not in _MARKER_CHARS and raw.FPDFText_IsGenerated(handle, after) != 1
                    and raw.FPDFText_GetCharBox(handle, after, left, right, bottom, top)):
                return abs(bottom.value - baseline) <= _RAISED * sizes[-1] * 2
            after += 1
        return True

    for index in range(count):
        code = raw.FPDFText_GetUnicode(handle, index)
        if code == 0x0A:  # pdfium ends each line with a generated "\r\n"
            if not marker_follows(index):
                close()
            continue
        if code == 0x0D:
            continue
        char = chr(code) if code < 0x110000 else "\ufffd"
        if code in (0x02, 0xFFFE, 0xAD):  # a hyphen at a line end that pdfium joined (or a soft hyphen)
            soft.append(len(chars))
            continue
        if raw.FPDFText_IsGenerated(handle, index) == 1:
            if char.isspace() and chars and not chars[-1].isspace():
                chars.append(" ")
            continue
        chars.append(" " if char.isspace() else char)
        if not char.isspace() and raw.FPDFText_GetCharBox(handle, index, left, right, bottom, top):
            boxes.append((left.value, right.value, bottom.value, top.value))
            placed.append(len(chars) - 1)
            sizes.append(round(raw.FPDFText_GetFontSize(handle, index) * 2) / 2)
            weights.append(raw.FPDFText_GetFontWeight(handle, index))
            # The font's name is read where the size or weight changes or a line starts (less than
            # half the cost of reading it for every character); in between it is taken as unchanged.
            if len(sizes) == 1 or sizes[-1] != sizes[-2] or weights[-1] != weights[-2]:
                raw.FPDFText_GetFontInfo(handle, index, font_buffer, len(font_buffer), font_flags_ref)
                fonts.append(font_buffer.value)
            else:
                fonts.append(fonts[-1])
    close()
    textpage.close()
    return _PageLines(number, width, height, lines, page_fonts)


def _drop_note_markers(chars: list[str], boxes: list[tuple[float, float, float, float]], placed: list[int],
                       sizes: list[float], weights: list[int], soft: list[int], fonts: list[bytes]) -> None:
    """Note reference markers removed from a line's characters, in place: runs of digits (with
    "," and dashes between them) in smaller type than the character before them and raised at
    least ``_RAISED`` of its size above the lowest of the three characters before, after
    something else on the line ("(CA),2 advance", "funding.88 Private"). A raised number that
    opens its line (a note's own number at the foot of the page) stays; the notes keep their
    numbers under "Notes"."""
    size = max(sizes)  # the line's own type: a marker is smaller, and a short note line may be half marker
    marked = [sizes[k] < _SMALL * size and chars[placed[k]] in _MARKER_CHARS for k in range(len(boxes))]
    drop: set[int] = set()
    k = 0
    while k < len(boxes):
        if not marked[k]:
            k += 1
            continue
        end = k
        while end + 1 < len(boxes) and marked[end + 1]:
            end += 1
        run = range(placed[k], placed[end] + 1)
        # Raised against the characters it follows (pdfium may put two printed lines in one, so
        # the line's own baseline is no reference), the lowest of the last three (a quote sits high).
        raised = k > 0 and boxes[k][2] >= min(box[2] for box in boxes[max(0, k - 3):k]) + _RAISED * sizes[k - 1]
        if raised and sizes[k - 1] * _SMALL > sizes[k] and any(chars[i].isdigit() for i in run) and all(chars[i] in _MARKER_CHARS for i in run):
            drop.update(run)
            after = placed[end] + 1
            if placed[k] > 0 and chars[placed[k] - 1] == " " and (after >= len(chars) or chars[after] == " "):
                drop.add(placed[k] - 1)  # "word 12 next": one space stays
        k = end + 1
    if not drop:
        return
    shift, kept = [], 0
    for i in range(len(chars) + 1):
        shift.append(kept)
        kept += i < len(chars) and i not in drop
    keep = [k for k in range(len(boxes)) if placed[k] not in drop]
    chars[:] = [c for i, c in enumerate(chars) if i not in drop]
    boxes[:] = [boxes[k] for k in keep]
    sizes[:] = [sizes[k] for k in keep]
    weights[:] = [weights[k] for k in keep]
    fonts[:] = [fonts[k] for k in keep]
    placed[:] = [shift[placed[k]] for k in keep]
    soft[:] = sorted({shift[i] for i in soft})


def _segments(boxes: list[tuple[float, float, float, float]], placed: list[int], lead: int,
              size: float) -> list[tuple[int, float, float]]:
    """The pieces of a line apart by wide gaps: (offset in the stripped text, x0, x1) each;
    [] when there is one piece."""
    out: list[tuple[int, float, float]] = []
    gap = _CELL_GAP * max(size, 1.0)
    start, right = 0, boxes[0][1] if boxes else 0.0
    for index in range(1, len(boxes)):
        box = boxes[index]
        if box[0] - boxes[index - 1][1] > gap:
            out.append((placed[start] - lead, boxes[start][0], right))
            start, right = index, box[1]
        elif box[1] > right:
            right = box[1]
    if not out:
        return []
    out.append((placed[start] - lead, boxes[start][0], right))
    return out if len(out) > 1 else []


def _metadata_dict(document: object) -> dict[str, str]:
    try:
        return {k: str(v or "") for k, v in document.get_metadata_dict().items()}  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a broken info dictionary costs only the document properties
        return {}


def read_pages(data: bytes) -> tuple[list[_PageLines], dict[str, str]]:
    """The lines of every page and the document properties; EncryptedPdf for a locked file."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedPdf() from None
        raise
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            pages.append(_page_lines(page, index + 1))
            page.close()
        return pages, _metadata_dict(document)
    finally:
        document.close()


# --- layout rules --------------------------------------------------------------------------------


def _key(text: str) -> str:
    """A line as compared across pages: digits (page numbers) and spacing folded."""
    return re.sub(r"\d+", "#", " ".join(text.split())).casefold()


def _running_keys(pages: list[_PageLines]) -> set[str]:
    """Keys of margin lines that repeat across pages (running headers/footers), and page numbers."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_key(line.text) for line in page.lines if _in_margin(line, page)})
    need = max(2, round(_REPEAT_SHARE * len(pages)))
    keys = {key for key, n in counts.items() if n >= need and len(pages) >= 2}
    # "Congressional Research Service" alone on one page where the others number it.
    return keys | {stripped for key in keys if (stripped := " ".join(key.replace("#", " ").split())) and stripped != key}


def is_running(line: Line, page: _PageLines, running: set[str], body: float = 0.0) -> bool:
    """Whether a line is page furniture: a running header or footer (or a longer variant of one,
    as on a last page), a page number, a bare web address in the margin, or, in a document with
    running lines, a short line in body type or smaller in the margin that ends no sentence and
    has no lower-case word ("LSB11417 · VERSION 1 · NEW" on the last page only, "CRS-4")."""
    if not _in_margin(line, page):
        return False
    key = _key(line.text)
    if (key in running or any(key.startswith(k + " ") for k in running)
            or _is_page_number(line, page) or bool(_MARGIN_URL.match(line.text))):
        return True
    return bool(running) and _margin_label(line, body) and not _continues_above(line, page, body)


def _margin_label(line: Line, body: float) -> bool:
    """A short line in body type or smaller without prose: no lower-case word, comma or sentence end."""
    words = line.text.split()
    return (0 < line.size <= body and len(words) <= _MARGIN_NOTE_WORDS
            and not _SENTENCE_END.search(line.text) and not line.text[:1].islower() and not line.bold
            and "," not in line.text
            and not any(_PROSE_WORD.match(word) for word in words))


def _continues_above(line: Line, page: _PageLines, body: float) -> bool:
    """Whether ``line`` goes on from the text line right above it: same type size and left edge,
    one line pitch below, the line above being prose (a lower-case word or a comma), no label
    itself and ending no sentence: a job title wrapping into the bottom margin ("Specialist in
    Agricultural Conservation and" / "Natural Resources Policy"). Page furniture is set apart from
    the text, not written on at its line pitch."""
    for other in page.lines:
        step = line.baseline - other.baseline
        if (other is not line and other.size == line.size and abs(other.x0 - line.x0) < line.size
                and 0 < step <= _CONTINUED_STEP * line.size):
            return (not _SENTENCE_END.search(other.text) and bool(_PROSE_MARK.search(other.text))
                    and not _margin_label(other, body))
    return False


def _in_margin(line: Line, page: _PageLines) -> bool:
    return line.top < page.height * _MARGIN or line.bottom > page.height * (1 - _MARGIN)


def _is_page_number(line: Line, page: _PageLines) -> bool:
    return _in_margin(line, page) and bool(re.fullmatch(r"(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?", line.text, re.IGNORECASE))


def _body_size(pages: list[_PageLines]) -> float:
    """The body font size: the largest type size that carries at least ``_BODY_SHARE`` of the
    document's characters outside table rows (lines cut into cells).

    Footnotes, tables, captions and text boxes are set smaller than the body and headings larger
    but short, so the body is the largest size with much text, not the size with the most: a
    report whose 9 pt appendix tables and footnotes outweigh its 11 pt prose still reads as 11 pt.
    """
    weights: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            if not line.segments:
                weights[line.size] += len(line.text)
    total = sum(weights.values())
    if not total:
        return 0.0
    substantial = [size for size, chars in weights.items() if chars >= _BODY_SHARE * total]
    return max(substantial) if substantial else weights.most_common(1)[0][0]


@dataclass
class _Block:
    """A paragraph in the making: its lines, where it was found, and what kind it is."""

    lines: list[Line]
    kind: str = "body"  # "body", "heading", "footnote", "caption", "source", "table", "figure", "cover", ...
    rows: list[list[list[tuple[str, list[int]]]]] = field(default_factory=list)  # a table's cells

    @property
    def page(self) -> int:
        return self.lines[0].page


def _is_heading(line: Line, following: Line | None, body: float) -> bool:
    """A short line in bold, or in larger type than the line after it, that ends no sentence."""
    words = len(line.text.split())
    if words > _MAX_HEADING_WORDS or _SENTENCE_END.search(line.text) and not line.text.endswith("?"):
        return False
    if line.text[:1].islower() or _SENTENCE_INSIDE.search(line.text):
        return False  # a sentence going on, or a bold lead sentence with the next one begun
    if _BULLET.match(line.text) or following is not None and following.page == line.page and (
            following.text[:1].islower() and following.size == line.size):
        return False  # a list item with a bold lead-in, or a sentence going on (a bold lead sentence)
    if line.bold:
        return True
    larger = following is None or following.page != line.page or following.size < line.size - 0.5
    return line.size >= body * _HEADING and larger


def _column_right(line: Line, page: _PageLines) -> float:
    """The right edge of the column a line sits in: the widest line starting near it, or, on a
    page of few lines, the page width less its left margin."""
    near = [other.x1 for other in page.lines if abs(other.x0 - line.x0) < 30 and other.size == line.size]
    if len(near) >= 3:
        return max(near)
    return max(page.width - min(other.x0 for other in page.lines), line.x1)


def _pitches(pages: list[_PageLines]) -> dict[float, float]:
    """The usual step between the baselines of two lines of a paragraph, per font size: the
    median step between consecutive lines of that size in one column, one to two sizes apart."""
    steps: dict[float, list[float]] = {}
    for page in pages:
        for a, b in zip(page.lines, page.lines[1:]):
            step = b.baseline - a.baseline
            if a.size == b.size and abs(a.x0 - b.x0) < 30 and a.size <= step <= 2 * a.size:
                steps.setdefault(a.size, []).append(step)
    return {size: statistics.median(found) for size, found in steps.items()}


def _starts_paragraph(block: list[Line], line: Line, page: _PageLines, body: float,
                      pitches: dict[float, float] | None = None) -> bool:
    previous = block[-1]
    address = _is_address_block(block)
    if address and _closes_address_block(block, line):
        return False
    if previous.page != line.page:  # an address block at a page's foot never goes on to the next page
        return bool(_SENTENCE_END.search(previous.text) or _LEADERS.search(previous.text)) or line.bold or address
    if SOURCE.match(line.text):
        return True
    height = max(previous.bottom - previous.top, 1.0)
    gap = line.top - previous.bottom
    pitch = (pitches or {}).get(previous.size)
    if pitch and line.size == previous.size:
        # Baselines step evenly through a paragraph; glyph boxes do not (a line without descenders).
        wide_gap = line.baseline - previous.baseline > pitch + _PITCH_SLACK * line.size
    else:
        wide_gap = gap > _PARA_GAP * height
    if line.top < previous.top - height:  # a new column (or a jump up the page)
        return bool(_SENTENCE_END.search(previous.text))
    if line.text[:1].islower() and not _SENTENCE_END.search(previous.text) and line.size == previous.size:
        return False  # a sentence going on after a gap (an indented quotation, a figure between)
    if OPEN_END.search(previous.text) and not _BULLET.match(line.text) and (
            line.size == previous.size or _quotation_goes_on(previous, line, page)):
        return False  # a line ending in "the", "of", "and" or a comma ends no paragraph
    if wide_gap or abs(line.size - previous.size) >= 1.0:
        return True
    if _BULLET.match(line.text):
        return True
    # Short against the lines above it in the paragraph (a sidebar narrows a column), or
    # against its column for the first line.
    above = [other.x1 for other in block[-4:-1] if other.page == previous.page]
    right = max(above) if above else _column_right(previous, page)
    short = (previous.x1 - previous.x0) < _SHORT_LINE * max(right - previous.x0, 1.0)
    # A short line ends its paragraph when it ends a sentence, or when the next line starts
    # anew (a title or heading in body type above its first sentence).
    return short and (bool(_SENTENCE_END.search(previous.text)) or not line.text[:1].islower())


def _is_address_block(lines: list[Line]) -> bool:
    """A publisher's address block: short lines (the name, the report number), one of them a
    bare web address ("Congressional Research Service" / "https://crsreports.congress.gov")."""
    return all(len(line.text.split()) <= 6 for line in lines) and any(_MARGIN_URL.match(line.text) for line in lines)


def _closes_address_block(block: list[Line], line: Line) -> bool:
    """Whether ``line`` is the last line of the address block ``block``, such as the report
    number under the web address ("IN12423", "98-317"): one token of capitals, digits and
    hyphens with a digit, in the font and size of the line above, under the block and at most
    the block's own line pitch (or ``_CONTINUED_STEP`` sizes) below it."""
    last = block[-1]
    steps = [b.baseline - a.baseline for a, b in zip(block, block[1:])]
    pitch = max(steps) if steps else _CONTINUED_STEP * line.size
    return (line.page == last.page and bool(_REPORT_NUMBER.fullmatch(line.text)) and bool(line.font)
            and line.font == last.font and line.size == last.size
            and 0 < line.baseline - last.baseline <= pitch + _PITCH_SLACK * line.size
            and _across(min(other.x0 for other in block), max(other.x1 for other in block), line))


def _quotation_goes_on(previous: Line, line: Line, page: _PageLines) -> bool:
    """Whether ``line``, in slightly smaller type than the open-ended ``previous``, is a block
    quotation its sentence runs into ("It states that" / "No State ... may"): not bold, not
    footnote-sized, and starting at most a quarter of the column's width in from the left edge
    of ``previous`` (an indent, not an address block set at the right)."""
    width = max(_column_right(previous, page), previous.x1) - previous.x0
    return (_SMALL * previous.size <= line.size < previous.size and not line.bold
            and line.x0 - previous.x0 <= _QUOTE_INDENT * width)


def _blocks(pages: list[_PageLines], body: float, running: set[str]) -> list[_Block]:
    blocks: list[_Block] = []
    footnotes: list[_Block] = []
    previous: Line | None = None
    pitches = _pitches(pages)
    continued: float | None = None  # type size of a table running over the page break
    held: tuple[_Block, _Block] | None = None  # an address block and the paragraph it interrupted
    by_number = {page.number: page for page in pages}
    for page in pages:
        lines = _reading_order([line for line in page.lines if not is_running(line, page, running, body)])
        lines = _join_line_pieces(_drop_capitals(lines, body), body)
        note_at = _footnote_start(lines, page, body)
        regions = find_regions(lines[:note_at], body, continued)
        last = regions[-1] if regions else None
        # A table running to the foot of the page goes on in the type size of its last row.
        continued = lines[last.end - 1].size if last and last.kind == "table" and last.end == note_at else None
        for line in lines[note_at:]:
            if _FOOTNOTE_START.match(line.text) or not footnotes or footnotes[-1].page != line.page:
                footnotes.append(_Block([line], "footnote"))
            else:
                footnotes[-1].lines.append(line)
        body_lines = lines[:note_at]
        starts = {region.start: region for region in regions}
        number = 0
        while number < len(body_lines):
            if held is not None and blocks[-1] is not held[1]:  # the paragraph it interrupted has ended
                blocks.insert(len(blocks) - 1, held[0])
                held = None
            line = body_lines[number]
            region = starts.get(number)
            if region is not None:  # a table (one row per line) or a figure's labels
                blocks.append(_Block(body_lines[region.start:region.end], region.kind, region.rows))
                number, previous = region.end, None
                continue
            if is_caption(line):  # "Table 2. ..." / "Figure 1. ...": a block of its own
                end = caption_end(body_lines, number)
                blocks.append(_Block(body_lines[number:end], "caption"))
                number, previous = end, None
                continue
            heading = _is_heading(line, body_lines[number + 1] if number + 1 < len(body_lines) else None, body)
            last_body = next((block for block in reversed(blocks) if block.kind == "body"), None)
            if (not heading and blocks and blocks[-1].kind in ("table", "figure", "caption") and last_body is not None
                    and line.text[:1].islower() and not _SENTENCE_END.search(last_body.lines[-1].text)):
                last_body.lines.append(line)  # the sentence a table or figure interrupted goes on
                previous = line
                number += 1
                continue
            if (not heading and previous is not None and blocks[-1].kind == "heading"
                    and _sentence_goes_on(blocks[-1].lines, line, by_number[previous.page])):
                blocks[-1].kind = "body"  # a bold lead-in sentence, not a heading: its sentence goes on
                blocks[-1].lines.append(line)
                previous = line
                number += 1
                continue
            if (previous is not None and blocks[-1].kind == "heading" and previous.page == line.page
                    and line.size == previous.size and line.bold == previous.bold
                    and (heading and line.top - previous.bottom < previous.bottom - previous.top
                         or OPEN_END.search(previous.text) and line.top - previous.bottom < 2 * (previous.bottom - previous.top))):
                blocks[-1].lines.append(line)  # a heading set on several lines
            elif (not heading and previous is not None and previous.page != line.page and len(blocks) >= 2
                  and blocks[-2].kind == blocks[-1].kind == "body" and _is_address_block(blocks[-1].lines)
                  and not _starts_paragraph(blocks[-2].lines, line, page, body, pitches)):
                # The sentence that the address block at the foot of the page before interrupted
                # goes on; the block is put back after its paragraph.
                held = (blocks.pop(), blocks[-1])
                held[0].kind = "boilerplate"
                blocks[-1].lines.append(line)
            elif previous is None or heading or blocks[-1].kind not in ("body", "source") or _starts_paragraph(
                    blocks[-1].lines, line, page, body, pitches):
                kind = "heading" if heading else "source" if SOURCE.match(line.text) else "body"
                blocks.append(_Block([line], kind))
            else:
                blocks[-1].lines.append(line)
            previous = line
            number += 1
    if held is not None:
        blocks.append(held[0])
    if footnotes:
        anchor = footnotes[0].lines[0]
        blocks.append(_Block([Line(anchor.page, _NOTES_HEADING, 0, 0, 0, 0, body, True)], "notes_heading"))
        blocks.extend(footnotes)
    return blocks


def _sentence_goes_on(heading: list[Line], line: Line, page: _PageLines) -> bool:
    """Whether ``line`` continues a sentence that a block taken for a heading left open: a bold
    lead-in sentence, or a body line that ends a page. It starts in lower case, in the same type
    size, after a line ending no sentence that is longer than a heading can be or fills its column."""
    last = heading[-1]
    if not line.text[:1].islower() or line.size != last.size or _SENTENCE_END.search(last.text):
        return False
    if _BULLET.match(line.text):
        return False
    words = sum(len(other.text.split()) for other in heading)
    full = last.x1 - last.x0 >= _SHORT_LINE * max(_column_right(last, page) - last.x0, 1.0)
    return words > _MAX_HEADING_WORDS or full


def _reading_order(lines: list[Line]) -> list[Line]:
    """``lines`` with each run that the PDF draws later but prints inside a gap of text drawn
    before it moved into that gap (a text box drawn after the footnotes of its page).

    A run is a stretch of lines going down the page in drawing order; a later run goes into the
    gap between two consecutive lines of the text before it when it fits between them vertically
    and lies across both of them horizontally (the same column: a second column beside the first
    never does, nor a table's next column, nor a superscript beside its line).
    """
    runs: list[list[Line]] = []
    for line in lines:
        last = runs[-1][-1] if runs else None
        if last is not None and line.top >= last.top - (last.bottom - last.top):  # not a jump up the page
            runs[-1].append(line)
        else:
            runs.append([line])
    if len(runs) < 2:
        return lines
    order = list(runs[0])
    for run in runs[1:]:
        top, bottom = min(line.top for line in run), max(line.bottom for line in run)
        x0, x1 = min(line.x0 for line in run), max(line.x1 for line in run)
        for index in range(len(order) - 1):
            above, below = order[index], order[index + 1]
            if (above.bottom <= top and bottom <= below.top
                    and _across(x0, x1, above) and _across(x0, x1, below)):
                order[index + 1:index + 1] = run
                break
        else:
            order.extend(run)
    return order


def _across(x0: float, x1: float, line: Line) -> bool:
    """Whether the x-range ``x0``-``x1`` and a line's overlap by at least half the narrower one."""
    overlap = min(x1, line.x1) - max(x0, line.x0)
    return overlap >= 0.5 * min(x1 - x0, line.x1 - line.x0)


def _join_line_pieces(lines: list[Line], body: float) -> list[Line]:
    """Note reference markers that pdfium sets on a line of their own (small type, reaching above
    the bottom of the line before) are dropped as ``_drop_note_markers`` drops those inside a line; pieces of one visual
    line (same baseline, left to right) become one line."""
    out: list[Line] = []
    for line in lines:
        if out and line.size < body * _SMALL and _SUPERSCRIPT.match(line.text) and line.top < out[-1].bottom:
            continue
        if out and _same_baseline(out[-1], line):
            previous = out[-1]
            shift = len(previous.text) + 1
            pieces = previous.segments or [(0, previous.x0, previous.x1)]
            for offset, x0, x1 in line.segments or [(0, line.x0, line.x1)]:
                if x0 - pieces[-1][2] > _CELL_GAP * max(line.size, 1.0):
                    pieces.append((offset + shift, x0, x1))
                else:
                    pieces[-1] = (pieces[-1][0], pieces[-1][1], x1)
            previous.segments = pieces if len(pieces) > 1 else []
            previous.text += " " + line.text
            previous.soft_hyphens += [i + shift for i in line.soft_hyphens]
            previous.x1, previous.bottom = line.x1, max(previous.bottom, line.bottom)
            if previous.font != line.font:
                previous.font = ""
            continue
        out.append(line)
    return out


def _drop_capitals(lines: list[Line], body: float) -> list[Line]:
    """``lines`` with each drop capital (one capital letter set at least twice the body size)
    put in front of the line beside its top that starts in lower case (pdfium lists the
    capital apart, often last on its page)."""
    out = list(lines)
    for capital in lines:
        if not (len(capital.text) == 1 and capital.text.isupper() and capital.size >= 2 * body):
            continue
        beside = [line for line in out if line is not capital and line.text[:1].islower()
                  and capital.top - 2 <= line.top <= capital.top + body and 0 <= line.x0 - capital.x1 < 2 * body]
        if beside:
            line = beside[0]
            line.text = capital.text + line.text
            line.soft_hyphens = [i + 1 for i in line.soft_hyphens]
            line.segments = [(offset + 1 if n else 0, x0, x1) for n, (offset, x0, x1) in enumerate(line.segments)]
            line.x0 = capital.x0
            out.remove(capital)
    return out


def _same_baseline(left: Line, right: Line) -> bool:
    overlap = min(left.bottom, right.bottom) - max(left.top, right.top)
    height = min(left.bottom - left.top, right.bottom - right.top)
    return height > 0 and overlap > 0.6 * height and 0 <= right.x0 - left.x1 < 3 * max(left.size, 1.0)


def _footnote_start(lines: list[Line], page: _PageLines, body: float) -> int:
    """Index of the first footnote line: small type from a numbered line to the page foot, and
    above the first numbered one the small lines that end a footnote begun on the page before,
    set close above it (never a source or note line, a caption or a table row: those belong to a
    table or figure; nor small type a blank line or more above the notes, such as a text box)."""
    start = len(lines)
    top = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if line.size >= body * _SMALL or line.top < page.height * 0.4:
            break
        if SOURCE.match(line.text) or is_caption(line) or line.segments:
            top = len(lines)
            if start < len(lines):
                break
            continue
        top = min(top, index)
        if _FOOTNOTE_START.match(line.text):
            start = index
    else:
        index = -1
    if start < len(lines) and top < start and index >= 0 and lines[index].size >= body * _SMALL:
        # The run of small lines reaches up to body text: a footnote going on from the page before,
        # as far as it is set close above the first numbered note. Small lines a blank line or more
        # above it are something else in small type (a text box, a table) between body and notes.
        while start > top and lines[start].top - lines[start - 1].bottom <= _NOTE_GAP * lines[start].size:
            start -= 1
    return start


# --- assembling the text ---------------------------------------------------------------------------


def _mark_debris_blocks(blocks: list[_Block], pages: list[_PageLines]) -> None:
    """Cover page, masthead, contents listing and disclaimer: kept in the text, marked as debris."""
    first_words = sum(len(line.text.split()) for line in pages[0].lines) if pages else 0
    if len(pages) >= 4 and first_words <= _COVER_MAX_WORDS:
        for block in blocks:
            if block.page == 1 and block.kind in ("body", "heading"):
                block.kind = "cover"
    fonts: Counter[str] = sum((page.fonts for page in pages), Counter())
    for block in blocks:  # above the first paragraph of prose: a masthead heads the page
        if block.page != 1 or (block.kind == "body" and sum(len(line.text.split()) for line in block.lines) > _MAX_HEADING_WORDS):
            break
        if block.kind in ("body", "heading") and all(_is_masthead(line, fonts) for line in block.lines):
            block.kind = "masthead"
    for index, block in enumerate(blocks):
        if block.kind == "body" and _is_address_block(block.lines):
            block.kind = "boilerplate"  # an address block: the publisher's name, web address, number
            before = blocks[index - 1] if index else None
            if before is not None and before.kind == "heading" and before.page == block.page and len(
                    before.lines[0].text.split()) <= 6:
                before.kind = "boilerplate"
    in_disclaimer = False
    for block in blocks:
        if block.kind == "heading":
            in_disclaimer = bool(_DISCLAIMER.match(block.lines[0].text))
        if in_disclaimer and block.kind in ("heading", "body"):
            block.kind = "disclaimer"
        elif block.kind == "body" and sum(bool(_LEADERS.search(line.text)) for line in block.lines) * 2 > len(block.lines):
            block.kind = "contents"
        elif block.kind == "heading" and block.lines[0].text.casefold() in ("contents", "table of contents", "figures", "tables"):
            following = blocks[blocks.index(block) + 1] if block is not blocks[-1] else None
            if following is not None and any(_LEADERS.search(line.text) for line in following.lines):
                block.kind = "contents"


def _is_masthead(line: Line, fonts: Counter[str]) -> bool:
    """A heuristic for a masthead or logo line ("CRS INSIGHT", "Legal Sidebari"): a short label
    (at most ``_MASTHEAD_WORDS`` words, no digit, no lower-case word, no comma) on the first page
    above its first paragraph of prose, set in a font that no other text of the document uses. A title, a date or a byline carries
    digits or lower-case words, or shares its font with headings or body text."""
    visible = sum(not char.isspace() for char in line.text)
    return (line.page == 1 and bool(line.font) and fonts[line.font] == visible
            and len(line.text.split()) <= _MASTHEAD_WORDS and not any(char.isdigit() for char in line.text)
            and not _PROSE_MARK.search(line.text))


def _assemble(blocks: list[_Block]) -> tuple[str, list[Page], list[Span]]:
    seen, seen_hyphenated = vocabulary(split_at(line.text, line.soft_hyphens) for block in blocks for line in block.lines)
    parts: list[str] = []
    pages: list[Page] = []
    debris: list[Span] = []
    position = 0
    for block in blocks:
        if parts:
            parts.append("\n\n")
            position += 2
        if block.kind in ("table", "figure"):
            text = _grid_text(block, seen, seen_hyphenated)
            if pages and pages[-1].number == block.page and pages[-1].end >= position - 2:
                pages[-1] = Page(pages[-1].start, position + len(text), block.page)
            else:
                pages.append(Page(position, position + len(text), block.page))
        else:
            text = _paragraph_text(block, position, pages, seen, seen_hyphenated)
        if block.kind in ("cover", "masthead", "contents", "disclaimer", "boilerplate", "figure"):
            debris.append(Span(position, position + len(text), block.kind))
        parts.append(text)
        position += len(text)
    return "".join(parts), pages, debris


def _paragraph_text(block: _Block, position: int, pages: list[Page], seen: frozenset[str],
                    seen_hyphenated: frozenset[str]) -> str:
    """A block's lines joined into one; its page spans added to ``pages`` (a paragraph running
    over a page break is split between its pages)."""
    pieces = [(line.text, line.soft_hyphens) for line in block.lines]
    text, breaks = join_lines(pieces, seen=seen, seen_hyphenated=seen_hyphenated)
    starts = [0] + breaks
    for line, offset, following in zip(block.lines, starts, starts[1:] + [len(text)]):
        if pages and pages[-1].number == line.page and pages[-1].end >= position + offset - 2:
            pages[-1] = Page(pages[-1].start, position + following, line.page)
        else:
            pages.append(Page(position + offset, position + following, line.page))
    return text


def _grid_text(block: _Block, seen: frozenset[str], seen_hyphenated: frozenset[str]) -> str:
    """A table as one line per row, its cells (each cell's lines joined) between " | "; a figure's
    text as one line per line."""
    if block.kind == "figure":
        return "\n".join(line.text for line in block.lines)
    rows = []
    for row in block.rows:
        cells = [join_lines(cell, seen=seen, seen_hyphenated=seen_hyphenated)[0].replace("|", "/") if cell else ""
                 for cell in row]
        rows.append(" | ".join(cells))
    return "\n".join(rows)


def read_pdf(data: bytes) -> PdfText:
    """The cleaned text of a PDF with its pages, debris and the metadata its layout shows.

    Raises EncryptedPdf for a file that needs a password, and pypdfium2's errors for a broken one.
    """
    from ingest.pdf_meta import layout_metadata

    pages, properties = read_pages(data)
    body = _body_size(pages)
    running = _running_keys(pages)
    removed = sorted({line.text for page in pages for line in page.lines if is_running(line, page, running, body)})
    blocks = _blocks(pages, body, running)
    _mark_debris_blocks(blocks, pages)
    text, page_spans, debris = _assemble(blocks)
    meta = layout_metadata(pages, body=body, properties=properties, running=removed)
    return PdfText(text, tuple(page_spans), tuple(debris), meta, tuple(removed))
