"""Real browsers: `streamlit run app.py` on loopback, headless Chromium driven by Playwright.

Each test drives the app as an analyst or a reviewer would and leaves a screenshot in
``test-artifacts/`` (git-ignored): asking and opening a citation, a conversation surviving a
reload and a server restart, an inline ``[n]`` marker opening its passage, the start page,
a verdict signed by a reviewer who signed in through ``st.login`` against a real OpenID
Connect provider (oidc-provider-mock, started here on loopback), the evaluation page's
warnings, and an evaluation run going on through clicks and a visit to another page.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from settings import REPO_ROOT

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO_ROOT / "test-artifacts"
QUESTION = "How many missiles has Kim launched since he came to power?"
LOOPBACK = ("127.0.0.1", "localhost")
SLOW = 180_000  # ms: the first answer loads the embedding model on a busy two-core machine


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen, log: Path, what: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{what} did not answer on {url} within {timeout_s:.0f} s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class App:
    """One `streamlit run app.py` over a data folder; ``restart`` keeps the port and the data."""

    def __init__(self, root: Path, store: Path, *, env: dict[str, str] | None = None, args: tuple[str, ...] = ()):
        self.root, self.port, self.args = root, _free_port(), args
        self.data = root / "data"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFS_")}
        self.env.update(HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", BRIEFS_STORE__PATH=str(store),
                        BRIEFS_DATA_DIR=str(self.data), **(env or {}))
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> "App":
        self.starts += 1
        log = self.root / f"streamlit-{self.starts}.log"
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
                 "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
                 "--server.fileWatcherType", "none", *self.args],
                cwd=REPO_ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        _wait_for(f"{self.url}/_stcore/health", self.proc, log, "streamlit")
        return self

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc)
            self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()


def _chromium():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it with apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    return sync_playwright()


def _page(browser, outside: list[str], *, block_outside: bool = False):
    """A page that records (or, with ``block_outside``, refuses) every request leaving the machine."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})

    def leaving(url: str) -> bool:
        parsed = urlparse(url)
        return parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOOPBACK

    page.on("request", lambda r: outside.append(r.url) if leaving(r.url) else None)
    if block_outside:
        page.route("**/*", lambda route: route.abort() if leaving(route.request.url) else route.continue_())
    return page


def _upload_questions(main, path) -> None:
    """Upload a question file on the evaluation page (``main``: its main block) and wait until the server names
    it. Not "wait until the button is enabled": for a second file it still is, from the first, and a click before
    the server has the new file runs the first file again (then the upload cancels that run). The server names
    the file it holds; only then does a click run it."""
    from playwright.sync_api import expect

    upload = main.locator('input[type="file"]')
    expect(upload).to_have_count(1, timeout=SLOW)
    upload.set_input_files(str(path))
    expect(main.get_by_text(f"Ready to run: {path.name}")).to_be_visible(timeout=SLOW)


def _shot(page, name: str) -> None:
    _settled(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def _ask(page, question: str) -> None:
    from playwright.sync_api import expect

    box = page.get_by_placeholder("Ask a question about the briefs…")
    expect(box).to_be_enabled(timeout=SLOW)
    box.fill(question)
    box.press("Enter")


def _settled(page) -> None:
    """Wait until the script run is over (Streamlit's running indicator gone), so nothing stale is on screen."""
    from playwright.sync_api import expect

    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=SLOW)


def _answer_markers(page):
    """The inline ``[n]`` buttons of the answer texts (inside the component's shadow root)."""
    return page.locator(".answer-text button.cite")


@pytest.fixture
def app(tmp_path, sample_store):
    """The app over a copy of the sample store, stopped after the test."""
    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    server = App(tmp_path, store).start()
    try:
        yield server
    finally:
        server.stop()


def test_ask_open_a_citation_and_find_the_highlighted_passage(app):
    from playwright.sync_api import expect

    outside: list[str] = []
    with _chromium() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = _page(browser, outside)
            page.goto(app.url)
            _ask(page, QUESTION)
            first_citation = page.get_by_role("button", name=re.compile(r"^\[1\] "))
            expect(first_citation).to_be_visible(timeout=SLOW)
            answer = page.locator('[data-testid="stChatMessage"]').nth(1)
            expect(answer).to_contain_text("seventy-four missiles")
            expect(_answer_markers(page).first).to_have_text("[1]")

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
            _shot(page, "browser-citation.png")

            dialog.get_by_role("button", name="Read the whole brief").click()
            expect(dialog.locator(".brief-scroll mark.quote")).to_contain_text("seventy-four missiles")
            expect(dialog.get_by_text("Jump to it")).to_be_visible()
        finally:
            browser.close()
    assert outside == [], f"the page fetched from outside the machine: {outside}"


