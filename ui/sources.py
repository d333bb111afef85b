"""The sources panel under an answer: every retrieved passage, its scores, and which were cited."""

from __future__ import annotations

import streamlit as st

from ui.reader import open_reader
from ui.render import h
from ui.state import ChatTurn

SNIPPET_CHARS = 280


def _score_line(score: float, dense: float | None, keyword: float | None) -> str:
    parts = [f"fused {score:.4f}"]
    if dense is not None:
        parts.append(f"dense {dense:.3f}")
    if keyword is not None:
        parts.append(f"keyword {keyword:.2f}")
    return " · ".join(parts)


def render_sources(turn: ChatTurn) -> None:
    """A collapsed panel listing the retrieved passages, best first, each openable in the reader."""
    answer = turn.answer
    if answer is None or not answer.retrieved:
        return
    cited_by: dict[str, list[int]] = {}
    for c in answer.citations:
        cited_by.setdefault(c.chunk_id, []).append(c.marker)
    label = f"Sources · {len(answer.retrieved)} passages retrieved, {len(cited_by)} cited"
    if answer.flagged:
        label += f" · {len(answer.flagged)} sentence{'s' if len(answer.flagged) > 1 else ''} set aside"
    with st.expander(label, icon=":material/library_books:"):
        for flagged in answer.flagged:
            st.html(f'<div style="font-size:0.85rem;color:#8a4b00"><strong>Set aside</strong> (reads as an instruction '
                    f'to a language model; not quoted or used as support) · {h(flagged.source)}, characters '
                    f'{flagged.start}-{flagged.end}:<br><span style="white-space:pre-wrap">{h(flagged.text)}</span></div>')
        for hit in answer.retrieved:
            chunk = hit.chunk
            markers = cited_by.get(chunk.id, [])
            snippet = chunk.text if len(chunk.text) <= SNIPPET_CHARS else chunk.text[:SNIPPET_CHARS].rstrip() + "…"
            where = " · ".join(p for p in (chunk.date, chunk.series, f"page {chunk.page}" if chunk.page else "",
                                           chunk.source) if p)
            badge = (f'<span style="background:#d9f2e3;color:#11643a;border-radius:4px;padding:0 6px;'
                     f'font-size:0.8rem">cited {h(" ".join(f"[{m}]" for m in markers))}</span>' if markers else
                     '<span style="color:#888;font-size:0.8rem">not cited</span>')
            text_col, button_col = st.columns([0.85, 0.15], vertical_alignment="center")
            text_col.html(
                f'<div style="font-size:0.9rem"><strong>#{hit.rank}</strong> {badge} '
                f'<span style="color:#666;font-size:0.8rem">{h(_score_line(hit.score, hit.dense_score, hit.keyword_score))}</span><br>'
                f'<strong>{h(chunk.title or chunk.source)}</strong> <span style="color:#666">{h(where)}</span><br>'
                f'<span style="white-space:pre-wrap">{h(snippet)}</span></div>')
            button_col.button("Open", key=f"src-{turn.id}-{hit.rank}", on_click=open_reader,
                              args=(turn.id, chunk.id, markers[0] if markers else None), width="stretch")
