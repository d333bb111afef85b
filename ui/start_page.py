"""The page an analyst sees before asking anything: what is indexed, overviews, suggested questions.

Suggested questions are drawn from the briefs themselves by a heuristic (``suggest_questions``):
the names that recur most in each of the newest briefs. It has not been measured against what
analysts ask; it only promises that each suggestion names something the briefs discuss.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Sequence

import streamlit as st

from ui.render import md_text
from ui.sidebar import brief_label
from vectorstore.store import ManifestEntry

CARDS = 9
SUGGESTIONS = 4

# Two to four capitalised words in a row ("Elbridge Colby", "Missile Defense Agency"), joined by
# spaces or hyphens, as they appear mid-sentence.
_NAME = re.compile(r"(?<=[a-z,;:] )((?:[A-Z][\w’'-]+)(?: (?:of |the )?[A-Z][\w’'-]+){1,3})")
_POSSESSIVE = re.compile(r"[’']s?$")
_GENERIC = {"United States", "White House", "Prime Minister", "President", "Foreign Affairs", "Washington Post",
            "New York Times", "Official White House Photo"}


def recurring_names(text: str, *, exclude: str = "") -> list[tuple[str, int]]:
    """Capitalised multi-word names found mid-sentence in ``text`` at least twice, most frequent first.

    Names inside ``exclude`` (the brief's title) and a few generic ones are left out.
    """
    counts = Counter(_POSSESSIVE.sub("", m.group(1)) for m in _NAME.finditer(text))
    lowered = exclude.casefold()
    return [(name, n) for name, n in counts.most_common()
            if n >= 2 and name not in _GENERIC and name.casefold() not in lowered]


def suggest_questions(briefs: Sequence[tuple[str, str]], *, limit: int = SUGGESTIONS) -> list[str]:
    """A few questions from ``(title, text)`` pairs, newest brief first: per brief, about its most recurring name.

    Round-robin over the briefs so that each contributes before any contributes twice.
    """
    per_brief = [[name for name, _ in recurring_names(text, exclude=title)] for title, text in briefs]
    out: list[str] = []
    seen: set[str] = set()
    depth = 0
    while len(out) < limit and any(depth < len(names) for names in per_brief):
        for names in per_brief:
            name = names[depth].casefold() if depth < len(names) else ""
            # "North Korean" after "North Korea": one variant of a name is enough.
            if name and not any(name.startswith(s) or s.startswith(name) for s in seen) and len(out) < limit:
                seen.add(name)
                out.append(f"What do the briefs say about {names[depth]}?")
        depth += 1
    return out


def _newest(entries: Sequence[ManifestEntry]) -> list[ManifestEntry]:
    return sorted(entries, key=lambda e: (e.date or "0", brief_label(e)), reverse=True)


def render_start_page(entries: Sequence[ManifestEntry], *, suggestions: Sequence[str],
                      on_ask: Callable[[str], None], on_overview: Callable[[ManifestEntry], None] | None) -> None:
    """Brief cards (title, date, series, authors, passages, overview button) and suggested questions.

    ``on_overview`` is None when the answerer offers no overviews; then the cards have no button.
    """
    st.markdown(f"Ask about the **{len(entries)} indexed brief{'s' if len(entries) != 1 else ''}**. Every "
                "sentence of an answer cites a passage: hover over a marker like **\\[1\\]** to read its quote, "
                "click it to open the passage highlighted in its brief.")
    if suggestions:
        st.markdown("##### Try asking")
        with st.container(horizontal=True, gap="small"):
            for i, question in enumerate(suggestions):
                st.button(md_text(question), key=f"suggest-{i}", on_click=on_ask, args=(question,),
                          icon=":material/lightbulb:")
    st.markdown("##### Indexed briefs")
    newest = _newest(entries)
    shown = newest if st.session_state.get("start-all") else newest[:CARDS]
    columns = st.columns(3)
    for i, entry in enumerate(shown):
        with columns[i % 3].container(border=True, key=f"brief-card-{entry.doc_id[:16]}"):
            st.markdown(f"**{md_text(brief_label(entry))}**")
            meta = " · ".join(p for p in (entry.date or "undated", entry.series) if p)
            st.caption(md_text(meta))
            if entry.authors:
                st.caption(md_text("By " + ", ".join(entry.authors)))
            st.caption(f"{len(entry.chunk_ids)} passages")
            if on_overview is not None:
                st.button("Overview", key=f"overview-{entry.doc_id}", on_click=on_overview, args=(entry,),
                          icon=":material/summarize:", help="A summary of this brief, every sentence cited")
    if len(newest) > CARDS and not st.session_state.get("start-all"):
        st.button(f"Show all {len(newest)} briefs", key="start-show-all",
                  on_click=lambda: st.session_state.update({"start-all": True}))
