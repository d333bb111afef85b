"""Follow-ups that refer back to the last turn's brief (issue 12, item 6), with the real model over a
small real store: "that report" wins over title words many policy titles share ("Issues for
Congress"), a question naming another brief by a word of its own title still switches, and "they"
after a catalogue question about one brief are its authors, so the follow-up reads that brief."""

import pytest

from answer.assistant import Assistant
from answer.types import Turn
from retrieval.hybrid import HybridRetriever
from settings import Settings
from tests.conftest import index_documents, make_document
from vectorstore.types import DocumentMeta

pytestmark = pytest.mark.slow

DAIRY = """Canada Dairy Trade Relations

Canada limits imports of dairy products through tariff-rate quotas that the trade agreement enlarged in 2020.
United States exporters filled less than half of the cheese quota in 2025.
Issues that Congress may consider include how Canada allocates the dairy quotas among importers.
Congress may also consider oversight of the dispute settlement panels that reviewed the quota rules.
"""
WIND = """Offshore Wind Leasing: Issues for Congress

The Bureau of Ocean Energy Management sold six offshore wind leases off the Atlantic coast in 2024.
Congress may consider whether to change how lease revenues from offshore wind projects are shared with coastal states.
Fishing groups asked Congress to require compensation for lost fishing grounds near the turbines.
"""
STABLECOIN = """Stablecoin Payment Markets

Stablecoins are digital tokens that promise redemption at one dollar each.
Holders of a stablecoin face run risk when its issuer cannot redeem the tokens at par, and they may lose funds if the issuer fails.
Issuers hold reserves of Treasury bills and bank deposits to back the tokens.
"""
LABELS = """Food Label Litigation

State lawsuits identify risks for consumers and investors in misleading food labels.
The risks consumers identify include allergens that labels fail to disclose.
Investors in food companies identify litigation risk as a cost of state consumer protection laws.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, embedder):
    from vectorstore.store import open_store

    store = open_store(path=str(tmp_path_factory.mktemp("backrefs")), model=embedder.name, dimension=embedder.dimension)
    docs = [make_document(DAIRY, source="dairy.txt", meta=DocumentMeta(title="Canada Dairy Trade Relations")),
            make_document(WIND, source="wind.txt", meta=DocumentMeta(title="Offshore Wind Leasing: Issues for Congress")),
            make_document(STABLECOIN, source="stablecoin.txt",
                          meta=DocumentMeta(title="Stablecoin Payment Markets", authors=("Rosa Imbert",))),
            make_document(LABELS, source="labels.txt", meta=DocumentMeta(title="Food Label Litigation"))]
    index_documents(store, embedder, docs)
    settings = Settings()
    ids = {d.source: d.content_hash for d in docs}
    return Assistant(HybridRetriever.over(store, embedder, settings=settings.retrieval), embedder,
                     settings.answer), store, ids


def _conversation(assistant, first, follow_up):
    answer = assistant.ask(first)
    return answer, assistant.ask(follow_up, history=[Turn.from_answer(answer)])


def test_that_report_wins_over_generic_title_words_of_another_brief(assistant):
    assistant, store, ids = assistant
    first, answer = _conversation(assistant, "What does the Canada dairy trade report say about the cheese quota?",
                                  "What issues does that report say Congress may consider?")
    assert [b.doc_id for b in first.briefs_read] == [ids["dairy.txt"]]
    assert [b.doc_id for b in answer.briefs_read] == [ids["dairy.txt"]]
    assert not answer.refused and answer.citations
    for citation in answer.citations:
        assert citation.doc_id == ids["dairy.txt"]
        assert store.document_text(citation.doc_id)[citation.start:citation.end] == citation.quote


def test_a_follow_up_naming_another_brief_by_its_own_title_words_switches(assistant):
    assistant, _, ids = assistant
    _, answer = _conversation(assistant, "What does the Canada dairy trade report say about the cheese quota?",
                              "What does the offshore wind report say Congress may consider?")
    assert [b.doc_id for b in answer.briefs_read] == [ids["wind.txt"]]
    assert not answer.refused
    assert all(c.doc_id == ids["wind.txt"] for c in answer.citations)


def test_they_after_a_catalogue_question_are_the_authors_of_its_brief(assistant):
    assistant, _, ids = assistant
    first, answer = _conversation(assistant, "Who wrote the stablecoin report?",
                                  "What risks do they identify for consumers and investors?")
    assert first.kind == "catalogue" and "Rosa Imbert" in first.text
    assert answer.standalone_question == "What risks do the authors identify for consumers and investors?"
    assert [b.doc_id for b in answer.briefs_read] == [ids["stablecoin.txt"]]
    assert answer.retrieved and all(h.chunk.doc_id == ids["stablecoin.txt"] for h in answer.retrieved)
