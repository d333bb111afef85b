"""The error rate of ``answer.statements.statement_date`` (the date of the event a sentence reports, a
heuristic) on hand-labelled sentences of the 69 CRS reports: ``python -m bench.timeline_dates [--show]``.

The sets, ``bench/data/timeline_dates_dev.jsonl`` and ``timeline_dates_heldout.jsonl`` (``bench/data/README.md``),
were drawn with ``--draw`` (seed 2026): every sentence a summary would quote (``answer.outline.boilerplate`` false,
no table row, caption or source line) stating a date, the reports split by name (even positions dev, odd
held-out), 45 sentences holding two or more dates and 20 holding one sampled per split, then labelled by reading
before the rule was changed. A label is the date of the event or state the sentence's main clause reports, as
precisely as the sentence gives it ("2025", "2025-11", "2025-11-12"), or "none": no date of its own (a date
naming something else, a deadline or reference point of an undated event, a request for a fiscal year not yet
begun, a description of the report, a citation). A period dates by its first day; a planned event by its plan.
``--show`` prints the dev set's errors (the held-out set's are read once, at the end).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

from settings import REPO_ROOT

DATA = REPO_ROOT / "bench" / "data"
CRS = REPO_ROOT.parent / "shared" / "corpora" / "crs-reports"


def _label(found) -> str:
    if found is None:
        return "none"
    return "-".join([f"{found.year:04d}"] + [f"{v:02d}" for v in (found.month, found.day) if v])


def score(path: Path, show: bool) -> tuple[int, int]:
    """(errors, sentences) of ``statement_date`` on one labelled set; prints the errors when ``show``."""
    from answer.statements import statement_date

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    errors = 0
    for row in rows:
        got = _label(statement_date(row["sentence"], brief_date=row["brief_date"]))
        if got != row["date"]:
            errors += 1
            if show:
                print(f"  want {row['date']:<10} got {got:<10} {row['sentence'][:220]}")
    return errors, len(rows)


def draw(seed: int) -> None:
    """Print the sampled sentences (split, source, brief date, sentence) as JSON lines, unlabelled."""
    from answer.outline import boilerplate
    from answer.statements import _DATE_PATTERNS
    from answer.units import unit_spans
    from ingest.loaders import load_document

    def dates(sentence: str) -> int:
        spans: list[tuple[int, int]] = []
        for pattern in _DATE_PATTERNS:
            for m in pattern.finditer(sentence):
                start = min(m.start(g) for g in ("month", "day", "year") if m.groupdict().get(g))
                if not any(a <= start < b or start <= a < m.end() for a, b in spans):
                    spans.append((start, m.end()))
        return len(spans)

    rows = []
    for path in sorted(CRS.glob("*.pdf")):
        doc = load_document(path, source=path.name, max_bytes=50_000_000, timeout_s=120)
        for s, e in unit_spans(doc.text):
            sentence = " ".join(doc.text[s:e].split())
            if (30 <= len(sentence) <= 600 and not boilerplate(sentence) and "|" not in sentence
                    and not re.match(r"(?:Source|Notes?|Table|Figure)\b", sentence) and dates(sentence)):
                rows.append((path.name, doc.meta.date, sentence, dates(sentence)))
    names = sorted({r[0] for r in rows})
    split = {name: "dev" if i % 2 == 0 else "heldout" for i, name in enumerate(names)}
    rng = random.Random(seed)
    for part in ("dev", "heldout"):
        several = [r for r in rows if split[r[0]] == part and r[3] >= 2]
        one = [r for r in rows if split[r[0]] == part and r[3] == 1]
        for source, date, sentence, _ in rng.sample(several, 45) + rng.sample(one, 20):
            print(json.dumps({"split": part, "source": source, "brief_date": date, "sentence": sentence}, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.timeline_dates", description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print the dev set's errors")
    parser.add_argument("--draw", action="store_true", help="print a fresh unlabelled sample instead of scoring")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.draw:
        draw(args.seed)
        return 0
    for part in ("dev", "heldout"):
        errors, total = score(DATA / f"timeline_dates_{part}.jsonl", show=args.show and part == "dev")
        print(f"{part}: {errors} / {total} wrong ({errors / total:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
