"""Sentences of a PDF kept whole where the page layout is not one plain column (issue 14: no line
break inside a sentence of body text): the body type size read by text weight, a text box drawn
out of reading order or set between the body and the footnotes, a job title wrapping into the
bottom margin, a block quotation a sentence runs into, a table going on over a page break.

Each PDF is generated here (reportlab), as small as the rule it checks; the CRS reports that
showed each case are in test_crs_reports.py.
"""

from __future__ import annotations

import io
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ingest.loaders import load_document

Item = tuple[float, float, str, float, str]  # x, baseline from the page top, text, size, font
_HEIGHT = 792.0
_FILLER = [
    "The program supports regional offices that review applications from local governments and",
    "nonprofit groups, and it reports each year on the grants it made and on the work they paid",
    "for across the country, with figures for every state and for each of the last ten years so",
    "that members can compare the regions and see where the money went and what it achieved.",
]


def _fonts() -> None:
    fonts = Path(reportlab.__file__).parent / "fonts"  # Bitstream Vera: pdfium reads its weight
    pdfmetrics.registerFont(TTFont("VeraBd", str(fonts / "VeraBd.ttf")))
    pdfmetrics.registerFont(TTFont("Vera", str(fonts / "Vera.ttf")))


def _pdf(path: Path, pages: list[list[Item]]) -> Path:
    """A PDF whose pages draw their items in the order given (the order pdfium reads them in)."""
    _fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(612, _HEIGHT))
    for items in pages:
        for x, y, text, size, font in items:
            pdf.setFont(font, size)
            pdf.drawString(x, _HEIGHT - y, text)
        pdf.showPage()
    pdf.save()
    path.write_bytes(buffer.getvalue())
    return path


def _lines(texts: list[str], *, top: float, x: float = 72, size: float = 11, pitch: float = 13.5,
           font: str = "Vera") -> list[Item]:
    return [(x, top + n * pitch, text, size, font) for n, text in enumerate(texts)]


def _furniture(page: int) -> list[Item]:
    """A running header and a numbered footer, as on every page of a report."""
    return [(300, 40, "Grants to Regions: An Overview", 8, "Vera"), (72, 760, f"Example Research Service {page}", 8, "Vera")]


def load(path: Path, timeout_s: float = 30.0):
    return load_document(path, source=path.name, max_bytes=20 * 1024 * 1024, timeout_s=timeout_s)


def test_a_job_title_wrapping_into_the_bottom_margin_is_kept_with_its_line(tmp_path: Path) -> None:
    """In Focus author lines: "Specialist in ... and" / "Natural Resources Policy", the second
    line in the bottom margin, looks like a margin label (short, capitalised, no full stop)."""
    pages = [
        _furniture(1) + _lines(_FILLER, top=100, size=10, pitch=12),
        _furniture(2) + _lines(_FILLER[:2] + ["for across the country."], top=100, size=10, pitch=12) + [
            (72, 712, "Jane Doe, Specialist in Agricultural Conservation and", 10, "Vera"),
            (72, 724, "Natural Resources Policy", 10, "Vera"),
        ],
    ]
    text = load(_pdf(tmp_path / "focus.pdf", pages)).text
    assert "Jane Doe, Specialist in Agricultural Conservation and Natural Resources Policy" in text
    assert "Example Research Service" not in text  # the running footer is still furniture


def test_the_body_size_is_read_by_text_weight_not_by_pages_of_small_type(tmp_path: Path) -> None:
    """Two of three pages hold mostly 9 pt text (an appendix), so most pages "vote" for 9 pt; the
    body is 11 pt all the same, and the 9 pt footnote at the foot of page 1 is a footnote, not a
    body paragraph splitting the sentence that runs on to page 2."""
    body = (_FILLER * 4)[:14]
    small = [f"Appendix entry {n}: a region, its offices, its grants and the year each grant was made."
             for n in range(16)]
    pages = [
        _furniture(1) + _lines(body[:-1] + ["The offices expect that the program would"], top=100)
        + [(72, 700, "1 See the annual report of the agency for the figures.", 9, "Vera")],
        _furniture(2) + _lines(["continue through 2030 under the current law."], top=80)
        + _lines(small, top=110, size=9, pitch=11),
        _furniture(3) + _lines(small, top=80, size=9, pitch=11),
    ]
    text = load(_pdf(tmp_path / "weights.pdf", pages)).text
    assert "the program would continue through 2030 under the current law." in text
    notes = text.index("\n\nNotes\n\n")
    assert text.index("1 See the annual report of the agency for the figures.") > notes