def test_an_inline_marker_shows_its_quote_on_hover_and_opens_the_passage(app):
    from playwright.sync_api import expect

    outside: list[str] = []
    with _chromium() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = _page(browser, outside)
            page.goto(app.url)
            _ask(page, QUESTION)
            marker = _answer_markers(page).first
            expect(marker).to_be_visible(timeout=SLOW)
            _settled(page)
            tip = marker.get_attribute("data-tip")
            assert tip.startswith("Uncertainty Among U.S. Allies in Northeast Asia · 2017-05-08") and "“" in tip
            marker.hover()
            shown = marker.evaluate("b => getComputedStyle(b, '::after').content")
            assert "seventy-four missiles" in shown or tip.split("“")[1][:20] in shown  # the quote, as text
            _shot(page, "browser-inline-marker-hover.png")

            marker.click()
            dialog = page.get_by_role("dialog")
            expect(dialog).to_be_visible(timeout=30_000)
            expect(dialog).to_contain_text("Citation [1]")
            expect(dialog.locator("mark.quote").first).to_be_visible()
            _shot(page, "browser-inline-marker-opened.png")
        finally:
            browser.close()
    assert outside == [], f"the page fetched from outside the machine: {outside}"


def test_a_comparison_shows_headings_and_nested_bullets_with_clickable_markers(app):
    from playwright.sync_api import expect

    outside: list[str] = []
    with _chromium() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = _page(browser, outside)
            page.goto(app.url)
            _ask(page, "Compare what the 2017 brief and the trilateral response brief say about Japan.")
            headings = page.locator(".answer-text h4")
            expect(headings.first).to_be_visible(timeout=SLOW)
            _settled(page)
            texts = headings.all_inner_texts()
            assert texts[0] == "Uncertainty Among U.S. Allies in Northeast Asia (2017-05-08)"
            assert texts[-1] == "Side by side" and len(texts) == 3
            weight = headings.first.evaluate("h => getComputedStyle(h).fontWeight")
            assert int(weight) >= 600
            answer = page.locator(".answer-text")
            assert "**" not in answer.inner_text()
            bullets = page.locator(".answer-text > ul > li")
            assert bullets.count() >= 4
            nested = page.locator(".answer-text ul ul > li")  # a shared or different point's sentences
            assert nested.count() >= 2
            marker = nested.first.locator("button.cite")
            expect(marker).to_be_visible()
            list_style = bullets.first.evaluate("li => getComputedStyle(li).display")
            assert list_style == "list-item"
            _shot(page, "browser-comparison.png")
            headings.first.scroll_into_view_if_needed()
            _shot(page, "browser-comparison-top.png")

            marker.click()
            dialog = page.get_by_role("dialog")
            expect(dialog).to_be_visible(timeout=30_000)
            expect(dialog.locator("mark.quote").first).to_be_visible()
        finally:
            browser.close()
    assert outside == [], f"the page fetched from outside the machine: {outside}"


