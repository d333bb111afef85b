"""Tables, figures and their captions on a PDF page, from line positions (``ingest.pdf`` lines).

A table is read into rows of cells so that the stored text has one row per line with its cells
between " | " (the form ``text.tables`` reads a row with its header in), never its cells joined
as prose. A figure's text (labels inside a chart) is kept apart as one line each.

Where a table is: the lines after a caption that opens with "Table N" down to its source or
note line ("Source:", "Notes:"), the next caption, or the first line in larger type than the
table's own. Columns are the runs of x-ranges that the table's pieces of text share (a piece
is a line, or a part of one apart from the rest by a wide gap, ``Line.segments``); a piece
spanning several columns (a group header) goes to the leftmost. Rows: where the table leaves
extra space between rows, a step between baselines larger than the usual pitch by half a font
size starts a row; in a table set without that space, a line starts a row unless one of its
pieces continues the cell above it (starts in lower case, or the cell so far ends with a comma,
a connective or a hyphen). A heuristic, every rule one of layout, not of one publisher's words;
a table whose rows or columns cannot be found (fewer than two of either, or a table in body
type without a source line under it) is left to the paragraph rules.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from text.captions import CAPTION

if TYPE_CHECKING:
    from ingest.pdf import Line

SOURCE = re.compile(r"^(?:Sources?|Notes?|Source and notes?)\s*:", re.IGNORECASE)
_LEADERS = re.compile(r"(?:\.\s?){4,}\s*\d+\s*$")
_CONTINUES = re.compile(r"(?:[,(&/\-–]|\b(?:and|or|of|the|for|to|in|on|by|with|a|an|at|from))$")
_ROW_SPACE = 0.5  # a step between baselines over the table's usual pitch plus this many font sizes starts a row
_WRAP_PITCH = 1.5  # lines of one cell are set at most this many font sizes apart (baseline to baseline)
_MAX_CAPTION_LINES = 3

Piece = tuple[str, list[int]]  # a cell's line of text and where pdfium removed line-end hyphens in it


@dataclass
class Region:
    """Lines ``[start, end)`` of a page's body lines: a table (with its rows) or a figure's text."""

    start: int
    end: int
    kind: str  # "table" or "figure"
    rows: list[list[list[Piece]]]  # table: rows of cells of pieces; figure: []


def is_caption(line: Line) -> bool:
    return bool(CAPTION.match(line.text)) and not _LEADERS.search(line.text)


def caption_end(lines: list[Line], start: int) -> int:
    """Index after the caption that opens at ``start``: its line and the lines that continue it
    (same type size and weight, the line before ending no sentence)."""
    end = start + 1
    while (end < len(lines) and end - start < _MAX_CAPTION_LINES and lines[end].size == lines[start].size
           and lines[end].bold == lines[start].bold and not re.search(r"[.!?:]$", lines[end - 1].text)
           and not SOURCE.match(lines[end].text) and lines[end].page == lines[start].page):
        end += 1
    return end


def find_regions(lines: list[Line], body: float, continued: float | None = None) -> list[Region]:
    """The tables and figures among one page's lines (in reading order), each after its caption.

    ``continued`` is the type size of a table that ran to the foot of the page before: lines in
    that size at the top of this page go on with it (a table without its caption repeated).
    """
    regions: list[Region] = []
    index = 0
    while index < len(lines):
        carried = index == 0 and continued is not None and lines[0].size == continued and not is_caption(lines[0])
        if not carried and not is_caption(lines[index]):
            index += 1
            continue
        table = carried or lines[index].text.lower().startswith("table")
        start = index if carried else caption_end(lines, index)
        end, sourced = _region_end(lines, start, body, table)
        index = max(end, start, index + 1)  # always onward (a carried region may be empty)
        if end <= start:
            continue
        if not table:
            regions.append(Region(start, end, "figure", []))
            continue
        if lines[start].size >= body and not sourced:
            continue  # a "table" in body type with no source line under it: too uncertain
        if carried and not any(line.segments for line in lines[start:end]):
            continue  # no piece of a row set apart: not the table going on
        rows = table_rows(lines[start:end])
        if rows is not None:
            regions.append(Region(start, end, "table", rows))
    return regions


def _region_end(lines: list[Line], start: int, body: float, table: bool) -> tuple[int, bool]:
    """Where a table or figure that starts at ``start`` ends, and whether a source/note line ends it."""
    if start >= len(lines):
        return start, False
    size = lines[start].size
    for index in range(start, len(lines)):
        line = lines[index]
        if SOURCE.match(line.text):
            return index, True
        if is_caption(line) or line.size > size + 0.5:
            return index, False
        if not table and line.size >= body:
            return index, False  # a figure's labels are in small type; body text resumes
    return len(lines), False


@dataclass
class _Cell:
    text: str
    soft: list[int]
    x0: float
    x1: float
    baseline: float
    size: float


def _pieces(line: Line) -> list[_Cell]:
    if not line.segments:
        return [_Cell(line.text, line.soft_hyphens, line.x0, line.x1, line.baseline or line.bottom, line.size)]
    out = []
    bounds = [offset for offset, _, _ in line.segments] + [len(line.text)]
    for (offset, x0, x1), following in zip(line.segments, bounds[1:]):
        raw = line.text[offset:following]
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        soft = [p - offset - lead for p in line.soft_hyphens if offset + lead <= p <= offset + lead + len(text)]
        if text:
            out.append(_Cell(text, soft, x0, x1, line.baseline or line.bottom, line.size))
    return out


def _columns(pieces: list[_Cell]) -> list[tuple[float, float]]:
    """Column x-ranges: the pieces' x-ranges merged where they overlap, narrowest first, so a
    piece spanning two columns already found (a group header) merges nothing."""
    columns: list[list[float]] = []
    for piece in sorted(pieces, key=lambda p: p.x1 - p.x0):
        overlapping = [c for c in columns if piece.x0 < c[1] - 1 and c[0] < piece.x1 - 1]
        if not overlapping:
            columns.append([piece.x0, piece.x1])
        elif len(overlapping) == 1:
            overlapping[0][0], overlapping[0][1] = min(overlapping[0][0], piece.x0), max(overlapping[0][1], piece.x1)
    # A column holding only a header cell or two, which a wider piece spans together with a
    # column of many pieces, is that column's header set off-centre ("Office" over row labels).
    hits = [[i for i, c in enumerate(columns) if p.x0 < c[1] - 1 and c[0] < p.x1 - 1] for p in pieces]
    counts = [sum(1 for hit in hits if hit == [i]) for i in range(len(columns))]
    for piece, hit in zip(pieces, hits):
        if len(hit) >= 2 and sum(counts[i] > 2 for i in hit) == 1:
            for i in hit:
                columns[i][0], columns[i][1] = min(columns[i][0], piece.x0), max(columns[i][1], piece.x1)
    columns.sort()
    merged: list[list[float]] = []
    for column in columns:  # widening may have made two columns overlap
        if merged and column[0] < merged[-1][1] - 1:
            merged[-1][1] = max(merged[-1][1], column[1])
        else:
            merged.append(column)
    return [(a, b) for a, b in merged]


def _column_of(piece: _Cell, columns: list[tuple[float, float]]) -> int:
    overlaps = [min(piece.x1, b) - max(piece.x0, a) for a, b in columns]
    best = max(overlaps)
    if best <= 0:
        return min(range(len(columns)), key=lambda i: abs(columns[i][0] - piece.x0))
    return overlaps.index(best) if sum(o > 1 for o in overlaps) < 2 else next(i for i, o in enumerate(overlaps) if o > 1)


def table_rows(lines: list[Line]) -> list[list[list[Piece]]] | None:
    """The rows of a table's lines, each a list of cells (one per column, maybe empty), each cell
    the pieces of text in it top to bottom; None where fewer than two rows or columns are found."""
    pieces = [piece for line in lines for piece in _pieces(line)]
    if len(pieces) < 4:
        return None
    columns = _columns(pieces)
    if len(columns) < 2:
        return None
    # Visual lines: pieces on one baseline (pdfium gives a table column by column).
    pieces.sort(key=lambda p: (p.baseline, p.x0))
    visual: list[list[_Cell]] = []
    for piece in pieces:
        if visual and abs(piece.baseline - visual[-1][0].baseline) <= 0.3 * max(piece.size, 1.0):
            visual[-1].append(piece)
        else:
            visual.append([piece])
    steps = [b[0].baseline - a[0].baseline for a, b in zip(visual, visual[1:])]
    size = statistics.median(p.size for p in pieces) or 1.0
    pitch = min(steps) if steps else 0.0
    spaced = any(step > pitch + _ROW_SPACE * size for step in steps)
    # Every line set further apart than the lines of a wrapped cell can be: one row per line.
    apart = not spaced and pitch > _WRAP_PITCH * size
    rows: list[list[list[_Cell]]] = []
    previous_baseline = None
    for group in visual:
        placed = [(_column_of(piece, columns), piece) for piece in group]
        if not rows or apart:
            new = True
        elif spaced:
            new = group[0].baseline - (previous_baseline or 0.0) > pitch + _ROW_SPACE * size
        else:
            row = rows[-1]
            continues = any(row[c] and (p.text[:1].islower() or _CONTINUES.search(row[c][-1].text))
                            for c, p in placed)
            new = not continues and any(row[c] for c, _ in placed)
        if new:
            rows.append([[] for _ in columns])
        for column, piece in placed:
            rows[-1][column].append(piece)
        previous_baseline = group[0].baseline
    if len(rows) < 2:
        return None
    rows = _tidy(rows, columns)
    return [[[(p.text, p.soft) for p in cell] for cell in row] for row in rows]


_NUMBER = re.compile(r"^[$€£]?[-–]?[\d.,]*\d[\d.,]*%?$|^[—–-]$")  # a figure or a dash standing for none
_WHOLLY_BRACKETED = re.compile(r"^\(.*\)$")
_YEAR = re.compile(r"\b(?:FY\s?)?(?:19|20)\d\d\b")
_CENTRED = 0.05  # a line whose centre is this share of the table's width from the table's centre is centred on it

Grid = list[list[list[_Cell]]]


def _tidy(rows: Grid, columns: list[tuple[float, float]]) -> Grid:
    """A table's rows with its header read as one: the layout rules of ``table_rows`` place
    each piece in a column; these repair what a header set above or beside its columns leaves.

    In order: a column no row fills is dropped; a line above the header that holds one cell
    (a unit note such as "($ in millions)", a subtitle spanning or centred on the table) becomes a row of
    one cell, which ``_grid_text`` writes as a line without cells, so that the header is the
    first row (``text.tables.header_of``); or, set inside one column above a header cell, is
    part of that cell ("Taxable" / "Brokerage" / "Account"). A header whose first cell is
    empty and whose next row has no figure in it continues in that row ("FY2026 | FY2027"
    over "Account | Enacted | Request"). A column filled only in the header, with the column
    to its left empty there, is that column's header set off-centre. A cell holding a run
    of figures with as many empty cells after it holds them all ("$8,816.3 $9,202.0 |"). A
    row label ending with a comma or connective, alone in its row, goes on in the next row
    that starts in lower case. A heuristic of layout and typography; what it changed over
    the 69 CRS reports is in the commit that added it.
    """
    rows = _drop_empty_columns(rows)
    low, high = min(a for a, _ in columns), max(b for _, b in columns)
    head = next((i for i, row in enumerate(rows) if sum(1 for cell in row if cell) >= 2), None)
    if head is None:
        return rows
    for index in range(head - 1, -1, -1):  # the one-cell lines above the header, nearest first
        filled = [c for c, cell in enumerate(rows[index]) if cell]
        if len(filled) != 1:
            continue
        column = filled[0]
        cell = rows[index][column]
        text = " ".join(p.text for p in cell)
        spans = sum(1 for a, b in columns if any(p.x0 < b - 1 and a < p.x1 - 1 for p in cell)) >= 2
        left, right = min(p.x0 for p in cell), max(p.x1 for p in cell)
        centred = abs((left + right) - (low + high)) / 2 <= _CENTRED * (high - low)
        if spans or centred or _WHOLLY_BRACKETED.match(text) or not rows[head][column]:
            rows[index] = [cell]  # a line of its own above the table
        elif index + 1 == head and not text.endswith(":") and not _has_figure(rows[head][column]):
            rows[head][column] = cell + rows[head][column]  # the header cell's first line
            del rows[index]
            head -= 1
    header = rows[head]
    if (len(rows) > head + 2 and not header[0] and any(_YEAR.search(p.text) for cell in header for p in cell)
            and sum(1 for cell in rows[head + 1] if cell) >= 2
            and len(rows[head + 1]) == len(header)
            and not any(_has_figure(cell) for cell in rows[head + 1])
            and any(_has_figure(cell) for cell in rows[head + 2])):
        rows[head] = [a + b for a, b in zip(header, rows[head + 1])]
        del rows[head + 1]
    rows = _shift_header_cells(rows, head)
    return _join_labels([_spread_figures(row) for row in rows])


def _has_figure(cell: list[_Cell]) -> bool:
    return any(ch.isdigit() for piece in cell for ch in piece.text)


def _drop_empty_columns(rows: Grid) -> Grid:
    width = max(len(row) for row in rows)
    keep = [c for c in range(width) if any(c < len(row) and row[c] for row in rows)]
    return [[row[c] for c in keep if c < len(row)] for row in rows]


def _shift_header_cells(rows: Grid, head: int) -> Grid:
    """Columns filled only at or above the header row ``head`` (at least two rows below it) whose
    left neighbour is empty there: the header cell moves left, the column goes."""
    if len(rows) - head - 1 < 2:
        return rows
    moved = True
    while moved:
        moved = False
        width = len(rows[head])
        for column in range(1, width):
            body = [row for row in rows[head + 1:] if len(row) == width]
            top = [row for row in rows[:head + 1] if len(row) == width]
            if any(row[column] for row in body) or any(row[column - 1] for row in top):
                continue
            for row in top:
                row[column - 1] = row[column]
            rows = [row[:column] + row[column + 1:] if len(row) == width else row for row in rows]
            moved = True
            break
    return rows


def _spread_figures(row: list[list[_Cell]]) -> list[list[_Cell]]:
    """A cell of one piece that is a run of k figures, followed by k - 1 empty cells, spread over them."""
    for column, cell in enumerate(row):
        if len(cell) != 1:
            continue
        words = cell[0].text.split()
        if len(words) < 2 or not all(_NUMBER.match(w) for w in words):
            continue
        after = row[column + 1:column + len(words)]
        if len(after) == len(words) - 1 and not any(after):
            piece = cell[0]
            for offset, word in enumerate(words):
                row[column + offset] = [_Cell(word, [], piece.x0, piece.x1, piece.baseline, piece.size)]
            return row
    return row


def _join_labels(rows: Grid) -> Grid:
    """A row whose only text is a label ending with a comma or connective, followed by a row of
    the same width whose label starts in lower case: one row."""
    out: Grid = []
    for row in rows:
        previous = out[-1] if out else None
        if (previous is not None and len(previous) == len(row) > 1 and previous[0] and not any(previous[1:])
                and row[0] and row[0][0].text[:1].islower() and _CONTINUES.search(previous[0][-1].text)):
            out[-1] = [previous[0] + row[0]] + row[1:]
            continue
        out.append(row)
    return out
