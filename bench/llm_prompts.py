"""Does the local model cite? Marker share and support flags of its answers, per prompt variant.

``python -m bench.llm_prompts [--variant NAME ...] [--limit N] [--k K]`` runs the bundled local
model (``BRIEFS_ANSWER__LLM_MODEL``, default ``local``) over the sample questions
(``tests/data/sample_questions.jsonl``) and ``tests/data/llm_extra_questions.jsonl``, with the
prompt templates of each variant (``prompts/answer_system{_NAME}.txt``; the empty name is the
product's prompt), and prints per variant:

- answers whose every sentence carries a valid marker (share of answered questions),
- sentences with a valid marker, sentences flagged unsupported,
- refusals, how generation stopped, first-token and whole-answer latency (medians).

Every answer (model text, sentences, flags, cited quotes) is written to
``.cache/bench/llm_prompts/<variant>.jsonl`` for reading and labelling. The citation check and
the fallback are the product's; the fallback is off here so the model's own answer is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from dataclasses import asdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from answer import llm as llm_module  # noqa: E402
from answer.assistant import Assistant  # noqa: E402  (type)
from answer.types import Answer, Turn  # noqa: E402
from bench._common import CACHE, REPO_ROOT, load_average, machine  # noqa: E402
from settings import Settings  # noqa: E402
from system import System  # noqa: E402

QUESTION_FILES = (REPO_ROOT / "tests" / "data" / "sample_questions.jsonl",
                  REPO_ROOT / "tests" / "data" / "llm_extra_questions.jsonl")


def load_questions(limit: int | None, every: int = 1) -> list[dict]:
    rows = [json.loads(line) for path in QUESTION_FILES for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    rows = [r for r in rows if not r.get("unanswerable")]  # refusals never reach the model
    rows = rows[::every]
    return rows[:limit] if limit else rows


def run_variant(assistant: Assistant, variant: str, questions: list[dict], out: Path) -> dict:
    llm_module.PROMPT_VARIANT = variant
    records = []
    with out.open("w", encoding="utf-8") as sink:
        for q in questions:
            history = [Turn(h["question"], h.get("answer", "")) for h in q.get("history", [])]
            kind = q.get("type", "fact")
            answer: Answer = assistant.ask(q["question"], history=history, kind=kind)
            g = answer.generation
            record = {
                "id": q["id"], "question": q["question"], "variant": variant, "refused": answer.refused,
                "answer": answer.text, "model_text": g.notes[0] if g and g.notes else answer.text,
                "sentences": [{"text": s.text, "markers": list(s.markers), "support": s.support,
                               "supported": s.supported,
                               "quotes": [c.quote for c in answer.citations if c.marker in s.markers]}
                              for s in answer.sentences],
                "generation": asdict(g) if g else None,
            }
            records.append(record)
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            sink.flush()
    answered = [r for r in records if not r["refused"]]
    sentences = [s for r in answered for s in r["sentences"]]
    gens = [r["generation"] for r in records if r["generation"]]
    firsts = [g["first_token_s"] for g in gens if g["first_token_s"] is not None]
    return {
        "variant": variant or "(product)", "questions": len(records), "answered": len(answered),
        "all_sentences_cited": sum(bool(r["sentences"]) and all(s["markers"] for s in r["sentences"])
                                   for r in answered) / max(len(answered), 1),
        "any_sentence_cited": sum(any(s["markers"] for s in r["sentences"]) for r in answered) / max(len(answered), 1),
        "sentences": len(sentences),
        "sentences_cited": sum(bool(s["markers"]) for s in sentences) / max(len(sentences), 1),
        "sentences_unsupported": sum(not s["supported"] for s in sentences) / max(len(sentences), 1),
        "stops": {k: sum(g["stop_reason"] == k for g in gens) for k in ("end", "max_tokens", "time_limit", "repetition")},
        "first_token_s_p50": statistics.median(firsts) if firsts else None,
        "total_s_p50": statistics.median(g["total_s"] for g in gens) if gens else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.llm_prompts", description=__doc__.split("\n\n")[0])
    parser.add_argument("--variant", action="append", default=None,
                        help="prompt variant: '' (the product's), or NAME for prompts/answer_system_NAME.txt; repeatable")
    parser.add_argument("--limit", type=int, help="first N answerable questions only")
    parser.add_argument("--every", type=int, default=1, help="every Nth answerable question only (a spread sample)")
    parser.add_argument("--k", type=int, help="passages retrieved per question (default: the settings')")
    parser.add_argument("--store", type=Path, default=REPO_ROOT / ".cache" / "samples-store",
                        help="store with the sample briefs (python -m ingest samples/briefs --store DIR)")
    args = parser.parse_args(argv)
    settings = Settings()
    settings.store.path = args.store
    settings.answer.backend = "llm"
    settings.answer.llm_fallback = False
    if "BRIEFS_ANSWER__LLM_MODEL" not in os.environ:
        settings.answer.llm_model = "local"
    if args.k:
        settings.retrieval.k = args.k
    system = System(settings)
    model = system.chat_model()
    started = time.perf_counter()
    getattr(model, "load", lambda: None)()
    print(f"model {settings.answer.llm_model} ready in {time.perf_counter() - started:.1f} s; {machine()}; load {load_average():.2f}")
    assistant = system.assistant
    questions = load_questions(args.limit, args.every)
    out_dir = CACHE / "llm_prompts"
    out_dir.mkdir(parents=True, exist_ok=True)
    for variant in args.variant if args.variant is not None else [""]:
        summary = run_variant(assistant, variant, questions, out_dir / f"{variant or 'product'}.jsonl")
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
