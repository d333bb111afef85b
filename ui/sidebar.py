"""The sidebar: what is indexed, question filters, passages per answer, the answer mode."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence

import streamlit as st

from retrieval.filters import Filters
from settings import Settings
from ui.render import md_text
from vectorstore.store import ManifestEntry
from vectorstore.types import date_number

MAX_K = 20


@dataclass(frozen=True)
class QueryOptions:
    """What the sidebar decides for the next question."""

    filters: Filters | None
    k: int


def answer_mode(settings: Settings) -> str:
    """How answers are written, for people: the backend and the model in use."""
    from answer.llm import model_label

    if settings.answer.backend == "llm":
        return model_label(settings.answer)
    return "Offline extractive (no LLM): every sentence is quoted from a brief"


def _ago(epoch: float) -> str:
    if not epoch:
        return "never"
    when = dt.datetime.fromtimestamp(epoch)
    minutes = int((dt.datetime.now() - when).total_seconds() // 60)
    ago = "just now" if minutes < 1 else f"{minutes} min ago" if minutes < 120 else f"{minutes // 60} h ago"
    return f"{when:%Y-%m-%d %H:%M} ({ago})"


def _date(value: str) -> dt.date | None:
    """A stored date as a date; a partial one ("2021-03", "2019") as its first day (``date_number``)."""
    number = date_number(value)
    return dt.date(number // 10000, number // 100 % 100, number % 100) if number else None


def brief_label(entry: ManifestEntry) -> str:
    return entry.title or (entry.sources[0] if entry.sources else entry.doc_id[:12])


def filter_labels(entries: Sequence[ManifestEntry]) -> dict[str, str]:
    """Each brief's name in the Briefs filter, by doc id: its title, with its date (and, where that is shared
    too, its file name) where several briefs share the title, as versions of one report do ("ENERGY STAR
    Program (2026-04-20)" and "... (2026-04-23)"): two identical entries could not be told apart."""
    def count(label_of: dict[str, str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for label in label_of.values():
            counts[label.casefold()] = counts.get(label.casefold(), 0) + 1
        return counts

    labels = {e.doc_id: brief_label(e) for e in entries}
    titles = count(labels)
    labels = {e.doc_id: f"{brief_label(e)} ({e.date or 'undated'})" if titles[brief_label(e).casefold()] > 1
              else brief_label(e) for e in entries}
    dated = count(labels)
    return {e.doc_id: f"{labels[e.doc_id][:-1]}, {e.sources[0]})" if dated[labels[e.doc_id].casefold()] > 1
            and e.sources and labels[e.doc_id].endswith(")") else labels[e.doc_id] for e in entries}


def render_index_info(entries: Sequence[ManifestEntry], *, passages: int, last_sync: float, model: str,
                      settings: Settings) -> None:
    st.markdown("#### Index")
    a, b = st.columns(2)
    a.metric("Briefs", len(entries))
    b.metric("Passages", passages)
    st.caption(f"Last sync: {_ago(last_sync)}  \nEmbedding model: {md_text(model)}  \n"
               f"Answers: {md_text(answer_mode(settings))}")
    if entries:
        # One table, however many briefs: a Markdown line per brief made every rerun of the page
        # slow at thousands of briefs. Cells are shown as text, never as Markdown or HTML.
        with st.expander(f"Indexed briefs ({len(entries)})"):
            rows = [{"Brief": brief_label(e), "Date": e.date or "undated", "Series": e.series,
                     "Passages": len(e.chunk_ids)}
                    for e in sorted(entries, key=lambda e: (e.date or "0", brief_label(e)), reverse=True)]
            st.dataframe(rows, hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 400))


def render_filters(entries: Sequence[ManifestEntry], settings: Settings) -> QueryOptions:
    """Brief, date range and series filters, and how many passages each answer draws on."""
    st.markdown("#### Filters")
    labels = filter_labels(entries)
    doc_ids = st.multiselect("Briefs", options=sorted(labels, key=lambda d: labels[d].casefold()),
                             format_func=lambda d: labels.get(d, d[:12]),
                             placeholder="All briefs", key="filter-briefs")
    dates = sorted(d for d in (_date(e.date) for e in entries) if d)
    date_from = date_to = None
    if dates:
        picked = st.date_input("Published between", value=(), min_value=dates[0].replace(month=1, day=1),  # type: ignore[arg-type]
                               max_value=dates[-1].replace(month=12, day=31),
                               format="YYYY-MM-DD", key="filter-dates",
                               help="Briefs without a known date are left out once a date is set.")
        undated = len(entries) - len(dates)
        if undated:
            st.caption(f"{undated} of {len(entries)} briefs are undated: a date range leaves them out. "
                       "Set a date under **Brief metadata**.")
        picked = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,) if picked else ()  # type: ignore[assignment]
        if picked:
            date_from = picked[0].isoformat()
            date_to = picked[1].isoformat() if len(picked) > 1 else None
    series_options = sorted({e.series for e in entries if e.series})
    series = st.multiselect("Series", options=series_options, placeholder="All series", key="filter-series") \
        if series_options else []
    k = st.slider("Passages per answer", min_value=1, max_value=MAX_K, value=min(settings.retrieval.k, MAX_K),
                  key="filter-k", help="How many retrieved passages the answer may draw on.")
    filters = Filters(doc_ids=tuple(doc_ids), date_from=date_from, date_to=date_to, series=tuple(series))
    return QueryOptions(None if filters.empty else filters, k)
