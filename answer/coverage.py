"""Question coverage: does a candidate sentence say what the question is about, and hold what it asks for?

A near-miss question sits on a brief's topic and shares most of its words with a passage, so
its dense and keyword scores look like an answerable question's: "How many people were
hospitalized in the Raw Farm E. coli outbreak?" over a report that counts the outbreak's cases
but never its hospitalisations. What gives it away is the part of the question that the
sentence lacks: a name, a place, a year, and above all the thing asked for. This module
measures that, lexically, for one candidate sentence:

- ``question_focus``: the question's focus terms (stemmed content words, without the words that
  only frame a question: "how many", "name", "say"), the proper names among them (capitalised
  words past the first) weighted ``NAME_WEIGHT`` times a common word, and its expected answer
  type (``answer.answer_type``: date, count, money, percent, quantity, person, name);
- ``coverage``: the weighted share of the focus terms found in the candidate's context (its
  sentence, the sentences either side, the brief's title and the section heading), times
  ``SLOT_PENALTY`` when the sentence itself holds no answer of the expected type.

The answer type is checked in the candidate sentence only (with the sentence before when it
opens with a pronoun), never in its context: checked over the title and the neighbouring
sentences, any "When ...?" question about a "FY2027 Budget Request" had its date, and answerable
and near-miss questions moved across the threshold together (docs/benchmarks.md, refusal).

The refusal score (``answer.compose.evidence``) combines it with a sentence's relevance. This is
a heuristic, not a reader: it cannot tell that "the regulators did not provide an estimate"
answers nothing, nor which of two figures belongs to the thing asked about, and a paraphrase
("lending" for "credit") counts as missing. Its measured error is in docs/benchmarks.md.
Related practice: PaperQA2 asks a model to score each passage's relevance and answers "I cannot
answer" below a cut-off; without a model, answer-type checking from classic QA (see
``answer.answer_type``) and lexical coverage of the question's focus are the offline stand-in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Collection, Protocol, Sequence, TypeVar

from answer.answer_type import answer_type, has_answer_type
from retrieval.keyword import tokenize
from vectorstore.types import Hit

NAME_WEIGHT = 2.0  # a proper name of the question counts this many common words
SLOT_PENALTY = 0.0  # coverage is multiplied by this when the sentence holds no answer of the expected type
CONTEXT_SHARE = 0.5  # a common word found only around the sentence (title, neighbours) counts this much

# Words that frame a question rather than say what it is about; stemmed like the passages.
_FRAME_WORDS = (
    "many much name names kind type sort exact exactly specific specifically happen happened happens say says said "
    "mention mentions mentioned according tell describe explain brief briefs report reports article author "
    "document documents text passage state states stated give list might may could would can still able several "
    "who whom whose what which when where why how")
_FRAME = frozenset(t for terms in tokenize(_FRAME_WORDS.split()) for t in terms)
_WORD = re.compile(r"\w[\w'’.-]*", re.UNICODE)


@dataclass(frozen=True)
class QuestionFocus:
    """What a question is about (stemmed terms with weights) and the slot it asks for."""

    weights: dict[str, float]  # stemmed focus term -> weight
    slot: str = ""  # the expected answer type (answer.answer_type.ANSWER_TYPES) or "" (none recognised)

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
    slot, noun = answer_type(question)
    for term in tokenize([noun])[0] if noun else ():  # "Which country ...": the answer names one, not the word
        weights.pop(term, None)
    return QuestionFocus(weights, slot)


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
    ``SLOT_PENALTY`` when the sentence itself holds no answer of the expected type
    (``answer.answer_type.has_answer_type``; the context does not count). 1.0 for a question
    without focus terms and without an expected type.
    """
    filled = has_answer_type(focus.slot, sentence, question)
    if not focus.weights:
        return 1.0 if filled else SLOT_PENALTY
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
    return share if filled else share * SLOT_PENALTY


def coverages(question: str, sentences: Sequence[str], contexts: Sequence[str] | None = None) -> list[float]:
    """``coverage`` of ``question``'s focus by each sentence (with its context when given)."""
    focus = question_focus(question)
    contexts = contexts if contexts is not None else [""] * len(sentences)
    return [coverage(focus, s, c, question=question) for s, c in zip(sentences, contexts)]


