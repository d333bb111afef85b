"""The extractive composer: a plan's passages -> an answer in the plan's shape, every sentence cited.

Shared here: choosing quotable sentences (never headings, titles or captions), rendering them
(the author's first person attributed, never spoken in the assistant's voice), the evidence
score refusal is decided on (monotone in the passages), and the refusal that says what the
briefs cover nearby. The kind-specific composers live in ``answer.compose_kinds``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Callable, Collection, Mapping, Sequence

import numpy as np

from answer.catalogue import asked_briefs
from answer.citations import with_markers
from answer.coverage import coverage, question_focus
from answer.extractive import _ANAPHOR, Candidate, reading_order, score_sentences, select
from answer.kinds import asks_change
from answer.lists import LEAD_IN as _LEAD_IN, LEAD_PARAGRAPHS, introduced_list, items_after
from answer.nearby import offered
from answer.outline import bullet_marker, describes_itself, pointer, reference_entry, set_apart
from answer.plans import Plan, aspect_of
from answer.safety import sanitize_markdown, strip_footnotes
from answer.scope import SCOPE_TIER, in_scope, section_label, whole_subject
from answer.sentences import figures
from answer.units import unit_spans
from answer.statements import first_person, is_heading
from answer.types import Answer, AnswerSentence, BriefRef, Citation
from answer.vectors import Encoder
from text.headings import BULLET
from text.sentences import is_question, note_after_stop, opens_with_note_number
from prompts import refusal_sentence
from retrieval.keyword import tokenize
from vectorstore.types import Chunk, Hit

NEARBY = 2  # passages a refusal cites as what the briefs cover nearby


def claims(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates that can be claims: headings, the brief's title, captions, pointers to other
    documents, notes citing a source (``answer.outline.reference_entry``), questions (a question heading
    such as "Does the GAOA Expire?" had been quoted as the answer to "Does the GAOA expire?") and list
    fragments (a line ending in a comma or semicolon) left out."""
    return [c for c in candidates
            if c.reading  # a table row, read with its header
            or (not is_heading(c.text, title=c.hit.chunk.title, section=c.hit.chunk.section)
                and not pointer(c.text) and not reference_entry(c.text) and not is_question(c.text)
                and not c.text.rstrip().endswith((",", ";")))]


_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*")


# The two ends of a change asked over a period ("How did X change between 2017 and 2018?", "... from 2006 to
# 2025?"): a brief states each end in its own sentence ("In 2017, the standard deduction was $6,350";
# "It increased the standard deduction in 2018 to $12,000"), so either end is enough.
_PERIOD = re.compile(r"\b(?:between|from)\s+(?:\w+\s+)?((?:19|20)\d\d)\s+(?:and|to|through)\s+(?:\w+\s+)?((?:19|20)\d\d)\b",
                     re.IGNORECASE)


# Years asked about together ("in FY2024 and FY2025", "in 2017, 2020 or 2024"): a brief states each year's figure
# in its own sentence ("... $454 million in FY2024"; "... $274.5 million in fiscal year (FY) 2025"), so any one is enough.
_YEAR_ITEM = r"(?:FY ?|fiscal year )?(?:19|20)\d\d"
_COORDINATED_YEARS = re.compile(rf"\b{_YEAR_ITEM}(?:\s*,\s*{_YEAR_ITEM})*,?\s+(?:and|or)\s+{_YEAR_ITEM}\b", re.IGNORECASE)


def stated_numbers(question: str) -> list[str | tuple[str, ...]]:
    """The numbers a question states ("in 2022", "FY2025", "the 3rd MDTF"): a sentence that answers it states them
    too. The two years of a change asked over a period (``answer.kinds.asks_change``: "How did X change between
    2017 and 2018?") come as one pair, of which a sentence need state only one; so do years asked about together
    (``_COORDINATED_YEARS``: "How much funding did the program receive in FY2024 and FY2025?")."""
    period = _PERIOD.search(question) if asks_change(question) else None
    group = period or _COORDINATED_YEARS.search(question)
    if period is None and group is not None and question[:group.start()].rstrip().lower().endswith("between"):
        group = None  # a period's two ends ("What was spent between 2017 and 2018?"): both stated
    if group is None:
        return [n for n in _NUMBER.findall(question)]
    rest = question[:group.start()] + " " + question[group.end():]
    years = tuple(period.groups()) if period is not None else tuple(_NUMBER.findall(group.group()))
    return [years, *_NUMBER.findall(rest)]


