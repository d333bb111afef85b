"""Note reference markers and mastheads of generated PDFs (issue 14, from a browser trial over
CRS reports): a superscript note number is no digit of the body text, and a masthead or logo
line heading the first page is debris, not body text.

The PDFs are generated here (reportlab); the CRS reports that showed both are in
test_crs_reports.py.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.pdfgen import canvas

from ingest.loaders import load_document
from tests.ingest.test_pdf_reading_order import _fonts

_HEIGHT = 792.0
Piece = tuple[str, float, float, str]  # text, size, rise (points above the baseline), font


def _pdf(path: Path, lines: list[tuple[float, float, list[Piece]]], pages: int = 1) -> Path:
    """One PDF page per ``pages``; the first draws each line at (x, baseline from the top) as
    pieces set one after the other, a piece with a rise set raised (a superscript)."""
    _fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(612, _HEIGHT))
    for page in range(pages):
        for x, y, pieces in lines if page == 0 else [(72, 100, [("The second page goes on with more text here.", 11, 0, "Vera")])]:
            for text, size, rise, font in pieces:
                pdf.setFont(font, size)
                pdf.drawString(x, _HEIGHT - y + rise, text)
                x += pdf.stringWidth(text, font, size)
        pdf.showPage()
    pdf.save()
    path.write_bytes(buffer.getvalue())
    return path


def _body(text: str) -> list[Piece]:
    return [(text, 11, 0, "Vera")]


def test_superscript_note_markers_leave_the_body_text_and_notes_keep_their_numbers(tmp_path: Path) -> None:
    lines = [
        (72, 100, [("Title of the Example Report", 16, 0, "VeraBd")]),
        (72, 140, [("The fund drew on contract authority (CA),", 11, 0, "Vera"), ("2", 7, 4, "Vera"),
                   (" advance appropriations and loans worth $400,000 in", 11, 0, "Vera")]),
        (72, 154, [("2025 under section 12 of the act, as a source of new funding.", 11, 0, "Vera"),
                   ("88", 7, 4, "Vera"), (" Private", 11, 0, "Vera")]),
        (72, 168, _body("donors gave more than the 3 states did in the years before the act and after it.")),
        (72, 700, [("2", 6, 3, "Vera"), (" Contract authority is a form of budget authority.", 9, 0, "Vera")]),
        (72, 712, [("88", 6, 3, "Vera"), (" See the report of the committee.", 9, 0, "Vera")]),
    ]
    doc = load_document(_pdf(tmp_path / "notes.pdf", lines), source="notes.pdf", max_bytes=10**7, timeout_s=30)
    assert "contract authority (CA), advance appropriations and loans worth $400,000 in 2025 under section 12" in doc.text
    assert "source of new funding. Private donors gave more than the 3 states did" in doc.text
    notes = doc.text[doc.text.index("\n\nNotes\n\n"):]
    assert "\n\n2 Contract authority is a form of budget authority." in notes
    assert "\n\n88 See the report of the committee." in notes


def test_a_masthead_heading_the_first_page_is_debris(tmp_path: Path) -> None:
    """A label and a logo line in fonts used nowhere else ("EXAMPLE INSIGHT", "INSIGHTi") above
    the title; a heading further down in a font of its own stays text."""
    filler = "The program supports regional offices that review applications from local governments."
    lines = [
        (72, 60, [("EXAMPLE INSIGHT", 8, 0, "Helvetica-Bold")]),
        (480, 90, [("INSIGHTi", 18, 0, "Courier-Bold")]),
        (72, 130, [("Title of the Example Insight", 16, 0, "VeraBd")]),
        (72, 160, _body("Updated April 21, 2026")),
        *[(72, 190 + 14 * n, _body(filler)) for n in range(4)],
        (72, 260, [("Regional Offices", 12, 0, "Times-Bold")]),
        *[(72, 280 + 14 * n, _body(filler)) for n in range(3)],
    ]
    doc = load_document(_pdf(tmp_path / "insight.pdf", lines, pages=2), source="insight.pdf", max_bytes=10**7, timeout_s=30)
    marked = {doc.text[span.start:span.end]: span.kind for span in doc.debris}
    assert marked.get("EXAMPLE INSIGHT") == "masthead" and marked.get("INSIGHTi") == "masthead"
    assert marked.get("Updated April 21, 2026") != "masthead"  # a dateline (debris of its own kind)
    for kept in ("Title of the Example Insight", "Regional Offices"):
        start = doc.text.index(kept)
        assert not any(span.start <= start < span.end for span in doc.debris), kept
