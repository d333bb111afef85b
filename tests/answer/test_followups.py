"""Follow-ups and title lines (issue 16, items 7 and 11), on two small briefs with the real model.

The Riverton brief states a fund's figures for two years; another brief states a different
programme's 2022 figure. Elliptic follow-ups ("In 2022?") must stay on the Riverton brief, and
the brief's title line is never cited as the answer.
"""

import pytest

from answer.assistant import Assistant
from answer.types import Turn
from retrieval.hybrid import HybridRetriever
from settings import Settings
from tests.conftest import index_documents, make_document
from vectorstore.types import DocumentMeta

pytestmark = pytest.mark.slow

RIVERTON = """Riverton Housing Repair Fund

The Riverton housing repair fund helps owners of older homes pay for urgent repairs such as roofs, wiring and heating.
The fund disbursed 2.1 million dollars in 2021 and 3.4 million dollars in 2022.
Most grants went to owners over the age of sixty-five, and the average grant was about 9,000 dollars.
The city council will review the fund's rules next spring.
"""
LAKESIDE = """Lakeside Transit Grants

The Lakeside transit grant program pays for new bus shelters and accessible stops in small towns.
In 2022 the program paid out 5.6 million dollars to nine towns.
Ridership on the supported routes rose by twelve percent after the shelters opened.
"""
FIRST = "How much did the Riverton housing repair fund disburse?"


@pytest.fixture(scope="module")
def briefs(tmp_path_factory, embedder):
    from vectorstore.store import open_store

    store = open_store(path=str(tmp_path_factory.mktemp("riverton")), model=embedder.name, dimension=embedder.dimension)
    docs = [make_document(RIVERTON, source="riverton.txt", meta=DocumentMeta(title="Riverton Housing Repair Fund")),
            make_document(LAKESIDE, source="lakeside.txt", meta=DocumentMeta(title="Lakeside Transit Grants"))]
    index_documents(store, embedder, docs)
    settings = Settings()
    assistant = Assistant(HybridRetriever.over(store, embedder, settings=settings.retrieval), embedder,
                          settings.answer)
    return assistant, store, {d.source: d.content_hash for d in docs}


def test_a_title_line_is_never_the_answer(briefs):
    assistant, store, ids = briefs
    answer = assistant.ask(FIRST)
    assert not answer.refused
    assert "3.4 million dollars" in answer.text and "2.1 million dollars" in answer.text
    assert all(c.quote.strip() != "Riverton Housing Repair Fund" for c in answer.citations)
    assert not answer.text.startswith("Riverton Housing Repair Fund")


@pytest.mark.parametrize("follow_up", ["In 2022?", "Only the 2022 figure, please."])
def test_an_elliptic_follow_up_stays_on_the_brief_of_the_last_turn(briefs, follow_up):
    assistant, store, ids = briefs
    first = assistant.ask(FIRST)
    answer = assistant.ask(follow_up, history=[Turn.from_answer(first)])
    assert not answer.refused
    assert "3.4 million dollars" in answer.text
    assert "5.6 million" not in answer.text
    assert answer.citations and {c.doc_id for c in answer.citations} == {ids["riverton.txt"]}
    assert answer.standalone_question != follow_up
    assert "Riverton" in answer.standalone_question and "2022" in answer.standalone_question
    for c in answer.citations:
        assert store.document_text(c.doc_id)[c.start:c.end] == c.quote


def test_a_follow_up_that_asks_its_own_question_has_its_own_kind(briefs):
    """The terms the offline condensing carries from a recommendations question ("recommend") never make
    a whole follow-up question a recommendations one; one that asks nothing of its own keeps the kind."""
    assistant, store, ids = briefs
    first = assistant.ask("What does the Riverton brief recommend?")
    assert first.kind == "recommendations"
    history = (Turn.from_answer(first),)
    for question in ("Who will review the rules there?", "Who got most of the grants there?"):
        # before: "recommendations", from the "recommend" the condensing carried ("... there? (Riverton, brief,
        # recommend)"); answered, or refused, as advice
        assert assistant.ask(question, history=history).kind == "fact", question
    carried = assistant.ask("What about the Lakeside brief?", history=history)
    assert carried.kind == "recommendations"
