"""Uploaded files: their names never become paths, sizes are checked before writing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ui.upload import MAX_STEM, NAMES_FILE, display_names, safe_name, save_uploads


@dataclass
class FakeUpload:
    """The two attributes and one method of Streamlit's UploadedFile that the upload code uses."""

    name: str
    data: bytes
    claimed_size: int | None = None

    @property
    def size(self) -> int:
        return len(self.data) if self.claimed_size is None else self.claimed_size

    def getvalue(self) -> bytes:
        return self.data


@pytest.mark.parametrize("original, expected", [
    ("brief.pdf", "brief.pdf"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\windows\\system32\\evil.md", "evil.md"),
    ("/abs/path/Report 2024 (final).DOCX", "Report 2024_final.docx"),
    ("a\x00b\x07c\n.txt", "abc.txt"),
    ("...hidden.md", "hidden.md"),
    ("..md", "brief.md"),
    ("café résumé.html", "cafe resume.html"),
    ("日本語.txt", "brief.txt"),
    ("a..b....c.txt", "a_b_c.txt"),
])
def test_safe_name_strips_directories_controls_and_dots(original, expected):
    assert safe_name(original) == expected


def test_safe_name_limits_length_and_keeps_the_suffix():
    name = safe_name("x" * 500 + ".pdf")
    assert name == "x" * MAX_STEM + ".pdf"


@pytest.mark.parametrize("original", ["payload.exe", "noext", "brief.pdf.sh", "archive.tar.gz"])
def test_unsupported_suffixes_are_refused_naming_the_suffix(original):
    with pytest.raises(ValueError, match="unsupported file type"):
        safe_name(original)


def test_saving_writes_only_inside_the_folder_and_remembers_the_original_name(tmp_path):
    folder = tmp_path / "uploads"
    result = save_uploads([FakeUpload("../../outside.txt", b"hello"), FakeUpload("x/y/brief.md", b"# B")],
                          folder, max_bytes=1000)
    assert sorted(p.name for p in folder.iterdir()) == sorted([NAMES_FILE, "outside.txt", "brief.md"])
    assert not (tmp_path / "outside.txt").exists()
    assert display_names(folder) == {"outside.txt": "../../outside.txt", "brief.md": "x/y/brief.md"}
    assert [s.new for s in result.saved] == [True, True]


def test_oversized_files_are_refused_before_anything_is_written(tmp_path):
    folder = tmp_path / "uploads"
    big = FakeUpload("big.pdf", b"", claimed_size=5_000_000)
    lying = FakeUpload("lying.txt", b"x" * 2000, claimed_size=10)
    result = save_uploads([big, lying], folder, max_bytes=1000)
    assert [r.original for r in result.rejected] == ["big.pdf", "lying.txt"]
    assert "5.0 MB" in result.rejected[0].reason
    assert [p.name for p in folder.iterdir()] == []


def test_same_name_other_bytes_gets_a_new_name_and_same_bytes_are_recognised(tmp_path):
    folder = tmp_path / "uploads"
    save_uploads([FakeUpload("brief.txt", b"one")], folder, max_bytes=1000)
    again = save_uploads([FakeUpload("brief.txt", b"one")], folder, max_bytes=1000)
    other = save_uploads([FakeUpload("brief.txt", b"two")], folder, max_bytes=1000)
    assert again.saved[0].new is False and again.saved[0].path.name == "brief.txt"
    assert other.saved[0].path.name.startswith("brief-") and other.saved[0].path.read_bytes() == b"two"
    assert (folder / "brief.txt").read_bytes() == b"one"
