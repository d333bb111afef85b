"""Retrieval quality on Chroma's chunking benchmark (dev split): dense, keyword and hybrid.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.retrieval_quality [--store DIR] [--k 5] \
        [--fusion convex|rrf] [--convex-alpha A] [--neighbour-weight W] [--rrf-k K] [--fetch-k N]

All five corpora of ``../shared/bench/chunking`` go into one store, split and embedded as the
product does (``ingest.splitter`` with the chunking settings); each dev question retrieves the
top k passages and is scored with the report's character-span metric
(``evaluation.chunking_metrics``). The store is reused when it was built with the same
settings, so only the first run pays for encoding (a few minutes on 2 CPU cores).

Besides the means over all questions it prints them over the odd- and even-numbered questions
(1-based, file order), so a parameter chosen on one half can be checked on the other, and the
recall of each corpus. The dense and keyword rows are the single rankings as they are (no
neighbour smoothing); the hybrid row is the product's retrieval with the fusion flags given.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import logging
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation.chunking_metrics import CharSpan, SpanScores, mean_scores, score_question  # noqa: E402
from ingest.splitter import embedding_text, split_document  # noqa: E402
from retrieval.hybrid import HybridRetriever  # noqa: E402
from settings import REPO_ROOT, RetrievalSettings, Settings  # noqa: E402
from vectorstore.embedder import SentenceTransformerEmbedder  # noqa: E402
from vectorstore.store import ChromaStore, ManifestEntry, open_store  # noqa: E402
from vectorstore.types import Document, DocumentMeta, Section  # noqa: E402

log = logging.getLogger("bench.retrieval_quality")

BENCH_DIR = REPO_ROOT.parent / "shared" / "bench" / "chunking"
_FINGERPRINT = "bench-settings.json"
# Headings as these corpora write them: Markdown "# Title" and wikitext " = Title = " / " = = Part = = ".
_ATX = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_WIKI = re.compile(r"^\s*((?:= )+)(.+?)(?: =)+\s*$")


@dataclass(frozen=True)
class Question:
    text: str
    corpus_id: str
    references: tuple[CharSpan, ...]


def headings(text: str) -> tuple[Section, ...]:
    """Section starts for Markdown and wikitext headings; a sub-heading carries its parents' titles."""
    sections: list[Section] = []
    trail: list[str] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        match = _ATX.match(line.rstrip("\n"))
        level, title = (len(match.group(1)), match.group(2)) if match else (0, "")
        if not match and (wiki := _WIKI.match(line.rstrip("\n"))):
            level, title = wiki.group(1).count("="), wiki.group(2)
        if level:
            trail = trail[: level - 1] + [title.strip()]
            start = offset + len(line) - len(line.lstrip())
            sections.append(Section(start=start, title=" > ".join(trail)))
        offset += len(line)
    return tuple(sections)


def load_corpus(path: Path) -> Document:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    return Document(source=path.name, text=text, content_hash=hashlib.sha256(raw).hexdigest(), format="md",
                    encoding="utf-8", meta=DocumentMeta(), sections=headings(text))


def load_questions(path: Path) -> list[Question]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [Question(row["question"], row["corpus_id"],
                         tuple(CharSpan(row["corpus_id"], r["start_index"], r["end_index"])
                               for r in json.loads(row["references"])))
                for row in csv.DictReader(handle)]


