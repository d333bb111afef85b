"""What a refusal shows as nearby: the closest passages' body text, never a title, heading, cover line, note or table row.

A passage can hold lines that are not evidence of anything: the brief's title, a heading, a figure
caption, or cover-page text that ingest did not mark as debris ("CRS INSIGHT", "INSIGHTi" above a
CRS Insight's title). Under a refusal, "the closest passages" are offered as what the briefs do
cover, so those lines are left out, and a passage with nothing else is not offered at all. A line
counts as body text when it is not a caption (``text.captions.CAPTION``), not a note (it opens with
a note number, ``text.sentences.opens_with_note_number``: "2 Robert Beckman et al., ...", with or
without a URL), not a table row (``text.tables.cells``: a header row such as "| Product | Exempt from
Copper Tariffs?" says nothing), not a question alone (a heading asked as one, "What Funding Did the
GAOA Provide the LRF?"), makes a claim (``answer.citations.is_claim``) and reads as prose: it
ends as a sentence ends or holds more than one sentence. This is a heuristic: a body line cut at a
passage's end without its full stop is left out too when it is the passage's only line.

The refusal's own nearby sentences ("The closest passages say:") (``answer.compose.helpful_refusal``) are
chosen by the same notion, per sentence (``offered``): a sentence of a note or a caption, or a table
row, is not offered, nor an item of a bulleted list ("• Iran’s nuclear program.": a list entry, as summaries
leave it out, ``answer.outline.boilerplate``). A row answers a question that asks for its figure; as "what the briefs cover" it
is a header alone ("Product; Exempt from Copper Tariffs?") or figures whose header a PDF table may
have mangled ("Ecological Services: National Wildlife Refuge System; 277.5: 522.0").
"""

from __future__ import annotations

import re
from typing import Sequence

from answer.citations import is_claim
from answer.extractive import Candidate
from answer.outline import reference_entry
from text.captions import CAPTION, is_photo_caption
from text.headings import BULLET
from text.sentences import is_question, opens_with_note_number, sentence_spans
from text.tables import cells
from vectorstore.types import Hit

_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]]*$")


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def is_body_line(line: str, *, title: str = "") -> bool:
    """Whether one line of a passage is body text (see the module docstring), not the brief's title."""
    line = line.strip()
    if (not line or (title and _folded(line) == _folded(title)) or CAPTION.match(line) or is_photo_caption(line)
            or opens_with_note_number(line) or cells(line) is not None or not is_claim(line)):
        return False
    if is_question(line) and len(sentence_spans(line)) <= 1:  # a heading asked as a question
        return False
    return bool(_SENTENCE_END.search(line)) or len(sentence_spans(line)) > 1


def body_text(hit: Hit) -> str:
    """The passage's body lines, one per line ("" when it has none)."""
    title = hit.chunk.title
    return "\n".join(line.strip() for line in hit.chunk.text.splitlines() if is_body_line(line, title=title))


def nearby(hits: Sequence[Hit], limit: int) -> list[tuple[Hit, str]]:
    """Up to ``limit`` of ``hits``, in their order, with their body text; passages without any are skipped."""
    shown: list[tuple[Hit, str]] = []
    for hit in hits:
        if len(shown) >= limit:
            break
        text = body_text(hit)
        if text:
            shown.append((hit, text))
    return shown


def offered(candidate: Candidate) -> bool:
    """Whether a candidate sentence may be offered as what the briefs cover nearby (see the module
    docstring): no table row, no bulleted list item, no question (a CRS In Focus asks its headings: "What Funding Did the GAOA
    Provide the LRF?"), no sentence of a line that is a note, caption or photo caption, nor a note
    citing a source (``answer.outline.reference_entry``)."""
    text = candidate.hit.chunk.text
    line_start = text.rfind("\n", 0, candidate.start) + 1
    line_end = text.find("\n", candidate.start)
    line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
    return not (candidate.reading or cells(line) is not None or opens_with_note_number(line) or BULLET.match(candidate.text) or is_question(candidate.text) or CAPTION.match(line) or is_photo_caption(line)
                or reference_entry(candidate.text))
