"""The reader panel: a cited passage highlighted in its surrounding text, then the whole brief.

Brief text is only ever shown through ``ui.render.marked_html`` (escaped) and ``st.html``.
"""

from __future__ import annotations

import logging
from typing import Callable

import streamlit as st

from review.store import ReviewStore
from ui.render import Mark, brief_block, context_window, h, marked_html
from ui.state import READER, ChatTurn, ReaderTarget, find_turn
from vectorstore.store import ChromaStore
from vectorstore.types import Chunk

log = logging.getLogger(__name__)


def open_reader(turn_id: str, chunk_id: str, marker: int | None = None) -> None:
    """Button callback: show this passage in the reader panel."""
    st.session_state[READER] = ReaderTarget(turn_id, chunk_id, marker)


def close_reader() -> None:
    st.session_state.pop(READER, None)


def _toggle_whole() -> None:
    target: ReaderTarget | None = st.session_state.get(READER)
    if target is not None:
        st.session_state[READER] = ReaderTarget(target.turn_id, target.chunk_id, target.marker, not target.whole)


def _meta_line(chunk: Chunk, page: int | None = None) -> str:
    page = page or chunk.page  # a citation's page is the quote's, which may follow the passage's first
    parts = [chunk.date or "undated", chunk.series or "", f"page {page}" if page else "",
             f"section “{chunk.section}”" if chunk.section else "",
             "" if chunk.title else chunk.source]  # the file name only when there is no title to go by
    return " · ".join(h(p) for p in parts if p)


def _chunk_for(turn: ChatTurn, chunk_id: str, store: ChromaStore) -> Chunk | None:
    hit = turn.hit(chunk_id)
    if hit is not None:
        return hit.chunk
    found = store.get_chunks([chunk_id])
    return found[0] if found else None


@st.dialog("Passage", width="large", on_dismiss=close_reader)
def reader_dialog(store: ChromaStore, reviews: ReviewStore | None,
                  verdict_controls: Callable[[ReviewStore, str, int], None] | None = None) -> None:
    """The reader as a modal: opened while ``st.session_state[READER]`` names a passage.

    The target is read from session state, not from arguments, because widgets inside the
    dialog rerun only this function, with the arguments of the original call.
    """
    target: ReaderTarget | None = st.session_state.get(READER)
    turn = find_turn(st.session_state, target.turn_id) if target else None
    if target is None or turn is None:
        close_reader()
        st.rerun()
        return
    render_reader(target, turn, store, reviews, verdict_controls)
    if st.button("Close", key="reader-close", icon=":material/close:"):
        close_reader()
        st.rerun()


def render_reader(target: ReaderTarget, turn: ChatTurn, store: ChromaStore, reviews: ReviewStore | None,
                  verdict_controls: Callable[[ReviewStore, str, int], None] | None = None) -> None:
    """The passage of ``target`` with its brief's title, date, series and page, highlighted in context."""
    citation = turn.citation(target.marker) if target.marker is not None else None
    chunk = _chunk_for(turn, target.chunk_id, store)
    st.caption(f"Citation [{target.marker}]" if citation else "Retrieved passage")
    if chunk is None:
        st.warning("This passage is no longer in the index (its brief was removed or replaced).")
        return

    title = chunk.title or (citation.title if citation else "") or chunk.source
    st.html(f'<div class="brief-title"><strong style="font-size:1.15rem">{h(title)}</strong></div>'
            f'<div class="brief-meta" style="color:#666;font-size:0.88rem">{_meta_line(chunk, citation.page if citation else None)}</div>')
    if citation is not None:
        claim = turn.claim(citation.marker)
        verdict = "checked: the quote supports the claim" if citation.supported else "⚠ weak support for the claim"
        st.html(f'<div class="brief-meta" style="font-size:0.9rem">Cited for: <em>{h(claim or "—")}</em><br>'
                f'Support {citation.support:.2f} — {h(verdict)}</div>')

    text = store.document_text(chunk.doc_id)
    marks = [Mark(span.start, span.end, "debris") for span in store.document_debris(chunk.doc_id)]
    marks.append(Mark(chunk.start, chunk.end, "passage"))
    if citation is not None and citation.doc_id == chunk.doc_id:
        marks.append(Mark(citation.start, citation.end, "quote"))
    if text is None or text[chunk.start:chunk.end] != chunk.text:
        st.info("The brief's full text is not available; showing the passage as it was retrieved.")
        local = [Mark(m.start - chunk.start, m.end - chunk.start, m.css) for m in marks]
        st.html(brief_block(marked_html(chunk.text, [m for m in local if 0 <= m.start <= m.end <= len(chunk.text)])))
        return

    if not target.whole:
        window = context_window(text, chunk.start, chunk.end, context_chars=400)
        st.html(brief_block(marked_html(text, marks, window=window, anchor=f"cited-{target.chunk_id[:12]}")))
        st.button("Read the whole brief", key="reader-whole", icon=":material/menu_book:", on_click=_toggle_whole)
    else:
        st.button("Back to the passage", key="reader-whole", icon=":material/arrow_back:", on_click=_toggle_whole)
        position = round(100 * chunk.start / max(1, len(text)))
        anchor = f"cited-{target.chunk_id[:12]}"
        st.html(f'<div class="brief-meta" style="font-size:0.88rem">The passage starts {position}% into the brief. '
                f'<a href="#{h(anchor)}">Jump to it ↓</a></div>')
        st.html(brief_block(marked_html(text, marks, anchor=anchor), scroll=True))

    if citation is not None and reviews is not None and verdict_controls is not None:
        verdict_controls(reviews, turn.id, citation.marker)
