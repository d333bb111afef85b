"""Question kinds: the phrasings documented in answer/kinds.py map to their kind."""

import pytest

from answer.kinds import KINDS, classify

CASES = [
    ("Who wrote the report on soft targets?", "catalogue"),
    ("When was it published?", "catalogue"),
    ("When was the brief on the trilateral response published?", "catalogue"),
    ("Which briefs discuss missile defense?", "catalogue"),
    ("List the briefs", "catalogue"),
    ("Compare how the two briefs see China", "comparison"),
    ("How did the view of Japan change between 2017 and 2024?", "comparison"),
    ("What are the differences between the briefs on North Korea?", "comparison"),
    ("Summarize the 2017 brief", "summary"),
    ("What are the key takeaways of this report?", "summary"),
    ("Give me an overview of the Australia report", "summary"),
    ("What is this brief about?", "summary"),
    # a brief named by series and topic (a held-out summary question was answered as a fact)
    ("What is the In Focus on the bank capital requirements about?", "summary"),
    ("What is the Legal Sidebar on the Alien Enemies Act about?", "summary"),
    ("What is the report's claim about the tariffs?", "fact"),
    ("What does the author recommend?", "recommendations"),
    ("What does it recommend Washington do?", "recommendations"),
    ("What are the brief's main arguments?", "recommendations"),
    ("What is the author's position on extended deterrence?", "recommendations"),
    ("What options does it give Congress?", "recommendations"),  # documented, was a fact (browser trial)
    ("What options does the report on highway funding give Congress?", "recommendations"),
    ("Give a timeline of the events in the 2017 brief", "timeline"),
    ("What happened over time to NSGP funding?", "timeline"),
    ("List the countries that welcomed the ceasefire", "list"),
    ("Which countries take part in the Five Eyes arrangement?", "list"),
    ("How much has Japan invested in missile defense?", "fact"),
    ("What happened to Lotte?", "fact"),
    ("What did the leaders agree on at the summit in Seoul?", "fact"),
    ("What share of Lebanon's population was displaced?", "fact"),
    ("Which conferences did the author take part in?", "fact"),
    # a named person's message is what that person said, not a summary of a brief (a trial found
    # "What was Kishida's key message?" summarised the whole brief)
    ("What was Kishida's key message?", "fact"),
    ("What key point did Colby make?", "fact"),
    ("What is the key message of the report?", "summary"),
    ("What are the report's key findings?", "summary"),
    ("What is the author's main point?", "summary"),
    ("What is CRS's key message?", "summary"),
]


@pytest.mark.parametrize("question,kind", CASES)
def test_phrasings_map_to_their_kind(question, kind):
    assert classify(question) == kind


def test_every_kind_is_reachable():
    assert {kind for _, kind in CASES} == set(KINDS)
