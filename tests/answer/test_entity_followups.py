"""Follow-ups whose pronoun stands for an entity of the last turn (issue 12, item 6), with the real
model over a small real store: the entity is named in the question searched ("Interpreted as"),
the answer comes from the sentence about it, and a follow-up the brief does not answer is refused."""

import pytest

from answer.assistant import Assistant
from answer.types import Turn
from retrieval.hybrid import HybridRetriever
from settings import Settings
from tests.conftest import index_documents, make_document
from vectorstore.types import DocumentMeta

pytestmark = pytest.mark.slow

HARBOR = """Port Ellison Channel Deepening

The Port Ellison Authority asked the Corps of Engineers to deepen the main channel of the harbor to 50 feet.
Three shipping lines, Norland Cargo, Baysea Lines and Tamber Freight, use the main channel every week.
Norland Cargo, Baysea Lines and Tamber Freight are enrolled in the port's green berth program, which cuts docking fees for ships that plug into shore power.
Harbor master Dana Ruiz said the deeper channel would let larger container ships call at the port.
The Corps of Engineers estimated that the deepening would cost 84 million dollars.
"""
RAIL = """Valley Freight Rail Upgrade

The Valley freight rail line carries grain from inland elevators to the coast.
The state rail office plans to replace 40 miles of track by 2028 at a cost of 120 million dollars.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, embedder):
    from vectorstore.store import open_store

    store = open_store(path=str(tmp_path_factory.mktemp("harbor")), model=embedder.name, dimension=embedder.dimension)
    docs = [make_document(HARBOR, source="harbor.txt", meta=DocumentMeta(title="Port Ellison Channel Deepening")),
            make_document(RAIL, source="rail.txt", meta=DocumentMeta(title="Valley Freight Rail Upgrade"))]
    index_documents(store, embedder, docs)
    settings = Settings()
    return Assistant(HybridRetriever.over(store, embedder, settings=settings.retrieval), embedder,
                     settings.answer), store


def _conversation(assistant, first, follow_up):
    answer = assistant.ask(first)
    return assistant.ask(follow_up, history=[Turn.from_answer(answer)])


def test_they_is_named_by_the_plural_phrase_of_the_last_question(assistant):
    assistant, store = assistant
    answer = _conversation(assistant, "Which shipping lines use the main channel every week?",
                           "Which program are they enrolled in?")
    assert "shipping lines" in answer.standalone_question and "they" not in answer.standalone_question.split()
    assert not answer.refused
    assert "green berth program" in answer.text
    for citation in answer.citations:
        assert store.document_text(citation.doc_id)[citation.start:citation.end] == citation.quote


def test_she_is_named_by_the_person_of_the_last_question(assistant):
    assistant, store = assistant
    answer = _conversation(assistant, "What did harbor master Dana Ruiz say about the channel?",
                           "Which ships did she say could call at the port?")
    assert "Dana Ruiz" in answer.standalone_question
    assert not answer.refused and "larger container ships" in answer.text


def test_a_near_miss_about_the_named_entity_is_still_refused(assistant):
    assistant, _ = assistant
    answer = _conversation(assistant, "Which shipping lines use the main channel every week?",
                           "How many employees do they have?")
    assert "shipping lines" in answer.standalone_question
    assert answer.refused
