"""Who is using the app, for their own conversation list and for the name on their verdicts.

Three sources, the first configured one wins:

1. Streamlit's own sign-in (``st.login`` against an OpenID Connect provider), when
   ``.streamlit/secrets.toml`` has an ``[auth]`` section. Nobody gets in without signing in.
2. A header set by an authenticating reverse proxy (``BRIEFS_UI__USER_HEADER``, e.g.
   ``X-Forwarded-User``). Trusted only because it is configured: whoever configures it promises
   that every request passes through that proxy. A request without the header is refused.
3. Otherwise a name the user types in the sidebar. Nothing checks it: it labels verdicts and
   groups conversations, it does not protect them (a conversation's unguessable link does).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import streamlit as st

from settings import Settings
from ui.render import md_text as _md

log = logging.getLogger(__name__)

TYPED_NAME = "user-name"  # session-state key of the typed name; the URL keeps it as ?as=NAME
MAX_NAME = 80


@dataclass(frozen=True)
class User:
    """The person using this browser session."""

    key: str  # owner key of their conversations: "oidc:<sub>", "header:<name>", "typed:<name>"; "" unknown
    name: str  # shown, and written on verdicts
    via: Literal["oidc", "header", "typed", ""]

    @property
    def known(self) -> bool:
        return bool(self.key)


NOBODY = User("", "", "")


def oidc_configured() -> bool:
    """Whether ``st.login`` has a provider: an ``[auth]`` section in the app's secrets."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, OSError, ValueError):  # no secrets file, or an unreadable one
        return False


def _login_provider() -> str | None:
    """The provider name for ``st.login``: None for settings directly under [auth], else the first [auth.NAME]."""
    auth = st.secrets["auth"]
    if "client_id" in auth:
        return None
    named = [k for k, v in auth.items() if hasattr(v, "keys")]
    return named[0] if named else None


def _clean(name: str) -> str:
    return " ".join(name.split())[:MAX_NAME]


def _typed_name_changed() -> None:
    name = _clean(st.session_state.get(TYPED_NAME, ""))
    if name:
        st.query_params["as"] = name
    else:
        st.query_params.pop("as", None)


def current_user(settings: Settings) -> User | None:
    """The user of this session, or None when the page must stop (not signed in, header missing).

    Draws what is needed in the sidebar (sign-out link, name box) and, when the page must stop,
    the reason in the main area.
    """
    if oidc_configured():
        if not st.user.is_logged_in:
            st.title("Policy brief assistant")
            st.write("Sign in to ask questions, keep your conversations and record verdicts under your name.")
            st.button("Sign in", icon=":material/login:", type="primary", key="sign-in",
                      on_click=st.login, args=(_login_provider(),))
            return None
        sub = str(st.user.get("sub") or st.user.get("email") or "")
        name = _clean(str(st.user.get("name") or st.user.get("preferred_username") or st.user.get("email") or sub))
        with st.sidebar:
            st.caption(f"Signed in as **{_md(name)}**")
            st.button("Sign out", icon=":material/logout:", key="sign-out", on_click=st.logout)
        return User(f"oidc:{st.user.get('iss') or ''}:{sub}", name, "oidc")
    header = settings.ui.user_header
    if header:
        value = _clean(st.context.headers.get(header) or "")
        if not value:
            st.title("Policy brief assistant")
            st.error(f"This app expects the reverse proxy to name the user in the {_md(header)} header, and this "
                     "request has none. Open the app through the proxy.", icon=":material/lock:")
            return None
        with st.sidebar:
            st.caption(f"Signed in as **{_md(value)}** (through the proxy)")
        return User(f"header:{value}", value, "header")
    if TYPED_NAME not in st.session_state:
        st.session_state[TYPED_NAME] = _clean(st.query_params.get("as", ""))
    with st.sidebar:
        st.text_input("Your name", key=TYPED_NAME, max_chars=MAX_NAME, on_change=_typed_name_changed,
                      placeholder="For your conversations and verdicts",
                      help="Not checked: it labels your verdicts and keeps your list of conversations. "
                           "Ask your administrator for single sign-on to make it a real identity.")
    name = _clean(st.session_state.get(TYPED_NAME, ""))
    return User(f"typed:{name.casefold()}", name, "typed") if name else NOBODY
