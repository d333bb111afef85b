"""A conversation as Markdown (to read or paste into a report) and JSON (to process), citations included."""

from __future__ import annotations

import json
import re
import time
from typing import Any, Mapping, Sequence

from retrieval.filters import Filters
from ui.state import ChatTurn

# Markdown that another viewer could act on: HTML, images (fetched on display), LaTeX, entities.
_INERT = re.compile(r"([\\<>!$&`])")


def md_inert(text: str) -> str:
    """``text`` for a Markdown file: readable as plain text, yet no HTML, image or math is rendered."""
    return _INERT.sub(r"\\\1", text)


def _iso(epoch: float | None) -> str | None:
    return None if epoch is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _quote_block(text: str) -> str:
    return "\n".join(f"> {md_inert(line)}" if line.strip() else ">" for line in text.strip().splitlines())


def describe_filters(filters: Filters | None, titles: Mapping[str, str] | None = None) -> str:
    """The filters of a question in words ("" when none): briefs by title where known, dates, series, authors."""
    if filters is None or filters.empty:
        return ""
    titles = titles or {}
    parts = []
    if filters.doc_ids:
        parts.append(("brief " if len(filters.doc_ids) == 1 else "briefs ") + "; ".join(f"“{titles.get(d) or d[:12]}”" for d in filters.doc_ids))
    if filters.sources:
        parts.append("files " + ", ".join(filters.sources))
    if filters.date_from or filters.date_to:
        parts.append(f"published {filters.date_from or '…'} to {filters.date_to or '…'}")
    if filters.series:
        parts.append("series " + ", ".join(filters.series))
    if filters.authors:
        parts.append("authors " + ", ".join(filters.authors))
    return "; ".join(parts)


def _titles(turn: ChatTurn) -> dict[str, str]:
    """Brief titles by doc_id, as far as the turn's retrieved passages know them."""
    if turn.answer is None:
        return {}
    return {h.chunk.doc_id: h.chunk.title for h in turn.answer.retrieved if h.chunk.title}


def conversation_markdown(turns: Sequence[ChatTurn], *, title: str = "Policy brief assistant — conversation") -> str:
    """Questions (with the filters they were asked under), answers with their ``[n]`` markers, and under
    each answer its cited passages: brief title, date, page and the quote."""
    out = [f"# {md_inert(title)}", "", f"Exported {_iso(time.time())}", ""]
    for number, turn in enumerate(turns, 1):
        out += [f"## {number}. {md_inert(turn.question)}", ""]
        filters = describe_filters(turn.filters, _titles(turn))
        out += [f"*Searched {'with filters: ' + md_inert(filters) if filters else 'all briefs'}; "
                f"up to {turn.k} passages.*", ""]
        if turn.answer is None:
            out += [f"*{md_inert(turn.error or 'No answer (interrupted).')}*", ""]
            continue
        answer = turn.answer
        out += [md_inert(answer.text), ""]
        if answer.citations:
            out += ["**Sources**", ""]
            for c in answer.citations:
                hit = turn.hit(c.chunk_id)
                chunk = hit.chunk if hit else None
                page = c.page or (chunk.page if chunk else None)
                where = ", ".join(p for p in (
                    chunk.date if chunk else "", chunk.series if chunk else "",
                    f"page {page}" if page else "") if p)
                flag = "" if c.supported else " (weak support: check it)"
                out += [f"[{c.marker}] *{md_inert(c.title or c.source)}*"
                        + (f" ({md_inert(where)})" if where else "") + flag, "", _quote_block(c.quote), ""]
    return "\n".join(out).rstrip() + "\n"


def _hit_json(hit: Any) -> dict[str, Any]:
    chunk = hit.chunk
    return {"rank": hit.rank, "score": hit.score, "dense_score": hit.dense_score, "keyword_score": hit.keyword_score,
            "chunk_id": chunk.id, "doc_id": chunk.doc_id, "source": chunk.source, "title": chunk.title,
            "date": chunk.date, "series": chunk.series, "page": chunk.page, "section": chunk.section,
            "start": chunk.start, "end": chunk.end, "text": chunk.text}


def turn_json(turn: ChatTurn) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": turn.id, "question": turn.question, "asked_at": _iso(turn.asked_at),
        "answered_at": _iso(turn.answered_at), "k": turn.k, "error": turn.error,
        "filters_described": describe_filters(turn.filters, _titles(turn)) or None,
        "filters": None if turn.filters is None else {
            "doc_ids": list(turn.filters.doc_ids), "sources": list(turn.filters.sources),
            "date_from": turn.filters.date_from, "date_to": turn.filters.date_to, "series": list(turn.filters.series),
            "authors": list(turn.filters.authors)},
        "answer": None,
    }
    answer = turn.answer
    if answer is not None:
        record["answer"] = {
            "text": answer.text, "refused": answer.refused, "backend": answer.backend,
            "standalone_question": answer.standalone_question, "evidence": answer.evidence, "notice": answer.notice,
            "citations": [{"marker": c.marker, "chunk_id": c.chunk_id, "doc_id": c.doc_id, "source": c.source,
                           "title": c.title, "start": c.start, "end": c.end, "quote": c.quote,
                           "support": c.support, "supported": c.supported, "claim": turn.claim(c.marker)}
                          for c in answer.citations],
            "retrieved": [_hit_json(h) for h in answer.retrieved],
        }
    return record


def conversation_json(turns: Sequence[ChatTurn]) -> str:
    return json.dumps({"exported_at": _iso(time.time()), "turns": [turn_json(t) for t in turns]},
                      ensure_ascii=False, indent=2)
