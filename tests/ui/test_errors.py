"""Errors appear as clear messages in the page, never as tracebacks."""

from __future__ import annotations

import socket

import pytest

from tests.fixtures import bundled_embedder
from tests.ui.conftest import no_failure, start_app, unescape
from vectorstore.store import open_store

pytestmark = pytest.mark.slow  # the app loads the real embedding model


def _errors(at) -> list[str]:
    return [unescape(e.value) for e in at.error]


def test_no_store_yet_says_how_to_add_briefs_and_disables_the_question(tmp_path, monkeypatch, data_dir):
    monkeypatch.setenv("BRIEFS_STORE__PATH", str(tmp_path / "not-yet"))
    at = start_app()
    no_failure(at)
    assert any("No briefs are indexed yet" in i.value for i in at.info)
    assert at.chat_input(key="question").proto.disabled
    assert at.file_uploader  # briefs can still be added from the page


def test_a_store_built_with_another_model_is_refused_naming_both(tmp_path, monkeypatch, data_dir):
    path = tmp_path / "other-store"
    open_store(path=str(path), model="BAAI/bge-small-en-v1.5", dimension=384)
    monkeypatch.setenv("BRIEFS_STORE__PATH", str(path))
    at = start_app()
    no_failure(at)
    (error,) = _errors(at)
    assert "BAAI/bge-small-en-v1.5" in error and bundled_embedder().name in error


def test_an_unreachable_store_server_is_a_message(monkeypatch, data_dir):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("BRIEFS_STORE__HOST", "127.0.0.1")
    monkeypatch.setenv("BRIEFS_STORE__PORT", str(port))
    at = start_app()
    no_failure(at)
    (error,) = _errors(at)
    assert f"127.0.0.1:{port}" in error and "cannot open the Chroma store" in error


def test_an_llm_backend_that_cannot_start_is_a_message_and_the_index_stays_visible(monkeypatch, data_dir):
    monkeypatch.setenv("BRIEFS_ANSWER__BACKEND", "llm")
    monkeypatch.setenv("BRIEFS_ANSWER__LLM_MODEL", "nosuchprovider:model")
    monkeypatch.setenv("BRIEFS_ANSWER__LLM_BASE_URL", "http://127.0.0.1:9/v1")
    at = start_app()
    no_failure(at)
    (error,) = _errors(at)
    assert "llm answer backend cannot start" in error and "BRIEFS_ANSWER__BACKEND=extractive" in error
    assert at.chat_input(key="question").proto.disabled
    assert at.metric[0].value == "2"
    assert any("chat model nosuchprovider:model at http://127.0.0.1:9/v1" in unescape(c.value) for c in at.caption)


def test_invalid_settings_are_a_message(monkeypatch, data_dir):
    monkeypatch.setenv("BRIEFS_RETRIEVAL__K", "0")
    at = start_app()
    no_failure(at)
    (error,) = _errors(at)
    assert "Invalid settings" in error and "k" in error