def states_numbers(candidate: Candidate, numbers: Sequence[str | tuple[str, ...]]) -> bool:
    """Whether the candidate sentence, the next one or its brief's title states every one of ``numbers`` (one of a
    pair of them, ``stated_numbers``); a number other than a year may also be stated in the sentence before in its
    paragraph, as a pronoun's antecedent is: "Which children qualify for the $1,000 federal contribution?" is answered
    by "A child will qualify if they are born from 2025 through 2028, ..." after "P.L. 119-21 established ... a $1,000
    tax credit". A year never: "Copper imports reached 900,000 tons in 2025" after a sentence on April 2026 does not
    answer "How many tons were imported in April 2026?"."""
    if not numbers:
        return True
    text = f"{candidate.hit.chunk.title}\n{window(candidate)}"
    before = before_in_paragraph(candidate) if not candidate.reading else ""

    def states(number: str) -> bool:
        found = text if _YEAR_NUMBER.fullmatch(number) else f"{before}\n{text}"
        return bool(re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d]|[.,]\d)", found))

    return all(any(map(states, n)) if isinstance(n, tuple) else states(n) for n in numbers)


_YEAR_NUMBER = re.compile(r"(?:19|20)\d\d")
# the counted noun after any dotted abbreviation or quantifying word ("How many U.S. bridges", "how many more troops")
_HOW_MANY = re.compile(r"\bhow\s+many\s+(?:(?:[A-Z]\.){2,}\s+|(?:more|additional|other|new|total)\s+)*"
                       r"([A-Za-z][\w'’-]*)", re.IGNORECASE)
_AUXILIARIES = frozenset("were was are is have has had did do does will would can could may might should".split())
_HOW_MUCH = re.compile(r"\bhow\s+much\b", re.IGNORECASE)
_MONEY_ASKED = re.compile(r"\b(?:pay|paid|cost|costs|spend|spent|spending|fund|funds|funding|funded|provide|provided|invest|"
                          r"invested|request|requested|requesting|budget|appropriat\w*|allocat\w*|disburse\w*|worth|price|"
                          r"raise|raised|grant|grants)\b", re.IGNORECASE)
_MONEY = re.compile(r"[$€£¥]|\b(?:dollars?|euros?|yen|billion|million|trillion|bn)\b", re.IGNORECASE)
# An amount of money: "$274.5 million", "€3bn", "2.1 billion dollars", "40 million euros".
_AMOUNT = re.compile(r"[$€£¥]\s?\d[\d,.]*(?:\s*(?:thousand|million|billion|trillion|bn)\b)?"
                     r"|\b\d[\d,.]*\s*(?:(?:thousand|million|billion|trillion)\s+)?(?:dollars?|euros?|yen|pounds)\b",
                     re.IGNORECASE)


def window(candidate: Candidate) -> str:
    """The candidate sentence and the one after it in its passage: where an answer to a question it
    raises usually lies ("The fund helps owners ... . The fund disbursed 3.4 million dollars ...")."""
    if candidate.reading:  # a table row: the row with its header
        return candidate.reading
    text = candidate.hit.chunk.text
    following = next(((s, e) for s, e in unit_spans(text) if s >= candidate.end), None)
    return candidate.text if following is None else text[candidate.start:following[1]]


def answers_the_type(question: str, candidate: Candidate) -> bool:
    """Whether a sentence has what a "how many" / "how much" question asks for (a heuristic).

    "How many X ...": a count (a figure in digits or words that is not an amount of money) and
    the word X (stemmed); "how much" with a word for money (pay, cost, fund, invest, request ...):
    an amount of money; "how much" otherwise: a figure. A figure the question itself states ("in
    fiscal year 2025") is not an answer to it. Other questions pass. Read over the sentence and
    the next (``window``).
    """
    text = window(candidate)
    stated = set(figures(question))
    many = _HOW_MANY.search(question)
    if many:
        # "How many were sickened?": no noun named, any count will do
        head = [] if many.group(1).lower() in _AUXILIARIES else tokenize([many.group(1)])[0]
        found = set(tokenize([text])[0])
        counts = set(figures(_AMOUNT.sub(" ", text))) - stated
        return bool(counts) and (not head or head[0] in found)
    if _HOW_MUCH.search(question):
        return bool(_MONEY.search(text)) if _MONEY_ASKED.search(question) else bool(set(figures(text)) - stated)
    return True


