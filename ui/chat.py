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
from ui.answer_text import answer_text, citation_place
from ui.export import describe_filters
from ui.reader import open_reader
from ui.render import md_piece, md_text
from ui.review_page import rating_control, review_item
from ui.sources import render_nearby, render_sources
from ui.state import READER, ChatTurn, ReaderTarget, history_before, turns
from vectorstore.errors import BriefsError

log = logging.getLogger(__name__)


class Streamer(Protocol):
    """What the chat needs of ``answer.assistant.Assistant``."""

    def stream(self, question: str, *, history: Sequence[Turn] = (), filters: Filters | None = None,
               k: int | None = None) -> Iterator[str | Answer]: ...

    def overview(self, doc_id: str) -> Answer: ...


QUOTE_WORDS = 5


SHORT_TITLE = 28  # characters of a brief's title on a citation button


def short_title(title: str, others: Sequence[str] = ()) -> str:
    """``title`` in at most ``SHORT_TITLE`` characters for a citation button; when another title of the same
    answer (``others``) opens with the same words as far as the cut, the words they share are elided
    ("…Residential Clean Energy Credit" beside "…Energy Efficient Home…": a trial's comparison of two
    "Preliminary Data on the IRA ..." briefs had every button read "Preliminary Data on the IR…")."""
    if len(title) <= SHORT_TITLE:
        return title
    cut = title[:SHORT_TITLE - 2].rstrip()
    rivals = [o for o in others if o != title and o.startswith(cut)]
    if rivals:
        words, shared = title.split(), 0
        for other in rivals:
            common = 0
            for mine, theirs in zip(words, other.split()):
                if mine != theirs:
                    break
                common += 1
            shared = max(shared, common)
        rest = " ".join(words[shared:])
        return "…" + (rest if len(rest) <= SHORT_TITLE - 1 else rest[:SHORT_TITLE - 3].rstrip() + "…")
    return cut + "…"


def citation_label(citation, hit, others: Sequence[str] = ()) -> str:
    """A citation button's text: marker, brief (short: ``short_title`` among the answer's other cited titles
    ``others``), the page its quote starts on and the quote's first words."""
    chunk = hit.chunk if hit else None
    title = citation.title or (chunk.title if chunk else "") or citation.source
    short = short_title(title, others)
    words = citation.quote.split()
    opening = " ".join(words[:QUOTE_WORDS]) + ("…" if len(words) > QUOTE_WORDS else "")
    number = citation.page or (chunk.page if chunk is not None else None)  # the quote's page, not the passage's first
    page = f" · p. {number}" if number else ""
    return f"[{citation.marker}] {short}{page} · “{opening}”"


def _retry(turn: ChatTurn) -> None:
    turn.error = None


def _citation_buttons(turn: ChatTurn) -> None:
    answer = turn.answer
    if answer is None or not answer.citations:
        return
    target: ReaderTarget | None = st.session_state.get(READER)
    titles = list(dict.fromkeys(c.title or c.source for c in answer.citations))
    with st.container(horizontal=True, gap="small"):
        for c in answer.citations:
            hit = turn.hit(c.chunk_id)
            active = target is not None and target.turn_id == turn.id and target.marker == c.marker
            st.button(md_text(citation_label(c, hit, titles)), key=f"cite-{turn.id}-{c.marker}", on_click=open_reader,
                      args=(turn.id, c.chunk_id, c.marker), type="primary" if active else "secondary",
                      help=md_text(f"Open [{c.marker}]: {citation_place(c, hit)}" + ("" if c.supported else " (weak support)")),
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
    _reading_line(answer)
    clicked = answer_text(answer, key=f"answer-{turn.id}")
    if clicked is not None:
        citation = turn.citation(clicked)
        if citation is not None:
            open_reader(turn.id, citation.chunk_id, citation.marker)
    if answer.generation is not None and (summary := answer.generation.summary()):
        st.caption(f":material/info: {md_text(summary)}.")
    if answer.standalone_question and (answer.refused or _differs(answer.standalone_question, turn.question)):
        st.caption(f"Interpreted as: {md_text(answer.standalone_question)}")
    if answer.refused:
        render_nearby(turn)
    if answer.unsupported:
        n = len(answer.unsupported)
        st.caption(f":material/warning: {n} sentence{'s' if n > 1 else ''} not backed by {'their' if n > 1 else 'its'} "
                   "cited passage — check before relying on it.")
    _citation_buttons(turn)
    item = reviews.find(turn.id) if reviews is not None else None
    if reviews is not None and item is not None:
        rating_control(reviews, item)
    render_sources(turn)


def _differs(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) != " ".join(b.casefold().split())


def _reading_line(answer: Answer) -> None:
    """ "Reading: <title> (<date>)" for the briefs the answer's plan read (``Answer.reading_line``)."""
    if answer.reading_line:
        st.caption(md_text(answer.reading_line))


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


def _load_local_model(assistant: Streamer) -> None:
    """Load a local chat model before its first answer, with progress, instead of a silent wait."""
    from answer.local_model import LocalChatModel

    model = getattr(assistant, "chat_model", None)
    if not isinstance(model, LocalChatModel) or model.loaded:
        return
    with st.status(f"Loading the local model {model.name_for_people} (first answer only)…") as status:
        bar = st.progress(0.0)

        def progress(fraction: float, what: str) -> None:
            bar.progress(fraction, text=what)

        model.load(progress=progress)
        status.update(label=f"Local model loaded in {model.load_seconds:.0f} s", state="complete", expanded=False)


def answer_turn(turn: ChatTurn, assistant: Streamer, history: Sequence[Turn], reviews: ReviewStore | None,
                *, backend: str) -> None:
    """Stream the answer to a pending turn into the page, then attach it to the turn."""
    slot = st.empty()
    holder: list[Answer] = []
    try:
        _load_local_model(assistant)
        with slot.container():
            with st.spinner("Searching the briefs…" if turn.overview_of is None else "Reading the brief…"):
                stream: Iterator[str | Answer]
                if turn.overview_of is not None:
                    stream = iter([assistant.overview(turn.overview_of)])
                else:
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


def render_chat(assistant: Streamer | None, reviews: ReviewStore | None, *, backend: str,
                brief_titles: dict[str, str] | None = None) -> None:
    """Every turn of this session; pending ones are answered now, in the order they were asked."""
    for turn in turns(st.session_state):
        with st.chat_message("user"):
            st.markdown(md_text(turn.question))
            if turn.filters is not None:
                st.caption("Filtered: " + md_text(describe_filters(turn.filters, brief_titles)))
        with st.chat_message("assistant"):
            if turn.pending and assistant is not None:
                answer_turn(turn, assistant, history_before(st.session_state, turn), reviews, backend=backend)
            elif turn.pending:
                st.caption("Waiting for the index…")
            else:
                render_answer(turn, reviews)
