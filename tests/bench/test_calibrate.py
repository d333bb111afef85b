"""The calibration report counts the CRS reports of its corpus (a folder given as the corpus had been counted 0)."""

from pathlib import Path


def test_pdfs_of_a_corpus_are_counted_in_folders_too(tmp_path: Path) -> None:
    from bench.calibrate import _pdf_count

    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    for name in ("a.pdf", "sub/b.PDF", "c.txt"):
        (folder / name).write_bytes(b"")
    (folder / "sub" / "b.pdf").write_bytes(b"")
    single = tmp_path / "d.pdf"
    single.write_bytes(b"")
    assert _pdf_count([folder, single, tmp_path / "e.txt"]) == 4  # a.pdf, b.PDF, b.pdf, d.pdf
