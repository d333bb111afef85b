"""bench/timeline_dates.py: the labelled sets are well formed, and an error is a date other than the label."""

import json
import re

from bench import timeline_dates


def test_the_labelled_sets_hold_sixty_sentences_each_with_a_date_or_none():
    for part in ("dev", "heldout"):
        rows = [json.loads(line) for line in (timeline_dates.DATA / f"timeline_dates_{part}.jsonl").read_text(
            encoding="utf-8").splitlines() if line.strip()]
        assert len(rows) >= 60
        assert all(re.fullmatch(r"none|\d{4}(?:-\d\d(?:-\d\d)?)?", row["date"]) for row in rows)
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", row["brief_date"]) and row["sentence"] for row in rows)


def test_a_sentence_is_wrong_when_its_date_differs_from_the_label(tmp_path, capsys):
    rows = [{"brief_date": "2026-04-13", "sentence": "In February 2026, the Administrator announced a plan.", "date": "2026-02"},
            {"brief_date": "2026-04-13", "sentence": "For FY2027, NASA requested $8.5 billion.", "date": "none"},
            {"brief_date": "2026-04-13", "sentence": "In 2025, GAO reported cost overruns.", "date": "2024"}]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    assert timeline_dates.score(path, show=True) == (1, 3)
    assert "want 2024" in capsys.readouterr().out
