"""Metadata accuracy against a hand-checked table: title, date, series, authors, report number.

    .venv/bin/python -m bench.metadata_accuracy [--table tests/data/crs_metadata.jsonl] [--show-errors]
    .venv/bin/python -m bench.metadata_accuracy --heldout tests/data/crs_metadata_heldout.jsonl

Each row of the table names a brief (under ``../shared/corpora`` or the repository) and the values
a person read on it. Every brief is loaded as ``python -m ingest`` loads it (``load_document``),
and each field counts as *found* when the loader gave a value and *correct* when that value equals
the hand-read one (titles compared with spacing and quote styles folded, authors as a set, an
empty expected value correct only when nothing was found). Prints one row per field.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import REPO_ROOT
from ingest.loaders import load_document

FIELDS = ("title", "date", "series", "authors", "report_number")
_SHARED_CORPORA = REPO_ROOT.parent / "shared" / "corpora"
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _norm(field: str, value: object) -> object:
    if field == "authors":
        names = value if isinstance(value, (list, tuple)) else [value]
        return frozenset(" ".join(str(name).split()) for name in names)
    return " ".join(str(value).translate(_FOLD).split()).casefold()


def _resolve(path: str) -> Path:
    for root in (_SHARED_CORPORA, REPO_ROOT):
        if (root / path).is_file():
            return root / path
    raise FileNotFoundError(path)


def _paths(table: Path) -> set[str]:
    rows = (json.loads(raw) for raw in table.read_text(encoding="utf-8").splitlines() if raw.strip())
    return {row["path"] for row in rows if "path" in row}


def evaluate(table: Path, skip: frozenset[str] | set[str] = frozenset()) -> tuple[dict[str, list[int]], list[str]]:
    """Per field [rows, found, correct], and one line per wrong value; rows whose path is in
    ``skip`` are left out."""
    counts = {field: [0, 0, 0] for field in FIELDS}
    errors: list[str] = []
    for raw in table.read_text(encoding="utf-8").splitlines():
        row = json.loads(raw)
        if "path" not in row or row["path"] in skip:
            continue
        path = _resolve(row["path"])
        doc = load_document(path, source=path.name, max_bytes=50 * 1024 * 1024, timeout_s=120)
        got = {"title": doc.meta.title, "date": doc.meta.date, "series": doc.meta.series,
               "authors": doc.meta.authors, "report_number": dict(doc.meta.extra).get("report_number", "")}
        for field in FIELDS:
            expected = row.get(field, "" if field != "authors" else [])
            counts[field][0] += 1
            counts[field][1] += bool(got[field])
            if _norm(field, got[field]) == _norm(field, expected):
                counts[field][2] += 1
            else:
                errors.append(f"{row['path']}: {field} {got[field]!r}, expected {expected!r}")
    return counts, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--table", type=Path, default=REPO_ROOT / "tests" / "data" / "crs_metadata.jsonl",
                        help="hand-checked JSONL table (default: %(default)s)")
    parser.add_argument("--show-errors", action="store_true", help="print every wrong value")
    parser.add_argument("--heldout", type=Path, default=None,
                        help="a second hand-read table (e.g. tests/data/crs_metadata_heldout.jsonl): its "
                             "briefs are scored on it alone, and the first table's other briefs apart")
    args = parser.parse_args(argv)
    groups: list[tuple[str, Path, set[str]]] = [("all", args.table, set())]
    if args.heldout is not None:
        held = _paths(args.heldout)
        groups = [("development (rules written on them)", args.table, held), ("held-out", args.heldout, set())]
    for name, table, skip in groups:
        counts, errors = evaluate(table, skip)
        print(f"{name}: {table.name}" + (f", without the {len(skip)} held-out briefs" if skip else ""))
        print(f"{'field':<14} {'briefs':>6} {'found':>6} {'correct':>8} {'accuracy':>9}")
        for field, (rows, found, correct) in counts.items():
            print(f"{field:<14} {rows:>6} {found:>6} {correct:>8} {correct / max(rows, 1):>9.1%}")
        if args.show_errors:
            print("\n".join(errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
