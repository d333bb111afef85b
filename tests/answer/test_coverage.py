"""The question-coverage check on constructed passages: what a near-miss question names or asks for that the sentence lacks."""

import pytest

from answer.compose import candidates_for, coverage_context, evidence
from answer.answer_type import has_answer_type
from answer.coverage import NAME_WEIGHT, SLOT_PENALTY, coverage, question_focus
from tests.answer.passages import hits_of

PASSAGE = ("The Army accepted its first launcher battery in December 2022. The battery has four launchers and an "
           "operations center. Officials have not said where the battery will deploy next.")


def _hits(texts, title="The Launcher Program"):
    return hits_of(texts, title)


def test_focus_weights_names_and_numbers_above_common_words_and_drops_frame_words():
    focus = question_focus("How many launchers did the Army deploy to Japan in 2026?")
    assert focus.slot == "count"
    assert focus.weights["japan"] == NAME_WEIGHT and focus.weights["armi"] == NAME_WEIGHT
    assert focus.weights["2026"] == NAME_WEIGHT and focus.weights["launcher"] == 1.0
    assert "mani" not in focus.weights and "how" not in focus.weights
    assert question_focus("Who commands the 3rd task force?").weights["3rd"] == NAME_WEIGHT


@pytest.mark.parametrize("question, slot", [
    ("When did the Army accept its first battery?", "date"),
    ("Who leads the program?", "person"),
    ("How much did the program cost?", "money"),
    ("What does the battery consist of?", ""),
])
def test_the_asked_for_slot(question, slot):
    assert question_focus(question).slot == slot


def test_a_slot_is_filled_only_by_what_it_asks_for():
    assert has_answer_type("date", "It was accepted in December 2022.")
    assert not has_answer_type("date", "It was accepted after the test.")
    assert has_answer_type("count", "It has four launchers.") and not has_answer_type("count", "It has launchers.")
    question = "Who leads the Army program?"
    assert has_answer_type("person", "The program is led by General John Smith.", question)
    assert not has_answer_type("person", "The Army runs the program.", question)  # only the question's own name


def test_a_name_the_passage_lacks_lowers_coverage_more_than_a_common_word():
    covered = coverage(question_focus("How many launchers does the Army battery have?"), PASSAGE)
    missing_name = coverage(question_focus("How many launchers does the Army battery have in Japan?"), PASSAGE)
    missing_word = coverage(question_focus("How many launchers does the Army battery have in reserve?"), PASSAGE)
    assert covered == 1.0
    assert missing_name < missing_word < 1.0


def test_the_answer_type_counts_only_in_the_sentence_itself_not_in_its_context():
    focus = question_focus("When did the Army battery deploy?")
    without_date = "The Army battery will deploy next."
    assert coverage(focus, without_date) == pytest.approx(SLOT_PENALTY)
    assert coverage(focus, without_date + " It deployed in 2024.") == 1.0
    # a year in the title or the next sentence is no answer to "when": "FY2027 Budget Request"
    assert coverage(focus, without_date, "Army FY2027 Budget Request\nIt was funded in 2024.") == pytest.approx(SLOT_PENALTY)


def test_a_question_without_focus_terms_is_fully_covered():
    assert coverage(question_focus("What is it?"), PASSAGE) == 1.0


def test_the_context_holds_the_title_and_the_neighbouring_sentences(fake_embedder):
    hits = _hits([PASSAGE])
    candidate = next(c for c in candidates_for("four launchers operations center", hits, fake_embedder)
                     if c.text.startswith("The battery has four"))
    context = coverage_context(candidate)
    assert "The Launcher Program" in context and "December 2022" in context and "deploy next" in context


def test_the_near_miss_scores_lower_than_the_answerable_question_on_the_same_passage(fake_embedder):
    hits = _hits([PASSAGE, "Soldiers trained with the launchers during the spring exercise in the desert."])
    answerable = "When did the Army accept its first launcher battery?"
    near_miss = "When did the Army deploy its first launcher battery to Japan?"
    plain = [evidence(q, hits, fake_embedder, match_numbers=True, coverage_weight=0.0) for q in (answerable, near_miss)]
    weighted = [evidence(q, hits, fake_embedder, match_numbers=True, coverage_weight=1.0)
                for q in (answerable, near_miss)]
    assert weighted[0] == pytest.approx(plain[0])  # fully covered: unchanged
    assert weighted[1] < plain[1] and weighted[1] < weighted[0]


def test_coverage_weight_zero_is_the_relevance_alone(fake_embedder):
    hits = _hits([PASSAGE])
    question = "How many launchers does a battery have in Japan?"
    best = candidates_for(question, hits, fake_embedder, match_numbers=True)[0].relevance
    assert evidence(question, hits, fake_embedder, match_numbers=True) == pytest.approx(best)


def test_a_name_in_the_title_counts_but_a_common_word_only_there_counts_half():
    focus = question_focus("How many launchers does the Typhon battery have?")
    sentence = "The battery has four launchers."
    assert coverage(focus, sentence, "The Typhon System") == 1.0
    relation = question_focus("How many launchers does the battery store?")
    assert coverage(relation, sentence, "Where they store them") == pytest.approx((1 + 1 + 0.5) / 3)


def test_a_number_the_question_states_does_not_fill_its_slot():
    question = "How much did the fund lend to Argentina in 2025?"
    assert not has_answer_type("money", "The fund supported Argentina in 2025.", question)
    assert has_answer_type("money", "The fund lent Argentina $20 billion in 2025.", question)
    assert not has_answer_type("date", "The program changed in 2024.", "What changed in 2024?")


