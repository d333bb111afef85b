"""Superlatives: which of the figures a brief lists ranks first ("Which account has the biggest percentage
increase?").

A brief that lists a figure for each of its accounts, programs or activities ("The FY2027 request is $37.1
million, an increase of 94.2% over the FY2026 enacted level.") seldom names the largest itself: sentence
relevance cannot tell 94.2% from 5.1%, so an answer quoted the sentences that read most like the question. Here
a question asking for the top or the bottom of a ranking of percentage changes has the sentence stating the
extreme change quoted first. A heuristic over closed word lists (``TOP_WORDS``, ``BOTTOM_WORDS``, ``_DOWN``): a
percentage is read as a fall when a minus sign precedes it or its sentence says a fall ("a reduction from
... (-21%)", "$147.9 million less (-10%)") and no rise.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Sequence

from answer.extractive import Candidate
from text.scripts import fold

# Superlatives that ask for the top of a ranking, the bottom, or another extreme (a closed list).
TOP_WORDS = "largest biggest highest greatest most"
BOTTOM_WORDS = "smallest lowest fewest least"
RANKING_WORDS = f"{TOP_WORDS} {BOTTOM_WORDS} longest shortest fastest slowest earliest oldest youngest"

_TOP = re.compile(rf"\b(?:{'|'.join(TOP_WORDS.split())})\b", re.IGNORECASE)
_BOTTOM = re.compile(rf"\b(?:{'|'.join(BOTTOM_WORDS.split())})\b", re.IGNORECASE)
_PERCENT_ASKED = re.compile(r"\b(?:percent|percentage|per\s+cent)\b|%", re.IGNORECASE)
# Words that say a figure fell ("a reduction", "would decrease", "$147.9 million less") or rose (closed lists).
FALL_WORDS = ("cut cuts decrease decreases decreased decreasing decline declines declined reduction reductions reduce "
              "reduces reduced drop drops dropped fall falls fell less below lower loss losses")
RISE_WORDS = "increase increases increased increasing rise rises rose grow grows grew growth more above higher gain gains"
_DOWN = re.compile(rf"\b(?:{'|'.join(FALL_WORDS.split())})\b", re.IGNORECASE)
_UP = re.compile(rf"\b(?:{'|'.join(RISE_WORDS.split())})\b", re.IGNORECASE)
_PERCENT = re.compile(r"(?P<minus>[-−–]\s?)?(?P<n>\d+(?:\.\d+)?)\s?(?:%|percent\b|per\s+cent\b)", re.IGNORECASE)

# Relevance added to the sentence stating the extreme figure, so that it is quoted first (above any other
# sentence's relevance, which is a cosine-like score of at most 1).
RANK_TIER = 1.0


@dataclasses.dataclass(frozen=True)
class Ranking:
    """What a superlative asks for: the top (``top``) or the bottom of a ranking of percentages that rise
    (``fall`` False: "the biggest percentage increase") or fall ("the largest percentage cut")."""

    top: bool
    fall: bool


def asked_ranking(question: str) -> Ranking | None:
    """The ranking of percentages ``question`` asks for (``Ranking``), or None when it asks for none: no
    superlative of ``TOP_WORDS`` / ``BOTTOM_WORDS``, or no percentage ("percent", "percentage", "%")."""
    text = fold(question)
    if not _PERCENT_ASKED.search(text):
        return None
    top, bottom = _TOP.search(text), _BOTTOM.search(text)
    if not top and not bottom:
        return None
    return Ranking(top=bool(top), fall=bool(_DOWN.search(text)) and not _UP.search(text))


def changes(sentence: str) -> list[float]:
    """The percentage changes ``sentence`` states, signed: negative after a minus sign ("(-21%)") or, in a sentence
    that says a fall and no rise, always ("a reduction of 10%"); positive in a sentence that says a rise ("an
    increase of 94.2%"). [] when it states none, or only shares that say no change ("the majority (88% in
    FY2026)")."""
    text = fold(sentence)
    up, down = bool(_UP.search(text)), bool(_DOWN.search(text))
    out = []
    for match in _PERCENT.finditer(text):
        if match.group("minus") or (down and not up):
            out.append(-float(match.group("n")))
        elif up:
            out.append(float(match.group("n")))
    return out


def ranked_first(candidates: Sequence[Candidate], ranking: Ranking) -> list[Candidate]:
    """``candidates`` with the one stating the extreme percentage ``ranking`` asks for moved first (its relevance
    raised by ``RANK_TIER``), best first: for the top of rises the highest rise, for the top of falls the deepest
    fall, for the bottom the smallest of the same direction. Unchanged (sorted) when no candidate states one of
    that direction. Chooses which sentences are quoted only: the evidence a refusal is decided on is apart."""
    def measure(candidate: Candidate) -> float | None:
        values = [-v if ranking.fall else v for v in changes(candidate.text)]
        values = [v for v in values if v > 0]
        if not values:
            return None
        return max(values) if ranking.top else min(values)

    measured = [(m, i) for i, c in enumerate(candidates) if (m := measure(c)) is not None]
    out = list(candidates)
    if measured:
        _, best = max(measured) if ranking.top else min(measured)
        out[best] = dataclasses.replace(out[best], relevance=out[best].relevance + RANK_TIER)
    return sorted(out, key=lambda c: -c.relevance)
