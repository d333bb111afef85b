"""Nothing listens beyond this machine unless someone configures it to.

Chroma's server has no authentication of its own here, and the UI shows every brief to whoever
reaches it. The README's `chroma run` command, Chroma's own default and `make run` are run for
real and the addresses their sockets listen on are read from the kernel (/proc/net/tcp{,6}).
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess

import pytest

from settings import REPO_ROOT, Settings
from tests.reliability.support import (chroma_server, child_env, free_port, is_loopback, listening_addresses, stop,
                                       wait_for_port)

pytestmark = pytest.mark.slow

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _readme_chroma_run() -> list[str]:
    (line,) = [line for line in README.splitlines() if re.search(r"\bchroma run\b", line) and "--path" in line]
    return shlex.split(line)


def test_chroma_run_without_a_host_option_listens_on_loopback_only(tmp_path):
    with chroma_server(tmp_path / "data", host=None) as port:
        addresses = listening_addresses(port)
    assert addresses and all(is_loopback(a) for a in addresses), addresses


def test_the_readme_chroma_run_command_binds_127_0_0_1_and_listens_on_loopback_only(tmp_path):
    command = _readme_chroma_run()
    assert command[command.index("--host") + 1] == "127.0.0.1"
    port = free_port()
    command[command.index("--path") + 1] = str(tmp_path / "data")
    command[command.index("--port") + 1] = str(port)
    command[0] = str(REPO_ROOT / command[0])  # .venv/bin/chroma, relative to the repository
    proc = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, proc)
        addresses = listening_addresses(port)
    finally:
        stop(proc)
    assert addresses == {"127.0.0.1"}, addresses


def test_the_readme_says_how_to_put_authentication_and_tls_in_front_of_the_chroma_server():
    section = README[README.index("### Chroma server mode"):]
    section = section[:section.index("\n## ")] if "\n## " in section else section
    assert "no authentication" in section
    assert "reverse proxy" in section and "authentication" in section
    assert "auth_basic" in section or "OAuth2 proxy" in section
    assert "TLS" in section and "BRIEFS_STORE__SSL=true" in section
    assert "loopback" in section


def test_the_product_uses_embedded_mode_unless_a_server_host_is_configured():
    settings = Settings(_env_file=None)
    assert settings.store.host is None  # no network client, no server, by default


def _make_run_streamlit_command(port: int, store: str) -> str:
    """The exact command line `make run` serves the UI with (from `make -n`)."""
    shown = subprocess.run(["make", "-n", "run", f"PORT={port}", f"STORE={store}"], cwd=REPO_ROOT,
                           capture_output=True, text=True, timeout=60, check=True).stdout
    (line,) = [line for line in shown.replace("\\\n", " ").splitlines() if "streamlit run" in line]
    return line


def test_make_run_serves_the_ui_on_loopback_only(tmp_path):
    port = free_port()
    command = _make_run_streamlit_command(port, str(tmp_path / "store"))
    proc = subprocess.Popen(["bash", "-c", command], cwd=REPO_ROOT, env=child_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_port(port, proc, timeout=90)
        addresses = listening_addresses(port)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # bash and the Streamlit it started
        proc.wait(timeout=30)
    assert addresses and all(is_loopback(a) for a in addresses), (
        f"the UI listens on {sorted(addresses)}; add --server.address 127.0.0.1 to `make run` "
        f"(or server.address in .streamlit/config.toml)")
