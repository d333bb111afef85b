"""Reviewers' side: verdicts per citation, thumbs per answer, and the review view.

Every answer shown in the chat is recorded (``record``) with its question, citations and cited
passages, so the review view can list it later, open verdicts first, claim beside passage.
Verdicts carry the reviewer's name (``ui.identity``); each reviewer has their own verdict per
citation, and where two or more judged the same citation the page shows whether they agree.
The list keeps the order it had when the page was opened, so a card does not jump away while
its reviewer works on it; "Refresh the list" re-sorts it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import streamlit as st

from review.store import ReviewStore
from review.types import VERDICT_LABELS, VERDICTS, CitedPassage, ReviewItem
from ui.render import Mark, Window, brief_block, h, marked_html, md_text
from ui.state import ChatTurn

log = logging.getLogger(__name__)

PAGE_SIZE = 10
ORDER = "review-order"  # the answer ids in the order the list was drawn first
FOLD_CHARS = 400  # passages longer than this are folded to the cited sentence and its neighbours
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+")


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
            date=chunk.date if chunk else "", page=c.page or (chunk.page if chunk else None),
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


def _others(item: ReviewItem, marker: int, reviewer: str) -> str:
    """Other reviewers' verdicts on the citation, and whether everyone agrees ("" when nobody else judged it)."""
    others = [v for v in item.judgements if v.marker == marker and v.reviewer != reviewer]
    if not others:
        return ""
    named = "; ".join(f"{v.reviewer or 'unnamed reviewer'}: {VERDICT_LABELS[v.verdict]}" for v in others)
    agreement = item.agreement(marker)
    verdict = "agree" if agreement.agree else "disagree"
    return f"{named} — {agreement.reviewers} reviewers {verdict}" if agreement.reviewers >= 2 else named


def verdict_controls(reviews: ReviewStore, answer_id: str, marker: int, *, key_prefix: str = "",
                     reviewer: str = "") -> None:
    """Supported / partly / not supported, with an optional comment, for one citation, saved under ``reviewer``."""
    item = reviews.find(answer_id)
    if item is None:
        st.caption("This answer was not recorded for review.")
        return
    current = item.verdict_of(marker, reviewer)
    key = f"{key_prefix}verdict-{answer_id}-{marker}"
    with st.form(key=key, border=False, enter_to_submit=False):
        choice = st.segmented_control(
            f"Does the passage support the claim [{marker}]?", options=list(VERDICTS),
            format_func=lambda v: VERDICT_LABELS[v], default=current.verdict if current else None, key=f"{key}-v")
        comment = st.text_input("Comment (optional)", value=current.comment if current else "", key=f"{key}-c",
                                placeholder="What is missing or wrong?")
        saved = st.form_submit_button("Save verdict", icon=":material/gavel:")
    who = f" by {reviewer}" if reviewer else ""
    if saved:
        if choice is None:
            st.warning("Choose supported, partly or not supported first.")
        else:
            verdict = reviews.set_verdict(answer_id, marker, choice, comment, reviewer=reviewer)
            st.success(md_text(f"Saved{who}: {VERDICT_LABELS[verdict.verdict]}."), icon=":material/check:")
            item = reviews.get(answer_id)
    elif current is not None:
        st.caption(md_text(f"Your verdict{who}: {VERDICT_LABELS[current.verdict]} · {_when(current.reviewed_at)}"))
    others = _others(item, marker, reviewer)
    if others:
        st.caption(md_text(f"Other reviewers: {others}"))


# -- the review view ----------------------------------------------------------------------

def fold(passage: str, start: int, end: int, *, neighbours: int = 1) -> tuple[int, int]:
    """The span of ``passage`` holding ``[start, end)`` plus ``neighbours`` sentences on each side.

    Sentences end at ``.``, ``!``, ``?`` or ``…`` followed by white space (a rule, not a parser:
    "U.S. allies" may cut early, which only shows a little less context).
    """
    if not 0 <= start <= end <= len(passage):
        raise ValueError(f"span [{start}, {end}) lies outside the passage of {len(passage)} characters")
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(passage)] + [len(passage)]
    first = max(i for i, b in enumerate(bounds) if b <= start)
    last = min(i for i, b in enumerate(bounds) if b >= end)
    return bounds[max(0, first - neighbours)], bounds[min(len(bounds) - 1, last + neighbours)]


def _passage_html(cited: CitedPassage, *, folded: bool = True) -> str:
    """The cited passage with the supporting quote marked; folded to the quote's sentence and its neighbours."""
    marks = []
    at = cited.passage.find(cited.quote) if cited.quote else -1
    if at >= 0:
        marks.append(Mark(at, at + len(cited.quote), "quote"))
    meta = " · ".join(h(p) for p in (cited.title or cited.source, cited.date,
                                     f"page {cited.page}" if cited.page else "") if p)
    head = f'<div class="brief-meta" style="color:#666;font-size:0.85rem">[{cited.marker}] {meta}</div>'
    if folded and at >= 0 and len(cited.passage) > FOLD_CHARS:
        lo, hi = fold(cited.passage, at, at + len(cited.quote))
        return head + brief_block(marked_html(cited.passage, marks, window=Window(lo, hi)))
    return head + brief_block(marked_html(cited.passage, marks))


