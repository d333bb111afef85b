"""Question coverage: does a supporting sentence contain what the question is about and what it asks for?

A near-miss question sits on a brief's topic and shares most of its words with a passage, so
its dense and keyword scores look like an answerable question's: "How many Typhon launchers did
the Army deploy to Japan?" over a report on the Typhon system that never mentions Japan. What
gives it away is the part of the question that the passage lacks: a name, a place, a year, the
thing asked for. This module measures that, lexically, for one candidate sentence:

- ``question_focus``: the question's focus terms (stemmed content words, without the words that
  only frame a question: "how many", "name", "say"), the proper names among them (capitalised
  words past the first) weighted ``NAME_WEIGHT`` times a common word, and the slot the question
  asks for (a date for "when", a name for "who", a figure for "how many" / "how much");
- ``coverage``: the weighted share of the focus terms found in the candidate's context (its
  sentence, the sentences either side, the brief's title and the section heading), times
  ``SLOT_PENALTY`` when the asked-for slot is not filled there.

The refusal score (``answer.compose.evidence``) combines it with a sentence's relevance. This is
a heuristic, not a reader: it cannot tell that "the Army did not say" answers nothing, and a
paraphrase ("cost" for "price") counts as missing. Its measured error is in the README.
Related practice: PaperQA2 asks a model to score each passage's relevance and answers "I cannot
answer" below a cut-off; without a model, lexical coverage of the question's focus is the offline
stand-in (as in answer-containment features of extractive QA verifiers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Collection, Sequence

from retrieval.keyword import tokenize

NAME_WEIGHT = 2.0  # a proper name of the question counts this many common words
SLOT_PENALTY = 0.5  # coverage is multiplied by this when the asked-for slot is not filled
CONTEXT_SHARE = 0.5  # a common word found only around the sentence (title, neighbours) counts this much

# Words that frame a question rather than say what it is about; stemmed like the passages.
_FRAME_WORDS = (
    "many much name names kind type sort exact exactly specific specifically happen happened happens say says said "
    "mention mentions mentioned according tell describe explain brief briefs report reports article author "
    "document documents text passage state states stated give list might may could would can still able several "
    "who whom whose what which when where why how")
_FRAME = frozenset(t for terms in tokenize(_FRAME_WORDS.split()) for t in terms)
_WORD = re.compile(r"\w[\w'’.-]*", re.UNICODE)
_WH = re.compile(r"^\W*(who|whom|whose|when|where|how\s+(?:many|much|long|far|often|old))\b", re.IGNORECASE)
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_DATE = re.compile(rf"\b(?:1[5-9]\d\d|20\d\d|FY\s?\d{{2,4}})\b|\b(?:{_MONTHS})\b|\b(?:spring|summer|autumn|fall|winter)\b",
                   re.IGNORECASE)
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                     r"fifty|hundred|thousand|million|billion|trillion|dozen|half|several|percent)\b", re.IGNORECASE)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w’'-]*[A-Za-z]")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
# "Which country ...", "What tariff rate ...": the noun after the question word says which slot is asked for.
_SLOT_NOUNS = {
    "name": "country countries agency agencies company companies organization organizations official officials "
            "nonprofit nonprofits institution institutions bank banks "
            "leader leaders president minister secretary person people city cities province provinces state states "
            "nation nations firm firms group groups party parties",
    "figure": "rate rates percentage percent amount amounts number numbers cost costs price prices budget budgets "
              "range share total size sum",
    "date": "date dates year years month months day days",
}
_SLOT_OF_NOUN = {noun: slot for slot, nouns in _SLOT_NOUNS.items() for noun in nouns.split()}
_WHICH = re.compile(r"^\W*(?:(?:in|on|at|by|for|from|to|of)\s+)?(?:which|what)\s+([\w.’'-]+(?:\s+[\w.’'-]+){0,2})",
                    re.IGNORECASE)
_AUX = frozenset("is are was were do does did has have had will would can could should may might".split())


@dataclass(frozen=True)
class QuestionFocus:
    """What a question is about (stemmed terms with weights) and the slot it asks for."""

    weights: dict[str, float]  # stemmed focus term -> weight
    slot: str = ""  # "date", "name", "figure" or "" (none recognised)

    @property
    def total(self) -> float:
        return sum(self.weights.values())


def question_focus(question: str) -> QuestionFocus:
    """The focus terms and asked-for slot of ``question`` (see the module docstring)."""
    words = _WORD.findall(question)
    names = {w for i, w in enumerate(words) if i > 0 and w[:1].isupper()}
    weights: dict[str, float] = {}
    for word in words:
        for term in tokenize([word])[0]:
            if term in _FRAME:
                continue
            weight = NAME_WEIGHT if word in names else 1.0
            weights[term] = max(weights.get(term, 0.0), weight)
    numbers = [t for t in tokenize([question])[0] if any(c.isdigit() for c in t) and t not in _FRAME]
    for term in numbers:  # "FY2026", "4th", "2035": as named as a name
        weights[term] = max(weights.get(term, 0.0), NAME_WEIGHT)
    slot, noun = _asked(question)
    for term in tokenize([noun])[0] if noun else ():  # "Which country ...": the answer names one, not the word
        weights.pop(term, None)
    return QuestionFocus(weights, slot)


def asked_slot(question: str) -> str:
    """The slot a question asks for: "name" (who, which country/agency/official ...), "date" (when,
    what year/date), "figure" (how many/much/long, what rate/amount/number ...), or ""."""
    return _asked(question)[0]


def _asked(question: str) -> tuple[str, str]:
    """(the slot asked for, the noun that says so in a "which/what NOUN" question, else "")."""
    wh = _WH.match(question)
    if wh:
        asked = wh.group(1).lower().split()[0]
        return {"who": "name", "whom": "name", "whose": "name", "when": "date", "how": "figure"}.get(asked, ""), ""
    which = _WHICH.match(question)
    if which:
        for word in which.group(1).lower().split():
            if word in _AUX:
                break
            if word in _SLOT_OF_NOUN:
                return _SLOT_OF_NOUN[word], word
    return "", ""


def slot_filled(slot: str, context: str, question: str = "") -> bool:
    """Whether ``context`` has what the slot asks for and the question does not already state: a date
    or year ("date"), a figure ("figure"), a capitalised name ("name"). "How much did X lend in
    2025?" is not answered by a sentence whose only number is 2025."""
    if slot in ("date", "figure"):
        stated = set(_DIGITS.findall(question))
        for digits in stated:
            context = re.sub(rf"(?<![\d.,]){re.escape(digits)}(?![\d]|[.,]\d)", " ", context)
        return bool((_DATE if slot == "date" else _NUMBER).search(context))
    if slot == "name":
        asked = {t for w in _WORD.findall(question) for t in tokenize([w])[0]}
        for match in _NAME.finditer(context):
            terms = tokenize([match.group()])[0]
            if terms and not set(terms) <= asked:
                return True
        return False
    return True


