"""Table rows as answer units (issue 16, item 8): a row is read with its header and can be the answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from text.tables import cells, row_reading

ROAD_BRIEF_TITLE = "Regional Road Budgets"


def _reading(text: str, row: str) -> str | None:
    start = text.index(row)
    return row_reading(text, start, start + len(row))


@pytest.mark.parametrize("text, row, expected", [
    ("Region | 2024 budget | 2025 budget\nNorthern | 14.2 million | 11.8 million\nSouthern | 9.1 million | 9.6 million",
     "Northern | 14.2 million | 11.8 million", "Region: Northern; 2024 budget: 14.2 million; 2025 budget: 11.8 million"),
    ("| Route | Repairs |\n|---|---:|\n| A12 | 412 |\n| B7 | 98 |", "| B7 | 98 |", "Route: B7; Repairs: 98"),
    ("Region | 2024 | 2025\nEastern |  | 3.0 million", "Eastern |  | 3.0 million", "Region: Eastern; 2025: 3.0 million"),
    ("Region | 2024 | 2025\nNorthern | 14.2 | 11.8", "Region | 2024 | 2025", ""),  # a header answers nothing
    ("Just a sentence with a | in it and more words.", "Just a sentence with a | in it and more words.",
     "Just a sentence with a; in it and more words."),  # one pipe, no table around: a row without header
    ("No table here at all.", "No table here at all.", None),
    # a PDF table whose header has an empty first cell over the row labels (CRS R48908, Table 1), as the
    # loaders write it: " | FY2023 Enacted | ..."; its rows read with it, and it answers nothing itself
    ("Millions of Current U.S. Dollars\n | FY2023 Enacted | FY2024 Enacted\nGlobal Markets | 374.0 | 372.5\n"
     "Industry and Analysis | 86.7 | 86.4", "Global Markets | 374.0 | 372.5",
     "Global Markets; FY2023 Enacted: 374.0; FY2024 Enacted: 372.5 (Millions of Current U.S. Dollars)"),
    ("Title\n | FY2023 Enacted | FY2024 Enacted\nGlobal Markets | 374.0 | 372.5", " | FY2023 Enacted | FY2024 Enacted", ""),
])
def test_rows_read_with_their_header(text, row, expected):
    assert _reading(text, row) == expected


def test_a_header_rule_is_not_a_row():
    assert cells("|---|:---:|") is None and cells("a | b") == ["a", "b"]


def _road_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = ROAD_BRIEF_TITLE
    document.add_paragraph(ROAD_BRIEF_TITLE, style="Title")
    document.add_paragraph("This brief sets out the road maintenance budget of each region for 2024 and 2025, "
                           "as approved by the regional council in its spring session.")
    table = document.add_table(rows=4, cols=3)
    for r, values in enumerate([("Region", "2024 budget", "2025 budget"),
                                ("Northern", "14.2 million", "11.8 million"),
                                ("Southern", "9.1 million", "9.6 million"),
                                ("Coastal", "6.4 million", "7.9 million")]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.add_paragraph("The council expects to review the allocations again in the autumn.")
    document.save(path)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("question, expected, not_expected", [
    ("What is the 2025 road budget for the Northern region?", "11.8 million", "The council expects"),  # the issue's
    ("What was the Southern region's budget in 2024?", "9.1 million", "11.8 million"),
    ("How much will the Coastal region get in 2025?", "7.9 million", "11.8 million"),
])
def test_a_docx_table_row_is_the_answer(tmp_path, embedder, question, expected, not_expected):
    from answer.assistant import Assistant
    from ingest.sync import Syncer
    from retrieval.hybrid import HybridRetriever
    from settings import Settings
    from vectorstore.store import open_store

    store = open_store(path=str(tmp_path / "store"), model=embedder.name, dimension=embedder.dimension)
    report = Syncer(store, embedder).sync([_road_docx(tmp_path / "roads.docx")])
    assert report.failed == []
    settings = Settings()
    bot = Assistant(HybridRetriever.over(store=store, embedder=embedder, settings=settings.retrieval), embedder,
                    settings.answer)
    answer = bot.ask(question)
    assert not answer.refused
    first = answer.citations[0]
    assert expected in answer.text.split("[1]")[0] and expected in first.quote
    assert not_expected not in answer.text.split("[1]")[0]
    text = store.document_text(first.doc_id)
    assert text[first.start:first.end] == first.quote


def test_an_html_table_reads_with_its_header_too():
    from ingest.loaders import parse_html

    html = (b"<html><body><article><h1>Road Budgets</h1><p>This brief sets out the road maintenance budget of each "
            b"region for 2024 and 2025, as approved by the council.</p><table><tr><th>Region</th><th>2024 budget</th>"
            b"<th>2025 budget</th></tr><tr><td>Northern</td><td>14.2 million</td><td>11.8 million</td></tr></table>"
            b"<p>The council will review the allocations again in the autumn of next year.</p></article></body></html>")
    text = parse_html(html).text
    row = next(line.strip() for line in text.splitlines() if "Northern" in line)
    assert _reading(text, row) == "Region: Northern; 2024 budget: 14.2 million; 2025 budget: 11.8 million"


# A table longer than a passage: the passages after the first open with rows, the header far above.
GRANTS = "Fiscal Year | Appropriation\n" + "\n".join(f"{year} | ${(year - 1960) * 7} million" for year in range(1980, 2050))


def test_a_passage_opening_inside_a_table_gets_that_tables_header():
    from text.tables import table_header

    start = GRANTS.index("2010 |")
    assert table_header(GRANTS, start) == ("Fiscal Year", "Appropriation")
    assert table_header(GRANTS, 0) == ()  # the header row itself
    assert table_header("Intro sentence.\n" + GRANTS, 0) == ()  # not a row
    assert table_header(GRANTS, start + 2) == ()  # not the start of a line
    passage = GRANTS[start:]
    # Read alone, the passage's first row is taken for the header; with the table's header it is a row.
    assert _reading(passage, "2010 | $350 million") == ""
    assert _reading(passage, "2023 | $441 million") == "2010: 2023; $350 million: $441 million"
    first = passage.index("2010 |")
    assert row_reading(passage, first, first + len("2010 | $350 million"), ("Fiscal Year", "Appropriation")) \
        == "Fiscal Year: 2010; Appropriation: $350 million"
    at = passage.index("2023 |")
    assert row_reading(passage, at, at + len("2023 | $441 million"), ("Fiscal Year", "Appropriation")) \
        == "Fiscal Year: 2023; Appropriation: $441 million"
    # A header of another width is not this table's.
    assert row_reading(passage, at, at + len("2023 | $441 million"), ("A", "B", "C")) == "2010: 2023; $350 million: $441 million"


@pytest.mark.slow
def test_a_row_of_a_table_split_across_passages_reads_with_its_header(tmp_path, embedder):
    from answer.assistant import Assistant
    from ingest.sync import Syncer
    from retrieval.hybrid import HybridRetriever
    from settings import Settings
    from vectorstore.store import open_store

    brief = tmp_path / "grants.md"
    brief.write_text("# Security Grant Funding\n\nThe security grant program funds protective measures at community "
                     "institutions; Congress sets its appropriation each fiscal year.\n\nTable 1. Appropriations\n\n"
                     + GRANTS + "\n\nThe program has grown as threats to community institutions have risen.\n")
    store = open_store(path=str(tmp_path / "store"), model=embedder.name, dimension=embedder.dimension)
    assert Syncer(store, embedder).sync([brief]).failed == []
    settings = Settings()
    retriever = HybridRetriever.over(store=store, embedder=embedder, settings=settings.retrieval)
    text = store.document_text(retriever.search("appropriation", 1)[0].chunk.doc_id)
    opening_inside = [h for h in retriever.search("appropriation fiscal year 2041", 20)
                      if h.chunk.text.startswith(("19", "20"))]
    assert opening_inside and all(h.table_header == ("Fiscal Year", "Appropriation") for h in opening_inside)
    answer = Assistant(retriever, embedder, settings.answer).ask("What was the appropriation in fiscal year 2041?")
    assert not answer.refused
    first = answer.citations[0]
    assert first.quote == "2041 | $567 million" and text[first.start:first.end] == first.quote


# A PDF budget table as ingest writes it (IF13203.2): caption, unit line, header, rows.
BUDGET = ("The request cut most accounts.\n\nTable 2. Activities Within Resource Management\n\n($ in millions)\n"
          "Activity | FY2026 Enacted | FY2027 Request\nNational Wildlife Refuge System | 522.0 | 417.0\n"
          "Science Support | 30.8 | 0.0\n\nSource: DOI budget justification.")


def test_a_row_reads_with_its_tables_unit_line():
    from text.tables import opened_table_note, table_note

    row = "National Wildlife Refuge System | 522.0 | 417.0"
    assert _reading(BUDGET, row) == ("Activity: National Wildlife Refuge System; FY2026 Enacted: 522.0; "
                                     "FY2027 Request: 417.0 ($ in millions)")
    assert table_note(BUDGET, BUDGET.index("Activity |")) == "($ in millions)"
    # A subtitle without brackets is put in them (a caption right over the header too); a paragraph
    # above the header is no note.
    subtitled = "Fiscal years 2015 through 2024, in millions of dollars\nFiscal Year | EPA\n2015 | $44.2"
    assert _reading(subtitled, "2015 | $44.2") == "Fiscal Year: 2015; EPA: $44.2 (Fiscal years 2015 through 2024, in millions of dollars)"
    assert _reading("Table 1. Funding\nFiscal Year | EPA\n2015 | $44.2", "2015 | $44.2") == "Fiscal Year: 2015; EPA: $44.2 (Table 1. Funding)"
    assert _reading("Table 1. Funding\n\nFiscal Year | EPA\n2015 | $44.2", "2015 | $44.2") == "Fiscal Year: 2015; EPA: $44.2"
    assert _reading("A paragraph goes on here\nand ends over the table.\nYear | EPA\n2015 | $44.2",
                    "2015 | $44.2") == "Year: 2015; EPA: $44.2"
    # A passage that opens inside the table gets the note as it gets the header.
    start = BUDGET.index("Science Support")
    assert opened_table_note(BUDGET, start) == "($ in millions)"
    passage = BUDGET[start:]
    assert (row_reading(passage, 0, len("Science Support | 30.8 | 0.0"), ("Activity", "FY2026 Enacted", "FY2027 Request"),
                        "($ in millions)") == "Activity: Science Support; FY2026 Enacted: 30.8; FY2027 Request: 0.0 ($ in millions)")
