"""Offline answer latency by question kind on the sample briefs (fact, summary, comparison, ...).

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.analyst_latency [--store DIR] [--rounds 3]

The sample briefs are synced into ``--store`` (default ``.cache/bench/samples-store``, reused);
the assistant is warmed up (``Assistant.warm_up``, as the app does at start). Then each kind's
questions are asked ``--rounds`` times: the sample set's answerable questions for facts, and a
few phrasings per brief for summaries, comparisons, recommendations and timelines (overviews are
cached, so a repeated summary question measures the engine, not the cache). Prints p50 and p95
in milliseconds per kind, with the load average: a benchmark, not a test; the figures depend on
the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from settings import REPO_ROOT, SAMPLE_BRIEFS, Settings  # noqa: E402
from system import System  # noqa: E402

FACTS = REPO_ROOT / "tests" / "data" / "sample_questions.jsonl"
KINDS = {
    "summary": ["Summarize the 2017 brief.", "What are the main points of the brief on the trilateral response?",
                "What are the key takeaways of \"Uncertainty Among U.S. Allies in Northeast Asia\"?",
                "Give me an overview of the Expert Brief."],
    "comparison": ["Compare how the two briefs see Japan.", "How do both briefs differ on China?",
                   "How did the view of North Korea change between 2017 and 2024?",
                   "Compare what the two briefs say about extended deterrence."],
    "recommendations": ["What does the 2017 brief recommend?",
                        "What does the author of the brief on the trilateral response advise?"],
    "timeline": ["Give a timeline of the events in the 2017 brief."],
}


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (as the evaluation reports)."""
    ordered = sorted(values)
    at = (len(ordered) - 1) * q / 100
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.analyst_latency", description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=REPO_ROOT / ".cache" / "bench" / "samples-store")
    parser.add_argument("--rounds", type=int, default=3, help="times each question is asked")
    args = parser.parse_args(argv)
    settings = Settings()
    settings.store.path = args.store
    system = System(settings)
    system.syncer.sync([SAMPLE_BRIEFS])
    assistant = system.assistant
    assistant.warm_up()
    facts = [json.loads(line)["question"] for line in FACTS.read_text(encoding="utf-8").splitlines()
             if line.strip() and not json.loads(line).get("unanswerable") and not json.loads(line).get("history")]
    questions = {"fact": facts, **KINDS}
    for question in facts[:3] + [q for qs in KINDS.values() for q in qs]:  # first-time costs out of the figures
        assistant.ask(question)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")
    for kind, asked in questions.items():
        timings, kinds_seen = [], set()
        for _ in range(args.rounds):
            for question in asked:
                start = time.perf_counter()
                answer = assistant.ask(question)
                timings.append((time.perf_counter() - start) * 1000)
                kinds_seen.add(answer.kind)
        print(f"{kind:16s} n={len(timings):3d}  p50 {percentile(timings, 50):7.1f} ms  "
              f"p95 {percentile(timings, 95):7.1f} ms  (recognised as: {', '.join(sorted(kinds_seen))})")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
