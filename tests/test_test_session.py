"""The test session's own hygiene (``tests/conftest.py``): its temporary data folder does not outlive it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def _run_pytest(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """A child pytest session running one quick test of this repository, its temporary files under ``tmp_path``."""
    child_env = {k: v for k, v in os.environ.items() if k != "BRIEFS_DATA_DIR"}
    child_env.update(TMPDIR=str(tmp_path), HF_HUB_OFFLINE="1", **env)
    return subprocess.run([sys.executable, "-m", "pytest", "-q",
                           "tests/retrieval/test_query.py::test_without_history_nothing_changes"],
                          cwd=REPO_ROOT, env=child_env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_the_session_data_folder_is_removed_at_the_end(tmp_path):
    done = _run_pytest(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not list(tmp_path.glob("briefs-test-data-*"))


@pytest.mark.slow
def test_a_users_own_data_folder_is_kept(tmp_path):
    own = tmp_path / "my-data"
    own.mkdir()
    (own / "review.sqlite3").write_text("")
    done = _run_pytest(tmp_path, BRIEFS_DATA_DIR=str(own))
    assert done.returncode == 0, done.stdout + done.stderr
    assert (own / "review.sqlite3").exists() and not list(tmp_path.glob("briefs-test-data-*"))
