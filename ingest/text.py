"""Line and hyphenation repair: the lines of a paragraph joined into one, as a reader reads them.

Text from PDFs, and plain text hard-wrapped at a fixed width, breaks sentences at line ends.
The splitter and the answerer treat a line break as the end of a sentence, so the stored text
has every paragraph on one line. A hyphen at a line end is dropped where the joined word is a
word (the document's own vocabulary first, then an English word list), kept otherwise
("consumer-oriented"); this is a heuristic, measured in docs/pdf-extraction.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LAST_WORD = re.compile(r"([^\W\d_]+)-$")
_FIRST_WORD = re.compile(r"^([^\W\d_]+)")
_SUFFIXES = ("ies", "es", "s", "ed", "ing", "ers", "er", "ly", "ment", "ments", "al", "ally")
# Markdown and plain-text lines that stand on their own: never joined to the line before.
_OWN_LINE = re.compile(r"^(?:#{1,6}\s|[-*+•]\s|\d{1,3}[.)]\s|>|\||```|~~~|={3,}$|-{3,}$|\[\^?\w+\]:)")
# A line ending in a comma or an article, preposition or conjunction leaves its sentence open
# (English function words: a heuristic of language, used where layout leaves a break ambiguous).
OPEN_END = re.compile(r"(?:,|\b(?:the|a|an|of|and|or|to|in|for|at|on|by|with|from|that|as|its|their|nor))$")
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
_HYPHEN_END = re.compile(r"[^\W\d_]-$")
_HARD_WRAP_MIN, _HARD_WRAP_MAX = 40, 120  # widths a hard-wrapped text is wrapped at
_FULL_LINE = 0.6  # a line at least this share of the wrap width continues on the next line
_WRAPPED_SHARE = 0.4  # a text is hard-wrapped when this share of its lines are near the width


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2", "gcide"], lower=True, alpha=True))


def is_word(word: str, vocabulary: Iterable[str] | frozenset[str] = frozenset()) -> bool:
    """Whether ``word`` (lower case) is in ``vocabulary`` or the English word list, maybe inflected."""
    known = _english()
    candidates = [word]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            candidates += [stem, stem + "e", stem + "y"] if suffix in ("ies", "ed", "ing", "er", "ers") else [stem]
    return any(c in vocabulary or c in known for c in candidates)


def dehyphenate(left: str, right: str, *, seen: frozenset[str] = frozenset(),
                seen_hyphenated: frozenset[str] = frozenset()) -> bool:
    """Whether ``left-`` at a line end and ``right`` on the next line are one word without the hyphen.

    ``seen`` holds the document's words written whole, ``seen_hyphenated`` its hyphenated ones.
    """
    if not left or not right or not right[0].islower():
        return False
    joined = (left + right).lower()
    if joined in seen:
        return True
    if f"{left}-{right}".lower() in seen_hyphenated:
        return False
    return is_word(joined)


def vocabulary(texts: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The lower-case words and hyphenated words of ``texts`` (line-end hyphens excluded)."""
    words: set[str] = set()
    hyphenated: set[str] = set()
    for text in texts:
        words.update(w.lower() for w in _WORD.findall(text))
        hyphenated.update(m.lower() for m in re.findall(r"[^\W\d_]+-[^\W\d_]+", text))
    return frozenset(words), frozenset(hyphenated)


def split_at(text: str, positions: list[int]) -> str:
    """``text`` with a space at each position (where pdfium removed a line-end hyphen), so a
    word broken there is not taken for the document's own spelling of the joined word."""
    for position in sorted(set(positions), reverse=True):
        text = text[:position] + " " + text[position:]
    return text


def join_lines(lines: list[tuple[str, list[int]]], *, seen: frozenset[str] | None = None,
               seen_hyphenated: frozenset[str] | None = None) -> tuple[str, list[int]]:
    """The lines of one paragraph as one line, and the offset where each line after the first starts.

    Each line comes with the positions where pdfium removed a line-end hyphen inside it
    (``[]`` for plain text). A line ending in a hyphen after a letter joins the next line
    without a space, the hyphen dropped when the joined word is a word.
    """
    if seen is None or seen_hyphenated is None:
        seen, seen_hyphenated = vocabulary(split_at(text, soft) for text, soft in lines)
    out = ""
    breaks: list[int] = []
    for number, (text, soft) in enumerate(lines):
        text = _undo_soft_hyphens(text.strip(), soft, seen, seen_hyphenated)
        if number == 0:
            out = text
            continue
        last = _LAST_WORD.search(out)
        first = _FIRST_WORD.match(text)
        if last and first and out[-2:-1].isalpha():
            if dehyphenate(last.group(1), first.group(1), seen=seen, seen_hyphenated=seen_hyphenated):
                out = out[:-1]
            breaks.append(len(out))
            out += text
        elif out.endswith(("—", "/")) or not out:
            breaks.append(len(out))
            out += text
        else:
            out += " "
            breaks.append(len(out))
            out += text
    return out, breaks


