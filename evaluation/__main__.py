"""``python -m evaluation QUESTIONS --out DIR`` and ``python -m evaluation compare RUN_A RUN_B``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from evaluation.compare import RunDirectoryError, compare_runs, format_comparison  # noqa: E402
from evaluation.questions import QuestionFileError, load_questions  # noqa: E402
from evaluation.runner import RunMismatchError, RunResult, run_evaluation  # noqa: E402
from settings import Settings  # noqa: E402
from vectorstore.errors import BriefsError  # noqa: E402


def _run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m evaluation",
        description="Ask every question of a JSONL or CSV file, score the answers, and write answers.jsonl, "
                    "answers.csv, metrics.json and report.html into --out. Rerunning with the same --out resumes. "
                    "Compare two runs with: python -m evaluation compare RUN_A RUN_B",
    )
    parser.add_argument("questions", type=Path, metavar="QUESTIONS", help="question file (.jsonl or .csv)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="run directory (created; resumed if it exists)")
    parser.add_argument("--store", type=Path, metavar="DIR",
                        help="embedded store directory (env BRIEFS_STORE__PATH; default .data/store)")
    parser.add_argument("--k", type=int, metavar="N", help="passages retrieved per question (env BRIEFS_RETRIEVAL__K; default 5)")
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N rows of the question file")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="questions asked in parallel (default 1)")
    parser.add_argument("--judge", action="store_true",
                        help="also score faithfulness with the configured LLM (needs BRIEFS_ANSWER__BACKEND=llm settings)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each failing question's traceback")
    return parser


def _compare_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evaluation compare",
                                     description="Metric changes from RUN_A to RUN_B and the questions whose outcome changed.")
    parser.add_argument("run_a", type=Path, metavar="RUN_A", help="the earlier run directory")
    parser.add_argument("run_b", type=Path, metavar="RUN_B", help="the later run directory")
    parser.add_argument("--all", action="store_true", help="list unchanged metrics too")
    return parser


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def summary_lines(result: RunResult) -> list[str]:
    m = result.metrics
    r, a, c, f, lat = m["retrieval"], m["answers"], m["citations"], m["refusal"], m["latency_ms"]
    lines = [
        f"{m['run']['questions']} questions ({result.asked} asked, {result.resumed} resumed, {m['run']['failed']} failed)",
        f"retrieval @k={r['k']} ({r['questions']} q): hit rate {_pct(r['hit_rate'])}, recall {_pct(r['recall'])}, "
        f"MRR {_pct(r['mrr'])}",
    ]
    if r["span"]["questions"]:
        s = r["span"]
        lines.append(f"benchmark spans ({s['questions']} q): recall {_pct(s['recall'])}, precision {_pct(s['precision'])}, "
                     f"IoU {_pct(s['iou'])}")
    lines += [
        f"answers ({a['questions']} q): contains answer {_pct(a['contains_answer'])}, token F1 {_pct(a['token_f1'])}",
        f"citations ({c['citations']}): valid {_pct(c['validity'])}, supported {_pct(c['support_rate'])}, "
        f"sentences cited {_pct(c['sentence_coverage'])}, citation recall {_pct(c['recall'])}",
        f"refusal: accuracy {_pct(f['accuracy'])} of {f['unanswerable']} unanswerable, "
        f"false refusals {_pct(f['false_refusal_rate'])} of {f['answerable']} answerable",
        "latency p50/p95 ms: " + ", ".join(f"{stage} {lat[stage]['p50'] or 0:.0f}/{lat[stage]['p95'] or 0:.0f}"
                                          for stage in ("retrieve", "answer", "total")),
    ]
    if m["faithfulness"]["questions"]:
        lines.append(f"faithfulness (LLM judge, {m['faithfulness']['questions']} q): {_pct(m['faithfulness']['score'])}")
    lines.append(f"report: {result.out_dir / 'report.html'}")
    return lines


def _compare(argv: list[str]) -> int:
    args = _compare_parser().parse_args(argv)
    try:
        print(format_comparison(compare_runs(args.run_a, args.run_b), all_metrics=args.all))
    except RunDirectoryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _run(argv: list[str]) -> int:
    args = _run_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from tqdm import tqdm

    from evaluation.assistant import build_judge, build_target

    bar = None
    try:
        settings = Settings()
        if args.store:
            settings.store.path = args.store
        k = settings.retrieval.k if args.k is None else args.k
        questions = load_questions(args.questions).limit(args.limit)
        target = build_target(settings)
        judge = build_judge(settings) if args.judge else None
        bar = tqdm(desc="evaluating", unit="question", file=sys.stderr, dynamic_ncols=True)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        result = run_evaluation(questions, target.assistant, target.corpus, out_dir=args.out, k=k,
                                workers=args.workers, config={**target.config, "k": k}, judge=judge, progress=progress)
    except (BriefsError, QuestionFileError, RunMismatchError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\ninterrupted: rerun with --out {args.out} to resume", file=sys.stderr)
        return 130
    finally:
        if bar is not None:
            bar.close()
    print("\n".join(summary_lines(result)))
    return 1 if result.metrics["run"]["failed"] else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "compare":
        return _compare(argv[1:])
    return _run(argv)


if __name__ == "__main__":
    sys.exit(main())