def candidates_for(question: str, hits: Sequence[Hit], encoder: Encoder, *,
                   question_vector: np.ndarray | None = None, match_numbers: bool = False,
                   numbers_from: str | None = None, named: Mapping[str, frozenset[str]] | None = None,
                   lead_ins: bool = False) -> list[Candidate]:
    """Every quotable sentence of the hits scored against the question, best first (see ``score_sentences``;
    ``lead_ins``: lead-ins ending with a colon too, for a list question).

    With ``match_numbers``, only sentences that state every number of the question
    (``stated_numbers``: "How much did Japan spend in 2023?" is not answered by a sentence
    about 2017) and have what a "how many" / "how much" question asks for (``answers_the_type``).
    ``numbers_from`` is the text whose numbers count (default the question): the question without
    the words that named its briefs (``Resolution.unnamed``), whose year names a brief, not a fact.
    ``named``: the words that named each brief, counted as written in its sentences (``score_sentences``).
    """
    found = claims(score_sentences(question, hits, encoder, question_vector=question_vector, named=named,
                                   lead_ins=lead_ins))
    if match_numbers:
        numbers = stated_numbers(question if numbers_from is None else numbers_from)
        found = [c for c in found if states_numbers(c, numbers) and answers_the_type(question, c)]
    return found


def weigh_asked(candidates: Sequence[Candidate], asked: Sequence[str], hits: Sequence[Hit], encoder: Encoder, *,
                named: Mapping[str, frozenset[str]] | None = None) -> list[Candidate]:
    """``candidates`` (scored against the whole standalone question) re-ranked by the best, over the parts of what
    is asked (``asked``), of the mean of that relevance and their relevance to the part, best first.

    The parts are what a follow-up asks itself, the words before the bracket that carried the last question
    ("Who waited the longest? (How long did it take on average ...?)" had quoted the average sentences, which share
    the bracket's words, before "Robert Bork waited the greatest number of days (108)"), or the clauses of a question
    that asks two things (``retrieval.query.question_clauses``: "What did NIH change ... in February 2025, and what
    happened to the policy in court?" had quoted two sentences on the change and none on the court). Chooses which
    sentences are quoted only: the evidence a refusal is decided on is computed apart, from the whole question."""
    own = [{(c.hit.chunk.id, c.start): c.relevance for c in score_sentences(part, hits, encoder, named=named)}
           for part in asked]
    weighed = [dataclasses.replace(c, relevance=max((c.relevance + part.get((c.hit.chunk.id, c.start), 0.0)) / 2
                                                    for part in own)) for c in candidates]
    return sorted(weighed, key=lambda c: -c.relevance)


BriefTerms = Callable[[str], Collection[str]]  # doc_id -> the brief's stemmed terms (``retrieval.keyword.tokenize``)
DocumentText = Callable[[str], "str | None"]  # doc_id -> the brief's whole stored text (``ChromaStore.document_text``)


def evidence_parts(question: str, hits: Sequence[Hit], encoder: Encoder, *,
                   question_vector: np.ndarray | None = None, match_numbers: bool = False,
                   numbers_from: str | None = None, brief_terms: BriefTerms | None = None,
                   named: Mapping[str, frozenset[str]] | None = None) -> list[tuple[float, float]]:
    """(relevance, coverage) of every candidate sentence over every prefix of the ranked hits.

    A sentence's relevance weighs the question's words by their rarity among the candidate
    sentences, so adding passages can lower the relevance of sentences of the first ones; a
    sentence's question coverage (``answer.coverage``: the question's focus terms and asked-for
    slot found around it) depends on it alone. Keeping the pairs of every prefix (``hits[:1]``,
    ``hits[:2]``, ...) makes any score that is their maximum monotone: passages added after the
    others can only add pairs. ``brief_terms`` gives a brief's terms, where names the question
    shares with the brief but not with the sentence are looked up (``answer.coverage.coverage``).
    """
    focus = question_focus(question)
    covered: dict[tuple[str, int], float] = {}
    parts: list[tuple[float, float]] = []
    for n in range(1, len(hits) + 1):
        for candidate in candidates_for(question, hits[:n], encoder, question_vector=question_vector,
                                        match_numbers=match_numbers, numbers_from=numbers_from, named=named):
            key = (candidate.hit.chunk.id, candidate.start)
            if key not in covered:
                brief = brief_terms(candidate.hit.chunk.doc_id) if brief_terms is not None else ()
                covered[key] = coverage(focus, claim_text(candidate), coverage_context(candidate), question=question,
                                        brief=brief)
            parts.append((candidate.relevance, covered[key]))
    return parts


def combined(relevance: float, covered: float, coverage_weight: float) -> float:
    """A candidate's evidence: its relevance scaled down by the share of the question it leaves uncovered,
    ``relevance * (1 - coverage_weight * (1 - covered))``; ``coverage_weight`` 0 is relevance alone."""
    return relevance * (1.0 - coverage_weight * (1.0 - covered))


