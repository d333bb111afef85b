"""One question of a conversation and, once it is done, its answer (or the error that stopped it)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from answer.types import Answer, Citation
from retrieval.filters import Filters
from vectorstore.types import Hit


@dataclass
class ChatTurn:
    """A question and, once it is done, its answer (or the error that stopped it).

    Mutable on purpose: the answer is attached to the same turn when it is complete, so a run
    cut off while streaming leaves the turn pending and the next run answers it.
    """

    question: str
    filters: Filters | None = None
    k: int = 5
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    asked_at: float = field(default_factory=time.time)
    answer: Answer | None = None
    error: str | None = None
    answered_at: float | None = None
    overview_of: str | None = None  # doc_id: this turn asks for that brief's overview, not a question

    @property
    def pending(self) -> bool:
        return self.answer is None and self.error is None

    def citation(self, marker: int) -> Citation | None:
        if self.answer is None:
            return None
        return next((c for c in self.answer.citations if c.marker == marker), None)

    def hit(self, chunk_id: str) -> Hit | None:
        if self.answer is None:
            return None
        return next((h for h in self.answer.retrieved if h.chunk.id == chunk_id), None)

    def claim(self, marker: int) -> str:
        """The answer sentence that carries ``[marker]`` ("" when not found)."""
        if self.answer is None:
            return ""
        return next((s.text for s in self.answer.sentences if marker in s.markers), "")
