"""The sidebar's Briefs filter names briefs that share a title by their date (a newcomer's trial showed two
identical "ENERGY STAR Program" entries, versions of one report, and could not pick the newer one)."""

from ui.sidebar import filter_labels
from vectorstore.store import ManifestEntry


def _entry(doc_id: str, source: str, title: str, date: str) -> ManifestEntry:
    return ManifestEntry(doc_id=doc_id, sources=(source,), chunk_ids=(), model="m", title=title, date=date)


def test_titles_that_repeat_show_their_date_and_a_shared_date_the_file_name():
    entries = [_entry("a", "IF10753.6.pdf", "ENERGY STAR Program", "2026-04-20"),
               _entry("b", "IF10753.7.pdf", "ENERGY STAR Program", "2026-04-23"),
               _entry("c", "R48905.1.pdf", "USDA: Structure", "2026-04-14"),
               _entry("d", "R48905.2.pdf", "USDA: Structure", "2026-04-14"),
               _entry("e", "IF12135.pdf", "Typhon", "2026-04-20"),
               _entry("f", "notes.txt", "", "")]
    labels = filter_labels(entries)
    assert labels["a"] == "ENERGY STAR Program (2026-04-20)" and labels["b"] == "ENERGY STAR Program (2026-04-23)"
    assert labels["c"] == "USDA: Structure (2026-04-14, R48905.1.pdf)"
    assert labels["d"] == "USDA: Structure (2026-04-14, R48905.2.pdf)"
    assert labels["e"] == "Typhon" and labels["f"] == "notes.txt"  # a title of its own stays as it was
    assert len(set(labels.values())) == len(entries)
