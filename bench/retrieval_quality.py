"""Retrieval quality on Chroma's chunking benchmark (dev split): baseline, dense, keyword, hybrid.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.retrieval_quality [--store DIR] [--k 5] [--no-write]

The store is built by the product's own sync (``system.System(settings).syncer``, the same
loaders, web-debris detection, metadata, headings and chunking options as ``python -m ingest``), so the hybrid row is what ``python -m ingest CORPORA`` followed by
``python -m evaluation questions_dev.csv`` measures. Each dev question retrieves the top k
passages and is scored with the report's character-span metric (``evaluation.chunking_metrics``).

Rows:
- ``baseline``: LangChain ``RecursiveCharacterTextSplitter(chunk_size=800, chunk_overlap=0)``,
  the same bundled model, exact cosine top k (no store, no keyword search), computed here.
- ``dense`` / ``keyword``: the product's single rankings as they are (no neighbour smoothing).
- ``hybrid``: the product's retrieval with the current settings (what users get); ``hybrid, rrf``
  the same with reciprocal rank fusion (``BRIEFS_RETRIEVAL__FUSION=rrf``).
- ``split-half``: the fusion parameters (convex alpha x neighbour weight, a small grid) chosen
  on the odd-numbered questions and scored on the even-numbered ones, and the other way round;
  the row is the mean over all questions, each scored with parameters chosen on the other half.
  The defaults were once chosen on all dev questions, so ``hybrid`` is an in-sample figure and
  ``split-half`` the honest one.

The store (``.cache/bench-quality-store``) and the baseline vectors are reused while the model,
chunking settings and corpora are unchanged; only the first run pays for encoding (a few
minutes on 2 CPU cores). The table is written into ``docs/benchmarks.md`` (``--no-write``: print only).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import logging
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench._common import Load, header, load_average, markdown_table, setup_environment, write_section

setup_environment()

from evaluation.chunking_metrics import CharSpan, SpanScores, mean_scores, score_question  # noqa: E402
from retrieval.hybrid import HybridRetriever  # noqa: E402
from settings import REPO_ROOT, RetrievalSettings, Settings  # noqa: E402
from system import System, shared_embedder  # noqa: E402
from vectorstore.embedder import TextEmbedder  # noqa: E402

log = logging.getLogger("bench.retrieval_quality")

BENCH_DIR = REPO_ROOT.parent / "shared" / "bench" / "chunking"
_FINGERPRINT = "bench-settings.json"
BASELINE_CHARS = 800  # the benchmark README's plain baseline: 800-character recursive chunks, no overlap
# The split-half grid: the two fusion parameters the defaults were chosen over.
ALPHAS = (0.3, 0.4, 0.5)
NEIGHBOUR_WEIGHTS = (0.0, 0.2, 0.4, 0.6)


@dataclass(frozen=True)
class Question:
    text: str
    corpus_id: str
    references: tuple[CharSpan, ...]


@dataclass(frozen=True)
class Row:
    name: str
    scores: list[SpanScores]
    chars_per_passage: float
    ms_per_question: float
    note: str = ""


def load_questions(path: Path) -> list[Question]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [Question(row["question"], row["corpus_id"],
                         tuple(CharSpan(row["corpus_id"], r["start_index"], r["end_index"])
                               for r in json.loads(row["references"])))
                for row in csv.DictReader(handle)]


def corpora_digest(corpora: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpora}


def synced_system(settings: Settings, embedder: TextEmbedder, corpora_dir: Path, *, rebuild: bool) -> System:
    """The benchmark store at ``settings.store.path``, synced from ``corpora_dir`` as ``python -m ingest`` does.

    A store made with other chunking settings or another model is rebuilt from scratch; otherwise
    the sync is incremental (unchanged corpora are not embedded again).
    """
    path = settings.store.path
    fingerprint = {"model": embedder.name, "chunking": settings.chunking.model_dump(), "version": 2}
    stamp = path / _FINGERPRINT
    if path.exists() and (rebuild or not stamp.exists() or json.loads(stamp.read_text()) != fingerprint):
        shutil.rmtree(path)
    system = System(settings, embedder=embedder)
    began = time.perf_counter()
    report = system.syncer.sync([corpora_dir])
    if report.failed:
        raise SystemExit(f"the benchmark corpora failed to sync: {report.failed}")
    if report.chunks:
        print(f"synced {report.chunks} passages in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    stamp.write_text(json.dumps(fingerprint, indent=1))
    return system


def evaluate(retriever: HybridRetriever, questions: list[Question], vectors: np.ndarray, k: int) -> Row:
    """Span scores of each question (the question vectors given, so a grid pays for encoding once)."""
    scores: list[SpanScores] = []
    lengths: list[int] = []
    began = time.perf_counter()
    for question, vector in zip(questions, vectors):
        hits = retriever.search(question.text, k, vector=vector)
        spans = [CharSpan(Path(h.chunk.source).stem, h.chunk.start, h.chunk.end) for h in hits]
        scores.append(score_question(spans, question.references))
        lengths.extend(s.end - s.start for s in spans)
    ms = 1000 * (time.perf_counter() - began) / max(1, len(questions))
    return Row("", scores, sum(lengths) / max(1, len(lengths)), ms)


def baseline(embedder: TextEmbedder, corpora: list[Path], questions: list[Question], question_vectors: np.ndarray,
             k: int, cache: Path) -> Row:
    """The plain baseline: 800-character recursive chunks, the same model, exact cosine top k."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=BASELINE_CHARS, chunk_overlap=0, add_start_index=True)
    spans: list[CharSpan] = []
    texts: list[str] = []
    for corpus in corpora:
        text = corpus.read_text(encoding="utf-8")
        for doc in splitter.create_documents([text]):
            start = doc.metadata["start_index"]
            spans.append(CharSpan(corpus.stem, start, start + len(doc.page_content)))
            texts.append(doc.page_content)
    key = hashlib.sha256(json.dumps([embedder.name, corpora_digest(corpora), BASELINE_CHARS]).encode()).hexdigest()[:16]
    cached = cache / f"baseline-{key}.npy"
    if cached.exists():
        vectors = np.load(cached)
    else:
        began = time.perf_counter()
        vectors = embedder.encode(texts)
        cache.mkdir(parents=True, exist_ok=True)
        np.save(cached, vectors)
        print(f"baseline: embedded {len(texts)} chunks in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    scores: list[SpanScores] = []
    lengths: list[int] = []
    began = time.perf_counter()
    for question, vector in zip(questions, question_vectors):
        top = np.argsort(-(vectors @ vector))[:k]
        chosen = [spans[i] for i in top]
        scores.append(score_question(chosen, question.references))
        lengths.extend(s.end - s.start for s in chosen)
    ms = 1000 * (time.perf_counter() - began) / max(1, len(questions))
    return Row("baseline", scores, sum(lengths) / len(lengths), ms,
               f"RecursiveCharacterTextSplitter {BASELINE_CHARS}/0, cosine top {k}, {len(texts)} chunks")


def split_half(grid: dict[tuple[float, float], list[SpanScores]]) -> tuple[list[SpanScores], str]:
    """Each question scored with the grid point that has the best recall on the other half.

    Halves: odd- and even-numbered questions (1-based, file order). Ties go to the first grid point.
    """
    n = len(next(iter(grid.values())))
    halves = {"odd": list(range(0, n, 2)), "even": list(range(1, n, 2))}
    out: list[SpanScores | None] = [None] * n
    notes = []
    for choose, score in (("odd", "even"), ("even", "odd")):
        best = max(grid, key=lambda p: mean_scores([grid[p][i] for i in halves[choose]]).recall)
        for i in halves[score]:
            out[i] = grid[best][i]
        notes.append(f"chosen on {choose}: alpha {best[0]}, neighbour {best[1]}")
    return [s for s in out if s is not None], "; ".join(notes)


def main(argv: list[str] | None = None) -> int:
    settings = Settings()
    parser = argparse.ArgumentParser(prog="python -m bench.retrieval_quality", description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=REPO_ROOT / ".cache" / "bench-quality-store",
                        help="where the benchmark store is synced and reused (default .cache/bench-quality-store)")
    parser.add_argument("--bench", type=Path, default=BENCH_DIR, help="the chunking benchmark folder")
    parser.add_argument("--k", type=int, default=settings.retrieval.k, help="passages retrieved per question")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the store even if its settings match")
    parser.add_argument("--no-grid", dest="grid", action="store_false", help="skip the split-half grid")
    parser.add_argument("--no-write", dest="write", action="store_false", help="print only; leave docs/ alone")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    load_before = load_average()
    corpora_dir = args.bench / "corpora"
    corpora = sorted(corpora_dir.glob("*.md"))
    questions = load_questions(args.bench / "questions_dev.csv")
    cache = args.store.parent
    settings = settings.model_copy(update={
        "store": settings.store.model_copy(update={"path": args.store, "host": None}),
        "data_dir": cache / "bench-quality-data"})
    embedder = shared_embedder(settings.embedding)
    system = synced_system(settings, embedder, corpora_dir, rebuild=args.rebuild)
    question_vectors = embedder.encode([q.text for q in questions])

    def retriever(retrieval: RetrievalSettings) -> HybridRetriever:
        """The product's retriever (as ``System`` builds it) with other retrieval settings."""
        found = System(settings.model_copy(update={"retrieval": retrieval}), embedder=embedder).retriever
        found.keyword_index()
        return found

    current = settings.retrieval.model_copy(update={"k": args.k, "fetch_k": max(settings.retrieval.fetch_k, args.k)})
    single = {"fusion": "rrf", "neighbour_weight": 0.0}  # one ranking: its own order, unsmoothed
    rows = [baseline(embedder, corpora, questions, question_vectors, args.k, cache / "bench-baseline")]
    for name, retrieval in (
            ("dense", current.model_copy(update={**single, "dense_weight": 1.0, "keyword_weight": 0.0})),
            ("keyword", current.model_copy(update={**single, "dense_weight": 0.0, "keyword_weight": 1.0})),
            ("hybrid, rrf", current.model_copy(update={"fusion": "rrf", "neighbour_weight": None})),
            ("hybrid", current)):
        row = evaluate(retriever(retrieval), questions, question_vectors, args.k)
        note = "the product's settings (in-sample: chosen on these questions)" if name == "hybrid" else ""
        rows.append(Row(name, row.scores, row.chars_per_passage, row.ms_per_question, note))
    if args.grid:
        grid: dict[tuple[float, float], list[SpanScores]] = {}
        for alpha in ALPHAS:
            for weight in NEIGHBOUR_WEIGHTS:
                params = current.model_copy(update={"fusion": "convex", "convex_alpha": alpha,
                                                    "neighbour_weight": weight})
                grid[(alpha, weight)] = evaluate(retriever(params), questions, question_vectors, args.k).scores
        scores, note = split_half(grid)
        best = max(grid, key=lambda p: mean_scores(grid[p]).recall)
        rows.append(Row("split-half", scores, float("nan"), float("nan"), note))
        rows.append(Row("grid best", grid[best], float("nan"), float("nan"),
                        f"alpha {best[0]}, neighbour {best[1]}: the best of the grid on all questions (optimistic)"))
    load = Load(load_before, load_average())

    names = sorted({q.corpus_id for q in questions})
    headers = ["retrieval", "recall", "precision", "IoU", "odd R / P", "even R / P", "chars/passage", "ms/question",
               "note"]
    table = []
    for row in rows:
        means, odd, even = mean_scores(row.scores), mean_scores(row.scores[0::2]), mean_scores(row.scores[1::2])
        table.append([row.name, f"{means.recall:.1f}", f"{means.precision:.2f}", f"{means.iou:.2f}",
                      f"{odd.recall:.1f} / {odd.precision:.2f}", f"{even.recall:.1f} / {even.precision:.2f}",
                      row.chars_per_passage, row.ms_per_question, row.note])
    by_corpus = [[row.name] + [f"{mean_scores([s for s, q in zip(row.scores, questions) if q.corpus_id == c]).recall:.1f}"
                               for c in names] for row in rows]
    counts = {c: sum(q.corpus_id == c for q in questions) for c in names}
    r = current
    body = (
        "## Retrieval quality (Chroma's chunking benchmark, dev split)\n\n"
        + header(load)
        + f"- {len(questions)} questions, k={args.k}; store synced by `ingest.sync.Syncer` as `python -m ingest` "
          f"does ({system.store.count()} passages; chunking target_chars={settings.chunking.target_chars}, "
          f"embed_title={settings.chunking.embed_title}); model {embedder.name}; retrieval fetch_k={r.fetch_k}, "
          f"fusion={r.fusion}, convex_alpha={r.convex_alpha}, neighbour_weight={r.neighbour_share}\n"
        + "- Recall, precision and IoU x100, as the benchmark reports them; odd / even: the odd- and even-numbered "
          "questions alone. `split-half`: parameters chosen on one half, scored on the other (grid: alpha "
          f"{', '.join(map(str, ALPHAS))} x neighbour weight {', '.join(map(str, NEIGHBOUR_WEIGHTS))}).\n\n"
        + markdown_table(headers, table)
        + "\n\nRecall by corpus (questions): " + ", ".join(f"{c} ({counts[c]})" for c in names) + "\n\n"
        + markdown_table(["retrieval", *names], by_corpus) + "\n")
    print(body)
    if args.write:
        write_section("retrieval-quality", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
