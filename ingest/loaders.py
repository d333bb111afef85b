"""Turn one file into a ``Document``: read it safely, extract its text, find its metadata.

Every bad input ends as ``LoadError(source, reason)`` with a reason a person can act on.
PDF, DOCX and HTML are parsed in a child process under a hard time limit, so a file that
makes a parser loop (or crash) costs one error, not the ingest run.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import logging
import multiprocessing
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ingest.debris import find_debris, find_sections
from ingest.encoding import canonical_encoding, decode_text, is_unicode
from ingest.metadata import apply_overrides, extract_metadata, load_overrides, sidecar_path, split_lines
from ingest.text import join_wraps, unwrap
from vectorstore.errors import LoadError
from vectorstore.types import Document, DocumentMeta, Page, Section, Span

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
_FORMATS = {
    ".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx",
}
_LABELS = {"html": "HTML", "pdf": "PDF", "docx": "DOCX"}

_MB = 1024 * 1024
# A DOCX is a zip: refuse archives that declare more than this much uncompressed data
# (the smaller of a fixed cap and a multiple of the file size limit), or a big member that
# expands more than _DOCX_MAX_RATIO times; text XML compresses about 5-20 times.
_DOCX_MAX_UNCOMPRESSED = 200 * _MB
_DOCX_UNCOMPRESSED_FACTOR = 50
_DOCX_MAX_RATIO, _DOCX_RATIO_MIN_SIZE = 100, 10 * _MB
# Titles that tools write into PDF info and DOCX core properties on their own.
_PLACEHOLDER_TITLES = frozenset({"", "word document", "document", "untitled", "title", "anonymous"})
# "fork" where there is one: the child starts in milliseconds and, unlike "spawn" and
# "forkserver", does not re-import the entry script (Streamlit runs app.py as __main__, which
# those would re-run in every child). CPython resets its own locks across fork, and the child
# only runs the parser. Elsewhere (Windows) "spawn" is the only choice.
_START_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
_EXIT_GRACE_S = 2.0  # for a child that has sent its result to exit on its own


@dataclass(frozen=True)
class Extracted:
    """What a format parser found; crosses the process boundary, so plain data only."""

    text: str
    pages: tuple[Page, ...] = ()
    sections: tuple[Section, ...] = ()
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    encoding: str = ""  # where the parser decoded text bytes itself (HTML)
    debris: tuple[Span, ...] = ()  # what the parser knows is not body text (PDF cover pages)
    # The file's properties (DOCX created date, HTML meta tags): used only where the text shows nothing.
    fallback: DocumentMeta = field(default_factory=DocumentMeta)


class BadContent(Exception):
    """Raised by a parser for a file it cannot use; the message is the reason for a person."""


def load_document(path: Path, *, source: str, max_bytes: int, timeout_s: float,
                  encoding: str | None = None) -> Document:
    """Load ``path`` (named ``source`` in errors and in the document) as a ``Document``.

    ``encoding`` is the user's encoding for text files that are not Unicode (``--encoding``);
    the file's sidecar ``encoding`` wins over it (``stated_encoding``).

    Raises LoadError for an unsupported, unreadable, oversized, empty, binary, encrypted,
    malformed or too-slow file, or one that does not decode in its stated encoding.
    """
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(source, f"unsupported file type {path.suffix or '(no extension)'}")
    stated = stated_encoding(path, encoding, source=source)
    data = _read(path, source=source, max_bytes=max_bytes)
    if fmt in ("txt", "md"):
        return _text_document(path, data, fmt=fmt, source=source, stated=stated)
    if fmt == "docx":
        problem = check_docx_archive(data, max_bytes=max_bytes)
        if problem:
            raise LoadError(source, problem)
    found = parse_isolated(PARSERS[fmt], data, what=_LABELS[fmt], source=source, timeout_s=timeout_s)
    if not found.text.strip():
        hint = " (scanned pages without a text layer?)" if fmt == "pdf" else ""
        raise LoadError(source, f"no text found in the {_LABELS[fmt]} file{hint}")
    debris = _merge_debris(found.debris, find_debris(found.text))
    meta = extract_metadata(found.text, format=fmt, debris=debris, known=found.meta, fallback=found.fallback)
    return Document(
        source=source,
        text=found.text,
        content_hash=hashlib.sha256(data).hexdigest(),
        format=fmt,
        encoding=found.encoding,
        meta=_with_overrides(meta, path, source=source),
        sections=found.sections,
        pages=found.pages,
        debris=tuple(debris),
    )


def _merge_debris(first: tuple[Span, ...], second: list[Span]) -> list[Span]:
    """Both lists as one sorted list of non-overlapping spans (the first list wins overlaps)."""
    out = list(first)
    for span in second:
        if not any(span.start < kept.end and kept.start < span.end for kept in first):
            out.append(span)
    return sorted(out, key=lambda s: s.start)


def _read(path: Path, *, source: str, max_bytes: int) -> bytes:
    """The file's bytes, after checking with stat that it is a regular file within the limit."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise LoadError(source, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise LoadError(source, "not a regular file")
        if info.st_size > max_bytes:
            raise LoadError(source, _over_limit(info.st_size, max_bytes))
        if info.st_size == 0:
            raise LoadError(source, "file is empty")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat
    except FileNotFoundError:
        missing = "broken link: its target does not exist" if path.is_symlink() else "file not found"
        raise LoadError(source, missing) from None
    except PermissionError:
        raise LoadError(source, "cannot read file: permission denied") from None
    except OSError as exc:
        raise LoadError(source, f"cannot read file: {(exc.strerror or str(exc)).lower()}") from None
    if len(data) > max_bytes:
        raise LoadError(source, _over_limit(len(data), max_bytes))
    return data


