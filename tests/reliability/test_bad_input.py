"""Bad input: every kind of broken, hostile or oversized file fails alone, clearly, and leaves the index whole.

One folder holds a good brief beside every bad case of the ingest issue. The real command line
(a subprocess, JSON summary) and the real Syncer must store the good brief, name each bad file
with a reason a person can act on, never crash or hang, and leave the store exactly mirroring
what could be stored. Upload names (`../`, absolute paths, NUL, control characters, 300
characters) never become paths, and an upload over the size limit is refused before parsing.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest import loaders
from ingest import sync as sync_module
from ingest.sync import Syncer, SyncOptions
from settings import REPO_ROOT
from tests.fixtures import bundled_embedder
from tests.reliability.support import (assert_mirrors_folder, assert_visible_state_whole, child_env, ingest_command,
                                       reopen, run_ingest, store_snapshot)

pytestmark = pytest.mark.slow

MB = 1024 * 1024
PARSE_TIMEOUT_S = 3.0
GOOD = ("Maritime Security Note\n\nFishing fleets escorted by coast guard cutters have crowded the disputed reefs "
        "since March, and analysts expect more collisions before the monsoon season.\n")


# -- building bad files -------------------------------------------------------------------------


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered objects (1 is the catalog), with a correct cross-reference table."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def looping_pdf(*, pages: int = 40, operations: int = 150_000) -> bytes:
    """A 10 KB PDF whose pages all share one compressed content stream of ``operations`` text
    operations: pypdf works through the stream again for every page, minutes in all."""
    import zlib

    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td " + b"(a) Tj " * operations + b"ET", 9)
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
                b"/Resources << /Font << /F1 4 0 R >> >> >>"] * pages
    return _pdf(objects)


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Confidential assessment of the reef dispute.")
    page.showPage()
    page.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    writer.encrypt("user-password", algorithm="RC4-128")  # AES needs the cryptography package
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A 12 KB DOCX whose document part expands to 12 MB (about 1000 times)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (12 * MB))
    return buffer.getvalue()


def crafted_size_docx() -> bytes:
    """A tiny DOCX whose central directory claims a 3 GB document part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
    data = bytearray(buffer.getvalue())
    struct.pack_into("<I", data, data.index(b"PK\x01\x02") + 24, 3_000_000_000)
    return bytes(data)


VALID_UTF8 = "“Quoted” analysis of the reef dispute. ".encode() * 20

# name -> (bytes or a builder, the start of the reason the summary must give)
BAD_FILES: dict[str, tuple[object, str]] = {
    "empty.txt": (b"", "file is empty"),
    "whitespace.md": (b" \n\t\r\n  \n", "contains only whitespace"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "looks like binary data, not text"),
    "invalid-utf8.txt": (VALID_UTF8 + b"\xff\xfe tail", f"invalid UTF-8 at byte {len(VALID_UTF8)}"),
    "malformed.pdf": (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n",
                      "not a valid PDF"),
    "truncated.pdf": (lambda: encrypted_pdf()[:300], "not a valid PDF"),
    "encrypted.pdf": (encrypted_pdf, "PDF is encrypted"),
    "loops.pdf": (looping_pdf, f"PDF parsing took longer than {PARSE_TIMEOUT_S:g} s"),
    "bomb.docx": (zip_bomb_docx, "DOCX part word/document.xml expands"),
    "crafted.docx": (crafted_size_docx, "DOCX declares 2.8 GB uncompressed"),
    "not-a-zip.docx": (b"PK\x03\x04 but not really a zip archive", "not a valid DOCX: not a zip archive"),
}


