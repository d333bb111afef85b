"""The Streamlit front door: `streamlit run app.py` (through `make run`)."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import streamlit as st  # noqa: E402

from ingest.factory import build_embedder, build_store  # noqa: E402
from settings import Settings  # noqa: E402
from vectorstore.errors import BriefsError  # noqa: E402


@st.cache_resource(show_spinner="Loading the embedding model…")
def _embedder(model: str):
    return build_embedder(Settings())


def main() -> None:
    st.set_page_config(page_title="Policy brief assistant", page_icon="📑", layout="wide")
    st.title("Policy brief assistant")
    settings = Settings()
    try:
        store = build_store(settings, _embedder(settings.embedding.model))
    except BriefsError as exc:
        st.error(str(exc))
        return
    entries = sorted(store.manifest().values(), key=lambda e: e.sources[0] if e.sources else "")
    st.caption(f"{len(entries)} briefs, {store.count()} passages, embedding model {settings.embedding.model}")
    if not entries:
        st.info("No briefs indexed yet. Run `python -m ingest PATH` to add some.")
    for entry in entries:
        st.text(f"{entry.title or entry.sources[0]}  ·  {entry.date or 'undated'}  ·  {entry.series or '—'}  ·  "
                f"{len(entry.chunk_ids)} passages  ·  {', '.join(entry.sources)}")


main()
