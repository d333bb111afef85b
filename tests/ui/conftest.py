"""Fixtures for the UI tests: a store of the sample briefs built once, the app pointed at it."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from settings import REPO_ROOT, SAMPLE_BRIEFS
from tests.conftest import open_system
from tests.fixtures import bundled_embedder

APP = str(REPO_ROOT / "app.py")
TIMEOUT = 120  # the first run loads the embedding model


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """A store of the two sample briefs, embedded once per test session; do not write to it."""
    path = tmp_path_factory.mktemp("sample") / "store"
    embedder = bundled_embedder()
    report = open_system(path, embedder).syncer.sync([SAMPLE_BRIEFS])
    assert not report.failed and report.added == 2
    return path


@pytest.fixture
def data_dir(tmp_path, monkeypatch, sample_store) -> Path:
    """The app's environment: the shared sample store, a fresh data directory (reviews, uploads)."""
    for name in list(os.environ):
        if name.startswith("BRIEFS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("BRIEFS_STORE__PATH", str(sample_store))
    monkeypatch.setenv("BRIEFS_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def own_store(tmp_path, monkeypatch, sample_store, data_dir) -> Path:
    """A private copy of the sample store, for tests that add briefs."""
    path = tmp_path / "store"
    shutil.copytree(sample_store, path)
    monkeypatch.setenv("BRIEFS_STORE__PATH", str(path))
    return path


def start_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    return at.run()


def start_app_with_query(**params: str) -> AppTest:
    """A fresh session opened at a URL with these query parameters (``?c=…&as=…``)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def ask(at: AppTest, question: str) -> AppTest:
    return at.chat_input(key="question").set_value(question).run()


def assistant_messages(at: AppTest) -> list:
    return [m for m in at.chat_message if m.name == "assistant"]


def user_messages(at: AppTest) -> list:
    return [m for m in at.chat_message if m.name == "user"]


def citation_buttons(at: AppTest) -> list:
    return [b for b in at.button if re.match(r"^\\\[\d+\\\] ", b.label)]


def html_bodies(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.get("html")]


def unescape(markdown: str) -> str:
    """What a reader sees of Markdown made by ``ui.render.md_text``: the backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def no_failure(at: AppTest) -> None:
    """No exception reached the page (it would show as a traceback in a browser)."""
    assert not at.exception, [e.value for e in at.exception]


def answer_components(node) -> list:
    """The answer-text components (``ui.answer_text``) under ``node`` (an AppTest or a chat message)."""
    return [e for e in node.get("bidi_component") if e.proto.component_name == "briefs_answer_text"]


def answer_blocks_of(node) -> list[dict]:
    """The blocks an answer-text component draws (``ui.answer_text.answer_blocks``)."""
    import json

    (component,) = answer_components(node)
    return json.loads(component.proto.json)["blocks"]


def answer_text_of(node) -> str:
    """The text an answer-text component shows, laid out as ``answer.layout.plain_text`` lays it out:
    headings after a blank line, items as indented ``- `` bullets, ``[n]`` for each citation button."""
    lines: list[str] = []
    for block in answer_blocks_of(node):
        text = "".join(p["text"] if "text" in p else f"[{p['marker']}]" for p in block["pieces"])
        if block["kind"] == "heading" and lines:
            lines.append("")
        lines.append("  " * block["level"] + "- " + text if block["kind"] == "item" else text)
    return "\n".join(lines)


def answer_markers_of(node) -> list[int]:
    """The citation markers the answer-text component turns into buttons."""
    return [p["marker"] for block in answer_blocks_of(node) for p in block["pieces"] if "marker" in p]
