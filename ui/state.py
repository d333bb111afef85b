"""One browser session's conversation, kept in ``st.session_state`` (never shared between sessions).

A question becomes a ``ChatTurn`` the moment it is asked, before any answer exists. The answer
is attached to that same turn when it is complete. A run that is cut off while streaming (the
user asked again, or moved a filter) leaves the turn pending, and the next run answers it
first: no question is lost, and none is answered twice.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any, MutableMapping

from answer.types import Answer, Citation, Turn
from retrieval.filters import Filters
from vectorstore.types import Hit

TURNS = "turns"
READER = "reader"


@dataclass
class ChatTurn:
    """A question and, once it is done, its answer (or the error that stopped it)."""

    question: str
    filters: Filters | None = None
    k: int = 5
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    asked_at: float = field(default_factory=time.time)
    answer: Answer | None = None
    error: str | None = None
    answered_at: float | None = None

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


@dataclass(frozen=True)
class ReaderTarget:
    """What the reader panel shows: a passage of a turn, opened from a citation or a source."""

    turn_id: str
    chunk_id: str
    marker: int | None = None  # set when opened from a citation
    whole: bool = False  # show the whole brief, passage marked


def turns(state: MutableMapping[Any, Any]) -> list[ChatTurn]:
    return state.setdefault(TURNS, [])


def ask(state: MutableMapping[Any, Any], question: str, *, filters: Filters | None, k: int) -> ChatTurn:
    """Record a new question as a pending turn and return it."""
    turn = ChatTurn(question=question.strip(), filters=filters, k=k)
    turns(state).append(turn)
    return turn


def find_turn(state: MutableMapping[Any, Any], turn_id: str) -> ChatTurn | None:
    return next((t for t in turns(state) if t.id == turn_id), None)


def history_before(state: MutableMapping[Any, Any], turn: ChatTurn) -> list[Turn]:
    """The answered turns before ``turn``, as the answerer wants them for follow-ups."""
    earlier: list[Turn] = []
    for t in turns(state):
        if t.id == turn.id:
            break
        if t.answer is not None:
            earlier.append(Turn.from_answer(t.answer))
    return earlier


def clear(state: MutableMapping[Any, Any]) -> None:
    state[TURNS] = []
    state.pop(READER, None)
