"""Kept conversations in the page: opened from the URL, saved as they change, listed in the sidebar.

The URL carries the open conversation's id (``?c=…``), so a reload or a restarted server shows
the same conversation again; the turns themselves live in ``conversations.store``. A
conversation owned by a signed-in user (OpenID Connect or the proxy's header) opens only for
that user; one made under a typed name or by nobody opens for whoever has its link (its id is
128 random bits).
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3

import streamlit as st

from conversations.store import Conversation, ConversationNotFound, ConversationStore
from ui import state
from ui.export import conversation_json, conversation_markdown
from ui.identity import User
from ui.render import md_text

log = logging.getLogger(__name__)

PARAM = "c"
LISTED = 30


def _may_open(conversation: Conversation, user: User) -> bool:
    if conversation.owner.startswith(("oidc:", "header:")):
        return conversation.owner == user.key
    return True


def open_from_url(store: ConversationStore, user: User) -> None:
    """Load the conversation the URL names into this session, unless it is already shown."""
    wanted = st.query_params.get(PARAM)
    if not wanted or wanted == st.session_state.get(state.CONVERSATION):
        return
    conversation = store.get(wanted)
    if conversation is None or not _may_open(conversation, user):
        st.warning("The conversation in this link does not exist (it may have been deleted) or belongs to "
                   "another user. Starting a new one.", icon=":material/warning:")
        st.query_params.pop(PARAM, None)
        state.clear(st.session_state)
        return
    state.load(st.session_state, conversation.id, store.turns(conversation.id))


def persist(store: ConversationStore, user: User) -> None:
    """Save the turns that changed since they were last saved; the first question creates the conversation."""
    turns = state.turns(st.session_state)
    if not turns:
        return
    try:
        conversation_id = st.session_state.get(state.CONVERSATION)
        if conversation_id is None:
            conversation_id = store.create(user.key, turns[0].question).id
            st.session_state[state.CONVERSATION] = conversation_id
        if st.query_params.get(PARAM) != conversation_id:
            st.query_params[PARAM] = conversation_id
        saved = st.session_state.setdefault(state.SAVED, {})
        changed = [(i, t) for i, t in enumerate(turns) if saved.get(t.id) != state.saved_state(t)]
        store.save_turns(conversation_id, changed)
        saved.update({t.id: state.saved_state(t) for _, t in changed})
    except (sqlite3.Error, ValueError, ConversationNotFound) as exc:
        log.exception("cannot save the conversation")
        st.warning(f"This conversation could not be saved: {md_text(str(exc))}", icon=":material/warning:")


# -- sidebar ------------------------------------------------------------------------------

def _open(store: ConversationStore, conversation_id: str) -> None:
    state.load(st.session_state, conversation_id, store.turns(conversation_id))
    st.query_params[PARAM] = conversation_id


def _new() -> None:
    state.clear(st.session_state)
    st.query_params.pop(PARAM, None)


def _rename(store: ConversationStore, user: User, conversation_id: str, key: str) -> None:
    try:
        store.rename(conversation_id, st.session_state.get(key, ""), owner=user.key)
    except (ValueError, ConversationNotFound) as exc:
        st.session_state["conversation-error"] = str(exc)


def _delete(store: ConversationStore, user: User, conversation_id: str) -> None:
    try:
        store.delete(conversation_id, owner=user.key)
    except ConversationNotFound as exc:
        st.session_state["conversation-error"] = str(exc)
        return
    _new()


def _when(epoch: float) -> str:
    when = dt.datetime.fromtimestamp(epoch)
    return f"{when:%H:%M}" if when.date() == dt.date.today() else f"{when:%Y-%m-%d}"


def render_conversations(store: ConversationStore | None, user: User) -> None:
    """The sidebar's conversation section: new, this one (rename, delete, export), the user's others."""
    turns = state.turns(st.session_state)
    current_id = st.session_state.get(state.CONVERSATION)
    current = store.get(current_id) if store is not None and current_id else None
    st.markdown("#### Conversations")
    st.button("New conversation", icon=":material/add_comment:", disabled=not turns, width="stretch",
              on_click=_new, key="new-conversation")
    error = st.session_state.pop("conversation-error", None)
    if error:
        st.warning(md_text(error))
    if turns:
        title = current.title if current else turns[0].question
        with st.container(border=True):
            st.caption("This conversation")
            st.markdown(f"**{md_text(title)}**")
            md_col, json_col = st.columns(2)
            md_col.download_button("Markdown", conversation_markdown(turns, title=title), file_name="conversation.md",
                                   mime="text/markdown", on_click="ignore", width="stretch", key="export-md",
                                   help="Export: questions, the filters used, answers, and each citation's brief "
                                        "title, page and quote")
            json_col.download_button("JSON", conversation_json(turns), file_name="conversation.json",
                                     mime="application/json", on_click="ignore", width="stretch", key="export-json",
                                     help="Export everything, passages and scores included, for processing")
            if current is not None and store is not None and current.owner == user.key:
                rename_col, delete_col = st.columns(2)
                with rename_col.popover("Rename", width="stretch"):
                    key = f"rename-{current.id}"
                    st.text_input("New title", value=current.title, key=key, max_chars=120)
                    st.button("Save title", key=f"rename-save-{current.id}", on_click=_rename,
                              args=(store, user, current.id, key))
                with delete_col.popover("Delete", width="stretch"):
                    st.write("Delete this conversation? Its answers stay on the Review page.")
                    st.button("Delete for good", type="primary", key=f"delete-{current.id}", on_click=_delete,
                              args=(store, user, current.id))
    if store is None:
        return
    if not user.known:
        st.caption("Type your name above to keep a list of your conversations. This one stays at its link.")
        return
    others = [c for c in store.list(user.key, limit=LISTED + 1) if c.id != current_id][:LISTED]
    if not others:
        st.caption("Your earlier conversations will be listed here.")
        return
    st.caption("Earlier conversations")
    for c in others:
        st.button(f"{md_text(c.title)}", key=f"open-{c.id}", on_click=_open, args=(store, c.id), width="stretch",
                  help=f"{c.turns} question{'s' if c.turns != 1 else ''} · last used {_when(c.updated_at)}",
                  icon=":material/chat_bubble:")
