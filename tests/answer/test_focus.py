"""Long questions (issue 16, item 12): answered for their asking part, with a notice; never cut silently."""

from __future__ import annotations

import re

import pytest

from answer.focus import QuestionTooLong, question_focus

PREAMBLE = (
    "I am preparing a briefing for the transport committee, which meets next month to review the "
    "maintenance programme of the city's road network. The committee has asked for a short summary of the "
    "work done last year, with attention to the condition of the main routes, the complaints received from "
    "residents, the contractors engaged and the budget that was spent. Several members have said that they "
    "want plain figures rather than general statements, and that they will compare this year's numbers with "
    "the previous report. "
)
LONG_PREAMBLE = (PREAMBLE * 7).strip()  # 3,646 characters of whole sentences
QUESTION = "Which route had the most pothole repairs?"


def words(texts):
    return [len(re.findall(r"\w+|[^\w\s]", t)) for t in texts]


def test_a_question_that_fits_is_kept_whole():
    assert question_focus(QUESTION, count_tokens=words, max_tokens=64).text == QUESTION
    assert question_focus(QUESTION, count_tokens=words, max_tokens=64).notice == ""


@pytest.mark.parametrize("question, expected", [
    (LONG_PREAMBLE + " " + QUESTION, QUESTION),  # the input
    (QUESTION + " " + LONG_PREAMBLE, QUESTION),  # asked first, then the background
    (LONG_PREAMBLE + " Please list the routes repaired. Tell me which route had the most pothole repairs",
     "Please list the routes repaired. Tell me which route had the most pothole repairs"),  # no question mark
    (LONG_PREAMBLE + " Who paid? " + LONG_PREAMBLE + " Which route had the most repairs?",
     "Who paid? Which route had the most repairs?"),  # two questions apart
])
def test_a_long_question_is_focused_on_its_asking_sentences_with_a_notice(question, expected):
    focus = question_focus(question, count_tokens=words, max_tokens=256)
    assert focus.text == expected
    assert "3," in focus.notice or "7," in focus.notice  # the length in characters is named
    assert expected in focus.notice


def test_a_single_sentence_over_the_limit_is_a_clear_error():
    with pytest.raises(QuestionTooLong, match="characters .* tokens"):
        question_focus("Why " + "very " * 400 + "long?", count_tokens=words, max_tokens=256)


ROADS = (
    "Road Maintenance Report 2024\n\n"
    "The city repaired potholes on its four main routes last year. "
    "Route 9 along the river had the most pothole repairs, with 1,240 holes filled between March and November. "
    "The ring road followed with 610 repairs, and the airport road needed 220. "
    "Residents filed 3,100 complaints about road surfaces, most of them after the February frost."
)
OTHER = (
    "Library Opening Hours\n\n"
    "The central library will open on Sundays from next spring. "
    "Branch libraries keep their current hours, and the mobile library visits nine villages each week."
)


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    LONG_PREAMBLE + " " + QUESTION,  # the input
    QUESTION + " " + LONG_PREAMBLE,
    (PREAMBLE * 3) + QUESTION,  # about 1,500 characters: still over the model's 256 tokens
])
def test_the_long_form_gets_the_short_forms_answer(tmp_path, embedder, question):
    from answer.assistant import Assistant
    from retrieval.hybrid import HybridRetriever
    from settings import Settings
    from tests.conftest import index_documents, make_document
    from vectorstore.store import open_store

    store = open_store(path=str(tmp_path / "store"), model=embedder.name, dimension=embedder.dimension)
    index_documents(store, embedder, [make_document(ROADS, source="roads.txt"), make_document(OTHER, source="lib.txt")])
    settings = Settings()
    bot = Assistant(HybridRetriever.over(store=store, embedder=embedder, settings=settings.retrieval), embedder,
                    settings.answer)
    short, long = bot.ask(QUESTION), bot.ask(question)
    assert not short.refused and "Route 9" in short.text
    assert (long.text, long.refused) == (short.text, short.refused)
    assert long.notice and QUESTION in long.notice and long.standalone_question == QUESTION
    assert short.notice == ""
