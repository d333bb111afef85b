"""The sources panel under an answer, and the nearby passages under a refusal.

Written for analysts: brief title, date, page and a relevance bar; the fused, dense and keyword
scores, passage ids and file names sit in an expander for those who want them.
"""

from __future__ import annotations

import streamlit as st

from answer.nearby import nearby
from ui.reader import open_reader
from ui.render import h
from ui.state import ChatTurn
from vectorstore.types import Hit

SNIPPET_CHARS = 280
NEARBY = 3


def _score_line(hit: Hit) -> str:
    parts = [f"fused {hit.score:.4f}"]
    if hit.dense_score is not None:
        parts.append(f"dense {hit.dense_score:.3f}")
    if hit.keyword_score is not None:
        parts.append(f"keyword {hit.keyword_score:.2f}")
    return " · ".join(parts)


def relevance(hit: Hit, best: float) -> float | None:
    """The hit's score as a share of the best score of its answer (0..1): comparable within one answer only.
    None when no passage of the answer has a score (a summary, a timeline: the brief was read whole, in text
    order, not ranked), so no card claims "0% of the best"."""
    return max(0.0, min(1.0, hit.score / best)) if best > 0 else None


def _snippet(text: str) -> str:
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS].rstrip() + "…"


def _passage_html(hit: Hit, share: float | None, badge: str, text: str | None = None) -> str:
    """One passage as a card; ``share``: ``relevance`` (None: the brief was read whole, unranked); ``text`` is
    what to show of it (its whole text when None)."""
    chunk = hit.chunk
    where = " · ".join(p for p in (chunk.date or "undated", chunk.series,
                                   f"page {chunk.page}" if chunk.page else "") if p)
    if share is None:
        scale = '<span style="color:#666;font-size:0.8rem">read with the whole brief, in text order</span>'
    else:
        scale = (f'<span style="display:inline-block;vertical-align:middle;width:72px;height:7px;border-radius:4px;'
                 f'background:rgba(128,128,128,0.25);margin-right:6px"><span style="display:block;height:7px;'
                 f'border-radius:4px;background:#2e7d5b;width:{round(100 * share)}%"></span></span>'
                 f'<span style="color:#666;font-size:0.8rem">relevance {round(100 * share)}% of the best</span>')
    return (f'<div style="font-size:0.9rem">{scale} {badge}<br>'
            f'<strong>{h(chunk.title or chunk.source)}</strong> <span style="color:#666">{h(where)}</span><br>'
            f'<span style="white-space:pre-wrap">{h(_snippet(chunk.text if text is None else text))}</span></div>')


def render_sources(turn: ChatTurn) -> None:
    """A collapsed panel listing the retrieved passages, best first, each openable in the reader."""
    answer = turn.answer
    if answer is None or not answer.retrieved:
        return
    cited_by: dict[str, list[int]] = {}
    for c in answer.citations:
        cited_by.setdefault(c.chunk_id, []).append(c.marker)
    n, cited = len(answer.retrieved), len(cited_by)
    citations = len(answer.citations)
    if not citations:
        label = f"Sources · {n} passage{'s' if n != 1 else ''} found, none cited"
    elif citations == cited:
        label = f"Sources · {n} passage{'s' if n != 1 else ''} found, {cited} cited"
    else:
        label = (f"Sources · {n} passage{'s' if n != 1 else ''} found · {citations} citations "
                 f"from {cited} of them")
    if answer.flagged:
        label += f" · {len(answer.flagged)} sentence{'s' if len(answer.flagged) > 1 else ''} set aside"
    best = max(hit.score for hit in answer.retrieved)
    with st.expander(label, icon=":material/library_books:"):
        for flagged in answer.flagged:
            st.html(f'<div style="font-size:0.85rem;color:#8a4b00"><strong>Set aside</strong> (reads as an instruction '
                    f'to a language model; not quoted or used as support) · {h(flagged.source)}, characters '
                    f'{flagged.start}-{flagged.end}:<br><span style="white-space:pre-wrap">{h(flagged.text)}</span></div>')
        # Keyed by position: a per-brief plan (comparison) repeats ranks, one ranking per brief.
        for position, hit in enumerate(answer.retrieved):
            markers = cited_by.get(hit.chunk.id, [])
            badge = (f'<span style="background:#d9f2e3;color:#11643a;border-radius:4px;padding:0 6px;'
                     f'font-size:0.8rem">cited {h(" ".join(f"[{m}]" for m in markers))}</span>' if markers else
                     '<span style="color:#888;font-size:0.8rem">not cited</span>')
            text_col, button_col = st.columns([0.85, 0.15], vertical_alignment="center")
            text_col.html(_passage_html(hit, relevance(hit, best), badge))
            button_col.button("Open", key=f"src-{turn.id}-{position}", on_click=open_reader,
                              args=(turn.id, hit.chunk.id, markers[0] if markers else None), width="stretch")
        with st.expander("Scores and ids (for experts)"):
            st.dataframe([{"rank": hit.rank, "scores": _score_line(hit), "passage id": hit.chunk.id,
                           "brief id": hit.chunk.doc_id, "file": hit.chunk.source,
                           "characters": f"{hit.chunk.start}–{hit.chunk.end}"} for hit in answer.retrieved],
                         hide_index=True, width="stretch")


def render_nearby(turn: ChatTurn) -> None:
    """Under a refusal: the closest passages, shown inline, so the analyst sees what was near; only
    their body text (``answer.nearby``): a title or a cover line is not something the briefs cover."""
    answer = turn.answer
    shown = nearby(answer.retrieved, NEARBY) if answer is not None else []
    if answer is None or not shown:
        st.caption("Nothing in the briefs came close to this question.")
        return
    st.caption("The closest passages found:")
    best = max(hit.score for hit in answer.retrieved)
    for position, (hit, text) in enumerate(shown):
        with st.container(border=True):
            text_col, button_col = st.columns([0.85, 0.15], vertical_alignment="center")
            text_col.html(_passage_html(hit, relevance(hit, best), "", text))
            button_col.button("Open", key=f"near-{turn.id}-{position}", on_click=open_reader,
                              args=(turn.id, hit.chunk.id, None), width="stretch")
