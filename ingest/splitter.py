"""Span-preserving, sentence-aware splitting of a document into passages.

Every passage is a contiguous span of the document text (``text[start:end] == passage``), never
crosses a debris span, and its embedded form (title and heading prefix included) fits the
embedder's token limit, so the model never truncates a passage silently.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from text.captions import keep_whole, whole_lines
from text.sentences import sentence_spans
from vectorstore.types import Chunk, Document, Span

TokenCounter = Callable[[Sequence[str]], list[int]]

_MIN_BUDGET = 32  # fewest tokens left for the passage itself before the prefix is dropped


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    heading: bool = False


def chunk_id(doc_id: str, start: int, end: int) -> str:
    """Deterministic passage id: the same span of the same bytes always gets the same id."""
    return hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:32]


def embedding_prefix(title: str, section: str) -> str:
    parts = [p for p in (title.strip(), section.strip()) if p]
    # A heading equal to the title says nothing new.
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    return "\n".join(parts) + "\n" if parts else ""


def embedding_text(chunk: Chunk, *, with_title: bool = True) -> str:
    """What the embedder sees for a passage: the stored span, optionally behind title and heading."""
    return embedding_prefix(chunk.title, chunk.section) + chunk.text if with_title else chunk.text


def _segments(length: int, debris: Sequence[Span]) -> list[tuple[int, int]]:
    """The parts of ``[0, length)`` outside every debris span."""
    segments, cursor = [], 0
    for span in sorted(debris, key=lambda s: s.start):
        if span.start > cursor:
            segments.append((cursor, span.start))
        cursor = max(cursor, span.end)
    if cursor < length:
        segments.append((cursor, length))
    return segments


def _units(text: str, begin: int, end: int, heading_starts: set[int]) -> list[_Unit]:
    """Sentences of ``text[begin:end]`` (``text.sentences``), whitespace trimmed off each; a table
    row or a caption is one unit whole (``text.captions``), so no passage starts inside one."""
    spans = keep_whole(sentence_spans(text, begin, end), whole_lines(text, begin, end))
    return [_Unit(s, e, heading=s in heading_starts) for s, e in spans]


def _split_long(text: str, unit: _Unit, budget: int, count_tokens: TokenCounter) -> list[_Unit]:
    """Cut a unit longer than ``budget`` tokens at word boundaries into pieces that fit; a single
    "word" over the budget (a paragraph of Chinese, a long identifier) is cut by ``_cut_run``."""
    words = [m.span() for m in re.finditer(r"\S+", text[unit.start:unit.end])]
    counts = count_tokens([text[unit.start + s: unit.start + e] for s, e in words])
    pieces, first, used = [], 0, 0
    for i, n in enumerate(counts):
        if used + n > budget and i > first:
            pieces.append(_Unit(unit.start + words[first][0], unit.start + words[i - 1][1]))
            first, used = i, 0
        if n > budget:
            if i > first:
                pieces.append(_Unit(unit.start + words[first][0], unit.start + words[i - 1][1]))
            pieces.extend(_cut_run(text, unit.start + words[i][0], unit.start + words[i][1], budget, count_tokens))
            first, used = i + 1, 0
            continue
        used += n
    if first < len(words):
        pieces.append(_Unit(unit.start + words[first][0], unit.start + words[-1][1]))
    return pieces


# Where a run without spaces is best cut: after a clause mark (Chinese and Japanese commas,
# semicolons, colons) or Western punctuation, rather than inside a word.
_SOFT_BREAK = re.compile(r"[，、；：,;:)）」』]")


def _cut_run(text: str, start: int, end: int, budget: int, count_tokens: TokenCounter) -> list[_Unit]:
    """Cut ``text[start:end]`` (no whitespace in it) into pieces of at most ``budget`` tokens.

    Each piece is the longest prefix that fits (found by bisection on its character length),
    shortened to end after its last clause mark when one lies in its second half.
    """
    pieces: list[_Unit] = []
    while start < end:
        if count_tokens([text[start:end]])[0] <= budget:
            pieces.append(_Unit(start, end))
            break
        low, high = 1, end - start  # low characters fit (one always does), high do not
        while high - low > 1:
            middle = (low + high) // 2
            if count_tokens([text[start:start + middle]])[0] <= budget:
                low = middle
            else:
                high = middle
        cut = start + low
        breaks = [m.end() for m in _SOFT_BREAK.finditer(text, start + low // 2, cut)]
        cut = breaks[-1] if breaks else cut
        pieces.append(_Unit(start, cut))
        start = cut
    return pieces


def split_document(
    doc: Document,
    *,
    count_tokens: TokenCounter,
    max_tokens: int,
    target_chars: int = 600,
    overlap_sentences: int = 0,
    embed_title: bool = True,
) -> list[Chunk]:
    """Split ``doc`` into passages of about ``target_chars`` characters, whole sentences each.

    A passage never crosses debris, starts afresh at a section heading, and its embedded text
    stays within ``max_tokens`` word pieces (checked with the embedder's own tokenizer).
    """
    if max_tokens <= _MIN_BUDGET:
        raise ValueError(f"max_tokens ({max_tokens}) must be larger than {_MIN_BUDGET}")
    if target_chars <= 0:
        raise ValueError(f"target_chars ({target_chars}) must be positive")
    if overlap_sentences < 0:
        raise ValueError(f"overlap_sentences ({overlap_sentences}) must not be negative")
    text = doc.text
    section_starts = [s.start for s in doc.sections]
    heading_starts = set(section_starts)

    def section_at(pos: int) -> str:
        i = bisect.bisect_right(section_starts, pos) - 1
        return doc.sections[i].title if i >= 0 else ""

    def page_at(pos: int) -> int | None:
        for page in doc.pages:
            if page.start <= pos < page.end:
                return page.number
        return None

    def page_starts(start: int, end: int) -> tuple[tuple[int, int], ...]:
        first = page_at(start)
        found = [(p.start, p.number) for p in doc.pages if start < p.start < end and p.number != first]
        return tuple(sorted(found))

    prefix_tokens: dict[str, int] = {}

    def budget_for(section: str) -> int:
        if not embed_title:
            return max_tokens
        prefix = embedding_prefix(doc.meta.title, section)
        if prefix not in prefix_tokens:
            prefix_tokens[prefix] = count_tokens([prefix])[0] if prefix else 0
        left = max_tokens - prefix_tokens[prefix]
        return left if left >= _MIN_BUDGET else max_tokens

    spans: list[tuple[int, int]] = []
    for seg_start, seg_end in _segments(len(text), doc.debris):
        units = _units(text, seg_start, seg_end, heading_starts)
        if not units:
            continue
        counts = count_tokens([text[u.start:u.end] for u in units])
        sized: list[tuple[_Unit, int]] = []
        for unit, n in zip(units, counts):
            budget = budget_for(section_at(unit.start))
            if n > budget:
                pieces = _split_long(text, unit, budget, count_tokens)
                sized.extend(zip(pieces, count_tokens([text[p.start:p.end] for p in pieces])))
            else:
                sized.append((unit, n))
        spans.extend(_pack(sized, target_chars, overlap_sentences, budget_for, section_at))

    chunks = []
    for index, (start, end) in enumerate(spans):
        section = section_at(start)
        chunks.append(Chunk(
            id=chunk_id(doc.content_hash, start, end), doc_id=doc.content_hash, source=doc.source,
            start=start, end=end, text=text[start:end], index=index, section=section, page=page_at(start),
            title=doc.meta.title, date=doc.meta.date, series=doc.meta.series, authors=doc.meta.authors,
            page_starts=page_starts(start, end),
        ))
    _check_token_limit(chunks, count_tokens, max_tokens, embed_title)
    return chunks


def _pack(units: list[tuple[_Unit, int]], target_chars: int, overlap: int,
          budget_for: Callable[[str], int], section_at: Callable[[int], str]) -> list[tuple[int, int]]:
    """Greedily group consecutive units into spans of about ``target_chars`` within the token budget."""
    spans: list[tuple[int, int]] = []
    current: list[tuple[_Unit, int]] = []

    def flush() -> None:
        if current:
            spans.append((current[0][0].start, current[-1][0].end))

    for unit, n in units:
        if current:
            start = current[0][0].start
            tokens = sum(c for _, c in current) + n
            too_long = unit.end - start > target_chars or tokens > budget_for(section_at(start))
            if unit.heading or too_long:
                flush()
                keep = current[-overlap:] if overlap and not unit.heading else []
                # Overlap only while it leaves room for the new unit.
                while keep and (sum(c for _, c in keep) + n > budget_for(section_at(keep[0][0].start))
                                or unit.end - keep[0][0].start > target_chars):
                    keep = keep[1:]
                current = list(keep)
        current.append((unit, n))
    flush()
    return spans


def _check_token_limit(chunks: list[Chunk], count_tokens: TokenCounter, max_tokens: int, embed_title: bool) -> None:
    """Guard: no passage may exceed the model's limit (the model would cut it off silently)."""
    if not chunks:
        return
    counts = count_tokens([embedding_text(c, with_title=embed_title) for c in chunks])
    for chunk, n in zip(chunks, counts):
        if n > max_tokens:
            raise ValueError(
                f"passage {chunk.start}-{chunk.end} of {chunk.source} has {n} tokens, over the limit of {max_tokens}"
            )
