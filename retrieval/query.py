"""Offline condensing of follow-up questions: carry the subject of the previous turn forward.

"What about Japan?" after "How did South Korea react to the THAAD deployment?" becomes "What about
Japan? (How did South Korea react to the THAAD deployment?)". Without a language model this is a
heuristic: a question that refers back (a personal pronoun, or "what about ..." with no subject of its
own) gets the previous question in brackets, as written but without its words for documents and for
the kind of answer ("…"), or only its names when it brings no other words. It is shown to the reader
as "Interpreted as: ..." and searched as it reads. A pronoun
that a phrase of the last turn agrees with ("he" -> "Elbridge Colby") is named before this runs,
by ``answer.antecedents`` (the one rule for entity references, also used with a chat model).
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

from bm25s.stopwords import STOPWORDS_EN_PLUS

_PERSON = re.compile(r"\b(he|she|him|his|hers|they|them|their|theirs)\b", re.IGNORECASE)
_THING = re.compile(r"\b(it|its|this|that|these|those|there|the same|the former|the latter)\b", re.IGNORECASE)
_ELLIPTIC = re.compile(r"^\s*(and|also|what about|how about|and what about|what else|same for)\b", re.IGNORECASE)
_ENTITY = re.compile(r"[A-Z][\w.'’-]*(?:\s+(?:(?:of|the|de|von|van)\s+)?[A-Z][\w.'’-]*)*")
_WORD = re.compile(r"[\w'’-]+")
_NOT_NAMES = {
    "who", "what", "which", "when", "where", "why", "how", "whom", "whose", "did", "does", "do", "is", "are", "was",
    "were", "can", "could", "should", "would", "will", "has", "have", "had", "according", "tell", "describe",
    "explain", "list", "give", "name", "summarize", "summarise", "and", "also", "the", "a", "an", "in", "on",
    "i", "please", "briefly",
}
_STOP = set(STOPWORDS_EN_PLUS) | _NOT_NAMES


def entities(text: str) -> list[str]:
    """Capitalised names in ``text`` ("Elbridge Colby", "South Korea"), question words dropped."""
    found: list[str] = []
    for match in _ENTITY.finditer(text):
        words = match.group().split()
        while words and words[0].lower().strip(".,") in _NOT_NAMES:
            words = words[1:]
        name = " ".join(words).rstrip(",'’")
        if name.endswith(".") and name.count(".") == 1:  # sentence end, not "U.S."
            name = name[:-1]
        if name and name.lower() not in _STOP and name not in found:
            found.append(name)
    return found


def content_words(text: str) -> list[str]:
    """Words of ``text`` that are neither stop words nor question words, in order, once each."""
    words = [w for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 1]
    return list(dict.fromkeys(words))


# Whom the briefs are written for: named in a question, no subject of its own ("What could Congress do about it?").
ADDRESSEES = frozenset({"congress", "crs", "members", "members of congress", "lawmakers", "policymakers"})


def is_follow_up(question: str) -> bool:
    """Whether the question leans on an earlier turn for its subject (a heuristic)."""
    if _PERSON.search(question) or _ELLIPTIC.search(question):
        return True
    # "it"/"this"/"there" refer back only when the question names nothing of its own; Congress, whom every CRS
    # brief addresses, is no subject of its own (a trial's "What could Congress do about it?" after questions on
    # the Pentagon-Anthropic Insight had searched the collection)
    names = [e for e in entities(question) if e.lower() not in ADDRESSEES]
    return bool(_THING.search(question)) and not names and len(content_words(question)) <= 2


def condense_offline(question: str, previous: Sequence[str], *, topic: Callable[[str], str] = lambda q: q,
                     leans: bool = False) -> str:
    """A standalone form of ``question`` given the earlier standalone questions, latest last.

    Something is carried when ``question`` leans on the last one for its subject (``is_follow_up`` says so,
    or the caller found it to: ``leans``, a follow-up that brings no subject of its own, "Who waited the
    longest?", "What changed in April 2026?") and ``topic(last)`` (the last question without the words that
    are not its subject: ``answer.plans.topic_of`` drops those for documents and for the kind of answer) has
    names or content words that ``question`` has not got itself. When it has content words, the last
    question is carried as written, without the words ``topic`` left out (``carried_phrase``), in brackets
    after ``question``, so that the question as searched reads as one: "What about China? (How much federal
    debt did foreign investors hold, and which country held the most?)", not "What about China? (much,
    federal, debt, ...)"; when only names are, they are ("What did he advise South Korea? (Elbridge Colby)").
    A last question that carried one before it is carried flat (``flat_carried``): one bracket, never one inside
    another (a trial's third turn read "... (Can individual nonprofits apply for it directly? (How much ...?))").
    """
    question = question.strip()
    if not previous or not (leans or is_follow_up(question)):
        return question
    last = flat_carried(previous[-1])
    subject = topic(last)
    own = {w.lower() for w in entities(question) + content_words(question)}
    names = [e for e in entities(subject) if e.lower() not in own]
    in_names = {w.lower() for e in entities(subject) for w in e.split()}
    words = [w for w in content_words(subject) if w.lower() not in own and w.lower() not in in_names]
    if not names and not words:
        return question
    return f"{question} ({carried_phrase(last, subject) if words else ', '.join(names)})"


def carried_phrase(last: str, subject: str) -> str:
    """``last`` (a question) as written, each run of the words ``subject`` left out of it (its words for
    documents and for the kind of answer: ``answer.plans.topic_of``) replaced by "…", so that it reads as
    the question it was and holds nothing else of it: "What does the Riverton brief recommend about water
    rates?" with ``subject`` "Riverton water rates" -> "What does the Riverton … about water rates?"."""
    kept = {w.lower() for w in _WORD.findall(subject)}
    out: list[str] = []
    for token in last.split():
        if any(w.lower() not in kept and w.lower() not in _STOP for w in _WORD.findall(token)):
            tail = re.search(r"[?!.,;:]*$", token)
            elided = "…" + (tail.group() if tail else "")
            if out and out[-1].startswith("…"):
                out[-1] = elided  # one mark for a run of left-out words
            else:
                out.append(elided)
        else:
            out.append(token)
    return " ".join(out)


def split_carried(question: str) -> tuple[str, str]:
    """A standalone question split before the bracket ``condense_offline`` carried the last question in:
    "Who waited the longest? (How long did it take ...?)" -> ("Who waited the longest?", "(How long did it take
    ...?)"); (question, "") when it does not end with a bracket after a question mark or a full stop."""
    text = question.rstrip()
    if not text.endswith(")"):
        return question, ""
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            head = text[:i].rstrip()
            return (head, text[i:]) if head and head[-1] in "?.!" else (question, "")
    return question, ""


def flat_carried(question: str) -> str:
    """A standalone question with the brackets it carried (``split_carried``) opened, its words kept in order:
    "What about the Supreme Court? (Which account has the biggest percentage increase? (How much ...))" ->
    "What about the Supreme Court? Which account has the biggest percentage increase? How much ..."; unchanged
    without one."""
    head, carried = split_carried(question.strip())
    return f"{head} {flat_carried(carried[1:-1])}" if carried else question.strip()


def asks_its_own(question: str) -> bool:
    """Whether a follow-up asks a question of its own rather than the last one's again about something else: not
    "What about China?" / "And for Japan?" (``_ELLIPTIC``), and it holds a content word ("Who waited the longest?")."""
    return not _ELLIPTIC.search(question) and bool(content_words(question))


# A second question joined to the first: ", and what ...", " and did it ...", "; how ..." (not a relative "when").
_SECOND_QUESTION = re.compile(r"(?:\s*[,;]\s*(?:and\s+|but\s+|or\s+)?|\s+(?:and|but|or)\s+)(?=(?:how|what|which|who|whom|whose|"
                              r"when|where|why|did|does|do|is|are|was|were|has|have|had|can|could|will|would)\b)",
                              re.IGNORECASE)


def question_clauses(question: str) -> list[str]:
    """The questions a question asks, in order (a heuristic): "What did NIH change ... in February 2025, and what
    happened to the policy in court?" -> ["What did NIH change ... in February 2025", "what happened to the policy
    in court?"]; "How much did Argentina draw, and did it repay?" -> two; a question asking one thing -> [question].
    A part of fewer than three words is no question of its own ("How and why ...?" stays whole)."""
    parts = [p.strip(" ,;") for p in _SECOND_QUESTION.split(question.strip())]
    return parts if len(parts) > 1 and all(len(p.split()) >= 3 for p in parts) else [question.strip()]
