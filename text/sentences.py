"""Sentence spans of a text: the units a passage is packed from and an answer quotes and cites.

One splitter for the ingest splitter and the answerer. Line breaks end sentences; within a
line, full stops of scripts that need no space after them (Chinese and Japanese 。！？, the
Devanagari danda, the Arabic question mark) end sentences, then Punkt (with the abbreviations
briefs use) splits what is left.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Punkt without training data knows no abbreviations; these are the ones briefs use most.
_ABBREVIATIONS = (
    "u.s u.k u.n e.u mr mrs ms dr prof gen lt col sen rep gov pres st jr sr inc ltd co corp vs etc "
    "e.g i.e no nos fig figs al approx dept est jan feb mar apr jun jul aug sep sept oct nov dec"
)
_LINE = re.compile(r"[^\n]+")
# A full stop that ends a sentence without a following space, with the closing quotes and
# brackets after it: 。！？ (and their half-width forms), ！？ full-width, danda, Arabic "؟" and "۔".
_UNSPACED_STOP = re.compile(r"[。｡！？।॥؟۔]+[」』”’）】〕》〉\"')\]]*")


@lru_cache(maxsize=1)
def _tokenizer():
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer  # nltk's import is slow

    params = PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS.split())
    return PunktSentenceTokenizer(params)


def _clauses(line: str) -> list[tuple[int, int]]:
    """``line`` cut after each unspaced full stop (the pieces keep their stop)."""
    pieces, start = [], 0
    for match in _UNSPACED_STOP.finditer(line):
        pieces.append((start, match.end()))
        start = match.end()
    if start < len(line):
        pieces.append((start, len(line)))
    return pieces


def sentence_spans(text: str, begin: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence of ``text[begin:end]``, as offsets in ``text``.

    Spans are trimmed of surrounding whitespace, so ``text[start:end]`` is the sentence itself.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    tokenizer = _tokenizer()
    for line in _LINE.finditer(text, begin, end):
        for c_start, c_end in _clauses(line.group()):
            clause = line.group()[c_start:c_end]
            offset = line.start() + c_start
            for s, e in tokenizer.span_tokenize(clause):
                piece = clause[s:e]
                lead = len(piece) - len(piece.lstrip())
                trail = len(piece) - len(piece.rstrip())
                if e - s - lead - trail > 0:
                    spans.append((offset + s + lead, offset + e - trail))
    return spans
