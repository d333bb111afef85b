"""``python -m answer "question" [--store DIR] [--k N] [--json]``: ask the briefs one question;
``python -m answer --overview SOURCE_OR_DOC_ID``: what is in one brief."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from dataclasses import asdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from answer.layout import blocks, plain_text  # noqa: E402
from answer.nearby import nearby  # noqa: E402
from answer.types import Answer  # noqa: E402
from retrieval.filters import Filters  # noqa: E402
from settings import Settings  # noqa: E402
from system import System  # noqa: E402
from vectorstore.errors import BriefsError  # noqa: E402


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m answer",
        description="Answer one question from the ingested briefs, with citations to exact spans.",
    )
    parser.add_argument("question", nargs="?", help="the question, in quotes (leave out with --overview)")
    parser.add_argument("--overview", metavar="SOURCE_OR_DOC_ID",
                        help="print the overview (summary) of one stored brief, named by its file name or content hash")
    parser.add_argument("--store", type=Path, help="embedded store directory (env BRIEFS_STORE__PATH; default .data/store)")
    parser.add_argument("--k", type=int, help="passages to retrieve (env BRIEFS_RETRIEVAL__K; default 5)")
    parser.add_argument("--backend", choices=("extractive", "llm"),
                        help="answer offline from the briefs' sentences, or with the configured chat model "
                             "(env BRIEFS_ANSWER__BACKEND; default extractive)")
    parser.add_argument("--brief", action="append", default=[], metavar="SOURCE",
                        help="only this brief (its file name as stored); repeat for several")
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="only briefs dated on or after this day")
    parser.add_argument("--until", metavar="YYYY-MM-DD", help="only briefs dated on or before this day")
    parser.add_argument("--series", action="append", default=[], help="only briefs of this series or type; repeatable")
    parser.add_argument("--author", action="append", default=[], help="only briefs by this author (part of the name); repeatable")
    parser.add_argument("--json", action="store_true",
                        help="print the answer as one JSON object (with each quote's character offsets in the "
                             "brief's stored text; the plain output names the page and section)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log retrieval details")
    return parser


def to_json(answer: Answer) -> dict:
    """The answer as plain data; passages as their span and scores, not their vectors. ``answer`` is the
    text without markup (``answer.layout.plain_text``), ``blocks`` its headings, paragraphs and items."""
    return {
        "question": answer.question, "standalone_question": answer.standalone_question,
        "answer": plain_text(answer.text),
        "blocks": [{"kind": b.kind, "level": b.level, "text": b.text} for b in blocks(answer.text)],
        "refused": answer.refused, "evidence": round(answer.evidence, 4), "backend": answer.backend,
        "notice": answer.notice, "kind": answer.kind, "shape": answer.shape,
        "briefs_read": [asdict(b) for b in answer.briefs_read], "candidates": [asdict(b) for b in answer.candidates],
        "citations": [asdict(c) for c in answer.citations],
        "generation": asdict(answer.generation) if answer.generation is not None else None,
        "unsupported": [s.text for s in answer.unsupported],
        "flagged": [asdict(f) for f in answer.flagged],
        "retrieved": [{"rank": h.rank, "score": round(h.score, 6), "chunk_id": h.chunk.id, "source": h.chunk.source,
                       "title": h.chunk.title, "start": h.chunk.start, "end": h.chunk.end, "text": h.chunk.text}
                      for h in answer.retrieved],
    }


def _where(source: str, page: int | None, section: str = "") -> str:
    """Where a quote or passage is, as a reader looks for it: "file.pdf, page 3, section “Background”".
    Character offsets are for programs (``--json``), not readers."""
    parts = [source] + ([f"page {page}"] if page else []) + ([f"section “{section}”"] if section else [])
    return ", ".join(parts)


def render(answer: Answer) -> str:
    lines = ([f"Note: {answer.notice}", ""] if answer.notice else []) + [plain_text(answer.text), ""]
    if answer.standalone_question and answer.standalone_question != answer.question.strip():
        lines.append(f"Interpreted as: {answer.standalone_question}")
    if answer.reading_line:
        lines.append(answer.reading_line)
    if lines[-1]:
        lines.append("")
    if answer.generation is not None and (summary := answer.generation.summary()):
        lines += [f"Note: {summary}.", ""]
    chunks = {h.chunk.id: h.chunk for h in answer.retrieved}
    if answer.citations:
        lines.append("Citations:")
        for c in answer.citations:
            flag = "" if c.supported else "  (does not support the sentence)"
            chunk = chunks.get(c.chunk_id)
            page = c.page if c.page is not None else (chunk.page_at(c.start) if chunk else None)
            lines.append(f"  [{c.marker}] {c.title or c.source} ({_where(c.source, page, chunk.section if chunk else '')})"
                         f"{flag}")
            lines.append(f"      “{' '.join(c.quote.split())}”")
    if answer.retrieved and (answer.refused or not answer.citations):
        shown = nearby(answer.retrieved, len(answer.retrieved))
        lines.append("Closest passages:" if shown else "Closest passages: none with body text.")
        for h, text in shown:
            snippet = " ".join(text.split())
            lines.append(f"  {h.rank}. {h.chunk.title or h.chunk.source} ({_where(h.chunk.source, h.chunk.page, h.chunk.section)})"
                         f": {snippet[:160]}{'…' if len(snippet) > 160 else ''}")
    if answer.flagged:
        lines.append("Set aside: these sentences of the passages read as instructions to a language model "
                     "(a heuristic); they were not quoted or used as support:")
        for f in answer.flagged:
            chunk = chunks.get(f.chunk_id)
            where = _where(f.source, chunk.page_at(f.start) if chunk else None, chunk.section if chunk else "")
            lines.append(f"  ! {where}: “{' '.join(f.text.split())}”")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if bool(args.question) == bool(args.overview):
        parser.error("give a question or --overview SOURCE_OR_DOC_ID (one of them)")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings()
        if args.store:
            settings.store.path = args.store
        if args.k is not None:
            settings.retrieval.k = args.k
            settings.retrieval.fetch_k = max(settings.retrieval.fetch_k, args.k)
        if args.backend:
            settings.answer.backend = args.backend
        filters = Filters(sources=tuple(args.brief), date_from=args.since, date_to=args.until,
                          series=tuple(args.series), authors=tuple(args.author))
        with System(settings) as system:  # closed on return: main() also runs inside other processes (tests)
            system.require_passages()
            answer = (system.assistant.overview(args.overview) if args.overview
                      else system.assistant.ask(args.question, filters=filters))
    except (BriefsError, ValueError) as exc:  # ValueError: invalid settings, filters or question
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(to_json(answer), ensure_ascii=False, indent=1) if args.json else render(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
