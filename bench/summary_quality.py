"""Summary quality per question set: key points covered, bullets shown, and the share of bullets that
hit a key point, and the summaries whose every citation is inside the brief the question names.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.summary_quality QUESTIONS STORE [QUESTIONS STORE ...] [--show]

Each ``QUESTIONS STORE`` pair is a question file (its ``summary`` rows are asked) and the store built
for it (``python -m bench.analyst_corpus``, README "Analyst question set"). Per split it prints:
summaries whose citations cover at least 3 of their marked key points (the issue's bar, scored as
``python -m evaluation`` scores it: a cited quote overlapping the key point's span), the mean key
points covered, the mean bullets per summary, and bullet precision: the share of bullets whose
citations overlap some marked key point. Eight marked points per brief are one reader's choice, so
precision is a lower bound on how many bullets are worth reading, not a measure of it.
``--show`` prints every bullet, marked ``+`` when it hits a key point, and the key points missed:
for reading the development summaries only (a held-out set is scored, never read for tuning).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation.corpus import StoreCorpus, find_documents  # noqa: E402
from evaluation.metrics import CharSpan, Passage, passage_matches  # noqa: E402
from evaluation.questions import load_questions  # noqa: E402
from evaluation.scoring import key_point_spans  # noqa: E402
from settings import Settings  # noqa: E402
from system import System  # noqa: E402

WANTED = 3  # key points a summary must cover (issue 12's Done-means)


def _bullets(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith(("- ", "* ", "• "))]


def measure(questions_path: Path, store: Path, *, show: bool = False) -> list[dict]:
    """One row per summary question of ``questions_path`` answered over ``store``."""
    settings = Settings()
    settings.store.path = store
    system = System(settings)
    assistant = system.assistant
    corpus = StoreCorpus(system.store)
    rows = []
    for question in load_questions(questions_path).questions:
        if question.type != "summary" or not question.key_points:
            continue
        answer = assistant.ask(question.question)
        points = [key_point_spans(p, corpus) for p in question.key_points]
        cited = {c.marker: Passage(CharSpan(c.doc_id, c.start, c.end), c.quote) for c in answer.citations
                 if c.end > c.start}
        covered = [any(passage_matches(p, c) for p in places for c in cited.values()) for places in points]
        bullets = _bullets(answer.text)
        hits = []
        for line in bullets:
            markers = [m for m in cited if f"[{m}]" in line]
            hits.append(any(passage_matches(p, cited[m]) for m in markers for places in points for p in places))
        named = {d.doc_id for source in question.briefs for d in find_documents(corpus, source)}
        inside = all(c.doc_id in named for c in answer.citations) if named else True
        rows.append({"id": question.id, "split": question.split, "covered": sum(covered), "points": len(points),
                     "bullets": len(bullets), "hits": sum(hits), "refused": answer.refused,
                     "inside": inside and bool(answer.citations)})
        if show:
            print(f"\n## {question.id} ({question.split}): {question.question}  -> {sum(covered)}/{len(points)}, "
                  f"{len(bullets)} bullets")
            for line, hit in zip(bullets, hits):
                print(f"  {'+' if hit else ' '} {line.strip()[:260]}")
            for point, ok in zip(question.key_points, covered):
                if not ok:
                    print(f"    missed: {point.text[:200]}")
    return rows


def report(rows: list[dict]) -> list[str]:
    """Lines of per-split figures."""
    by_split: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_split[row["split"] or "-"].append(row)
    lines = []
    for split, group in by_split.items():
        n = len(group)
        bullets = sum(r["bullets"] for r in group)
        lines.append(f"{split:10s} summaries {n}: >= {WANTED} key points {sum(r['covered'] >= WANTED for r in group)}/{n}, "
                     f"mean key points {sum(r['covered'] for r in group) / n:.2f}, mean bullets {bullets / n:.1f}, "
                     f"bullet precision {sum(r['hits'] for r in group) / bullets if bullets else 0:.2f}, "
                     f"refused {sum(r['refused'] for r in group)}, "
                     f"every citation inside the named brief {sum(r['inside'] for r in group)}/{n}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.summary_quality", description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="+", metavar="QUESTIONS STORE", help="question file and its store, repeated")
    parser.add_argument("--show", action="store_true", help="print each summary's bullets and the key points missed")
    args = parser.parse_args(argv)
    if len(args.pairs) % 2:
        parser.error(f"give question files and stores in pairs (got {len(args.pairs)} paths)")
    rows: list[dict] = []
    for questions, store in zip(args.pairs[::2], args.pairs[1::2]):
        if not Path(store).is_dir():
            parser.error(f"store {store} does not exist (build it with python -m bench.analyst_corpus)")
        rows += measure(Path(questions), Path(store), show=args.show)
    for row in rows:
        print(f"{row['id']:12s} {row['split']:9s} key points {row['covered']}/{row['points']}, bullets {row['bullets']}, "
              f"hitting a key point {row['hits']}{'' if row['inside'] else ', CITES OUTSIDE THE NAMED BRIEF'}")
    for line in report(rows):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
