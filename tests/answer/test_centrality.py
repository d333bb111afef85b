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
