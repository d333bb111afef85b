"""Who is using the app: the proxy's header when configured (and only then), else a typed name."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import no_failure, unescape


def _identity_script(header: str | None) -> None:
    import streamlit as st

    from settings import Settings, UISettings
    from ui.identity import current_user

    user = current_user(Settings(ui=UISettings(user_header=header)))
    st.text(repr(user))


def _run(header: str | None) -> AppTest:
    return AppTest.from_function(_identity_script, args=(header,), default_timeout=30).run()


@pytest.fixture
def request_headers(monkeypatch):
    """The headers of the page's request as ``st.context.headers`` reports them."""
    headers: dict[str, str] = {}
    monkeypatch.setattr(type(st.context), "headers", property(lambda self: headers))
    return headers


def test_the_proxy_header_names_the_user_when_configured(request_headers):
    request_headers["X-Forwarded-User"] = "  bo   smith "
    at = _run("X-Forwarded-User")
    no_failure(at)
    assert at.text[0].value == "User(key='header:bo smith', name='bo smith', via='header')"
    assert not [t for t in at.text_input if t.key == "user-name"]  # nothing to type: the proxy vouches


def test_a_request_without_the_configured_header_is_refused(request_headers):
    at = _run("X-Forwarded-User")
    assert at.text[0].value == "None"  # the app stops here
    (error,) = [unescape(e.value) for e in at.error]
    assert "X-Forwarded-User header" in error


def test_without_a_header_setting_the_header_is_ignored_and_a_typed_name_is_used(request_headers):
    request_headers["X-Forwarded-User"] = "mallory"
    at = _run(None)
    assert at.text[0].value == "User(key='', name='', via='')"
    at.text_input(key="user-name").set_value("Ana").run()
    assert at.text[0].value == "User(key='typed:ana', name='Ana', via='typed')"
    assert at.query_params["as"] in ("Ana", ["Ana"])
