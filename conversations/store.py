"""Conversations in SQLite (``<data dir>/conversations.sqlite3``), one list per user.

A conversation belongs to the user key that created it (``ui.identity.User.key``: an OpenID
Connect subject, a reverse proxy's user name, or a typed name). Listing, renaming and deleting
check that key. Like ``review.store``, one connection per call (safe across Streamlit's session
threads), WAL mode, and a busy timeout instead of "database is locked" errors.
"""

from __future__ import annotations

import builtins
import logging
import sqlite3
import time
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from conversations.codec import turn_from_json, turn_to_json
from conversations.turn import ChatTurn
from storage.sqlite import connect, prepare

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
MAX_TITLE = 120

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS conversations (
    id         TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,            -- ui.identity.User.key; '' for nobody in particular
    title      TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    turn_id         TEXT NOT NULL,
    position        INTEGER NOT NULL,
    data            TEXT NOT NULL,       -- conversations.codec JSON of a ChatTurn
    PRIMARY KEY (conversation_id, turn_id)
);
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations(owner, updated_at);
PRAGMA user_version = {SCHEMA_VERSION};
"""


@dataclass(frozen=True)
class Conversation:
    """A kept conversation, without its turns (``ConversationStore.turns`` reads those)."""

    id: str  # 32 hex characters, unguessable: it is also the conversation's link
    owner: str
    title: str
    created_at: float  # epoch seconds
    updated_at: float
    turns: int = 0  # how many questions it holds


class ConversationNotFound(KeyError):
    """No conversation with this id belongs to this user."""


def _title(text: str) -> str:
    title = " ".join(text.split())
    if not title:
        raise ValueError("a conversation title cannot be empty")
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1].rstrip() + "…"


class ConversationStore:
    """Every user's conversations and their turns, as they were shown (answers, citations, passages)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        prepare(self.path, what="conversation", schema=_SCHEMA, version=SCHEMA_VERSION)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        """A fresh connection for one unit of work (``storage.sqlite.connect``)."""
        return connect(self.path)

    # -- conversations ------------------------------------------------------------------

    def create(self, owner: str, title: str) -> Conversation:
        """A new, empty conversation of ``owner``; ``title`` is cut to 120 characters."""
        now = time.time()
        conversation = Conversation(uuid.uuid4().hex, owner, _title(title), now, now)
        with self._connect() as conn:
            conn.execute("INSERT INTO conversations (id, owner, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                         (conversation.id, owner, conversation.title, now, now))
        return conversation

    def get(self, conversation_id: str) -> Conversation | None:
        """The conversation with this id, whoever owns it (check ``owner`` before showing it)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT c.*, (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id) AS n"
                " FROM conversations c WHERE id = ?", (conversation_id,)).fetchone()
        return None if row is None else _conversation(row)

    def list(self, owner: str, *, limit: int = 50) -> list[Conversation]:
        """``owner``'s conversations, most recently used first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT c.*, (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id) AS n"
                " FROM conversations c WHERE owner = ? ORDER BY updated_at DESC, id LIMIT ?", (owner, limit)).fetchall()
        return [_conversation(r) for r in rows]

    def rename(self, conversation_id: str, title: str, *, owner: str) -> Conversation:
        with self._connect() as conn:
            cursor = conn.execute("UPDATE conversations SET title = ? WHERE id = ? AND owner = ?",
                                  (_title(title), conversation_id, owner))
            if cursor.rowcount == 0:
                raise ConversationNotFound(f"no conversation {conversation_id!r} of this user")
        found = self.get(conversation_id)
        assert found is not None
        return found

    def delete(self, conversation_id: str, *, owner: str) -> None:
        """Delete the conversation and its turns (the review store keeps its own copy of answers)."""
        with self._connect() as conn:
            cursor = conn.execute("DELETE FROM conversations WHERE id = ? AND owner = ?", (conversation_id, owner))
            if cursor.rowcount == 0:
                raise ConversationNotFound(f"no conversation {conversation_id!r} of this user")

    # -- turns --------------------------------------------------------------------------

    def save_turns(self, conversation_id: str, turns: Sequence[tuple[int, ChatTurn]]) -> None:
        """Insert or replace turns at their positions; the conversation counts as used now."""
        if not turns:
            return
        with self._connect() as conn:
            if conn.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)).fetchone() is None:
                raise ConversationNotFound(f"no conversation {conversation_id!r}")
            conn.executemany(
                "INSERT INTO turns (conversation_id, turn_id, position, data) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (conversation_id, turn_id) DO UPDATE SET position = excluded.position,"
                " data = excluded.data",
                [(conversation_id, turn.id, position, turn_to_json(turn)) for position, turn in turns])
            conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (time.time(), conversation_id))

    def turns(self, conversation_id: str) -> builtins.list[ChatTurn]:
        """The conversation's turns in the order they were asked; a turn that cannot be read is skipped (logged)."""
        with self._connect() as conn:
            rows = conn.execute("SELECT turn_id, data FROM turns WHERE conversation_id = ? ORDER BY position",
                                (conversation_id,)).fetchall()
        out = []
        for row in rows:
            try:
                out.append(turn_from_json(row["data"]))
            except (ValueError, TypeError) as exc:
                log.error("conversation %s: turn %s cannot be read (%s); skipped", conversation_id, row["turn_id"], exc)
        return out


def _conversation(row: sqlite3.Row) -> Conversation:
    return Conversation(row["id"], row["owner"], row["title"], row["created_at"], row["updated_at"], row["n"])
