"""Metadata corrections made in the app: stored as overrides, applied without re-embedding, kept
across re-syncs and restarts, exported with the brief list (issue 14, item 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.overrides import (
    MetadataOverrides,
    apply_to_store,
    entry_key,
    overrides_path,
)
from ingest.sync import Syncer, SyncOptions
from tests.fixtures import briefs_dir, real_embedder, store  # noqa: F401  (fixtures)
from tests.ingest.test_sync import CountingEmbedder, assert_consistent
from ui.metadata_editor import brief_list_csv, brief_rows, corrections_from_form

UNDATED = "000_e8f8a75dd6e65921.txt"  # the 2024 sample brief prints no date


def _entry(store, name):
    return next(e for e in store.manifest().values() if name in e.sources)


@pytest.mark.slow  # the real embedder and Chroma
def test_a_correction_is_applied_without_re_embedding_and_survives_resync_and_restart(
        tmp_path: Path, store, real_embedder, briefs_dir) -> None:
    counting = CountingEmbedder(real_embedder)
    overrides = MetadataOverrides(overrides_path(tmp_path / "data"))
    syncer = Syncer(store, counting, SyncOptions(), overrides=overrides)
    syncer.sync([briefs_dir])
    entry = _entry(store, UNDATED)
    assert entry.date == ""
    encoded = counting.encoded
    read = {"title": entry.title, "date": entry.date, "series": entry.series, "authors": list(entry.authors)}
    changed, problem = corrections_from_form(
        {"title": entry.title, "date": "2024-06-12", "series": "Asia Unbound", "authors": "Scott A. Snyder"}, read)
    assert problem == "" and changed == {"date": "2024-06-12", "series": "Asia Unbound", "authors": ["Scott A. Snyder"]}
    overrides.set(entry_key(entry), changed, read=read)
    apply_to_store(store, entry, changed, read)
    assert counting.encoded == encoded  # nothing embedded again
    after = _entry(store, UNDATED)
    assert (after.date, after.series, after.authors) == ("2024-06-12", "Asia Unbound", ("Scott A. Snyder",))
    chunks = store.get_chunks(list(after.chunk_ids))
    assert {c.date for c in chunks} == {"2024-06-12"} and {c.series for c in chunks} == {"Asia Unbound"}
    dated = {c.doc_id for c in store.iter_chunks({"date_num": {"$gte": 20240101}})}
    assert after.doc_id in dated  # the date filter now finds it
    assert_consistent(store)

    # A re-sync with nothing changed keeps the correction; so does a new version of the file,
    # read by a new process (a new overrides object over the same file).
    Syncer(store, counting, SyncOptions(), overrides=MetadataOverrides(overrides.path)).sync([briefs_dir])
    assert _entry(store, UNDATED).date == "2024-06-12"
    path = briefs_dir / UNDATED
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line added later.\n", encoding="utf-8")
    Syncer(store, counting, SyncOptions(), overrides=MetadataOverrides(overrides.path)).sync([briefs_dir])
    new = _entry(store, UNDATED)
    assert new.doc_id != after.doc_id and (new.date, new.series) == ("2024-06-12", "Asia Unbound")

    rows = brief_rows(list(store.manifest().values()), overrides)
    row = next(r for r in rows if UNDATED in r["source"])
    assert row["corrected"] == ["authors", "date", "series"] and row["date"] == "2024-06-12"
    assert "2024-06-12" in brief_list_csv(rows)

    # Undo: back to what the brief says.
    overrides.set(entry_key(new), {})
    apply_to_store(store, new, {}, overrides.read_values(entry_key(new)) or read)
    assert _entry(store, UNDATED).date == ""
    assert json.loads(overrides.path.read_text()) == {}


def test_a_date_that_is_not_one_is_refused_with_a_reason() -> None:
    read = {"title": "T", "date": "", "series": "", "authors": []}
    changed, problem = corrections_from_form({"title": "T", "date": "03/04/2021", "series": "", "authors": ""}, read)
    assert changed == {} and "ambiguous" in problem
    changed, problem = corrections_from_form({"title": "T", "date": "March 2021", "series": "", "authors": ""}, read)
    assert changed == {"date": "2021-03"} and problem == ""


def test_only_the_editable_fields_can_be_corrected(tmp_path: Path) -> None:
    overrides = MetadataOverrides(tmp_path / "o.json")
    with pytest.raises(ValueError, match="only title, date, series, authors"):
        overrides.set("k", {"license": "CC0"})
    with pytest.raises(ValueError, match="field 'date'"):
        overrides.set("k", {"date": "someday"})
