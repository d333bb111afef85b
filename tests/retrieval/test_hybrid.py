import pytest
from langchain_core.retrievers import BaseRetriever
from pydantic import ValidationError

from retrieval.filters import Filters
from retrieval.hybrid import HybridRetriever, _fuse, _Ranking
from settings import RetrievalSettings
from tests.conftest import index_documents, make_document
from vectorstore.types import Chunk, DocumentMeta

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
    return HybridRetriever(store=store, embedder=fake_embedder, settings=RetrievalSettings(k=3, fetch_k=10))


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
    retriever = HybridRetriever(store=store, embedder=fake_embedder, settings=RetrievalSettings(k=5, fetch_k=10))
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


# -- fusion settings ------------------------------------------------------------------------

def _chunk(doc: str, index: int, text: str | None = None) -> Chunk:
    text = text or f"{doc} passage {index}"
    return Chunk(id=f"{doc}-{index}", doc_id=doc, source=f"{doc}.txt", start=100 * index, end=100 * index + len(text),
                 text=text, index=index)


def _rankings(dense: list[tuple[Chunk, float]], keyword: list[tuple[Chunk, float]]) -> list[_Ranking]:
    return [_Ranking(dense, 1.0), _Ranking(keyword, 1.0, keyword=True)]


def test_default_fusion_is_convex_with_neighbour_smoothing():
    settings = RetrievalSettings()
    assert (settings.fusion, settings.convex_alpha, settings.neighbour_share) == ("convex", 0.4, 0.4)
    assert RetrievalSettings(fusion="rrf").neighbour_share == 0.0  # RRF keeps its own behaviour by default
    assert RetrievalSettings(fusion="rrf", neighbour_weight=0.1).neighbour_share == 0.1
    assert RetrievalSettings(neighbour_weight=0.0).neighbour_share == 0.0


@pytest.mark.parametrize("field, value", [
    ("fusion", "max"), ("convex_alpha", -0.1), ("convex_alpha", 1.1), ("neighbour_weight", -0.1),
    ("neighbour_weight", 1.0), ("rrf_k", 0),
])
def test_bad_fusion_settings_are_refused(field, value):
    with pytest.raises(ValidationError, match=field):
        RetrievalSettings(**{field: value})


def test_fuse_by_convex_combination_or_rrf():
    a, b, c, x = _chunk("a", 0), _chunk("b", 0), _chunk("c", 0), _chunk("x", 0)
    # x: BM25's only strong match, far ahead of the rest; a and b are middling in both rankings.
    rankings = _rankings([(a, 0.62), (b, 0.61), (c, 0.5), (x, 0.30)], [(x, 30.0), (b, 5.0), (a, 4.9)])
    convex = _fuse(rankings, k=3, settings=RetrievalSettings(neighbour_weight=0.0))
    assert [h.chunk.id for h in convex] == ["x-0", "a-0", "b-0"]
    assert convex[0].score == pytest.approx(0.6) and convex[0].dense_score == 0.30 and convex[0].keyword_score == 30.0
    assert convex[1].score == pytest.approx(0.4) and convex[1].keyword_score == 4.9
    rrf = _fuse(rankings, k=3, settings=RetrievalSettings(fusion="rrf", rrf_k=20))
    assert [h.chunk.id for h in rrf] == ["a-0", "b-0", "x-0"]
    assert rrf[0].score == pytest.approx(1 / 21 + 1 / 23)


def test_fuse_smooths_over_adjacent_passages_of_the_same_brief():
    p0, p1, p2, lone, far = _chunk("d", 0), _chunk("d", 1), _chunk("d", 2), _chunk("e", 5), _chunk("z", 9)
    rankings = _rankings([(lone, 0.9), (p1, 0.85), (p0, 0.84), (p2, 0.84), (far, 0.5)],
                         [(lone, 10.0), (p1, 9.5), (p0, 9.4), (p2, 9.4), (far, 1.0)])
    plain = _fuse(rankings, k=5, settings=RetrievalSettings(neighbour_weight=0.0))
    assert [h.chunk.id for h in plain] == ["e-5", "d-1", "d-0", "d-2", "z-9"]
    smoothed = _fuse(rankings, k=5, settings=RetrievalSettings(neighbour_weight=0.4))
    # d-1 is in the middle of retrieved text, its neighbours next to it; e-5 has no retrieved neighbour
    assert [h.chunk.id for h in smoothed] == ["d-1", "d-0", "d-2", "e-5", "z-9"]
    assert smoothed[3].score == pytest.approx(0.6 * 1.0) and smoothed[4].score == 0.0
    assert [h.score for h in smoothed] == sorted((h.score for h in smoothed), reverse=True)
    assert all(h.dense_score is not None and h.keyword_score is not None for h in smoothed)
    # the same positions in another brief are no neighbours
    other = _chunk("f", 0)
    apart = _fuse(_rankings([(lone, 0.9), (p1, 0.8), (other, 0.7)], []), k=3, settings=RetrievalSettings())
    assert apart[0].chunk.id == "e-5"


def test_fuse_with_nothing_retrieved_is_empty():
    assert _fuse(_rankings([], []), k=5, settings=RetrievalSettings()) == []
    assert _fuse([], k=5, settings=RetrievalSettings(fusion="rrf")) == []


@pytest.mark.parametrize("settings", [RetrievalSettings(k=3, fetch_k=10, fusion="rrf"),
                                      RetrievalSettings(k=3, fetch_k=10, neighbour_weight=0.0),
                                      RetrievalSettings(k=3, fetch_k=10)])
def test_every_fusion_setting_finds_the_exact_match(retriever, settings):
    hits = retriever.model_copy(update={"settings": settings}).search("CBAM levy", k=2)
    assert hits[0].chunk.source == "trade.txt" and hits[0].keyword_score > 0 and hits[0].dense_score is not None
