"""Ingest throughput against bare encoding and against LangChain's Chroma pipeline, in one run.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.ingest_throughput [--repeat 3] [--fp32] [--quick]

Over the chunking benchmark's corpora (``../shared/bench/chunking/corpora``), each repeat times:

1. ``Syncer.sync`` of the corpora into a fresh store: load, split, embed, store (the product path);
2. a re-sync of the same store with nothing changed;
3. bare ``SentenceTransformer.encode`` over exactly the passage texts the sync embedded, same
   batch size and precision (bf16 autocast where the product uses it), in one call;
4. LangChain's pipeline: the same loader and splitter, then ``langchain_chroma.Chroma.from_documents``
   with an ``Embeddings`` adapter around the same model (``HuggingFaceEmbeddings`` does the same
   ``encode`` call; the adapter avoids installing langchain-huggingface, which downgrades
   huggingface-hub) into a fresh persistent Chroma directory.

``--fp32`` adds bare and LangChain runs in fp32 (what ``HuggingFaceEmbeddings`` does by default).
The model is loaded and warmed before any timing, so every figure is steady-state work.
Prints a table and writes it to the ``ingest`` section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import shutil
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import (CACHE, CORPORA, REPO_ROOT, Load, header, load_average,  # noqa: E402
                           markdown_table, setup_environment, write_section)

setup_environment()

from ingest.loaders import load_document  # noqa: E402
from ingest.splitter import embedding_text, split_document  # noqa: E402
from settings import Settings  # noqa: E402
from system import System, shared_embedder, sync_options  # noqa: E402
from vectorstore.embedder import SentenceTransformerEmbedder, resolve_model_path  # noqa: E402

log = logging.getLogger("bench.ingest_throughput")

QUICK_CORPORA = ("chatlogs.md", "state_of_the_union.md")


@dataclass
class Timings:
    """Seconds per repeat for each measured step."""

    runs: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.runs.setdefault(name, []).append(seconds)

    def median(self, name: str) -> float:
        return statistics.median(self.runs[name]) if self.runs.get(name) else float("nan")


class _Autocast:
    def __init__(self, bf16: bool) -> None:
        self.bf16 = bf16

    def __call__(self):
        if not self.bf16:
            return contextlib.nullcontext()
        import torch

        return torch.autocast("cpu", dtype=torch.bfloat16)


class _TimedEmbedder:
    """The product's embedder, with the seconds spent in ``encode`` added up (the rest is pipeline)."""

    def __init__(self, embedder: SentenceTransformerEmbedder) -> None:
        self._embedder = embedder
        self.seconds = 0.0

    def __getattr__(self, name: str):
        return getattr(self._embedder, name)

    def encode(self, texts):
        began = time.perf_counter()
        try:
            return self._embedder.encode(texts)
        finally:
            self.seconds += time.perf_counter() - began


def _langchain_embeddings(model, *, batch_size: int, bf16: bool):
    """An ``Embeddings`` that does what ``HuggingFaceEmbeddings.embed_documents`` does, on ``model``."""
    from langchain_core.embeddings import Embeddings

    autocast = _Autocast(bf16)

    class SentenceTransformerEmbeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            texts = [t.replace("\n", " ") for t in texts]  # as HuggingFaceEmbeddings does
            with autocast():
                vectors = model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                       show_progress_bar=False)
            return vectors.tolist()

        def embed_query(self, text: str) -> list[float]:
            return self.embed_documents([text])[0]

    return SentenceTransformerEmbeddings()


def _fresh_dir(parent: Path, prefix: str) -> Path:
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))


def time_sync(settings: Settings, embedder: SentenceTransformerEmbedder, corpora: list[Path], work: Path,
              profile: Path | None) -> tuple[float, float, float, Path, int]:
    """(first sync seconds, of which encoding, unchanged re-sync seconds, store path, passages stored)."""
    path = _fresh_dir(work, "sync-")
    timed = _TimedEmbedder(embedder)
    syncer = System(settings, embedder=embedder).with_store(path, embedder=timed).syncer
    profiler = None
    if profile is not None:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
        profiler.start()
    began = time.perf_counter()
    report = syncer.sync(corpora)
    first = time.perf_counter() - began
    if profiler is not None and profile is not None:
        profiler.stop()
        profile.write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
        log.warning("ingest profile written to %s", profile)
    if report.failed:
        raise SystemExit(f"sync failed: {report.failed}")
    again = System(settings, embedder=embedder).with_store(path).syncer
    began = time.perf_counter()
    second = again.sync(corpora)
    resync = time.perf_counter() - began
    if second.chunks or second.unchanged != len(corpora):
        raise SystemExit(f"the re-sync was expected to change nothing: {second.summary()}")
    return first, timed.seconds, resync, path, report.chunks