def write_bad_folder(folder: Path) -> dict[str, str]:
    """The good brief and every bad case; returns file name -> expected start of its reason."""
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    expected = {}
    for name, (content, reason) in BAD_FILES.items():
        (folder / name).write_bytes(content() if callable(content) else content)
        expected[name] = reason
    with (folder / "oversize.txt").open("wb") as handle:
        handle.truncate(25 * MB)  # sparse: 25 MB declared, over the 20 MB default limit
    expected["oversize.txt"] = "file is 26.2 MB, over the 21 MB limit"
    (folder / "loop.md").symlink_to(folder / "loop.md")  # unreadable: a link to itself
    expected["loop.md"] = "cannot read file: too many levels of symbolic links"
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    expected["dangling.txt"] = "cannot read file: no such file or directory"
    if os.geteuid() != 0:  # root reads through chmod 000
        (folder / "locked.txt").write_text(GOOD.replace("March", "April"), encoding="utf-8")
        (folder / "locked.txt").chmod(0)
        expected["locked.txt"] = "cannot read file: permission denied"
    return expected


def _reasons(failed: list[dict[str, str]]) -> dict[str, str]:
    return {Path(f["path"]).name: f["error"] for f in failed}


def _check_reasons(got: dict[str, str], expected: dict[str, str]) -> None:
    assert set(got) == set(expected), f"unexpected failures {set(got) ^ set(expected)}"
    wrong = {name: got[name] for name, reason in expected.items() if not got[name].lower().startswith(reason.lower())}
    assert wrong == {}, f"reasons differ from {({n: expected[n] for n in wrong})}"


# -- the command line and the Syncer ---------------------------------------------------------------


def test_every_bad_file_fails_alone_with_its_reason_and_the_cli_stores_the_good_brief(tmp_path):
    folder = tmp_path / "briefs"
    expected = write_bad_folder(folder)
    store_dir = tmp_path / "store"
    started = time.monotonic()
    done = run_ingest(str(folder), "--store", str(store_dir), "--json",
                      env=child_env(BRIEFS_INGEST__PARSE_TIMEOUT_S=str(PARSE_TIMEOUT_S)), timeout=240)
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr  # some files failed; the others are stored
    assert "Traceback" not in done.stderr
    summary = json.loads(done.stdout)
    assert (summary["added"], summary["updated"], summary["removed"]) == (1, 0, 0)
    _check_reasons(_reasons(summary["failed"]), expected)
    assert elapsed < 180, f"the run took {elapsed:.0f} s: a parser was not stopped at its time limit"
    store = reopen(store_dir, bundled_embedder())
    try:
        assert [e.sources for e in store.manifest().values()] == [("good.txt",)]
        assert_visible_state_whole(store)
        assert store.count() == len(next(iter(store.manifest().values())).chunk_ids)
    finally:
        store.client.close()


def test_a_stored_brief_whose_file_turns_bad_in_any_way_keeps_its_passages(tmp_path):
    embedder = bundled_embedder()
    folder = tmp_path / "briefs"
    folder.mkdir()
    brief = folder / "brief.txt"
    brief.write_text(GOOD, encoding="utf-8")
    store = reopen(tmp_path / "store", embedder)
    syncer = Syncer(store, embedder, SyncOptions(parse_timeout_s=PARSE_TIMEOUT_S, max_bytes=20 * MB))
    assert syncer.sync([folder]).added == 1
    kept = store_snapshot(store)[0]
    turns = {
        "empty": lambda: brief.write_bytes(b""),
        "whitespace": lambda: brief.write_bytes(b"   \n\n"),
        "binary": lambda: brief.write_bytes(BAD_FILES["binary.txt"][0]),
        "invalid UTF-8": lambda: brief.write_bytes(BAD_FILES["invalid-utf8.txt"][0]),
        "over the limit": lambda: brief.open("r+b").truncate(25 * MB),
        "a link to itself": lambda: (brief.unlink(), brief.symlink_to(brief)),
    }
    try:
        for how, turn in turns.items():
            if brief.is_symlink():
                brief.unlink()
            turn()
            report = syncer.sync([folder])
            assert [Path(f.path).name for f in report.failed] == ["brief.txt"], how
            assert (report.added, report.updated, report.removed) == (0, 0, 0), how
            assert store_snapshot(store)[0] == kept, f"the stored brief changed when its file turned {how}"
            assert_visible_state_whole(store)
        brief.unlink()
        brief.write_text(GOOD, encoding="utf-8")
        report = syncer.sync([folder])
        assert report.failed == [] and report.unchanged == 1
        assert_mirrors_folder(store, folder)
    finally:
        store.client.close()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read_or_parsed(tmp_path, monkeypatch):
    embedder = bundled_embedder()
    folder = tmp_path / "briefs"
    folder.mkdir()
    for name in ("huge.txt", "huge.pdf", "huge.docx"):
        with (folder / name).open("wb") as handle:
            handle.truncate(25 * MB)
    loaded, opened = [], []
    real_load, real_open = sync_module.load_document, Path.open

    def spy_load(path, **kwargs):
        loaded.append(path.name)
        return real_load(path, **kwargs)

    def spy_open(self, *args, **kwargs):
        if self.name.startswith("huge."):
            opened.append(self.name)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(sync_module, "load_document", spy_load)
    monkeypatch.setattr(Path, "open", spy_open)
    for fmt in ("pdf", "docx", "html"):
        monkeypatch.setitem(loaders.PARSERS, fmt, _never_called)
    store = reopen(tmp_path / "store", embedder)
    try:
        report = Syncer(store, embedder, SyncOptions(max_bytes=20 * MB)).sync([folder])
    finally:
        store.client.close()
    assert {Path(f.path).name: f.error for f in report.failed} == {
        name: "file is 26.2 MB, over the 21 MB limit" for name in ("huge.txt", "huge.pdf", "huge.docx")}
    assert loaded == [] and opened == []


