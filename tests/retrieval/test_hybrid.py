import pytest
from langchain_core.retrievers import BaseRetriever

from retrieval.filters import Filters
from retrieval.hybrid import HybridRetriever
from settings import ChunkingSettings, RetrievalSettings
from tests.conftest import index_documents, make_document
from vectorstore.types import DocumentMeta

TRADE = ("Tariffs on steel rose sharply in 2018. Exporters in Korea faced new quotas. "
         "The carbon border adjustment mechanism (CBAM) adds a levy on imports.")
DEFENSE = ("Japan has invested at least $14 billion in missile defenses. "
           "The THAAD deployment in South Korea angered Beijing.")
ENERGY = "Liquefied natural gas imports to Europe doubled. Pipelines from Norway carried the rest."


@pytest.fixture
def briefs():
    return [
        make_document(TRADE, source="trade.txt", meta=DocumentMeta(title="Trade", date="2018-03-01", series="Memo",
                                                                   authors=("Ana Lee",))),
        make_document(DEFENSE, source="defense.txt", meta=DocumentMeta(title="Defense", date="2017-05-08",
                                                                       series="Expert Brief", authors=("Sheila Smith",))),
    ]


@pytest.fixture
def retriever(make_store, fake_embedder, briefs):
    store = make_store(fake_embedder)
    index_documents(store, fake_embedder, briefs)
    return HybridRetriever.over(store=store, embedder=fake_embedder, settings=RetrievalSettings(k=3, fetch_k=10))


def test_is_a_langchain_retriever_returning_documents_with_ids_and_spans(retriever):
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("How much has Japan invested in missile defenses?")
    top = docs[0]
    assert top.metadata["source"] == "defense.txt"
    assert top.id == top.metadata["chunk_id"]
    assert DEFENSE[top.metadata["start"]:top.metadata["end"]] == top.page_content
    assert {"score", "dense_score", "keyword_score", "title", "date", "authors"} <= set(top.metadata)


def test_search_fuses_dense_and_keyword_ranks(retriever):
    hits = retriever.search("CBAM levy", k=2)
    assert hits[0].chunk.source == "trade.txt"
    assert hits[0].rank == 1 and hits[0].keyword_score > 0 and hits[0].dense_score is not None
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_keyword_index_follows_the_store_generation(retriever, fake_embedder):
    assert all(h.chunk.source != "energy.txt" for h in retriever.search("Norway pipelines", k=3))
    index_documents(retriever.store, fake_embedder, [make_document(ENERGY, source="energy.txt")])
    hits = retriever.search("Norway pipelines", k=3)
    assert hits[0].chunk.source == "energy.txt" and hits[0].keyword_score > 0
    assert len(retriever.keyword_index()) == retriever.store.count()


@pytest.mark.parametrize("filters, source", [
    (Filters(sources=("trade.txt",)), "trade.txt"),
    (Filters(date_from="2017-01-01", date_to="2017-12-31"), "defense.txt"),
    (Filters(series=("Memo",)), "trade.txt"),
    (Filters(authors=("smith",)), "defense.txt"),
])
def test_filters_apply_to_both_rankings(retriever, filters, source):
    hits = retriever.search("Korea imports missile tariffs", k=5, filters=filters)
    assert hits and {h.chunk.source for h in hits} == {source}


def test_filters_matching_nothing_return_nothing(retriever):
    assert retriever.search("Korea", k=3, filters=Filters(authors=("Nobody",))) == []


def test_identical_passages_take_one_place(make_store, fake_embedder):
    store = make_store(fake_embedder)
    index_documents(store, fake_embedder, [make_document(DEFENSE, source="a.txt"), make_document(DEFENSE + " ",
                                                                                                  source="b.txt")])
    retriever = HybridRetriever.over(store=store, embedder=fake_embedder, settings=RetrievalSettings(k=5, fetch_k=10))
    hits = retriever.search("Japan missile defenses", k=5)
    texts = [h.chunk.text for h in hits]
    assert len(texts) == len(set(texts))
    assert hits[0].chunk.source == "a.txt"  # the earliest copy is kept


