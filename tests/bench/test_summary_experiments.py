"""bench/summary_experiments.py: the extra feature columns its variants add, and the columns it keeps."""

from types import SimpleNamespace

import numpy as np
import pytest

from answer.keypoints import FEATURES, RAW_FEATURES
from bench import fit_summary, summary_experiments


def _brief() -> fit_summary.Brief:
    texts = ["Australia is the sixth-largest country by surface area.", "Congress may weigh in on trade.",
             "For example, the port of Darwin hosts U.S. forces."]
    found = SimpleNamespace(units=[SimpleNamespace(text=t) for t in texts])
    x = np.zeros((3, len(FEATURES)))
    x[:, FEATURES.index("position")] = [0.0, 0.5, 1.0]
    return fit_summary.Brief("b", found, x, [set(), {0}, set()], 8)  # type: ignore[arg-type]


def test_extra_columns_follow_their_cue_lists():
    brief = _brief()
    x = summary_experiments.extra_features(brief, ("background", "stigma", "ends"))
    assert x.shape == (3, len(FEATURES) + 3)
    assert x[:, -3].tolist() == [1.0, 0.0, 0.0]  # "sixth-largest", "surface area"
    assert x[:, -2].tolist() == [0.0, 0.0, 1.0]  # "For example"
    assert x[:, -1].tolist() == [0.0, 0.5, 0.0]  # distance to the nearer end of the brief


def test_raw_columns_and_brief_relative_copies():
    brief = _brief()
    raw = summary_experiments.extra_features(brief, ("ends",), slice(0, len(RAW_FEATURES)))
    assert raw.shape == (3, len(RAW_FEATURES) + 1)
    both = summary_experiments.extra_features(brief, ("ends",), relative_too=True)
    assert both.shape == (3, len(FEATURES) + 2)
    assert both[:, -1].mean() == pytest.approx(0.0)


def test_an_unknown_feature_is_named():
    with pytest.raises(ValueError, match="unknown features"):
        summary_experiments.extra_features(_brief(), ("no_such_feature",))


def test_the_sixth_pass_columns_thematic_words_title_words_and_heading_cues():
    texts = ["Seafood imports rose as seafood fraud fell.", "The program covers seafood imports.", "Work began."]
    chunk = SimpleNamespace(title="The Seafood Import Monitoring Program")
    found = SimpleNamespace(units=[SimpleNamespace(text=t, hit=SimpleNamespace(chunk=chunk)) for t in texts],
                            section_headings=["Issues for Congress", "Background", ""])
    brief = fit_summary.Brief("b", found, np.zeros((3, len(FEATURES))), [set(), set(), set()], 8)  # type: ignore[arg-type]
    x = summary_experiments.extra_features(brief, ("thematic", "title_words", "heading_forward", "heading_background"))
    # 9 content words, all among the brief's 10 most frequent: seafood, import, rose, fraud, fell | program, cover (+ seafood, import) | work, began
    assert x[:, -4].tolist() == [5.0, 4.0, 2.0]
    assert x[:, -3].tolist() == pytest.approx([2 / 4, 3 / 4, 0.0])  # of seafood, import, monitoring, program
    assert x[:, -2].tolist() == [1.0, 0.0, 0.0] and x[:, -1].tolist() == [0.0, 1.0, 0.0]
