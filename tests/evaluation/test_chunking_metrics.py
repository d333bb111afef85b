import pytest

from evaluation.chunking_metrics import (CharSpan, SpanScores, covered_length, intersect_ranges, mean_scores,
                                         merge_ranges, score_question)


def test_toy_question_by_hand():
    # References: 100 chars [10, 60) + [200, 250) in corpus "a".
    refs = [CharSpan("a", 10, 60), CharSpan("a", 200, 250)]
    # Retrieved: [0, 40) and [30, 70) overlap the first reference (union of intersections = [10, 60), 50 chars,
    # not 30 + 30); [500, 600) of the same corpus hits nothing; [0, 100) of corpus "b" counts only in denominators.
    got = [CharSpan("a", 0, 40), CharSpan("a", 30, 70), CharSpan("a", 500, 600), CharSpan("b", 0, 100)]
    scores = score_question(got, refs)
    retrieved_chars = 40 + 40 + 100 + 100
    assert scores.recall == pytest.approx(50 / 100)
    assert scores.precision == pytest.approx(50 / retrieved_chars)
    assert scores.iou == pytest.approx(50 / (retrieved_chars + 50))  # 50 reference chars never retrieved


def test_perfect_and_empty_retrieval():
    refs = [CharSpan("a", 5, 15)]
    assert score_question([CharSpan("a", 5, 15)], refs) == SpanScores(1.0, 1.0, 1.0)
    assert score_question([], refs) == SpanScores(0.0, 0.0, 0.0)


def test_other_corpus_with_same_offsets_does_not_count():
    assert score_question([CharSpan("b", 0, 10)], [CharSpan("a", 0, 10)]).recall == 0.0


def test_range_helpers():
    assert merge_ranges([(5, 8), (0, 3), (2, 4), (8, 9), (7, 7)]) == [(0, 4), (5, 9)]
    assert covered_length([(0, 10), (5, 15)]) == 15
    assert intersect_ranges([(0, 10), (20, 30)], [(5, 25)]) == [(5, 10), (20, 25)]


def test_mean_scores_are_scaled_means():
    means = mean_scores([SpanScores(1.0, 0.1, 0.1), SpanScores(0.5, 0.05, 0.0)])
    assert means.recall == pytest.approx(75.0) and means.precision == pytest.approx(7.5)
    assert means.iou == pytest.approx(5.0)


def test_invalid_input_is_named():
    with pytest.raises(ValueError, match=r"span \(9, 3\)"):
        CharSpan("a", 9, 3)
    with pytest.raises(ValueError, match="at least one reference"):
        score_question([CharSpan("a", 0, 1)], [])
    with pytest.raises(ValueError, match="no question scores"):
        mean_scores([])