def _over_limit(size: int, limit: int) -> str:
    return f"file is {size / _MB:.1f} MB, over the {round(limit / _MB, 1):g} MB limit"


def _human(size: int) -> str:
    return f"{size / (1024 * _MB):.1f} GB" if size >= 1024 * _MB else f"{size / _MB:.1f} MB"


def stated_encoding(path: Path, default: str | None = None, *, source: str = "") -> str | None:
    """The encoding the user states for the text file ``path``: the ``encoding`` key of its sidecar
    ``NAME.EXT.meta.json``, else ``default``; None for other formats (PDF, DOCX and HTML say their own).

    Raises LoadError when the sidecar names an encoding Python does not know. A sidecar that
    cannot be read is left to ``load_overrides``, which reports it.
    """
    if _FORMATS.get(path.suffix.lower()) not in ("txt", "md"):
        return None
    sidecar = sidecar_path(path)
    value: object = None
    if sidecar.is_file():
        try:
            values = json.loads(sidecar.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            values = None
        value = values.get("encoding") if isinstance(values, dict) else None
    if value is None:
        return default
    try:
        if not isinstance(value, str):
            raise ValueError(f"must be text, got {value!r}")
        return canonical_encoding(value)
    except ValueError as exc:
        raise LoadError(source or str(path), f"{sidecar.name}: field 'encoding': {exc}") from None


def content_hash(data: bytes, stated: str | None = None) -> str:
    """The document id of a file's bytes: their SHA-256, with the stated encoding folded in where
    it decides the text (bytes that are not Unicode), so that stating another encoding makes
    the file a new version that the next sync stores in place of the old one."""
    digest = hashlib.sha256(data)
    if stated and not is_unicode(data):
        digest.update(b"\0encoding=" + stated.encode())
    return digest.hexdigest()


def _text_document(path: Path, data: bytes, *, fmt: str, source: str, stated: str | None = None) -> Document:
    try:
        text, encoding = decode_text(data, stated=stated, source=source)
    except ValueError as exc:
        raise LoadError(source, str(exc)) from None
    text = unwrap(text)  # hard-wrapped paragraphs on one line each: sentences whole
    debris = find_debris(text)
    meta = extract_metadata(text, format=fmt, debris=debris)
    return Document(
        source=source,
        text=text,
        content_hash=content_hash(data, stated),
        format=fmt,
        encoding=encoding,
        meta=_with_overrides(meta, path, source=source, text=text if fmt == "md" else None),
        sections=tuple(find_sections(text, markdown=fmt == "md", debris=debris)),
        debris=tuple(debris),
    )


def _with_overrides(meta: DocumentMeta, path: Path, *, source: str, text: str | None = None) -> DocumentMeta:
    try:
        overrides = load_overrides(path, text=text)
        extra = overrides.get("extra")
        if isinstance(extra, dict):
            extra.pop("encoding", None)  # read by ``stated_encoding``: not metadata
        meta = apply_overrides(meta, overrides)
    except ValueError as exc:
        raise LoadError(source, str(exc)) from None
    return meta if meta.title else apply_overrides(meta, {"title": Path(source).stem})


# --- the child process ----------------------------------------------------------------------


def parse_isolated(
    parse: Callable[[bytes], Extracted], data: bytes, *, what: str, source: str, timeout_s: float
) -> Extracted:
    """Run ``parse(data)`` in a child process; kill it and raise LoadError after ``timeout_s``.

    ``parse`` must be a module-level function (it is pickled by name).
    """
    context = multiprocessing.get_context(_START_METHOD)
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(parse, data, what, sender), name=f"parse-{what}",  # type: ignore[attr-defined]
                            daemon=True)
    # A forked child inherits the parent's uncollected garbage; its own cyclic collection would run those
    # objects' finalizers there (a store's or thread pool's, waiting on a lock whose holder thread the
    # child does not have) and hang the parse. Frozen objects are never collected, in the child either
    # (the ``gc.freeze`` recipe of the ``gc`` module's documentation); the parent unfreezes at once.
    gc.freeze()
    try:
        child.start()
    finally:
        gc.unfreeze()
    sender.close()
    finished = False
    try:
        if not receiver.poll(timeout_s):
            raise LoadError(source, f"{what} parsing took longer than {timeout_s:g} s")
        finished = True
        ok, payload = receiver.recv()
    except EOFError:  # the child died without a word (killed for memory, segfault)
        child.join(timeout=_EXIT_GRACE_S)
        raise LoadError(source, f"the {what} parser crashed (exit code {child.exitcode})") from None
    finally:
        child.join(timeout=_EXIT_GRACE_S if finished else 0)
        if child.is_alive():
            if not finished:
                logger.warning("killing the %s parser of %s (pid %s) after %g s", what, source, child.pid, timeout_s)
            child.kill()
            child.join()
        receiver.close()
    if not ok:
        raise LoadError(source, payload)
    return payload


