"""Sidebar panel: correct a brief's title, date, series and authors; export the brief list.

A correction is stored as an override (``ingest.overrides``): it survives re-syncs and restarts,
is applied to the stored passages without embedding them again, and is part of the exported
brief list. Values are shown and edited as text only (never rendered as Markdown or HTML).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

import streamlit as st

from ingest.metadata import parse_date, split_names
from ingest.overrides import EDITABLE, MetadataOverrides, apply_to_store, entry_key
from vectorstore.store import ChromaStore, ManifestEntry


def _label(entry: ManifestEntry) -> str:
    return entry.title or (entry.sources[0] if entry.sources else entry.doc_id[:12])


def _values(entry: ManifestEntry) -> dict[str, Any]:
    return {"title": entry.title, "date": entry.date, "series": entry.series, "authors": list(entry.authors)}


def corrections_from_form(form: dict[str, str], read: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The fields that differ from what the brief says, and a problem to show ("" when none)."""
    date, problem = parse_date(form["date"]) if form["date"].strip() else ("", "")
    if problem:
        return {}, f"Date {problem}. Use YYYY-MM-DD, YYYY-MM or YYYY, or leave it empty."
    wanted = {"title": " ".join(form["title"].split()), "date": date, "series": " ".join(form["series"].split()),
              "authors": list(split_names(form["authors"].replace(";", ",")))}
    changed = {k: v for k, v in wanted.items() if v != (list(read.get(k) or []) if k == "authors" else read.get(k, ""))}
    return changed, ""


def brief_rows(entries: Sequence[ManifestEntry], overrides: MetadataOverrides) -> list[dict[str, Any]]:
    """One row per brief for the export: its metadata and which fields were corrected by hand."""
    every = overrides.all()
    rows = []
    for entry in sorted(entries, key=lambda e: _label(e).casefold()):
        corrected = sorted(every.get(entry_key(entry), {}).get("corrected", {}))
        rows.append({"source": ", ".join(entry.sources), "title": entry.title, "date": entry.date,
                     "series": entry.series, "authors": list(entry.authors), "passages": len(entry.chunk_ids),
                     "corrected": corrected, "doc_id": entry.doc_id})
    return rows


def brief_list_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["source"])
    writer.writeheader()
    for row in rows:
        cells = {k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()}
        # A cell that would start a spreadsheet formula is prefixed with "'".
        writer.writerow({k: f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v for k, v in cells.items()})
    return out.getvalue()


def render_metadata_editor(entries: Sequence[ManifestEntry], store: ChromaStore, overrides: MetadataOverrides) -> None:
    """The "Brief metadata" expander of the sidebar."""
    if not entries:
        return
    with st.expander("Brief metadata"):
        by_id = {e.doc_id: e for e in entries}
        doc_id = st.selectbox("Brief", options=sorted(by_id, key=lambda d: _label(by_id[d]).casefold()),
                              format_func=lambda d: _label(by_id[d]) if d in by_id else str(d), key="meta-brief")
        entry = by_id[doc_id]
        key = entry_key(entry)
        corrected = overrides.get(key)
        read = overrides.read_values(key) or _values(entry)
        if corrected:
            st.caption("Corrected by hand: " + ", ".join(sorted(corrected)))
        with st.form(f"meta-form-{doc_id[:16]}"):
            form = {
                "title": st.text_input("Title", entry.title),
                "date": st.text_input("Date", entry.date, help="YYYY-MM-DD, YYYY-MM or YYYY; empty when unknown"),
                "series": st.text_input("Series", entry.series),
                "authors": st.text_input("Authors", ", ".join(entry.authors), help="Names separated by commas"),
            }
            save = st.form_submit_button("Save correction")
        if save:
            changed, problem = corrections_from_form(form, read)
            if problem:
                st.error(problem)
            else:
                overrides.set(key, changed, read=read)
                apply_to_store(store, entry, changed, read)
                st.rerun()
        if corrected and st.button("Undo corrections", key=f"meta-undo-{doc_id[:16]}"):
            overrides.set(key, {})
            apply_to_store(store, entry, {}, read)
            st.rerun()
        rows = brief_rows(entries, overrides)
        left, right = st.columns(2)
        left.download_button("Brief list (CSV)", brief_list_csv(rows), file_name="briefs.csv", mime="text/csv")
        right.download_button("Brief list (JSON)", json.dumps(rows, ensure_ascii=False, indent=1),
                              file_name="briefs.json", mime="application/json")


__all__ = ["EDITABLE", "brief_list_csv", "brief_rows", "corrections_from_form", "render_metadata_editor"]
