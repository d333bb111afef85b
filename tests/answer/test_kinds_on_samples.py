"""Every question kind on the sample briefs, with the real model: shapes, briefs read, exact citations."""

import pytest

from answer.assistant import Assistant
from answer.types import Turn
from answer.compose import UNCLEAR
from prompts import refusal_sentence
from retrieval.hybrid import HybridRetriever
from settings import Settings
from tests.conftest import SAMPLE_000, SAMPLE_001

pytestmark = pytest.mark.slow

QUESTIONS = {
    "summary": "Summarize the 2017 brief.",
    "recommendations": "What does the 2017 brief recommend?",
    "comparison": "Compare how the two briefs see Japan.",
    "timeline": "Give a timeline of the events in the 2017 brief.",
    "list": "List the areas in which the Biden, Yoon, and Kishida administrations want to deepen cooperation.",
    "catalogue": "When was the brief on uncertainty among U.S. allies published?",
    "fact": "How much has Japan invested in missile defenses?",
}


@pytest.fixture(scope="module")
def assistant(sample_store, embedder) -> Assistant:
    settings = Settings()
    return Assistant(HybridRetriever.over(sample_store, embedder, settings=settings.retrieval), embedder,
                     settings.answer)


@pytest.fixture(scope="module")
def answers(assistant):
    return {kind: assistant.ask(question) for kind, question in QUESTIONS.items()}


def test_each_kind_is_answered_in_its_shape(answers):
    assert all(answer.kind == kind for kind, answer in answers.items())
    for kind, answer in answers.items():
        assert not answer.refused, kind
    assert answers["summary"].text.startswith("- ") and answers["summary"].shape == "bullets"
    assert "\n" not in answers["fact"].text and answers["list"].text.startswith("- ")
    assert "**Uncertainty Among U.S. Allies in Northeast Asia (2017-05-08)**" in answers["comparison"].text
    assert "2017-05-08" in answers["catalogue"].text


def test_a_summary_reads_the_named_brief_only(answers):
    summary = answers["summary"]
    assert [b.title for b in summary.briefs_read] == ["Uncertainty Among U.S. Allies in Northeast Asia"]
    assert len(summary.citations) >= 4 and {c.source for c in summary.citations} == {SAMPLE_001}


def test_a_comparison_cites_both_briefs(answers):
    assert {c.source for c in answers["comparison"].citations} == {SAMPLE_000, SAMPLE_001}


def test_a_timeline_is_in_date_order(answers):
    lines = [line for line in answers["timeline"].text.splitlines() if line.startswith("- ")]
    assert len(lines) >= 3
    assert lines[0].startswith("- 19") or lines[0].startswith("- 20")


def test_the_authors_first_person_is_attributed(assistant):
    answer = assistant.ask("What are the main points of the brief on the trilateral response?")
    for sentence in answer.text.splitlines():
        assert not sentence.lstrip("- ").startswith("I "), sentence


def test_every_citation_quotes_its_document_exactly_in_every_kind(answers, sample_store):
    for kind, answer in answers.items():
        for c in answer.citations:
            assert sample_store.document_text(c.doc_id)[c.start:c.end] == c.quote, kind


def test_a_follow_up_with_it_reads_the_brief_of_the_last_turn(assistant):
    first = assistant.ask("Summarize the 2017 brief.")
    answer = assistant.ask("What does it recommend Washington do?", history=[Turn.from_answer(first)])
    assert not answer.refused and {c.source for c in answer.citations} == {SAMPLE_001}
    assert answer.standalone_question


def test_a_follow_up_on_the_author_or_comparing_this_reads_the_brief_of_the_last_turn(assistant):
    """A trial: "What does the author recommend?" after a summary was refused, and "How does this
    compare with the 2017 brief?" raised ValueError (an empty aspect searched)."""
    first = assistant.ask("What are the key takeaways of the 2024 brief?")
    assert {c.source for c in first.citations} == {SAMPLE_000}
    advice = assistant.ask("What does the author recommend?", history=[Turn.from_answer(first)])
    assert not advice.refused and {c.source for c in advice.citations} == {SAMPLE_000}
    compared = assistant.ask("How does this compare with the 2017 brief?", history=[Turn.from_answer(first)])
    assert compared.kind == "comparison" and {c.source for c in compared.citations} == {SAMPLE_000, SAMPLE_001}
    alone = assistant.ask("Compare the 2017 brief.")  # one brief and nothing asked of it: no crash
    assert {c.source for c in alone.citations} <= {SAMPLE_001}


def test_the_year_that_names_a_brief_is_no_number_the_answer_must_state(assistant):
    # a trial: refused, because only sentences stating "2017" could answer
    answer = assistant.ask("What does the 2017 brief say about THAAD?")
    assert not answer.refused and "THAAD" in answer.text and {c.source for c in answer.citations} == {SAMPLE_001}


def test_briefs_published_in_a_period_are_listed_from_the_catalogue(assistant, sample_store):
    answer = assistant.ask("Which briefs were published before 2026?")
    assert answer.kind == "catalogue" and "Uncertainty Among U.S. Allies in Northeast Asia (2017-05-08)" in answer.text
    assert "Not dated, so left out: “The North Korean and Chinese Threats" in answer.text
    assert {c.source for c in answer.citations} == {SAMPLE_001}  # the date where the brief prints it
    for c in answer.citations:
        assert sample_store.document_text(c.doc_id)[c.start:c.end] == c.quote


def test_a_refusal_cites_what_is_nearby(assistant, sample_store):
    answer = assistant.ask("What is the population of Brazil?")
    assert answer.refused and answer.text.startswith((refusal_sentence(), UNCLEAR))
    for c in answer.citations:
        assert sample_store.document_text(c.doc_id)[c.start:c.end] == c.quote


def test_more_passages_never_turn_an_answer_into_a_refusal(assistant):
    for question in ("What happened to Lotte?", "How much has Japan invested in missile defenses?",
                     "What did Elbridge Colby advise South Korea?"):
        answered = [not assistant.ask(question, k=k).refused for k in (3, 5, 8, 10)]
        assert answered == sorted(answered), (question, answered)  # once answered, answered for every larger k


def test_overviews_are_cached_per_content_hash(assistant, sample_store):
    doc_id = next(e.doc_id for e in sample_store.manifest().values() if SAMPLE_001 in e.sources)
    first = assistant.overview(doc_id)
    assert assistant.overview(SAMPLE_001) is first
    assert first.kind == "summary" and first.citations and not first.refused


def test_with_the_coverage_check_on_summaries_stay_answered_and_more_passages_never_refuse(sample_store, embedder):
    settings = Settings()
    strict = Assistant(HybridRetriever.over(sample_store, embedder, settings=settings.retrieval), embedder,
                       settings.answer.model_copy(update={"coverage_weight": 1.0}))
    summary = strict.ask(QUESTIONS["summary"])
    assert summary.kind == "summary" and not summary.refused and summary.evidence == 1.0
    for question in ("What happened to Lotte?", "How many Typhon launchers did the Army deploy to Japan?"):
        evidence = [strict.ask(question, k=k).evidence for k in (3, 5, 8)]
        assert evidence == sorted(evidence), (question, evidence)
