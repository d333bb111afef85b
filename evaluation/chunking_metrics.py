"""Character-span retrieval metrics of Chroma's chunking benchmark (Smith & Troynikov, 2024).

Every retrieved passage and every reference is a span ``(corpus_id, start, end)`` of a corpus.
Per question (see ``../shared/bench/chunking/README.md``):

- numerator: the size of the union of the intersections between the retrieved spans of the
  question's corpus and its reference spans (characters retrieved twice count once);
- recall = numerator / total reference characters;
- precision = numerator / total characters of all retrieved spans, whatever their corpus
  (overlapping passages count their shared characters twice, as in the report);
- IoU = numerator / (retrieved characters + reference characters not retrieved).

Means over questions are reported x100 by ``mean_scores``. Written by hand because the
published package (``chunking_evaluation``) pulls in its own Chroma and OpenAI clients.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence


@dataclass(frozen=True)
class CharSpan:
    """A half-open character range ``[start, end)`` of one corpus (or document)."""

    corpus_id: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"span ({self.start}, {self.end}) of {self.corpus_id!r} must have 0 <= start <= end")

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class SpanScores:
    """Recall, precision and IoU of one question as fractions (0..1), or means of them."""

    recall: float
    precision: float
    iou: float


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Disjoint, sorted ranges covering exactly the characters of ``ranges`` (empty ones dropped)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def covered_length(ranges: Iterable[tuple[int, int]]) -> int:
    """Number of characters in the union of ``ranges``."""
    return sum(end - start for start, end in merge_ranges(ranges))


def intersect_ranges(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every non-empty pairwise intersection of a range of ``a`` with a range of ``b``."""
    return [(max(s1, s2), min(e1, e2)) for s1, e1 in a for s2, e2 in b if min(e1, e2) > max(s1, s2)]


def score_question(retrieved: Sequence[CharSpan], references: Sequence[CharSpan]) -> SpanScores:
    """Recall, precision and IoU of one question's retrieved spans against its references."""
    if not references:
        raise ValueError("a question needs at least one reference span")
    numerator = 0
    unretrieved = 0
    for corpus_id in {r.corpus_id for r in references}:
        refs = [(r.start, r.end) for r in references if r.corpus_id == corpus_id]
        got = [(s.start, s.end) for s in retrieved if s.corpus_id == corpus_id]
        hit = covered_length(intersect_ranges(got, refs))
        numerator += hit
        unretrieved += covered_length(refs) - hit
    reference_chars = sum(len(r) for r in references)
    retrieved_chars = sum(len(s) for s in retrieved)
    return SpanScores(
        recall=numerator / reference_chars if reference_chars else 0.0,
        precision=numerator / retrieved_chars if retrieved_chars else 0.0,
        iou=numerator / (retrieved_chars + unretrieved) if retrieved_chars + unretrieved else 0.0,
    )


def mean_scores(scores: Sequence[SpanScores], *, scale: float = 100.0) -> SpanScores:
    """The mean of each figure over questions, times ``scale`` (x100 as the report prints them)."""
    if not scores:
        raise ValueError("no question scores to average")
    n = len(scores)
    return SpanScores(recall=scale * sum(s.recall for s in scores) / n,
                      precision=scale * sum(s.precision for s in scores) / n,
                      iou=scale * sum(s.iou for s in scores) / n)