def _child(parse: Callable[[bytes], Extracted], data: bytes, what: str, sender: Connection) -> None:
    logging.disable(logging.WARNING)  # parsers warn about every quirk; the parent reports the outcome
    try:
        result: tuple[bool, object] = (True, parse(data))
    except BadContent as exc:
        result = (False, str(exc))
    except Exception as exc:  # noqa: BLE001 - any failure on these bytes means a bad file
        result = (False, f"not a valid {what}: {_short(exc)}")
    sender.send(result)
    sender.close()


def _short(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message if len(message) <= 160 else message[:157] + "..."


# --- format parsers (run in the child) --------------------------------------------------------


def parse_pdf(data: bytes) -> Extracted:
    """The cleaned text of a PDF (``ingest.pdf``): paragraphs whole, running headers and footers
    gone, footnotes after the body; its pages, debris and layout metadata."""
    from ingest.pdf import EncryptedPdf, read_pdf

    try:
        found = read_pdf(data)
    except EncryptedPdf:
        raise BadContent("PDF is encrypted") from None
    except Exception as exc:  # noqa: BLE001 - pdfium raises on every kind of broken file
        raise BadContent(f"not a valid PDF: {_short(exc)}") from None
    return Extracted(found.text, pages=found.pages, meta=found.meta, debris=found.debris)


def check_docx_archive(data: bytes, *, max_bytes: int) -> str:
    """Why a DOCX archive must not be opened (zip bomb, not a zip, no document part), or ""."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return f"not a valid DOCX: not a zip archive ({_short(exc)})"
    declared = sum(member.file_size for member in members)
    limit = min(_DOCX_MAX_UNCOMPRESSED, _DOCX_UNCOMPRESSED_FACTOR * max_bytes)
    if declared > limit:
        return f"DOCX declares {_human(declared)} uncompressed (limit {_human(limit)}): refusing a possible zip bomb"
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _DOCX_RATIO_MIN_SIZE and ratio > _DOCX_MAX_RATIO:
            return (
                f"DOCX part {member.filename} expands {ratio:.0f} times to {_human(member.file_size)}: "
                "refusing a possible zip bomb"
            )
    if "word/document.xml" not in {member.filename for member in members}:
        return "not a valid DOCX: the archive has no word/document.xml"
    return ""


def parse_docx(data: bytes) -> Extracted:
    """Paragraphs (and table rows) joined by blank lines; Heading paragraphs become sections.
    A soft line break inside a paragraph is joined where it wraps a sentence (``join_wraps``)."""
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    parts: list[str] = []
    sections: list[Section] = []
    first_title = first_heading = ""
    position = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            pieces, style = [_table_text(block)], ""
        else:
            # A soft line break (w:br) inside a paragraph is joined where it wraps a sentence; a page
            # or column break is a paragraph boundary (python-docx gives it no character at all).
            pieces = [join_wraps(piece.strip()) for piece in _paragraph_pieces(block)]
            style = _style_name(block)
        for paragraph in pieces:
            if not paragraph:
                continue
            if style.startswith("Heading"):
                sections.append(Section(position, paragraph))
                first_heading = first_heading or paragraph
            elif style == "Title":
                first_title = first_title or paragraph
            parts.append(paragraph)
            position += len(paragraph) + 2
    core_title = (document.core_properties.title or "").strip()
    title = core_title if core_title.lower() not in _PLACEHOLDER_TITLES else first_title or first_heading
    created = document.core_properties.created
    fallback = DocumentMeta(date=created.date().isoformat() if created else "")
    return Extracted("\n\n".join(parts), sections=tuple(sections), meta=DocumentMeta(title=title), fallback=fallback)


def _paragraph_pieces(paragraph: Any) -> list[str]:
    """The text of a DOCX paragraph split at its page and column breaks (``w:br w:type="page"`` /
    ``"column"``), which python-docx reads as nothing, so the words either side would touch."""
    breaks = paragraph._p.xpath('.//w:br[@w:type="page" or @w:type="column"]')
    if not breaks:
        return [paragraph.text]
    from docx.oxml import OxmlElement

    text = paragraph.text
    # a private-use character the paragraph does not hold marks each break (XML allows no control character)
    sentinel = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
    for br in breaks:  # the parsed document is ours alone: mark each break where it stands
        mark = OxmlElement("w:t")
        mark.text = sentinel
        br.getparent().replace(br, mark)
    return paragraph.text.split(sentinel)


def _style_name(paragraph: object) -> str:
    style = getattr(paragraph, "style", None)
    return (getattr(style, "name", "") or "") if style is not None else ""


def _table_text(table: object) -> str:
    """One line per row, cells between " | ", every row as wide as the grid so that a value stays
    under its column's header (``text.tables`` reads a row with its header); empty cells are
    kept empty, and a merged cell, which python-docx repeats in each column it spans, is kept once."""
    rows = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        elements: list[object] = []
        for cell in row.cells:
            if any(cell._tc is seen for seen in elements):  # the same merged cell again
                continue
            elements.append(cell._tc)
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)


def parse_html(data: bytes) -> Extracted:
    """The page's main text by trafilatura (boilerplate removed), its headings and metadata."""
    import trafilatura

    try:
        html, encoding = decode_text(data)
    except ValueError as exc:
        raise BadContent(str(exc)) from None
    found: Any = trafilatura.bare_extraction(  # a trafilatura Document with output_format="python"
        html,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        output_format="python",
    )
    # Line breaks (<br>, and trafilatura's one line per paragraph) inside a sentence joined.
    text = join_wraps(found.text or "") if found is not None else ""
    if not text.strip():
        raise BadContent("no main text found in the HTML page")
    heads = found.body.iter("head") if found.body is not None else ()
    headings = [" ".join("".join(head.itertext()).split()) for head in heads]
    meta = DocumentMeta(
        title=found.title or "",
        authors=tuple(name.strip() for name in (found.author or "").split(";") if name.strip()),
        license=found.license or "",
    )
    # trafilatura's date comes from meta tags (or a guess from the page): a date printed in the
    # article's header wins over it.
    fallback = DocumentMeta(date=found.date or "")
    return Extracted(text, sections=tuple(_locate(text, headings)), meta=meta, encoding=encoding, fallback=fallback)


def _locate(text: str, headings: list[str]) -> list[Section]:
    """Sections at the lines of ``text`` that read as the given headings, in order."""
    sections, wanted = [], [heading for heading in headings if heading]
    for line in split_lines(text):
        title = " ".join(line.text.split())
        if title and title in wanted:
            sections.append(Section(line.start, title))
            del wanted[: wanted.index(title) + 1]
    return sections


PARSERS: dict[str, Callable[[bytes], Extracted]] = {"pdf": parse_pdf, "docx": parse_docx, "html": parse_html}
"""The parser of each isolated format; tests may swap in a slow one to exercise the time limit."""
