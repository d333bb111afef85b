"""bench/fit_summary.py: the fit learns from marked sentences, and no held-out split is ever trained on."""

from types import SimpleNamespace

import numpy as np
import pytest

from answer.keypoints import FEATURES
from bench import fit_summary


def _brief(seed: int, n: int = 60) -> fit_summary.Brief:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, len(FEATURES)))
    marked = x[:, FEATURES.index("number")] > 1.0  # the reader marks the sentences with a figure
    return fit_summary.Brief(f"b{seed}", None, x, [{0} if m else set() for m in marked], 8)  # type: ignore[arg-type]


def test_the_fit_weights_the_feature_that_marks_key_sentences():
    model = fit_summary.fit([_brief(seed) for seed in range(4)], 1.0)
    assert model.features == FEATURES
    column = FEATURES.index("number")
    assert model.weights[column] > 0 and abs(model.weights[column]) == max(abs(model.weights))
    test = _brief(9)
    scores = model.score(test.x)
    assert scores[test.y == 1].min() > np.median(scores[test.y == 0])


@pytest.mark.parametrize("splits", ["heldout", "dev,blind", "heldout2"])
def test_held_out_splits_are_refused(splits, tmp_path, capsys):
    with pytest.raises(SystemExit):
        fit_summary.main([str(tmp_path / "q.jsonl"), str(tmp_path), "--splits", splits])
    assert "refusing to train on held-out splits" in capsys.readouterr().err


def _embedded(seed: int, n: int = 40, dim: int = 8) -> fit_summary.Brief:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, dim))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    marked = vectors[:, 0] > 0.3  # the reader marks the sentences that point along the first axis
    found = SimpleNamespace(vectors=vectors)
    return fit_summary.Brief(f"e{seed}", found, np.zeros((n, len(FEATURES))), [{0} if m else set() for m in marked], 8)  # type: ignore[arg-type]


def test_the_direction_is_learned_from_the_embeddings_and_nested_so_no_brief_scores_itself():
    briefs = [_embedded(seed) for seed in range(4)]
    direction = fit_summary.fit_direction(briefs)
    assert direction.weights.shape == (8,) and direction.weights.argmax() == 0
    nested = fit_summary.nested_directions(briefs)
    assert len(nested) == 4 and all(len(row) == 4 for row in nested)
    assert nested[1][1].shape == (40,)
    # in the fold leaving brief 1 out, brief 2's values come from a direction fitted on briefs 0 and 3 only
    assert nested[1][2] == pytest.approx(fit_summary.fit_direction([briefs[0], briefs[3]]).logit(briefs[2].found.vectors))
    assert nested[1][1] == pytest.approx(fit_summary.fit_direction([briefs[0], briefs[2], briefs[3]]).logit(briefs[1].found.vectors))
    x = fit_summary.with_direction(np.zeros((40, len(FEATURES))), nested[1][1])
    assert x[:, FEATURES.index("direction")] == pytest.approx(nested[1][1])
    assert x[:, FEATURES.index("brief_direction")].std() == pytest.approx(1.0)
    assert not np.delete(x, [FEATURES.index("direction"), FEATURES.index("brief_direction")], axis=1).any()
