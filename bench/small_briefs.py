"""Ingest of many small briefs: new documents embedded and written in groups, or one at a time.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.small_briefs [--size 4000] [--count 125] [--repeat 3]

Analysts add briefs of a few pages, not 700 KB reports. This cuts the chunking benchmark's
corpora into ``--count`` briefs of about ``--size`` characters each (a title line, then the
text) and times ``Syncer.sync`` into a fresh store with ``SyncOptions.group_passages`` at its
default (new documents share encode calls and Chroma writes) and at 1 (each brief alone, as
before grouping). Same process, model loaded and warmed first; medians of ``--repeat`` runs.
Figures go to the ``small-briefs`` section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import (CACHE, CORPORA, Load, header, load_average, markdown_table,  # noqa: E402
                           setup_environment, write_section)

setup_environment()

from ingest.sync import Syncer  # noqa: E402
from settings import Settings  # noqa: E402
from system import System, shared_embedder, sync_options  # noqa: E402


def write_briefs(folder: Path, *, size: int, count: int) -> int:
    """Up to ``count`` briefs of about ``size`` characters cut from the corpora; returns their bytes."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    written = total = 0
    for corpus in sorted(CORPORA.glob("*.md")):
        text = corpus.read_text(encoding="utf-8")
        for begin in range(0, len(text) - size // 2, size):
            if written == count:
                return total
            body = f"{corpus.stem} brief {written}\n\n{text[begin:begin + size]}"
            (folder / f"brief-{written:04d}.md").write_text(body, encoding="utf-8")
            written, total = written + 1, total + len(body.encode("utf-8"))
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.small_briefs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=4000, help="characters per brief (default 4000)")
    parser.add_argument("--count", type=int, default=125, help="briefs (default 125)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per setting; medians are reported")
    parser.add_argument("--no-write", dest="write", action="store_false", help="print only; leave docs/benchmarks.md")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings()
    work = CACHE / "small-briefs"
    folder = work / "briefs"
    size_bytes = write_briefs(folder, size=args.size, count=args.count)
    briefs = len(list(folder.iterdir()))
    embedder = shared_embedder(settings.embedding)
    embedder.encode(["warm-up"])
    load = Load(load_average(), float("nan"))
    default = sync_options(settings)
    seconds: dict[int, list[float]] = {default.group_passages: [], 1: []}
    passages = 0
    for repeat in range(args.repeat):
        for group in seconds:
            store_path = work / f"store-{group}-{repeat}"
            shutil.rmtree(store_path, ignore_errors=True)
            store = System(settings, embedder=embedder).with_store(store_path).store
            began = time.perf_counter()
            report = Syncer(store, embedder, replace(default, group_passages=group)).sync([folder])
            seconds[group].append(time.perf_counter() - began)
            if report.failed or report.added != briefs:
                raise SystemExit(f"sync failed: {report.summary()}")
            passages = report.chunks
            store.client.close()
            shutil.rmtree(store_path, ignore_errors=True)
    load = Load(load.before, load_average())
    rows = []
    grouped = statistics.median(seconds[default.group_passages])
    for group, runs in seconds.items():
        median = statistics.median(runs)
        label = (f"grouped (`group_passages` {group}, the default)" if group == default.group_passages
                 else "one brief at a time (`group_passages` 1)")
        rows.append([label, median, passages / median, median / grouped])
    table = markdown_table(["new documents written", "seconds", "passages/s", "time ÷ grouped"], rows)
    body = (f"{header(load)}- Input: {briefs} briefs of about {args.size:,} characters ({size_bytes / 1e6:.2f} MB, "
            f"{passages:,} passages) cut from the chunking benchmark's corpora; model {embedder.name} "
            f"(bf16={embedder.bf16}), loaded and warmed before timing; median of {args.repeat} runs\n\n{table}\n")
    print(body)
    if args.write:
        write_section("small-briefs", "### Ingest of many small briefs\n\n" + body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
