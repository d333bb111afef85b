"""The conversation: questions, streamed answers with inline ``[n]`` markers, citations, sources.

Each run draws the whole history from session state and answers every pending turn in order
(normally only the newest). Answers are streamed into the page, then redrawn in full with
their citation buttons, sources panel and rating.
"""

from __future__ import annotations

import logging
import time
from typing import Iterator, Protocol, Sequence

import streamlit as st

from answer.types import Answer, Turn
from retrieval.filters import Filters
from review.store import ReviewStore
from ui.reader import open_reader
from ui.render import md_piece, md_text
from ui.review_page import rating_control, review_item
from ui.sources import render_sources
from ui.state import READER, ChatTurn, ReaderTarget, history_before, turns
from vectorstore.errors import BriefsError

log = logging.getLogger(__name__)


class Streamer(Protocol):
    """What the chat needs of ``answer.assistant.Assistant``."""

    def stream(self, question: str, *, history: Sequence[Turn] = (), filters: Filters | None = None,
               k: int | None = None) -> Iterator[str | Answer]: ...


def _retry(turn: ChatTurn) -> None:
    turn.error = None


def _citation_buttons(turn: ChatTurn) -> None:
    answer = turn.answer
    if answer is None or not answer.citations:
        return
    target: ReaderTarget | None = st.session_state.get(READER)
    with st.container(horizontal=True, gap="small"):
        for c in answer.citations:
            title = c.title or c.source
            short = title if len(title) <= 32 else title[:30].rstrip() + "…"
            active = target is not None and target.turn_id == turn.id and target.marker == c.marker
            st.button(f"\\[{c.marker}\\] {md_text(short)}", key=f"cite-{turn.id}-{c.marker}", on_click=open_reader,
                      args=(turn.id, c.chunk_id, c.marker), type="primary" if active else "secondary",
                      help=f"Open the passage cited as [{c.marker}]" + ("" if c.supported else " (weak support)"),
                      icon=None if c.supported else ":material/warning:")


def render_answer(turn: ChatTurn, reviews: ReviewStore | None) -> None:
    """A finished turn's answer: text with markers, citation buttons, rating, sources."""
    if turn.error is not None:
        st.error(md_text(turn.error), icon=":material/error:")
        st.button("Try again", key=f"retry-{turn.id}", on_click=_retry, args=(turn,))
        return
    answer = turn.answer
    if answer is None:
        return
    if answer.notice:
        st.info(md_text(answer.notice), icon=":material/info:")
    st.markdown(md_text(answer.text))
    if answer.unsupported:
        n = len(answer.unsupported)
        st.caption(f":material/warning: {n} sentence{'s' if n > 1 else ''} not backed by {'their' if n > 1 else 'its'} "
                   "cited passage — check before relying on it.")
    _citation_buttons(turn)
    item = reviews.find(turn.id) if reviews is not None else None
    if reviews is not None and item is not None:
        rating_control(reviews, item)
    render_sources(turn)


def _stream_pieces(stream: Iterator[str | Answer], holder: list[Answer]) -> Iterator[str]:
    for item in stream:
        if isinstance(item, Answer):
            holder.append(item)
        elif item:
            yield md_piece(item)


def _failure(exc: Exception, backend: str) -> str:
    """A message for an error that is not one of ours (an LLM client's, Chroma's)."""
    message = (f"The answer could not be written ({type(exc).__name__}: {str(exc) or 'no details'}). "
               "Try again in a moment.")
    if backend == "llm":
        message += (" Check that the LLM server is running and reachable, or switch to the offline extractive "
                    "answers (BRIEFS_ANSWER__BACKEND=extractive).")
    return message


def answer_turn(turn: ChatTurn, assistant: Streamer, history: Sequence[Turn], reviews: ReviewStore | None,
                *, backend: str) -> None:
    """Stream the answer to a pending turn into the page, then attach it to the turn."""
    slot = st.empty()
    holder: list[Answer] = []
    try:
        with slot.container():
            with st.spinner("Searching the briefs…"):
                stream = iter(assistant.stream(turn.question, history=history, filters=turn.filters, k=turn.k))
                first = next(stream, None)
            pieces = _stream_pieces(_chain(first, stream), holder)
            st.write_stream(pieces)
        if not holder:
            raise RuntimeError("the answer stream ended without an answer")
        turn.answer, turn.answered_at = holder[0], time.time()
    except BriefsError as exc:
        turn.error = str(exc)
    except ValueError as exc:  # our validation (empty question, bad filter)
        turn.error = str(exc)
    except Exception as exc:  # noqa: BLE001 - the edge: an LLM client's or Chroma's errors become a message
        log.exception("answering %r failed", turn.question)
        turn.error = _failure(exc, backend)
    if turn.answer is not None and reviews is not None:
        try:
            reviews.record_answer(review_item(turn))
        except (ValueError, OSError) as exc:
            log.exception("cannot record answer %s for review", turn.id)
            st.warning(f"The answer could not be recorded for review: {md_text(str(exc))}")
    with slot.container():
        render_answer(turn, reviews)


def _chain(first: str | Answer | None, rest: Iterator[str | Answer]) -> Iterator[str | Answer]:
    if first is not None:
        yield first
    yield from rest


def render_chat(assistant: Streamer | None, reviews: ReviewStore | None, *, backend: str) -> None:
    """Every turn of this session; pending ones are answered now, in the order they were asked."""
    for turn in turns(st.session_state):
        with st.chat_message("user"):
            st.markdown(md_text(turn.question))
            if turn.filters is not None:
                st.caption(_filters_caption(turn.filters))
        with st.chat_message("assistant"):
            if turn.pending and assistant is not None:
                answer_turn(turn, assistant, history_before(st.session_state, turn), reviews, backend=backend)
            elif turn.pending:
                st.caption("Waiting for the index…")
            else:
                render_answer(turn, reviews)


def _filters_caption(filters: Filters) -> str:
    parts = []
    if filters.doc_ids:
        parts.append(f"{len(filters.doc_ids)} brief{'s' if len(filters.doc_ids) > 1 else ''}")
    if filters.date_from or filters.date_to:
        parts.append(f"dated {filters.date_from or '…'} to {filters.date_to or '…'}")
    if filters.series:
        parts.append("series " + md_text(", ".join(filters.series)))
    return "Filtered: " + "; ".join(parts)
