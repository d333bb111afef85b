"""The rule that names what a follow-up's pronoun or demonstrative stands for (answer.antecedents).

Examples written for these tests (none is from the dev or held-out follow-up sets in bench/data).
"""

import pytest

from answer.antecedents import candidates, names, resolve


@pytest.mark.parametrize("follow_up, previous, answer, expected", [
    # "he"/"his": the person the last question is about (its subject before other names)
    ("What did he tell the Senate Armed Services Committee?", "When did Admiral Lisa Franchetti testify?", "",
     "What did Admiral Lisa Franchetti tell the Senate Armed Services Committee?"),
    ("When did he sign the order?", "What did the Secretary of Energy announce in May?", "",
     "When did the Secretary of Energy sign the order?"),
    # "they": a plural phrase agrees before a singular subject; a "Which" phrase keeps its description
    ("When do they expire?", "Which firm holds the permits AK-7 and AK-9?", "",
     "When do AK-7 and AK-9 expire?"),
    ("Which grants do they receive?", "Which hospitals were closed in 2024?", "",
     "Which grants do the hospitals receive?"),
    ("Which grants do they receive?", "Which rural hospitals were closed in 2024?", "",
     "Which grants do the rural hospitals receive?"),
    ("Where do they dock?", "Did Alder Marine, Brisk Shipping and Coastal Tankers join the program in May?", "",
     "Where do Alder Marine, Brisk Shipping and Coastal Tankers dock?"),
    # "their": an organisation when nothing plural is named
    ("What did the judge say about their motion?", "What did the Sierra Club file in June?", "",
     "What did the judge say about the Sierra Club’s motion?"),
    # "Who ...?": "they" are the ones its answer names
    ("What else did they propose?", "Who proposed a cap on drug prices?",
     "Several Members of the Senate Finance Committee proposed a cap on drug prices [1].",
     "What else did several Members of the Senate Finance Committee propose?"),
    # "that/those + noun": the name holding the noun, the phrase it heads, else the noun with the last name
    ("What does that act require?", "When did Congress pass the Clean Water Act?", "",
     "What does the Clean Water Act require?"),
    ("Who audited those contracts?", "What did the inspector find about contracts signed in Guam?", "",
     "Who audited the contracts signed in Guam?"),
    ("How long did that suspension last?", "When did the Commission suspend the Keystone permit?", "",
     "How long did the Keystone suspension last?"),
    # "the agency": an agency's name or acronym from the last question
    ("How many inspectors does the agency employ?", "What did OSHA find at the plant?", "",
     "How many inspectors does OSHA employ?"),
    # "there": the place the last question put something in, or the answer's place after "Where"
    ("How many ships passed there in 2025?", "What did the Navy deploy in the Red Sea?", "",
     "How many ships passed in the Red Sea in 2025?"),
    ("Who else opened an office there?", "Where did the bank open its regional office?",
     "The bank opened its regional office in Nairobi in 2023 [1].", "Who else opened an office in Nairobi?"),
])
def test_a_reference_is_named_by_the_phrase_that_agrees(follow_up, previous, answer, expected):
    resolution = resolve(follow_up, previous, answer)
    assert resolution is not None
    assert resolution.question == expected


@pytest.mark.parametrize("follow_up, previous", [
    ("Are there other programs like it?", "Which rural hospitals were closed in 2024?"),  # existential "there", "it"
    ("What does the report say about tariffs?", "What did OSHA find at the plant?"),  # no reference to an entity
    ("What did he say?", "How much did the fund pay out in 2022?"),  # no person to stand for "he"
    ("Where are they based?", "What is the budget of the program?"),  # nothing plural, no organisation named
])
def test_nothing_is_named_without_a_reference_or_an_agreeing_phrase(follow_up, previous):
    assert resolve(follow_up, previous) is None


def test_it_is_left_to_the_brief_rule_unless_asked():
    assert resolve("When did it meet?", "What is the Joint Planning Board?") is None
    named = resolve("When did it meet?", "What is the Joint Planning Board?", it=True)
    assert named is not None and named.question == "When did the Joint Planning Board meet?"


def test_names_are_typed_for_agreement():
    found = {p.text: p for p in names("Did President Biden brief NATO in the Baltic Sea?")}
    assert found["President Biden"].person
    assert found["NATO"].organisation and not found["NATO"].person
    assert found["the Baltic Sea"].place and not found["the Baltic Sea"].person
    assert [p.text for p in candidates("What did the Commerce Secretary announce about Chile and Peru?")][0] == \
        "the Commerce Secretary"


def test_a_question_asking_two_things_offers_the_phrase_of_each():
    # a trial's "Interpreted as" read "deciding the a Section 408 permission and how many requests"
    from answer.antecedents import resolve

    previous = "What is a Section 408 permission and how many requests does the Army Corps receive?"
    resolved = resolve("What deadlines does the law set for deciding them?", previous, "About 1,200 a year [1].")
    assert resolved is not None and resolved.question == "What deadlines does the law set for deciding the requests?"
