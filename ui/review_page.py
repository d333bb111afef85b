"""Reviewers' side: verdicts per citation, thumbs per answer, and the review view.

Every answer shown in the chat is recorded (``record``) with its question, citations and cited
passages, so the review view can list it later, open verdicts first, claim beside passage.
"""

from __future__ import annotations

import datetime as dt
import logging

import streamlit as st

from review.store import ReviewStore
from review.types import VERDICT_LABELS, VERDICTS, CitedPassage, ReviewItem
from ui.render import Mark, brief_block, h, marked_html, md_text
from ui.state import ChatTurn

log = logging.getLogger(__name__)

PAGE_SIZE = 10


def review_item(turn: ChatTurn) -> ReviewItem:
    """What a reviewer needs of an answered turn, copied so it outlives the store's contents."""
    answer = turn.answer
    if answer is None:
        raise ValueError(f"turn {turn.id} has no answer to review")
    cited = []
    for c in answer.citations:
        hit = turn.hit(c.chunk_id)
        chunk = hit.chunk if hit else None
        cited.append(CitedPassage(
            marker=c.marker, chunk_id=c.chunk_id, source=c.source, title=c.title or (chunk.title if chunk else ""),
            date=chunk.date if chunk else "", page=chunk.page if chunk else None,
            start=chunk.start if chunk else c.start, end=chunk.end if chunk else c.end, doc_id=c.doc_id,
            passage=chunk.text if chunk else c.quote, quote=c.quote, claim=turn.claim(c.marker)))
    return ReviewItem(answer_id=turn.id, question=turn.question, answer=answer.text, citations=tuple(cited),
                      created_at=turn.answered_at or turn.asked_at, refused=answer.refused, backend=answer.backend)


def _when(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M")


# -- controls shared by the chat and the review view --------------------------------------

def _save_rating(reviews: ReviewStore, answer_id: str, key: str) -> None:
    value = st.session_state.get(key)
    reviews.set_rating(answer_id, None if value is None else (1 if value == 1 else -1))


def rating_control(reviews: ReviewStore, item: ReviewItem, *, key_prefix: str = "") -> None:
    """Thumbs up or down for a whole answer, saved as soon as it is clicked."""
    key = f"{key_prefix}rate-{item.answer_id}"
    default = None if item.rating is None else (1 if item.rating > 0 else 0)
    st.feedback("thumbs", key=key, default=default, on_change=_save_rating, args=(reviews, item.answer_id, key))


def verdict_controls(reviews: ReviewStore, answer_id: str, marker: int, *, key_prefix: str = "") -> None:
    """Supported / partly / not supported, with an optional comment, for one citation."""
    item = reviews.find(answer_id)
    if item is None:
        st.caption("This answer was not recorded for review.")
        return
    current = item.verdicts.get(marker)
    key = f"{key_prefix}verdict-{answer_id}-{marker}"
    with st.form(key=key, border=False, enter_to_submit=False):
        choice = st.segmented_control(
            f"Does the passage support the claim [{marker}]?", options=list(VERDICTS),
            format_func=lambda v: VERDICT_LABELS[v], default=current.verdict if current else None, key=f"{key}-v")
        comment = st.text_input("Comment (optional)", value=current.comment if current else "", key=f"{key}-c",
                                placeholder="What is missing or wrong?")
        saved = st.form_submit_button("Save verdict", icon=":material/gavel:")
    if saved:
        if choice is None:
            st.warning("Choose supported, partly or not supported first.")
        else:
            verdict = reviews.set_verdict(answer_id, marker, choice, comment)
            st.success(f"Saved: {VERDICT_LABELS[verdict.verdict]}.", icon=":material/check:")
    elif current is not None:
        st.caption(f"Verdict: {VERDICT_LABELS[current.verdict]} · {_when(current.reviewed_at)}")


# -- the review view ----------------------------------------------------------------------

def _passage_html(cited: CitedPassage) -> str:
    """The cited passage with the supporting quote marked inside it."""
    marks = []
    at = cited.passage.find(cited.quote) if cited.quote else -1
    if at >= 0:
        marks.append(Mark(at, at + len(cited.quote), "quote"))
    meta = " · ".join(h(p) for p in (cited.title or cited.source, cited.date,
                                     f"page {cited.page}" if cited.page else "", cited.source) if p)
    return (f'<div class="brief-meta" style="color:#666;font-size:0.85rem">[{cited.marker}] {meta}</div>'
            + brief_block(marked_html(cited.passage, marks)))


def _render_item(reviews: ReviewStore, item: ReviewItem) -> None:
    with st.container(border=True):
        status = "open" if item.is_open else "reviewed"
        top, side = st.columns([0.8, 0.2], vertical_alignment="top")
        top.markdown(f"**{md_text(item.question)}**")
        side.badge(status, color="orange" if item.is_open else "green")
        st.caption(f"{_when(item.created_at)} · {md_text(item.backend or 'unknown backend')}"
                   + (" · refused" if item.refused else ""))
        st.markdown(md_text(item.answer))
        rating_control(reviews, item, key_prefix="review-")
        if not item.citations:
            st.caption("No citations: rate the answer as a whole.")
        for cited in item.citations:
            claim_col, passage_col = st.columns(2, gap="medium")
            with claim_col:
                st.markdown(f"**Claim [{cited.marker}]**")
                st.markdown(md_text(cited.claim or "(sentence not found)"))
                verdict_controls(reviews, item.answer_id, cited.marker, key_prefix="review-")
            with passage_col:
                st.html(_passage_html(cited))


def render_review_page(reviews: ReviewStore) -> None:
    """Answers with their claims and cited passages side by side, open verdicts first."""
    st.title("Review")
    counts = reviews.counts()
    cols = st.columns(5)
    for col, (label, key) in zip(cols, (("Answers", "answers"), ("Open", "open"), ("Supported", "supported"),
                                        ("Partly", "partly"), ("Not supported", "not_supported"))):
        col.metric(label, counts[key])
    left, mid, right = st.columns([0.5, 0.25, 0.25], vertical_alignment="bottom")
    only_open = left.toggle("Open answers only", key="review-only-open")
    mid.download_button("Export CSV", reviews.export_csv(), file_name="verdicts.csv", mime="text/csv",
                        icon=":material/download:", on_click="ignore", width="stretch")
    right.download_button("Export JSONL", reviews.export_jsonl(), file_name="verdicts.jsonl",
                          mime="application/jsonl", icon=":material/download:", on_click="ignore", width="stretch")
    items = [i for i in reviews.items() if i.is_open or not only_open]
    if not items:
        st.info("Nothing to review yet: answers asked in the chat appear here." if not only_open
                else "No open answers: every citation has a verdict.")
        return
    shown = st.session_state.setdefault("review-shown", PAGE_SIZE)
    for item in items[:shown]:
        _render_item(reviews, item)
    if len(items) > shown:
        if st.button(f"Show {min(PAGE_SIZE, len(items) - shown)} more", key="review-more"):
            st.session_state["review-shown"] = shown + PAGE_SIZE
            st.rerun()
