"""Peak memory and speed of ``python -m ingest`` over a folder of PDFs (the CRS reports).

    .venv/bin/python -m bench.ingest_pdfs [--corpus ../shared/corpora/crs-reports] [--repo DIR]

Runs the real command line into a fresh temporary store and samples the memory of its whole
process tree every 0.1 s: the ingest process's RSS plus its parser children's unique memory
(USS; a forked child's RSS also counts the pages it shares with its parent). Prints the
passages stored, wall time, passages per second and the peak RSS. ``--repo`` runs another
checkout's ``python -m ingest`` with the same interpreter (to compare with an earlier version on
the same machine: ``git archive COMMIT | tar -x -C /tmp/before``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import REPO_ROOT, load_average

CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "crs-reports"


def _tree_rss(process: psutil.Process) -> int:
    """The ingest process's RSS plus the unique memory (USS) of its children: parser children are
    forked, and their RSS would count the pages they share with the parent a second time."""
    total = process.memory_info().rss
    for member in process.children(recursive=True):
        try:
            total += member.memory_full_info().uss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def measure(corpus: Path, repo: Path) -> dict[str, float]:
    """Run one ingest of ``corpus`` with ``repo``'s code; its passages, seconds and peak RSS."""
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as scratch:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "BRIEFS_DATA_DIR": str(Path(scratch) / "data")}
        command = [sys.executable, "-m", "ingest", str(corpus), "--store", str(Path(scratch) / "store"), "--json"]
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        process = psutil.Process(child.pid)
        peak = 0
        while child.poll() is None:
            try:
                peak = max(peak, _tree_rss(process))
            except psutil.NoSuchProcess:
                break
            time.sleep(0.1)
        out, err = child.communicate()
        seconds = time.perf_counter() - started
    if child.returncode not in (0, 1):
        raise RuntimeError(f"ingest failed ({child.returncode}): {err.strip()[-500:]}")
    summary = json.loads(out.strip().splitlines()[-1])
    return {"passages": summary["chunks"], "added": summary["added"], "failed": len(summary["failed"]),
            "seconds": seconds, "peak_rss_mb": peak / 2**20}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of briefs (default: %(default)s)")
    parser.add_argument("--repo", type=Path, default=REPO_ROOT, help="checkout whose ingest runs (default: this one)")
    args = parser.parse_args(argv)
    load = load_average()
    result = measure(args.corpus, args.repo)
    print(f"repo {args.repo}  corpus {args.corpus.name}  load before {load}")
    print(f"briefs {result['added']} (failed {result['failed']})  passages {result['passages']}  "
          f"{result['seconds']:.1f} s  {result['passages'] / result['seconds']:.1f} passages/s  "
          f"peak RSS {result['peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
