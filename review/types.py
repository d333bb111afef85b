"""What a reviewer works on: answers as they were shown, their cited passages, and verdicts.

These records copy what the analyst saw (question, answer text, cited passages) so that a
review stays meaningful after the store changes or the brief is re-ingested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

VerdictValue = Literal["supported", "partly", "not_supported"]
VERDICTS: tuple[VerdictValue, ...] = ("supported", "partly", "not_supported")
VERDICT_LABELS: dict[str, str] = {"supported": "Supported", "partly": "Partly", "not_supported": "Not supported"}


@dataclass(frozen=True)
class CitedPassage:
    """One citation of an answer, with the passage it points to."""

    marker: int  # the ``[n]`` in the answer text
    chunk_id: str  # the passage id in the store
    source: str  # the brief's file name as stored
    title: str = ""  # the brief's title
    date: str = ""  # the brief's publication date, YYYY-MM-DD
    page: int | None = None  # PDF page, from 1
    start: int = 0  # character span of the passage in the brief text
    end: int = 0
    doc_id: str = ""  # the brief's content hash
    passage: str = ""  # the whole cited passage
    quote: str = ""  # the part of the passage that supports the claim
    claim: str = ""  # the answer sentence that carries the marker


@dataclass(frozen=True)
class Verdict:
    """A reviewer's judgement of one citation: does the passage support the claim?"""

    marker: int
    verdict: VerdictValue
    comment: str = ""
    reviewed_at: float = 0.0  # epoch seconds
    reviewer: str = ""  # who judged (ui.identity.User.name); "" for verdicts made before names were kept


@dataclass(frozen=True)
class Agreement:
    """How the reviewers who judged one citation compare."""

    marker: int
    reviewers: int  # distinct reviewers (the unnamed count as one)
    agree: bool  # all of them gave the same verdict


@dataclass(frozen=True)
class ReviewItem:
    """An answer as the analyst saw it, with its reviewers' verdicts and rating."""

    answer_id: str
    question: str
    answer: str
    citations: tuple[CitedPassage, ...] = ()
    created_at: float = 0.0  # epoch seconds
    refused: bool = False  # the assistant declined to answer for lack of evidence
    backend: str = ""  # "extractive" or the LLM that wrote the answer
    rating: int | None = None  # +1 thumbs up, -1 thumbs down, None unrated
    rated_at: float | None = None
    verdicts: dict[int, Verdict] = field(default_factory=dict)  # the latest verdict, by citation marker
    judgements: tuple[Verdict, ...] = ()  # every reviewer's verdict, oldest first

    @property
    def open_markers(self) -> list[int]:
        """Citation markers that have no verdict yet."""
        return [c.marker for c in self.citations if c.marker not in self.verdicts]

    @property
    def is_open(self) -> bool:
        """Whether a reviewer still has something to do: an unjudged citation, or an unrated answer
        that cites nothing. A refusal cites nothing and claims nothing, so it is never open."""
        if self.refused and not self.citations:
            return False
        return bool(self.open_markers) or (not self.citations and self.rating is None)

    def verdict_of(self, marker: int, reviewer: str) -> Verdict | None:
        """``reviewer``'s own verdict on citation ``marker``."""
        return next((v for v in self.judgements if v.marker == marker and v.reviewer == reviewer), None)

    def agreement(self, marker: int) -> Agreement:
        """Whether the reviewers of citation ``marker`` agree (``reviewers`` < 2: nothing to compare)."""
        mine = [v for v in self.judgements if v.marker == marker]
        return Agreement(marker, len({v.reviewer for v in mine}), len({v.verdict for v in mine}) <= 1)
