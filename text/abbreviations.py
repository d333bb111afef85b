"""Abbreviations a document defines ("International Seabed Authority (ISA)"), and a question
rewritten with the other form of each one it uses.

Policy briefs define an abbreviation once and then use only the short form, so a question that
spells the long form out shares no words with the later sentences. ``definitions`` finds the
pairs with the algorithm of A. S. Schwartz and M. A. Hearst, "A simple algorithm for identifying
abbreviation definitions in biomedical text", Pacific Symposium on Biocomputing 8:451-462 (2003):

- a candidate short form is the text of a parenthesis (up to its first ";" or ","), of at most
  two words and ten characters, starting with a letter or digit and holding a letter; it is
  defined by the words right before the parenthesis, at most ``min(|A| + 5, 2|A|)`` of them
  (|A| the short form's length in characters);
- a parenthesis of more than two words is the reverse, "ISA (International Seabed Authority)":
  the word before it is the short form, the parenthesis the long form;
- the long form is the shortest tail of those words in which the short form's letters and digits
  occur in order, right to left, its first character starting a word (the paper's
  ``findBestLongForm``); the long form must be longer than the short form and not contain it.

Written by hand: the PyPI package ``abbreviations`` (philgooch, last released in 2019) is this
algorithm, but unmaintained. Two deviations, for briefs rather than biomedical text: a short
form must hold an uppercase letter, so lowercase asides ("(see below)", "(e.g., ...)") are never
abbreviations; and an uppercase short form never starts its long form at a lowercase function
word ("of", "the", ...: ``_function_word``).
"""

from __future__ import annotations

import re
from functools import lru_cache

Definition = tuple[str, str]  # (short form, long form) as the document writes them

_PAREN = re.compile(r"\(([^()]*)\)")
# A sentence ends at ".", "!", "?", ";" or ":" before a space, but not in "U.S." or after an initial.
_SENTENCE_END = re.compile(r"(?<!\.[A-Z])(?<!\b[A-Z])[.!?;:]\s|\n\s*\n")
_WORD = re.compile(r"\S+")
MAX_SHORT_CHARS = 10


def _short_form_ok(short: str) -> bool:
    """The paper's conditions on a short form, and an uppercase letter (this module's deviation)."""
    return (2 <= len(short) <= MAX_SHORT_CHARS and len(short.split()) <= 2 and short[0].isalnum()
            and any(c.isalpha() for c in short) and any(c.isupper() for c in short))


_FUNCTION_WORDS = frozenset("of and for the on in to at by a an".split())


def _function_word(long: str, at: int, first: str) -> bool:
    """Whether the word at ``long[at]`` is a lowercase function word while the short form opens in
    uppercase: "Office of Homeland Security (OHS)" starts at "Office", not "of" (a deviation
    from the paper, which took "of Homeland Security" for 2 of 40 definitions sampled from the CRS
    reports)."""
    if not first.isupper() or not long[at].islower():
        return False
    end = at
    while end < len(long) and long[end].isalnum():
        end += 1
    return long[at:end] in _FUNCTION_WORDS


def best_long_form(short: str, long: str) -> str | None:
    """The shortest tail of ``long`` that spells ``short`` (Schwartz & Hearst's ``findBestLongForm``)."""
    s, l_ = len(short) - 1, len(long) - 1
    lower_short, lower_long = short.lower(), long.lower()
    while s >= 0:
        c = lower_short[s]
        if not c.isalnum():
            s -= 1
            continue
        while l_ >= 0 and (lower_long[l_] != c or (s == 0 and (
                (l_ > 0 and lower_long[l_ - 1].isalnum()) or _function_word(long, l_, short[0])))):
            l_ -= 1
        if l_ < 0:
            return None
        l_ -= 1
        s -= 1
    start = lower_long.rfind(" ", 0, l_ + 1) + 1
    return long[start:].strip()


def _window(text: str, before: int, words: int) -> str:
    """The last ``words`` words of ``text[:before]`` within its sentence."""
    head = text[max(0, before - 400):before]
    ends = list(_SENTENCE_END.finditer(head))
    if ends:
        head = head[ends[-1].end():]
    tokens = _WORD.findall(head)
    return " ".join(tokens[-words:]) if words > 0 else ""


def _pair(short: str, candidate_long: str) -> Definition | None:
    short = short.strip()
    if not _short_form_ok(short):
        return None
    long = best_long_form(short, candidate_long)
    if long is None:
        return None
    long = long.strip(" ,;:(\"'“”‘’")
    words = long.split()
    if (len(long) <= len(short) or short.lower() in (w.lower() for w in words)
            or len(words) > min(len(short) + 5, 2 * len(short))):
        return None
    return short, long


def definitions(text: str) -> tuple[Definition, ...]:
    """The (short form, long form) pairs a document defines, in the order first defined, each
    short form once (its first definition)."""
    found: dict[str, str] = {}
    for match in _PAREN.finditer(text):
        inside = " ".join(match.group(1).split())
        if not inside:
            continue
        head = re.split(r"[;,]", inside, maxsplit=1)[0].strip()
        pair: Definition | None = None
        if len(head.split()) <= 2:
            limit = min(len(head) + 5, 2 * len(head))
            pair = _pair(head, _window(text, match.start(), limit))
        elif len(inside.split()) > 2:  # "ISA (International Seabed Authority)"
            before = _window(text, match.start(), 1).strip(" ,;:\"'“”")
            if before:
                pair = _pair(before, inside)
                if pair is not None and pair[1] != inside.strip(" ,;:"):
                    pair = None  # the whole parenthesis must be the long form
        if pair is not None and pair[0] not in found:
            found[pair[0]] = pair[1]
    return tuple(found.items())


def _phrase(words: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words.split()) + r"(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=1024)  # the same question is scored over every prefix of the passages
def rewrite(question: str, pairs: tuple[Definition, ...]) -> str:
    """The question with each long form it spells out replaced by the short form, and each short
    form it uses (case as defined) by the long form; the question itself when it uses neither."""
    rewritten = question
    for short, long in pairs:
        long_form = _phrase(long)
        if long_form.search(rewritten):
            rewritten = long_form.sub(short, rewritten)
            continue
        short_form = re.compile(r"(?<!\w)" + re.escape(short) + r"(?!\w)")  # case-sensitive: "US" is not "us"
        if short_form.search(rewritten):
            rewritten = short_form.sub(long, rewritten)
    return rewritten
