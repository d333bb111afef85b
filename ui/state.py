"""One browser session's conversation, kept in ``st.session_state`` (never shared between sessions).

The turns are also kept in ``conversations.store`` (see ``ui.conversation``), under the
conversation id that ``CONVERSATION`` holds and the page URL carries, so a reload or a
restart finds them again. A question becomes a ``ChatTurn`` the moment it is asked, before any answer exists. The answer
is attached to that same turn when it is complete. A run that is cut off while streaming (the
user asked again, or moved a filter) leaves the turn pending, and the next run answers it
first: no question is lost, and none is answered twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, MutableMapping

from answer.types import Turn
from conversations.turn import ChatTurn
from retrieval.filters import Filters

__all__ = ["ChatTurn", "ReaderTarget", "ask", "clear", "find_turn", "history_before", "turns"]

TURNS = "turns"
READER = "reader"
CONVERSATION = "conversation"  # id of the kept conversation this session shows (None before the first question)
SAVED = "conversation-saved"  # turn id -> the state of the turn when it was last saved


@dataclass(frozen=True)
class ReaderTarget:
    """What the reader panel shows: a passage of a turn, opened from a citation or a source."""

    turn_id: str
    chunk_id: str
    marker: int | None = None  # set when opened from a citation
    whole: bool = False  # show the whole brief, passage marked


def turns(state: MutableMapping[Any, Any]) -> list[ChatTurn]:
    return state.setdefault(TURNS, [])


def ask(state: MutableMapping[Any, Any], question: str, *, filters: Filters | None, k: int,
        overview_of: str | None = None) -> ChatTurn:
    """Record a new question (or, with ``overview_of``, a brief's overview) as a pending turn and return it."""
    turn = ChatTurn(question=question.strip(), filters=filters, k=k, overview_of=overview_of)
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
    """Start a new conversation (the kept one stays in the store)."""
    state[TURNS] = []
    for key in (READER, CONVERSATION, SAVED):
        state.pop(key, None)


def load(state: MutableMapping[Any, Any], conversation_id: str, loaded: list[ChatTurn]) -> None:
    """Show the kept conversation ``conversation_id`` with its turns in this session."""
    clear(state)
    state[TURNS] = loaded
    state[CONVERSATION] = conversation_id
    state[SAVED] = {t.id: saved_state(t) for t in loaded}


def saved_state(turn: ChatTurn) -> tuple[bool, str | None]:
    """What decides whether a turn must be saved again: answered or not, and its error."""
    return (turn.answer is not None, turn.error)
