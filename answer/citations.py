"""Citation checking: which ``[n]`` markers name a real passage, and which passages back a claim.

Support of a claim by a span of a passage is scored two ways and averaged: the embedder's
cosine similarity (paraphrase) and lexical recall, the share of the claim's stemmed content
words that the span contains (names, numbers). Neither alone is enough: a wrong passage on the
same topic is semantically close, and a paraphrase shares few words.

Nor are both: a claim that changes a figure, denies what its sentence states, or misquotes it
shares almost every word with it. So a span backs a claim only when, besides scoring, every
quotation of the claim is verbatim in the passage, every figure of the claim is stated in the
passage, and the claim and the span agree on what is negated (``contradiction``). A sentence of
the passage written to a language model (``instruction_flags``) backs nothing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from answer.safety import instruction_flags
from answer.sentences import figures, name_in, names, negated_words, quotations, quote_in
from text.sentences import sentence_spans
from answer.vectors import Encoder
from retrieval.keyword import tokenize
from text.scripts import UNSPACED_RUN, word_count
from vectorstore.embedder import TextEmbedder
from vectorstore.types import Chunk

# "[1]", "[1, 2]", "[1-3]", "[Passage 2]", "[source 1]", "[^1]": small models vary the form.
_MARKER = re.compile(
    r"\[\s*\^?\s*(?:(?:passage|source|ref|doc(?:ument)?)\s*#?\s*)?(\d{1,3}(?:\s*(?:,|;|-|–|and)\s*(?:(?:passage|source)\s*)?\d{1,3})*)\s*\]",
    re.IGNORECASE,
)
_FINAL_PUNCTUATION = re.compile(r"([.!?。！？])([\"'”’)」』）]*)$")
_NUMBER = re.compile(r"\d{1,3}")
_RANGE = re.compile(r"(\d{1,3})\s*[-–]\s*(\d{1,3})")
SEMANTIC_WEIGHT = 0.5  # share of cosine similarity in the support score; the rest is lexical recall
PAIR_GAIN = 0.05  # a two-sentence quote must beat the best single sentence by this much
CHECK_NAMES = True  # every proper name of a claim must be in the passage (answer.sentences.names, a heuristic)
MIN_CLAIM_WORDS = 3  # fewer content words ("In short:", a lone code word) make no claim a passage can back


@dataclass(frozen=True)
class Marker:
    """A citation marker found in text: where it is and the passage numbers it names."""

    start: int
    end: int
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class Support:
    """How well a span of a passage backs a claim; ``start``/``end`` are offsets in the passage text."""

    score: float
    start: int
    end: int
    problem: str = ""  # why the span cannot back the claim whatever it scores (the score is then 0)


def find_markers(text: str) -> list[Marker]:
    """Every citation marker in ``text`` with the numbers it names, ranges expanded."""
    markers = []
    for match in _MARKER.finditer(text):
        body = match.group(1)
        numbers: list[int] = []
        for low, high in _RANGE.findall(body):
            lo, hi = int(low), int(high)
            if lo <= hi <= lo + 20:
                numbers.extend(range(lo, hi + 1))
        numbers.extend(int(n) for n in _NUMBER.findall(_RANGE.sub(" ", body)))
        markers.append(Marker(match.start(), match.end(), tuple(dict.fromkeys(numbers))))
    return markers


def strip_markers(text: str) -> str:
    """``text`` without citation markers, spaces tidied where they were."""
    stripped = _MARKER.sub("", text)
    stripped = re.sub(r"[ \t]+([.,;:!?])", r"\1", stripped)
    return re.sub(r"[ \t]{2,}", " ", stripped).strip()


def with_markers(sentence: str, markers: Sequence[int]) -> str:
    """``sentence`` with ``[n]`` markers placed before its final punctuation ("... power [1]."), or
    after it where a closing quotation mark or bracket follows it ("... “as planned.” [1]"): a marker
    inside the quote would leave ".”" to wrap onto a line of its own after the marker's button."""
    if not markers:
        return sentence
    tags = "".join(f"[{n}]" for n in markers)
    match = _FINAL_PUNCTUATION.search(sentence)
    if match and not match.group(2):
        return f"{sentence[:match.start()]} {tags}{match.group(0)}"
    return f"{sentence} {tags}"


def lexical_recall(claim: str, evidence: str) -> float:
    """Share of the claim's stemmed content words found in the evidence (1.0 for a claim without any)."""
    claim_terms = set(tokenize([claim])[0])
    if not claim_terms:
        return 1.0
    return len(claim_terms & set(tokenize([evidence])[0])) / len(claim_terms)


def content_words(text: str) -> int:
    """How many words of ``text`` carry content (a stop word or a lone symbol does not); runs of a
    script written without spaces count one word per two characters (``text.scripts.word_count``)."""
    words = UNSPACED_RUN.sub(" ", text).split()
    spaced = sum(bool(tokens) for tokens in tokenize(words)) if words else 0
    return spaced + word_count("".join(m.group() for m in UNSPACED_RUN.finditer(text)))


def is_claim(sentence: str) -> bool:
    """Whether ``sentence`` says enough to be checked against a passage (``MIN_CLAIM_WORDS`` content words)."""
    return content_words(sentence) >= MIN_CLAIM_WORDS


def _negation_terms(text: str) -> tuple[set[str], set[str]]:
    """(stemmed content words in the scope of a negation, all stemmed content words) of ``text``."""
    negated, affirmed = tokenize([" ".join(words) for words in negated_words(text)])
    return set(negated), set(negated) | set(affirmed)


