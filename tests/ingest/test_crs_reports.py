"""Real CRS reports through the whole ingest: a two-column In Focus, a long Report with a cover,
contents, footnotes and running headers, and a Legal Sidebar (issue 14, item 7).

Asserts on the stored passages (no running header or footer line, sentences whole), the
metadata against the hand-checked table (tests/data/crs_metadata.jsonl), spans and pages.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from ingest.sync import Syncer, SyncOptions
from settings import REPO_ROOT
from tests.ingest.test_sync import assert_consistent
from text.sentences import sentence_spans

pytestmark = pytest.mark.slow

CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "crs-reports"
REPORTS = ("IF12155.pdf", "R47573.4.pdf", "LSB11417.1.pdf")
TABLE = REPO_ROOT / "tests" / "data" / "crs_metadata.jsonl"
# Page furniture of these reports, as printed: none of it may reach a passage.
FURNITURE = re.compile(r"Congressional Research Service \d|crsreports\.congress\.gov|· VERSION \d|^\d{1,3}$", re.MULTILINE)


@pytest.fixture(scope="module")
def expected() -> dict[str, dict]:
    rows = [json.loads(line) for line in TABLE.read_text(encoding="utf-8").splitlines()]
    return {Path(row["path"]).name: row for row in rows if "path" in row}


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory):
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is not here")
    from tests.fixtures import bundled_embedder
    from vectorstore.store import open_store

    real_embedder = bundled_embedder()
    tmp_path = tmp_path_factory.mktemp("crs")
    store = open_store(path=str(tmp_path / "store"), model=real_embedder.name, dimension=real_embedder.dimension)
    folder = tmp_path / "crs"
    folder.mkdir()
    for name in REPORTS:
        shutil.copy(CORPUS / name, folder / name)
    report = Syncer(store, real_embedder, SyncOptions()).sync([folder])
    assert report.failed == [] and report.added == len(REPORTS)
    return store


def test_crs_reports_are_stored_as_a_reader_reads_them(synced, expected) -> None:
    store = synced
    assert_consistent(store)  # every passage is text[start:end] of its stored document
    for entry in store.manifest().values():
        (name,) = entry.sources
        row = expected[name]
        assert (entry.title, entry.date, entry.series) == (row["title"], row["date"], row["series"]), name
        assert set(entry.authors) == set(row["authors"]), name
        text = store.document_text(entry.doc_id)
        chunks = store.get_chunks(list(entry.chunk_ids))
        debris = entry.debris
        for chunk in chunks:
            assert not FURNITURE.search(chunk.text), (name, chunk.text[:200])
            assert not any(span.start < chunk.end and chunk.start < span.end for span in debris), name
            # A line break only ever separates paragraphs: every sentence of a passage lies within one line.
            for start, end in sentence_spans(chunk.text):
                assert "\n" not in chunk.text[start:end]
        # No paragraph ends mid-sentence with the sentence going on in the next one.
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        cut = [(a[-60:], b[:40]) for a, b in zip(paragraphs, paragraphs[1:])
               if not re.search(r"[.!?:;\"”)\]]$", a) and b[:1].islower() and not b.startswith("http")]
        assert cut == [], (name, cut)
        assert all(chunk.page is not None for chunk in chunks)


def test_pages_of_a_long_report_and_its_footnotes(synced) -> None:
    store = synced
    entry = next(e for e in store.manifest().values() if e.sources == ("R47573.4.pdf",))
    text = store.document_text(entry.doc_id)
    chunks = sorted(store.get_chunks(list(entry.chunk_ids)), key=lambda c: c.start)
    # "Table 1" is printed on page 6 (page 2 of the numbered body), footnote 3 on the same page.
    caption = "Table 1. IIJA Highway and Public Transportation Funding by Funding Type"
    table = text.index(caption, text.index(caption) + 1)  # the first is in the contents listing
    holder = next(c for c in chunks if c.start <= table < c.end)
    assert holder.page_at(table) == 6
    # Footnotes are kept (searchable) but after the body, under "Notes", each with its page.
    notes = text.index("\n\nNotes\n\n")
    footnote = text.index("3 70 Stat. 387-388, Highway Revenue Act of 1956")
    assert footnote > notes > table
    assert next(c for c in chunks if c.start <= footnote < c.end).page_at(footnote) == 6
    # The body sentence that a page break and a footnote used to cut is whole.
    assert "could decline more rapidly in the future with changes in the vehicle fleet" in text
    assert "plug-in hybrid-electric vehicles, and battery-electric vehicles." in text
    # The cover page, contents and disclaimer are kept as debris, not passages.
    kinds = {span.kind for span in entry.debris}
    assert {"cover", "contents", "disclaimer"} <= kinds


def test_tables_captions_and_sources_are_blocks_of_their_own(synced) -> None:
    store = synced
    entry = next(e for e in store.manifest().values() if e.sources == ("R47573.4.pdf",))
    text = store.document_text(entry.doc_id)
    chunks = sorted(store.get_chunks(list(entry.chunk_ids)), key=lambda c: c.start)
    blocks = text.split("\n\n")
    # Table 1 (page 6): the caption alone, then one line per row with its cells between " | ".
    caption = "Table 1. IIJA Highway and Public Transportation Funding by Funding Type"
    table = blocks[blocks.index(caption) + 1].split("\n")
    assert "FHWA | 303,500.0 | 83% | 47,272.0 | 13% | 14,683.0 | 4% | 365,455.0" in table
    assert "Total | 382,853.4 | 79% | 70,803.0 | 15% | 33,225.3 | 7% | 486,881.7" in table
    # The unit line over the table is a line of its own, so the header is the first row.
    assert table[0] == "(in millions of nominal dollars)"
    assert all(len(row.split(" | ")) == 8 for row in table[1:])
    assert blocks[blocks.index(caption) + 2].startswith("Sources: Federal Highway Administration (FHWA);")
    row = text.index("FHWA | 303,500.0")
    holder = next(c for c in chunks if c.start <= row < c.end)
    assert holder.page_at(row) == 6
    # A passage never cuts a row: a passage boundary inside the table is at a line break.
    first = text.index("\n\n", text.index(caption)) + 2
    last = text.index("\n\n", first)
    for chunk in chunks:
        if first < chunk.start < last:
            assert text[chunk.start - 1] == "\n", chunk.text[:80]
        if first < chunk.end < last:
            assert text[chunk.end] == "\n", chunk.text[-80:]
    assert any(first <= chunk.start < last for chunk in chunks)
    # The two-column In Focus: the figure caption and its source line are blocks of their own,
    # and the figure's own text is debris (never a passage).
    entry = next(e for e in store.manifest().values() if e.sources == ("IF12155.pdf",))
    text = store.document_text(entry.doc_id)
    blocks = text.split("\n\n")
    at = blocks.index("Figure 1. Value of U.S. Agricultural Trade")
    assert blocks[at + 2].startswith("Source: CRS from USDA’s Global Agricultural Trade System data.")
    figure = text.index(blocks[at + 1])
    assert any(span.kind == "figure" and span.start <= figure < span.end for span in entry.debris)


# Sentences that a page layout once cut (bench.pdf_text_check listed each): the report and a
# sentence of it that must now stand whole in one paragraph of the stored text.
WHOLE = {
    # 9 pt tables and footnotes fill most pages: the body size is still 11 pt, so the footnote at
    # the page foot no longer splits the sentence.
    "RL34498.pdf": "taxpayers age 65 and over may claim a deduction of $6,000 per senior.",
    # A text box drawn after the page's footnotes, printed between two body paragraphs.
    "R48910.2.pdf": "This section outlines the treatment of ordinary contributions (i.e., those not subject to",
    # A block quotation the sentence runs into.
    "R48915.1.pdf": "is a preemption clause. It states that No State or political subdivision of a State",
    # A text box set between the body and the footnotes, going on on the next page.
    "R48902.1.pdf": "Cloud computing customers generally pay based on the information technology (IT) services",
    # An author's job title wrapping into the bottom margin.
    "IF12024.6.pdf": "Megan Stubbs, Specialist in Agricultural Conservation and Natural Resources Policy",
}


@pytest.mark.parametrize("name", sorted(WHOLE))
def test_sentences_cut_by_the_page_layout_are_whole(name: str) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is not here")
    from ingest.loaders import load_document

    doc = load_document(CORPUS / name, source=name, max_bytes=50_000_000, timeout_s=120)
    assert any(WHOLE[name] in paragraph for paragraph in doc.text.split("\n\n")), name


def test_a_table_continued_over_a_page_break_is_stored_as_rows() -> None:
    """R46646's Table 2 goes on on the next page under its repeated header, and its first line
    under the caption is a subtitle in another size ("($, rounded in millions)")."""
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is not here")
    from ingest.loaders import load_document

    doc = load_document(CORPUS / "R46646.17.pdf", source="R46646.17.pdf", max_bytes=50_000_000, timeout_s=120)
    rows = [line for line in doc.text.split("\n") if line.startswith(("2021 |", "2026 |"))]
    assert len(rows) == 2 and all(row.count(" | ") >= 5 for row in rows), rows


def _table(name: str, caption: str) -> list[str]:
    from ingest.loaders import load_document

    doc = load_document(CORPUS / name, source=name, max_bytes=50_000_000, timeout_s=120)
    blocks = doc.text.split("\n\n")
    return blocks[blocks.index(caption) + 1].split("\n")


def test_a_table_header_is_one_row_whatever_its_layout() -> None:
    """Budget tables as printed: a unit line over the table, a header set off the row labels'
    column ("Account" over an empty column), a header on two lines ("FY2026" over "Enacted"),
    two figures set close enough to read as one cell, a row label wrapped onto a second line.
    Read with its header (``text.tables``), each row says which figure is which."""
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is not here")
    from text.tables import cells, header_of

    fws = _table("IF13203.2.pdf", "Table 1. FWS Discretionary Funding by Account")
    assert fws[:3] == ["($ in millions)", "Account | FY2026 Enacted | FY2027 Request",
                       "Resource Management | 1,451.5 | 1,303.6"]
    judiciary = _table("IF13206.1.pdf", "Table 1. FY2026 Discretionary Appropriations and FY2027 "
                       "Discretionary Appropriations Request")
    assert judiciary[:2] == ["(in millions of dollars)", "Account | FY2026 Enacted | FY2027 Request"]
    assert ("Courts of Appeals, District Courts, and Other Judicial Services (total) | $8,816.3 | $9,202.0"
            in judiciary)
    assert "TOTAL | $9,214.7 | $9,661.8" in judiciary
    text = "\n".join(judiciary)
    assert header_of(text, text.index("TOTAL")) == cells(judiciary[1])
    stacked = _table("R48910.2.pdf", "Table 1. Parameters of Selected Savings Accounts for Children During Growth Period")
    assert stacked[0].endswith("| 529 Plan | Taxable Brokerage Account")  # a header cell on three lines


def test_note_markers_leave_the_body_text_and_an_insight_masthead_is_debris() -> None:
    """R47573's superscript note markers ("(CA),2 advance", "funding.88 Private") are not digits
    of the text, the notes keep their numbers; an Insight's masthead ("CRS INSIGHT" at the foot
    of the first page, the "INSIGHTi" logo) is debris, its title and date are not."""
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is not here")
    from ingest.loaders import load_document

    doc = load_document(CORPUS / "R47573.4.pdf", source="R47573.4.pdf", max_bytes=50_000_000, timeout_s=120)
    assert "contract authority (CA), advance multiyear" in doc.text
    assert "source of highway funding. Under the user charge concept" in doc.text
    notes = doc.text[doc.text.index("\n\nNotes\n\n"):]
    assert "\n\n2 Contract authority is a form of budget authority" in notes
    insight = load_document(CORPUS / "IN12669.pdf", source="IN12669.pdf", max_bytes=50_000_000, timeout_s=120)
    marked = {insight.text[span.start:span.end] for span in insight.debris if span.kind == "masthead"}
    assert marked == {"CRS INSIGHT", "INSIGHTi"}
    title = "Pentagon-Anthropic Dispute over Autonomous Weapon Systems"
    assert not any(span.start <= insight.text.index(title) < span.end for span in insight.debris)


def test_a_note_marker_pdfium_sets_at_the_head_of_a_line_leaves_the_body_text() -> None:
    """PDFium breaks its line before a raised note marker set after a comma or a full stop
    ("benefits,\\r\\n124 although"), so the marker had opened a line and was kept as a note's own
    number: "benefits, 124 although" was quoted in an answer, and in R47438 "45 As a result" had
    opened a paragraph of its own. The marker goes; the notes keep their numbers."""
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is not here")
    from ingest.loaders import load_document

    discharges = load_document(CORPUS / "R48907.2.pdf", source="R48907.2.pdf", max_bytes=50_000_000, timeout_s=120)
    assert "a VA regulatory bar to benefits, although ineligible for most VA health care" in discharges.text
    rural = load_document(CORPUS / "R47438.6.pdf", source="R47438.6.pdf", max_bytes=50_000_000, timeout_s=120)
    assert ("allocated to the Value-Added Producer Grant Program. As a result, the Value-Added Producer Grant "
            "Program received") in rural.text
    notes = rural.text[rural.text.index("\n\nNotes\n\n"):]
    assert "\n\n45 " in notes


def test_an_insight_sentence_runs_past_the_address_box_of_its_first_page() -> None:
    """The address box at the foot of an Insight's first page ("Congressional Research Service" /
    the web address / "IN12678") is debris with its report number, and the sentence it interrupts
    goes on with the first line of page 2 instead of a paragraph opening "IN12678 included"."""
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is not here")
    from ingest.loaders import load_document

    name = "IN12678v4-u-s-iran-ceasefire-assessment-reactions-and-issu.pdf"
    doc = load_document(CORPUS / name, source=name, max_bytes=50_000_000, timeout_s=120)
    assert "one version of Iran’s 10-point plan reportedly included, per an Iranian source," in doc.text
    assert "IN12678 included" not in doc.text
    box = doc.text.index("Congressional Research Service https://crsreports.congress.gov IN12678")
    assert any(span.kind == "boilerplate" and span.start <= box < span.end for span in doc.debris)