def evidence(question: str, hits: Sequence[Hit], encoder: Encoder, *,
             question_vector: np.ndarray | None = None, match_numbers: bool = False, numbers_from: str | None = None,
             coverage_weight: float = 0.0, brief_terms: BriefTerms | None = None,
             named: Mapping[str, frozenset[str]] | None = None) -> float:
    """The strength of the best evidence in ``hits`` (0-1), never lower for a longer list that extends them.

    The best ``combined`` score of relevance and question coverage over ``evidence_parts``: the
    maximum over every prefix of the ranked hits, so more passages never lower it.
    ``coverage_weight`` is ``AnswerSettings.coverage_weight`` (chosen by ``bench.calibrate``).
    """
    parts = evidence_parts(question, hits, encoder, question_vector=question_vector, match_numbers=match_numbers,
                           numbers_from=numbers_from, brief_terms=brief_terms, named=named)
    return max((combined(r, c, coverage_weight) for r, c in parts), default=0.0)


def _before(candidate: Candidate) -> str:
    """The sentence before the candidate in its passage ("" for the first, or a table row)."""
    chunk = candidate.hit.chunk
    spans = unit_spans(chunk.text) if not candidate.reading else []
    return next((chunk.text[s:e] for s, e in reversed(spans) if e <= candidate.start), "")


def before_in_paragraph(candidate: Candidate) -> str:
    """The sentence before the candidate when the same paragraph of its passage holds both ("" otherwise)."""
    chunk = candidate.hit.chunk
    spans = [(s, e) for s, e in unit_spans(chunk.text) if e <= candidate.start]
    if not spans or "\n\n" in chunk.text[spans[-1][1]:candidate.start]:
        return ""
    return chunk.text[spans[-1][0]:spans[-1][1]]


def claim_text(candidate: Candidate) -> str:
    """What a candidate itself claims: its sentence (a table row with its header), with the sentence
    before when it opens with a pronoun ("It publicly targeted Lotte ...")."""
    before = _before(candidate) if _ANAPHOR.match(candidate.text) else ""
    return f"{before}\n{candidate.shown}" if before else candidate.shown


def coverage_context(candidate: Candidate) -> str:
    """What a reader has around a candidate: the brief's title, the section heading, the sentence
    before and the sentence after (``window``)."""
    chunk = candidate.hit.chunk
    return "\n".join(part for part in (chunk.title, chunk.section or "", _before(candidate), window(candidate)) if part)


def render(candidate: Candidate, marker: int) -> str:
    """A brief's sentence as the answer shows it, cited; the author's "I" attributed to the author."""
    text = " ".join(strip_footnotes(candidate.shown).split())
    if first_person(text):
        return f"The author writes that “{text}” [{marker}]"
    return with_markers(text, (marker,))


