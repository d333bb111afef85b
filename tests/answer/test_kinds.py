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
    ("What does the revenue-maximizing corporate tax rate report conclude?", "summary"),  # its findings, not advice
    ("What are the conclusions of the Hormuz report?", "summary"),
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
    # CRS's "Issues for Congress" asked for (a trial's follow-up was answered as a fact and refused); a title's
    # words are no such question
    ("What issues does that raise for Congress?", "recommendations"),
    ("What are the considerations for policymakers?", "recommendations"),
    ("What oversight questions does it raise for Congress?", "recommendations"),
    ("What does the Highway Bridges: Conditions, Funding Programs, and Issues for Congress report say about "
     "funding?", "fact"),
    ("Give a timeline of the events in the 2017 brief", "timeline"),
    ("What happened over time to NSGP funding?", "timeline"),
    # a trial's "What happened in Louisiana v. Callais, in order?" was answered as a fact, in prose
    ("What happened in the Argentina swap, in order?", "timeline"),
    ("List the ESF's uses in chronological order.", "timeline"),
    ("List the steps in order", "list"),
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


# "suggest" / "argue" / "propose" ask for the brief's advice only when the brief, its author or a
# named person is the subject, or when an action is asked for; what theory, the evidence or the
# data "suggest is" something is a fact (a browser trial answered the tax-rate question with
# "The author recommends:" and bibliography lines).
@pytest.mark.parametrize("question, kind", [
    ("What does theory suggest is the lowest plausible revenue-maximizing corporate tax rate?", "fact"),
    ("What does the evidence suggest about the effect of tariffs on prices?", "fact"),
    ("What do the data suggest was the peak year for imports?", "fact"),
    ("What does economic research argue is the main cause of the decline?", "fact"),
    ("What does the report suggest Congress do?", "recommendations"),
    ("What does it suggest?", "recommendations"),
    ("What does the author argue is the best course for Congress?", "recommendations"),
    ("What does theory suggest Congress do about the rate?", "recommendations"),
    ("What does the evidence suggest doing about the rate?", "recommendations"),
    ("What did Elbridge Colby argue about U.S. extended nuclear deterrence?", "recommendations"),
])
def test_suggest_is_advice_only_from_the_brief_or_for_an_action(question, kind):
    assert classify(question) == kind


def test_a_partys_arguments_are_asked_as_what_it_argues_not_as_the_briefs_position():
    # a newcomer's trial (CRS LSB11421): "What are the arguments of the plaintiffs ...?" was answered as a
    # recommendations question
    assert classify("What are the arguments of the plaintiffs in the God Squad litigation?") != "recommendations"
    assert classify("What do the challengers argue about the Election Day statutes?") == "fact"
    assert classify("What is the State of Mississippi's position?") == "fact"
    # the brief's or its author's arguments stay a position; a named person's argument asked with a verb too
    assert classify("What are the brief's main arguments?") == "recommendations"
    assert classify("What are the main arguments of the report?") == "recommendations"
    assert classify("What is the author's position on China?") == "recommendations"
    assert classify("What did Elbridge Colby argue about deterrence?") == "recommendations"
    assert classify("What does the report recommend about the plaintiffs' claims?") == "recommendations"


@pytest.mark.parametrize("question", ["Which of the briefs was published most recently?", "Which brief is the oldest?",
                                      "What is the earliest report in the collection?", "Which is the newest report?",
                                      "Which of the reports came out first?", "When was the latest brief published?"])
def test_the_newest_or_oldest_brief_is_a_catalogue_question(question):
    assert classify(question) == "catalogue"


@pytest.mark.parametrize("question", ["What does the latest report say about China?", "What is the most recent figure?",
                                      "Which was the first country to join?", "What was first?"])
def test_a_newest_word_that_asks_something_of_a_brief_or_a_fact_is_no_catalogue_question(question):
    assert classify(question) != "catalogue"


def test_a_change_is_a_comparison_by_that_cue_alone_only_without_a_contrast_cue():
    from answer.kinds import asks_change_only

    assert asks_change_only("How did the standard deduction for single filers change between 2017 and 2018?")
    assert asks_change_only("How did the view of Japan change between 2017 and 2024?")
    assert not asks_change_only("Compare how the two briefs' view of Japan changed")
    assert not asks_change_only("How do the two briefs differ on Japan?")


# How analysts ask (a seventh trial: "What's the bottom line of the CRS Insight on ...?" and "Brief me on ..."
# were asked as facts and refused or answered with two sentences, "What are the main issues in the CRS report
# on ...?" as a list; "What could Congress do about it?" as a fact; "..., step by step" as a fact; "Does the
# report on X square with that Insight on Y?" as a fact; "What are the different types of ...?" as a comparison).
@pytest.mark.parametrize("question, kind", [
    ("What's the bottom line of the CRS report on the Great American Outdoors Act?", "summary"),
    ("Brief me on the NIH indirect costs policy.", "summary"),
    ("Give me the rundown on the Exchange Stabilization Fund.", "summary"),
    ("Fill me in on the copper tariffs.", "summary"),
    ("What's in the brief on seabed mining? Give me the highlights.", "summary"),
    ("What are the main issues in the report on copper tariffs?", "summary"),
    # issues put to Congress are its options; a subject's issues are a list, not a document's gist
    ("What are the main issues for Congress in the report on copper tariffs?", "recommendations"),
    ("What are the main issues in the copper market?", "list"),
    ("What could Congress do about it?", "recommendations"),
    ("What can Congress do about seabed mining?", "recommendations"),
    ("How might lawmakers respond?", "recommendations"),
    ("What steps could Congress take on ticket resale?", "recommendations"),
    ("Lay out how the copper tariffs came about, step by step.", "timeline"),
    ("Walk me through how the rule was delayed.", "timeline"),
    ("Walk me through how to apply for a grant, step by step.", "fact"),  # a procedure: no past event
    ("Does the report on private election funding square with the report on conditioning federal funds?",
     "comparison"),
    ("Is the USGS budget report consistent with the FWS budget report on staffing?", "comparison"),
    ("What are the different types of conservation programs in the farm bill?", "list"),
    ("What kinds of activities does the NSGP fund?", "list"),
    ("What services does it offer to manufacturers?", "list"),
    ("How are the two programs different?", "comparison"),
    ("What status does the bill have?", "fact"),  # "status" is no plural
])
def test_how_analysts_ask_for_each_kind(question, kind):
    assert classify(question) == kind