def _never_called(data: bytes):
    raise AssertionError("a parser ran on a file over the size limit")


def test_cli_failure_lines_do_not_pass_control_characters_from_file_names_to_the_terminal(tmp_path):
    folder = tmp_path / "briefs"
    folder.mkdir()
    names = ["red\x1b[31mtext\x1b[0m.txt", "two\nfailed: forged.txt: looks fine.txt", "bell\x07\x08.md"]
    for name in names:
        (folder / name).write_bytes(b"")
    done = run_ingest(str(folder), "--store", str(tmp_path / "store"))
    assert done.returncode == 1
    failures = [line for line in done.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failures) == len(names), f"a file name forged or split a line: {done.stderr!r}"
    assert not any(ch in done.stderr for ch in "\x1b\x07\x08\r"), f"raw control characters: {done.stderr!r}"


@pytest.mark.parametrize("special", ["fifo", "char-device"])
def test_a_special_file_with_a_brief_s_name_fails_alone_instead_of_hanging_the_sync(tmp_path, special):
    folder = tmp_path / "briefs"
    folder.mkdir()
    if special == "fifo":
        os.mkfifo(folder / "pipe.txt")  # open() blocks until a writer comes
    else:
        (folder / "zero.txt").symlink_to("/dev/zero")  # reads never end
    proc = subprocess.Popen(ingest_command(str(folder), "--store", str(tmp_path / "store"), "--json"),
                            cwd=REPO_ROOT, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=15)  # a run with nothing to embed takes a few seconds
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"`python -m ingest` hung on a {special} named like a brief (killed after 15 s)")
    assert proc.returncode == 1, err
    (failure,) = json.loads(out)["failed"]
    assert "not a regular file" in failure["error"]


# -- uploads from the browser --------------------------------------------------------------------


@dataclass
class Upload:
    """What the upload code uses of Streamlit's UploadedFile; ``getvalue`` may be forbidden."""

    name: str
    data: bytes = b""
    size: int = 0
    readable: bool = True

    def __post_init__(self) -> None:
        self.size = self.size or len(self.data)

    def getvalue(self) -> bytes:
        assert self.readable, f"{self.name!r} was read although its size is over the limit"
        return self.data


HOSTILE_NAMES = [
    "../../escape.txt",
    "/etc/cron.d/evil.md",
    "..\\..\\windows\\system32\\drivers.md",
    "nul\x00byte.txt",
    "ctrl\x1b[31m\x07\r\nbell.txt",
    "x" * 296 + ".txt",
    "..",
    ".hidden.md",
]