@dataclass
class Builder:
    """Accumulates answer lines and the citations behind them, numbering markers in order."""

    lines: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    sentences: list[AnswerSentence] = field(default_factory=list)
    _markers: dict[tuple[str, int, int], int] = field(default_factory=dict)
    passages: dict[str, tuple[Chunk, ...]] = field(default_factory=dict)  # merged run id -> its stored passages
    # Show a quoted sentence with the section heading it stands under when that is narrower than its
    # brief ("Under “Defender Services”: ..."; ``answer.scope.section_label``), as context outside the quote.
    headings: bool = False
    _last_heading: str = ""  # the section label the previous sentence was shown with: said once for a run

    def cite(self, candidate: Candidate) -> int:
        chunk = candidate.hit.chunk
        key = (chunk.doc_id, candidate.doc_start, chunk.start + candidate.end)
        if key not in self._markers:
            marker = len(self.citations) + 1
            self._markers[key] = marker
            owner = _owner(self.passages.get(chunk.id), key[1]) or chunk
            self.citations.append(Citation(
                marker=marker, chunk_id=owner.id, doc_id=chunk.doc_id, source=chunk.source, title=chunk.title,
                start=key[1], end=key[2], quote=candidate.text, support=1.0, supported=True,
                page=owner.page_at(key[1])))
        return self._markers[key]

    def cite_span(self, hit: Hit, start: int, end: int, quote: str) -> int:
        """A citation of ``quote`` at ``[start, end)`` of the document (metadata printed in the brief)."""
        chunk = hit.chunk
        key = (chunk.doc_id, start, end)
        if key not in self._markers:
            marker = len(self.citations) + 1
            self._markers[key] = marker
            self.citations.append(Citation(marker=marker, chunk_id=chunk.id, doc_id=chunk.doc_id, source=chunk.source,
                                           title=chunk.title, start=start, end=end, quote=quote, support=1.0,
                                           page=chunk.page_at(start)))
        return self._markers[key]

    def sentence(self, candidate: Candidate, *, bullet: bool = False, prefix: str = "", level: int = 0) -> None:
        """A brief's sentence as a line of its own (a bullet, nested ``level`` deep), cited; with ``headings``,
        after the section heading it stands under when that is narrower than its brief (``context``), said
        once for consecutive sentences under the same heading. A list item is quoted from after its bullet
        (``answer.outline.bullet_marker``: the answer sets its own; "• Foreign Market Development ..." had
        been quoted with the glyph)."""
        candidate = without_note_number(candidate)
        if not candidate.reading and (marker := bullet_marker(candidate.text)) and marker < len(candidate.text):
            candidate = dataclasses.replace(candidate, start=candidate.start + marker)
        marker = self.cite(candidate)
        label = section_label(candidate) if self.headings else ""
        # consecutive sentences under the same heading of the same brief: the label is said before the first only
        key = f"{candidate.hit.chunk.doc_id}\n{label}" if label else ""
        repeated = bool(key) and key == self._last_heading and not prefix
        self._last_heading = key
        shown = context(candidate, prefix, emphasis=True) if self.headings and not repeated else prefix
        prefix = context(candidate, prefix) if self.headings and not repeated else prefix
        self.sentences.append(AnswerSentence(text=prefix + candidate.shown, markers=(marker,), support=1.0,
                                             supported=True))
        self.lines.append("  " * level + ("- " if bullet else "") + shown + render(candidate, marker))

    def line(self, text: str, markers: Sequence[int] = ()) -> None:
        if markers:
            self.sentences.append(AnswerSentence(text=text, markers=tuple(markers), support=1.0, supported=True))
        self.lines.append(with_markers(text, markers) if markers else text)

    def text(self, *, prose: bool = False) -> str:
        joined = " ".join(self.lines) if prose else "\n".join(self.lines)
        return sanitize_markdown(joined)


_NOTE_NUMBER = re.compile(r"\d{1,3}\s+")


def without_note_number(candidate: Candidate) -> Candidate:
    """The candidate quoted from after a note number it opens with: the number its line opens with when it
    starts its line and that line is a note (``text.sentences.opens_with_note_number``, a heuristic: 94 of
    94 such lines read were notes: "22 In 2017, the standard deduction was ..." -> "In 2017, ..."), or a
    note number set after the full stop before it ("(Figure 4). 164 In addition, ..." -> "In addition,
    ...": ``text.sentences.note_after_stop``; a summary's sentence extended to its head may hold one);
    else itself. A table row reading is kept as it is. Only what is quoted changes, not what was scored."""
    text = candidate.hit.chunk.text
    line_start = text.rfind("\n", 0, candidate.start) + 1
    line_end = text.find("\n", candidate.start)
    if candidate.reading:
        return candidate
    glued = note_after_stop(text, candidate.start, candidate.end)
    if glued:
        return dataclasses.replace(candidate, start=glued)
    if text[line_start:candidate.start].strip() or not opens_with_note_number(
            text[line_start:line_end if line_end >= 0 else len(text)]):
        return candidate
    number = _NOTE_NUMBER.match(text, candidate.start, candidate.end)
    return dataclasses.replace(candidate, start=number.end()) if number and number.end() < candidate.end else candidate


def context(candidate: Candidate, prefix: str = "", *, emphasis: bool = False) -> str:
    """``prefix`` (a label such as "“Judiciary Budget Request …” (2026): ") with the section heading the
    sentence stands under when that is narrower than its brief (``answer.scope.section_label``):
    "Under “Defender Services”: ", or "“Judiciary …” (2026), under “Defender Services”: "; with
    ``emphasis`` the heading's part in italics (``*Under “Defender Services”:*``), set apart from the
    quote in the chat (``answer.layout``), the brief's emphasis marks left out of it."""
    heading = section_label(candidate)
    if not heading:
        return prefix
    heading = " ".join(strip_footnotes(heading).replace("*", " ").replace("_", " ").split()).rstrip(" .:")
    part = f"under “{heading}”:" if prefix.endswith(": ") else f"Under “{heading}”:"
    part = f"*{part}*" if emphasis else part
    return f"{prefix[:-2]}, {part} " if prefix.endswith(": ") else f"{prefix}{part} "


