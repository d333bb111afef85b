"""A superlative over percentage changes quotes the sentence stating the extreme one first (``answer.ranking``)."""

import numpy as np
import pytest

from answer.extractive import Candidate
from answer.ranking import Ranking, asked_ranking, changes, ranked_first
from tests.answer.passages import hits_of

# sentences of the judiciary's FY2027 budget request (IF13206) and the FWS one (IF13203), as the briefs write them
SALARIES = "The FY2027 discretionary request for this account is $6.4 billion, an increase of 5.1% over the FY2026 enacted level."
JURORS = "The FY2027 request is $37.1 million, an increase of 94.2% over the FY2026 enacted level."
SHARE = "The Resource Management account has historically comprised the majority (88% in FY2026) of the appropriation."
HAZARDS = "The Natural Hazards Mission Area would decrease in funding from $200.1 million to $136.5 million (-32%)."
WATER = "The budget requests $227.1 million for the Water Resources Mission Area, a reduction of 21%."


@pytest.mark.parametrize("question, expected", [
    ("Which account has the biggest percentage increase?", Ranking(top=True, fall=False)),
    ("Which mission area has the largest percentage cut?", Ranking(top=True, fall=True)),
    ("Which program grows by the smallest percent?", Ranking(top=False, fall=False)),
    ("Which account has the biggest increase?", None),  # no percentage asked: dollars and percents do not compare
    ("What is the percentage increase for jurors?", None),  # no superlative
])
def test_the_ranking_a_question_asks_for(question, expected):
    assert asked_ranking(question) == expected


def test_the_percentage_changes_a_sentence_states():
    assert changes(JURORS) == [94.2]
    assert changes(HAZARDS) == [-32.0]
    assert changes(WATER) == [-21.0]
    assert changes(SHARE) == []  # a share, no change
    assert changes("The account received $19.1 million.") == []


def _candidates(sentences, relevances):
    hits = hits_of([" ".join(sentences)])
    text, out, start = hits[0].chunk.text, [], 0
    for sentence, relevance in zip(sentences, relevances):
        start = text.index(sentence, start)
        out.append(Candidate(hits[0], start, start + len(sentence), relevance, np.zeros(3)))
    return out


def test_the_extreme_change_is_quoted_first_whatever_its_relevance():
    candidates = _candidates([SALARIES, SHARE, JURORS, HAZARDS, WATER], [0.8, 0.7, 0.5, 0.4, 0.3])
    first = ranked_first(candidates, Ranking(top=True, fall=False))[0]
    assert first.text == JURORS
    assert ranked_first(candidates, Ranking(top=True, fall=True))[0].text == HAZARDS  # the deepest cut
    assert ranked_first(candidates, Ranking(top=False, fall=False))[0].text == SALARIES  # the smallest rise
    # none states a change of that direction: the order stands
    rises = _candidates([SALARIES, SHARE], [0.5, 0.7])
    assert [c.text for c in ranked_first(rises, Ranking(top=True, fall=True))] == [SHARE, SALARIES]
