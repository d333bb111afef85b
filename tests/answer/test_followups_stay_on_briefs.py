"""Follow-ups that name no other brief and no new subject are asked of the briefs the last turn read
(``answer.condense.stays_on_briefs``), with the real model over a small real store: an elliptical one
("What changed in April 2026?") is not answered from another brief that shares its words, a question on
a name of the conversation ("Did the court rule for ...?") reads the conversation's brief alone, an
follow-up the brief does not answer is answered from a related brief (a title sharing a topic word) but
never from an unrelated one, and a follow-up with a word the brief lacks searches the whole collection."""

import pytest

from answer.assistant import Assistant
from answer.types import Turn
from retrieval.hybrid import HybridRetriever
from settings import Settings
from tests.conftest import index_documents, make_document
from vectorstore.types import DocumentMeta

pytestmark = pytest.mark.slow

COPPER = """Tariffs on Copper Imports

Starting August 1, 2025, the President imposed 50% tariffs on imports of semi-finished copper products.
The President modified these copper tariffs in April 2026.
Effective April 6, 2026, the tariff on copper-intensive derivative products was lowered to 25%.
Copper imports reached 900,000 tons in 2025, many of them from Chile and Canada.
The tariffs changed import prices for wire makers.
In March 2026, Kestrel Wire filed suit over the copper tariffs, and the district court ruled that the suit was untimely.
"""
GRAIN = """Rice Market Changes

What changed in April 2026 for rice importers was the end of the licensing rule.
In April 2026, Japan imported 300,000 tons of rice, more than in any month before.
Rice prices rose in Japan through the winter.
"""
RULINGS = """Shipping Contract Disputes

In March 2026 the appeals court ruled for Kestrel Wire in its contract dispute with a shipping company.
The court held that the shipping contract had been breached.
"""
METALS = """Import Markets for Metals

In April 2026, 40,000 tons of copper were imported from Chile.
Aluminum sheet prices fell in the same month.
"""


def _assistant(path, embedder, *texts):
    from vectorstore.store import open_store

    store = open_store(path=str(path), model=embedder.name, dimension=embedder.dimension)
    docs = [make_document(text, source=source, meta=DocumentMeta(title=text.splitlines()[0])) for source, text in texts]
    index_documents(store, embedder, docs)
    settings = Settings()
    ids = {d.source: d.content_hash for d in docs}
    return Assistant(HybridRetriever.over(store, embedder, settings=settings.retrieval), embedder,
                     settings.answer), store, ids


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, embedder):
    return _assistant(tmp_path_factory.mktemp("stay"), embedder, ("copper.txt", COPPER), ("rice.txt", GRAIN),
                      ("rulings.txt", RULINGS))


@pytest.fixture(scope="module")
def with_related(tmp_path_factory, embedder):
    return _assistant(tmp_path_factory.mktemp("related"), embedder, ("copper.txt", COPPER), ("rice.txt", GRAIN),
                      ("metals.txt", METALS))


FIRST = "What tariff did the President impose on copper imports and when?"


def _follow_up(assistant, first, follow_up):
    answer = assistant.ask(first)
    return answer, assistant.ask(follow_up, history=[Turn.from_answer(answer)])


def _cited(answer):
    return {c.doc_id for c in answer.citations}


def test_an_elliptical_follow_up_is_asked_of_the_last_brief(assistant):
    assistant, store, ids = assistant
    first, answer = _follow_up(assistant, FIRST, "What changed in April 2026?")
    assert [b.doc_id for b in first.briefs_read] == [ids["copper.txt"]]
    assert [b.doc_id for b in answer.briefs_read] == [ids["copper.txt"]]
    assert {h.chunk.doc_id for h in answer.retrieved} == {ids["copper.txt"]}
    assert _cited(answer) <= {ids["copper.txt"]}
    for citation in answer.citations:
        assert store.document_text(citation.doc_id)[citation.start:citation.end] == citation.quote


def test_a_follow_up_on_a_name_of_the_conversation_reads_its_brief_alone(assistant):
    assistant, _, ids = assistant
    _, answer = _follow_up(assistant, FIRST, "Did the court rule for Kestrel Wire?")
    assert {h.chunk.doc_id for h in answer.retrieved} == {ids["copper.txt"]}
    assert _cited(answer) <= {ids["copper.txt"]}


def test_an_unanswerable_follow_up_is_not_answered_from_an_unrelated_brief(assistant):
    # every word is one of the copper brief's, which gives no April 2026 tonnage: it stays, and the rice brief's
    # "In April 2026, Japan imported 300,000 tons of rice" is never the answer
    assistant, _, ids = assistant
    _, answer = _follow_up(assistant, FIRST, "How many tons were imported in April 2026?")
    assert ids["rice.txt"] not in _cited(answer)
    assert {h.chunk.doc_id for h in answer.retrieved} == {ids["copper.txt"]}


def test_a_follow_up_with_a_new_subject_searches_the_collection(assistant):
    assistant, _, ids = assistant
    _, answer = _follow_up(assistant, FIRST, "How much rice did Japan import?")
    assert ids["rice.txt"] in {h.chunk.doc_id for h in answer.retrieved}
    assert ids["rice.txt"] in _cited(answer)


def test_a_follow_up_the_brief_does_not_answer_is_answered_from_a_related_brief(with_related):
    # every word is the copper brief's, which gives no April 2026 tonnage: the collection is asked, and its answer
    # is kept because its brief's title shares a topic word ("Import Markets for Metals", "Tariffs on Copper Imports")
    assistant, store, ids = with_related
    _, answer = _follow_up(assistant, FIRST, "How many tons of copper were imported from Chile in April 2026?")
    assert not answer.refused
    assert _cited(answer) == {ids["metals.txt"]}
    assert "40,000 tons" in answer.text
    for citation in answer.citations:
        assert store.document_text(citation.doc_id)[citation.start:citation.end] == citation.quote


def test_a_follow_up_naming_no_subject_is_searched_with_the_last_turns(assistant):
    # kept on the copper brief but searched as "What changed in April 2026?", a trial's follow-up was refused
    # with "The President modified these copper tariffs in April 2026" shown nearby
    assistant, store, ids = assistant
    _, answer = _follow_up(assistant, FIRST, "What changed in April 2026?")
    assert answer.standalone_question.startswith("What changed in April 2026? (") and "copper" in answer.standalone_question
    assert not answer.refused and _cited(answer) == {ids["copper.txt"]}
    assert "April" in answer.text
    for citation in answer.citations:
        assert store.document_text(citation.doc_id)[citation.start:citation.end] == citation.quote
