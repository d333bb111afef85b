"""Offline condensing of follow-up questions: carry the subject of the previous turn forward.

"What about Japan?" after "How did South Korea react to the THAAD deployment?" becomes "What about
Japan? (South Korea, THAAD, deployment, react)". Without a language model this is a heuristic: a
question that refers back (a personal pronoun, or "what about ..." with no subject of its own) gets
the named entities of the previous question, or its content words when it names none. A pronoun
that a phrase of the last turn agrees with ("he" -> "Elbridge Colby") is named before this runs,
by ``answer.antecedents`` (the one rule for entity references, also used with a chat model).
"""

from __future__ import annotations

import re
from typing import Sequence

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


def is_follow_up(question: str) -> bool:
    """Whether the question leans on an earlier turn for its subject."""
    if _PERSON.search(question) or _ELLIPTIC.search(question):
        return True
    # "it"/"this"/"there" refer back only when the question names nothing of its own.
    return bool(_THING.search(question)) and not entities(question) and len(content_words(question)) <= 2


def condense_offline(question: str, previous: Sequence[str], *, leans: bool = False) -> str:
    """A standalone form of ``question`` given the earlier standalone questions, latest last: the question
    with the last one's names and content words carried in parentheses when it leans on it for its subject,
    that is when ``is_follow_up`` says so or the caller found it to (``leans``: a follow-up that brings no
    subject of its own, "Who waited the longest?", "What changed in April 2026?"). Else as asked."""
    question = question.strip()
    if not previous or not (leans or is_follow_up(question)):
        return question
    last = previous[-1]
    own = {w.lower() for w in entities(question) + content_words(question)}
    names = [e for e in entities(last) if e.lower() not in own]
    in_names = {w.lower() for e in entities(last) for w in e.split()}
    words = [w for w in content_words(last) if w.lower() not in own and w.lower() not in in_names]
    carried = names + words
    return f"{question} ({', '.join(carried)})" if carried else question
