"""The Streamlit front door: `streamlit run app.py` (through `make run`).

UI only: settings are read here, heavy objects are cached here, and the pages in ``ui/`` draw
them. Our own errors (``BriefsError``) become messages in the page, never tracebacks.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import streamlit as st  # noqa: E402

# The page frame first: the first visit of a fresh server spends seconds importing torch, nltk
# and Chroma below, and the user should see the page starting rather than a blank tab.
st.set_page_config(page_title="Policy brief assistant", page_icon="📑", layout="wide")
# A last safety net: an error we did not foresee shows its type, never a traceback (that goes to the log).
st.set_option("client.showErrorDetails", "type")
st.set_option("client.toolbarMode", "viewer")
with st.spinner("Starting the assistant…"):
    import functools

    from pydantic import ValidationError

    from conversations.store import ConversationStore
    from review.store import ReviewStore
    from settings import Settings
    from ui import state
    from ui.chat import render_chat
    from ui.conversation import open_from_url, persist, render_conversations
    from ui.identity import User, current_user
    from ui.metadata_editor import render_metadata_editor
    from ui.reader import reader_dialog
    from ui.render import md_text
    from ui.review_page import render_review_page, verdict_controls
    from ui.sidebar import brief_label, filter_labels, render_filters, render_index_info
    from ui.start_page import render_start_page, suggest_questions
    from ui.upload import render_upload
    from system import System
    from vectorstore.errors import BriefsError

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner="Opening the index…")
def _system(settings_json: str) -> System:
    """One system (store, retriever, answerer, review store) per settings, shared by every session.

    The embedding model inside is shared by every System of the process (``system.shared_embedder``).
    """
    return System(Settings.model_validate_json(settings_json))


@st.cache_resource(show_spinner="Loading the embedding model…")
def _warm_embedder(settings_json: str) -> str:
    """Load the model's weights once, not during the first question; returns the model's name."""
    embedder = _system(settings_json).embedder
    embedder.encode(["warm-up"])
    return embedder.name


def _review_store(settings: Settings) -> ReviewStore | None:
    try:
        return _system(settings.model_dump_json()).review_store
    except ValueError as exc:
        st.warning(f"Reviews are not saved: {md_text(str(exc))}")
        return None


@st.cache_resource(show_spinner=False)
def _conversations(path: str) -> ConversationStore:
    return ConversationStore(Path(path))


def _conversation_store(settings: Settings) -> ConversationStore | None:
    try:
        return _conversations(str(settings.data_dir / "conversations.sqlite3"))
    except ValueError as exc:
        st.warning(f"Conversations are not kept: {md_text(str(exc))}")
        return None


@st.cache_data(show_spinner=False, max_entries=16)
def _suggestions(_system: System, key: tuple) -> list[str]:
    """Suggested questions from the newest briefs, computed once per store version (``key``)."""
    opened = _system.current()
    newest = sorted(_system.ready_entries(), key=lambda e: (e.date or "0", brief_label(e)), reverse=True)[:6]
    briefs = [(brief_label(e), opened.store.document_text(e.doc_id) or "") for e in newest]
    return suggest_questions(briefs)


def chat_page(settings: Settings, user: User) -> None:
    reviews = _review_store(settings)
    conversations = _conversation_store(settings)
    if conversations is not None:
        open_from_url(conversations, user)
    try:
        system = _system(settings.model_dump_json())
        _warm_embedder(settings.model_dump_json())
        opened = system.warm_up()
        entries = system.ready_entries()
        info = system.describe()
    except BriefsError as exc:
        st.title("Policy brief assistant")
        st.error(f"The index cannot be opened: {md_text(str(exc))}", icon=":material/error:")
        return

    with st.sidebar:
        render_index_info(entries, passages=info["passages"], last_sync=info["last_sync"], model=info["model"],
                          settings=settings)
        options = render_filters(entries, settings)
        st.markdown("#### Add briefs")
        render_upload(opened.syncer, settings.data_dir / "uploads", max_mb=settings.ingest.max_file_mb,
                      lock=system.sync_lock)
        conversation = st.container()  # filled last, so exports include the turn answered in this run
        render_metadata_editor(entries, opened.store, system.metadata_overrides)

    ready = bool(entries) and opened.assistant is not None
    question = st.chat_input("Ask a question about the briefs…" if ready else "No briefs indexed yet",
                             disabled=not ready, submit_mode="disable", max_chars=2000, key="question")
    if question and question.strip():
        state.ask(st.session_state, question, filters=options.filters, k=options.k)

    st.title("Policy brief assistant")
    assistant_error = system.assistant_error(opened)
    if assistant_error:
        st.error(md_text(assistant_error), icon=":material/error:")
    if not entries:
        st.info("No briefs are indexed yet. Add some with **Add briefs** in the sidebar, or run "
                "`python -m ingest PATH` and reload.", icon=":material/info:")
    elif not state.turns(st.session_state):
        def ask(question: str) -> None:
            state.ask(st.session_state, question, filters=options.filters, k=options.k)

        def ask_overview(entry) -> None:
            state.ask(st.session_state, f"Overview of “{brief_label(entry)}”", filters=None, k=options.k,
                      overview_of=entry.doc_id)

        render_start_page(entries, suggestions=_suggestions(system, (id(opened.store), info["generation"],
                                                                        info["passages"])),
                          on_ask=ask, on_overview=ask_overview if opened.assistant is not None else None)
    titles = filter_labels(entries)  # as the Briefs filter names them (a date where titles repeat)
    render_chat(opened.assistant, reviews, backend=settings.answer.backend, brief_titles=titles)
    if conversations is not None:
        persist(conversations, user)
    with conversation:
        render_conversations(conversations, user)
    if st.session_state.get(state.READER) is not None:
        reader_dialog(opened.store, reviews, functools.partial(verdict_controls, reviewer=user.name))


def review_page(settings: Settings, user: User) -> None:
    reviews = _review_store(settings)
    if reviews is None:
        st.title("Review")
        return
    render_review_page(reviews, reviewer=user.name)


def _evaluation_page(settings: Settings) -> st.Page | None:
    """The evaluation page, when that module is present (it is built separately)."""
    try:
        from evaluation.assistant import evaluation_target
        from ui.evaluation_page import render_evaluation_page
    except ImportError:
        log.info("no evaluation page: its modules are not installed", exc_info=True)
        return None

    def evaluation() -> None:
        try:
            system = _system(settings.model_dump_json())
            system.current()
        except BriefsError as exc:
            st.title("Evaluation")
            st.error(f"The index cannot be opened: {md_text(str(exc))}", icon=":material/error:")
            return

        def target():  # called only when a run starts
            return evaluation_target(system)

        render_evaluation_page(target, runs_dir=settings.data_dir / "evaluations", default_k=settings.retrieval.k)

    return st.Page(evaluation, title="Evaluation", icon=":material/analytics:", url_path="evaluation")


def main() -> None:
    try:
        settings = Settings()
    except ValidationError as exc:
        st.error(f"Invalid settings (BRIEFS\\_… environment variables): {md_text(str(exc))}", icon=":material/error:")
        return

    user = current_user(settings)
    if user is None:  # not signed in, or the proxy's header is missing: the reason is on the page
        return

    def chat() -> None:
        chat_page(settings, user)

    def review() -> None:
        review_page(settings, user)

    pages = [st.Page(chat, title="Chat", icon=":material/chat:", url_path="chat", default=True),
             st.Page(review, title="Review", icon=":material/fact_check:", url_path="review")]
    evaluation = _evaluation_page(settings)
    if evaluation is not None:
        pages.append(evaluation)
    st.navigation(pages, position="top").run()


main()