def _owner(chunks: Sequence[Chunk] | None, start: int) -> Chunk | None:
    """The stored passage a quote starting at ``start`` begins in (None without passages)."""
    if not chunks:
        return None
    return next((c for c in chunks if c.start <= start < c.end), min(chunks, key=lambda c: abs(c.start - start)))


def merged_runs(hits: Sequence[Hit], document_text: str | None) -> tuple[list[Hit], dict[str, tuple[Chunk, ...]]]:
    """A whole brief's passages joined where only whitespace separates them, so that no sentence is cut
    at a passage boundary; with the stored passages of each run (for citing the one a quote starts in).

    Without the document text the passages are returned as they are.
    """
    if not document_text or not hits:
        return list(hits), {}
    ordered = sorted(hits, key=lambda h: h.chunk.start)
    runs: list[list[Chunk]] = [[ordered[0].chunk]]
    for hit in ordered[1:]:
        last = runs[-1][-1]
        if last.doc_id == hit.chunk.doc_id and not document_text[last.end:hit.chunk.start].strip() \
                and hit.chunk.start >= last.end:
            runs[-1].append(hit.chunk)
        else:
            runs.append([hit.chunk])
    merged, owners = [], {}
    for rank, run in enumerate(runs, 1):
        first, last = run[0], run[-1]
        chunk = dataclasses.replace(first, id=f"{first.id}+{len(run)}", end=last.end,
                                    text=document_text[first.start:last.end])
        merged.append(Hit(chunk, 0.0, rank))
        owners[chunk.id] = tuple(run)
    return merged, owners


def brief_refs(plan: Plan) -> tuple[BriefRef, ...]:
    return tuple(b.ref for b in plan.briefs)


def finish(plan: Plan, question: str, builder: Builder, *, evidence_score: float, prose: bool = False,
           briefs: Sequence[BriefRef] | None = None) -> Answer:
    """The Answer for a plan from what the builder holds. "Reading:" (``briefs_read``) names ``briefs``; by default
    the plan's briefs, but for an answer drawn from one search over the collection (no brief named, ``passages``
    one unscoped run) the briefs it cites: a trial's recommendations follow-up listed the seven briefs its search
    touched under "Reading:", most of them unrelated."""
    if briefs is None and not plan.resolution.briefs and len(plan.passages) == 1 and not plan.passages[0][0] \
            and builder.citations:
        briefs = _cited_briefs(plan, builder)
    read = tuple(briefs) if briefs is not None else brief_refs(plan)
    return Answer(question=question, text=builder.text(prose=prose), citations=tuple(builder.citations),
                  sentences=tuple(builder.sentences), retrieved=plan.hits, standalone_question=plan.question,
                  evidence=evidence_score, kind=plan.kind, briefs_read=read, shape=plan.shape)


UNCLEAR = "No passage in the briefs answers this question clearly enough to quote as the answer."


def helpful_refusal(plan: Plan, question: str, candidates: Sequence[Candidate], *, evidence_score: float,
                    reason: str = "") -> Answer:
    """A refusal, then what the briefs cover nearby: the closest sentences, cited.

    With such sentences and no ``reason`` (a check that found the question's subject missing, stated as a fact), the
    refusal says what is known: no passage answers the question clearly enough to quote as the answer (``UNCLEAR``),
    not that the briefs do not cover it: the closest sentence may answer it, below the refusal threshold, and two
    browser trials read "The briefs do not cover this question." above a nearby sentence that answered as a
    contradiction. Without them it is ``prompts.refusal_sentence``."""
    builder = Builder()
    # a lead-in ending with a colon (a list question's candidate) says nothing without its list
    nearby = select([c for c in candidates if offered(c) and not _LEAD_IN.search(c.text)], NEARBY)[:NEARBY] \
        if candidates else []
    builder.line(UNCLEAR if nearby and not reason else refusal_sentence() + (f" {reason}" if reason else ""))
    if nearby:
        builder.line("The closest passages say:" if not reason else "Nearby, the briefs cover:")
        for candidate in reading_order(nearby):
            builder.sentence(candidate, bullet=True)
    # "Reading:" names the briefs the question named (or the conversation pinned) and those of the
    # nearby passages shown, with their date from the catalogue (a citation carries none); never
    # every brief a search touched (a browser trial listed unrelated briefs under a refusal).
    named = tuple(b.ref for b in plan.resolution.briefs)
    cited = tuple(b for b in _cited_briefs(plan, builder) if b.doc_id not in {n.doc_id for n in named})
    answer = finish(plan, question, builder, evidence_score=evidence_score, briefs=named + cited)
    return Answer(**{**answer.__dict__, "refused": True, "sentences": (), "briefs_asked": named})