def _mark_all_supported(reviews: ReviewStore, item: ReviewItem, reviewer: str) -> None:
    for cited in item.citations:
        if item.verdict_of(cited.marker, reviewer) is None:
            reviews.set_verdict(item.answer_id, cited.marker, "supported", reviewer=reviewer)
    for cited in item.citations:  # the forms show what is stored now
        st.session_state.pop(f"review-verdict-{item.answer_id}-{cited.marker}-v", None)


def _render_item(reviews: ReviewStore, item: ReviewItem, reviewer: str) -> None:
    with st.container(border=True):
        status = "refused" if item.refused and not item.citations else "open" if item.is_open else "reviewed"
        top, side = st.columns([0.8, 0.2], vertical_alignment="top")
        top.markdown(f"**{md_text(item.question)}**")
        side.badge(status, color="orange" if status == "open" else "green" if status == "reviewed" else "gray")
        st.caption(f"{_when(item.created_at)} · {md_text(item.backend or 'unknown backend')}"
                   + (" · refused" if item.refused else ""))
        st.markdown(md_text(item.answer))
        rating_col, all_col = st.columns([0.6, 0.4], vertical_alignment="center")
        with rating_col:
            rating_control(reviews, item, key_prefix="review-")
        unjudged = [c.marker for c in item.citations if item.verdict_of(c.marker, reviewer) is None]
        if len(item.citations) > 1 and unjudged:
            all_col.button(f"Mark all {len(unjudged)} supported" if len(unjudged) < len(item.citations)
                           else "Mark all supported", key=f"review-all-{item.answer_id}",
                           icon=":material/done_all:", on_click=_mark_all_supported, args=(reviews, item, reviewer),
                           help="Record “Supported” for every citation you have not judged yet")
        if not item.citations:
            st.caption("The assistant declined to answer: nothing is claimed, so there is nothing to verify."
                       if item.refused else "No citations: rate the answer as a whole.")
        for cited in item.citations:
            claim_col, passage_col = st.columns(2, gap="medium")
            with claim_col:
                st.markdown(f"**Claim [{cited.marker}]**")
                st.markdown(md_text(cited.claim or "(sentence not found)"))
                verdict_controls(reviews, item.answer_id, cited.marker, key_prefix="review-", reviewer=reviewer)
            with passage_col:
                st.html(_passage_html(cited))
                if len(cited.passage) > FOLD_CHARS and cited.quote in cited.passage:
                    with st.expander("Whole passage"):
                        st.html(_passage_html(cited, folded=False))


def _reset_order() -> None:
    st.session_state.pop(ORDER, None)


def render_review_page(reviews: ReviewStore, *, reviewer: str = "") -> None:
    """Answers with their claims and cited passages side by side, open verdicts first (as of opening the page)."""
    st.title("Review")
    if reviewer:
        st.caption(md_text(f"Reviewing as {reviewer}: your verdicts are recorded under this name."))
    else:
        st.caption("Your verdicts are recorded without a name: type your name in the sidebar to sign them.")
    counts = reviews.counts()
    cols = st.columns(5)
    for col, (label, key) in zip(cols, (("Answers", "answers"), ("Open", "open"), ("Supported", "supported"),
                                        ("Partly", "partly"), ("Not supported", "not_supported"))):
        col.metric(label, counts[key])
    if counts["judged_twice"]:
        st.caption(f"Agreement: on {counts['agreed']} of the {counts['judged_twice']} citations judged by two or "
                   f"more reviewers, all gave the same verdict ({counts['agreed'] / counts['judged_twice']:.0%}).")
    left, mid, right = st.columns([0.5, 0.25, 0.25], vertical_alignment="bottom")
    only_open = left.toggle("Open answers only", key="review-only-open", on_change=_reset_order)
    mid.download_button("Export CSV", reviews.export_csv(), file_name="verdicts.csv", mime="text/csv",
                        icon=":material/download:", on_click="ignore", width="stretch")
    right.download_button("Export JSONL", reviews.export_jsonl(), file_name="verdicts.jsonl",
                          mime="application/jsonl", icon=":material/download:", on_click="ignore", width="stretch")
    current = {i.answer_id: i for i in reviews.items()}
    order = st.session_state.get(ORDER)
    if order is None:  # first drawing: open first, newest first; kept until the reviewer refreshes
        order = [a for a, i in current.items() if i.is_open or not only_open]
        st.session_state[ORDER] = order
    items = [current[a] for a in order if a in current]
    new = sum(1 for a, i in current.items() if a not in order and (i.is_open or not only_open))
    if new:
        st.button(f"{new} new answer{'s' if new > 1 else ''} to review: refresh the list", key="review-refresh",
                  icon=":material/refresh:", on_click=_reset_order)
    if not items:
        st.info("Nothing to review yet: answers asked in the chat appear here." if not only_open
                else "No open answers: every citation has a verdict.")
        return
    shown = st.session_state.setdefault("review-shown", PAGE_SIZE)
    for item in items[:shown]:
        _render_item(reviews, item, reviewer)
    if len(items) > shown:
        if st.button(f"Show {min(PAGE_SIZE, len(items) - shown)} more", key="review-more"):
            st.session_state["review-shown"] = shown + PAGE_SIZE
            st.rerun()
