"""Embedding throughput of the bundled model on a GPU, when one is available (not a test).

Usage: python bench/gpu_encode.py --model DIR --texts passages.json [--repeats 3]
``passages.json`` holds the embedded passage texts (a JSON list), e.g. written by
``python bench/gpu_encode.py --export passages.json`` on the CPU machine, which splits
../shared/bench/chunking/corpora exactly as ingest does.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def export(path: Path) -> None:
    from ingest.loaders import load_document
    from ingest.splitter import embedding_text, split_document
    from settings import REPO_ROOT, Settings
    from system import System

    settings = Settings()
    embedder = System(settings).embedder
    texts = []
    for file in sorted((REPO_ROOT.parent / "shared" / "bench" / "chunking" / "corpora").glob("*.md")):
        doc = load_document(file, source=file.name, max_bytes=10**9, timeout_s=120)
        chunks = split_document(doc, count_tokens=embedder.count_tokens, max_tokens=embedder.max_tokens,
                                target_chars=settings.chunking.target_chars)
        texts += [embedding_text(c) for c in chunks]
    path.write_text(json.dumps(texts))
    print(f"{len(texts)} passages written to {path}")


def measure(model_dir: str, texts: list[str], repeats: int) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    device = "cuda" if torch.cuda.is_available() else "cpu"
    print(f"device: {torch.cuda.get_device_name(0) if device == 'cuda' else 'cpu'}; torch {torch.__version__}; "
          f"{len(texts)} passages")
    print("| precision | batch | passages/s (median of %d) |" % repeats)
    print("|---|---|---|")
    for dtype in ("fp32", "fp16", "bf16"):
        model = SentenceTransformer(model_dir, device=device)
        if dtype != "fp32":
            model = model.to(torch.float16 if dtype == "fp16" else torch.bfloat16)
        for batch in (32, 128, 512):
            model.encode(texts[:batch], batch_size=batch)  # warm-up
            rates = []
            for _ in range(repeats):
                if device == "cuda":
                    torch.cuda.synchronize()
                began = time.perf_counter()
                model.encode(texts, batch_size=batch, convert_to_numpy=True)
                if device == "cuda":
                    torch.cuda.synchronize()
                rates.append(len(texts) / (time.perf_counter() - began))
            print(f"| {dtype} | {batch} | {statistics.median(rates):.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--export", type=Path, help="write the benchmark passages' embedded texts here and stop")
    parser.add_argument("--model", help="sentence-transformers model folder")
    parser.add_argument("--texts", type=Path, help="JSON list of passage texts")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.export:
        export(args.export)
    else:
        measure(args.model, json.loads(args.texts.read_text()), args.repeats)


if __name__ == "__main__":
    main()
