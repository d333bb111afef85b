"""Prepare the analyst question set's corpus: ``python -m bench.analyst_corpus [--manifest FILE] [--out DIR] [--store DIR]``.

Copies the two sample briefs and the six CRS reports named in ``tests/data/analyst_corpus.json``
into one folder (default ``.cache/analyst-corpus``), writes each report's printed metadata as a
``NAME.meta.json`` sidecar, and ingests the folder into a store (default
``.cache/analyst-store``; about a minute and a half of CPU on 2 cores, done once and reused).
Then: ``python -m evaluation tests/data/analyst_questions.jsonl --store .cache/analyst-store --out DIR``.

The blind held-out summary set has its own manifest (the same corpus plus six reports):
``--manifest tests/data/summary_blind_corpus.json --out .cache/summary-blind-corpus --store
.cache/summary-blind-store``, then ``python -m evaluation tests/data/summary_blind_questions.jsonl
--store .cache/summary-blind-store --out DIR``. A second held-out summary set likewise:
``--manifest tests/data/summary_heldout2_corpus.json --out .cache/summary-heldout2-corpus --store
.cache/summary-heldout2-store``, then ``python -m evaluation tests/data/summary_heldout2_questions.jsonl
--store .cache/summary-heldout2-store --out DIR``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from settings import REPO_ROOT, SAMPLE_BRIEFS

MANIFEST = REPO_ROOT / "tests" / "data" / "analyst_corpus.json"
CRS = REPO_ROOT.parent / "shared" / "corpora" / "crs-reports"


def prepare(out: Path, *, crs: Path = CRS, manifest_path: Path = MANIFEST) -> list[Path]:
    """Copy the corpus of ``manifest_path`` into ``out`` with its sidecars; returns the briefs copied.
    Raises FileNotFoundError naming the report when one is missing."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in manifest["samples"]:
        copied.append(Path(shutil.copy2(SAMPLE_BRIEFS / name, out / name)))
    for name, meta in manifest["crs"].items():
        source = crs / name
        if not source.is_file():
            raise FileNotFoundError(f"CRS report {source} is missing (expected the shared corpus beside the repository)")
        copied.append(Path(shutil.copy2(source, out / name)))
        (out / f"{name}.meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.analyst_corpus", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(".cache/analyst-corpus"), help="folder to copy the corpus into")
    parser.add_argument("--store", type=Path, default=Path(".cache/analyst-store"), help="store to ingest it into")
    parser.add_argument("--crs", type=Path, default=CRS, help="folder of the CRS reports")
    parser.add_argument("--manifest", type=Path, default=MANIFEST,
                        help="corpus manifest (samples and CRS reports with their printed metadata)")
    args = parser.parse_args(argv)
    try:
        copied = prepare(args.out, crs=args.crs, manifest_path=args.manifest)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(copied)} briefs in {args.out}")
    from ingest.__main__ import main as ingest

    return ingest([str(args.out), "--store", str(args.store)])


if __name__ == "__main__":
    sys.exit(main())
