"""Recommendation answers of an evaluation run: do they lead with the marked recommendations, and how
many of their bullets prescribe?

    .venv/bin/python -m evaluation tests/data/analyst_questions.jsonl --store .cache/analyst-store --out RUN
    .venv/bin/python -m bench.recommendation_quality RUN [RUN ...] [--split dev] [--show] [--questions FILE]

Reads ``RUN/answers.jsonl`` (its ``recommendations`` rows; references = the sentences the question's
writer marked as the brief's recommendations or options) and prints per split: references cited (a
citation overlapping the reference's span), questions whose first bullet cites a reference, the mean
position of the first bullet that does (1-based; a question citing none counts as bullets + 1),
bullet precision (bullets citing some reference) and the share of bullets the prescriptive cue
(``answer.statements.prescriptive``, a heuristic) marks; with ``--questions FILE`` whose questions mark
``requirements`` (duties a law or regulation sets, which the brief describes:
bench/data/newcomer_heldout.jsonl), the bullets citing one under "The author recommends:" or "Options
the brief sets out". ``--show`` prints each answer's bullets with
``+`` for a reference: for development questions only (held-out ones are scored, not read for tuning).
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from answer.statements import prescriptive  # noqa: E402


def _field(record: dict, name: str) -> list[dict]:
    value = record.get(name) or []
    return ast.literal_eval(value) if isinstance(value, str) else value


def _words(text: str) -> str:
    return " ".join(text.split())


def score(record: dict) -> dict:
    """Figures of one answer (see the module docstring)."""
    references = [r for r in _field(record, "references") if r.get("located", True) and "start" in r]
    citations = {str(c["marker"]): c for c in _field(record, "citations")}

    def hits(citation: dict) -> set[int]:
        return {i for i, r in enumerate(references) if r["source"] == citation["source"]
                and citation["start"] < r["end"] and r["start"] < citation["end"]}

    requirements = [_words(r["text"]) for r in _field(record, "requirements")]
    bullets = []
    heading = ""
    misread = 0  # bullets citing a marked requirement under the author's recommendations or the options
    for line in str(record.get("answer", "")).splitlines():
        if not line.lstrip().startswith("- "):
            heading = line.strip()
            continue
        quotes = [_words(citations[m]["quote"]) for m in re.findall(r"\[(\d+)\]", line) if m in citations]
        if heading.startswith(("The author recommends", "Options the brief")) and any(
                q in r or r in q for q in quotes for r in requirements):
            misread += 1
        cited = [citations[m] for m in re.findall(r"\[(\d+)\]", line) if m in citations]
        if cited:
            bullets.append((line, set().union(*(hits(c) for c in cited)), max(prescriptive(c["quote"]) for c in cited)))
    covered = set().union(*(h for _, h, _ in bullets)) if bullets else set()
    first = next((i for i, (_, h, _) in enumerate(bullets, 1) if h), len(bullets) + 1)
    return {"references": len(references), "covered": len(covered), "bullets": len(bullets), "first": first,
            "leads": first == 1, "precise": sum(bool(h) for _, h, _ in bullets),
            "prescriptive": sum(cue > 0 for _, _, cue in bullets), "lines": bullets,
            "requirements": len(requirements), "misread": misread}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="+", type=Path, help="evaluation run directories (answers.jsonl inside)")
    parser.add_argument("--show", action="store_true", help="print the development answers' bullets")
    parser.add_argument("--questions", type=Path, help="the run's question file, for the requirements its questions mark")
    parser.add_argument("--split", help="only this split's figures (e.g. dev while choosing; held-out once, at the end)")
    args = parser.parse_args(argv)
    marked = {}
    if args.questions:
        for line in args.questions.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                marked[str(row.get("id"))] = row.get("requirements") or []
    for run in args.runs:
        by_split: dict[str, list[dict]] = defaultdict(list)
        for line in (run / "answers.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            record.setdefault("requirements", marked.get(str(record.get("id")), []))
            if record.get("type") != "recommendations" or (args.split and record.get("split") != args.split):
                continue
            figures = score(record)
            by_split[record.get("split") or "all"].append(figures)
            if args.show and record.get("split") != "heldout":
                print(f"{record['id']}: {record['question']}")
                for text, hit, _ in figures["lines"]:
                    print(f"  {'+' if hit else ' '} {text[:150]}")
        print(f"{run}")
        for split, rows in sorted(by_split.items()):
            bullets = sum(r["bullets"] for r in rows)
            print(f"  {split}: {len(rows)} questions; references cited {sum(r['covered'] for r in rows)}/"
                  f"{sum(r['references'] for r in rows)}; first bullet a reference {sum(r['leads'] for r in rows)}/"
                  f"{len(rows)}; mean position of the first reference {sum(r['first'] for r in rows) / len(rows):.2f}; "
                  f"bullets {bullets}, citing a reference {sum(r['precise'] for r in rows)}/{bullets}, "
                  f"prescriptive (cue) {sum(r['prescriptive'] for r in rows)}/{bullets}"
                  + (f"; bullets citing a marked requirement (a duty the law sets) under the author's recommendations "
                     f"or the options: {sum(r['misread'] for r in rows)}" if any(r["requirements"] for r in rows) else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
