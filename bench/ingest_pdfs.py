"""Peak memory and speed of ``python -m ingest`` over a folder of PDFs (the CRS reports).

    HF_HUB_OFFLINE=1 OMP_WAIT_POLICY=PASSIVE .venv/bin/python -m bench.ingest_pdfs \
        [--corpus ../shared/corpora/crs-reports] [--repo DIR] [--runs 3] [--phases] [--keep DIR]

Runs the real command line into a fresh temporary store and samples the memory of its whole
process tree every 0.1 s: the ingest process's RSS plus its parser children's unique memory
(USS; a forked child's RSS also counts the pages it shares with its parent). Prints, per run and
as the median of ``--runs``, the passages stored, wall time, passages per second, CPU seconds
(less sensitive than wall time to other work on a shared machine) and the peak RSS, with the
one-minute load average before and after each run (the machine may be shared).
``--repo`` runs another checkout's ``python -m ingest`` with the same interpreter, to compare
with an earlier version on the same machine (``git worktree add --detach /tmp/before COMMIT``).

``--phases`` adds one run of this checkout through ``bench._ingest_phases``, which splits the
memory by phase (after imports, model load, parse, split, embed, Chroma writes, keyword index);
its wrappers cost a little time, so its speed is not reported.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import REPO_ROOT, load_average
from bench._ingest_phases import tree_memory

CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "crs-reports"


def measure(corpus: Path, repo: Path, phases: Path | None = None, keep: Path | None = None) -> dict[str, float]:
    """Run one ingest of ``corpus`` with ``repo``'s code; its passages, seconds, CPU seconds (user
    and system, the ingest process and the parser children it waited for) and peak RSS.

    With ``phases`` (a JSON file to write), the run goes through ``bench._ingest_phases``; with
    ``keep`` (a folder that does not exist yet), the store is copied there afterwards.
    """
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as scratch:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "BRIEFS_DATA_DIR": str(Path(scratch) / "data")}
        arguments = [str(corpus), "--store", str(Path(scratch) / "store"), "--json"]
        command = [sys.executable, "-m", "ingest", *arguments]
        if phases is not None:
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
            command = [sys.executable, "-m", "bench._ingest_phases", str(phases), "--", *arguments]
        load = load_average()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        process = psutil.Process(child.pid)
        peak = 0
        while child.poll() is None:
            try:
                peak = max(peak, tree_memory(process))
            except psutil.NoSuchProcess:
                break
            time.sleep(0.1)
        out, err = child.communicate()
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if keep is not None and child.returncode in (0, 1):
            shutil.copytree(Path(scratch) / "store", keep)
    if child.returncode not in (0, 1):
        raise RuntimeError(f"ingest failed ({child.returncode}): {err.strip()[-500:]}")
    summary = json.loads(out.strip().splitlines()[-1])
    for failure in summary["failed"]:  # e.g. a parse over the time limit on a loaded machine
        print(f"  failed: {Path(failure['path']).name}: {failure['error']}", flush=True)
    return {"passages": summary["chunks"], "added": summary["added"], "failed": len(summary["failed"]),
            "seconds": seconds, "cpu_seconds": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "sys_seconds": after.ru_stime - before.ru_stime, "peak_rss_mb": peak / 2**20, "load_before": load, "load_after": load_average()}


def _line(result: dict[str, float]) -> str:
    return (f"briefs {result['added']} (failed {result['failed']})  passages {result['passages']}  "
            f"{result['seconds']:.1f} s  {result['passages'] / result['seconds']:.2f} passages/s  "
            f"CPU {result['cpu_seconds']:.1f} s (system {result['sys_seconds']:.1f})  "
            f"peak RSS {result['peak_rss_mb']:.0f} MB  (load {result['load_before']:.1f} -> {result['load_after']:.1f})")


_PHASES = ("imports", "model load", "parse", "split", "embed", "write", "keyword index", "other")


def print_phases(figures: dict) -> None:
    """The breakdown written by ``bench._ingest_phases``: RSS at each phase's first start and its peak."""
    print(f"memory by phase (process RSS + parser children's USS; peak {figures['peak_mb']:.0f} MB, "
          f"kernel VmHWM of the ingest process {figures['vmhwm_mb']:.0f} MB):")
    print(f"  {'phase':<14} {'RSS at first start MB':>22} {'peak MB':>8} {'seconds':>8}")
    for name in sorted(figures["phases"], key=lambda n: _PHASES.index(n) if n in _PHASES else len(_PHASES)):
        row = figures["phases"][name]
        print(f"  {name:<14} {row['start_mb']:>22.0f} {row['peak_mb']:>8.0f} {row['seconds']:>8.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of briefs (default: %(default)s)")
    parser.add_argument("--repo", type=Path, default=REPO_ROOT, help="checkout whose ingest runs (default: this one)")
    parser.add_argument("--runs", type=int, default=1, help="runs to take the median of (default: %(default)s)")
    parser.add_argument("--phases", action="store_true", help="also one run of this checkout split by phase")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="copy the last run's store to DIR (must not exist), e.g. to compare the passages "
                             "and vectors of two versions with bench.compare_stores")
    args = parser.parse_args(argv)
    print(f"repo {args.repo}  corpus {args.corpus}  {os.cpu_count()} CPUs", flush=True)
    if args.keep is not None and args.keep.exists():
        parser.error(f"--keep {args.keep} exists already")
    results = []
    for run in range(1, args.runs + 1):
        results.append(measure(args.corpus, args.repo, keep=args.keep if run == args.runs else None))
        print(f"run {run}: {_line(results[-1])}", flush=True)
    if args.runs > 1:
        rates = [r["passages"] / r["seconds"] for r in results]
        print(f"median of {args.runs}: {statistics.median(rates):.2f} passages/s "
              f"(runs {', '.join(f'{r:.2f}' for r in rates)}), peak RSS "
              f"{statistics.median(r['peak_rss_mb'] for r in results):.0f} MB "
              f"(max {max(r['peak_rss_mb'] for r in results):.0f})")
    if args.phases:
        with tempfile.TemporaryDirectory(prefix="bench-phases-") as scratch:
            report = Path(scratch) / "phases.json"
            result = measure(args.corpus, REPO_ROOT, phases=report)
            print(f"phases run: {_line(result)}")
            print_phases(json.loads(report.read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
