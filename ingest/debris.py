"""Find web-page debris and section headings in the text of a brief, without changing the text.

Briefs copied from web pages carry navigation ("More on:" topic lists, "More From Our
Experts"), repeated captions and titles, pull quotes, licence footers and trailing story lists.
We mark them as spans so passages can skip them while every offset still points into the
untouched text. No maintained library finds these in plain text (trafilatura works on HTML),
hence the rules here; each is a pattern of web layouts, not of one site's sentences.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ingest.metadata import (
    BYLINE,
    SERIES_FROM,
    SERIES_LABEL,
    Line,
    blocks,
    dateline_date,
    header_end,
    overlapping,
    parse_front_matter,
    split_lines,
)
from text.captions import repeated_with_credit
from vectorstore.types import Section, Span

_MORE_ON = re.compile(r"^more on\s*:?$", re.IGNORECASE)
_MAX_TOPIC_WORDS, _MAX_TOPIC_CHARS, _MAX_TOPICS = 4, 40, 12
_NAV_LINES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("more_from_experts", re.compile(r"^more from (?:our|the|this) (?:experts?|authors?|series|blog)$", re.I)),
    ("share", re.compile(r"^(?:share|tweet|email|print|download)(?: this)?(?: (?:article|brief|page|pdf))?$", re.I)),
    ("subscribe", re.compile(r"^(?:subscribe|sign up)\b.{0,60}$|^(?:newsletter|advertisement)$", re.I)),
)
# A list of other stories: in the second half of the text, it and everything after is debris.
_TRAILERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "top_stories",
        re.compile(
            r"^(?:top|latest|trending|popular) (?:stories|news|articles)(?: on .{1,40})?$"
            r"|^most (?:popular|read)$|^trending(?: now)?$",
            re.I,
        ),
    ),
    (
        "related",
        re.compile(
            r"^(?:related|recommended|suggested) (?:articles?|content|reading|stories|posts)$"
            r"|^(?:read next|see also|you (?:may|might) also like)$",
            re.I,
        ),
    ),
)
_LICENSE_LINE = re.compile(
    r"creative commons|some rights reserved|all rights reserved|licen[cs]ed under|view licen[cs]e"
    r"|^(?:©|copyright\b)",
    re.I,
)
_UI_WORD = re.compile(r"^(?:close|share|print|email|view|more|open)$", re.I)
_MAX_LICENSE_LINE = 250
_CAPTION_MIN_WORDS, _CAPTION_MAX_CREDIT = 4, 120
_TAGLINE_MAX_CHARS = 200
_QUOTE_MIN_WORDS, _QUOTE_MAX_CHARS, _QUOTE_KEY_WORDS = 6, 300, 5
_SENTENCE_END = ".!?…"
_QUOTE_MARKS = "\"'“”‘’«»"
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’)\]]*\s+")
_HEADING_MAX_WORDS, _HEADING_MAX_CHARS = 12, 100
_NOT_HEADING_END = ".,;:!…\"'”’)"
_FOLD = (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'))


def find_debris(text: str) -> list[Span]:
    """Spans of web-page debris in ``text``: sorted, non-overlapping, each with its ``kind``."""
    lines = split_lines(text)
    spans = _front_matter(text)
    spans += _more_on(lines)
    spans += _nav_lines(lines)
    spans += _title_repeats(lines)
    spans += _caption_repeats(lines)
    spans += _header_debris(lines)
    spans += _license_blocks(lines)
    spans += _trailers(text, lines)
    spans += _pull_quotes(lines, spans)
    spans += embedded_data(text)
    return _non_overlapping(spans)


# Data embedded in the text, not text: a data: URI (an inline Markdown or HTML image, a font)
# and a long run of base64 outside one. Readers never see them; as passages they are noise
# that no question matches and a splitter can only cut by tokens.
_DATA_URI = re.compile(r"data:[\w.+-]+/[\w.+-]+(?:;[\w.+-]+(?:=[\w.+-]+)?)*,[^\s)\"'<>\]]+", re.IGNORECASE)
_BASE64_RUN = re.compile(r"(?<![\w+/=])[A-Za-z0-9+/]{200,}={0,2}(?![\w+/=])")
_MIN_DATA_URI_CHARS = 64


def embedded_data(text: str) -> list[Span]:
    """Spans of data: URIs of at least ``_MIN_DATA_URI_CHARS`` characters, and of base64 runs of 200
    or more characters (letters and digits mixed, as encoded bytes are)."""
    spans = [Span(m.start(), m.end(), "data_uri") for m in _DATA_URI.finditer(text)
             if m.end() - m.start() >= _MIN_DATA_URI_CHARS]
    for m in _BASE64_RUN.finditer(text):
        run = m.group()
        if any(c.isdigit() for c in run) and any(c.isupper() for c in run) and any(c.islower() for c in run) \
                and not any(s.start <= m.start() < s.end for s in spans):
            spans.append(Span(m.start(), m.end(), "base64"))
    return spans


def _front_matter(text: str) -> list[Span]:
    try:
        _, end = parse_front_matter(text)
    except ValueError:
        return []
    return [Span(0, end, "front_matter")] if end else []


def _more_on(lines: list[Line]) -> list[Span]:
    """ "More on:" and the short topic lines under it (blank lines between allowed)."""
    spans = []
    for line in lines:
        if not _MORE_ON.match(line.text):
            continue
        end, topics = line.end, 0
        for following in lines[line.index + 1 :]:
            if following.blank:
                continue
            if topics >= _MAX_TOPICS or not _is_topic(following.text):
                break
            end, topics = following.end, topics + 1
        spans.append(Span(line.start, end, "more_on"))
    return spans


def _is_topic(value: str) -> bool:
    return (
        len(value.split()) <= _MAX_TOPIC_WORDS
        and len(value) <= _MAX_TOPIC_CHARS
        and value[0].isupper()
        and value[-1] not in _SENTENCE_END + ",;:"
    )


def _nav_lines(lines: list[Line]) -> list[Span]:
    return [
        Span(line.start, line.end, kind) for line in lines for kind, rx in _NAV_LINES if line.text and rx.match(line.text)
    ]


def _title_repeats(lines: list[Line]) -> list[Span]:
    """Later standalone copies of the title (the first line); the first copy is text."""
    filled = [line for line in lines if not line.blank]
    if not filled or len(filled[0].text.split()) < 2:
        return []
    title = _norm(filled[0].text.lstrip("#"))
    return [Span(line.start, line.end, "title_repeat") for line in filled[1:] if _norm(line.text.lstrip("#")) == title]


def _caption_repeats(lines: list[Line]) -> list[Span]:
    """A line repeating the line before it, maybe with something added: the second copy. When what
    the second copy adds is a photo credit (``text.captions.repeated_with_credit``), the first copy is
    the debris instead: the copy kept in the passages then carries the credit that marks it as a
    caption wherever it is read alone (``text.captions.is_photo_caption``: one unit, never a claim;
    issue 12), and what the caption says (a place, a year) can still be searched."""
    filled = [line for line in lines if not line.blank]
    spans = []
    for first, second in zip(filled, filled[1:]):
        a, b = _norm(first.text), _norm(second.text)
        shorter, longer = sorted((a, b), key=len)
        if (
            len(shorter.split()) >= _CAPTION_MIN_WORDS
            and longer.startswith(shorter)
            and len(longer) - len(shorter) <= _CAPTION_MAX_CREDIT
        ):
            credited = repeated_with_credit(first.text, second.text)
            if not credited and a == shorter != b and _is_heading(first.text.strip()) \
                    and second.text.rstrip().endswith((":", ".")):
                # a heading, then the sentence that opens its section with the heading's words ("Potential
                # Oversight Considerations for Congress" / "Potential oversight considerations for Congress could
                # include the following:"): a sentence, not a caption's copy (it had been left out of every passage)
                continue
            if credited:
                spans.append(Span(first.start, first.end, "caption_repeat"))
            else:
                spans.append(Span(second.start, second.end, "caption_repeat" if a != b else "repeat"))
    return spans


def _header_debris(lines: list[Line]) -> list[Span]:
    """Series label and its tagline, "from <series>" line, date line and byline in the header."""
    limit = header_end(lines)
    spans = []
    filled = [line for line in lines if not line.blank]
    title = filled[0].index if filled else -1
    paragraphs = blocks(lines)
    for number, block in enumerate(paragraphs):
        if block[0].start >= limit:
            break
        for position, line in enumerate(block):
            if line.start >= limit:
                break
            if SERIES_LABEL.match(line.text) and line.index != title:  # the title is no series label
                tagline = block[position + 1] if position + 1 < len(block) else None
                # A tagline ends its paragraph and body text follows; otherwise it is body text.
                is_tagline = (tagline is not None and _is_tagline(tagline.text) and position + 2 == len(block)
                              and number + 1 < len(paragraphs))
                spans.append(Span(line.start, tagline.end if tagline is not None and is_tagline else line.end, "series"))
            elif SERIES_FROM.match(line.text):
                spans.append(Span(line.start, line.end, "series"))
            elif dateline_date(line.text):
                spans.append(Span(line.start, line.end, "dateline"))
            elif BYLINE.match(line.text):
                spans.append(Span(line.start, line.end, "byline"))
    return spans


def _is_tagline(value: str) -> bool:
    return len(value) <= _TAGLINE_MAX_CHARS and value[-1] in _SENTENCE_END and not _SENTENCE_BREAK.search(value[:-1])


def _license_blocks(lines: list[Line]) -> list[Span]:
    """Paragraphs made only of licence lines (and UI words such as "Close")."""
    spans = []
    for block in blocks(lines):
        licence = [line for line in block if len(line.text) <= _MAX_LICENSE_LINE and _LICENSE_LINE.search(line.text)]
        if licence and all(line in licence or _UI_WORD.match(line.text) for line in block):
            spans.append(Span(block[0].start, block[-1].end, "license"))
    return spans


def _trailers(text: str, lines: list[Line]) -> list[Span]:
    """ "Top Stories on ..." and the like in the second half: from there to the end."""
    for line in lines:
        for kind, rx in _TRAILERS:
            if line.text and rx.match(line.text):
                if line.start >= len(text) // 2:
                    return [Span(line.start, len(text), kind)]
                break
    return []


def _pull_quotes(lines: list[Line], known: list[Span]) -> list[Span]:
    """Short standalone paragraphs repeating words that start a sentence of a longer paragraph.

    Sentence starts of every other paragraph are indexed by their first words, so each
    candidate costs one look-up: linear in the text, whatever its size.
    """
    taken = overlapping(lines, known)
    filled = [line for line in lines if not line.blank and line.index not in taken]
    starts: dict[str, list[tuple[Line, str, int]]] = defaultdict(list)
    for line in filled:
        body = _norm(line.text)
        for pos in [0] + [m.end() for m in _SENTENCE_BREAK.finditer(body)]:
            starts[_key(body[pos:])].append((line, body, pos))
    single = {block[0].index for block in blocks(lines) if len(block) == 1}
    spans = []
    for line in filled:
        if line.index not in single or not _is_quote(line.text):
            continue
        core = _norm(line.text).strip(_QUOTE_MARKS).rstrip(_SENTENCE_END + _QUOTE_MARKS)
        for other, body, pos in starts.get(_key(core), ()):
            if other.index != line.index and len(body) > len(core) + 1 and body.startswith(core, pos):
                spans.append(Span(line.start, line.end, "pull_quote"))
                break
    return spans


def _is_quote(value: str) -> bool:
    """Short, and ends like a sentence (headings do not)."""
    core = value.rstrip(_QUOTE_MARKS)
    return len(value) <= _QUOTE_MAX_CHARS and len(value.split()) >= _QUOTE_MIN_WORDS and core[-1:] in tuple(_SENTENCE_END)


def _key(value: str) -> str:
    return " ".join(value.strip(_QUOTE_MARKS).split()[:_QUOTE_KEY_WORDS])


def _norm(value: str) -> str:
    """Case, quote style and spacing folded, for comparing copies of the same words."""
    for fancy, plain in _FOLD:  # str.replace is far faster than str.translate with a dict
        value = value.replace(fancy, plain)
    return " ".join(value.split()).casefold()


def _non_overlapping(spans: list[Span]) -> list[Span]:
    """Sorted spans; one inside an earlier one is dropped, one straddling its end is cut."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if out and span.start < out[-1].end:
            if span.end <= out[-1].end:
                continue
            span = Span(out[-1].end, span.end, span.kind)
        if span.end > span.start:
            out.append(span)
    return out


