"""How the recommendation groups of real sentences change between two versions of
``answer.statements.prescription``: ``python -m bench.prescription_groups --before REV [--sample 30 --seed 31]``.

Reads every sentence (``answer.units.unit_spans``) of the 69 CRS reports in
``../shared/corpora/crs-reports`` (and the sample briefs, counted apart) with the loaders, groups it
with the ``prescription`` of git revision ``REV`` and with the working tree's, and prints the number of
prescriptive sentences, each (before, after) change with its count, and a random sample of the
changed sentences to read (the error rate of a rule is read off such a sample, never chosen on it).
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from types import ModuleType

from settings import REPO_ROOT, SAMPLE_BRIEFS

CRS = REPO_ROOT.parent / "shared" / "corpora" / "crs-reports"


def _module_at(revision: str) -> ModuleType:
    """``answer/statements.py`` as it was at ``revision`` (git), imported under another name."""
    source = subprocess.run(["git", "show", f"{revision}:answer/statements.py"], cwd=REPO_ROOT, check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "statements_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("statements_before", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot import answer/statements.py at {revision}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["statements_before"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _sentences(path: Path) -> list[tuple[str, str]]:
    """(sentence, the sentence before it in its paragraph or "") of every sentence of the document."""
    from answer.units import unit_spans
    from ingest.loaders import load_document

    text = load_document(path, source=path.name, max_bytes=50_000_000, timeout_s=120).text
    spans = unit_spans(text)
    return [(" ".join(text[s:e].split()),
             " ".join(text[spans[i - 1][0]:spans[i - 1][1]].split()) if i and "\n\n" not in text[spans[i - 1][1]:s]
             else "") for i, (s, e) in enumerate(spans)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.prescription_groups", description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="git revision whose answer/statements.py is the baseline")
    parser.add_argument("--sample", type=int, default=30, help="changed sentences printed to read (default 30)")
    parser.add_argument("--seed", type=int, default=31, help="seed of the random sample (default 31)")
    args = parser.parse_args(argv)
    from answer.statements import prescription

    before = _module_at(args.before)
    takes_before = "before" in inspect.signature(before.prescription).parameters
    for label, paths in (("CRS reports", sorted(CRS.glob("*.pdf"))), ("sample briefs", sorted(SAMPLE_BRIEFS.glob("*.txt")))):
        prescriptive, changes, changed = 0, Counter[tuple[str, str]](), []
        for path in paths:
            for sentence, previous in _sentences(path):
                # the sentence before it counts for both (a revision older than ``before=`` gets none)
                old = before.prescription(sentence, before=previous) if takes_before else before.prescription(sentence)
                new = prescription(sentence, before=previous)
                prescriptive += bool(old)
                if old != new:
                    changes[(old, new)] += 1
                    changed.append((path.name, old, new, sentence))
        print(f"{label}: {len(paths)} documents, {prescriptive} prescriptive sentences before, {len(changed)} change group")
        for (old, new), count in changes.most_common():
            print(f"  {old or 'none'} -> {new or 'none'}: {count}")
        if label == "CRS reports" and changed:
            for n, (name, old, new, sentence) in enumerate(random.Random(args.seed).sample(changed, min(args.sample, len(changed)))):
                print(f"{n}\t{name}\t{old or 'none'} -> {new or 'none'}\t{sentence[:300]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