def test_single_ranking_modes(retriever):
    keyword_only = retriever.model_copy(update={"settings": RetrievalSettings(k=3, dense_weight=0.0)})
    assert keyword_only.search("zzz unknown", k=3) == []  # BM25 returns no zero-score passage
    dense_only = retriever.model_copy(update={"settings": RetrievalSettings(k=3, keyword_weight=0.0)})
    assert all(h.keyword_score is None for h in dense_only.search("Japan", k=3))


def test_invoke_uses_the_retriever_filters(retriever):
    filtered = retriever.model_copy(update={"filters": Filters(sources=("trade.txt",))})
    assert {d.metadata["source"] for d in filtered.invoke("Japan missile defenses")} == {"trade.txt"}


def test_empty_question_is_refused(retriever):
    with pytest.raises(ValueError, match="the question is empty"):
        retriever.search("  ")


@pytest.mark.parametrize("settings", [RetrievalSettings(k=3, fetch_k=10, fusion="rrf"),
                                      RetrievalSettings(k=3, fetch_k=10, neighbour_weight=0.0),
                                      RetrievalSettings(k=3, fetch_k=10)])
def test_every_fusion_setting_finds_the_exact_match(retriever, settings):
    hits = retriever.model_copy(update={"settings": settings}).search("CBAM levy", k=2)
    assert hits[0].chunk.source == "trade.txt" and hits[0].keyword_score > 0 and hits[0].dense_score is not None


# -- retrieval per brief ----------------------------------------------------------------------

def _doc_id(retriever, source: str) -> str:
    return next(c.doc_id for c in retriever.keyword_index().chunks if c.source == source)


def test_search_briefs_gives_k_passages_from_each_brief(retriever, fake_embedder):
    index_documents(retriever.store, fake_embedder, [make_document(ENERGY, source="energy.txt")])
    trade, defense, energy = (_doc_id(retriever, s) for s in ("trade.txt", "defense.txt", "energy.txt"))
    found = retriever.search_briefs("imports from Korea and Norway", [energy, trade, defense, trade], k_per_brief=2)
    assert list(found) == [energy, trade, defense]  # in the order asked, each once
    for doc_id, hits in found.items():
        assert 1 <= len(hits) <= 2 and {h.chunk.doc_id for h in hits} == {doc_id}
        assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
        assert hits == retriever.search("imports from Korea and Norway", 2, Filters(doc_ids=(doc_id,)))


def test_search_briefs_respects_the_filters_and_unknown_briefs(retriever):
    trade, defense = _doc_id(retriever, "trade.txt"), _doc_id(retriever, "defense.txt")
    found = retriever.search_briefs("Korea", [trade, defense, "not-stored"], k_per_brief=3,
                                    filters=Filters(series=("Memo",)))
    assert found[defense] == [] and found["not-stored"] == [] and found[trade]
    narrowed = retriever.search_briefs("Korea", [trade, defense], k_per_brief=3, filters=Filters(doc_ids=(defense,)))
    assert narrowed[trade] == [] and narrowed[defense]
    assert retriever.search_briefs("Korea", [], k_per_brief=3) == {}


@pytest.mark.parametrize("kwargs, error, message", [
    ({"question": " ", "doc_ids": ["x"], "k_per_brief": 2}, ValueError, "the question is empty"),
    ({"question": "Korea", "doc_ids": ["x"], "k_per_brief": 0}, ValueError, r"k_per_brief \(0\) must be positive"),
    ({"question": "Korea", "doc_ids": "abc", "k_per_brief": 2}, TypeError, "not the string 'abc'"),
])
def test_search_briefs_refuses_bad_arguments(retriever, kwargs, error, message):
    with pytest.raises(error, match=message):
        retriever.search_briefs(**kwargs)


# -- the LangChain contract (the standard suite is in test_langchain_standard.py) ---------------

def test_k_at_construction_and_at_invoke_is_honoured(retriever, fake_embedder):
    index_documents(retriever.store, fake_embedder, [make_document(ENERGY, source="energy.txt")])
    question = "Korea imports missile tariffs Japan"
    assert len(retriever.invoke(question)) == 3  # settings.k
    two = retriever.model_copy(update={"k": 2})
    assert len(two.invoke(question)) == 2 and len(two.search(question)) == 2
    assert len(two.invoke(question, k=1)) == 1
    assert len(HybridRetriever(dense=retriever.dense, keyword=retriever.keyword, k=1).invoke(question)) == 1
    only_trade = retriever.invoke(question, filters=Filters(sources=("trade.txt",)))
    assert {d.metadata["source"] for d in only_trade} == {"trade.txt"}


