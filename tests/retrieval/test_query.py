import pytest

from retrieval.query import carried_phrase, condense_offline, entities, flat_carried, is_follow_up


def test_pronoun_follow_up_carries_the_previous_names():
    # naming "he" is answer.antecedents' (one rule for entity references); what it leaves gets the names carried
    assert condense_offline("What did he advise South Korea?", ["Who is Elbridge Colby?"]) == \
        "What did he advise South Korea? (Elbridge Colby)"


def test_elliptic_follow_up_carries_names_and_terms():
    standalone = condense_offline("What about Japan?", ["How did South Korea react to the THAAD deployment?"])
    assert standalone.startswith("What about Japan? (") and "THAAD" in standalone and "deployment" in standalone


def test_carried_terms_read_as_the_previous_question_words_them_not_as_a_bag():
    # shown as "Interpreted as: ...": a reader reads the previous question, not "(much, federal, debt, ...)"
    previous = "How many days did the Section 232 copper investigation take from initiation to tariff implementation?"
    assert condense_offline("What about steel?", [previous]) == f"What about steel? ({previous})"


def test_words_the_subject_leaves_out_are_elided_from_the_carried_question():
    # the topic drops words for documents and for the kind of answer ("report", "recommend"): not carried
    def topic(question):
        return question.replace(" report recommend", "")

    previous = "What does the NIH indirect costs report recommend Congress consider?"
    assert condense_offline("What about universities?", [previous], topic=topic) == \
        "What about universities? (What does the NIH indirect costs … Congress consider?)"
    assert carried_phrase("Who wrote the Australia report?", "wrote Australia") == "Who wrote the Australia …?"


@pytest.mark.parametrize("question", ["What is THAAD?", "How many missiles has North Korea launched?"])
def test_standalone_questions_are_left_alone(question):
    assert not is_follow_up(question)
    assert condense_offline(question, ["Who is Elbridge Colby?"]) == question


def test_congress_is_no_subject_of_a_follow_up_of_its_own():
    # a seventh trial's "What could Congress do about it?" after questions on one Insight searched the collection:
    # every CRS brief is written for Congress, naming it names no new subject
    assert is_follow_up("What could Congress do about it?")
    assert is_follow_up("What can lawmakers do about this?")
    assert not is_follow_up("What could Congress do about the NSGP?")  # a subject of its own
    assert not is_follow_up("What could Congress do about Japan?")


def test_without_history_nothing_changes():
    assert condense_offline("What did he advise?", []) == "What did he advise?"


def test_entities_drop_question_words_and_keep_abbreviations():
    assert entities("Who is Elbridge Colby?") == ["Elbridge Colby"]
    assert entities("What did the U.S. and Japan agree in Hiroshima?") == ["U.S.", "Japan", "Hiroshima"]


def test_a_carried_question_is_carried_flat():
    # a fifth trial's third turn read "Which recent attacks ...? (Can individual nonprofits apply for it directly?
    # (How much funding did the Nonprofit Security Grant Program receive in FY2024 and FY2025?))"
    last = "Can individual nonprofits apply for it directly? (How much funding did the NSGP receive in FY2025?)"
    standalone = condense_offline("Which attacks does it cite?", [last])
    assert standalone == "Which attacks does it cite? (Can individual nonprofits apply for it directly? How much " \
                         "funding did the NSGP receive in FY2025?)"
    assert standalone.count("(") == 1
    assert flat_carried("A? (B? (C?))") == "A? B? C?"
    assert flat_carried("What is the NSGP?") == "What is the NSGP?"
