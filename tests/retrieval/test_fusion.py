import pytest
from pydantic import ValidationError

from retrieval.fusion import (
    Ranking,
    convex_combination,
    fuse,
    reciprocal_rank_fusion,
    smooth_with_neighbours,
)
from settings import RetrievalSettings
from vectorstore.types import Chunk


def test_item_ranked_well_by_both_lists_wins():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d", "a"]], k=60)
    assert [item for item, _ in fused][:2] == ["b", "a"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


def test_scores_follow_the_formula_with_weights():
    fused = dict(reciprocal_rank_fusion([["a"], ["b"]], k=10, weights=[2.0, 1.0]))
    assert fused == {"a": pytest.approx(2 / 11), "b": pytest.approx(1 / 11)}


def test_ties_keep_first_appearance_order():
    assert [i for i, _ in reciprocal_rank_fusion([["x", "y"], ["y", "x"]])] == ["x", "y"]


def test_zero_weight_ranking_adds_nothing_and_empty_input_is_empty():
    assert [i for i, _ in reciprocal_rank_fusion([["a", "b"], ["b"]], weights=[1, 0])] == ["a", "b"]
    assert reciprocal_rank_fusion([]) == []


@pytest.mark.parametrize("kwargs, message", [
    ({"weights": [1.0]}, "1 weights for 2 rankings"),
    ({"weights": [1.0, -1.0]}, "must not be negative"),
    ({"k": -1}, r"k \(-1\)"),
])
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        reciprocal_rank_fusion([["a"], ["b"]], **kwargs)


# -- convex combination of min-max normalised scores ----------------------------------------

def test_convex_combination_follows_the_formula():
    dense = [("a", 0.9), ("b", 0.7), ("c", 0.5)]  # normalised: a 1, b 0.5, c 0
    keyword = [("c", 12.0), ("a", 4.0), ("d", 2.0)]  # normalised: c 1, a 0.2, d 0
    fused = dict(convex_combination([dense, keyword], weights=[0.4, 0.6]))
    assert fused == pytest.approx({"a": 0.4 * 1 + 0.6 * 0.2, "b": 0.4 * 0.5, "c": 0.6 * 1, "d": 0.0})


def test_convex_combination_keeps_a_far_ahead_first_hit_that_rrf_outvotes():
    # "x" is BM25's exact match far above the rest, found by BM25 alone; "y" is middling in both.
    dense = [("d1", 0.62), ("y", 0.60), ("d3", 0.58), ("d4", 0.40)]
    keyword = [("x", 30.0), ("y", 6.0), ("k3", 5.5), ("k4", 5.0)]
    assert reciprocal_rank_fusion([[i for i, _ in dense], [i for i, _ in keyword]])[0][0] == "y"
    assert convex_combination([dense, keyword], weights=[0.4, 0.6])[0][0] == "x"


def test_convex_combination_item_missing_from_a_ranking_gets_that_rankings_minimum():
    fused = dict(convex_combination([[("a", 3.0), ("b", 1.0)], [("b", 5.0), ("c", 4.0)]]))
    assert fused == pytest.approx({"a": 1.0, "b": 1.0, "c": 0.0})


def test_convex_combination_empty_and_single_rankings():
    assert convex_combination([]) == []
    assert convex_combination([[], []]) == []
    assert convex_combination([[], [("a", 2.0), ("b", 1.0)]]) == [("a", 1.0), ("b", 0.0)]
    single = convex_combination([[("a", 0.8), ("b", 0.5), ("c", 0.2)]])
    assert [i for i, _ in single] == ["a", "b", "c"] and single[0][1] == 1.0 and single[-1][1] == 0.0
    assert convex_combination([[("only", -3.0)]]) == [("only", 1.0)]


def test_convex_combination_constant_scores_give_each_item_the_full_weight():
    fused = dict(convex_combination([[("a", 2.0), ("b", 2.0)], [("b", 7.0), ("c", 1.0)]], weights=[0.5, 1.0]))
    assert fused == pytest.approx({"a": 0.5, "b": 1.5, "c": 0.0})


def test_convex_combination_ties_keep_first_appearance_order_and_duplicates_count_once():
    assert [i for i, _ in convex_combination([[("x", 1.0), ("y", 0.0)], [("y", 1.0), ("x", 0.0)]])] == ["x", "y"]
    fused = dict(convex_combination([[("a", 1.0), ("b", 0.5), ("a", 0.0)]]))
    assert fused == {"a": 1.0, "b": 0.0}


def test_convex_combination_zero_weight_adds_nothing():
    fused = convex_combination([[("a", 1.0), ("b", 0.0)], [("b", 1.0), ("a", 0.0)]], weights=[1.0, 0.0])
    assert fused == [("a", 1.0), ("b", 0.0)]


@pytest.mark.parametrize("rankings, kwargs, message", [
    ([[("a", 1.0)], [("b", 1.0)]], {"weights": [1.0]}, "1 weights for 2 rankings"),
    ([[("a", 1.0)], [("b", 1.0)]], {"weights": [1.0, -0.5]}, "must not be negative"),
    ([[("a", float("nan"))]], {}, "not a finite number"),
    ([[("a", float("inf"))]], {}, "not a finite number"),
])
def test_convex_combination_bad_arguments_are_named(rankings, kwargs, message):
    with pytest.raises(ValueError, match=message):
        convex_combination(rankings, **kwargs)


# -- smoothing over neighbouring passages ---------------------------------------------------

CHAIN = {"p1": ["p2"], "p2": ["p1", "p3"], "p3": ["p2", "p4"], "p4": ["p3"], "q": []}


def test_smoothing_follows_the_formula_with_two_neighbour_slots():
    scored = [("p2", 1.0), ("q", 0.9), ("p3", 0.6), ("p1", 0.2)]
    smoothed = dict(smooth_with_neighbours(scored, CHAIN.__getitem__, weight=0.4))
    assert smoothed == pytest.approx({
        "p2": 0.6 * 1.0 + 0.4 * (0.2 + 0.6) / 2,
        "q": 0.6 * 0.9,  # no neighbours: like one whose neighbours were not retrieved
        "p3": 0.6 * 0.6 + 0.4 * (1.0 + 0.0) / 2,  # p4 was not retrieved: it counts 0
        "p1": 0.6 * 0.2 + 0.4 * 1.0 / 2,  # first passage of its brief: one neighbour, two slots
    })


def test_smoothing_lifts_a_hit_inside_retrieved_text_over_an_isolated_one():
    scored = [("q", 1.0), ("p2", 0.9), ("p1", 0.8), ("p3", 0.8)]
    assert [i for i, _ in smooth_with_neighbours(scored, CHAIN.__getitem__, weight=0.4)][0] == "p2"
    assert [i for i, _ in smooth_with_neighbours(scored, CHAIN.__getitem__, weight=0.0)][0] == "q"


def test_smoothing_edge_cases():
    assert smooth_with_neighbours([], CHAIN.__getitem__, weight=0.4) == []
    assert smooth_with_neighbours([("q", 2.0)], CHAIN.__getitem__, weight=0.5) == [("q", 1.0)]
    # weight 0 sorts by the items' own scores; ties keep the input order
    assert smooth_with_neighbours([("b", 1.0), ("a", 1.0), ("c", 3.0)], lambda _: [], weight=0.0) == [
        ("c", 3.0), ("b", 1.0), ("a", 1.0)]


@pytest.mark.parametrize("weight", [-0.1, 1.0, 1.5])
def test_smoothing_weight_must_leave_the_passage_its_own_score(weight):
    with pytest.raises(ValueError, match="weight"):
        smooth_with_neighbours([("a", 1.0)], lambda _: [], weight=weight)


def test_smoothing_refuses_an_item_scored_twice():
    with pytest.raises(ValueError, match="scored twice"):
        smooth_with_neighbours([("a", 1.0), ("a", 0.5)], lambda _: [], weight=0.2)


# -- the fusion step of hybrid retrieval (retrieval.fusion.fuse) ------------------------------------------------------------------------

def _chunk(doc: str, index: int, text: str | None = None) -> Chunk:
    text = text or f"{doc} passage {index}"
    return Chunk(id=f"{doc}-{index}", doc_id=doc, source=f"{doc}.txt", start=100 * index, end=100 * index + len(text),
                 text=text, index=index)


def _rankings(dense: list[tuple[Chunk, float]], keyword: list[tuple[Chunk, float]]) -> list[Ranking]:
    return [Ranking(dense, 1.0), Ranking(keyword, 1.0, keyword=True)]


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
    convex = fuse(rankings, k=3, settings=RetrievalSettings(neighbour_weight=0.0))
    assert [h.chunk.id for h in convex] == ["x-0", "a-0", "b-0"]
    assert convex[0].score == pytest.approx(0.6) and convex[0].dense_score == 0.30 and convex[0].keyword_score == 30.0
    assert convex[1].score == pytest.approx(0.4) and convex[1].keyword_score == 4.9
    rrf = fuse(rankings, k=3, settings=RetrievalSettings(fusion="rrf", rrf_k=20))
    assert [h.chunk.id for h in rrf] == ["a-0", "b-0", "x-0"]
    assert rrf[0].score == pytest.approx(1 / 21 + 1 / 23)


def test_fuse_smooths_over_adjacent_passages_of_the_same_brief():
    p0, p1, p2, lone, far = _chunk("d", 0), _chunk("d", 1), _chunk("d", 2), _chunk("e", 5), _chunk("z", 9)
    rankings = _rankings([(lone, 0.9), (p1, 0.85), (p0, 0.84), (p2, 0.84), (far, 0.5)],
                         [(lone, 10.0), (p1, 9.5), (p0, 9.4), (p2, 9.4), (far, 1.0)])
    plain = fuse(rankings, k=5, settings=RetrievalSettings(neighbour_weight=0.0))
    assert [h.chunk.id for h in plain] == ["e-5", "d-1", "d-0", "d-2", "z-9"]
    smoothed = fuse(rankings, k=5, settings=RetrievalSettings(neighbour_weight=0.4))
    # d-1 is in the middle of retrieved text, its neighbours next to it; e-5 has no retrieved neighbour
    assert [h.chunk.id for h in smoothed] == ["d-1", "d-0", "d-2", "e-5", "z-9"]
    assert smoothed[3].score == pytest.approx(0.6 * 1.0) and smoothed[4].score == 0.0
    assert [h.score for h in smoothed] == sorted((h.score for h in smoothed), reverse=True)
    assert all(h.dense_score is not None and h.keyword_score is not None for h in smoothed)
    # the same positions in another brief are no neighbours
    other = _chunk("f", 0)
    apart = fuse(_rankings([(lone, 0.9), (p1, 0.8), (other, 0.7)], []), k=3, settings=RetrievalSettings())
    assert apart[0].chunk.id == "e-5"


def test_fuse_with_nothing_retrieved_is_empty():
    assert fuse(_rankings([], []), k=5, settings=RetrievalSettings()) == []
    assert fuse([], k=5, settings=RetrievalSettings(fusion="rrf")) == []