def test_a_conversation_survives_a_reload_and_a_restart_and_is_listed(app):
    from playwright.sync_api import expect

    outside: list[str] = []
    with _chromium() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = _page(browser, outside)
            page.goto(app.url)
            name = page.get_by_label("Your name", exact=True).and_(page.locator("input"))
            expect(name).to_be_visible(timeout=SLOW)
            name.fill("Ana Analyst")
            name.press("Enter")
            expect(page).to_have_url(re.compile(r"as=Ana"), timeout=30_000)
            _ask(page, QUESTION)
            expect(_answer_markers(page).first).to_be_visible(timeout=SLOW)
            expect(page).to_have_url(re.compile(r"[?&]c=[0-9a-f]{32}"), timeout=30_000)
            link = page.url

            page.reload()
            messages = page.locator('[data-testid="stChatMessage"]')
            expect(messages.nth(0)).to_contain_text(QUESTION, timeout=SLOW)
            expect(messages.nth(1)).to_contain_text("seventy-four missiles")
            _shot(page, "browser-conversation-after-reload.png")

            app.restart()  # a new server process: only the SQLite file carries the conversation
            page.goto(link)
            expect(messages.nth(0)).to_contain_text(QUESTION, timeout=SLOW)
            expect(messages.nth(1)).to_contain_text("seventy-four missiles")
            expect(_answer_markers(page).first).to_be_visible()
            _shot(page, "browser-conversation-after-restart.png")

            # A second conversation; the first is listed in the sidebar and opens again.
            page.get_by_role("button", name="New conversation").click()
            expect(page.locator('[data-testid="stChatMessage"]')).to_have_count(0, timeout=30_000)
            _ask(page, "Who is Elbridge Colby?")
            expect(_answer_markers(page).first).to_be_visible(timeout=SLOW)
            sidebar = page.locator('[data-testid="stSidebar"]')
            earlier = sidebar.get_by_role("button", name=re.compile(r"How many missiles"))
            expect(earlier).to_be_visible(timeout=30_000)
            _shot(page, "browser-conversation-list.png")
            earlier.click()
            expect(messages.nth(0)).to_contain_text(QUESTION, timeout=30_000)
            expect(messages).to_have_count(2)
            assert parse_qs(urlparse(page.url).query)["c"] == parse_qs(urlparse(link).query)["c"]
        finally:
            browser.close()
    assert outside == [], f"the page fetched from outside the machine: {outside}"
    with sqlite3.connect(app.data / "conversations.sqlite3") as conn:
        owners = conn.execute("SELECT owner, COUNT(*) FROM conversations GROUP BY owner").fetchall()
    conn.close()
    assert owners == [("typed:ana analyst", 2)]


def test_the_start_page_lists_the_briefs_and_suggests_questions_from_them(app):
    from playwright.sync_api import expect

    outside: list[str] = []
    with _chromium() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = _page(browser, outside)
            page.goto(app.url)
            main = page.locator('[data-testid="stMainBlockContainer"]')
            expect(main.get_by_text("Uncertainty Among U.S. Allies in Northeast Asia")).to_be_visible(timeout=SLOW)
            expect(main.get_by_text("The North Korean and Chinese Threats Are Growing", exact=False)).to_be_visible()
            expect(main.get_by_text("2017-05-08 · Expert Brief")).to_be_visible()
            expect(main.get_by_text(re.compile(r"^\d+ passages$")).first).to_be_visible()
            suggestions = main.get_by_role("button", name=re.compile(r"^What do the briefs say about "))
            expect(suggestions.first).to_be_visible()
            assert suggestions.count() >= 2
            _shot(page, "browser-start-page.png")

            suggested = suggestions.first.locator("p").inner_text()
            suggestions.first.click()
            messages = page.locator('[data-testid="stChatMessage"]')
            expect(messages.nth(0)).to_contain_text(suggested.strip(), timeout=SLOW)
            expect(messages.nth(1)).to_be_visible(timeout=SLOW)

            # A question the briefs do not cover: the refusal shows what was searched and the closest passages.
            _ask(page, "What is the capital of Peru?")
            refusal = messages.nth(3)
            expect(refusal).to_contain_text("Interpreted as: What is the capital of Peru?", timeout=SLOW)
            expect(refusal).to_contain_text("The closest passages found")
            expect(refusal.get_by_role("button", name="Open", exact=True)).to_have_count(3)
            refusal.scroll_into_view_if_needed()
            _shot(page, "browser-refusal.png")
        finally:
            browser.close()
    assert outside == [], f"the page fetched from outside the machine: {outside}"


def test_a_brief_overview_is_one_click_from_the_start_page(app):
    from playwright.sync_api import expect

    with _chromium() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = _page(browser, [])
            page.goto(app.url)
            overview = page.get_by_role("button", name="Overview").first
            expect(overview).to_be_visible(timeout=SLOW)
            overview.click()
            messages = page.locator('[data-testid="stChatMessage"]')
            expect(messages.nth(0)).to_contain_text("Overview of", timeout=SLOW)
            expect(_answer_markers(page).first).to_be_visible(timeout=SLOW)
            _shot(page, "browser-overview.png")
        finally:
            browser.close()


