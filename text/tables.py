"""Table rows as answer units: a row of a table, read with its header row.

Loaders write a table one row per line with cells between ``|`` (``ingest.loaders`` for DOCX;
Markdown tables are written so by their authors). A row alone ("Northern | 14.2 million |
11.8 million") does not say which figure is which; with its header it does ("Region: Northern;
2024 budget: 14.2 million; 2025 budget: 11.8 million"). That reading is what a row is scored
and shown as; the citation still quotes the row exactly as stored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SEPARATOR_CELL = re.compile(r"^:?-{3,}:?$")  # a Markdown header rule: |---|:---:|
_NOTE_WORDS = 25  # a table's unit line or subtitle is at most this long; a longer line is a paragraph


def cells(line: str) -> list[str] | None:
    """The cells of a table row line, or None when the line is not one (fewer than two cells).

    The outer pipes of a Markdown row are optional; a Markdown header rule (``|---|---|``) is
    not a row. A line opening with " |" is the loaders' form of a row whose first cell is empty
    (cells joined by " | ", ``ingest.pdf``, ``ingest.loaders``: a header over a column of row labels,
    " | FY2023 Enacted | FY2024 Enacted"): that cell is kept, so the header is as wide as its rows.
    """
    if "|" not in line:
        return None
    body = line.strip()
    if body.startswith("|") and not line.startswith(" |"):
        body = body[1:]
    elif body.startswith("|"):  # " | FY2023 | FY2024": the loaders' row whose first cell is empty (a row-label column)
        body = " " + body
    if body.endswith("|"):
        body = body[:-1]
    parts = [p.strip() for p in body.split("|")]
    if len(parts) < 2 or not any(parts) or all(_SEPARATOR_CELL.match(p) for p in parts if p):
        return None
    return parts


def _is_rule(line: str) -> bool:
    body = line.strip().strip("|")
    parts = [p.strip() for p in body.split("|")]
    return "|" in line and len(parts) >= 2 and all(_SEPARATOR_CELL.match(p) for p in parts if p) and any(parts)


def header_of(text: str, start: int, above: Sequence[str] = ()) -> list[str] | None:
    """The header cells of the table whose row begins at ``start`` of ``text``, or None.

    The header is the first row of the run of consecutive row lines (same number of cells)
    that holds this row; a row that is itself the first has no header above it (it is one).
    ``above`` is the header of a table that began before ``text`` (a passage that opens inside
    a table, ``table_header``): a run reaching the start of ``text`` with that many cells has it.
    """
    return _header(text, start, above)[0]


def _header(text: str, start: int, above: Sequence[str]) -> tuple[list[str] | None, int | None]:
    """``header_of`` and where the header's line starts in ``text`` (None when it is ``above`` or none)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    row = cells(text[line_start:line_end if line_end >= 0 else len(text)])
    if row is None:
        return None, None
    header: list[str] | None = None
    at: int | None = None
    end = line_start - 1
    while end > 0:
        begin = text.rfind("\n", 0, end) + 1
        line = text[begin:end]
        if _is_rule(line):
            end = begin - 1
            continue
        found = cells(line)
        if found is None or len(found) != len(row):
            break
        header, at = found, begin
        end = begin - 1
        if begin == 0 and len(above) == len(row):
            return list(above), None
    if line_start == 0 and len(above) == len(row):
        return list(above), None
    return header, at


def table_note(text: str, header_start: int) -> str:
    """The line set right over a table's header row at ``header_start`` of ``text`` when it is one
    of the table's own: a unit line or subtitle ("($ in millions)", "Fiscal years 2015 through
    2024, in millions of nominal dollars"; ``ingest.pdf_tables`` writes it so), that is a line of
    at most ``_NOTE_WORDS`` words, no row, with a blank line or the text's start above it; ""
    otherwise. A caption set right over its header (no blank line between) is read as the note:
    it says which table the row is from."""
    if header_start <= 0:
        return ""
    end = header_start - 1
    begin = text.rfind("\n", 0, end) + 1
    line = text[begin:end].strip()
    if (not line or cells(line) is not None or len(line.split()) > _NOTE_WORDS
            or (begin > 0 and text[:begin - 1].rsplit("\n", 1)[-1].strip())):
        return ""
    return line


def read_row(row: list[str], header: list[str] | None, note: str = "") -> str:
    """A row as a sentence: "Region: Northern; 2024 budget: 14.2 million; 2025 budget: 11.8 million"
    with its header, the cells joined by "; " without one; empty cells left out; the table's
    ``note`` (``table_note``) after it, in brackets: "...; FY2027 Request: 417.0 ($ in millions)"."""
    if not header:
        reading = "; ".join(c for c in row if c)
    else:
        reading = "; ".join(f"{h}: {v}" if h else v for h, v in zip(header, row) if v)
    if note:
        reading += f" {note}" if note.startswith("(") and note.endswith(")") else f" ({note})"
    return reading


def row_reading(text: str, start: int, end: int, above: Sequence[str] = (), above_note: str = "") -> str | None:
    """How the table row ``text[start:end]`` reads with its header and the table's note (``read_row``);
    None when the span is not a whole table row line, "" when it is a header row (a header answers
    nothing). ``above`` and ``above_note``: the header and note of a table that began before
    ``text`` (see ``header_of``, ``table_note``)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return None
    row = cells(text[start:end])
    if row is None:
        return None
    header, at = _header(text, start, above)
    if header is None and _row_below(text, line_end, len(row)):
        return ""
    note = table_note(text, at) if at is not None else above_note if header is not None else ""
    return read_row(row, header, note)


def table_header(document: str, start: int) -> tuple[str, ...]:
    """The header cells of the table that ``document[start:]`` opens inside, or ``()``.

    A passage cut from a long table ("2010 | $19 million" … under "Fiscal Year | Appropriation"
    in the passage before) holds no header of its own: read alone, its first row would be taken
    for the header. Given the passage's start in its whole document, this is the header of the
    table row run that the passage's first line continues; ``()`` when that line is not a row,
    or is the first row of its table.
    """
    line_end = document.find("\n", start)
    line_end = len(document) if line_end < 0 else line_end
    if start > 0 and document[start - 1] != "\n" or cells(document[start:line_end]) is None:
        return ()
    header = header_of(document, start)
    return tuple(header) if header is not None else ()


def opened_table_note(document: str, start: int) -> str:
    """The note (``table_note``) of the table that ``document[start:]`` opens inside, or ""
    (as ``table_header``: a passage cut from a long table holds neither its header nor its note)."""
    line_end = document.find("\n", start)
    line_end = len(document) if line_end < 0 else line_end
    if start > 0 and document[start - 1] != "\n" or cells(document[start:line_end]) is None:
        return ""
    header, at = _header(document, start, ())
    return table_note(document, at) if header is not None and at is not None else ""


def _row_below(text: str, line_end: int, width: int) -> bool:
    """Whether the line after ``line_end`` (a header rule skipped) is a row of ``width`` cells."""
    while line_end < len(text):
        begin = line_end + 1
        end = text.find("\n", begin)
        end = len(text) if end < 0 else end
        line = text[begin:end]
        if not _is_rule(line):
            below = cells(line)
            return below is not None and len(below) == width
        line_end = end
    return False