def embedded_texts(settings: Settings, store_path: Path, embedder: SentenceTransformerEmbedder) -> list[str]:
    """The exact strings the sync gave the embedder, read back from the store."""
    store = System(settings, embedder=embedder).with_store(store_path).store
    with_title = settings.chunking.embed_title
    return [embedding_text(c, with_title=with_title) for c in store.iter_chunks()]


def time_bare(model, texts: list[str], *, batch_size: int, bf16: bool) -> float:
    autocast = _Autocast(bf16)
    began = time.perf_counter()
    with autocast():
        model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
                     show_progress_bar=False)
    return time.perf_counter() - began


def time_langchain(settings: Settings, embedder: SentenceTransformerEmbedder, model, corpora: list[Path],
                   work: Path, *, bf16: bool) -> tuple[float, int]:
    """LangChain's pipeline: our loader and splitter, then ``Chroma.from_documents``; (seconds, passages)."""
    import chromadb
    from langchain_chroma import Chroma
    from langchain_core.documents import Document

    options = sync_options(settings)
    max_tokens = min(options.max_tokens or embedder.max_tokens, embedder.max_tokens)
    embeddings = _langchain_embeddings(model, batch_size=embedder.batch_size, bf16=bf16)
    path = _fresh_dir(work, "langchain-")
    began = time.perf_counter()
    documents: list[Document] = []
    for corpus in corpora:
        doc = load_document(corpus, source=corpus.name, max_bytes=options.max_bytes, timeout_s=options.parse_timeout_s)
        for chunk in split_document(doc, count_tokens=embedder.count_tokens, max_tokens=max_tokens,
                                    target_chars=options.target_chars, overlap_sentences=options.overlap_sentences,
                                    embed_title=options.embed_title):
            documents.append(Document(
                id=chunk.id, page_content=embedding_text(chunk, with_title=options.embed_title),
                metadata={"doc_id": chunk.doc_id, "source": chunk.source, "start": chunk.start, "end": chunk.end}))
    Chroma.from_documents(documents, embeddings, persist_directory=str(path), collection_name="briefs",
                          collection_metadata={"hnsw:space": "cosine"},
                          client_settings=chromadb.config.Settings(anonymized_telemetry=False))
    seconds = time.perf_counter() - began
    shutil.rmtree(path, ignore_errors=True)
    return seconds, len(documents)


