import pytest

from retrieval.fusion import reciprocal_rank_fusion


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
