"""Question latency: hybrid retrieval and the offline answer, p50/p95, 1 and 4 callers, by store size.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.query_latency [--sizes base,10000,100000] [--questions 100]
    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.query_latency --bm25-compare [--sizes 100000]

Stores come from ``bench.scale_store`` (built and cached on first use). For each store the app's
objects are built as the app builds them (``HybridRetriever`` over the store, ``System.assistant_over``
with the extractive backend); the BM25 index is built before timing (and its build time shown).
Questions are the chunking benchmark's dev questions, cycled. Each figure is the latency of one
call as its caller sees it:

- retrieval: ``HybridRetriever.search(question)`` (encode the question, Chroma HNSW query, BM25, fusion);
- retrieval, one-brief filter: the same restricted to one brief, as the sidebar's brief filter does
  (the dense side compares that brief's stored vectors itself, ``ChromaStore.query(among=...)``);
- answer: ``Assistant.ask(question)`` (the above plus sentence scoring and the extractive answer);
- with 4 callers, 4 threads share one retriever and one assistant, as Streamlit sessions share
  the app's cached objects.

``--bm25-compare`` times bm25s against rank-bm25 (index build and one query's scores + top k)
over the same tokens, the measurement behind the choice of bm25s. ``--profile SIZE`` writes a
pyinstrument profile of the single-caller runs at that size. Figures go to the ``latency``
(and ``bm25``) sections of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import (CACHE, QUESTIONS, Load, header, load_average, markdown_table,  # noqa: E402
                           percentile_ms, setup_environment, write_section)

setup_environment()

from answer.citations import quote_spans  # noqa: E402
from bench.scale_store import BASE, store_for  # noqa: E402
from retrieval.filters import Filters  # noqa: E402
from retrieval.hybrid import HybridRetriever  # noqa: E402
from retrieval.keyword_retriever import keyword_text  # noqa: E402
from retrieval.keyword import tokenize  # noqa: E402
from settings import Settings  # noqa: E402
from system import System, shared_embedder  # noqa: E402

log = logging.getLogger("bench.query_latency")

# Targets of issue 6 on this machine: (operation, passages) -> p95 ms.
TARGETS = {("retrieval", 10_000): 50.0, ("retrieval", 100_000): 150.0, ("answer", 10_000): 200.0}
WARM_UP = 5


@dataclass(frozen=True)
class Result:
    variant: str
    passages: int
    operation: str
    callers: int
    seconds: list[float]
    wall: float
    sentences: float = float("nan")  # distinct sentences of the retrieved passages, per answer (the answer's work)

    @property
    def p50(self) -> float:
        return percentile_ms(self.seconds, 50)

    @property
    def p95(self) -> float:
        return percentile_ms(self.seconds, 95)

    @property
    def per_second(self) -> float:
        return len(self.seconds) / self.wall


def load_questions(limit: int) -> list[str]:
    with QUESTIONS.open(encoding="utf-8", newline="") as handle:
        questions = [row["question"] for row in csv.DictReader(handle)]
    return [questions[i % len(questions)] for i in range(limit)]


def timed_calls(call: Callable[[str], object], questions: Sequence[str], callers: int) -> tuple[list[float], float]:
    """Per-call latencies of ``call`` over ``questions`` with ``callers`` threads, and the wall time."""
    latencies: list[float] = [0.0] * len(questions)

    def one(index: int) -> None:
        began = time.perf_counter()
        call(questions[index])
        latencies[index] = time.perf_counter() - began

    began = time.perf_counter()
    if callers == 1:
        for index in range(len(questions)):
            one(index)
    else:
        with ThreadPoolExecutor(max_workers=callers) as pool:
            list(pool.map(one, range(len(questions))))
    return latencies, time.perf_counter() - began


def _distinct_sentences(hits) -> int:
    keys = {" ".join(h.chunk.text[s:e].lower().split()) for h in hits for s, e in quote_spans(h.chunk.text)}
    return len(keys)


def _verdict(operation: str, passages: int, p95: float) -> tuple[str, str]:
    target = next((t for (op, n), t in TARGETS.items() if op == operation and abs(passages - n) <= n * 0.05), None)
    if target is None:
        return "", ""
    return f"<= {target:.0f}", "yes" if p95 <= target else "**no**"


def measure_store(settings: Settings, embedder, size: str, questions: list[str], concurrency: list[int],
                  profile: Path | None) -> tuple[list[Result], list[list[object]]]:
    path = store_for(size, settings)
    system = System(settings, embedder=embedder).with_store(path)
    store = system.store
    variant = "as shipped"
    passages = store.count()
    retriever = HybridRetriever.over(store=store, embedder=embedder, settings=settings.retrieval)
    began = time.perf_counter()
    index = retriever.keyword_index()
    bm25_build = time.perf_counter() - began
    answer_settings = settings.answer.model_copy(update={"backend": "extractive"})
    assistant = System(settings.model_copy(update={"answer": answer_settings}), embedder=embedder).assistant_over(retriever)
    # A question restricted to one brief (the sidebar's brief filter), as an analyst narrows a search.
    one_brief = Filters(sources=(min(c.source for c in index.chunks),))
    operations: dict[str, Callable[[str], object]] = {
        "retrieval": retriever.search, "answer": assistant.ask,
        "retrieval, one-brief filter": lambda question: retriever.search(question, filters=one_brief)}
    for question in questions[:WARM_UP]:
        assistant.ask(question)
    # The answer's cost grows with the distinct sentences it scores; show it is alike at every size.
    sentences = float(np.mean([_distinct_sentences(assistant.ask(q).retrieved) for q in questions[:20]]))

    results: list[Result] = []
    profiler = None
    for callers in concurrency:
        for name, call in operations.items():
            if profile is not None and callers == 1:
                from pyinstrument import Profiler

                profiler = profiler or Profiler(interval=0.001)
                profiler.start()
            seconds, wall = timed_calls(call, questions, callers)
            if profiler is not None and profiler.is_running:
                profiler.stop()
            results.append(Result(variant, passages, name, callers, seconds, wall,
                                  sentences if name == "answer" else float("nan")))
            log.warning("%s, %d passages, %s, %d caller(s): p50 %.1f ms, p95 %.1f ms", variant, passages, name,
                        callers, results[-1].p50, results[-1].p95)
    if profiler is not None and profile is not None:
        profile.write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
        log.warning("profile written to %s", profile)

    # Where single-caller retrieval time goes: the steps of HybridRetriever.search, one by one.
    fetch_k = settings.retrieval.fetch_k
    steps: dict[str, list[float]] = {"encode question": [], "Chroma query (fetch_k)": [], "BM25 search (fetch_k)": [],
                                     "store generation + count check (once a second at most, `recheck_s`)": []}
    for question in questions:
        t0 = time.perf_counter()
        vector = embedder.encode([question])[0]
        t1 = time.perf_counter()
        store.query(vector, fetch_k)
        t2 = time.perf_counter()
        index.search(question, fetch_k)
        t3 = time.perf_counter()
        (store.state(), store.count())
        t4 = time.perf_counter()
        for key, elapsed in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            steps[key].append(elapsed)
    breakdown = [[variant, f"{passages:,}", step, percentile_ms(s, 50), percentile_ms(s, 95)]
                 for step, s in steps.items()]
    breakdown.append([variant, f"{passages:,}", "BM25 index build (once per store change)", bm25_build * 1000,
                      float("nan")])
    return results, breakdown


def bm25_compare(settings: Settings, size: str, questions: list[str], k: int) -> list[list[object]]:
    """bm25s against rank-bm25 over the same tokens of the same passages."""
    import bm25s
    from rank_bm25 import BM25Okapi

    path = store_for(size, settings)
    store = System(settings).with_store(path).store
    chunks = list(store.iter_chunks())
    began = time.perf_counter()
    corpus = [tokens or [" "] for tokens in tokenize([keyword_text(c) for c in chunks])]
    tokenizing = time.perf_counter() - began
    queries = [tokenize([q])[0] for q in questions]
    rows: list[list[object]] = []

    began = time.perf_counter()
    fast = bm25s.BM25(k1=1.2, b=0.75)
    fast.index(corpus, show_progress=False)
    build = time.perf_counter() - began
    seconds = []
    for tokens in queries:
        t = time.perf_counter()
        scores = fast.get_scores(tokens)
        np.argpartition(-scores, k)[:k]
        seconds.append(time.perf_counter() - t)
    rows.append([f"bm25s {bm25s.__version__}", f"{len(chunks):,}", build, percentile_ms(seconds, 50),
                 percentile_ms(seconds, 95), len(queries)])

    began = time.perf_counter()
    slow = BM25Okapi(corpus, k1=1.2, b=0.75)
    build = time.perf_counter() - began
    seconds = []
    for tokens in queries[: max(10, len(queries) // 5)]:  # rank-bm25 is slow: a fifth of the questions
        t = time.perf_counter()
        scores = slow.get_scores(tokens)
        np.argpartition(-scores, k)[:k]
        seconds.append(time.perf_counter() - t)
    from importlib.metadata import version

    rows.append([f"rank-bm25 {version('rank-bm25')} (BM25Okapi)", f"{len(chunks):,}", build,
                 percentile_ms(seconds, 50), percentile_ms(seconds, 95), len(seconds)])
    log.warning("tokenizing %d passages took %.1f s (shared by both)", len(chunks), tokenizing)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.query_latency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=f"{BASE},10000,100000",
                        help=f"stores to measure: '{BASE}' (the real sync, ~2,100 passages) or passage counts")
    parser.add_argument("--questions", type=int, default=100, help="calls per operation and caller count")
    parser.add_argument("--concurrency", default="1,4", help="caller counts (threads sharing the objects)")
    parser.add_argument("--quick", action="store_true", help="base store, 20 questions; never written to the report")
    parser.add_argument("--profile", metavar="SIZE", help="pyinstrument profile of the single-caller runs at SIZE "
                        "(written to .cache/bench/profile-query-SIZE.txt)")
    parser.add_argument("--bm25-compare", action="store_true", help="time bm25s against rank-bm25 instead")
    parser.add_argument("--no-write", dest="write", action="store_false", help="print only; leave docs/benchmarks.md")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.quick:
        args.sizes, args.questions, args.write = BASE, 20, False
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    try:
        concurrency = [int(c) for c in args.concurrency.split(",")]
    except ValueError:
        parser.error(f"--concurrency ({args.concurrency!r}) must be comma-separated integers")
    if args.questions < WARM_UP or any(c < 1 for c in concurrency):
        parser.error("--questions must be at least 5 and every --concurrency at least 1")
    settings = Settings()
    questions = load_questions(args.questions)
    load = Load(load_average(), float("nan"))

    if args.bm25_compare:
        rows = []
        for size in sizes:
            rows += bm25_compare(settings, size, questions, settings.retrieval.fetch_k)
        load = Load(load.before, load_average())
        table = markdown_table(["library", "passages", "index build s", "query p50 ms", "query p95 ms", "queries"], rows)
        body = (f"{header(load)}- Same tokens for both (lowercased, stop words removed, Snowball-stemmed, as "
                f"`retrieval.keyword`); a query is all passages' scores plus the top {settings.retrieval.fetch_k}\n\n"
                f"{table}\n")
        print(body)
        if args.write:
            write_section("bm25", "### Keyword search library: bm25s against rank-bm25\n\n" + body)
        return 0

    embedder = shared_embedder(settings.embedding)
    embedder.encode(["warm-up"])
    results: list[Result] = []
    breakdown: list[list[object]] = []
    for size in sizes:
        profile = CACHE / f"profile-query-{size}.txt" if args.profile == size else None
        found, steps = measure_store(settings, embedder, size, questions, concurrency, profile)
        results += found
        breakdown += steps
    load = Load(load.before, load_average())

    rows = []
    for r in results:
        target, met = _verdict(r.operation, r.passages, r.p95)
        rows.append([f"{r.passages:,}", r.variant, r.operation, r.callers, r.p50, r.p95, r.per_second,
                     "" if r.sentences != r.sentences else f"{r.sentences:.0f}", target, met])
    table = markdown_table(["passages", "code", "operation", "callers", "p50 ms", "p95 ms", "calls/s",
                            "distinct sentences retrieved", "target p95 ms", "met"], rows)
    steps_table = markdown_table(["code", "passages", "step (1 caller)", "p50 ms", "p95 ms"], breakdown)
    body = (f"{header(load)}- {args.questions} calls per row (the chunking benchmark's dev questions), after "
            f"{WARM_UP} warm-up answers; k={settings.retrieval.k}, fetch_k={settings.retrieval.fetch_k}; "
            f"embedder bf16={embedder.bf16}\n\n{table}\n\nWhere retrieval time goes:\n\n{steps_table}\n")
    print(body)
    if args.write:
        write_section("latency", "### Question latency\n\n" + body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