def fact_answer(plan: Plan, question: str, candidates: Sequence[Candidate], *, evidence_score: float,
                max_sentences: int, refusal_threshold: float,
                passages_of: Callable[[str], Sequence[Hit]] | None = None) -> Answer:
    """Prose from the best sentences in reading order (the offline answer of ``answer.extractive``); for a
    question about a brief's subject as a whole, its sentences at the brief's own level first (``scoped``).
    ``passages_of`` (a brief's passages in order): a chosen lead-in is quoted with its list (``_best_sentences``)."""
    return _best_sentences(plan, question, scoped(plan, candidates), evidence_score=evidence_score, n=max_sentences,
                           refusal_threshold=refusal_threshold, bullets=False, passages_of=passages_of)


def scoped(plan: Plan, candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates, those that answer a question about their brief's subject as a whole ranked first:
    when the question, less the words that named its briefs (``answer.plans.aspect_of``), names only the
    brief's subject and amounts ("What is the judiciary's FY2027 budget request?", ``answer.scope.whole_subject``),
    a sentence at the brief's own level (``answer.scope.in_scope``) gains ``SCOPE_TIER`` in relevance, so
    the judiciary's $9.7 billion outranks the Federal Circuit's $38.7 million. Chooses which sentences are
    quoted only: the evidence a refusal is decided on is computed apart."""
    aspect = aspect_of(plan.question, plan.resolution)
    whole: dict[str, bool] = {}
    out = []
    for candidate in candidates:
        doc_id = candidate.hit.chunk.doc_id
        if doc_id not in whole:
            brief = plan.catalogue.get(doc_id)
            whole[doc_id] = brief is not None and whole_subject(aspect, [brief])
        if whole[doc_id] and in_scope(candidate, aspect):
            candidate = dataclasses.replace(candidate, relevance=candidate.relevance + SCOPE_TIER)
        out.append(candidate)
    return sorted(out, key=lambda c: -c.relevance)


def list_answer(plan: Plan, question: str, candidates: Sequence[Candidate], *, evidence_score: float,
                max_items: int, refusal_threshold: float,
                passages_of: Callable[[str], Sequence[Hit]] | None = None) -> Answer:
    """Bullets: the sentences that answer best, one item each, in reading order. With ``passages_of``
    (a brief's passages in order, ``Planner.whole_brief``), the best chosen sentence that introduces a
    list on the question's subject (``answer.lists.introduced_list``) is the answer, quoted with its
    lead-in and items, each cited; else a bulleted list right after a chosen sentence is quoted with it."""
    return _best_sentences(plan, question, candidates, evidence_score=evidence_score, n=max_items,
                           refusal_threshold=refusal_threshold, bullets=True, passages_of=passages_of,
                           lists=passages_of is not None)


def _best_sentences(plan: Plan, question: str, candidates: Sequence[Candidate], *, evidence_score: float, n: int,
                    refusal_threshold: float, bullets: bool,
                    passages_of: Callable[[str], Sequence[Hit]] | None = None, lists: bool = False) -> Answer:
    """The ``n`` best sentences in reading order, as prose or one bullet each; a helpful refusal
    below ``refusal_threshold``. With ``passages_of`` (a brief's passages in order), a chosen lead-in ("Services
    include the following.") is quoted with the list it introduces, or not at all; ``lists`` (a list question):
    every chosen sentence brings the list that follows it, and the sentence introducing a list that matches the
    question is preferred (``answer.lists.introduced_list``)."""
    if evidence_score < refusal_threshold or not candidates:
        return helpful_refusal(plan, question, candidates, evidence_score=evidence_score)
    builder = Builder(headings=True)
    # what a brief says it covers ("This publication focuses on the EEHIC, describing ... the geographic distribution
    # of credit recipients") answers no fact asked about its subject: a trial's "Which regions claimed each one most?"
    # was answered with two such sentences per brief. The evidence above is still read from every sentence. (A list
    # question keeps one that introduces a list: "This Legal Sidebar discusses circuit splits ..." is followed, a
    # paragraph on, by the splits asked for; not "This report presents current data on foreign ownership ...,
    # including major holders of federal debt by country", which a trial got as the whole answer to "Which countries
    # are the biggest foreign holders of U.S. Treasury debt?".)
    # Nor does a sentence cut before the list that ends it ("To secure more dollars for ESF operations, Treasury
    # could" above "(1) seek an additional appropriation ...; (2) ..."): a trial's answer quoted it as it stood.
    # Nor does a list item opening in lower case ("• every Trump Account holder who will not reach age 18 ..."): the
    # tail of a lead it leaves behind.
    def quotable(c: Candidate) -> bool:
        if c.reading:
            return True
        if describes_itself(c.text):  # only as a list question's introduction of a list
            return lists and passages_of is not None and bool(
                items_after(c, passages_of(c.hit.chunk.doc_id), paragraphs=LEAD_PARAGRAPHS)[1])
        return lists or not (_cut_before_list(c) or _item_tail(c.text))

    chosen = select([c for c in candidates if quotable(c)] or candidates, n)
    # a sentence of the notes or references ("Adam Rome, The Genius of Earth Day ..., p.") answers only when no
    # sentence of the brief's body was chosen: a trial's answers ended on such lines, cited
    chosen = [c for c in chosen if not set_apart(c.hit, c.start)] or chosen
    if passages_of is not None:  # a lead-in answers only with the list it introduces
        chosen = [c for c in chosen if not _LEAD_IN.search(c.text)
                  or items_after(c, passages_of(c.hit.chunk.doc_id))[1]] or chosen
    # a list question prefers the sentence that introduces a list matching it: the list is the answer
    found = introduced_list(plan.question, chosen, passages_of) if passages_of and lists else None
    listed = [found] if found is not None else [
        (candidate, *(items_after(candidate, passages_of(candidate.hit.chunk.doc_id))
                      if passages_of and (lists or _LEAD_IN.search(candidate.text)) else (None, [])))
        for candidate in reading_order(chosen)]
    for sentence, lead, items in listed:
        builder.sentence(sentence, bullet=bullets)
        if lead is not None:
            builder.sentence(lead, bullet=True)
        for item in items:
            builder.sentence(item, bullet=True, level=1)
    return finish(plan, question, builder, evidence_score=evidence_score, prose=not bullets,
                  briefs=_cited_briefs(plan, builder))


def _cut_before_list(candidate: Candidate) -> bool:
    """Whether a unit stops without ending as a sentence where a list item opens ("• ", "(1) "), or on a lower-case
    word at the end of its passage (the items went to the next passage): the head of a sentence that goes on in
    the list's items (a heuristic)."""
    text = candidate.text.rstrip()
    rest = candidate.hit.chunk.text[candidate.end:].lstrip()
    return bool(text) and text[-1] not in _SENTENCE_END and (bool(BULLET.match(rest)) or (not rest and text[-1].islower()))


def _item_tail(text: str) -> bool:
    """Whether a unit is a bulleted list item opening in lower case (it goes on from the lead above the list)."""
    marker = bullet_marker(text)
    return marker > 0 and text[marker:marker + 1].islower()


_SENTENCE_END = ".!?:\"”’)]"


def _cited_briefs(plan: Plan, builder: Builder) -> tuple[BriefRef, ...]:
    by_id = {b.doc_id: b for b in plan.catalogue.briefs}
    cited = dict.fromkeys(c.doc_id for c in builder.citations)
    refs = []
    for doc_id in cited:
        brief = by_id.get(doc_id)
        if brief is not None:
            refs.append(brief.ref)
        else:  # a passage of a brief the catalogue does not hold (a plan built without one)
            citation = next(c for c in builder.citations if c.doc_id == doc_id)
            refs.append(BriefRef(doc_id, citation.title, "", citation.source))
    return tuple(refs)


def candidates_answer(plan: Plan, question: str) -> Answer:
    """For an ambiguous reference: the briefs it may mean, and how to name one."""
    builder = Builder()
    if plan.resolution.how == "conversation":
        count = len(plan.resolution.candidates)
        builder.line(f"The last answer read {count} briefs; which one do you mean? Name it by its title, date or "
                     "author, or ask about “them” for all of them:")
    elif plan.resolution.how == "count":
        count, _ = asked_briefs(plan.question)
        meant = len(plan.resolution.candidates)
        stored = "are stored" if meant == len(plan.catalogue) else "could be meant"
        builder.line(f"The question asks about {count} briefs and {meant} {stored}; "
                     "name the ones you mean by their title, date or author:")
    else:
        builder.line("The question could mean more than one brief; name one by its title, date or author, "
                     "or reply with its place in the list (“the first”) or “the newest”:")
    for brief in plan.resolution.candidates:
        builder.line(f"- {brief.label}")
    refs = tuple(b.ref for b in plan.resolution.candidates)
    answer = finish(plan, question, builder, evidence_score=0.0, briefs=())
    return Answer(**{**answer.__dict__, "candidates": refs})