def test_upload_names_with_traversal_absolute_paths_nul_controls_and_300_characters_stay_inside_the_uploads_folder(
        tmp_path):
    from ui.upload import NAMES_FILE, display_names, ingest_uploads

    embedder = bundled_embedder()
    root = tmp_path / "root"
    uploads = root / "data" / "uploads"
    root.mkdir()
    files = [Upload(name, GOOD.replace("March", f"month {i}").encode()) for i, name in enumerate(HOSTILE_NAMES)]
    store = reopen(tmp_path / "store", embedder)
    try:
        result = ingest_uploads(files, uploads, Syncer(store, embedder, SyncOptions()), max_bytes=20 * MB,
                                lock=threading.Lock())
        written = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        saved = {s.original: s.path for s in result.saved}
        rejected = {r.original: r.reason for r in result.rejected}
        sources = sorted(s for e in store.manifest().values() for s in e.sources)
        assert_visible_state_whole(store)
    finally:
        store.client.close()
    assert ".." in rejected and "unsupported file type" in rejected[".."], rejected
    assert set(saved) | set(rejected) == set(HOSTILE_NAMES)
    assert set(saved) == set(HOSTILE_NAMES) - {".."}
    assert written == sorted([f"data/uploads/{NAMES_FILE}"] + [f"data/uploads/{p.name}" for p in saved.values()])
    assert not list(Path("/etc/cron.d").glob("evil*")) and not (tmp_path / "escape.txt").exists()
    for path in saved.values():
        name = path.name
        assert path.parent == uploads.absolute()
        assert name.isprintable() and "/" not in name and "\\" not in name and ".." not in name, repr(name)
        assert not name.startswith(".") and len(name) <= 90, repr(name)
    assert sources == sorted(p.name for p in saved.values())  # stored under the safe names only
    assert display_names(uploads) == {p.name: original for original, p in saved.items()}
    assert result.report is not None and result.report.failed == []


def test_a_25_mb_upload_is_rejected_before_it_is_read_parsed_or_written(tmp_path, monkeypatch):
    from ui.upload import ingest_uploads

    embedder = bundled_embedder()
    uploads = tmp_path / "uploads"
    synced = []
    monkeypatch.setattr(Syncer, "sync", lambda self, *a, **k: synced.append(a) or pytest.fail("synced"))
    store = reopen(tmp_path / "store", embedder)
    try:
        result = ingest_uploads([Upload("big-brief.pdf", size=25 * MB, readable=False)], uploads,
                                Syncer(store, embedder, SyncOptions()), max_bytes=20 * MB,
                                lock=threading.Lock())
        assert store.count() == 0 and store.manifest() == {}
    finally:
        store.client.close()
    assert [(r.original, r.reason) for r in result.rejected] == [
        ("big-brief.pdf", "file is 26.2 MB, over the 21 MB limit")]
    assert result.saved == [] and synced == []
    assert not uploads.exists() or [p.name for p in uploads.iterdir()] == []


def test_a_25_mb_upload_through_the_page_is_refused_with_its_name_and_nothing_is_indexed(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.reliability.support import plain

    embedder = bundled_embedder()
    store_dir = tmp_path / "store"
    store = reopen(store_dir, embedder)
    store.client.close()
    for name in list(os.environ):
        if name.startswith("BRIEFS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BRIEFS_STORE__PATH", str(store_dir))
    monkeypatch.setenv("BRIEFS_DATA_DIR", str(tmp_path / "data"))
    parsed = []
    monkeypatch.setattr(sync_module, "load_document", lambda *a, **k: parsed.append(a) or pytest.fail("parsed"))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120).run()
    at.file_uploader[0].set_value([("big-brief.txt", b"A" * (25 * MB), "text/plain")]).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [plain(e.value) for e in at.error]
    assert any("big-brief.txt" in e and "over the 21 MB limit" in e for e in errors), errors
    assert parsed == []
    uploads = tmp_path / "data" / "uploads"
    assert not uploads.exists() or not [p for p in uploads.iterdir() if not p.name.startswith(".")]
    assert at.metric[0].value == "0"