def test_a_text_box_between_the_body_and_the_footnotes_is_no_footnote(tmp_path: Path) -> None:
    """A box in small type set above the footnotes, a blank line or more apart from them, whose
    sentence goes on in the box at the top of the next page."""
    pages = [
        _furniture(1) + _lines(_FILLER * 3 + ["that members can compare the regions, as the text box describes."], top=100)
        + [(250, 400, "About the Program", 11, "VeraBd")]
        + _lines(["The program began in 1998 and was renewed twice, most recently in a law that",
                  "lets it keep part of what it collects, so that each year the program pays"], top=418, x=80, size=9, pitch=10.5)
        + _lines(["1 First note of the page, citing the annual report.", "2 Second note of the page."],
                 top=660, size=9, pitch=12),
        _furniture(2) + _lines(["for its staff from fees paid by the regions."], top=80, x=80, size=9)
        + _lines(["The agency reports on the program every year.", *_FILLER[:2]], top=110),
    ]
    text = load(_pdf(tmp_path / "box.pdf", pages)).text
    assert "each year the program pays for its staff from fees paid by the regions." in text
    notes = text.index("\n\nNotes\n\n")
    assert text.index("The program began in 1998") < notes < text.index("1 First note of the page")


def test_a_text_box_drawn_after_the_footnotes_is_read_where_it_is_printed(tmp_path: Path) -> None:
    """The box sits in a gap of the body but the PDF draws it last, after the footnotes: read in
    drawing order, the footnotes were not the page's last lines and stayed in the body."""
    box = ["Who is who: the beneficiary, the opener of the account, each contributor and the",
           "trustee that keeps the account for the child until the growth period ends."]
    pages = [
        _furniture(1) + _lines(_FILLER, top=100)
        + _lines(["Trump-style accounts are retirement accounts with special rules for children.",
                  "Contributions come from several sources, and this section outlines the rules",
                  "that apply to ordinary contributions and to tax-advantaged ones.1"], top=330)
        + _lines(["1 Tax-deductible contributions are not allowed for higher-income taxpayers."], top=690, size=9)
        + _lines(box, top=190, x=80, size=9, pitch=10.5),
    ]
    text = load(_pdf(tmp_path / "drawn-late.pdf", pages)).text
    assert "this section outlines the rules that apply to ordinary contributions and to tax-advantaged ones.1" in text
    assert text.index("the country, with figures") < text.index("Who is who") < text.index("Trump-style accounts")
    assert text.index("1 Tax-deductible contributions") > text.index("\n\nNotes\n\n")


def test_a_sentence_runs_into_a_block_quotation_set_smaller(tmp_path: Path) -> None:
    pages = [
        _lines(_FILLER[:3] + ["that members can compare the regions. The second part of section 9 is a preemption",
                              "clause. It states that"], top=100)
        + _lines(["No State may establish or continue in effect any requirement which is different",
                  "from, or in addition to, any requirement under the provisions of this Act."], top=172, x=108, size=10, pitch=11.5)
        + _lines(["The third part of section 9 is a savings clause that qualifies the preemption clause.",
                  *_FILLER[:2]], top=205),
    ]
    blocks = load(_pdf(tmp_path / "quote.pdf", pages)).text.split("\n\n")
    assert any(block.endswith("It states that No State may establish or continue in effect any requirement "
                              "which is different from, or in addition to, any requirement under the "
                              "provisions of this Act.") for block in blocks)
    assert any(block.startswith("The third part of section 9") for block in blocks)