def negation_mismatch(claim: str, evidence: str) -> set[str]:
    """The words that one of ``claim`` and ``evidence`` negates and the other, which negates nothing, states.

    "Kim has never launched missiles" against "Kim has launched missiles" gives {"launch",
    "missil"}. A negation the claim leaves out ("while no breakthroughs occurred, leaders agreed"
    against "leaders agreed") does not count, and two texts that both negate are taken to agree:
    "not strong enough" and "no longer powerful enough" say the same thing in other words.
    """
    claim_negated, claim_terms = _negation_terms(claim)
    evidence_negated, evidence_terms = _negation_terms(evidence)
    if claim_negated and not evidence_negated:
        return claim_negated & evidence_terms
    if evidence_negated and not claim_negated:
        return evidence_negated & claim_terms
    return set()


def contradiction(claim: str, span: str, passage: str) -> str:
    """Why ``span`` of ``passage`` cannot back ``claim`` however similar they are, or "" when nothing is found.

    Every quotation of the claim must be verbatim in the passage, every figure of the claim must
    be stated in it (1 is not checked: "one" is as often a pronoun), so must every proper name
    (``names``: small models graft invented names onto a true sentence), and the claim must not
    deny what the span states, or state what it denies.
    """
    for quotation in quotations(claim):
        if not quote_in(quotation, passage):
            return f"the quotation {quotation!r} is not in the passage"
    stated = figures(passage)
    for value in figures(claim):
        if value != 1 and not any(math.isclose(value, s) for s in stated):
            return f"the figure {f'{value:,.0f}' if value.is_integer() else value} is not in the passage"
    if CHECK_NAMES:
        for name in names(claim):  # a name is there when any of its words is: "Kim Jong-un" for "Kim"
            if not any(name_in(part, passage) for part in name):
                return f"the name {' '.join(name)!r} is not in the passage"
    if mismatch := negation_mismatch(claim, span):
        return f"negation differs on {', '.join(sorted(mismatch))}"
    return ""


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Candidate quotes of a passage: its sentences (the passage itself when it has none)."""
    return sentence_spans(text) or ([(0, len(text))] if text.strip() else [])


class SupportScorer:
    """Scores claims against passages with an embedder; one instance can be shared (the embedder locks)."""

    def __init__(self, embedder: TextEmbedder, *, semantic_weight: float = SEMANTIC_WEIGHT,
                 span_encoder: Encoder | None = None) -> None:
        if not 0 <= semantic_weight <= 1:
            raise ValueError(f"semantic_weight ({semantic_weight}) must be between 0 and 1")
        self.embedder = embedder
        self.span_encoder: Encoder = span_encoder or embedder  # passage sentences recur: cache them there
        self.semantic_weight = semantic_weight

    def best_supports(self, claims: Sequence[str], chunks: Sequence[Chunk]) -> list[list[Support | None]]:
        """For each claim and each passage, the span of the passage that supports the claim best.

        The span is one sentence, or two adjacent sentences when together they score clearly
        higher; sentences written to a language model are never chosen. A span that contradicts
        the claim (``contradiction``) scores 0, its ``problem`` saying why. ``None`` where the
        passage has no text.
        """
        spans = [quote_spans(chunk.text) for chunk in chunks]
        sentences = [[chunk.text[s:e] for s, e in chunk_spans] for chunk, chunk_spans in zip(chunks, spans)]
        texts = [text for passage in sentences for text in passage]
        claim_vectors = self.embedder.encode(list(claims))
        span_vectors = self.span_encoder.encode(texts)
        cosine = np.clip(claim_vectors @ span_vectors.T, 0.0, 1.0) if len(texts) else np.zeros((len(claims), 0))
        span_terms = [set(t) for t in tokenize(texts)] if texts else []
        claim_terms = [set(t) for t in tokenize(list(claims))] if claims else []
        injected = [flag for passage in sentences for flag in instruction_flags(passage)]
        result: list[list[Support | None]] = []
        for i, (claim, terms) in enumerate(zip(claims, claim_terms)):
            row: list[Support | None] = []
            offset = 0
            for chunk, chunk_spans in zip(chunks, spans):
                at = slice(offset, offset + len(chunk_spans))
                row.append(self._best_span(claim, terms, chunk, chunk_spans, cosine[i, at], span_terms[at],
                                           injected[at]) if chunk_spans else None)
                offset += len(chunk_spans)
            result.append(row)
        return result

    def _best_span(self, claim: str, terms: set[str], chunk: Chunk, spans: Sequence[tuple[int, int]],
                   cosine: np.ndarray, span_terms: Sequence[set[str]], injected: Sequence[bool]) -> Support:
        """The best-supporting span among one passage's sentences (scored as ``best_supports`` says)."""
        w = self.semantic_weight

        def score(found: set[str], similarity: float) -> float:
            return w * similarity + (1 - w) * (len(terms & found) / len(terms) if terms else 1.0)

        # A sentence written to a language model backs nothing, alone or in a pair.
        singles = [-1.0 if injected[j] else score(span_terms[j], cosine[j]) for j in range(len(spans))]
        best_j = int(np.argmax(singles))
        if singles[best_j] < 0:
            return Support(0.0, *spans[best_j], problem="the passage is an instruction to a language model")
        best = Support(float(singles[best_j]), *spans[best_j])
        for j in range(len(spans) - 1):
            if injected[j] or injected[j + 1]:
                continue
            pair = score(span_terms[j] | span_terms[j + 1], max(cosine[j], cosine[j + 1]))
            if pair >= best.score + PAIR_GAIN:
                best = Support(float(pair), spans[j][0], spans[j + 1][1])
        if problem := contradiction(claim, chunk.text[best.start:best.end], f"{chunk.title}\n{chunk.text}"):
            return Support(0.0, best.start, best.end, problem)
        return best
