"""Metadata corrections made in the app: kept beside the store, applied without re-embedding.

A correction is an override like a sidecar file (``NAME.EXT.meta.json``, see
``ingest.metadata.load_overrides``) and is checked by the same ``normalise_overrides``; it lives
in ``<data dir>/metadata-overrides.json`` rather than next to the brief, because the brief's folder
may be read-only or someone else's. Keys are the brief's file path (or its content hash when it
has none). Precedence, weakest first: what the text says, document properties, front matter,
sidecar, app correction.

Saving a correction rewrites the brief's manifest record and its passages' metadata in place
(``apply_to_store``): no passage is embedded again, and the next sync applies it again to a new
version of the file.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from ingest.metadata import normalise_overrides
from vectorstore.store import ChromaStore, ManifestEntry
from vectorstore.types import date_number

log = logging.getLogger(__name__)

FILE_NAME = "metadata-overrides.json"
EDITABLE = ("title", "date", "series", "authors")
_LOCK = threading.Lock()


def overrides_path(data_dir: Path) -> Path:
    """Where the app's metadata corrections are kept under a data directory."""
    return Path(data_dir) / FILE_NAME


def entry_key(entry: ManifestEntry) -> str:
    """The key of a stored brief's corrections: its first file path, else its content hash."""
    return entry.paths[0] if entry.paths else entry.doc_id


class MetadataOverrides:
    """The corrections file: ``{key: {"corrected": {field: value}, "read": {field: value}}}``,
    ``read`` being what the brief itself said when it was first corrected (to undo a correction).

    Reads the file on every call (another process may have written it); writes are atomic
    (a temporary file renamed over the old one), so a crash never leaves half a file.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def all(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("%s: cannot read metadata corrections (%s); none applied", self.path, exc)
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}

    def get(self, key: str) -> dict[str, object]:
        """The corrected fields of one brief ({} when none)."""
        return dict(self.all().get(key, {}).get("corrected", {}))

    def read_values(self, key: str) -> dict[str, object]:
        """What the brief itself said before it was first corrected ({} when never corrected)."""
        return dict(self.all().get(key, {}).get("read", {}))

    def set(self, key: str, values: dict[str, object], *, read: dict[str, object] | None = None) -> dict[str, object]:
        """Store the corrections of one brief (empty values clear a field); returns what is kept.

        Raises ValueError naming the field when a value is not acceptable (a date that is not one).
        """
        unknown = set(values) - set(EDITABLE)
        if unknown:
            raise ValueError(f"cannot correct {sorted(unknown)}: only {', '.join(EDITABLE)}")
        kept = {k: v for k, v in values.items() if v not in ("", None, [], ())}
        normalised = normalise_overrides(kept, where="correction")
        stored = {k: list(v) if isinstance(v, tuple) else v for k, v in normalised.items()}
        with _LOCK:
            data = self.all()
            if stored:
                before = data.get(key, {}).get("read") or {k: list(v) if isinstance(v, tuple) else v
                                                         for k, v in (read or {}).items()}
                data[key] = {"corrected": stored, "read": before}
            else:
                data.pop(key, None)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".overrides-", suffix=".json")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=1, sort_keys=True)
            os.replace(temporary, self.path)
        return stored


def apply_to_store(store: ChromaStore, entry: ManifestEntry, corrections: dict[str, object],
                   original: dict[str, object] | None = None) -> ManifestEntry:
    """Rewrite a stored brief's metadata with ``corrections`` (fields missing from it go back to
    ``original``, the values read from the brief), in its record and every passage; no re-embedding."""
    base: dict[str, Any] = {"title": entry.title, "date": entry.date, "series": entry.series, "authors": entry.authors}
    base.update(original or {})
    values = {**base, **normalise_overrides(corrections, where="correction")}
    authors: tuple[str, ...] = tuple(values.get("authors") or ())
    updated = replace(entry, title=str(values.get("title") or ""), date=str(values.get("date") or ""),
                      series=str(values.get("series") or ""), authors=authors)
    store.update_chunks(entry.chunk_ids, {
        "title": updated.title, "date": updated.date, "date_num": date_number(updated.date),
        "series": updated.series, "authors": json.dumps(list(authors)),
    })
    store.put_manifest(updated)
    store.record_sync(changed=True)  # the app's retriever and brief list are rebuilt from the new metadata
    return updated