def coverage(focus: QuestionFocus, sentence: str, context: str = "", *, question: str = "",
             brief: Collection[str] = ()) -> float:
    """How much of ``focus`` a candidate ``sentence`` covers (0-1), read with its ``context`` (the
    brief's title, the section heading, the neighbouring sentences).

    The weighted share of the focus terms found: a term in the sentence counts fully; a name or
    number found only in the context, or elsewhere in the sentence's brief (``brief``: the brief's
    stemmed terms, when known), counts fully too (the brief names its subject once: "the system"
    under "The Typhon System", "both capitals" in a brief on Seoul and Tokyo), while a name the
    brief never mentions counts nothing; a common word found only in the context counts
    ``CONTEXT_SHARE`` (the claim itself should say what the question asks about). Times
    ``SLOT_PENALTY`` when neither the sentence nor its context fills the asked-for slot (for the
    slot, see ``slot_filled``). 1.0 for a question without focus terms.
    """
    if not focus.weights:
        return 1.0
    own = set(tokenize([sentence])[0])
    around = set(tokenize([context])[0]) if context else set()
    found = 0.0
    for term, weight in focus.weights.items():
        if term in own:
            found += weight
        elif weight >= NAME_WEIGHT:
            found += weight if term in around or term in brief else 0.0
        elif term in around:
            found += CONTEXT_SHARE * weight
    share = found / focus.total
    filled = slot_filled(focus.slot, f"{sentence}\n{context}", question)
    return share if filled else share * SLOT_PENALTY


def coverages(question: str, sentences: Sequence[str], contexts: Sequence[str] | None = None) -> list[float]:
    """``coverage`` of ``question``'s focus by each sentence (with its context when given)."""
    focus = question_focus(question)
    contexts = contexts if contexts is not None else [""] * len(sentences)
    return [coverage(focus, s, c, question=question) for s, c in zip(sentences, contexts)]