# -- reviewers signed in through st.login against a real OpenID Connect provider ----------

@pytest.fixture
def oidc_provider(tmp_path):
    """oidc-provider-mock on a loopback port, with one predefined user."""
    port = _free_port()
    log = tmp_path / "oidc.log"
    claims = {"sub": "ana", "name": "Ana Reviewer", "email": "ana@example.org"}
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port),
                                 "--user-claims", json.dumps(claims)], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{url}/.well-known/openid-configuration", proc, log, "oidc-provider-mock", timeout_s=60)
        with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=5) as reply:
            discovery = json.load(reply)
        assert {"authorization_endpoint", "token_endpoint", "jwks_uri"} <= discovery.keys()
        yield url
    finally:
        _stop(proc)


def test_a_verdict_records_the_name_of_the_reviewer_signed_in_through_openid_connect(tmp_path, sample_store,
                                                                                     oidc_provider):
    from playwright.sync_api import expect

    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    secrets = tmp_path / "secrets.toml"
    server = App(tmp_path, store, args=("--secrets.files", str(secrets)))
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "{server.url}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-of-enough-length"\n'
        'client_id = "policy-briefs"\n'
        'client_secret = "not-a-secret"\n'
        f'server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"\n', encoding="utf-8")
    server.start()
    outside: list[str] = []
    try:
        with _chromium() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = _page(browser, outside, block_outside=True)  # the provider's page links a CDN stylesheet
                page.goto(server.url)
                sign_in = page.get_by_role("button", name="Sign in")
                expect(sign_in).to_be_visible(timeout=SLOW)
                expect(page.get_by_placeholder("Ask a question about the briefs…")).to_have_count(0)
                _shot(page, "browser-sign-in.png")
                sign_in.click()
                # The provider's own authorisation page: pick the predefined user.
                page.wait_for_url(re.compile(re.escape(oidc_provider) + r"/oauth2/authorize"), timeout=60_000)
                page.locator('button[name="sub"][value="ana"]').click()
                page.wait_for_url(re.compile(re.escape(server.url)), timeout=60_000)
                sidebar = page.locator('[data-testid="stSidebar"]')
                expect(sidebar).to_contain_text("Signed in as Ana Reviewer", timeout=SLOW)

                _ask(page, QUESTION)
                marker = _answer_markers(page).first
                expect(marker).to_be_visible(timeout=SLOW)
                marker.click()
                dialog = page.get_by_role("dialog")
                expect(dialog).to_be_visible(timeout=30_000)
                dialog.get_by_text("Supported", exact=True).click()
                dialog.get_by_role("button", name="Save verdict").click()
                expect(dialog).to_contain_text("Saved by Ana Reviewer: Supported", timeout=30_000)
                _shot(page, "browser-verdict-signed.png")
                dialog.get_by_role("button", name="Close", exact=True).last.click()

                page.get_by_role("link", name="Review").click()
                main = page.locator('[data-testid="stMainBlockContainer"]')
                expect(main).to_contain_text("Reviewing as Ana Reviewer", timeout=60_000)
                expect(main).to_contain_text("Your verdict by Ana Reviewer: Supported")
                _shot(page, "browser-review-page.png")
            finally:
                browser.close()
    finally:
        server.stop()
    assert all(urlparse(u).hostname == "cdn.jsdelivr.net" for u in outside), outside  # the provider's stylesheet
    with sqlite3.connect(server.data / "review.sqlite3") as conn:
        rows = conn.execute("SELECT reviewer, verdict FROM verdicts").fetchall()
    conn.close()
    assert rows == [("Ana Reviewer", "supported")]


# -- evaluation page ------------------------------------------------------------------------

