"""Bulleted lists in a brief as the answer to a list question.

A brief often answers "Which consortia received NOAA exploration licenses?" with a sentence, a lead-in
and bulleted items: "NOAA issued exploration licenses to four U.S. mining consortia ... NOAA issued the
following: • USA-1 to Ocean Minerals Company, ...; • USA-2 to ...". The items are fragments (they end
with ";" or ","), so none is a claim on its own (``answer.compose.claims``) and the lead-in ends with a
colon, so neither could be quoted: the answer named four consortia without listing them. ``items_after``
reads the list that follows a chosen sentence, across passage boundaries, so the answer quotes it
item by item, each cited to its exact span. ``introduced_list`` picks, for a list question, the chosen
sentence that introduces a list on the question's subject, also when a paragraph stands between them
("This Legal Sidebar discusses circuit splits ..." / a paragraph on subscribing / the splits).
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

import numpy as np

from answer.coverage import question_focus
from answer.extractive import Candidate
from answer.outline import boilerplate
from answer.statements import is_heading
from answer.units import unit_spans
from retrieval.keyword import tokenize
from vectorstore.types import Hit

# A bulleted item as the loaders store it: one line opening with a bullet glyph or a dash.
_ITEM = re.compile(r"[•▪●◦‣∙·*–-]\s+")
MAX_ITEMS = 12  # items quoted from one list; a longer list is cut (the citations show where it goes on)
MAX_PASSAGES = 30  # passages a list is followed into after the one its lead sentence is in (items may run on)
LEAD_PARAGRAPHS = 1  # whole paragraphs that may stand between a sentence and the list it introduces
# A lead-in: a sentence that ends with a colon, or with "the following." / "as follows." ("Services include the
# following."), introducing the list after it.
LEAD_IN = re.compile(r"(?:[:：]|\b(?:the\s+following|as\s+follows)\s*\.)\s*$", re.IGNORECASE)


def introduced_list(question: str, candidates: Sequence[Candidate], passages_of: Callable[[str], Sequence[Hit]]
                    ) -> tuple[Candidate, Candidate | None, list[Candidate]] | None:
    """The first of ``candidates`` (best first) that introduces a bulleted list matching ``question``:
    ``(sentence, lead, items)``, or None.

    A sentence introduces the list right after it, or one that follows within ``LEAD_PARAGRAPHS`` further
    paragraphs (``items_after``) whose items (as quoted) share a focus term of the question
    (``answer.coverage.question_focus``: "List the circuit splits ..." and "The Eleventh Circuit held
    ..."). A newcomer's trial got the introduction of the circuit splits and none of them: the list
    followed another sentence than the one chosen.
    """
    terms = set(question_focus(question).weights)
    for candidate in candidates:
        passages = passages_of(candidate.hit.chunk.doc_id)
        # an item answers for the list it stands in: the list is read whole, from the sentence introducing it
        candidate = list_introduction(candidate, passages) or candidate
        lead, items = items_after(candidate, passages)  # a list right after the sentence is the one it leads into
        if not items:
            lead, items = items_after(candidate, passages, paragraphs=LEAD_PARAGRAPHS)
            if not terms & set(tokenize([" ".join(item.text for item in items)])[0]):
                continue
        if items:
            return candidate, lead, items
    return None


def items_after(candidate: Candidate, passages: Sequence[Hit], *,
                paragraphs: int = 0) -> tuple[Candidate | None, list[Candidate]]:
    """The lead-in and bulleted items that follow ``candidate`` in its brief: ``(lead, items)``.

    ``passages`` are the brief's passages in text order (``Planner.whole_brief``). The list must
    start right after the sentence, after at most one lead-in line ending with ":" ("NOAA issued the
    following:"), which is returned as ``lead`` (None when the items follow the sentence at once).
    Items are consecutive lines opening with a bullet glyph, at most ``MAX_ITEMS``, followed into
    the next ``MAX_PASSAGES`` passages (read only as far as the list goes); each is quoted by its first sentence (an item that runs on
    for a paragraph is named by its opening: "Iran's nuclear program."), its span without the bullet
    glyph; debris between items (a page's running footer) is skipped. ``(None, [])`` when no list follows.

    With ``paragraphs`` > 0 the list may start after the rest of the sentence's paragraph and up to that
    many further paragraphs (a sentence that introduces a list is not always the one right before it:
    "This Legal Sidebar discusses circuit splits that emerged ..." is followed by a paragraph on how to
    subscribe, then by the splits), never past a heading; running footers in between are skipped.
    """
    start = candidate.doc_start
    doc_id = candidate.hit.chunk.doc_id
    ordered = sorted((h for h in passages if h.chunk.doc_id == doc_id and h.chunk.end > start),
                     key=lambda h: h.chunk.start)[:MAX_PASSAGES + 1]
    units = ((hit, s, e) for hit in ordered for s, e in unit_spans(hit.chunk.text) if hit.chunk.start + s > start)
    lead: Candidate | None = None
    items: list[Candidate] = []
    before: tuple[Hit, int, int] | None = None  # with ``paragraphs``: the last sentence before the list
    seen = 0  # paragraphs passed before the list
    for i, (hit, s, e) in enumerate(units):
        text = hit.chunk.text[s:e]
        bullet = _ITEM.match(text)
        if paragraphs and not items and bullet is None:
            if is_heading(text, title=hit.chunk.title, section=hit.chunk.section or ""):
                break
            if boilerplate(text):
                continue  # a running footer or a note between the sentence and its list
            seen += _opens_line(hit.chunk.text, s)
            if seen > paragraphs:
                break
            before = (hit, s, e)
            continue
        if paragraphs and not items and before is not None and LEAD_IN.search(before[0].chunk.text[before[1]:before[2]]):
            lead = _unit(*before)
        if bullet is None:
            if i == 0 and LEAD_IN.search(text):
                lead = _unit(hit, s, e)
                continue
            # an item's own further sentences ("• Strait of Hormuz. Iran's disruption of ...") and a running
            # footer between two items are skipped; any other line ends the list
            if items and (not _opens_line(hit.chunk.text, s) or boilerplate(text)):
                continue
            break
        if len(items) == MAX_ITEMS:
            break
        items.append(_unit(hit, s + bullet.end(), e))
    return (lead, items) if items else (None, [])


def list_introduction(item: Candidate, passages: Sequence[Hit]) -> Candidate | None:
    """For ``item``, a bulleted item of its brief (its text opens with a bullet glyph), the sentence that
    introduces the list it stands in: the nearest sentence before it, in the same section, whose list
    (``items_after``) holds ``item``; None when ``item`` is no bulleted item or no sentence before its list
    introduces it (a list right under a heading). ``passages``: the brief's passages (``Planner.whole_brief``).

    A list question's best sentence is often one item ("• Foreign Market Development (FMD) Cooperator
    Program funds ..."): read from there, the answer began with that item and lost the ones before it
    and the sentence that says what the list is."""
    if not _ITEM.match(item.text):
        return None
    doc_id = item.hit.chunk.doc_id
    start = item.doc_start
    before: dict[int, tuple[Hit, int, int]] = {}  # the brief's units before the item, by their offset in the brief
    for hit in passages:
        if hit.chunk.doc_id != doc_id or hit.chunk.start >= start:
            continue
        for s, e in unit_spans(hit.chunk.text):
            if hit.chunk.start + s < start:
                before.setdefault(hit.chunk.start + s, (hit, s, e))
    for offset in sorted(before, reverse=True)[:MAX_ITEMS * 3]:
        hit, s, e = before[offset]
        text = hit.chunk.text[s:e]
        if is_heading(text, title=hit.chunk.title, section=hit.chunk.section or ""):
            return None
        if _ITEM.match(text) or boilerplate(text):
            continue
        sentence = _unit(hit, s, e)
        _, items = items_after(sentence, passages)
        if any(i.hit.chunk.doc_id == doc_id and start <= i.doc_start < start + len(item.text) for i in items):
            return sentence
    return None


def _opens_line(text: str, start: int) -> bool:
    """Whether the unit at ``start`` of a passage opens a line; at the passage's start it is taken to
    go on from the passage before (a passage boundary falls inside paragraphs as often as between)."""
    return start > 0 and text[:start].rstrip(" \t").endswith("\n")


def _unit(hit: Hit, start: int, end: int) -> Candidate:
    """A span of a passage as a quotable unit (not scored: it is quoted for its place, not its relevance)."""
    return Candidate(hit, start, end, 0.0, np.zeros(1))