def _undo_soft_hyphens(text: str, soft: list[int], seen: frozenset[str], seen_hyphenated: frozenset[str]) -> str:
    if not soft:
        return text
    out, cursor = [], 0
    for position in sorted(set(soft)):
        if not 0 < position <= len(text):
            continue
        out.append(text[cursor:position])
        left = re.search(r"([^\W\d_]+)$", text[:position])
        right = _FIRST_WORD.match(text[position:])
        if not (left and right and dehyphenate(left.group(1), right.group(1), seen=seen, seen_hyphenated=seen_hyphenated)):
            out.append("-")
        cursor = position
    out.append(text[cursor:])
    return "".join(out)


def unwrap(text: str) -> str:
    """``text`` with the lines of hard-wrapped paragraphs joined; unchanged when it is not wrapped.

    A text is hard-wrapped when many of its lines end near one width (40-120 characters).
    Within a paragraph (no blank line between), a line at least 60% of that width continues
    on the next, unless the next stands on its own (a heading, list item, quote or table row);
    so a short title line above a sentence is never joined to it. Front matter and code
    fences are left alone.
    """
    lines = text.split("\n")
    width = _wrap_width(lines)
    if not width:
        return text
    out: list[str] = []
    fenced = front = False
    for number, raw in enumerate(lines):
        line = raw.rstrip("\r")
        stripped = line.strip()
        if number == 0 and stripped == "---":
            front = True
        elif front and stripped in ("---", "..."):
            front = False
            out.append(line)
            continue
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
        previous = out[-1].rstrip("\r") if out else ""
        crlf = raw.endswith("\r")
        if (not front and not fenced and stripped and previous.strip()
                and len(previous.rstrip()) >= _FULL_LINE * width
                and not _OWN_LINE.match(stripped) and not previous.lstrip().startswith(("#", "|", "```", "~~~"))):
            joined, _ = join_lines([(previous.rstrip(), []), (stripped, [])])
            out[-1] = previous[: len(previous) - len(previous.lstrip())] + joined + ("\r" if crlf else "")
        else:
            out.append(line + ("\r" if crlf else ""))
    return "\n".join(out)


def join_wraps(text: str) -> str:
    """``text`` with the line breaks that are wraps inside a sentence joined (DOCX soft breaks
    ``w:br``, HTML ``<br>``, a page extractor's lines), the others kept.

    A break is a wrap when the line after it starts in lower case and the line before ends no
    sentence, or the line before ends in a hyphen after a letter (undone where the joined word
    is a word, ``join_lines``) or leaves its sentence open (a comma, "the", "of", "and": English
    function words, ``OPEN_END``). A line that stands on its own (list item, heading, quote,
    table row) is never joined, nor is anything in a Markdown-style table. A heuristic: a
    wrap before a capitalised word after a line that ends in a noun ("... the Secretary of
    State\nMarco Rubio") is kept as a break.
    """
    if "\n" not in text:
        return text
    lines = text.split("\n")
    seen, seen_hyphenated = vocabulary(lines)
    out = [lines[0]]
    for line in lines[1:]:
        before, after = out[-1].rstrip(), line.strip()
        wrap = (bool(before.strip()) and bool(after) and not _OWN_LINE.match(after)
                and not before.lstrip().startswith(("|", "#", ">"))
                and (after[0].islower() and not _SENTENCE_END.search(before)
                     or bool(_HYPHEN_END.search(before)) or bool(OPEN_END.search(before))))
        if wrap:
            out[-1] = join_lines([(before, []), (after, [])], seen=seen, seen_hyphenated=seen_hyphenated)[0]
        else:
            out.append(line)
    return "\n".join(out)


def _wrap_width(lines: list[str]) -> int:
    lengths = [len(line.rstrip()) for line in lines if line.strip()]
    if len(lengths) < 3:
        return 0
    width = max(lengths)
    if not _HARD_WRAP_MIN <= width <= _HARD_WRAP_MAX:
        return 0
    near = sum(1 for n in lengths if n >= 0.75 * width)
    return width if near >= _WRAPPED_SHARE * len(lengths) else 0
