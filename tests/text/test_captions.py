"""Caption lines: numbered captions and unnumbered photo captions are one unit each, and a photo
caption is found by its credit, by where the people shown stand, or by its repeat with a credit."""

from text.captions import is_credit, is_photo_caption, photo_caption_lines, whole_lines

ARTICLE = """Riverton Opens Its Desalination Plant

Riverton's first desalination plant began delivering water in March 2024, two years late.
Mayor Ana Ruiz and Governor Tom Hale at the opening of the Riverton desalination plant in March 2024.
Mayor Ana Ruiz and Governor Tom Hale at the opening of the Riverton desalination plant in March 2024. Photo: Lee Park/AP

The plant supplies a fifth of the city's water. Engineers expect its costs to fall as the membranes improve.
Workers (from left) Sam Oduya, Mia Chen and Raul Ortiz inspect the intake pipes.
The utility reported, according to Reuters, that prices would stay flat (AP).
"""


def _lines(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


def test_photo_credits():
    for credit in ("Official White House Photo by Cameron Smith", "(Damir Sagolj/Reuters)", "Photo: Jane Roe/AP",
                   "(AP Photo/Ahn Young-joon)", "Image credit: NASA", "(Getty Images)"):
        assert is_credit(credit), credit
    for text in ("according to Reuters", "Reuters reported the talks.", "(AP)", "Photo opportunities were few.",
                 "Image"):
        assert not is_credit(text), text


def test_a_line_read_alone_is_a_photo_caption_by_its_credit_or_positions():
    assert is_photo_caption("A flood-damaged road near Niamey, Niger, in September 2020. Photo: Jane Roe/AP")
    assert is_photo_caption("Military vehicles on parade, Pyongyang, April 15, 2017. (Damir Sagolj/Reuters)")
    assert is_photo_caption("President Joe Biden, Prime Minister Fumio Kishida, and President Yoon Suk-yeol "
                            "(left to right) at the May 2023 G7 Summit in Hiroshima, Japan.")
    # running text that names a news agency, a footnote citing one, a source line: no captions
    assert not is_photo_caption("The talks failed, according to Reuters.")
    assert not is_photo_caption("132 Reuters, “Lockheed Martin Sells Deep-Sea Mining Firm.”")
    assert not is_photo_caption("The agency said it would report its findings (AP).")
    assert not is_photo_caption("Source: U.S. Mint, “1976 Bicentennial Coins,” Image emailed to the author by the "
                                "U.S. Mint, August 27, 2021.")
    long_paragraph = " ".join(["The ministers met again in the spring to discuss the plan."] * 7) + " (left to right)"
    assert not is_photo_caption(long_paragraph)  # a paragraph, not a caption


def test_a_caption_repeated_with_its_credit_is_found_by_the_repeat():
    found = _lines(ARTICLE, photo_caption_lines(ARTICLE))
    assert found == [
        "Mayor Ana Ruiz and Governor Tom Hale at the opening of the Riverton desalination plant in March 2024.",
        "Mayor Ana Ruiz and Governor Tom Hale at the opening of the Riverton desalination plant in March 2024. "
        "Photo: Lee Park/AP",
        "Workers (from left) Sam Oduya, Mia Chen and Raul Ortiz inspect the intake pipes.",
    ]
    # read over a range that ends at the first copy, the repeat after it still marks it
    first = ARTICLE.index("Mayor Ana Ruiz")
    end = ARTICLE.index("\n", first)
    assert _lines(ARTICLE, photo_caption_lines(ARTICLE, 0, end))[-1].startswith("Mayor Ana Ruiz")


def test_a_line_repeated_without_a_credit_is_no_caption():
    text = "The council met on Monday to vote.\nThe council met on Monday to vote.\n"
    assert photo_caption_lines(text) == []


def test_whole_lines_hold_captions_rows_and_numbered_captions():
    text = "Table 1. Budgets by Region\nNorth | 12 | 14\n" + ARTICLE
    found = _lines(text, whole_lines(text))
    assert found[:2] == ["Table 1. Budgets by Region", "North | 12 | 14"]
    assert "Workers (from left) Sam Oduya, Mia Chen and Raul Ortiz inspect the intake pipes." in found
    assert not any(line.startswith("The plant supplies") for line in found)
