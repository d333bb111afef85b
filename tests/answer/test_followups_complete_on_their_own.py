"""Follow-ups complete on their own, with the real model over a small real store (a browser trial over all
CRS reports: a comparison naming two credit reports, asked after an FDA question, was searched with the
FDA answer's agency in place of its "them"; "Who wrote it?" after a fact question searched the last
question's words). Texts written for these tests."""

import pytest

from answer.assistant import Assistant
from answer.types import Turn
from retrieval.hybrid import HybridRetriever
from settings import Settings
from tests.conftest import index_documents, make_document
from vectorstore.types import DocumentMeta

pytestmark = pytest.mark.slow

HEAT_PUMP = """Preliminary Data on the Heat Pump Rebate

The heat pump rebate pays households up to $8,000 toward an electric heat pump.
About 410,000 households claimed the heat pump rebate in 2024.
Most rebate recipients lived in single-family homes.
"""
WINDOWS = """Preliminary Data on the Window Insulation Rebate

The window insulation rebate pays households up to $600 toward insulated windows.
About 95,000 households claimed the window insulation rebate in 2024.
Recipients could claim the rebate for more than one window.
"""
RECALL = """Consumer Product Safety Commission Response to a Space Heater Recall

The Consumer Product Safety Commission and the Department of Energy announced a recall of 20,000 space heaters in March 2026.
The Commission found that the heaters overheated when left on for more than ten hours.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, embedder):
    from vectorstore.store import open_store

    store = open_store(path=str(tmp_path_factory.mktemp("own")), model=embedder.name, dimension=embedder.dimension)
    docs = [make_document(HEAT_PUMP, source="heat.txt",
                          meta=DocumentMeta(title="Preliminary Data on the Heat Pump Rebate", authors=("Ana Ruiz",))),
            make_document(WINDOWS, source="windows.txt",
                          meta=DocumentMeta(title="Preliminary Data on the Window Insulation Rebate")),
            make_document(RECALL, source="recall.txt",
                          meta=DocumentMeta(title="Consumer Product Safety Commission Response to a Space Heater Recall"))]
    index_documents(store, embedder, docs)
    settings = Settings()
    ids = {d.source: d.content_hash for d in docs}
    return Assistant(HybridRetriever.over(store, embedder, settings=settings.retrieval), embedder,
                     settings.answer), store, ids


def test_a_comparison_naming_its_briefs_keeps_its_own_pronoun(assistant):
    assistant, store, ids = assistant
    first = assistant.ask("What did the Consumer Product Safety Commission do about the space heaters?")
    question = "Compare the Heat Pump Rebate and Window Insulation Rebate reports on how many households claimed them"
    answer = assistant.ask(question, history=[Turn.from_answer(first)])
    assert answer.standalone_question == question
    assert {b.doc_id for b in answer.briefs_read} == {ids["heat.txt"], ids["windows.txt"]}
    assert answer.citations
    for citation in answer.citations:
        assert citation.doc_id in (ids["heat.txt"], ids["windows.txt"])
        assert store.document_text(citation.doc_id)[citation.start:citation.end] == citation.quote


def test_who_wrote_it_after_a_fact_question_reads_the_brief_of_that_turn(assistant):
    assistant, _, ids = assistant
    first = assistant.ask("How much does the heat pump rebate pay households?")
    assert [c.doc_id for c in first.citations][:1] == [ids["heat.txt"]]
    answer = assistant.ask("Who wrote it?", history=[Turn.from_answer(first)])
    assert answer.standalone_question == "Who wrote it?"
    assert [b.doc_id for b in answer.briefs_read] == [ids["heat.txt"]]
    assert "Ana Ruiz" in answer.text