# A proper name of several words: capitalised words, joined by "of", "and", "for", "the", "on" or "&"
# ("National Park Service", "Bureau of Reclamation", "Strait of Malacca", "Court Watcher").
_TITLE_WORD = r"[A-Z][a-z][\w’'&-]*"  # "Park", "McDonald"; not an acronym ("FWS") or a code ("FY2027")
_NAME_RUN = re.compile(rf"(?<![\w'’]){_TITLE_WORD}(?:\s+(?:(?:of|and|for|the|on|&)\s+)*{_TITLE_WORD})+")


_MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"}


def asked_names(question: str) -> list[str]:
    """The proper names of several words that ``question`` writes ("How many visitors did the National
    Park Service report?" -> ["National Park Service"]), its first word left out ("What", "How"), and
    a month at either end dropped ("South Korea's May 9" -> "South Korea")."""
    found = []
    for match in _NAME_RUN.finditer(question):
        words = match.group().split()
        if match.start() == len(question) - len(question.lstrip()):  # "Which Bureau ...": drop the opener
            words = words[1:]
        while words and (words[0] in _MONTHS or not words[0][:1].isupper()):
            words = words[1:]
        while words and (re.sub(r"['’]s$", "", words[-1]) in _MONTHS or not words[-1][:1].isupper()):
            words = words[:-1]
        name = re.sub(r"['’]s$", "", " ".join(words))
        if " " in name:
            found.append(name)
    return found


def folded(text: str) -> str:
    """``text`` as ``absent_names`` compares it: casefolded, spaces collapsed, possessive "'s" dropped,
    a typographic apostrophe read as a typed one ("the Marine Corps' vehicle" is written "Corps’")."""
    return " ".join(re.sub(r"['’]s\b", "", text).replace("’", "'").casefold().split())


def absent_names(question: str, texts: Sequence[str], *, prefolded: bool = False) -> list[str]:
    """The names of ``asked_names(question)`` that none of ``texts`` writes (case, spacing and a
    possessive "'s" aside; ``prefolded``: ``texts`` are already ``folded``): what the question asks
    about that the briefs never mention. A name of
    two joined by "and" ("Japanese and South Korean", "Kishida and Yoon") counts as written when each
    part of it is (so "Fish and Wildlife Service" is absent only where neither the whole nor both
    "Fish" and "Wildlife Service" are written: a heuristic that errs towards present); an institution named
    head last ("Education Department") counts as written in the other order ("Department of Education")."""
    haystacks = list(texts) if prefolded else [folded(t) for t in texts]

    def written(name: str) -> bool:
        pattern = re.compile(rf"(?<!\w){re.escape(folded(name))}(?!\w)")
        return any(pattern.search(t) for t in haystacks)

    def either_order(name: str) -> bool:
        # "Education Department" is written as "Department of Education" (a trial's refusal said no brief mentions it)
        words = name.split()
        if len(words) > 1 and words[-1].lower() in _INSTITUTIONS:
            rest = " ".join(words[:-1])
            return written(f"{words[-1]} of {rest}") or written(f"{words[-1]} of the {rest}")
        return False

    return [n for n in asked_names(question)
            if not written(n) and not either_order(n)
            and not (" and " in n and all(written(part) for part in n.split(" and ")))]


class _OfHit(Protocol):
    @property
    def hit(self) -> Hit: ...


C = TypeVar("C", bound=_OfHit)


def of_briefs_naming(question: str, candidates: Sequence[C], folded_text: Callable[[str], str]) -> list[C]:
    """The ``candidates`` (anything with ``.hit.chunk.doc_id``) of the briefs that write every name the question asks
    about (``absent_names`` over ``folded_text(doc_id)``, the brief's folded text), or all of them when no brief
    does: a sentence of another brief answers another question ("Congress reduced the funding to $12 million each
    year in FY2024 and FY2025", of a rural grant program, for "How much funding did the Nonprofit Security Grant
    Program receive in FY2024 and FY2025?")."""
    writing = {doc for doc in {c.hit.chunk.doc_id for c in candidates}
               if not absent_names(question, [folded_text(doc)], prefolded=True)}
    return [c for c in candidates if c.hit.chunk.doc_id in writing] or list(candidates)


_INSTITUTIONS = frozenset("department ministry office bureau agency administration commission service secretary "
                          "council court".split())
