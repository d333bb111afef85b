"""The conversation store: turns survive a reopen exactly, each user sees only their own."""

from __future__ import annotations

import sqlite3

import pytest

from answer.types import Answer, AnswerSentence, Citation
from conversations.codec import turn_from_json, turn_to_json
from conversations.store import ConversationNotFound, ConversationStore
from conversations.turn import ChatTurn
from retrieval.filters import Filters
from vectorstore.types import Chunk, Hit

TEXT = "Kim Jong-un has launched seventy-four missiles since 2012. Japan invested in missile defense."


def _answered_turn() -> ChatTurn:
    chunk = Chunk(id="c1", doc_id="d1", source="001.txt", start=0, end=len(TEXT), text=TEXT, index=0, page=3,
                  title="Uncertainty Among U.S. Allies", date="2017-05-08", series="Expert Brief", authors=("S. Smith",))
    citation = Citation(marker=1, chunk_id="c1", doc_id="d1", source="001.txt", title=chunk.title, start=0, end=57,
                        quote=TEXT[:57], support=0.91, supported=True)
    answer = Answer(question="How many missiles?", text=f"{TEXT[:57]} [1]", citations=(citation,),
                    sentences=(AnswerSentence(TEXT[:57], (1,), 0.91, True),),
                    retrieved=(Hit(chunk, 0.8, 1, dense_score=0.6, keyword_score=None),),
                    standalone_question="How many missiles has Kim launched?", evidence=0.7)
    return ChatTurn(question="How many missiles?", filters=Filters(doc_ids=("d1",), date_from="2017-01-01"), k=4,
                    answer=answer, answered_at=123.5)


def test_a_turn_round_trips_through_json_unchanged():
    turn = _answered_turn()
    again = turn_from_json(turn_to_json(turn))
    assert again == turn
    assert again.answer.retrieved[0].chunk.authors == ("S. Smith",)
    assert again.filters.doc_ids == ("d1",)


def test_unknown_fields_are_dropped_and_missing_ones_default():
    text = turn_to_json(ChatTurn(question="q")).replace('"question": "q"', '"question": "q", "from_the_future": 1')
    assert turn_from_json(text).question == "q"
    assert turn_from_json('{"question": "only this"}').k == 5
    with pytest.raises(ValueError, match="not valid JSON"):
        turn_from_json("{broken")


def test_conversations_survive_a_reopen_in_order(tmp_path):
    path = tmp_path / "conversations.sqlite3"
    store = ConversationStore(path)
    conversation = store.create("oidc:ana", "  How many   missiles?  ")
    assert conversation.title == "How many missiles?"
    answered, pending = _answered_turn(), ChatTurn(question="And Japan?")
    store.save_turns(conversation.id, [(0, answered), (1, pending)])
    pending.error = "interrupted"
    store.save_turns(conversation.id, [(1, pending)])  # saved again: replaced, not duplicated

    reopened = ConversationStore(path)
    turns = reopened.turns(conversation.id)
    assert [t.question for t in turns] == ["How many missiles?", "And Japan?"]
    assert turns[0] == answered and turns[1].error == "interrupted"
    assert reopened.get(conversation.id).turns == 2


def test_each_user_lists_renames_and_deletes_only_their_own(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite3")
    ana = store.create("oidc:ana", "Ana's question")
    bob = store.create("header:bob", "Bob's question")
    assert [c.id for c in store.list("oidc:ana")] == [ana.id]
    assert [c.id for c in store.list("header:bob")] == [bob.id]
    with pytest.raises(ConversationNotFound):
        store.rename(bob.id, "mine now", owner="oidc:ana")
    with pytest.raises(ConversationNotFound):
        store.delete(bob.id, owner="oidc:ana")
    assert store.rename(ana.id, "Missiles", owner="oidc:ana").title == "Missiles"
    store.save_turns(ana.id, [(0, ChatTurn(question="q"))])
    store.delete(ana.id, owner="oidc:ana")
    assert store.get(ana.id) is None and store.turns(ana.id) == []
    with pytest.raises(ValueError, match="cannot be empty"):
        store.rename(bob.id, "   ", owner="header:bob")


def test_most_recently_used_first(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite3")
    first = store.create("u", "first")
    second = store.create("u", "second")
    store.save_turns(first.id, [(0, ChatTurn(question="again"))])
    assert [c.title for c in store.list("u")] == ["first", "second"]
    assert second.id != first.id and len(first.id) == 32


def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "c.sqlite3"
    ConversationStore(path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(ValueError, match="schema version 99"):
        ConversationStore(path)
