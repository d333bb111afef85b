"""Sentence spans of a text: the units an answer quotes and cites."""

from __future__ import annotations

import re
from functools import lru_cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

# Punkt without training data knows no abbreviations; these are the ones briefs use most.
_ABBREVIATIONS = (
    "u.s u.k u.n e.u mr mrs ms dr prof gen lt col sen rep gov pres st jr sr inc ltd co corp vs etc "
    "e.g i.e no nos fig figs al approx dept est jan feb mar apr jun jul aug sep sept oct nov dec"
)
_LINE = re.compile(r"[^\n]+")


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS.split())
    return PunktSentenceTokenizer(params)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence of ``text``, line breaks ending sentences too.

    Spans are trimmed of surrounding whitespace, so ``text[start:end]`` is the sentence itself.
    """
    spans: list[tuple[int, int]] = []
    tokenizer = _tokenizer()
    for line in _LINE.finditer(text):
        for s, e in tokenizer.span_tokenize(line.group()):
            piece = line.group()[s:e]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            if e - s - lead - trail > 0:
                spans.append((line.start() + s + lead, line.start() + e - trail))
    return spans