def test_the_evaluation_page_says_why_metrics_are_missing_and_warns_about_other_question_files(app, tmp_path):
    from playwright.sync_api import expect

    bare = tmp_path / "bare questions.jsonl"
    bare.write_text("\n".join(json.dumps(r) for r in [
        {"id": "missiles", "question": QUESTION},
        {"id": "colby", "question": "Who is Elbridge Colby?"},
    ]) + "\n", encoding="utf-8")
    other = tmp_path / "other questions.jsonl"
    other.write_text("\n".join(json.dumps(r) for r in [
        {"id": "missiles", "question": QUESTION, "answers": ["seventy-four"]},
        {"id": "japan", "question": "How much has Japan invested in missile defense?"},
    ]) + "\n", encoding="utf-8")
    outside: list[str] = []
    with _chromium() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = _page(browser, outside)
            page.goto(f"{app.url}/evaluation")
            main = page.locator('[data-testid="stMainBlockContainer"]')
            for path in (bare, other):
                _upload_questions(main, path)
                main.get_by_role("button", name="Run evaluation").click()
                # named, so the first run's "Done" (still on screen while the second starts) cannot match
                done = main.get_by_text(re.compile(rf"^Done: 2 questions of {re.escape(path.name)} in"))
                expect(done).to_be_visible(timeout=SLOW)
                if path == bare:
                    expect(main).to_contain_text("Hit rate at 5 not computed: needs answerable questions with "
                                                 "references")
                    expect(main).to_contain_text("No chart: hit rate needs answerable questions with references")
                    main.get_by_text("No chart: hit rate").scroll_into_view_if_needed()
                    _shot(page, "browser-evaluation-not-computed.png")
            warning = main.get_by_text(re.compile(r"These runs asked different questions: 1 only in the earlier run, "
                                                  r"1 only in this one"))
            expect(warning).to_be_visible(timeout=60_000)
            warning.scroll_into_view_if_needed()
            _shot(page, "browser-evaluation-compare-warning.png")
        finally:
            browser.close()
    assert outside == [], f"the page fetched from outside the machine: {outside}"


def test_an_evaluation_run_goes_on_while_the_user_clicks_and_changes_page(app, tmp_path):
    from playwright.sync_api import expect

    n = 60  # the clicks below take seconds, the run (the model's loading included) takes longer
    questions = tmp_path / "many questions.jsonl"
    asked = [QUESTION, "Who is Elbridge Colby?", "How much has Japan invested in missile defense?"]
    questions.write_text("\n".join(json.dumps({"id": f"q{i}", "question": asked[i % len(asked)]})
                                   for i in range(n)) + "\n", encoding="utf-8")
    outside: list[str] = []
    with _chromium() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = _page(browser, outside)
            page.goto(f"{app.url}/evaluation")
            main = page.locator('[data-testid="stMainBlockContainer"]')
            _upload_questions(main, questions)
            run = main.get_by_role("button", name="Run evaluation")
            run.click()
            progress = main.get_by_text(re.compile(rf"^\d+ of {n} questions"))
            expect(progress).to_be_visible(timeout=SLOW)

            # Another widget: the script reruns (which used to stop the run half way); the run goes on.
            k = main.get_by_label("Passages per question (k)")
            k.fill("6")
            k.press("Enter")
            expect(k).to_have_value("6")
            _settled(page)
            expect(progress).to_be_visible()
            run.click()  # a second run while this one runs: refused, and said so
            expect(main.get_by_text("A run is in progress (many questions.jsonl); wait until it is done to start "
                                    "another.")).to_be_visible(timeout=30_000)
            expect(progress).to_be_visible()
            _shot(page, "browser-evaluation-running.png")

            # Another page and back: the run is still going, or done.
            page.get_by_role("link", name="Chat").click()
            expect(page.get_by_placeholder("Ask a question about the briefs…")).to_be_visible(timeout=SLOW)
            page.get_by_role("link", name="Evaluation").click()
            done = main.get_by_text(re.compile(rf"^Done: {n} questions of {re.escape(questions.name)} in"))
            expect(progress.or_(done)).to_be_visible(timeout=SLOW)
            expect(done).to_be_visible(timeout=SLOW + n * 1_000)  # up to a second a question on a busy machine
            expect(main.get_by_text(re.compile(r"^Run \d{8}-\d{6}-many-questions$"))).to_be_visible()
            _shot(page, "browser-evaluation-done-after-clicks.png")
        finally:
            browser.close()
    assert outside == [], f"the page fetched from outside the machine: {outside}"
    (run_dir,) = (app.data / "evaluations").iterdir()  # one run: the second click started none
    assert json.loads((run_dir / "metrics.json").read_text())["run"]["questions"] == n
    assert json.loads((run_dir / "run.json").read_text())["k"] == 5  # the k it started with
