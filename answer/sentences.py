"""What a sentence states literally: its quotations, figures and negated words.

Sentence spans themselves come from ``text.sentences`` (one splitter for ingest and answer).
"""

from __future__ import annotations

import re

from text.scripts import fold
from text.sentences import sentence_spans


# -- what a sentence states literally: its quotations, figures and negated words ---------------
# Read by the citation check, which holds a claim to the passage it cites on exactly these.

_QUOTATION = re.compile(r"[\"“”„]([^\"“”„\n]+)[\"“”„]")
_QUOTE_EDGES = " \t,.;:!?'‘’…"
_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…)\s*")


def quotations(text: str) -> list[str]:
    """What ``text`` puts in double quotation marks (straight or curly), edge punctuation trimmed.

    A quotation elided with "..." comes as one string with the ellipsis in it (see ``quote_in``).
    """
    found = (m.group(1).strip(_QUOTE_EDGES) for m in _QUOTATION.finditer(text))
    return [q for q in found if any(c.isalnum() for c in q)]


_QUOTE_FORMS: dict[str, str | int | None] = {"‘": "'", "’": "'", "`": "'", "–": "-", "—": "-", "‐": "-", "‑": "-",
                                            '"': " ", "“": " ", "”": " ", "„": " "}
_QUOTE_TABLE = str.maketrans(_QUOTE_FORMS)


def normalise_quote(text: str) -> str:
    """``text`` as quotations are compared: folded for matching (``text.scripts.fold``), casefolded,
    one kind of apostrophe, dash and space, no double quotes."""
    text = fold(text).casefold().translate(_QUOTE_TABLE)
    return " ".join(text.split())


def quote_in(quotation: str, text: str) -> bool:
    """Whether ``quotation`` is verbatim in ``text`` (after ``normalise_quote``); elided parts in order."""
    haystack = normalise_quote(text)
    at = 0
    for part in _ELLIPSIS.split(quotation):
        part = normalise_quote(part).strip(_QUOTE_EDGES)
        if not part:
            continue
        found = haystack.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


