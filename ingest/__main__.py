"""``python -m ingest PATH... [--store DIR] [--prune] [--json]``: sync briefs into the store."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Callable

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# torch puts tensors of 2 MB and more on transparent huge pages (madvise), so a batch's fresh
# activations cost one page fault per 2 MB, not per 4 KB: with the heap bound below, encoding
# took 19% less CPU (docs/benchmarks.md). torch reads it once, so it is set before torch loads;
# an explicit setting wins, and a kernel with huge pages off simply ignores the advice.
os.environ.setdefault("THP_MEM_ALLOC_ENABLE", "1")

from ingest.allocator import bound_heap  # noqa: E402
from ingest.encoding import canonical_encoding  # noqa: E402
from settings import Settings  # noqa: E402
from system import System  # noqa: E402
from vectorstore.errors import BriefsError  # noqa: E402


def _printable(text: str) -> str:
    """A file name as terminal-safe text: control characters (ESC, BEL, newlines) escaped."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Sync files and folders of briefs (.txt .md .html .pdf .docx) into the passage store. "
                    "Unchanged files are skipped; files removed from a given folder lose their passages.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders to sync")
    parser.add_argument("--store", type=Path, help="embedded store directory (env BRIEFS_STORE__PATH; default .data/store)")
    parser.add_argument("--prune", action="store_true",
                        help="also remove every stored brief that is not among PATH (the store mirrors PATH exactly)")
    parser.add_argument("--encoding", metavar="NAME",
                        help="encoding of the .txt/.md files that are not Unicode (no byte-order mark, not UTF-8), "
                             "e.g. cp1254, instead of detecting it; a file's sidecar NAME.EXT.meta.json "
                             "{\"encoding\": ...} wins (env BRIEFS_INGEST__ENCODING)")
    parser.add_argument("--json", action="store_true", help="print one JSON summary object on stdout")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens to each file")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    bound_heap()  # freed activations go back to the system, not into a growing heap (ingest.allocator)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings()
        if args.store:
            settings.store.path = args.store
        if args.encoding:
            settings.ingest.encoding = canonical_encoding(args.encoding)  # ValueError: unknown name
        with System(settings) as system:  # closed on return: main() also runs inside other processes (tests)
            syncer = system.syncer
            progress: Callable[[str], object] | None = None
            if sys.stderr.isatty() and not args.json:
                from tqdm import tqdm

                bar = tqdm(desc="syncing", unit="file", file=sys.stderr)
                progress = lambda name: (bar.set_postfix_str(name[-40:]), bar.update(1))  # noqa: E731
            report = syncer.sync(args.paths, prune=args.prune, progress=progress)
            if report.changed:
                # Build and save the keyword index now, so the app's next start loads it instead of building it.
                system.retriever.keyword_index()
    except BriefsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # invalid settings
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.summary()))
    else:
        print(f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
              f"removed {report.removed}; {report.chunks} passages stored in {report.seconds:.1f} s")
        for failure in report.failed:
            print(f"failed: {_printable(failure.path)}: {_printable(failure.error)}", file=sys.stderr)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
