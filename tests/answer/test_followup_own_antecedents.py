"""Follow-ups whose pronoun stands for a phrase of the question itself, and antecedents that must agree
with what the pronoun can stand for (a browser trial over all CRS reports: "Compare the two IRA credit
reports on how many taxpayers claimed them" after an FDA question was searched as "... claimed the U.S.
Department of Health and Human Services"). Examples written for these tests; none is a question of the
trial or of the follow-up sets in bench/data."""

import pytest

from answer.antecedents import bound_in_question, names, own_antecedent, resolve
from answer.condense import standalone_question, they_the_authors
from answer.types import Turn

FDA_TURN = Turn("What did FDA do about the listeria outbreak?",
                "The U.S. Department of Health and Human Services (HHS) and FDA announced a recall [1].",
                "What did FDA do about the listeria outbreak?", briefs=("fda",))


@pytest.mark.parametrize("question", [
    # a plural phrase before the pronoun's clause: the two programs the comparison names
    "Compare the Coastal Grant Program and Harbor Loan Program reports on how many towns applied for them",
    # the organisation and the thing of the first clause
    "What is the Navy buying for the Constellation frigate, and when will they deliver it?",
    # a possessive may stand for its own clause's subject
    "How did the appeals judges justify their ruling?",
])
def test_a_question_that_names_its_own_antecedent_is_kept_as_asked(question):
    assert bound_in_question(question)
    assert resolve(question, FDA_TURN.question, FDA_TURN.answer) is None
    assert standalone_question(question, [FDA_TURN]) == question


@pytest.mark.parametrize("question, previous, expected", [
    # the subject of the pronoun's own clause is no antecedent of its object: "them" is of the last turn
    ("How did Congress respond to them?", "Which cities adopted congestion pricing?",
     "How did Congress respond to the cities?"),
    ("When can retirees start drawing on them?", "What is the early withdrawal penalty for Roth Accounts?",
     "When can retirees start drawing on Roth Accounts?"),
])
def test_a_pronoun_without_an_antecedent_of_its_own_names_the_last_turn(question, previous, expected):
    assert not bound_in_question(question)
    resolution = resolve(question, previous)
    assert resolution is not None and resolution.question == expected


def test_the_pronoun_agrees_with_the_head_of_a_phrase_not_its_last_word():
    # "the early withdrawal penalty for Roth Accounts" is a penalty (singular): "them" are the accounts
    named = resolve("Who may open them?", "What is the early withdrawal penalty for Roth Accounts?")
    assert named is not None and named.question == "Who may open Roth Accounts?"
    found = {p.text: p for p in names("Did Roth Accounts gain value in 2025?")}
    assert found["Roth Accounts"].plural and not found["Roth Accounts"].person
    found = {p.text: p for p in names("What did the United States sign in 2025?")}
    assert not found["the United States"].plural  # a country's name, one country


def test_own_antecedent_reads_only_before_the_pronouns_clause():
    question = "What did the Navy order, and when will they receive it?"
    assert own_antecedent(question, question.index("they"), "they").text == "the Navy"
    assert own_antecedent("Who wrote it?", 10, "it") is None


def test_a_document_question_after_a_fact_turn_asks_it_of_the_brief_read():
    # "Who wrote it? (Congress)": after a fact question the last turn's words were carried into a question
    # about the brief as a document
    facts = [Turn("What could Congress do about stablecoin issuers?", "Congress could require licences [1].",
                  "What could Congress do about stablecoin issuers?", briefs=("stable",))]
    assert standalone_question("Who wrote it?", facts) == "Who wrote it?"
    assert standalone_question("When was it published?", facts) == "When was it published?"


def test_they_are_the_authors_only_as_the_subject_of_what_writers_do():
    assert they_the_authors("What risks do they identify for savers?") == "What risks do the authors identify for savers?"
    assert they_the_authors("When will they field the new radar?") == "When will they field the new radar?"
