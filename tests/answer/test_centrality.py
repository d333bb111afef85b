"""LexRank centrality over sentence vectors."""

import numpy as np
import pytest

from answer.centrality import lexrank


def _unit(rows):
    v = np.array(rows, dtype=float)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_the_sentence_most_like_the_others_is_most_central():
    vectors = _unit([[1, 0.1, 0], [0.9, 0.3, 0], [1, 0, 0.1], [0, 0, 1]])
    scores = lexrank(vectors)
    assert scores.sum() == pytest.approx(1.0)
    assert int(np.argmax(scores)) in (0, 2) and int(np.argmin(scores)) == 3


def test_degenerate_inputs():
    assert lexrank(np.zeros((0, 3))).shape == (0,)
    assert lexrank(_unit([[1, 0]])).tolist() == [1.0]
    with pytest.raises(ValueError, match="damping"):
        lexrank(_unit([[1, 0], [0, 1]]), damping=1.0)


def test_mmr_takes_the_best_then_what_is_new():
    from answer.centrality import mmr

    vectors = _unit([[1, 0, 0], [0.99, 0.1, 0], [0, 1, 0], [0, 0, 1]])
    scores = np.array([1.0, 0.95, 0.6, 0.1])
    order = mmr(scores, vectors, 3, lam=0.7)
    assert order[0] == 0 and order[1] == 2  # the near-copy of the best waits behind a new item
    assert mmr(scores, vectors, 4, lam=1.0) == [0, 1, 2, 3]  # lam 1: by score alone
    assert mmr(scores, vectors, 2, chosen=[0], lam=0.7) == [2, 1]  # chosen ones are not taken again
    assert mmr(scores, vectors, 5, allowed=np.array([False, True, False, True])) == [1, 3]
    with pytest.raises(ValueError, match="lam"):
        mmr(scores, vectors, 1, lam=1.5)
