import pytest

from answer.sentences import figures, negated_words, quotations, quote_in


@pytest.mark.parametrize("text, values", [
    ("Kim has launched seventy-four missiles since he came to power.", [74]),
    ("Kim has launched 74 missiles; seven hundred, say others.", [74, 700]),
    ("It will cost $2.1 billion and add a million cubic metres a day.", [2.1e9, 1e6]),
    ("About forty thousand hectares changed crops in 2023.", [40_000, 2023]),
    ("One hundred and twenty, then 1,200 and four and five.", [120, 1200, 4, 5]),
    ("Subsidies cover ninety percent of the cost; adoption is below 5%.", [90, 5]),
    ("The 2019-2020 drought, the 1950s and a ten-minute warning.", [2019, 2020, 1950, 10]),
    ("A fifth of demand, a third plant, and millions of people.", []),
])
def test_figures_read_digits_and_number_words(text, values):
    assert figures(text) == pytest.approx(values)


def test_quotations_in_straight_or_curly_marks_with_edge_punctuation_trimmed():
    text = 'As the brief puts it, "Kim has launched missiles" [1]. He called it “a bright spot,” and left.'
    assert quotations(text) == ["Kim has launched missiles", "a bright spot"]
    assert quotations("No quotation here, only the brief’s ‘scare quotes’ and a lone ” mark.") == []


def test_a_quotation_is_verbatim_after_case_space_quote_and_dash_are_normalised():
    passage = "the phrase “all options are on the table” and a review of U.S.–Korea policy"
    assert quote_in("All options are on  the table", passage)
    assert quote_in("review of U.S.-Korea policy", passage)
    assert quote_in("all options ... the table", passage)  # elided, parts in order
    assert not quote_in("the table ... all options", passage)
    assert not quote_in("no options are on the table", passage)


def test_negated_words_are_those_a_negation_governs():
    assert negated_words("Kim has never launched seventy-four missiles.")[0] == ["launched", "seventy", "four"]
    assert negated_words("He didn't launch the missile")[0] == ["launch", "missile"]
    assert negated_words("It has not yet been approved by parliament")[0] == ["approved", "by", "parliament"]
    negated, affirmed = negated_words("While no breakthroughs occurred, the leaders agreed.")
    assert negated == ["breakthroughs", "occurred"] and affirmed == ["leaders", "agreed"]
    assert negated_words("Today it is not only Kim who rattles allies, no doubt.")[0] == []
