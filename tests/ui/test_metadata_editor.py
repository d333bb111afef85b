"""The sidebar's "Brief metadata" panel through AppTest: a date set by hand reaches the date filter."""

from __future__ import annotations

import json

import pytest

from tests.ui.conftest import no_failure, start_app

pytestmark = pytest.mark.slow  # the real embedding model and a real Chroma store

UNDATED_TITLE = "The North Korean and Chinese Threats Are Growing. But so Is the Trilateral Response."


def _captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_setting_the_date_of_the_undated_sample_from_the_sidebar(own_store, data_dir):
    at = start_app()
    no_failure(at)
    assert any("1 of 2 briefs are undated" in c for c in _captions(at))
    brief = at.selectbox(key="meta-brief")
    index = next(i for i, option in enumerate(brief.options) if option.startswith("The North Korean"))
    at = brief.select_index(index).run()
    date_box = next(t for t in at.text_input if t.label == "Date")
    bad = date_box.set_value("03/04/2024")
    at = next(b for b in at.button if b.label == "Save correction").click().run()
    assert any("ambiguous" in e.value for e in at.error)  # refused with the reason, nothing stored
    assert not (data_dir / "metadata-overrides.json").exists()
    del bad
    date_box = next(t for t in at.text_input if t.label == "Date")
    date_box.set_value("2024-06-12")
    at = next(b for b in at.button if b.label == "Save correction").click().run()
    no_failure(at)
    stored = json.loads((data_dir / "metadata-overrides.json").read_text())
    (correction,) = stored.values()
    assert correction["corrected"] == {"date": "2024-06-12"} and correction["read"]["date"] == ""
    assert not any("briefs are undated" in c for c in _captions(at))  # the filter now covers both
    assert any("Corrected by hand: date" in c for c in _captions(at))
