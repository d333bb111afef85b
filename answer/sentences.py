"""What a sentence states literally: its quotations, figures and negated words.

Sentence spans themselves come from ``text.sentences`` (one splitter for ingest and answer).
"""

from __future__ import annotations

import re

from text.scripts import fold


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