def time_cli(store_path: Path, corpora: list[Path], data_dir: Path) -> float:
    """Wall time of one ``python -m ingest`` run: interpreter, imports and (when it embeds) model load included."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFS_")}
    env.update(HF_HUB_OFFLINE="1", BRIEFS_DATA_DIR=str(data_dir))
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ingest", *map(str, corpora), "--store", str(store_path), "--json"],
                   cwd=REPO_ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest_throughput", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="folder of briefs to ingest (default: the "
                        "chunking benchmark's five corpora)")
    parser.add_argument("--repeat", type=int, default=1, help="repeats; medians are reported (default 1)")
    parser.add_argument("--fp32", action="store_true", help="also time bare and LangChain encoding in fp32")
    parser.add_argument("--no-langchain", dest="langchain", action="store_false", help="skip the LangChain pipeline")
    parser.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK_CORPORA)}; a smoke test, never written to the report")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument profile of the first sync to this file")
    parser.add_argument("--no-write", dest="write", action="store_false", help="print only; leave docs/benchmarks.md")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.repeat < 1:
        parser.error(f"--repeat ({args.repeat}) must be at least 1")

    corpora = sorted(p for p in args.corpora.iterdir() if p.suffix in (".md", ".txt", ".html", ".pdf", ".docx"))
    if args.quick:
        corpora = [p for p in corpora if p.name in QUICK_CORPORA]
    if not corpora:
        parser.error(f"no briefs in {args.corpora}")
    megabytes = sum(p.stat().st_size for p in corpora) / 1e6

    settings = Settings()
    embedder = shared_embedder(settings.embedding)
    began = time.perf_counter()
    embedder.encode(["warm-up"])
    model_load = time.perf_counter() - began
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(resolve_model_path(settings.embedding.model), device=settings.embedding.device)
    model.encode(["warm-up"])
    batch = embedder.batch_size
    product_precision = "bf16" if embedder.bf16 else "fp32"
    precisions = [embedder.bf16] + ([False] if args.fp32 and embedder.bf16 else [])

    work = CACHE / "ingest-tmp"
    timings = Timings()
    passages = 0
    texts: list[str] = []
    load = Load(load_average(), float("nan"))
    cli_first = cli_resync = float("nan")
    for repeat in range(args.repeat):
        first, encoding, resync, store_path, passages = time_sync(settings, embedder, corpora, work,
                                                                  args.profile if repeat == 0 else None)
        timings.add("sync", first)
        timings.add("sync-encode", encoding)
        timings.add("resync", resync)
        if repeat == 0:
            texts = embedded_texts(settings, store_path, embedder)
            if len(texts) != passages:
                raise SystemExit(f"{len(texts)} passages read back, {passages} stored")
            cli_store = _fresh_dir(work, "cli-")
            cli_first = time_cli(cli_store, corpora, work / "cli-data")
            cli_resync = time_cli(cli_store, corpora, work / "cli-data")
            shutil.rmtree(cli_store, ignore_errors=True)
        shutil.rmtree(store_path, ignore_errors=True)
        for bf16 in precisions:
            name = "bf16" if bf16 else "fp32"
            timings.add(f"bare-{name}", time_bare(model, texts, batch_size=batch, bf16=bf16))
            if args.langchain:
                seconds, n = time_langchain(settings, embedder, model, corpora, work, bf16=bf16)
                if n != passages:
                    raise SystemExit(f"LangChain pipeline got {n} passages, the sync {passages}")
                timings.add(f"langchain-{name}", seconds)
        log.warning("repeat %d/%d: %s", repeat + 1, args.repeat,
                    json.dumps({k: round(v[-1], 2) for k, v in timings.runs.items()}))
    load = Load(load.before, load_average())
    shutil.rmtree(work, ignore_errors=True)

    sync_s = timings.median("sync")
    rows = [["`Syncer.sync` (load, split, embed, store)", product_precision, sync_s, passages / sync_s,
             megabytes / (sync_s / 60), 1.0]]
    for bf16 in precisions:
        name = "bf16" if bf16 else "fp32"
        bare = timings.median(f"bare-{name}")
        rows.append([f"bare `SentenceTransformer.encode`, batch {batch}", name, bare, passages / bare,
                     megabytes / (bare / 60), bare / sync_s])
        if args.langchain:
            chain = timings.median(f"langchain-{name}")
            rows.append(["LangChain: same loader + splitter, `Chroma.from_documents`", name, chain, passages / chain,
                         megabytes / (chain / 60), chain / sync_s])
    table = markdown_table(["step", "precision", "seconds", "passages/s", "MB/min",
                            "ingest throughput ÷ this row's"], rows)
    encode_s = timings.median("sync-encode")
    split_table = markdown_table(["inside `Syncer.sync`", "seconds", "share"], [
        ["`encode` (the model)", encode_s, f"{100 * encode_s / sync_s:.0f}%"],
        ["everything else: hash, load, split (token counting), Chroma writes, manifest", sync_s - encode_s,
         f"{100 * (sync_s - encode_s) / sync_s:.0f}%"],
    ])
    resync_s = timings.median("resync")
    resync_table = markdown_table(["unchanged re-sync", "seconds", "share of the first ingest"], [
        ["`Syncer.sync` again, same process", resync_s, f"{100 * resync_s / sync_s:.2f}%"],
        ["`python -m ingest` in a fresh process (imports included, model never loaded)", cli_resync,
         f"{100 * cli_resync / sync_s:.1f}% of `Syncer.sync`; {100 * cli_resync / cli_first:.1f}% of the first "
         f"`python -m ingest` ({cli_first:.1f} s: imports, model load, keyword index save included)"],
    ])

    bare_ratio = timings.median(f"bare-{product_precision}") / sync_s
    lines = [f"- Ingest / bare encoding throughput ({product_precision}): **{bare_ratio:.2f}** (target >= 0.9)"]
    if args.langchain:
        chain_ratio = timings.median(f"langchain-{product_precision}") / sync_s
        lines.append(f"- Ingest / LangChain pipeline throughput ({product_precision}, like for like): "
                     f"**{chain_ratio:.2f}** (target >= 1.0)")
        if args.fp32 and embedder.bf16:
            lines.append(f"- Ingest / LangChain pipeline with `HuggingFaceEmbeddings`' default fp32: "
                         f"**{timings.median('langchain-fp32') / sync_s:.2f}**")
    lines.append(f"- Unchanged re-sync / first ingest: **{100 * resync_s / sync_s:.2f}%** in process, "
                 f"**{100 * cli_resync / cli_first:.1f}%** as `python -m ingest` runs (target <= 2%)")
    body = "\n".join([
        header(load),
        f"- Input: {len(corpora)} files, {megabytes:.2f} MB, {passages:,} passages; model {embedder.name}, "
        f"batch {batch}, loaded and warmed before timing ({model_load:.1f} s); median of {args.repeat} "
        f"repeat{'s' if args.repeat > 1 else ''}" + (" (**--quick**: a subset)" if args.quick else ""),
        "", table, "", split_table, "", resync_table, "", *lines,
    ])
    print(body)
    if args.write and not args.quick:
        write_section("ingest", "### Ingest throughput\n\n" + body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