@pytest.mark.parametrize("name", ["top_k", "bogus", "store"])
def test_unknown_constructor_arguments_are_refused_by_name(retriever, name):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=name):
        HybridRetriever(dense=retriever.dense, keyword=retriever.keyword, **{name: 1})


def test_unknown_invoke_arguments_are_refused_by_name(retriever):
    with pytest.raises(TypeError, match="top_k"):
        retriever.invoke("Korea", top_k=1)


def test_k_must_be_positive(retriever):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="k"):
        HybridRetriever(dense=retriever.dense, keyword=retriever.keyword, k=0)


def test_hits_carry_the_abbreviations_their_own_brief_defines(retriever):
    by_source = {h.chunk.source: h for h in retriever.search("carbon border adjustment imports", k=3)}
    assert ("CBAM", "carbon border adjustment mechanism") in by_source["trade.txt"].abbreviations
    assert by_source["defense.txt"].abbreviations == ()


# A budget In Focus in the shape ingest writes a PDF (no section metadata): the heading "Defender
# Services" ends one passage and the sentence that answers opens the next (IF13206.1).
BUDGET = ("Judiciary Budget Request\n\nCourt Security\n\n"
          "This account provides for protective services and security systems in courthouses. "
          "The FY2027 request is $920.9 million, an increase of 3.2% over the FY2026 enacted level.\n\n"
          "Defender Services\n\n"
          "This account funds the operations of the federal public defender and community defender organizations. "
          "The FY2027 request is $1.8 billion, an increase of 1.5% over the FY2026 enacted level.\n")


def _budget_retriever(make_store, fake_embedder, *, heading_context=True):
    store = make_store(fake_embedder)
    chunks = index_documents(store, fake_embedder, [make_document(
        BUDGET, source="budget.txt", meta=DocumentMeta(title="Judiciary Budget Request"))],
        chunking=ChunkingSettings(target_chars=220, overlap_sentences=0))
    return HybridRetriever.over(store=store, embedder=fake_embedder,
                                settings=RetrievalSettings(k=10, fetch_k=10, heading_context=heading_context)), chunks


def test_each_hit_carries_the_headings_its_sentences_sit_under(make_store, fake_embedder):
    from text.headings import governing_heading

    retriever, chunks = _budget_retriever(make_store, fake_embedder)
    assert len(chunks) > 1
    for hit in retriever.search("FY2027 request"):
        chunk = hit.chunk
        # What the hit says equals the rule applied to the whole brief's text, sentence by sentence.
        for needle in ("This account", "The FY2027 request"):
            at = chunk.text.find(needle)
            if at >= 0:
                assert hit.heading_at(at) == governing_heading(BUDGET, chunk.start + at, title="Judiciary Budget Request")
    answer_at = BUDGET.index("The FY2027 request is $1.8 billion")
    holding = [h for h in retriever.search("FY2027 request") if h.chunk.start <= answer_at < h.chunk.end]
    assert holding and holding[0].heading_at(answer_at - holding[0].chunk.start) == "Defender Services"
    off, _ = _budget_retriever(make_store, fake_embedder, heading_context=False)
    assert all(h.headings == () for h in off.search("FY2027 request"))


def test_a_passage_opening_after_its_heading_gets_it_from_the_briefs_text(make_store, fake_embedder):
    from dataclasses import replace

    retriever, chunks = _budget_retriever(make_store, fake_embedder)
    start = BUDGET.index("This account funds")
    cut = replace(chunks[-1], id="opens-after-its-heading", start=start, end=len(BUDGET), text=BUDGET[start:])
    assert retriever.passage_headings(cut) == ((0, "Defender Services"),)
    first = next(c for c in chunks if c.start == 0)
    assert retriever.passage_headings(first)[0] == (first.text.index("Court Security") + len("Court Security"),
                                                    "Court Security")