def build_store(path: Path, corpora: list[Path], embedder: SentenceTransformerEmbedder,
                fingerprint: dict, *, rebuild: bool) -> ChromaStore:
    """The benchmark store at ``path``, (re)built unless it holds these corpora with these settings."""
    stamp = path / _FINGERPRINT
    if not rebuild and stamp.exists() and json.loads(stamp.read_text()) == fingerprint:
        log.info("reusing the benchmark store at %s", path)
        return open_store(path=str(path), model=embedder.name, dimension=embedder.dimension)
    if path.exists():
        shutil.rmtree(path)
    store = open_store(path=str(path), model=embedder.name, dimension=embedder.dimension)
    chunking = fingerprint["chunking"]
    max_tokens = min(chunking["max_tokens"] or embedder.max_tokens, embedder.max_tokens)
    began = time.perf_counter()
    total = 0
    for corpus in corpora:
        doc = load_corpus(corpus)
        chunks = split_document(doc, count_tokens=embedder.count_tokens, max_tokens=max_tokens,
                                target_chars=chunking["target_chars"],
                                overlap_sentences=chunking["overlap_sentences"], embed_title=chunking["embed_title"])
        vectors = embedder.encode([embedding_text(c, with_title=chunking["embed_title"]) for c in chunks])
        store.upsert_chunks(chunks, vectors, ready=True)
        store.put_manifest(ManifestEntry(doc_id=doc.content_hash, sources=(doc.source,),
                                         chunk_ids=tuple(c.id for c in chunks), model=embedder.name), text=doc.text)
        total += len(chunks)
        log.info("%s: %d passages", corpus.name, len(chunks))
    store.record_sync(changed=True)
    stamp.write_text(json.dumps(fingerprint, indent=1))
    print(f"indexed {total} passages in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    return store


def evaluate(retriever: HybridRetriever, questions: list[Question], k: int) -> tuple[list[SpanScores], float]:
    """Recall / precision / IoU (fractions) of each question, and the mean passage length."""
    scores, lengths = [], []
    for question in questions:
        hits = retriever.search(question.text, k)
        spans = [CharSpan(Path(h.chunk.source).stem, h.chunk.start, h.chunk.end) for h in hits]
        scores.append(score_question(spans, question.references))
        lengths.extend(len(s) for s in spans)
    return scores, sum(lengths) / max(1, len(lengths))


def per_corpus_recall(scores: list[SpanScores], questions: list[Question]) -> dict[str, float]:
    """Mean recall (x100) of the questions of each corpus."""
    by_corpus: dict[str, list[SpanScores]] = {}
    for score, question in zip(scores, questions):
        by_corpus.setdefault(question.corpus_id, []).append(score)
    return {corpus: mean_scores(group).recall for corpus, group in sorted(by_corpus.items())}


def main(argv: list[str] | None = None) -> int:
    settings = Settings()
    parser = argparse.ArgumentParser(prog="python -m bench.retrieval_quality", description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=REPO_ROOT / ".cache" / "bench-quality-store",
                        help="where the benchmark store is built and reused (default .cache/bench-quality-store)")
    parser.add_argument("--bench", type=Path, default=BENCH_DIR, help="the chunking benchmark folder")
    parser.add_argument("--k", type=int, default=settings.retrieval.k, help="passages retrieved per question")
    parser.add_argument("--fetch-k", type=int, default=settings.retrieval.fetch_k, help="candidates per ranking")
    parser.add_argument("--fusion", choices=("convex", "rrf"), default=settings.retrieval.fusion,
                        help="convex combination of min-max normalised scores, or reciprocal rank fusion")
    parser.add_argument("--convex-alpha", type=float, default=settings.retrieval.convex_alpha,
                        help="share of the dense ranking in convex fusion")
    parser.add_argument("--rrf-k", type=int, default=settings.retrieval.rrf_k, help="reciprocal-rank-fusion constant")
    parser.add_argument("--neighbour-weight", type=float, default=settings.retrieval.neighbour_weight,
                        help="share of a passage's score from its neighbours' (default: 0.4 convex, 0 rrf)")
    parser.add_argument("--dense-weight", type=float, default=settings.retrieval.dense_weight)
    parser.add_argument("--keyword-weight", type=float, default=settings.retrieval.keyword_weight)
    parser.add_argument("--target-chars", type=int, default=settings.chunking.target_chars)
    parser.add_argument("--overlap", type=int, default=settings.chunking.overlap_sentences,
                        help="sentences repeated at the start of the next passage")
    parser.add_argument("--no-embed-title", dest="embed_title", action="store_false", default=settings.chunking.embed_title,
                        help="embed the passage text alone, without its heading")
    parser.add_argument("--no-keyword-titles", dest="keyword_titles", action="store_false",
                        help="index the passage text alone for BM25, without its heading")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the store even if its settings match")
    parser.add_argument("--modes", default="dense,keyword,hybrid", help="comma-separated subset of dense,keyword,hybrid")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    corpora = sorted((args.bench / "corpora").glob("*.md"))
    questions = load_questions(args.bench / "questions_dev.csv")
    chunking = settings.chunking.model_copy(update={"target_chars": args.target_chars, "overlap_sentences": args.overlap,
                                                    "embed_title": args.embed_title})
    e = settings.embedding
    embedder = SentenceTransformerEmbedder(e.model, device=e.device, batch_size=e.batch_size, precision=e.precision)
    fingerprint = {"model": embedder.name, "bf16": embedder.bf16, "chunking": chunking.model_dump(),
                   "corpora": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpora}, "version": 1}
    store = build_store(args.store, corpora, embedder, fingerprint, rebuild=args.rebuild)

    hybrid = RetrievalSettings.model_validate({
        **settings.retrieval.model_dump(), "k": args.k, "fetch_k": max(args.fetch_k, args.k), "fusion": args.fusion,
        "convex_alpha": args.convex_alpha, "rrf_k": args.rrf_k, "neighbour_weight": args.neighbour_weight,
        "dense_weight": args.dense_weight, "keyword_weight": args.keyword_weight})
    single = {"fusion": "rrf", "neighbour_weight": 0.0}  # one ranking: its own order, unsmoothed
    modes = {"dense": hybrid.model_copy(update={**single, "dense_weight": 1.0, "keyword_weight": 0.0}),
             "keyword": hybrid.model_copy(update={**single, "dense_weight": 0.0, "keyword_weight": 1.0}),
             "hybrid": hybrid}
    fusion = (f"fusion=convex alpha={hybrid.convex_alpha}" if hybrid.fusion == "convex"
              else f"fusion=rrf rrf_k={hybrid.rrf_k}")
    print(f"dev split: {len(questions)} questions, k={args.k}; model {embedder.name} (bf16={embedder.bf16}); "
          f"chunking target_chars={chunking.target_chars} overlap_sentences={chunking.overlap_sentences} "
          f"embed_title={chunking.embed_title}; fetch_k={hybrid.fetch_k} {fusion} "
          f"neighbour_weight={hybrid.neighbour_share} weights dense={hybrid.dense_weight} "
          f"keyword={hybrid.keyword_weight} keyword_titles={args.keyword_titles}")
    print(f"{'mode':8} {'recall':>7} {'precision':>9} {'IoU':>6} {'chars/passage':>13} {'ms/question':>11}"
          f" {'odd R/P':>11} {'even R/P':>11}")
    corpora_recall = {}
    for mode in args.modes.split(","):
        retriever = HybridRetriever.over(store=store, embedder=embedder, settings=modes[mode],
                                         keyword_titles=args.keyword_titles)
        retriever.keyword_index()
        began = time.perf_counter()
        scores, length = evaluate(retriever, questions, args.k)
        ms = 1000 * (time.perf_counter() - began) / len(questions)
        # odd- and even-numbered questions: 1, 3, 5, ... and 2, 4, 6, ... (1-based, file order)
        means, m_odd, m_even = mean_scores(scores), mean_scores(scores[0::2]), mean_scores(scores[1::2])
        print(f"{mode:8} {means.recall:7.1f} {means.precision:9.2f} {means.iou:6.2f} {length:13.0f} {ms:11.1f}"
              f" {m_odd.recall:6.1f}/{m_odd.precision:4.2f} {m_even.recall:6.1f}/{m_even.precision:4.2f}")
        corpora_recall[mode] = per_corpus_recall(scores, questions)
    names = sorted({c for recall in corpora_recall.values() for c in recall})
    counts = {c: sum(q.corpus_id == c for q in questions) for c in names}
    print("recall by corpus (questions): " + ", ".join(f"{c} ({counts[c]})" for c in names))
    for mode, recall in corpora_recall.items():
        print(f"{mode:8} " + " ".join(f"{recall[c]:7.1f}" for c in names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
