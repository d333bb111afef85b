"""One real browser: `streamlit run app.py` on loopback, headless Chromium driven by Playwright.

Asks about the sample briefs, sees a cited answer, opens the citation and finds the passage
highlighted in its brief. The screenshot lands in ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from settings import REPO_ROOT

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO_ROOT / "test-artifacts"
QUESTION = "How many missiles has Kim launched since he came to power?"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not answer on {url} within {timeout_s:.0f} s")


@pytest.fixture
def app_url(tmp_path, sample_store):
    """The app served by a real `streamlit run` on a loopback port over a copy of the sample store."""
    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFS_")}
    env.update(HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", BRIEFS_STORE__PATH=str(store),
               BRIEFS_DATA_DIR=str(tmp_path / "data"))
    log = tmp_path / "streamlit.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_ask_open_a_citation_and_find_the_highlighted_passage(app_url):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it with apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("request", lambda r: outside.append(r.url)
                    if urlparse(r.url).hostname not in ("127.0.0.1", "localhost") and
                    urlparse(r.url).scheme in ("http", "https", "ws", "wss") else None)
            page.goto(app_url)
            box = page.get_by_placeholder("Ask a question about the briefs…")
            expect(box).to_be_enabled(timeout=120_000)
            box.fill(QUESTION)
            box.press("Enter")

            first_citation = page.get_by_role("button", name=re.compile(r"^\[1\] "))
            expect(first_citation).to_be_visible(timeout=120_000)
            answer = page.locator('[data-testid="stChatMessage"]').nth(1)
            expect(answer).to_contain_text("seventy-four missiles")
            expect(answer).to_contain_text("[1]")

            first_citation.click()
            dialog = page.get_by_role("dialog")
            expect(dialog).to_be_visible(timeout=30_000)
            quote = dialog.locator("mark.quote").first
            expect(quote).to_be_visible()
            expect(quote).to_contain_text("seventy-four missiles")
            expect(dialog).to_contain_text("Uncertainty Among U.S. Allies in Northeast Asia")
            expect(dialog).to_contain_text("2017-05-08")
            background = quote.evaluate("m => getComputedStyle(m).backgroundColor")
            assert background not in ("rgba(0, 0, 0, 0)", "transparent")
            assert page.locator(".katex").count() == 0  # no "$" was typeset as LaTeX
            page.screenshot(path=str(ARTIFACTS / "browser-citation.png"))

            dialog.get_by_role("button", name="Read the whole brief").click()
            expect(dialog.locator(".brief-scroll mark.quote")).to_contain_text("seventy-four missiles")
            expect(dialog.get_by_text("Jump to it")).to_be_visible()
        finally:
            browser.close()
    assert outside == [], f"the page fetched from outside the machine: {outside}"
