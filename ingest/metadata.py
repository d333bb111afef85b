"""Metadata of a brief found by rule from its text, and the user's overrides (sidecar, front matter).

Also home of the small line-level helpers that ``ingest.debris`` shares (lines with offsets,
the header region, date lines, series labels), so both read a brief's header the same way.
Date parsing is hand-written: the three formats briefs use are a few lines of ``strptime``,
and a general parser (dateparser) would also find dates in body sentences, which we must not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Mapping
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vectorstore.types import DocumentMeta, Span

logger = logging.getLogger(__name__)

SIDECAR_SUFFIX = ".meta.json"
_KNOWN_FIELDS = ("title", "date", "series", "authors", "license")
_ALIASES = {"author": "authors", "licence": "license", "published": "date"}
_MAX_TITLE_CHARS = 200

# --- lines and the header region -------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a text without its line break; ``start``/``end`` bound the stripped content."""

    index: int
    start: int
    end: int
    text: str  # stripped

    @property
    def blank(self) -> bool:
        return not self.text


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_HEADER_BODY_WORDS = 50  # the first paragraph this long is body text: the header ends there
_HEADER_MAX_BLOCKS = 15
_HEADER_MIN_LINES = 8


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` (blank ones too) with the offsets of its stripped content."""
    bounds, pos = [], 0
    for match in _LINE_BREAK.finditer(text):
        bounds.append((pos, match.start()))
        pos = match.end()
    bounds.append((pos, len(text)))
    lines = []
    for index, (start, end) in enumerate(bounds):
        raw = text[start:end]
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        lines.append(Line(index, start + lead, start + lead + len(stripped), stripped))
    return lines


def blocks(lines: list[Line]) -> list[list[Line]]:
    """Runs of consecutive non-blank lines (paragraphs separated by blank lines)."""
    out: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.blank:
            if current:
                out.append(current)
            current = []
        else:
            current.append(line)
    if current:
        out.append(current)
    return out


def overlapping(lines: Iterable[Line], spans: Iterable[Span]) -> set[int]:
    """Indexes of the lines that share at least one character with one of ``spans``."""
    merged: list[list[int]] = []
    for span in sorted(spans, key=lambda s: s.start):
        if merged and span.start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], span.end)
        else:
            merged.append([span.start, span.end])
    starts = [start for start, _ in merged]
    hits = set()
    for line in lines:
        before = bisect_left(starts, max(line.end, line.start + 1)) - 1
        if before >= 0 and merged[before][1] > line.start:
            hits.add(line.index)
    return hits


def header_end(lines: list[Line]) -> int:
    """Offset where the header (title, dek, date, series, byline) ends: the first long paragraph.

    Text without blank lines between paragraphs (PDF extracts) has no such paragraph
    boundary; there the header is the first few lines.
    """
    paragraphs = blocks(lines)
    for number, block in enumerate(paragraphs):
        words = sum(len(line.text.split()) for line in block)
        if words >= _HEADER_BODY_WORDS or number >= _HEADER_MAX_BLOCKS:
            if number == 0:
                return block[min(len(block), _HEADER_MIN_LINES) - 1].end
            return block[0].start
    return lines[-1].end if lines else 0


# --- dates, series, bylines, licences -------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH}),?\s+(?P<y2>\d{{4}}))\b",
    re.IGNORECASE,
)
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*\(?[A-Z]{2,5}\)?)?)?"
_DATELINE = re.compile(
    rf"^(?:(?:published|updated|last updated|posted|date|dated)\s*(?:on)?\s*:?\s*)?(?P<date>{_DATE.pattern}){_TIME}$",
    re.IGNORECASE,
)
_SHORT_DATE_LINE_WORDS = 8  # "for version 4.19.0, 18 August 2022"; a sentence is longer
_DATED = re.compile(
    rf"\b(?:updated|published|revised|issued|released|dated)\s+(?:on\s+|as\s+of\s+)?(?P<date>{_DATE.pattern})",
    re.IGNORECASE,
)
SERIES_FROM = re.compile(r"^from\s+(?P<series>[A-Z][^.!?:;]{1,100})$")
SERIES_LABEL = re.compile(
    r"^(?:[A-Z][\w&'-]*\s+){0,3}(?:Brief|Backgrounder|Explainer|Commentary|Report|Op-Ed|Interview"
    r"|Blog Post|Working Paper|Policy Paper|Discussion Paper|Fact Sheet|Analysis|Testimony|Memo)$"
)
BYLINE = re.compile(r"^(?:By|BY|Written by)\s+(?P<names>[A-Z][^!?]{1,150})$")
_AUTHOR_LINE = re.compile(r"^(?:Authors?|Written by)\s*:\s*(?P<names>.{2,150})$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
_CC_CODE = re.compile(r"\bCC[ -](?:BY|ZERO|0)(?:[ -](?:NC|ND|SA))*(?:[ -]\d\.\d)?\b|\bCC0\b")
_LICENSED = re.compile(r"\blicen[cs]ed under\b", re.IGNORECASE)
_SENTENCE_STOP = re.compile(r"\.(?=\s|$)|\n")


def find_date(value: str) -> str:
    """The first date in ``value`` ("May 8, 2017", "8 May 2017", "2017-05-08") as YYYY-MM-DD, or ""."""
    for match in _DATE.finditer(value):
        iso = _to_iso(match)
        if iso:
            return iso
    return ""


def dateline_date(line: str) -> str:
    """The date of a line that is only a date (and maybe a time), as YYYY-MM-DD, or ""."""
    match = _DATELINE.match(line.strip())
    return find_date(match.group("date")) if match else ""


def printed_date(lines: Iterable[str]) -> str:
    """The publication date printed near the top of a brief, as YYYY-MM-DD, or "".

    ``lines`` are the header's lines in reading order. A heuristic, tried in this order over
    all of them: a line that is only a date ("Updated March 3, 2025", "2022-08-18"); a short
    line (at most 8 words) holding exactly one date ("for version 4.19.0, 18 August 2022");
    a date right after "updated", "published", "revised", "issued", "released" or "dated" in a
    sentence ("... last updated 2 October 2018."). Any other date in a sentence is not taken
    (an event's date is not the brief's).
    """
    texts = [" ".join(line.split()) for line in lines]
    for text in texts:
        date = dateline_date(text)
        if date:
            return date
    for text in texts:
        found = [iso for iso in (_to_iso(match) for match in _DATE.finditer(text)) if iso]
        if len(found) == 1 and len(text.split()) <= _SHORT_DATE_LINE_WORDS:
            return found[0]
    for text in texts:
        for match in _DATED.finditer(text):
            date = find_date(match.group("date"))
            if date:
                return date
    return ""


def _to_iso(match: re.Match[str]) -> str:
    try:
        if match.group("iso"):
            return dt.date.fromisoformat(match.group("iso")).isoformat()
        month = match.group("m1") or match.group("m2")
        day = match.group("d1") or match.group("d2")
        year = match.group("y1") or match.group("y2")
        return dt.date(int(year), _MONTHS[month.lower().rstrip(".")], int(day)).isoformat()
    except (ValueError, KeyError):
        return ""


# Product numbers of the Congressional Research Service, printed on every page of its reports:
# the prefix names the series (https://crsreports.congress.gov "Products").
_SERIES_PREFIXES = (("LSB", "Legal Sidebar"), ("IF", "In Focus"), ("IN", "Insight"), ("RL", "Report"),
                    ("RS", "Report"), ("R", "Report"))


def series_of_number(number: str) -> str:
    """The series a report number names ("IF12155" -> "In Focus", "98-317" -> "Report"), or ""."""
    if re.fullmatch(r"9\d-\d{3,4}", number):
        return "Report"
    for prefix, series in _SERIES_PREFIXES:
        if re.fullmatch(rf"{prefix}\d{{4,5}}", number):
            return series
    return ""


def split_names(names: str) -> tuple[str, ...]:
    """Names from a byline: "Jane Doe, Ann Poe and John Roe" -> three names."""
    return tuple(name.strip() for name in _NAME_SPLIT.split(names) if name.strip())


def find_license(text: str) -> str:
    """A compact licence ("CC BY-NC-ND 4.0") or the "licensed under ..." sentence, or ""."""
    match = _LICENSED.search(text)
    if not match:
        code = _CC_CODE.search(text)
        return " ".join(code.group(0).split()) if code else ""
    start = max(text.rfind(".", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
    end = _SENTENCE_STOP.search(text, match.end())
    sentence = " ".join(text[start : end.end() if end else len(text)].split())
    code = _CC_CODE.search(sentence)
    return " ".join(code.group(0).split()) if code else sentence


# --- extraction ------------------------------------------------------------------------------

_ATX = re.compile(r"^#{1,6}\s+(?P<title>.+?)(?:\s+#+)?\s*$")
_FRONT_MATTER = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(?P<body>.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*$\r?\n?", re.DOTALL | re.MULTILINE
)
# Skipped when reading the header for metadata: never the brief's own date, title or byline.
_FOREIGN_DEBRIS = frozenset({"top_stories", "related", "more_on", "more_from_experts", "pull_quote", "caption_repeat"})


def extract_metadata(
    text: str, *, format: str, debris: list[Span] | None = None, known: DocumentMeta | None = None,
    fallback: DocumentMeta | None = None,
) -> DocumentMeta:
    """Title, date, series, authors and licence of a brief, by rule and offline.

    ``known`` holds what a format reads more surely than the text rules (HTML <title>, a PDF's
    layout, DOCX title); its non-empty fields win over what the text suggests. ``fallback``
    holds the document properties (DOCX created date, HTML meta tags): used only for a field
    that neither the text nor ``known`` gives, so a date printed in the header wins over them.
    """
    front: dict[str, object] = {}
    body_start = 0
    if format == "md":
        try:
            front, body_start = parse_front_matter(text)
        except ValueError as exc:  # load_overrides reports it; here it only costs its values
            logger.debug("ignoring front matter: %s", exc)
    all_lines = split_lines(text)
    limit = header_end(all_lines)
    skip = overlapping(all_lines, (span for span in debris or () if span.kind in _FOREIGN_DEBRIS))
    lines = [line for line in all_lines if not line.blank and line.start >= body_start and line.index not in skip]
    header = [line for line in lines if line.start < limit]
    found = DocumentMeta(
        title=_title(lines, format),
        date=printed_date(line.text for line in header),
        series=_series(header),
        authors=_authors(header, lines),
        license=find_license(text),
    )
    for source in (_safe_normalise(front), dataclasses.asdict(known) if known else {}):
        found = dataclasses.replace(found, **{k: v for k, v in source.items() if k in _KNOWN_FIELDS and v})  # type: ignore[arg-type]
    if known and known.extra:
        found = dataclasses.replace(found, extra=tuple({**dict(found.extra), **dict(known.extra)}.items()))
    if fallback:
        missing = {k: v for k, v in dataclasses.asdict(fallback).items()
                   if k in _KNOWN_FIELDS and v and not getattr(found, k)}
        found = dataclasses.replace(found, **missing)
    return found


def _title(lines: list[Line], format: str) -> str:
    if format == "md":
        headings = [m.group("title") for m in (_ATX.match(line.text) for line in lines) if m]
        if headings:
            return headings[0]
    first = lines[0].text.lstrip("#").strip() if lines else ""
    return first if len(first) <= _MAX_TITLE_CHARS else ""


def _series(header: list[Line]) -> str:
    for line in header:
        match = SERIES_FROM.match(line.text)
        if match:
            return match.group("series").strip()
    # The first line is the title: "Airport Noise Brief" names the brief, not a series.
    return next((line.text for line in header[1:] if SERIES_LABEL.match(line.text)), "")


def _authors(header: list[Line], lines: list[Line]) -> tuple[str, ...]:
    for line in header:
        match = BYLINE.match(line.text)
        if match:
            return split_names(match.group("names"))
    for line in lines:
        match = _AUTHOR_LINE.match(line.text)
        if match:
            return split_names(match.group("names"))
    return ()


# --- overrides -------------------------------------------------------------------------------


def is_sidecar(path: Path) -> bool:
    """Whether ``path`` is a metadata sidecar (``<file name>.meta.json``), not a brief."""
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def parse_front_matter(text: str) -> tuple[dict[str, object], int]:
    """The ``---`` YAML block at the top of a Markdown text and the offset where the body starts."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    try:
        values = yaml.safe_load(match.group("body"))
    except yaml.YAMLError as exc:
        values = _simple_pairs(match.group("body"))  # "title: Risk: A Primer" is not YAML
        if values is None:
            raise ValueError(f"front matter is not valid YAML: {_yaml_problem(exc)}") from None
    if values is None:
        return {}, match.end()
    if not isinstance(values, dict):
        raise ValueError(f"front matter must be 'key: value' lines, not a {type(values).__name__}")
    return values, match.end()


def _yaml_problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or "cannot parse"
    mark = getattr(exc, "problem_mark", None)
    return f"{problem} at line {mark.line + 2}" if mark else problem  # +2: 1-based, after "---"


_PAIR = re.compile(r"^(?P<key>[A-Za-z_][\w -]*?)\s*:\s*(?P<value>.*?)\s*$")


def _simple_pairs(body: str) -> dict[str, object] | None:
    """Front matter read as plain ``key: value`` lines, or None when a line is something else."""
    values: dict[str, object] = {}
    for line in body.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _PAIR.match(line)
        if not match:
            return None
        value = match.group("value")
        if value.startswith("[") and value.endswith("]"):
            values[match.group("key")] = [item.strip().strip("'\"") for item in value[1:-1].split(",") if item.strip()]
        else:
            values[match.group("key")] = value.strip("'\"")
    return values


def load_overrides(path: Path, *, text: str | None = None) -> dict[str, object]:
    """User metadata for ``path``: Markdown front matter, then the sidecar file, which wins.

    ``text`` is the decoded file when the caller has it (saves reading a Markdown file twice).
    Raises ValueError naming the file and the problem when either is malformed.
    """
    overrides: dict[str, object] = {}
    if path.suffix.lower() in (".md", ".markdown"):
        if text is None:
            from ingest.encoding import decode_text

            text, _ = decode_text(path.read_bytes())
        try:
            front, _ = parse_front_matter(text)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None
        _merge(overrides, normalise_overrides(front, where=f"{path} (front matter)", lenient_date=True))
    sidecar = sidecar_path(path)
    if sidecar.is_file():
        try:
            values = json.loads(sidecar.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise ValueError(f"{sidecar}: cannot read sidecar: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise ValueError(f"{sidecar}: sidecar is not UTF-8 (byte {exc.start})") from None
        except json.JSONDecodeError as exc:
            raise ValueError(f"{sidecar}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
        if not isinstance(values, dict):
            raise ValueError(f"{sidecar}: must hold a JSON object, not a {type(values).__name__}")
        _merge(overrides, normalise_overrides(values, where=str(sidecar)))
    return overrides


def _merge(into: dict[str, object], new: dict[str, object]) -> None:
    extra: dict[str, object] = {**into.get("extra", {}), **new.pop("extra", {})}  # type: ignore[dict-item]
    into.update(new)
    if extra:
        into["extra"] = extra


def normalise_overrides(values: Mapping[Any, object], *, where: str, lenient_date: bool = False) -> dict[str, object]:
    """Check and normalise raw override values; ValueError names ``where`` and the bad field.

    With ``lenient_date`` (front matter) a date that cannot be read is left empty with a warning
    instead: the brief is still stored.
    """
    out: dict[str, object] = {}
    extra: dict[str, str] = {}
    for raw_key, value in values.items():
        key = _ALIASES.get(str(raw_key).lower(), str(raw_key).lower()) if isinstance(raw_key, str) else None
        if key is None:
            raise ValueError(f"{where}: field names must be text, got {raw_key!r}")
        if value is None:
            continue
        if key == "authors":
            out[key] = _names(value, where)
        elif key == "date":
            date = _date(value, where, strict=not lenient_date)
            if date:
                out[key] = date
        elif key in _KNOWN_FIELDS:
            out[key] = _scalar(key, value, where)
        elif key == "extra":
            if not isinstance(value, dict):
                raise ValueError(f"{where}: field 'extra' must be an object of fields, got {value!r}")
            extra.update({str(k): _scalar(str(k), v, where) for k, v in value.items() if v is not None})
        else:
            extra[str(raw_key)] = _scalar(str(raw_key), value, where)
    if extra:
        out["extra"] = extra
    return out


def _scalar(key: str, value: object, where: str) -> str:
    if isinstance(value, (str, int, float, bool, dt.date)):
        return value.isoformat() if isinstance(value, dt.date) else str(value).strip()
    raise ValueError(f"{where}: field '{key}' must be text, got {type(value).__name__} {value!r}")


def _names(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return split_names(value)
    if isinstance(value, (list, tuple)) and all(isinstance(name, str) for name in value):
        return tuple(name.strip() for name in value if name.strip())
    raise ValueError(f"{where}: field 'authors' must be text or a list of names, got {value!r}")


_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_MONTH_YEAR = re.compile(rf"^(?P<month>{_MONTH})\s+(?P<year>\d{{4}})$", re.IGNORECASE)
_YEAR_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")
_YEAR = re.compile(r"^(?P<year>[12]\d{3})$")


def parse_date(value: object) -> tuple[str, str]:
    """A user-written date as ``(date, problem)``: the date as YYYY-MM-DD, or YYYY-MM / YYYY when
    only the month or year is given ("March 2021", "2021-03", "2019"); ``("", why)`` when it
    cannot be read or is ambiguous ("03/04/2021" is March 4 or 3 April)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), ""
    if isinstance(value, dt.date):
        return value.isoformat(), ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return "", f"not a date: {value!r}"
    text = " ".join(value.split())
    iso = find_date(text)
    if iso:
        return iso, ""
    numeric = _NUMERIC_DATE.match(text)
    if numeric:
        first, second, year = (int(g) for g in numeric.groups())
        orders = {(m, d) for m, d in ((first, second), (second, first)) if _valid(year, m, d)}
        if len(orders) == 1:
            month, day = orders.pop()
            return dt.date(year, month, day).isoformat(), ""
        why = "ambiguous: day and month could be either way round" if orders else "not a calendar date"
        return "", f"{why}: {value!r}"
    for pattern in (_MONTH_YEAR, _YEAR_MONTH):
        match = pattern.match(text)
        if match:
            month_text: str = match.group("month")
            month_number = (int(month_text) if month_text.isdigit()
                            else _MONTHS.get(month_text.lower().rstrip("."), 0))
            if 1 <= month_number <= 12:
                return f"{match.group('year')}-{month_number:02d}", ""
    if _YEAR.match(text):
        return text, ""
    return "", f"not a date: {value!r}"


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _date(value: object, where: str, *, strict: bool = True) -> str:
    date, problem = parse_date(value)
    if problem and strict:
        raise ValueError(f"{where}: field 'date' is {problem} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    if problem:
        logger.warning("%s: date left empty: %s (use YYYY-MM-DD, YYYY-MM or YYYY)", where, problem)
    return date


def _safe_normalise(values: dict[str, object]) -> dict[str, object]:
    try:
        return normalise_overrides(values, where="front matter", lenient_date=True)
    except ValueError as exc:
        logger.debug("ignoring front matter: %s", exc)
        return {}


def apply_overrides(meta: DocumentMeta, overrides: dict[str, object]) -> DocumentMeta:
    """``meta`` with the user's values in place; unknown fields go to ``extra``."""
    values = normalise_overrides(overrides, where="overrides")
    extra = dict(meta.extra)
    extra.update(values.pop("extra", {}))  # type: ignore[call-overload]
    return dataclasses.replace(meta, **values, extra=tuple(extra.items()))  # type: ignore[arg-type]
