""""Which briefs discuss Y?": the briefs listed against the right ones, and the answer latency, for two code trees
back to back.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.catalogue_topics --store .cache/full-store \\
        [--questions bench/data/catalogue_topics_dev.jsonl] [--baseline DIR] [--rounds 3] [--blocks 2]

Each question file row has ``question`` and ``briefs``: the right briefs, as report numbers (a source file
name up to its version: "R48905" for both "R48905.1.pdf" and "R48905.2.pdf") or, for a file without one,
its name without extension. A listed brief is right when its report is among them; two versions of one report
count once; a refusal lists none. Per tree and question: the briefs listed, right ones, precision and recall, and the seconds per
answer; then the totals (precision = right listed / listed, recall = right listed / right) and the latency
median and 95th percentile over every answer of every round.

``--baseline DIR`` is another checkout of the project (``git archive main | tar -x -C DIR``): its code answers
the same questions over the same store in its own process, alternating with this tree's, ``--blocks`` times
each (a block: the assistant built and warmed up as the app does at start, ``Assistant.warm_up``, then every
question ``--rounds`` times). ``--every-brief`` also runs this tree with the first pass off (every brief of the
collection searched and scored on its own, the rule of the ``catalogue`` branch) once, for the lists alone.
The load average (``os.getloadavg``) is printed before and after each block: a benchmark, not a test; the
figures depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from bench.analyst_latency import percentile

os.environ.setdefault("HF_HUB_OFFLINE", "1")
HERE = Path(__file__).resolve().parents[1]
DEV = HERE / "bench" / "data" / "catalogue_topics_dev.jsonl"
_REPORT = re.compile(r"^(\d+_[0-9a-f]+|[A-Z]*\d+(?:-\d+)?)")


def report_of(source: str) -> str:
    """A source file's report: "R48905.2.pdf" -> "R48905", "IF13200v1-treasury.pdf" -> "IF13200",
    "98-317.22.pdf" -> "98-317", "000_e8f8a75dd6e65921.txt" -> "000_e8f8a75dd6e65921"; else the name."""
    name = Path(source).name
    match = _REPORT.match(name)
    return match.group(1) if match else Path(name).stem


def score(listed: list[str], right: list[str]) -> tuple[int, int, int]:
    """(reports listed, of them right, right reports) for the listed sources against the right reports."""
    reports = set(dict.fromkeys(report_of(s) for s in listed))
    return len(reports), len(reports & set(right)), len(set(right))


def _worker(root: Path, store: Path, questions: list[str], rounds: int, every_brief: bool) -> None:
    """Run in a child process with ``root``'s code: one JSON line per answer on stdout."""
    sys.path.insert(0, str(root))
    from settings import Settings
    from system import System

    settings = Settings()
    settings.answer.backend = "extractive"
    settings.store.path = store
    settings.data_dir = store.with_name(store.name + "-data")
    system = System(settings)
    assistant = system.assistant_over(system.retriever)
    if every_brief:
        from answer import plans

        def every(retriever, topic, catalogue, *, k=plans.TOPIC_CANDIDATE_K, filters=None):
            return [b.doc_id for b in catalogue.briefs], list(retriever.search(topic, k, filters))
        plans.topic_candidates = every
    began = time.perf_counter()
    assistant.warm_up()
    print(json.dumps({"warm_up_s": time.perf_counter() - began, "load": os.getloadavg()}), flush=True)
    for round_ in range(rounds):
        for question in questions:
            began = time.perf_counter()
            answer = assistant.ask(question)
            seconds = time.perf_counter() - began
            # a refusal lists no brief (the briefs it names are those it read, not an answer)
            listed = [] if answer.refused else [b.source for b in answer.briefs_read]
            print(json.dumps({"round": round_, "question": question, "seconds": seconds, "refused": answer.refused,
                              "listed": listed}), flush=True)
    print(json.dumps({"load": os.getloadavg()}), flush=True)


def _block(root: Path, store: Path, questions_file: Path, rounds: int, every_brief: bool = False) -> list[dict]:
    command = [sys.executable, "-m", "bench.catalogue_topics", "--worker", str(root), "--store", str(store),
               "--questions", str(questions_file), "--rounds", str(rounds)] + (["--every-brief"] if every_brief else [])
    done = subprocess.run(command, cwd=HERE, capture_output=True, text=True, check=True)
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.catalogue_topics", description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=HERE / ".cache" / "full-store")
    parser.add_argument("--questions", type=Path, default=DEV, help="JSONL rows with question and briefs")
    parser.add_argument("--baseline", type=Path, help="another checkout whose code is measured alternately")
    parser.add_argument("--rounds", type=int, default=3, help="times each question is asked per block")
    parser.add_argument("--blocks", type=int, default=2, help="blocks per tree, alternating")
    parser.add_argument("--every-brief", action="store_true", help="also this tree with every brief scored, once")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.worker:
        _worker(args.worker.resolve(), args.store.resolve(), [r["question"] for r in rows], args.rounds,
                args.every_brief)
        return 0
    trees = [("this tree", HERE)] + ([("baseline " + str(args.baseline), args.baseline.resolve())]
                                     if args.baseline else [])
    runs: dict[str, list[dict]] = {name: [] for name, _ in trees}
    print(f"{len(rows)} questions ({args.questions}), store {args.store}, {os.cpu_count()} CPUs")
    for block in range(args.blocks):
        for name, root in (trees if block % 2 == 0 else trees[::-1]):
            out = _block(root, args.store.resolve(), args.questions.resolve(), args.rounds)
            loads = [o["load"] for o in out if "load" in o]
            print(f"block {block + 1}, {name}: warm-up {out[0]['warm_up_s']:.0f} s; load average before "
                  f"{' '.join(f'{x:.2f}' for x in loads[0])}, after {' '.join(f'{x:.2f}' for x in loads[-1])}",
                  flush=True)
            runs[name] += [o for o in out if "question" in o]
    if args.every_brief:
        runs["this tree, every brief scored"] = [o for o in _block(HERE, args.store.resolve(), args.questions.resolve(),
                                                                   1, every_brief=True) if "question" in o]
    right = {r["question"]: r["briefs"] for r in rows}
    for name, answers in runs.items():
        print(f"\n== {name}")
        totals = [0, 0, 0]
        for question in right:
            first = next(a for a in answers if a["question"] == question)
            listed, good, wanted = score(first["listed"], right[question])
            totals = [t + v for t, v in zip(totals, (listed, good, wanted))]
            seconds = [a["seconds"] for a in answers if a["question"] == question]
            wrong = sorted({report_of(s) for s in first["listed"]} - set(right[question]))
            missed = sorted(set(right[question]) - {report_of(s) for s in first["listed"]})
            print(f"{question[:60]:60} listed {listed:2} right {good:2}/{wanted:2}"
                  f"{' refused' if first['refused'] else ''}; median {sorted(seconds)[len(seconds) // 2]:.2f} s;"
                  f" wrong {wrong or '-'}; missed {missed or '-'}")
        seconds = [a["seconds"] for a in answers]
        print(f"precision {totals[1]}/{totals[0]}, recall {totals[1]}/{totals[2]}; latency over {len(seconds)} answers:"
              f" p50 {percentile(seconds, 50):.2f} s, p95 {percentile(seconds, 95):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