def find_sections(text: str, *, markdown: bool = False, debris: list[Span] | None = None) -> list[Section]:
    """Section headings: Markdown ``#`` headings, or for plain text short standalone lines.

    A plain-text heading is a paragraph of one short line that ends without punctuation,
    is not the title (first line) and is not debris ("More on:" topics, datelines, ...).
    """
    lines = split_lines(text)
    if debris is None:
        debris = find_debris(text)
    if markdown:
        taken = overlapping(lines, debris)
        return [section for line, section in _markdown_headings(lines) if line.index not in taken]
    filled = [line for line in lines if not line.blank]
    title_index = filled[0].index if filled else -1
    taken = overlapping(lines, debris)
    sections = []
    for block in blocks(lines):
        line = block[0]
        if len(block) != 1 or line.index == title_index or line.index in taken:
            continue
        atx = _ATX.match(line.text)
        if atx:
            sections.append(Section(line.start, atx.group("title")))
        elif _is_heading(line.text):
            sections.append(Section(line.start, line.text))
    return sections


def _is_heading(value: str) -> bool:
    return (
        len(value.split()) <= _HEADING_MAX_WORDS
        and len(value) <= _HEADING_MAX_CHARS
        and (value[0].isupper() or value[0].isdigit())
        and value[-1] not in _NOT_HEADING_END
        and not dateline_date(value)
    )


_ATX = re.compile(r"^#{1,6}\s+(?P<title>.+?)(?:\s+#+)?\s*$")
_FENCE = re.compile(r"^(```|~~~)")
_SETEXT = re.compile(r"^(?:=+|-+)$")


def _markdown_headings(lines: list[Line]) -> list[tuple[Line, Section]]:
    """ATX (``# Title``) and setext (``Title`` over ``===``/``---``) headings outside code fences."""
    sections = []
    fence = ""
    for line in lines:
        marker = _FENCE.match(line.text)
        if marker and (not fence or marker.group(1) == fence):
            fence = "" if fence else marker.group(1)
            continue
        if fence:
            continue
        atx = _ATX.match(line.text)
        if atx:
            sections.append((line, Section(line.start, atx.group("title"))))
        elif _SETEXT.match(line.text) and line.index > 0:
            above = lines[line.index - 1]
            starts_block = above.index == 0 or lines[above.index - 1].blank
            if not above.blank and starts_block and not _ATX.match(above.text):
                sections.append((above, Section(above.start, above.text)))
    return sections
