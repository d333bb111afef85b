"""Per-question metrics as pure functions; each docstring is the metric's definition.

Passages (retrieved chunks, cited quotes) and references are compared as character spans of
a document where both have one (``CharSpan`` of ``evaluation.chunking_metrics``, whose
``corpus_id`` holds the document id), and by text containment otherwise, after
``normalize_passage``. Answers are compared to acceptable answers after ``normalize_answer``
(the SQuAD normalisation: lower case, no punctuation, no articles, single spaces).
"""

from __future__ import annotations

import math
import re
import string
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from evaluation.chunking_metrics import CharSpan, SpanScores, score_question
from text.scripts import UNSPACED_RUN

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
})


@dataclass(frozen=True)
class Passage:
    """A piece of a document as the metrics see it: where it is (if known) and its text."""

    span: CharSpan | None
    text: str = ""


# -- text normalisation ------------------------------------------------------------------


def normalize_passage(text: str) -> str:
    """Curly and typographic quotes made straight, every whitespace run one space, ends stripped."""
    return " ".join(text.translate(_QUOTES).split())


def locate_text(needle: str, haystack: str) -> tuple[int, int] | None:
    """The span of ``haystack`` whose normalised text equals normalised ``needle``, first match.

    Offsets are into the original ``haystack``, so a reference given as text becomes a span.
    """
    found = locate_all(needle, haystack, limit=1)
    return found[0] if found else None


def locate_all(needle: str, haystack: str, *, limit: int | None = None) -> list[tuple[int, int]]:
    """Every span of ``haystack`` (non-overlapping, in order, at most ``limit``) whose normalised
    text equals normalised ``needle``: a CRS Report's summary page repeats sentences of its body."""
    target = normalize_passage(needle)
    if not target:
        return []
    chars: list[str] = []
    origin: list[int] = []  # origin[i] = index in haystack of normalised character i
    for index, char in enumerate(haystack):
        if char.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                origin.append(index)
            continue
        chars.append(char.translate(_QUOTES))
        origin.append(index)
    text = "".join(chars)
    spans: list[tuple[int, int]] = []
    found = text.find(target)
    while found >= 0 and (limit is None or len(spans) < limit):
        spans.append((origin[found], origin[found + len(target) - 1] + 1))
        found = text.find(target, found + len(target))
    return spans


