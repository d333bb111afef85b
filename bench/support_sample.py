"""Sentences a real model wrote, each with the quote the support check picks for it, sampled for labelling.

``python -m bench.support_sample [RUN.jsonl ...] --out FILE [--per-class 45] [--seed 13]`` reads
the answers ``bench.llm_prompts`` wrote, and for every distinct sentence finds the span the
support check (``answer.citations.SupportScorer``) would quote: among the passages the model cited
when it cited any, else among the top passages retrieved for the question (the check applied as
if the model had cited its best passage, since a 135M model seldom cites). It prints the share
flagged and writes a random sample of flagged and unflagged sentences (``--per-class`` each) with
the passage, the quote, the score and the check's reason, for a person to label by reading.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from answer.citations import SupportScorer, is_claim  # noqa: E402
from bench._common import REPO_ROOT  # noqa: E402
from settings import Settings  # noqa: E402
from system import System  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.support_sample", description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="+", type=Path, help="answers written by bench.llm_prompts (JSONL)")
    parser.add_argument("--out", type=Path, required=True, help="where to write the sample (JSONL)")
    parser.add_argument("--store", type=Path, default=REPO_ROOT / ".cache" / "samples-store")
    parser.add_argument("--per-class", type=int, default=45, help="flagged and unflagged sentences to sample, each")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    settings = Settings()
    settings.store.path = args.store
    system = System(settings)
    retriever = system.retriever
    scorer = SupportScorer(system.embedder)
    threshold = settings.answer.support_threshold
    seen: set[str] = set()
    rows: list[dict[str, Any]] = []
    for run in args.runs:
        for line in run.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["refused"] or record["id"] in {"s02", "s25"}:  # follow-ups: the searched question is not kept
                continue
            hits = retriever.search(record["question"], 5)
            for sentence in record["sentences"]:
                text = sentence["text"]
                if text in seen:
                    continue
                seen.add(text)
                cited = bool(sentence["quotes"])
                chunks = [h.chunk for h in hits]
                if cited:
                    chunks = [h.chunk for h in hits if any(q in h.chunk.text for q in sentence["quotes"])] or chunks
                supports = scorer.best_supports([text], chunks)[0]
                best = max(((s, c) for s, c in zip(supports, chunks) if s is not None), key=lambda sc: sc[0].score)
                support, chunk = best
                is_flagged = bool(support.problem) or support.score < threshold or not is_claim(text)
                rows.append({"id": f"{record['id']}-{len(rows)}", "question": record["question"], "sentence": text,
                             "cited_by_model": cited, "passage": chunk.text, "source": chunk.source,
                             "quote": chunk.text[support.start:support.end], "score": round(support.score, 4),
                             "problem": support.problem, "flagged": is_flagged})
    flagged = [r for r in rows if r["flagged"]]
    unflagged = [r for r in rows if not r["flagged"]]
    print(f"{len(rows)} distinct sentences, {len(flagged)} flagged ({len(flagged) / max(len(rows), 1):.1%}), "
          f"{sum(r['cited_by_model'] for r in rows)} cited by the model")
    rng = random.Random(args.seed)
    sample = rng.sample(flagged, min(args.per_class, len(flagged))) + rng.sample(unflagged, min(args.per_class,
                                                                                               len(unflagged)))
    rng.shuffle(sample)  # so the labeller does not read the flag's class in order
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as sink:
        for row in sample:
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(sample)} to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
