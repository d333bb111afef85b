"""bench/fit_summary.py: the fit learns from marked sentences, and no held-out split is ever trained on."""

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
