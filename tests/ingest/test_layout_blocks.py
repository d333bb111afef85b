"""Tables, captions and source lines of a PDF as blocks of their own; soft line breaks in DOCX
and HTML joined where they wrap a sentence (issue 14: text as a reader reads it).

The files are generated here (reportlab, python-docx, an HTML string), each as small as the
rule it checks; the CRS reports through the whole ingest are in test_crs_reports.py.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from text.tables import header_of, row_reading
from ingest.loaders import load_document
from ingest.text import join_wraps
from text.sentences import sentence_spans


def load(path: Path):
    return load_document(path, source=path.name, max_bytes=20 * 1024 * 1024, timeout_s=30.0)


def _report_with_a_table(path: Path) -> Path:
    """A page of body text in 11 pt, a "Table 1." caption, a three-column table in 9 pt whose
    first cells wrap onto a second line, a source line, and body text again."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(612, 792))
    y = 720.0

    def line(text: str, x: float = 72, size: float = 11, font: str = "Helvetica") -> None:
        pdf.setFont(font, size)
        pdf.drawString(x, y, text)

    for text in ("The accord sets budgets for three regions, shown in the table below, and",
                 "caps irrigation withdrawals at four percent of the river flow each year."):
        line(text)
        y -= 13.5
    y -= 10
    line("Table 1. Budgets by Region", font="Helvetica-Bold")
    y -= 20
    line("Region", size=9, font="Helvetica-Bold")
    line("2024 budget", x=250, size=9, font="Helvetica-Bold")
    line("2025 budget", x=400, size=9, font="Helvetica-Bold")
    y -= 16
    for cells in (("Northern river", "14.2 million", "11.8 million"), ("Southern coast", "9.1 million", "9.6 million")):
        line(cells[0], size=9)
        line(cells[1], x=250, size=9)
        line(cells[2], x=400, size=9)
        y -= 10.5
        line("basin and delta" if cells[0].startswith("Northern") else "and islands", size=9)
        y -= 16
    line("Source: Ministry of Water, annual budget statement for 2025,", size=9)
    y -= 10.5
    line("published in March 2025.", size=9)
    y -= 24
    line("The northern budget falls by a sixth, the largest cut of the three regions.")
    pdf.showPage()
    pdf.save()
    path.write_bytes(buffer.getvalue())
    return path


def test_a_pdf_table_is_stored_one_row_per_line_with_its_cells_apart(tmp_path: Path) -> None:
    doc = load(_report_with_a_table(tmp_path / "regions.pdf"))
    text = doc.text
    blocks = text.split("\n\n")
    assert blocks[0] == ("The accord sets budgets for three regions, shown in the table below, and caps "
                         "irrigation withdrawals at four percent of the river flow each year.")
    assert "Table 1. Budgets by Region" in blocks  # the caption is a block of its own
    table = blocks[blocks.index("Table 1. Budgets by Region") + 1]
    assert table.split("\n") == [
        "Region | 2024 budget | 2025 budget",
        "Northern river basin and delta | 14.2 million | 11.8 million",  # a wrapped cell stays in its row
        "Southern coast and islands | 9.1 million | 9.6 million",
    ]
    # The source line is its own block, its two lines joined, never joined to the table or the body.
    assert "Source: Ministry of Water, annual budget statement for 2025, published in March 2025." in blocks
    assert blocks[-1] == "The northern budget falls by a sixth, the largest cut of the three regions."
    # A row reads with its header (the answerer's table rows), and is cited as stored.
    start = text.index("Northern river")
    end = text.index("\n", start)
    assert header_of(text, start) == ["Region", "2024 budget", "2025 budget"]
    assert row_reading(text, start, end) == ("Region: Northern river basin and delta; 2024 budget: 14.2 million; "
                                             "2025 budget: 11.8 million")
    # Every page span lies in the text, and the table is on page 1.
    assert [(p.number, p.start, p.end) for p in doc.pages] == [(1, 0, len(text))]


def test_join_wraps_joins_wraps_and_keeps_lines_that_stand_alone() -> None:
    assert join_wraps("The accord caps withdrawals at\n4 percent of flow.") == "The accord caps withdrawals at 4 percent of flow."
    assert join_wraps("signed by the\nminister in May.") == "signed by the minister in May."
    assert join_wraps("the inter-\nnational partners") == "the international partners"  # a word: hyphen dropped
    assert join_wraps("a consumer-\noriented market") == "a consumer-oriented market"  # not one word: kept
    # Lines that stand alone: a name block, a finished sentence, a list item.
    assert join_wraps("Jane Doe\nDirector\nPolicy Institute") == "Jane Doe\nDirector\nPolicy Institute"
    assert join_wraps("It ended.\nthen more") == "It ended.\nthen more"
    assert join_wraps("Options include\n- tariffs") == "Options include\n- tariffs"