# Number words, for figures written out ("seventy-four", "forty thousand"). Ordinals and
# fractions ("fifth", "a third") are left out: they are as often not figures at all.
_UNITS = {word: value for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {word: 10 * value for value, word in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_SCALES = {"hundred": 100, "thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12,
           "bn": 10 ** 9}
_FIGURE_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?|[a-z]+")


def figures(text: str) -> list[float]:
    """The numbers ``text`` states, in digits or in words: "74", "seventy-four", "$2.1 billion", "forty thousand".

    Words join into one number across spaces, hyphens and "and" after a scale word ("one
    hundred and twenty" is 120); "a million" is 1,000,000. Units of measure and "%" are ignored.
    """
    values: list[float] = []
    total = current = 0.0
    last = ""  # kind of the previous token of the number being read ("" when none is)

    def close() -> None:
        nonlocal total, current, last
        if last:
            values.append(total + current)
        total = current = 0.0
        last = ""

    lowered = fold(text).lower()
    end = 0
    for match in _FIGURE_TOKEN.finditer(lowered):
        token = match.group()
        joined = bool(last) and lowered[end:match.start()].strip() in ("", "-")
        end = match.end()
        if not joined:
            close()
        if token[0].isdigit():
            close()
            current, last = float(token.replace(",", "")), "digit"
        elif token in _SCALES:
            scale = _SCALES[token]
            if scale == 100 and last != "scale":
                current, last = (current or 1.0) * 100, "hundred"
            else:
                total, current, last = total + (current or 1.0) * scale, 0.0, "scale"
        elif token in _UNITS or token in _TENS:
            value = _UNITS.get(token, _TENS.get(token, 0))
            if last == "ten" and value < 10 or last in ("hundred", "scale", "and"):
                current += value
            else:
                close()
                current = float(value)
            last = "ten" if token in _TENS else "unit"
        elif token == "and" and last in ("hundred", "scale"):
            last = "and"
        else:
            close()
    close()
    return values


# Negation cues and how many words after them each negates, articles and auxiliaries not
# counted: a verb's negation its verb phrase ("never launched seventy-four missiles"), a
# determiner's its noun ("no incentive", "no significant breakthroughs"). "n't" is a suffix.
_NEGATIONS = {"not": 3, "never": 3, "cannot": 3, "no": 2, "none": 2, "neither": 2, "nor": 2, "nobody": 2,
              "nothing": 2, "nowhere": 2}
_CONTRACTED_SCOPE = 3  # "didn't", "isn't"
_NOT_NEGATING = frozenset("only just merely least doubt".split())  # "not only ... but also", "no doubt"
_SKIPPED = frozenset("a an the be been being is are was were has have had yet even ever always any so".split())
_WORD_OR_BREAK = re.compile(r"[a-z0-9]+(?:['’][a-z]+)*|[,;:.!?()\u2013\u2014]")
_BREAKS = frozenset(",;:.!?()\u2013\u2014") | {"but", "while", "although", "whereas"}


def negated_words(text: str) -> tuple[list[str], list[str]]:
    """(words in the scope of a negation, the other words) of ``text``, lowercased, cues left out.

    "Kim has never launched seventy-four missiles" negates "launched seventy four"; "not only"
    and "no doubt" negate nothing.
    """
    tokens = _WORD_OR_BREAK.findall(fold(text).lower())
    negated, affirmed = [], []
    scope = 0
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in _NEGATIONS or token.endswith(("n't", "n’t")):
            scope = 0 if following in _NOT_NEGATING else _NEGATIONS.get(token, _CONTRACTED_SCOPE)
        elif token in _BREAKS:
            scope = 0
        elif scope and token not in _SKIPPED:
            negated.append(token)
            scope -= 1
        elif token not in _SKIPPED:
            affirmed.append(token)
    return negated, affirmed


# A capitalised word, an acronym or a CamelCase word; apostrophe endings ("Japan's") are dropped.
_NAME = re.compile(r"\b[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
_NAME_PREFIX = 4  # "Korea" matches "Korean", "Japan" "Japanese", "China" "Chinese"
_NOT_NAMES = frozenset("I A An The This That These Those It He She They We You His Her Their Its Our In On At "
                       "For By To Of And But Or If As While When Since After Before Both Each Also".split())


def names(text: str) -> list[tuple[str, ...]]:
    """Proper names ``text`` states, as runs of name words: ("Kim", "Jong", "un"), ("FUKUSIMBA",).

    A heuristic (English capitalisation): capitalised words not opening a sentence, and acronyms
    anywhere; adjacent ones (a space or hyphen apart) form one name. One-letter words and dotted
    abbreviations ("U.S.") are left out.
    """
    found: list[tuple[str, ...]] = []
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        run: list[str] = []
        run_is_opening = False
        last_end = -1
        for match in _NAME.finditer(sentence):
            word, after = match.group(), sentence[match.end():match.end() + 2]
            if len(word) < 2 or word in _NOT_NAMES or (after[:1] == "." and after[1:2].isalpha()):
                continue
            acronym = sum(ch.isupper() for ch in word) >= 2
            # A capitalised first word is a name only with another name word beside it ("Kim Jong-un").
            opening = not sentence[:match.start()].strip(" \"'“‘(") and not acronym
            parts = [part for part in re.split(r"-", word) if len(part) > 1]
            if run and sentence[last_end:match.start()] in (" ", "-"):
                run.extend(parts)
                run_is_opening = False
            else:
                if run and not run_is_opening:
                    found.append(tuple(run))
                run, run_is_opening = parts, opening or len(parts) < len(word.split("-")) and not parts
            last_end = match.end()
        if run and not run_is_opening:
            found.append(tuple(run))
    return found


def name_in(name: str, text: str) -> bool:
    """Whether ``text`` has a word that is ``name``, or shares its first letters (demonyms, plurals)."""
    key = name.lower()[:_NAME_PREFIX] if len(name) > _NAME_PREFIX else name.lower()
    words = re.findall(r"[a-z0-9]+", text.lower().replace(".", ""))  # "U.S." is "us"
    return any(word.startswith(key) if len(name) > _NAME_PREFIX else word == key for word in words)