def _table_pages(first_on_page_two: list[Item]) -> list[list[Item]]:
    """A "Table 1." caption, a subtitle in 10 pt, a 9 pt table running to the foot of page 1,
    then page 2 starting with ``first_on_page_two``."""
    rows = [(1990 + n, f"{10 + n}.5", f"{n % 7 + 1}%") for n in range(34)]
    page_one = _furniture(1) + _lines(_FILLER[:3], top=80) + [
        (72, 130, "Table 1. Grants by Year", 11, "VeraBd"),
        (260, 144, "($, rounded in millions)", 10, "Vera"),
        (72, 160, "Year", 9, "VeraBd"), (250, 160, "Amount", 9, "VeraBd"), (400, 160, "Share", 9, "VeraBd"),
    ]
    for n, (year, amount, share) in enumerate(rows):
        y = 176 + n * 15.5
        page_one += [(72, y, str(year), 9, "Vera"), (250, y, amount, 9, "Vera"), (400, y, share, 9, "Vera")]
    return [page_one, _furniture(2) + first_on_page_two + _lines(_FILLER, top=260)]


def test_a_table_goes_on_over_the_page_break_in_the_type_of_its_rows(tmp_path: Path) -> None:
    """The table's first line below the caption is a subtitle in another size: the rows on the
    next page go on with the table (one row per line), not as body paragraphs."""
    page_two = []
    for n, (year, amount, share) in enumerate([(2024, "75.0", "3%"), (2025, "15.0", "1%"), (2026, "45.0", "2%")]):
        y = 80 + n * 15.5
        page_two += [(72, y, str(year), 9, "Vera"), (250, y, amount, 9, "Vera"), (400, y, share, 9, "Vera")]
    page_two.append((72, 135, "Source: Example Research Service, based on appropriations acts.", 9, "Vera"))
    text = load(_pdf(tmp_path / "table.pdf", _table_pages(page_two))).text
    assert "2023 | 43.5 | 6%" in text
    assert "2024 | 75.0 | 3%\n2025 | 15.0 | 1%\n2026 | 45.0 | 2%" in text


def test_a_page_that_opens_with_the_source_line_of_the_table_before_is_read(tmp_path: Path) -> None:
    """A table at the foot of page 1 whose source line is the first line of page 2 (an empty
    continuation): reading it once looped for ever."""
    source = [(72, 80, "Source: Example Research Service, based on appropriations acts.", 9, "Vera")]
    text = load(_pdf(tmp_path / "source-first.pdf", _table_pages(source)), timeout_s=20.0).text
    assert "Source: Example Research Service, based on appropriations acts." in text
    assert "2023 | 43.5 | 6%" in text


def _address_box_pages(last_line: str, next_page: list[str]) -> list[list[Item]]:
    """Page 1 ends in ``last_line`` above the publisher's address box set at the right of its foot
    (name, web address, report number, in 10 pt: a CRS Insight's first page); page 2 opens with
    ``next_page``."""
    box = [(396, 683, "Example Research Service", 10, "VeraBd"),
           (404, 699.5, "https://reports.example.gov", 10, "Vera"),
           (500, 715, "IN12423", 10, "Vera")]
    return [
        _furniture(1) + _lines(_FILLER[:3] + [last_line], top=500) + box,
        _furniture(2) + _lines(next_page + _FILLER[:2], top=80),
    ]


def test_a_sentence_runs_past_the_address_box_at_the_foot_of_the_first_page(tmp_path: Path) -> None:
    """The report number under the address box is part of the box (debris), not the start of a
    paragraph that the first line of page 2 goes on: the sentence across the page break is whole."""
    pages = _address_box_pages("that members can compare them. The data, released in August",
                               ["2024, show that the program paid for more offices than planned."])
    document = load(_pdf(tmp_path / "insight.pdf", pages))
    text = document.text
    assert "The data, released in August 2024, show that the program paid for more offices than planned." in text
    box = text.index("Example Research Service https://reports.example.gov IN12423")
    assert any(span.kind == "boilerplate" and span.start <= box < span.end and text[span.start:span.end].endswith("IN12423")
               for span in document.debris)
    assert text.count("IN12423") == 1


def test_the_report_number_under_the_address_box_opens_no_paragraph(tmp_path: Path) -> None:
    """Page 1 ends a sentence above the box: page 2 opens a paragraph of its own, without the number."""
    pages = _address_box_pages("that members can compare the regions and see where the money went.",
                               ["Each region negotiates its share with the agency that funds it."])
    text = load(_pdf(tmp_path / "insight.pdf", pages)).text
    assert "\n\nEach region negotiates its share with the agency that funds it." in text
    assert "Example Research Service https://reports.example.gov IN12423\n\n" in text
