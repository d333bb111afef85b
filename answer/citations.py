"""Citation checking: which ``[n]`` markers name a real passage, and which passages back a claim.

Support of a claim by a span of a passage is scored two ways and averaged: the embedder's
cosine similarity (paraphrase) and lexical recall, the share of the claim's stemmed content
words that the span contains (names, numbers). Neither alone is enough: a wrong passage on the
same topic is semantically close, and a paraphrase shares few words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from answer.sentences import sentence_spans
from answer.vectors import Encoder
from retrieval.keyword import tokenize
from vectorstore.embedder import TextEmbedder
from vectorstore.types import Chunk

# "[1]", "[1, 2]", "[1-3]", "[Passage 2]", "[source 1]", "[^1]": small models vary the form.
_MARKER = re.compile(
    r"\[\s*\^?\s*(?:(?:passage|source|ref|doc(?:ument)?)\s*#?\s*)?(\d{1,3}(?:\s*(?:,|;|-|–|and)\s*(?:(?:passage|source)\s*)?\d{1,3})*)\s*\]",
    re.IGNORECASE,
)
_FINAL_PUNCTUATION = re.compile(r"([.!?])([\"'”’)]*)$")
_NUMBER = re.compile(r"\d{1,3}")
_RANGE = re.compile(r"(\d{1,3})\s*[-–]\s*(\d{1,3})")
SEMANTIC_WEIGHT = 0.5  # share of cosine similarity in the support score; the rest is lexical recall
PAIR_GAIN = 0.05  # a two-sentence quote must beat the best single sentence by this much


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
    """``sentence`` with ``[n]`` markers placed before its final punctuation ("... power [1].")."""
    if not markers:
        return sentence
    tags = "".join(f"[{n}]" for n in markers)
    match = _FINAL_PUNCTUATION.search(sentence)
    if match:
        return f"{sentence[:match.start()]} {tags}{match.group(0)}"
    return f"{sentence} {tags}"


def lexical_recall(claim: str, evidence: str) -> float:
    """Share of the claim's stemmed content words found in the evidence (1.0 for a claim without any)."""
    claim_terms = set(tokenize([claim])[0])
    if not claim_terms:
        return 1.0
    return len(claim_terms & set(tokenize([evidence])[0])) / len(claim_terms)


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
        higher. ``None`` where the passage has no text.
        """
        spans = [quote_spans(chunk.text) for chunk in chunks]
        texts = [chunk.text[s:e] for chunk, chunk_spans in zip(chunks, spans) for s, e in chunk_spans]
        claim_vectors = self.embedder.encode(list(claims))
        span_vectors = self.span_encoder.encode(texts)
        cosine = np.clip(claim_vectors @ span_vectors.T, 0.0, 1.0) if len(texts) else np.zeros((len(claims), 0))
        span_terms = [set(t) for t in tokenize(texts)] if texts else []
        claim_terms = [set(t) for t in tokenize(list(claims))] if claims else []
        w = self.semantic_weight
        result: list[list[Support | None]] = []
        for i, terms in enumerate(claim_terms):
            row: list[Support | None] = []
            offset = 0
            for chunk_spans in spans:
                n = len(chunk_spans)
                if n == 0:
                    row.append(None)
                    continue

                def recall(found: set[str]) -> float:
                    return len(terms & found) / len(terms) if terms else 1.0

                singles = [w * cosine[i, offset + j] + (1 - w) * recall(span_terms[offset + j]) for j in range(n)]
                best_j = int(np.argmax(singles))
                best = Support(float(singles[best_j]), *chunk_spans[best_j])
                for j in range(n - 1):
                    pair = (w * max(cosine[i, offset + j], cosine[i, offset + j + 1])
                            + (1 - w) * recall(span_terms[offset + j] | span_terms[offset + j + 1]))
                    if pair >= best.score + PAIR_GAIN:
                        best = Support(float(pair), chunk_spans[j][0], chunk_spans[j + 1][1])
                row.append(best)
                offset += n
            result.append(row)
        return result