def test_docx_soft_line_breaks_inside_a_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("The accord caps Velorian irrigation withdrawals at").add_break()
    paragraph.add_run("4 percent of the river flow, agreed by the inter-").add_break()
    paragraph.add_run("national partners.")
    address = document.add_paragraph()
    address.add_run("Jane Doe").add_break()
    address.add_run("Director")
    path = tmp_path / "accord.docx"
    document.save(str(path))
    doc = load(path)
    sentence = ("The accord caps Velorian irrigation withdrawals at 4 percent of the river flow, agreed by "
                "the international partners.")
    assert doc.text == sentence + "\n\nJane Doe\nDirector"
    assert [doc.text[s:e] for s, e in sentence_spans(doc.text)][0] == sentence


def test_html_line_breaks_inside_a_paragraph(tmp_path: Path) -> None:
    filler = " ".join(["Water budgets were debated at length by the regional council in public sessions."] * 3)
    html = ("<html><head><title>Velorian accord</title></head><body><article><h1>The Velorian accord</h1>"
            "<p>The accord caps Velorian irrigation withdrawals at<br>4 percent of the river flow, and the inter-<br>"
            "national partners agreed to it in a long meeting in the capital.</p>"
            f"<p>Jane Doe<br>Director<br>Policy Institute</p><p>{filler}</p></article></body></html>")
    path = tmp_path / "accord.html"
    path.write_text(html, encoding="utf-8")
    doc = load(path)
    assert ("The accord caps Velorian irrigation withdrawals at 4 percent of the river flow, and the "
            "international partners agreed to it in a long meeting in the capital.") in doc.text.split("\n")
    assert "Jane Doe\nDirector\nPolicy Institute" in doc.text


def test_a_table_row_and_a_caption_are_one_unit_for_the_splitter_and_the_answerer() -> None:
    from answer.units import unit_spans
    from text.captions import keep_whole, whole_lines

    text = ("Figure 1. Value of U.S. Agricultural Trade\n\nProgram | U.S. Code | Mechanism\n"
            "EDA Adjustment | 42 U.S.C. §3149 | Grants to lenders. Most funds make loans.\n\n"
            "Figure 1 presents the trend. It rises.")
    units = [text[s:e] for s, e in unit_spans(text)]
    assert units == ["Figure 1. Value of U.S. Agricultural Trade", "Program | U.S. Code | Mechanism",
                     "EDA Adjustment | 42 U.S.C. §3149 | Grants to lenders. Most funds make loans.",
                     "Figure 1 presents the trend.", "It rises."]
    assert [text[s:e] for s, e in keep_whole(sentence_spans(text), whole_lines(text))] == units



def _bold_lead_in(path: Path) -> Path:
    """A paragraph whose bold lead-in sentence fills three lines (the first reads as a bold
    heading: short, no full stop, the next line capitalised), the third ending in the regular
    sentence's first words (pdfium calls the line bold), then that sentence going on in
    regular type on the next line, in lower case."""
    fonts = Path(reportlab.__file__).parent / "fonts"  # Bitstream Vera: pdfium reads its weight
    pdfmetrics.registerFont(TTFont("VeraBd", str(fonts / "VeraBd.ttf")))
    pdfmetrics.registerFont(TTFont("Vera", str(fonts / "Vera.ttf")))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(612, 792))
    y = 720.0
    lines = [
        ("VeraBd", "Congress may choose to clarify in statute some of its earlier direction for"),
        ("VeraBd", "Program X, and it may weigh whether its resources match the priorities of the"),
        ("VeraBd", "budget and its planned refinement. Many directives for Program X have"),
        ("Vera", "been included in appropriations language, with most statutory authorizations for the"),
        ("Vera", "program relating to annual reporting on its progress and its costs."),
    ]
    for font, text in lines:
        pdf.setFont(font, 11)
        pdf.drawString(72, y, text)
        y -= 13.5
    pdf.showPage()
    pdf.save()
    path.write_bytes(buffer.getvalue())
    return path


def test_a_bold_lead_in_sentence_is_not_a_heading_and_its_sentence_goes_on(tmp_path: Path) -> None:
    doc = load(_bold_lead_in(tmp_path / "lead.pdf"))
    assert doc.text == (
        "Congress may choose to clarify in statute some of its earlier direction for Program X, and it may "
        "weigh whether its resources match the priorities of the budget and its planned refinement. Many "
        "directives for Program X have been included in appropriations language, with most statutory "
        "authorizations for the program relating to annual reporting on its progress and its costs."
    )
