"""One SQLite file per store: opened with its schema checked, one connection per unit of work.

A fresh connection per call lets every Streamlit session thread share a store; WAL mode lets
readers go on while one writer commits, and the 10 s timeout makes a second writer wait instead
of failing.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Callable, Iterator


def prepare(path: Path, *, what: str, schema: str, version: int,
            migrate: Callable[[sqlite3.Connection, int], None] | None = None) -> None:
    """Create ``path`` (and its folder) with ``schema``, in WAL mode.

    ``what`` names the database in errors ("conversation", "review"); ``version`` is the schema
    version this program writes (``schema`` sets ``PRAGMA user_version``); ``migrate(conn, found)``
    upgrades an older file before ``schema`` runs.

    Raises ValueError naming the file when it is newer than ``version`` or cannot be opened.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with connect(path) as conn:
            found = conn.execute("PRAGMA user_version").fetchone()[0]
            if found > version:
                raise ValueError(f"{what} database {path} has schema version {found}, "
                                 f"newer than this program's {version}")
            conn.execute("PRAGMA journal_mode = WAL")
            if migrate is not None:
                migrate(conn, found)
            conn.executescript(schema)
    except sqlite3.Error as exc:
        raise ValueError(f"cannot open the {what} database {path}: {exc}") from exc


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A fresh connection for one unit of work (rows as ``sqlite3.Row``, foreign keys on),
    committed on success, rolled back on error and always closed."""
    with closing(sqlite3.connect(path, timeout=10.0)) as conn:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        with conn:
            yield conn
