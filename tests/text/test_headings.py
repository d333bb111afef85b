import pytest

from text.headings import governing_heading, heading_lines, is_heading, is_heading_line, section_headings

# The shape of a CRS In Focus as ingest writes it (IF13206.1, the judiciary's FY2027 budget request).
BUDGET = ("Judiciary Budget Request for FY2027\n\nOverview\n\nThe request seeks $9.7 billion in discretionary funding.\n\n"
          "Table 1. Discretionary Appropriations\n\nAccount | FY2026 Enacted | FY2027 Request\n"
          "Defender Services | $1,766.0 | $1,792.8\n\nSource: H.R. 7148.\n\n"
          "Salaries and Expenses\n\nThe FY2027 discretionary request for this account is $6.4 billion.\n\n"
          "Defender Services\n\nThis account funds the operations of the federal public defender.\n\n"
          "The FY2027 request is $1.8 billion, an increase of 1.5% over the FY2026 enacted level.\n")
TITLE = "Judiciary Budget Request for FY2027"


def test_heading_lines_are_short_capitalised_lines_or_questions_not_the_title_nor_labels():
    lines = [line for _, _, line in heading_lines(BUDGET, title=TITLE)]
    # Table rows in capitals read as headings too (a heuristic the summary outline lives with).
    assert lines == ["Overview", "Account | FY2026 Enacted | FY2027 Request", "Defender Services | $1,766.0 | $1,792.8",
                     "Salaries and Expenses", "Defender Services"]
    for start, end, line in heading_lines(BUDGET, title=TITLE):
        assert BUDGET[start:end] == line
    assert is_heading_line("Does the GAOA Expire?")
    assert not is_heading_line("The FY2027 request is $1.8 billion, an increase of 1.5% over the FY2026 enacted level.")
    assert is_heading("Table 2. Activities Within Resource Management")  # a label is no claim


def test_a_table_row_opens_no_section():
    assert [line for _, _, line in section_headings(BUDGET, title=TITLE)] == [
        "Overview", "Salaries and Expenses", "Defender Services"]
    assert governing_heading(BUDGET, BUDGET.index("Source: H.R."), title=TITLE) == "Overview"


@pytest.mark.parametrize("needle, heading", [
    ("The request seeks", "Overview"),
    ("The FY2027 discretionary request for this account", "Salaries and Expenses"),
    ("The FY2027 request is $1.8 billion", "Defender Services"),
    ("Judiciary Budget", ""),  # before the first heading
])
def test_the_governing_heading_is_the_nearest_section_heading_above(needle, heading):
    assert governing_heading(BUDGET, BUDGET.index(needle), title=TITLE) == heading


def test_governing_heading_reuses_the_headings_found():
    found = section_headings(BUDGET, title=TITLE)
    offset = BUDGET.index("The FY2027 request is $1.8 billion")
    assert governing_heading(BUDGET, offset, found=found) == governing_heading(BUDGET, offset, title=TITLE)
    assert governing_heading(BUDGET, offset, found=[]) == ""


def test_the_opening_heading_skips_a_date_line_and_contents_entries():
    from text.headings import dateline_or_contents, opening_heading, section_headings
    text = ("April 20, 2026\n\nJudiciary Budget Request for FY2027\n\nOverview\n\nThe request seeks $9.7 billion.\n\n"
            "Supreme Court\n\nThe total request for the Supreme Court is $225.1 million.\n")
    found = section_headings(text, title="Judiciary Budget Request for FY2027")
    assert [line for _, _, line in found] == ["April 20, 2026", "Overview", "Supreme Court"]
    assert opening_heading(found) == "Overview"
    assert dateline_or_contents("Updated April 13, 2026") and dateline_or_contents("Introduction ........ 1")
    assert not dateline_or_contents("Supreme Court") and opening_heading([]) == ""


def test_heading_lines_printed_more_than_once_are_repeated():
    from text.headings import repeated_headings, section_headings
    text = ("Ties with Japan\n\nTokyo spent more.\n\nMore on:\n\nNorth Korea\n\nJapan\n\nSeoul spent more.\n\n"
            "More on:\n\nNorth Korea\n\nJapan\n\nBoth spent more.\n")
    assert set(repeated_headings(section_headings(text))) == {"More on:", "North Korea", "Japan"}


def test_a_heading_ending_in_an_abbreviation_is_still_a_heading():
    # CRS LSB11417: "Latest DOJ Action: United States v. Uber Technologies, Inc." had been quoted as an answer sentence
    assert is_heading_line("Latest DOJ Action: United States v. Uber Technologies, Inc.")
    assert is_heading("Latest DOJ Action: United States v. Uber Technologies, Inc.")
    assert not is_heading("The court ruled against Uber Technologies, Inc.")
    assert not is_heading("Most imports came from the U.S.")
