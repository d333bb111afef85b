"""PDF text extraction compared on the CRS reports: speed, peak memory and text fidelity.

    .venv/bin/python -m bench.pdf_extraction [--corpus ../shared/corpora/crs-reports] [--only pypdf,...]

Candidates: pypdf (``extract_text``), pdfplumber (``extract_text``, needs ``pip install
pdfplumber``; bench/requirements.txt), pypdfium2 (plain ``get_text_range``), and our pipeline
``ingest.pdf.read_pdf`` (pypdfium2 characters with layout rules). Each runs in its own process
over every PDF, so peak RSS (``ru_maxrss``) is its own. Fidelity, with no gold text to compare:

- **non-words**: share of lower-case alphabetic tokens of 4+ letters that are neither English
  words (``english-words``, inflections allowed) nor written elsewhere in the same report; fused
  words ("thetrade"), split words ("connec tion") and broken ligatures show up here;
- **breaks in sentences**: line breaks (or paragraph breaks) after a line that ends without
  sentence punctuation and before a line starting in lower case, per 1,000 words: a sentence cut;
- **footer lines**: lines that are a running header or footer ("Congressional Research Service 4",
  a lone page number, the site address), per page.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import REPO_ROOT

CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "crs-reports"
CANDIDATES = ("pypdf", "pdfplumber", "pypdfium2", "ours")
_TOKEN = re.compile(r"[a-z]{4,}")
_FOOTER = re.compile(r"^(?:Congressional Research Service(?: \d+)?|\d{1,3}|https://crsreports\.congress\.gov.*)$")


def _extract(name: str, path: Path) -> tuple[str, int]:
    """The text of one PDF by one candidate, and its page count."""
    data = path.read_bytes()
    if name == "pypdf":
        from pypdf import PdfReader

        reader = PdfReader(path)
        return "\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)
    if name == "pdfplumber":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages), len(pdf.pages)
    if name == "pypdfium2":
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
        texts = [document[i].get_textpage().get_text_range() for i in range(len(document))]
        return "\n".join(t.replace("\r\n", "\n") for t in texts), len(texts)
    from ingest.pdf import read_pdf

    found = read_pdf(data)
    return found.text, max((p.number for p in found.pages), default=0)


def _fidelity(text: str, pages: int) -> dict[str, float]:
    from ingest.text import is_word, vocabulary

    seen, _ = vocabulary([text])
    tokens = _TOKEN.findall(text)
    counts: dict[str, int] = {}
    for token in tokens:
        counts[token] = counts.get(token, 0) + 1
    # A token is "seen elsewhere" when the report writes it at least twice.
    bad = sum(n for token, n in counts.items() if not is_word(token) and n < 2)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    breaks = sum(1 for a, b in zip(lines, lines[1:])
                 if not re.search(r"[.!?:;\"”)\]]$", a) and b[:1].islower())
    footers = sum(1 for line in lines if _FOOTER.match(line))
    words = max(len(text.split()), 1)
    del seen
    return {"tokens": len(tokens), "non_words": bad, "breaks": breaks, "words": words, "footers": footers,
            "pages": pages}


def run_one(name: str, corpus: Path) -> dict[str, float]:
    """Extract every PDF of ``corpus`` with one candidate (in this process) and total the figures."""
    totals: dict[str, float] = {"tokens": 0, "non_words": 0, "breaks": 0, "words": 0, "footers": 0, "pages": 0, "failed": 0}
    started = time.perf_counter()
    texts = []
    for path in sorted(corpus.glob("*.pdf")):
        try:
            texts.append(_extract(name, path))
        except Exception:  # noqa: BLE001 - a failure is counted, not fatal
            totals["failed"] += 1
    seconds = time.perf_counter() - started
    for text, pages in texts:
        for key, value in _fidelity(text, pages).items():
            totals[key] += value
    totals["seconds"] = seconds
    totals["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of PDFs (default: %(default)s)")
    parser.add_argument("--only", default=",".join(CANDIDATES), help="comma-separated candidates")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_one(args.child, args.corpus)))
        return 0
    print(f"{'candidate':<11} {'s':>6} {'pages/s':>8} {'peak MB':>8} {'non-words':>10} {'breaks/1k w':>12} "
          f"{'footers/page':>13} {'failed':>6}")
    for name in args.only.split(","):
        done = subprocess.run([sys.executable, "-m", "bench.pdf_extraction", "--child", name, "--corpus",
                               str(args.corpus)], cwd=REPO_ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{name:<11} failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else '?'}")
            continue
        t = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{name:<11} {t['seconds']:>6.1f} {t['pages'] / t['seconds']:>8.1f} {t['peak_rss_mb']:>8.0f} "
              f"{t['non_words'] / max(t['tokens'], 1):>10.2%} {1000 * t['breaks'] / t['words']:>12.2f} "
              f"{t['footers'] / max(t['pages'], 1):>13.2f} {t['failed']:>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