def test_which_noun_questions_ask_for_a_slot_and_the_noun_need_not_appear():
    focus = question_focus("Which country brokered the ceasefire?")
    assert focus.slot == "name" and "countri" not in focus.weights
    assert coverage(focus, "The Pakistan-brokered ceasefire came hours later.") == 1.0
    assert coverage(focus, "The brokered ceasefire came hours later.") == pytest.approx(SLOT_PENALTY)
    assert question_focus("What tariff rate did the administration impose?").slot == "percent"
    assert question_focus("In what year was the fund created?").slot == "date"


def test_a_name_found_elsewhere_in_the_brief_counts_and_one_the_brief_never_mentions_does_not():
    focus = question_focus("Whose visit eased worries in Seoul and Tokyo?")
    sentence = "The Vice President's visit to both capitals eased worries."
    brief = {"seoul", "tokyo", "visit"}
    assert coverage(focus, sentence, brief=brief) == 1.0
    assert coverage(focus, sentence) < coverage(focus, sentence, brief=brief)
    japan = question_focus("How many launchers did the battery deploy to Japan?")
    assert coverage(japan, "The battery deployed four launchers.", brief={"battery", "launcher"}) < 1.0


def test_evidence_looks_names_up_in_the_brief(fake_embedder):
    hits = _hits([PASSAGE])
    question = "When did the Army accept its first launcher battery for Japan?"
    without = evidence(question, hits, fake_embedder, match_numbers=True, coverage_weight=0.5)
    with_brief = evidence(question, hits, fake_embedder, match_numbers=True, coverage_weight=0.5,
                          brief_terms=lambda doc_id: {"japan"})
    assert with_brief > without


def test_asked_names_are_proper_names_of_several_words():
    from answer.coverage import asked_names

    assert asked_names("How many visitors did the National Park Service report in 2025?") == ["National Park Service"]
    assert asked_names("Which Bureau of Land Management offices closed?") == ["Bureau of Land Management"]
    assert asked_names("Who won South Korea's May 9, 2017 presidential election?") == ["South Korea"]
    assert asked_names("How much did the Administration request for FWS for FY2027?") == []  # no acronyms or codes


def test_absent_names_are_those_no_text_writes():
    from answer.coverage import absent_names

    fws = ("The FY2027 request also expressed support for Congress to reauthorize the National Parks and Public Land "
           "Legacy Restoration Fund (54 U.S.C. §200402) to help FWS (and other agencies) address deferred maintenance.")
    assert absent_names("What is the National Park Service budget request for FY2027?", [fws]) == \
        ["National Park Service"]
    assert absent_names("What is the National Park budget?", [fws]) == ["National Park"]  # "Parks" is another word
    assert absent_names("What does the Legacy Restoration Fund pay for?", [fws]) == []
    # two names joined by "and" are written when each is
    assert absent_names("What did the Japanese and South Korean governments request?",
                        ["The Japanese government agreed.", "South Korean officials said no."]) == []
    # an institution named head last is written in the other order (a trial's "Education Department" was refused)
    ed = "The U.S. Department of Education (ED) enforces FERPA."
    assert absent_names("What did the Education Department find about California?", [ed]) == []
    assert absent_names("What did the Labor Department find?", [ed]) == ["Labor Department"]


def test_a_typed_apostrophe_matches_a_typographic_one():
    # "the Marine Corps' Amphibious Combat Vehicle" typed with a straight apostrophe after a plural "s" is the name
    # the report writes "The Marine Corps’ Amphibious Combat Vehicle": the trial's first question had been refused
    from answer.coverage import absent_names, folded

    title = "The Marine Corps’ Amphibious Combat Vehicle (ACV)"
    assert folded("Marine Corps' vehicle") == folded("Marine Corps’ vehicle")
    assert absent_names("What is the Marine Corps' Amphibious Combat Vehicle?", [title]) == []
    assert absent_names("What is the Navy's Amphibious Combat Vehicle?", [title]) == ["Navy's Amphibious Combat Vehicle"]


def test_a_fact_is_quoted_from_the_briefs_that_write_the_name_asked_about():
    """A trial's "How much funding did the Nonprofit Security Grant Program receive in FY2024 and FY2025?" quoted a
    rural grant program's "$12 million each year in FY2024 and FY2025" beside the program's own figure."""
    from types import SimpleNamespace

    from answer.coverage import folded, of_briefs_naming

    def candidate(doc_id):
        return SimpleNamespace(hit=SimpleNamespace(chunk=SimpleNamespace(doc_id=doc_id)))

    texts = {"nsgp": folded("Soft Targets and the Nonprofit Security Grant Program. The NSGP provided $274.5 million."),
             "rural": folded("Congress reduced the funding to $12 million each year in FY2024 and FY2025.")}
    rural, nsgp = candidate("rural"), candidate("nsgp")
    question = "How much funding did the Nonprofit Security Grant Program receive in FY2024 and FY2025?"
    assert of_briefs_naming(question, [rural, nsgp], texts.__getitem__) == [nsgp]
    # no brief writes the name: every candidate stays (whether to refuse is decided elsewhere)
    assert of_briefs_naming("How much did the Park Service get?", [rural, nsgp], texts.__getitem__) == [rural, nsgp]
    assert of_briefs_naming("What did the National Park Service get?", [rural, nsgp], texts.__getitem__) == [rural, nsgp]
