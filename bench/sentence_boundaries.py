"""Sentence boundaries on real briefs, to compare splitter versions:
``python -m bench.sentence_boundaries --dump OUT.json [--compare BEFORE.json] [PATH ...]``.

Splits each brief's text with ``text.sentences.sentence_spans`` (the raw text, as the ingest
splitter sees it) and ``answer.units.unit_spans`` (wrapped lines joined, as answers quote it),
prints the sentence counts and, with ``--compare``, every boundary that one version has and the
other has not, with the text around it, so each change can be read. Defaults: the two sample
briefs and six CRS reports of ``../shared/corpora/crs-reports``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from settings import REPO_ROOT, SAMPLE_BRIEFS

CRS = REPO_ROOT.parent / "shared" / "corpora" / "crs-reports"
DEFAULT_CRS = ("IN12678v4-u-s-iran-ceasefire-assessment-reactions-and-issu.pdf", "IF13204.2.pdf", "R48179.10.pdf",
               "IF12135.30.pdf", "R47324.18.pdf", "LSB11417.1.pdf")


def _text(path: Path) -> str:
    from ingest.loaders import load_document

    return load_document(path, source=path.name, max_bytes=50_000_000, timeout_s=120).text


def boundaries(text: str) -> dict[str, list[int]]:
    """The end offsets of the sentences of ``text``: raw (``sentence_spans``) and as quoted (``unit_spans``)."""
    from answer.units import unit_spans
    from text.sentences import sentence_spans

    return {"raw": [e for _, e in sentence_spans(text)], "quoted": [e for _, e in unit_spans(text)]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sentence_boundaries", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="briefs to split (default: samples + six CRS reports)")
    parser.add_argument("--dump", type=Path, required=True, help="write the boundaries here (JSON)")
    parser.add_argument("--compare", type=Path, help="boundaries of another version (a --dump file) to compare with")
    args = parser.parse_args(argv)
    paths = args.paths or [*sorted(SAMPLE_BRIEFS.glob("*.txt")), *(CRS / name for name in DEFAULT_CRS)]
    result: dict[str, dict] = {}
    for path in paths:
        text = _text(path)
        result[path.name] = {"text": text, **boundaries(text)}
    args.dump.write_text(json.dumps(result), encoding="utf-8")
    before = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else {}
    for name, now in result.items():
        old = before.get(name)
        counts = " ".join(f"{how} {len(now[how])}" + (f" (was {len(old[how])})" if old else "") for how in ("raw", "quoted"))
        print(f"{name}: {counts}")
        if not old:
            continue
        body: str = now["text"]
        for how in ("raw", "quoted"):
            for label, ends in (("removed", set(old[how]) - set(now[how])), ("added", set(now[how]) - set(old[how]))):
                for end in sorted(ends):
                    around = body[max(0, end - 50):end] + " ‖ " + body[end:end + 30]
                    print(f"  {how} boundary {label} at {end}: {around!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
