"""Offline (extractive) answer latency on the sample briefs: question in, checked Answer out.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.answer_latency [--store DIR] [--rounds 3]

The sample briefs are synced into a store (reused between runs); the model and the BM25 index
are warmed up on a few questions. Every question of ``tests/data/sample_questions.jsonl`` is
then asked once of a fresh assistant (each passage's sentences encoded when first met) and
``--rounds`` times of one after ``Assistant.warm_up()`` (sentence vectors computed ahead, as the
app does at start). Prints the median, 90th percentile and mean in milliseconds, and retrieval
alone. A benchmark, not a test: figures depend on the machine and on what else runs on it (the
load average is printed with them).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from answer.assistant import Assistant  # noqa: E402
from answer.types import Turn  # noqa: E402
from settings import REPO_ROOT, SAMPLE_BRIEFS, Settings  # noqa: E402
from system import System  # noqa: E402

QUESTIONS = REPO_ROOT / "tests" / "data" / "sample_questions.jsonl"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.answer_latency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=REPO_ROOT / ".cache" / "bench-latency-store",
                        help="store the sample briefs are synced into (default .cache/bench-latency-store)")
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="JSONL question file")
    parser.add_argument("--rounds", type=int, default=3, help="times each question is asked of the warmed-up assistant")
    parser.add_argument("--warmup", type=int, default=5, help="questions searched to warm up the model and index")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    settings = Settings()
    settings.answer.backend = "extractive"
    settings.store.path = args.store
    settings.data_dir = args.store.with_name(args.store.name + "-data")  # its saved keyword index, not .data's
    system = System(settings)
    embedder, store = system.embedder, system.store
    system.syncer.sync([SAMPLE_BRIEFS], prune=True)
    retriever = system.retriever
    rows = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    asks = [(r["question"], [Turn(h["question"], h.get("answer", "")) for h in r.get("history", [])]) for r in rows]

    def timed(assistant: Assistant, rounds: int) -> list[float]:
        times = []
        for _ in range(rounds):
            for question, history in asks:
                began = time.perf_counter()
                assistant.ask(question, history=history)
                times.append(1000 * (time.perf_counter() - began))
        return times

    # Warm-up of the model and the BM25 index on a few questions, with an assistant thrown away after.
    retriever.keyword_index()
    for question, _ in asks[: args.warmup]:
        retriever.search(question, vector=embedder.encode([question])[0])
    cold = timed(system.assistant_over(retriever), 1)
    warm_assistant = system.assistant_over(retriever)
    warm_assistant.warm_up()
    warm = timed(warm_assistant, args.rounds)
    retrieval = []
    for question, _ in asks:
        began = time.perf_counter()
        retriever.search(question, vector=embedder.encode([question])[0])
        retrieval.append(1000 * (time.perf_counter() - began))

    print(f"{len(asks)} questions x {args.rounds} rounds on {store.count()} passages of the sample briefs; "
          f"model {embedder.name} (bf16={getattr(embedder, 'bf16', False)}), k={settings.retrieval.k}, "
          f"target_chars={settings.chunking.target_chars}, {os.cpu_count()} CPUs, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(unset)')}, load average {os.getloadavg()[0]:.1f}")
    print(f"{'stage':44} {'median ms':>9} {'p90 ms':>8} {'mean ms':>8}")
    table = [("answer, fresh assistant (nothing cached)", cold),
            ("answer, after warm_up (sentence vectors)", warm),
            ("retrieval alone (encode question + search)", retrieval)]
    for name, values in table:
        print(f"{name:44} {statistics.median(values):9.1f} {_percentile(values, 0.9):8.1f} "
              f"{statistics.fmean(values):8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