def normalize_answer(text: str) -> str:
    """SQuAD answer normalisation: NFKC, straight quotes, lower case, punctuation and a/an/the removed.

    Scripts written without spaces (Chinese, Japanese, Thai ...) have no words to compare, so
    each of their characters is a word, as MLQA's evaluation does for Chinese (Lewis et al. 2020).
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = "".join(" " if ch in string.punctuation or unicodedata.category(ch).startswith("P") else ch for ch in text)
    text = UNSPACED_RUN.sub(lambda run: " " + " ".join(run.group()) + " ", text)
    return " ".join(word for word in text.split() if word not in ("a", "an", "the"))


# -- retrieval ---------------------------------------------------------------------------


def passage_matches(reference: Passage, passage: Passage) -> bool:
    """Whether a passage covers a reference.

    Both spans known: same document and at least one character in common. Otherwise: the
    normalised passage text contains the normalised reference text.
    """
    if reference.span is not None and passage.span is not None:
        a, b = reference.span, passage.span
        return a.corpus_id == b.corpus_id and min(a.end, b.end) > max(a.start, b.start)
    target = normalize_passage(reference.text)
    return bool(target) and target in normalize_passage(passage.text)


def first_relevant_rank(retrieved: Sequence[Passage], references: Sequence[Passage]) -> int | None:
    """Rank (from 1) of the first retrieved passage that matches any reference; None when none does."""
    for rank, passage in enumerate(retrieved, 1):
        if any(passage_matches(ref, passage) for ref in references):
            return rank
    return None


def hit_at_k(first_rank: int | None, k: int) -> float:
    """Hit at k: 1 when a passage among the top k matches a reference, else 0."""
    return 1.0 if first_rank is not None and first_rank <= k else 0.0


def recall_at_k(retrieved: Sequence[Passage], references: Sequence[Passage], k: int) -> float:
    """Recall at k: the share of references matched by at least one of the top k passages."""
    if not references:
        raise ValueError("recall needs at least one reference")
    top = retrieved[:k]
    return sum(any(passage_matches(ref, p) for p in top) for ref in references) / len(references)


def reciprocal_rank(first_rank: int | None, k: int) -> float:
    """Reciprocal rank at k: 1 / rank of the first matching passage within the top k, else 0.

    Its mean over questions is the MRR.
    """
    return 1.0 / first_rank if first_rank is not None and first_rank <= k else 0.0


def span_scores(retrieved: Sequence[Passage], references: Sequence[Passage], k: int) -> SpanScores | None:
    """The chunking benchmark's recall, precision and IoU of the top k passages (as fractions).

    Defined only when every reference and every passage has a span; None otherwise.
    """
    if not references or any(r.span is None for r in references):
        return None
    top = retrieved[:k]
    if any(p.span is None for p in top):
        return None
    return score_question([p.span for p in top], [r.span for r in references])  # type: ignore[misc]


def hit_rate_by_k(first_ranks: Sequence[int | None], max_k: int) -> dict[int, float]:
    """``{k: share of questions whose first matching passage has rank <= k}`` for k = 1..max_k."""
    if not first_ranks:
        return {}
    return {k: sum(hit_at_k(r, k) for r in first_ranks) / len(first_ranks) for k in range(1, max_k + 1)}


# -- answers -----------------------------------------------------------------------------


def contains_answer(answer: str, acceptable: Sequence[str]) -> bool:
    """Whether the normalised answer contains a normalised acceptable answer as whole words."""
    padded = f" {normalize_answer(answer)} "
    return any(norm and f" {norm} " in padded for norm in map(normalize_answer, acceptable))


def token_f1(answer: str, acceptable: Sequence[str]) -> float:
    """SQuAD token F1: the best over acceptable answers of the harmonic mean of token precision
    and recall, tokens being the words of the normalised texts counted with multiplicity."""
    predicted = normalize_answer(answer).split()
    best = 0.0
    for gold in acceptable:
        expected = normalize_answer(gold).split()
        common = sum((Counter(predicted) & Counter(expected)).values())
        if common:
            precision, recall = common / len(predicted), common / len(expected)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


# -- citations ---------------------------------------------------------------------------


def citation_valid(quote: str, doc_text: str | None, start: int, end: int) -> bool:
    """A citation is valid when its quote is exactly ``doc_text[start:end]`` (and non-empty)."""
    return doc_text is not None and 0 <= start < end <= len(doc_text) and doc_text[start:end] == quote


def citation_recall(cited: Sequence[Passage], references: Sequence[Passage]) -> float:
    """The share of references that at least one cited passage matches (``passage_matches``)."""
    if not references:
        raise ValueError("citation recall needs at least one reference")
    return sum(any(passage_matches(ref, c) for c in cited) for ref in references) / len(references)


# -- refusal and latency -----------------------------------------------------------------


def refusal_accuracy(refused_on_unanswerable: Sequence[bool]) -> float | None:
    """The share of unanswerable questions the assistant refused (None when there are none)."""
    return sum(refused_on_unanswerable) / len(refused_on_unanswerable) if refused_on_unanswerable else None


def false_refusal_rate(refused_on_answerable: Sequence[bool]) -> float | None:
    """The share of answerable questions the assistant refused (None when there are none)."""
    return sum(refused_on_answerable) / len(refused_on_answerable) if refused_on_answerable else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) with linear interpolation between closest ranks (numpy's default).

    With sorted values v[0..n-1], position p = q/100 * (n-1); the result is
    v[floor(p)] + (p - floor(p)) * (v[ceil(p)] - v[floor(p)]).
    """
    if not 0 <= q <= 100:
        raise ValueError(f"percentile q ({q}) must be within 0..100")
    if not values:
        return None
    ordered = sorted(values)
    position = q / 100 * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def mean(values: Sequence[float]) -> float | None:
    """The arithmetic mean, None for no values."""
    return sum(values) / len(values) if values else None


_SENTENCE_END = re.compile(r"[.!?](?:\s*\[[^\]\s]{1,8}\])*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Sentences of an answer: cut after . ! ? (and the citation markers that follow them) where
    whitespace and a capital letter or digit come next. Used where an answer does not give its sentences."""
    sentences, begin = [], 0
    for match in _SENTENCE_END.finditer(text):
        sentences.append(text[begin:match.end()].strip())
        begin = match.end()
    sentences.append(text[begin:].strip())
    return [s for s in sentences if s]
