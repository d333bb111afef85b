"""How well the instruction heuristic (``answer.safety.is_instruction_to_model``) does, measured.

    HF_HUB_OFFLINE=1 .venv/bin/python -m bench.safety_heuristic [--show] [--no-write]

- Detection rate: the share of injected sentences it flags, on two files of rewordings in
  ``bench/data``: ``injections_heldout.txt`` (written before the cues were read or changed, never
  used to choose one: the honest figure) and ``injections_dev.txt`` (the cues may be tuned on it).
- False positives: sentences it flags in every corpus in ``../shared`` (the sample briefs, the
  chunking benchmark's corpora, the CRS reports, PDFs read by the product's loader), split
  into sentences as the answerers split passages (``answer.citations.quote_spans``). None of
  these corpora carries an injection, so every flag is a false positive; ``--show`` prints them.

The table goes into ``docs/benchmarks.md`` (``--no-write``: print only).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
from pathlib import Path

from bench._common import REPO_ROOT, Load, header, load_average, markdown_table, setup_environment, write_section

setup_environment()

from answer.citations import quote_spans  # noqa: E402
from answer.safety import is_instruction_to_model  # noqa: E402
from ingest.loaders import SUPPORTED_SUFFIXES, load_document  # noqa: E402
from vectorstore.errors import LoadError  # noqa: E402

DATA = REPO_ROOT / "bench" / "data"
CACHE = REPO_ROOT / ".cache" / "bench-safety"
SHARED = REPO_ROOT.parent / "shared"
CORPORA = {
    "sample briefs": REPO_ROOT / "samples" / "briefs",
    "chunking benchmark corpora": SHARED / "bench" / "chunking" / "corpora",
    "CRS reports (PDF)": SHARED / "corpora" / "crs-reports",
}


def rewordings(path: Path) -> list[str]:
    """One sentence a line; blank lines and lines starting with '#' are skipped."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def corpus_sentences(folder: Path) -> tuple[list[str], int, list[str]]:
    """(sentences, files read, files that failed) of every supported file under ``folder``.

    Each file's sentences are cached under ``.cache/bench-safety/`` by its bytes' hash (reading
    69 PDFs takes minutes on 2 cores; the heuristic itself takes under a second).
    """
    sentences: list[str] = []
    files, failed = 0, []
    for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES):
        cached = CACHE / f"{hashlib.sha256(path.read_bytes()).hexdigest()[:24]}.json"
        if cached.exists():
            found = json.loads(cached.read_text(encoding="utf-8"))
        else:
            try:
                doc = load_document(path, source=path.name, max_bytes=50 * 1024 * 1024, timeout_s=120)
            except LoadError as exc:
                failed.append(f"{path.name}: {exc}")
                continue
            found = [" ".join(doc.text[s:e].split()) for s, e in quote_spans(doc.text)]
            CACHE.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps(found), encoding="utf-8")
        files += 1
        sentences.extend(found)
    return sentences, files, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.safety_heuristic", description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="print every flagged corpus sentence and every missed injection")
    parser.add_argument("--no-write", dest="write", action="store_false", help="print only; leave docs/ alone")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    load_before = load_average()
    began = time.perf_counter()

    detection = []
    for name in ("injections_heldout.txt", "injections_dev.txt", "benign_lookalikes.txt"):
        lines = rewordings(DATA / name)
        missed = [line for line in lines if not is_instruction_to_model(line)]
        detection.append([f"`bench/data/{name}`", len(lines), len(lines) - len(missed),
                          f"{100 * (len(lines) - len(missed)) / len(lines):.0f}%"
                          + (" (these are ordinary lines: every flag is a false positive)" if "benign" in name else "")])
        if args.show:
            shown = [line for line in lines if line not in missed] if "benign" in name else missed
            for line in shown:
                print(f"{'flagged' if 'benign' in name else 'missed'} ({name}): {line}")

    false_positives = []
    for name, folder in CORPORA.items():
        sentences, files, failed = corpus_sentences(folder)
        flagged = [s for s in sentences if is_instruction_to_model(s)]
        false_positives.append([name, files, f"{len(sentences):,}", len(flagged),
                                f"{1e4 * len(flagged) / max(1, len(sentences)):.1f}"])
        for problem in failed:
            print(f"not read ({name}): {problem}", file=sys.stderr)
        if args.show:
            for sentence in flagged:
                print(f"flagged ({name}): {sentence[:200]}")
    load = Load(load_before, load_average())

    body = (
        "## Instruction heuristic: detection and false positives\n\n"
        + header(load)
        + "- `answer.safety.is_instruction_to_model` is a hand-written heuristic (regular-expression cues). "
          "Detection: share of injected sentences flagged; the held-out file was written before the cues were "
          "read or changed and was never used to choose one. False positives: sentences flagged in corpora that "
          "carry no injection (split as the answerers split passages); a flagged sentence is never quoted or "
          "counted as support, and is shown to the reader as flagged (answer details and sources).\n"
        + f"- Took {time.perf_counter() - began:.0f} s (reading the PDFs dominates).\n\n"
        + markdown_table(["rewordings", "sentences", "flagged", "detection rate"], detection) + "\n\n"
        + markdown_table(["corpus", "files", "sentences", "flagged (false positives)", "per 10,000 sentences"],
                         false_positives) + "\n")
    print(body)
    if args.write:
        write_section("safety-heuristic", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
