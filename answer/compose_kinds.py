"""Composers for the kinds that read whole briefs or several briefs: summary, recommendations,
comparison, timeline, and catalogue questions answered from metadata.

Every line that states something cites the brief's own sentence (or, for metadata, the place
where the brief prints it); lines the composer writes itself (section headings, "Both briefs
mention ...") cite the sentences they are drawn from.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Callable, Sequence

import numpy as np

from answer.catalogue import BriefInfo, asked_briefs, is_stop_word, singular
from answer.centrality import lexrank, mmr
from answer.compose import (Builder, DocumentText, _before, before_in_paragraph, candidates_for, finish,
                            helpful_refusal, merged_runs)
from answer.extractive import Candidate, _ANAPHOR
from answer.keypoints import KeyDirection, KeyPointModel, sentence_features
from answer.outline import boilerplate, describes_exhibit, headings, section_of
from text.headings import MAX_HEADING_WORDS
from answer.plans import Plan, aspect_as_written, aspect_of, brief_question, comparison_aspect
from answer.scope import SCOPE_TIER, in_scope, whole_subject
from answer.units import unwrapped
from answer.statements import (StatementDate, follows_on, introduces_quotation, is_heading, prescription, prescriptive,
                               statement_date)
from answer.types import Answer
from answer.vectors import Encoder
from vectorstore.types import Hit
from retrieval.keyword import tokenize

TITLE_SHARE = 0.5  # weight of a sentence's similarity to the brief's title (Edmundson 1969's title cue)
LEAD_BONUS = 0.35  # added to a sentence's normalised centrality when it opens the brief or a section
TOPIC_SHARE = 0.5  # share of question relevance in a summary's sentence score when the question names a topic
REDUNDANT = 0.8  # cosine above which a sentence repeats one already chosen
SECTION_CENTRALITY = 3.0  # weight of a sentence's centrality within its own section when a section gives a point
MIN_POINTS, MAX_POINTS = 5, 8  # points of a one-brief summary of a short brief (an In Focus, an Insight)
LONG_MAX_POINTS = 12  # most points of a long brief's summary (a 20-50 page Report): one reading stays under a page
SHORT_UNITS, LONG_UNITS = 100, 200  # quotable sentences of a short brief and of a long one; the cap rises between
COUNT_BY_SECTIONS = True  # a summary has a point per major section, within MIN_POINTS..MAX_POINTS
SUMMARY_MMR_LAMBDA = 0.7  # MMR's weight of a sentence's score against its similarity to the points chosen
OWN_SUMMARY_SHARE = 0.5  # at most this share of a summary's points come from the brief's own summary section first
OWN_SUMMARY_RATIO = 2  # ... and at most one point per this many of its sentences (a summary of a summary)
SECTION_MIN = 2  # quotable sentences a section of a brief needs to count as a major one in a summary
PRESCRIPTIVE_WEIGHT = 0.6  # weight of the prescriptive cue in a recommendation's score
MAX_TIMELINE = 12
_CUE_WORDS = ("summary summarize summarise overview main key point points takeaway takeaways finding findings "
              "theme themes idea ideas message messages brief briefs report reports article paper piece gist "
              "recommend recommendation recommendations advise advice author argue argument arguments position "
              "propose proposal say says said view timeline chronology order event events happen happened date "
              "dates both two compare comparison differ difference differences similar similarities tl dr "
              "cover covers about what does do is are the this").split()
_CUE_TERMS = set(t for terms in tokenize(_CUE_WORDS) for t in terms)


def topic_terms(question: str, brief: BriefInfo | None = None) -> set[str]:
    """The question's content words that are neither kind cues nor words of the brief's title or date."""
    terms = set(tokenize([question])[0]) - _CUE_TERMS
    if brief is not None:
        terms -= set(tokenize([brief.title, brief.series, brief.date, *brief.authors])[0] if brief.title else [])
    return {t for t in terms if not t.isdigit()}


def _norm(values: np.ndarray) -> np.ndarray:
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 0 else values


def _lead_flags(units: Sequence[Candidate], sections: Sequence[int] | None = None) -> np.ndarray:
    """1 for the first sentence of the brief, of each section (by the passages' section headings, or
    ``sections``, the outline's section of each unit) and of each paragraph (a sentence that starts
    a line once wrapped lines are joined); else 0."""
    flags = np.zeros(len(units))
    seen_sections: set[object] = set()
    joined: dict[str, str] = {}
    order = sorted(range(len(units)), key=lambda i: units[i].doc_start)
    for position, i in enumerate(order):
        unit = units[i]
        chunk = unit.hit.chunk
        section: object = (chunk.section, sections[i]) if sections is not None else chunk.section
        text = joined.setdefault(chunk.id, unwrapped(chunk.text))
        paragraph = unit.start > 0 and text[:unit.start].rstrip(" \t").endswith("\n")
        if position == 0 or (section and section not in seen_sections) or paragraph:
            flags[i] = 1.0
        seen_sections.add(section)
    return flags


# "It was further noted that ...", "It is unclear whether ...": an "it" that stands for the clause after
# it, not for something in the sentence before (a heuristic; Quirk et al.'s extraposition).
_EXPLETIVE_IT = re.compile(
    r"^it\s+(?:is|was|has been|had been|will be|would be|could be|may be|might be|seems|seemed|appears|appeared|"
    r"remains|remained)\s+(?:(?:also|further|widely|generally|not|now|still|often|sometimes)\s+)*"
    r"(?:\w+ed|unclear|clear|likely|unlikely|possible|impossible|important|difficult|uncertain|necessary|essential|"
    r"critical|notable|worth \w+ing|too early)\s+(?:that|whether|if|how|why|what|when|to)\b", re.IGNORECASE)


def _refers_back(unit: Candidate) -> bool:
    """Whether a sentence opens with a pronoun standing for something in the sentence before."""
    return bool(_ANAPHOR.match(unit.text)) and not _EXPLETIVE_IT.match(unit.text)


def _pick(units: Sequence[Candidate], scores: np.ndarray, n: int) -> list[Candidate]:
    """The ``n`` best-scored units without near-repeats; a unit opening with a pronoun that refers back
    (``_refers_back``) brings its predecessor."""
    chosen: list[Candidate] = []
    by_start = sorted(units, key=lambda u: u.doc_start)
    before = {id(u): by_start[i - 1] for i, u in enumerate(by_start) if i}
    for i in np.argsort(-scores, kind="stable"):
        unit = units[int(i)]
        if len(chosen) >= n or scores[int(i)] == -np.inf:  # -inf: not a candidate
            break
        if any(float(unit.vector @ c.vector) > REDUNDANT for c in chosen):
            continue
        chosen.append(unit)
        previous = before.get(id(unit))
        if _refers_back(unit) and previous is not None and previous not in chosen:
            chosen.append(previous)
    return sorted(chosen, key=lambda u: u.doc_start)


@dataclasses.dataclass(frozen=True)
class SummaryUnits:
    """The quotable sentences of one brief that a summary chooses from, with what its scorers read."""

    units: list[Candidate]
    sections: list[int]  # the outline section (``answer.outline.section_of``) of each unit
    own_summary: np.ndarray  # 1 for the units of the brief's own summary section, else 0
    leads: np.ndarray  # 1 for the units opening the brief, a section or a paragraph (``_lead_flags``)
    vectors: np.ndarray  # the units' L2-normalised embeddings, shape (n, dim)
    title_vector: np.ndarray | None  # the brief's title embedded; None without a title
    # the heading of each unit's section as written ("" before any heading)
    section_headings: list[str] = dataclasses.field(default_factory=list)

    def features(self, direction: KeyDirection | None = None) -> np.ndarray:
        """``answer.keypoints.FEATURES`` of each unit, shape (n, k); ``direction``: the model's learned
        key-sentence direction (``KeyPointModel.direction``; None: that feature is 0)."""
        return sentence_features([u.text for u in self.units], [u.doc_start for u in self.units], self.vectors,
                                 self.sections, leads=self.leads, own_summary=self.own_summary,
                                 title_vector=self.title_vector, direction=direction)


def summary_units(question: str, brief: BriefInfo, hits, encoder: Encoder, *,
                  question_vector: np.ndarray | None = None,
                  rule: Callable[[Candidate], Candidate | None] | None = None) -> SummaryUnits | None:
    """The quotable sentences of a brief's passages ``hits`` (None when there is none): sentences under
    notes, author boxes or a disclaimer, notes moved out of their page, lines with a URL or running
    header, list fragments, table rows and questions are left out (``answer.outline``); the rest of a
    sentence cut at a paragraph break is quoted with its head (``_with_head``). ``rule``: an experiment's
    extra rule on each unit (it returns the unit to quote, or None to leave it out; the rejected
    candidates of ``bench/summary_adoption_rule.md`` in ``bench.summary_variants``); the product passes
    none."""
    found = candidates_for(question, hits, encoder, question_vector=question_vector)
    marks = headings(hits)
    units, sections = [], []
    for unit in found:
        unit = unit if unit.reading else _with_head(unit)
        if rule is not None and not unit.reading:
            ruled = rule(unit)
            if ruled is None:
                continue
            unit = ruled
        section = section_of(unit.doc_start, marks)
        if unit.reading or boilerplate(unit.text) or (section and marks[section - 1].apart):
            continue
        units.append(unit)
        sections.append(section)
    if not units:
        return None
    own_summary = np.array([1.0 if s and marks[s - 1].summary else 0.0 for s in sections])
    title_vector = encoder.encode([brief.title])[0] if brief.title else None
    return SummaryUnits(units, sections, own_summary, _lead_flags(units, sections), np.stack([u.vector for u in units]),
                        title_vector, [marks[s - 1].text.strip() if s else "" for s in sections])


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=\S)")


def _with_head(unit: Candidate) -> Candidate:
    """The unit, or, when it is the rest of a sentence cut at a paragraph break (a PDF page break: "...
    services. The United\n\nStates also is ..."), the whole sentence from its head on: the line before
    it in its passage ends in a letter, a digit or a comma and holds the end of an earlier sentence, or
    is longer than a heading may be; a heading (``statements.is_heading``: mostly capitalised, or the
    title) or a short line ending without punctuation is no cut."""
    chunk = unit.hit.chunk
    before = chunk.text[:unit.start].rstrip()
    line_start = before.rfind("\n") + 1
    line = before[line_start:]
    bare = line.strip()
    if not bare or not (bare[-1].isalnum() or bare[-1] == ",") or is_heading(bare, title=chunk.title):
        return unit
    ends = list(_SENTENCE_END.finditer(line))
    if ends:
        return dataclasses.replace(unit, start=line_start + ends[-1].end())
    if len(bare.split()) > MAX_HEADING_WORDS:
        return dataclasses.replace(unit, start=line_start + len(line) - len(line.lstrip()))
    return unit


def centrality_scores(found: SummaryUnits) -> np.ndarray:
    """The hand-set sentence score: LexRank centrality (normalised to the most central sentence) +
    ``LEAD_BONUS`` for the first sentence of the brief, of a section or of a paragraph, and for
    every sentence of the brief's own summary + ``TITLE_SHARE`` x similarity to the title (normalised)."""
    score = _norm(lexrank(found.vectors)) + LEAD_BONUS * np.maximum(found.leads, found.own_summary)
    if TITLE_SHARE and found.title_vector is not None:
        score = score + TITLE_SHARE * _norm(np.clip(found.vectors @ found.title_vector, 0.0, None))
    return score


def summary_points(question: str, brief: BriefInfo, hits, encoder: Encoder, *, n: int | None = None,
                   question_vector: np.ndarray | None = None, scorer: KeyPointModel | None = None) -> list[Candidate]:
    """The sentences that summarise one brief, in text order: whole sentences, one from each major
    section first, none repeating another.

    The quotable sentences are ``summary_units``'. Score: with ``scorer`` None, the hand-set
    ``centrality_scores``; with a ``KeyPointModel`` (``answer.keypoints``, Kupiec et al. 1995),
    its probability that a reader marks the sentence as a key point. When the question names a
    topic beyond the summary cues, the score is blended with the sentence's relevance to the
    question (``TOPIC_SHARE``). ``n`` defaults to ``points_count``. Selection (``select_points``):
    the major sections (``SECTION_MIN`` quotable sentences or more), best first, each give their
    best sentence by maximal marginal relevance (Carbonell & Goldstein 1998), then MMR over the
    whole brief fills the rest; a sentence within ``REDUNDANT`` cosine of one chosen is never taken.
    Hand-set weights and the selection were chosen on the development half of the analyst question
    set only; the model's weights on the development half and the summary calibration set (README
    "Question kinds").
    """
    found = summary_units(question, brief, hits, encoder, question_vector=question_vector)
    if found is None:
        return []
    score = centrality_scores(found) if scorer is None else scorer.score(found.features(scorer.direction))
    if topic_terms(question, brief):
        relevance = np.array([u.relevance for u in found.units])
        score = (1 - TOPIC_SHARE) * _norm(score) + TOPIC_SHARE * _norm(relevance)
    return select_points(found, score, n=n, section_weight=SECTION_CENTRALITY if scorer is None else scorer.section_weight,
                         turns=scorer is None or scorer.section_turns)


def points_count(found: SummaryUnits) -> int:
    """Points of a one-brief summary: one per major section (``SECTION_MIN`` quotable sentences or
    more), at least ``MIN_POINTS`` and one per 9 quotable sentences, at most ``points_cap``.

    A brief whose outline has no heading among its sentences (one section: a blog post or op-ed, a
    web article whose headings were lost) counts its major paragraphs instead: the number of its
    sections then says nothing of how many topics it covers, and a paragraph is the unit of topic an
    unheaded text has (as its own summary's paragraphs take turns in ``_section_points``). Without
    this, such a brief got ``MIN_POINTS`` whatever it held (a 41-sentence, 11-paragraph article: 5).
    """
    per_section = Counter(found.sections)
    if len(per_section) == 1:
        per_section = Counter(_paragraphs(found.units, found.leads).tolist())
    majors = sum(1 for c in per_section.values() if c >= SECTION_MIN)
    units = len(found.units)
    return min(points_cap(units), max(MIN_POINTS, units // 9, majors if COUNT_BY_SECTIONS else 0))


def select_points(found: SummaryUnits, score: np.ndarray, *, n: int | None = None,
                  section_weight: float = SECTION_CENTRALITY, turns: bool = True) -> list[Candidate]:
    """``n`` (default ``points_count``) of ``found``'s units by ``score`` (``_section_points``), in text
    order. ``turns`` False: the brief's sections do not take turns (MMR over the whole brief after
    the brief's own summary has had its share; ``section_weight`` then weighs whole-brief centrality)."""
    n = points_count(found) if n is None else n
    sections = found.sections if turns else [0] * len(found.units)
    return _section_points(found.units, score, sections, n, own_summary=found.own_summary,
                           paragraphs=_paragraphs(found.units, found.leads), section_weight=section_weight)


def _paragraphs(units: Sequence[Candidate], leads: np.ndarray) -> np.ndarray:
    """The paragraph of each unit (a number, in text order): a new one at each lead sentence."""
    order = sorted(range(len(units)), key=lambda i: units[i].doc_start)
    out = np.zeros(len(units), dtype=int)
    paragraph = 0
    for position, i in enumerate(order):
        if position and leads[i]:
            paragraph += 1
        out[i] = paragraph
    return out


def points_cap(units: int) -> int:
    """Most points of a one-brief summary of ``units`` quotable sentences: ``MAX_POINTS`` up to
    ``SHORT_UNITS``, rising linearly to ``LONG_MAX_POINTS`` at ``LONG_UNITS`` and beyond. A prior
    (a reader of a 30-page report expects more than a reader of a 2-page brief, and a summary
    still fits a screen), not fitted: no development brief is longer than ``SHORT_UNITS``."""
    rise = min(1.0, max(0.0, (units - SHORT_UNITS) / (LONG_UNITS - SHORT_UNITS)))
    return round(MAX_POINTS + rise * (LONG_MAX_POINTS - MAX_POINTS))


def never_a_point(text: str) -> bool:
    """Whether a summary never quotes ``text`` as a point: it says what one of the brief's tables or figures shows
    (``answer.outline.describes_exhibit``) or holds more closing than opening brackets (a cut cell or sentence)."""
    return describes_exhibit(text) or text.count(")") > text.count("(")


class PointPicker:
    """The state of one summary's selection: the points chosen so far (``chosen``, unit indices in the
    order taken) and the units still ``fresh`` (neither chosen nor within ``REDUNDANT`` cosine of a
    chosen one). ``take`` adds one point; the steps of ``_section_points`` call it in turn."""

    def __init__(self, units: Sequence[Candidate], n: int) -> None:
        self.units, self.n = units, n
        self.vectors = np.stack([u.vector for u in units])
        by_start = sorted(range(len(units)), key=lambda i: units[i].doc_start)
        self.before = {i: by_start[k - 1] for k, i in enumerate(by_start) if k}
        self.chosen: list[int] = []
        # never a point, though still a unit that the brief-relative features are read over (the tenth pass of
        # bench/summary_adoption_rule.md): a line on what one of the brief's tables or figures shows, or one cut inside
        # a bracket (a table's cell: "Re-Proposal) Proposal (3/26) Would standardize ...")
        self.fresh = np.array([not never_a_point(u.text) for u in units], dtype=bool)

    def full(self) -> bool:
        return len(self.chosen) >= self.n

    def brings_predecessor(self, i: int) -> bool:
        """Whether unit ``i`` opens with a pronoun, so the sentence before it comes with it."""
        return bool(_ANAPHOR.match(self.units[i].text))

    def take(self, allowed: np.ndarray, ranking: np.ndarray, best: Callable[[np.ndarray], int] | None = None) -> bool:
        """Take the MMR-best fresh unit of ``allowed`` (a boolean mask) by ``ranking``, or ``best(mask)``,
        with its predecessor when ``brings_predecessor`` (not when the two would pass ``n``). False when
        no allowed unit is left."""
        allowed = allowed & self.fresh
        while allowed.any():
            pick = mmr(ranking, self.vectors, 1, chosen=self.chosen, allowed=allowed, lam=SUMMARY_MMR_LAMBDA)[0] \
                if best is None else best(allowed)
            previous = self.before.get(pick)
            adding = [previous, pick] if (self.brings_predecessor(pick) and previous is not None
                                          and previous not in self.chosen) else [pick]
            if len(adding) == 2 and len(self.chosen) + 2 > self.n:
                allowed[pick] = False
                continue
            for i in adding:
                self.chosen.append(i)
                self.fresh[:] &= self.vectors @ self.vectors[i] <= REDUNDANT
                self.fresh[i] = False
            return True
        return False

    def points(self) -> list[Candidate]:
        """The chosen units in text order."""
        return sorted((self.units[i] for i in self.chosen), key=lambda u: u.doc_start)


def own_summary_first(picker: PointPicker, scores: np.ndarray, own_summary: np.ndarray, paragraphs: np.ndarray, *,
                      ranking: np.ndarray | None = None) -> None:
    """Up to ``OWN_SUMMARY_SHARE`` of the points (and one per ``OWN_SUMMARY_RATIO`` of its sentences) from
    the brief's own summary section (``own_summary`` 1), its paragraphs taking turns (best first by
    ``scores``; within one, MMR by ``ranking``, default ``scores``): an author's summary gives a paragraph
    to each main point, so each paragraph gives one before any gives a second."""
    ranking = scores if ranking is None else ranking
    if not own_summary.any():
        return
    own_points = min(int(picker.n * OWN_SUMMARY_SHARE), max(1, int(own_summary.sum()) // OWN_SUMMARY_RATIO))
    own = own_summary > 0
    turns = sorted(set(paragraphs[own].tolist()), key=lambda g: -max(scores[own & (paragraphs == g)]))
    taken = len(picker.chosen)
    while len(picker.chosen) - taken < own_points:
        before_round = len(picker.chosen)
        for group in turns:
            if len(picker.chosen) - taken >= own_points:
                break
            picker.take(own & (paragraphs == group), ranking)
        if len(picker.chosen) == before_round:
            break


def sections_in_turn(picker: PointPicker, scores: np.ndarray, sections: Sequence[int], *,
                     own_summary: np.ndarray | None = None, ranking: np.ndarray | None = None) -> None:
    """The major sections (``SECTION_MIN`` units or more; not the brief's own summary, which has had its
    share), best first by their best score, each give their MMR-best fresh unit by ``ranking`` (default
    ``scores``), round after round, until ``picker`` is full or the sections run out."""
    ranking = scores if ranking is None else ranking
    members: dict[int, list[int]] = {}
    for i, section in enumerate(sections):
        members.setdefault(section, []).append(i)
    major = sorted((s for s, m in members.items() if len(m) >= SECTION_MIN), key=lambda s: -max(scores[members[s]]))
    if own_summary is not None:
        major = [s for s in major if not own_summary[members[s][0]]]
    progress = True
    while not picker.full() and progress:
        progress = False
        for section in major:
            if picker.full():
                break
            allowed = np.zeros(len(picker.units), dtype=bool)
            allowed[members[section]] = True
            progress = picker.take(allowed, ranking) or progress


def fill(picker: PointPicker, scores: np.ndarray) -> None:
    """MMR over the whole brief by ``scores`` until ``picker`` is full or no fresh unit is left."""
    while not picker.full() and picker.take(np.ones(len(picker.units), dtype=bool), scores):
        pass


def _section_points(units: Sequence[Candidate], scores: np.ndarray, sections: Sequence[int], n: int, *,
                    own_summary: np.ndarray | None = None, paragraphs: np.ndarray | None = None,
                    section_weight: float = SECTION_CENTRALITY) -> list[Candidate]:
    """``n`` units: first the brief's own summary's share (``own_summary_first``), then the major sections
    in turn (``sections_in_turn``; within a section, MMR on ``scores`` + ``section_weight`` x the unit's
    LexRank centrality among the section's own sentences), then MMR over the rest (``fill``). Near-repeats
    (cosine above ``REDUNDANT``) never; a unit opening with a pronoun comes with its predecessor, the two
    counted as two points. In text order."""
    picker = PointPicker(units, n)
    local = np.zeros(len(units))
    if section_weight:  # the shipped learned model weighs it 0: no LexRank run for nothing
        members: dict[int, list[int]] = {}
        for i, section in enumerate(sections):
            members.setdefault(section, []).append(i)
        for ids in members.values():
            local[ids] = _norm(lexrank(picker.vectors[ids]))
    within = scores + section_weight * local
    if own_summary is not None:
        own_summary_first(picker, scores, own_summary,
                          paragraphs if paragraphs is not None else np.zeros(len(units), dtype=int), ranking=within)
    sections_in_turn(picker, scores, sections, own_summary=own_summary, ranking=within)
    fill(picker, scores)
    return picker.points()


def summary_aspect(plan: Plan) -> str:
    """What a summary (or a recommendations answer) of ``plan`` is asked about: the question without
    the words that named its briefs ("" : the whole brief), as comparisons and timelines read it, so
    another named brief's title is no topic of this one's summary; the question's aspect when it
    named no brief. The summary scorer is fitted on the same (``bench/fit_summary.py``)."""
    return aspect_of(plan.question, plan.resolution) if plan.resolution.briefs else aspect_of(plan.question)


def summary_answer(plan: Plan, question: str, encoder: Encoder, *, document_text: DocumentText | None = None,
                   question_vector: np.ndarray | None = None, scorer: KeyPointModel | None = None) -> Answer:
    """Bullets of each brief's main points (one section per brief when there are several).

    With ``document_text`` the brief's passages are read joined (``merged_runs``), so no sentence
    is cut where one passage ends; each citation still names the passage its quote starts in.
    ``scorer``: the sentence scorer of ``summary_points`` (None: the hand-set one).
    """
    builder = Builder()
    several = len(plan.briefs) > 1
    aspect = summary_aspect(plan)
    for brief in plan.briefs:
        hits, owners = merged_runs(plan.passages_of(brief.doc_id), document_text(brief.doc_id) if document_text else None)
        builder.passages.update(owners)
        points = summary_points(aspect, brief, hits, encoder, n=5 if several else None, scorer=scorer)
        if several:
            builder.line(f"**{brief.label}**")
        for point in points:
            builder.sentence(point, bullet=True)
    if not builder.citations:
        return helpful_refusal(plan, question, [], evidence_score=0.0, reason="The brief has no text to summarise.")
    return finish(plan, question, builder, evidence_score=1.0)


_PRESCRIPTION_HEADINGS = (("recommendation", "The author recommends:"),
                          ("option", "Options the brief sets out for Congress:"),
                          ("reported", "What others propose or argue, as the brief reports it:"),
                          ("requirement", "What the law requires, as the brief describes it:"))
# A requirement the brief describes (``statements.prescription``: "FDA must submit an annual report ... under
# FSMA") ranks below every prescription: it fills the answer only where the brief prescribes fewer than ``n``.
_REQUIREMENT_TIER = 2.0
CONTEXT_POINTS = 3  # main points shown when a brief prescribes nothing


def recommendations_answer(plan: Plan, question: str, encoder: Encoder, *, evidence_score: float,
                           refusal_threshold: float, document_text: DocumentText | None = None,
                           question_vector: np.ndarray | None = None) -> Answer:
    """Bullets of what the briefs prescribe, the prescriptions first and said for what they are.

    Over a whole named brief only its prescriptive sentences are candidates (``prescriptive``),
    scored centrality + relevance to any topic + ``PRESCRIPTIVE_WEIGHT`` x cue strength, and shown
    under what they are (``prescription``): "The author recommends:", "Options the brief sets out
    for Congress:" (CRS reports set out options rather than recommend), "What others propose or
    argue, as the brief reports it:" (others' advice, a bill's provisions, a party's claims), and last "What the law requires, as the brief describes it:" (a statutory
    duty, "FDA must submit an annual report ... under FSMA", is no one's advice; it fills the answer
    only where the brief prescribes too little). A brief without recommendations of its own says so; one that prescribes
    nothing says that and gives its ``CONTEXT_POINTS`` main points on the question. Over retrieved
    passages (no brief named) the answer must first clear the refusal threshold like a fact; then
    relevance + the prescriptive weight. Candidates are the quotable sentences of ``summary_units``:
    notes, reference lists, lines with a URL and sentences cut before a list are never advice.
    """
    builder = Builder()
    # What is asked of the briefs beyond the words that named them (as comparisons and timelines read it).
    aspect = summary_aspect(plan)
    for doc_id, hits in plan.passages:
        brief = plan.catalogue.get(doc_id) if doc_id else None
        if plan.whole_brief and document_text is not None:
            merged, owners = merged_runs(hits, document_text(doc_id))
            hits = tuple(merged)
            builder.passages.update(owners)
        # the quotable sentences as a summary reads them: no notes, reference lists, URL lines or list leads
        found = summary_units(aspect or plan.question, brief or BriefInfo(doc_id or "", ""), hits, encoder)
        units = (found.units if found else []) + _list_leads(aspect or plan.question, hits, encoder)
        if not units:
            continue
        cue = np.array([prescriptive(u.text) for u in units])
        relevance = np.array([u.relevance for u in units])
        if len(plan.passages) > 1 and brief is not None:
            builder.line(f"**{brief.label}**")
        if not plan.whole_brief:
            if evidence_score < refusal_threshold:
                return helpful_refusal(plan, question, units, evidence_score=evidence_score)
            keep = relevance >= relevance.max() - 0.2
            base = np.where(keep, relevance, -1.0)
            # a requirement the brief describes is no prescription: it gets no prescriptive weight
            cue = np.where([_kind(u) == "requirement" for u in units], 0.0, cue)
            for unit in _pick(units, base + PRESCRIPTIVE_WEIGHT * cue, 4):
                builder.sentence(unit, bullet=plan.shape == "bullets")
            continue
        base = _norm(lexrank(np.stack([u.vector for u in units])))
        if aspect and topic_terms(aspect, brief):
            base = 0.5 * base + 0.5 * _norm(relevance)
        _prescriptions(builder, units, base, cue, options_asked=bool(_OPTIONS_NAMED.search(question)))
    if not builder.citations:
        return helpful_refusal(plan, question, [], evidence_score=evidence_score)
    return finish(plan, question, builder, evidence_score=max(evidence_score, 1.0 if plan.whole_brief else 0.0),
                  prose=plan.shape == "prose")


# The bulleted items after a sentence that leads into them ("... Members of Congress could engage include").
_LIST_ITEMS = re.compile(r"(?:[ \t]*\n\s*[•▪●◦‣∙·*–-][ \t]+[^\n]+)+")
MAX_LEAD_CHARS = 1200  # a list lead is quoted with its items up to this length, else left out


def _list_leads(question: str, hits, encoder: Encoder) -> list[Candidate]:
    """Sentences that lead into a bulleted list, quoted with their items: cut before the items they
    end mid-clause ("the Commerce Secretary recommended a range of actions including"), and
    ``summary_units`` leaves out both the lead and the items (list fragments). Kept only when the
    whole quote reads as a sentence and lies outside notes and other parts apart
    (``answer.outline``)."""
    marks = headings(hits)
    leads = []
    for unit in candidates_for(question, hits, encoder, lead_ins=True):
        text = unit.text.rstrip()
        if unit.reading or not text or text[-1] in ".!?;" or not text[0].isupper():
            continue
        items = _LIST_ITEMS.match(unit.hit.chunk.text, unit.end)
        if items is None or items.end() - unit.start > MAX_LEAD_CHARS:
            continue
        lead = dataclasses.replace(unit, end=items.end())
        section = section_of(lead.doc_start, marks)
        quote = " ".join(lead.text.replace("•", " ").split())
        # a list of questions put to Congress ("... could include the following: • Will ... receive M-1E3s?") ends as one
        if boilerplate(quote[:-1] + "." if quote.endswith("?") else quote) or (section and marks[section - 1].apart):
            continue
        leads.append(lead)
    return leads


def _lead_and_items(builder: Builder, unit: Candidate) -> None:
    """A unit as a bullet; a list lead ending with a colon and quoted with its items (``_list_leads``) as the lead's
    bullet with each item nested under it, each cited apart (a trial read the Abrams report's five oversight questions
    run into one bullet). A lead cut mid-clause stays one quote: alone it would not read as a sentence."""
    body = unit.hit.chunk.text[unit.start:unit.end]
    items = _LIST_ITEMS.search(body)
    if items is None or not body[:items.start()].rstrip().endswith(":"):
        # a lead cut mid-clause ("... recommended a range of actions including") is quoted whole with its items
        builder.sentence(unit, bullet=True)
        return
    lead = body[:items.start()].rstrip()
    builder.sentence(dataclasses.replace(unit, end=unit.start + len(lead)), bullet=True)
    for line in re.finditer(r"[^\n]*\S[^\n]*", body[items.start():]):
        start = unit.start + items.start() + line.start() + (len(line.group()) - len(line.group().lstrip()))
        builder.sentence(dataclasses.replace(unit, start=start, end=unit.start + items.start() + line.end()),
                         bullet=True, level=1)


def _kind(unit: Candidate) -> str:
    """``statements.prescription`` of a unit, read with the sentence before it in its paragraph; a prescription in
    a paragraph that a sentence introducing a quotation leads into ("The Army's announcement quoted Major General
    Glenn Dean ... describing the rationale for the Army's decision:" / "... and we need to reduce its logistical
    footprint.") is the quoted speaker's: "reported" (a trial listed it under "The author recommends:")."""
    before = before_in_paragraph(unit)
    if before:
        return prescription(unit.text, before=" ".join(before.split()))
    kind = prescription(unit.text)
    return "reported" if kind and introduces_quotation(" ".join(_before(unit).split())) else kind


# A question that asks for options ("What options does the report give Congress?", "What issues does it raise for
# Congress?"): the options a brief sets out
# are what it asks for, as strong an answer as an obligation ("must") is to "What does it recommend?".
_OPTIONS_NAMED = re.compile(r"\b(?:options?|alternatives?|choices|issues|considerations|questions)\b", re.IGNORECASE)


def _prescriptions(builder: Builder, units: Sequence[Candidate], base: np.ndarray, cue: np.ndarray, *,
                   n: int = 5, options_asked: bool = False) -> None:
    """One brief's prescriptive sentences, grouped under what they are (``_PRESCRIPTION_HEADINGS``); a
    sentence brought along for its pronoun (``_pick``) goes with the one it introduces. With
    ``options_asked`` an option (``statements.prescription``: "Congress may consider ...") has the cue
    strength of an obligation (1.0, not 0.5): the question asks for options, not for what must be done."""
    kinds = [_kind(u) for u in units]
    cue = np.where([bool(k) for k in kinds], cue, 0.0)
    if options_asked:
        cue = np.where([k == "option" for k in kinds], np.maximum(cue, 1.0), cue)
    prescribing = int((cue > 0).sum())
    if not prescribing:
        builder.line("The brief makes no recommendation and sets out no options on this; its main points:")
        for unit in _pick(units, base, CONTEXT_POINTS):
            builder.sentence(unit, bullet=True)
        return
    scores = np.where(cue > 0, base + PRESCRIPTIVE_WEIGHT * cue, -np.inf)
    scores = np.where([k == "requirement" for k in kinds], scores - _REQUIREMENT_TIER, scores)
    chosen = _pick(units, scores, min(n, prescribing))
    kinds = [_kind(u) for u in chosen]
    for i in range(len(chosen) - 2, -1, -1):  # a context sentence takes the kind of the sentence after it
        kinds[i] = kinds[i] or kinds[i + 1]
    kinds = [k or "option" for k in kinds]
    if "recommendation" not in kinds:
        builder.line("The brief makes no recommendation of its own.")
    for kind, heading in _PRESCRIPTION_HEADINGS:
        group = [u for u, k in zip(chosen, kinds) if k == kind]
        if group:
            builder.line(heading)
            for unit in group:
                _lead_and_items(builder, unit)


SIMILAR = 0.6  # cosine from which two briefs' sentences make the same point: above every pair on the dev comparisons (README)
POOL = 6  # sentences per brief (the most relevant to the aspect) that paired and further points are drawn from
MAX_SHARED = 2  # pairs shown side by side
MAX_DIFFERENT = 1  # further points per brief
# What a comparison's aspect asks for when it names no topic of its own ("options for Congress", "budget
# requests"): the kind's own cue, checked on each brief's sentences. The words are the cues of the kinds
# (recommendations: ``statements.prescriptive``; figures: amounts), not chosen on any question set.
_OPTIONS_ASKED = re.compile(r"\b(?:options?|recommend\w*|propos\w*|suggest\w*|actions?|approach\w*|"
                            r"legislative|should|could|might)\b", re.IGNORECASE)
_FIGURES_ASKED = re.compile(r"\b(?:budgets?|requests?|requested|funding|funds?|costs?|spending|spend|amounts?|"
                            r"appropriations?|figures?|numbers?|how much|cuts?|reductions?|increases?|decreases?|"
                            r"declines?|growth)\b", re.IGNORECASE)
_FIGURE = re.compile(r"\$\s?\d|\d(?:[.,]\d+)?\s?(?:%|percent\b|million\b|billion\b|trillion\b)", re.IGNORECASE)


def aspect_cue(aspect: str) -> Callable[[Candidate], bool] | None:
    """The test a sentence must pass to answer a comparison's aspect by its kind: prescriptive
    (``statements.prescriptive``) when options or recommendations are asked for, stating an amount
    ("$1.33 billion", "54%") when a budget, funding or figures are; None when the aspect asks for neither."""
    if _OPTIONS_ASKED.search(aspect):
        return lambda unit: prescriptive(unit.text) > 0
    if _FIGURES_ASKED.search(aspect):
        return lambda unit: bool(_FIGURE.search(unit.reading or unit.text))
    return None


def comparison_units(query: str, hits: Sequence[Hit], encoder: Encoder, *,
                     cue: Callable[[Candidate], bool] | None = None, whole: bool = False) -> list[Candidate]:
    """A brief's sentences on a comparison's aspect, most relevant first: whole sentences only (a table
    row of a PDF, whose header row cannot be told from its first data row, is never a point), those
    passing the aspect's ``cue`` first and, when the aspect asks about the brief's subject as a whole
    (``whole``, ``answer.scope.whole_subject``), within each of those those at the brief's own level
    first (``in_scope``). A sentence cut at a page break starts at its head (``_with_head``) and keeps
    the score of the part that was scored."""
    units = [u for u in candidates_for(query, hits, encoder) if not u.reading and "|" not in u.text]
    if whole:
        units = [u for u in units if in_scope(u, query)] + [u for u in units if not in_scope(u, query)]
    if cue is not None:
        units = [u for u in units if cue(u)] + [u for u in units if not cue(u)]
    return [_with_head(u) for u in units]


def shared_title_words(briefs: Sequence[BriefInfo]) -> str:
    """The words every compared brief's title holds ("FY2027 Budget Request" of the FWS and the judiciary
    budget briefs), stop words and kind cues left out, in the first title's order: what a comparison
    that names its briefs by those words compares them on."""
    if len(briefs) < 2:
        return ""
    def words(title: str) -> list[str]:
        return re.findall(r"[\w'’$%.-]+", title or "")
    common = set.intersection(*({w.lower() for w in words(b.title)} for b in briefs))
    kept = [w for w in words(briefs[0].title) if w.lower() in common]
    kept = [w for w in dict.fromkeys(kept) if not is_stop_word(w) and not (set(tokenize([w])[0]) <= _CUE_TERMS)]
    return " ".join(kept)


def comparison_answer(plan: Plan, question: str, encoder: Encoder, *, refusal_threshold: float,
                      question_vector: np.ndarray | None = None) -> Answer:
    """One section per brief (title and date as its heading) with its best sentences on the aspect,
    then the closest statements of the briefs side by side and further points of each, as whole
    sentences, each cited and labelled with its brief (``shared_points``). No line claims that the
    briefs agree or make the same point: read by hand, no pair of similar sentences the heuristic
    found on real briefs was the same point (README).

    A brief "says little on this" only when none of its sentences is relevant to the aspect by the
    refusal threshold and, for an aspect that asks for options or figures (``aspect_cue``), none
    states one. When the question names its briefs by words their titles share and asks nothing
    else ("Compare the FWS and the judiciary FY2027 budget requests"), those words are the aspect.

    A question that names fewer briefs than a comparison needs ("Compare the two Iran ceasefire
    Insights" when one brief matches) is answered with that brief's passages and the briefs that
    could be compared with it (``Answer.candidates``), never with briefs it did not name.
    """
    query = comparison_aspect(plan.question, plan.resolution, plan.briefs) or plan.question
    asked, reference = asked_briefs(plan.question)
    if len(plan.briefs) < 2:
        if plan.briefs and plan.resolution.briefs:
            return _too_few(plan, question, encoder, query, reference, refusal_threshold=refusal_threshold)
        units = candidates_for(query, plan.hits, encoder)
        return helpful_refusal(plan, question, units, evidence_score=units[0].relevance if units else 0.0,
                               reason="A comparison needs at least two briefs, and the question names or finds one.")
    builder = Builder(headings=True)
    _say_subjects(builder, plan)
    if asked > len(plan.briefs) and plan.resolution.briefs:
        builder.line(f"Only {len(plan.briefs)} briefs match “{reference}”; comparing those.")
    topic = shared_title_words(plan.briefs) if plan.whole_brief else query
    cue = aspect_cue(topic) if topic else None
    whole = bool(topic) and whole_subject(topic, plan.briefs)
    pools: dict[str, list[Candidate]] = {}
    shown: dict[str, list[Candidate]] = {}  # the sentences each brief's section quotes
    best = 0.0
    found = {} if plan.whole_brief and not topic else {
        b.doc_id: comparison_units(topic, plan.passages_of(b.doc_id), encoder, cue=cue, whole=whole) for b in plan.briefs}
    # a sentence two compared briefs write word for word (two Insights of one series share paragraphs) says nothing of
    # how they differ: a brief's section quotes one only when it has nothing else on the aspect
    written = Counter(" ".join(u.text.split()) for units in found.values() for u in {u.text: u for u in units}.values())
    for brief in plan.briefs:
        builder.line(f"**{brief.label}**")
        if plan.whole_brief and not topic:  # nothing asked of the briefs but their comparison: each brief's main points
            pools[brief.doc_id] = summary_points("", brief, plan.passages_of(brief.doc_id), encoder, n=POOL)
            best = 1.0
            shown[brief.doc_id] = summary_points("", brief, plan.passages_of(brief.doc_id), encoder, n=2)
            for unit in shown[brief.doc_id]:
                builder.sentence(_with_head(unit), bullet=True)
            continue
        units = found[brief.doc_id]
        if not units:
            builder.line("- The brief has no passage on this.")
            continue
        relevance = max(u.relevance for u in units)
        best = max(best, 1.0 if plan.whole_brief else relevance)
        # an aspect about the brief as a whole is compared side by side at the briefs' own level, where they have any
        scoped = [u for u in units if in_scope(u, topic)] if whole else []
        pools[brief.doc_id] = (scoped or units)[:POOL]
        if relevance < refusal_threshold and not (cue is not None and cue(units[0])):
            # Decided as the question asked of this brief alone would be: the aspect with the words that
            # named this brief ("effects on U.S. businesses" of "... Effects on U.S. Shippers").
            alone = brief_question(plan.question, plan.resolution, brief, topic)
            if alone != topic:
                relevance = max((u.relevance for u in comparison_units(alone, plan.passages_of(brief.doc_id), encoder)),
                                default=0.0)
        if relevance < refusal_threshold and not (cue is not None and cue(units[0])):
            builder.line("(The brief says little on this; its closest passages:)")
        candidates = [u for u in units if cue(u)] if cue is not None and cue(units[0]) else units
        candidates = [u for u in candidates if written[" ".join(u.text.split())] < 2] or candidates
        scores = np.array([u.relevance + (SCOPE_TIER if whole and in_scope(u, topic) else 0.0) for u in candidates])
        shown[brief.doc_id] = _pick(candidates, scores, 2)
        for unit in shown[brief.doc_id]:
            builder.sentence(unit, bullet=True)
    builder.line("**Side by side**")
    briefs = [b for b in plan.briefs if pools.get(b.doc_id)]
    if len(briefs) >= 2:
        shared, different = shared_points([pools[b.doc_id] for b in briefs],
                                          shown=[shown.get(b.doc_id, []) for b in briefs])
        # the aspect as the question words it (or the title words the briefs share: "FY2027 Budget Request"), else none:
        # the aspect's bag of words ("on many taxpayers claimed cost") is no phrase
        written_aspect = (aspect_as_written(plan.question, plan.resolution) or (topic if plan.whole_brief else "")
                          ) if topic and topic != plan.question else ""
        on = f" on {written_aspect}" if written_aspect else ""
        for i, j, first, second in shared:
            who = "the two briefs" if len(briefs) == 2 else f"{_short(briefs[i])} and {_short(briefs[j])}"
            if " ".join(first.text.split()) == " ".join(second.text.split()):  # one sentence both write: said once
                both = "Both briefs write" if len(briefs) == 2 else f"{who} both write"
                builder.line(f"- {both}: {first.text}",
                             [builder.cite(first), builder.cite(second)])
                continue
            builder.line(f"- The closest statements of {who}{on} (similar wording; not shown to be the same point):")
            builder.sentence(first, bullet=True, level=1, prefix=f"{_short(briefs[i])}: ")
            builder.sentence(second, bullet=True, level=1, prefix=f"{_short(briefs[j])}: ")
        for brief, own in zip(briefs, different):
            if own:
                builder.line(f"- Also in {_short(brief)}:")
                for unit in own:
                    builder.sentence(unit, bullet=True, level=1)
    return finish(plan, question, builder, evidence_score=best)


def shared_points(pools: Sequence[Sequence[Candidate]], *, similar: float = SIMILAR, max_shared: int = MAX_SHARED,
                  max_different: int = MAX_DIFFERENT, shown: Sequence[Sequence[Candidate]] = ()
                  ) -> tuple[list[tuple[int, int, Candidate, Candidate]], list[list[Candidate]]]:
    """The closest statements of briefs, to show side by side, and each brief's further points, as
    pairs and lists of their own sentences.

    ``pools`` holds each brief's sentences on the aspect, most relevant first. A pair is two
    sentences of two briefs that are each other's most similar sentence in the other brief
    (mutual nearest neighbours by the cosine of their embeddings) with cosine >= ``similar``,
    most similar pairs first, each sentence in one pair at most: ``(i, j, sentence of brief i,
    sentence of brief j)``. A pair is similar wording on the same aspect, not the same point (read by
    hand, none of the pairs found on the analyst set's comparisons was): callers show it labelled
    brief by brief, never as a point both make. A further point of brief i is one of its most
    relevant sentences with no sentence of any other brief at cosine >= ``similar``, and not among
    ``shown[i]`` (the sentences brief i's own section already quotes: it adds a sentence, it does
    not repeat one; a brief whose pool is all shown has none).
    """
    vectors = [np.stack([u.vector for u in pool]) if pool else np.zeros((0, 1)) for pool in pools]
    pairs: list[tuple[float, int, int, int, int]] = []
    for i in range(len(pools)):
        for j in range(i + 1, len(pools)):
            if not len(pools[i]) or not len(pools[j]):
                continue
            sims = vectors[i] @ vectors[j].T
            for a in range(sims.shape[0]):
                b = int(np.argmax(sims[a]))
                if int(np.argmax(sims[:, b])) == a and sims[a, b] >= similar:
                    pairs.append((float(sims[a, b]), i, a, j, b))
    shared: list[tuple[int, int, Candidate, Candidate]] = []
    used: set[tuple[int, int]] = set()
    for _, i, a, j, b in sorted(pairs, key=lambda p: -p[0]):
        if len(shared) >= max_shared:
            break
        if (i, a) in used or (j, b) in used:
            continue
        used |= {(i, a), (j, b)}
        shared.append((i, j, pools[i][a], pools[j][b]))
    different: list[list[Candidate]] = []
    for i, pool in enumerate(pools):
        own: list[Candidate] = []
        already = {(u.hit.chunk.id, u.start) for u in shown[i]} if i < len(shown) else set()
        for a, unit in enumerate(pool):
            if len(own) >= max_different:
                break
            if (unit.hit.chunk.id, unit.start) in already:
                continue
            others = [vectors[j] for j in range(len(pools)) if j != i and len(pools[j])]
            if (i, a) not in used and all(float((v @ unit.vector).max()) < similar for v in others):
                own.append(unit)
        different.append(own)
    return shared, different


def _say_subjects(builder: Builder, plan: Plan) -> None:
    """Which brief a comparison read for each phrase that named one by its subject ("the LWCF report"), as a
    catalogue answer says it: the reader sees why a brief no title names was compared."""
    for doc_id, subject in plan.resolution.subjects:
        if brief := plan.catalogue.get(doc_id):
            builder.line(f"No title names “{subject}”; the brief whose passages are most about it is "
                         f"“{brief.title or brief.source}”.")


def _too_few(plan: Plan, question: str, encoder: Encoder, query: str, reference: str, *,
             refusal_threshold: float) -> Answer:
    """The answer to a comparison whose reference matches one brief: that brief's passages on the
    aspect, and the briefs it could be compared with (``Answer.candidates``)."""
    (brief,) = plan.briefs[:1]
    named = f"“{singular(reference)}”" if reference else "the question"
    builder = Builder(headings=True)
    _say_subjects(builder, plan)
    builder.line(f"Only one brief matches {named}: {brief.label}. Nothing was compared.")
    units = candidates_for(query, plan.passages_of(brief.doc_id), encoder)
    if units:
        builder.line("Its passages on this:" if units[0].relevance >= refusal_threshold
                     else "It says little on this; its closest passages:")
        for unit in _pick(units, np.array([u.relevance for u in units]), 2):
            builder.sentence(unit, bullet=True)
    others = plan.resolution.candidates
    if others:
        builder.line("To compare it with another brief, name that brief; these have passages on the question:")
        for other in others:
            builder.line(f"- {other.label}")
    answer = finish(plan, question, builder, evidence_score=units[0].relevance if units else 0.0)
    return dataclasses.replace(answer, candidates=tuple(b.ref for b in others))


def _short(brief: BriefInfo) -> str:
    title = brief.title or brief.source
    words = title.split()
    short = " ".join(words[:6]) + ("…" if len(words) > 6 else "")
    return f"“{short}”" + (f" ({brief.date[:4]})" if brief.dated else "")


def _story(found: SummaryUnits, floor: float, brief_date: Callable[[Candidate], str]) -> list[tuple[Candidate, StatementDate]]:
    """The dated statements of one brief for a timeline, with their dates: those whose relevance clears
    ``floor``, and each dated sentence that goes on from one of them in the same paragraph, next in text
    order ("In November 2024, the Court ... consolidated Louisiana v. Callais ... Oral argument took place on
    March 24, 2025. On June 27, 2025, the Court ordered ..."): a narrative paragraph tells one story and
    names its subject once. A heuristic: the chain stops at the first undated sentence, the paragraph's end or
    the passage's end. An undated sentence going on from a timeline statement that says its event came later
    (``follows_on``: "On February 27, 2026, President Donald J. Trump directed ... Secretary of Defense Pete
    Hegseth ... subsequently directed ...") is dated after it ("After February 27, 2026").
    ``brief_date(unit)``: the date of the unit's brief (YYYY-MM-DD or ""), that dates without a year resolve by."""
    order = sorted(range(len(found.units)), key=lambda i: found.units[i].doc_start)
    paragraphs = _paragraphs(found.units, found.leads)
    out: list[tuple[Candidate, StatementDate]] = []
    going = False  # the sentence before (same paragraph) is in the timeline
    for position, i in enumerate(order):
        unit = found.units[i]
        when = statement_date(unit.text, brief_date=brief_date(unit))
        previous = found.units[order[position - 1]] if position else None
        follows = (going and previous is not None and previous.hit.chunk.id == unit.hit.chunk.id
                   and paragraphs[order[position - 1]] == paragraphs[i])
        if when is None and follows and follows_on(unit.text):
            when = dataclasses.replace(out[-1][1], bound="after")
        going = when is not None and (unit.relevance >= floor or bool(follows))
        if going and when is not None:
            out.append((unit, when))
    return out


def timeline_answer(plan: Plan, question: str, encoder: Encoder, *, evidence_score: float, refusal_threshold: float,
                    document_text: DocumentText | None = None, question_vector: np.ndarray | None = None) -> Answer:
    """Bullets "date: sentence [n]" of the dated statements, oldest first.

    Statements are the quotable sentences a summary reads (``summary_units``): the dates of notes,
    reference lists and lines with a URL are not events.

    Dates without a year ("in February", "on April 27", "last month") are resolved against the
    brief's own date (``statement_date``). Over retrieved passages the question must first clear
    the refusal threshold; only statements within 0.25 of the best relevance are kept.
    """
    dated: list[tuple[tuple[int, int, int], Candidate, str]] = []
    # Whether anything is asked of the briefs beyond the words that named them ("" : their whole
    # timeline); the statements are still scored on the question's words with those names, which
    # keep a narrow aspect ("the Typhon system's fielding") on the brief's subject.
    aspect = aspect_of(plan.question, plan.resolution)
    query = aspect_of(plan.question)
    if not plan.whole_brief and evidence_score < refusal_threshold:
        units = candidates_for(query, plan.hits, encoder)
        return helpful_refusal(plan, question, units, evidence_score=evidence_score)
    owners_all: dict = {}
    for doc_id, hits in plan.passages:
        if plan.whole_brief and document_text is not None:
            merged, owners = merged_runs(hits, document_text(doc_id))
            hits = tuple(merged)
            owners_all.update(owners)
        # the quotable sentences as a summary reads them: a note's or reference's date is no event
        found = summary_units(query, plan.catalogue.get(doc_id) or BriefInfo(doc_id or "", ""), hits, encoder)
        if found is None:
            continue
        best = max(u.relevance for u in found.units)
        floor = best - 0.25 if not plan.whole_brief else -1.0
        if plan.whole_brief and aspect and topic_terms(aspect, plan.catalogue.get(doc_id)):
            floor = best - 0.3
        for unit, when in _story(found, floor, lambda u: getattr(plan.catalogue.get(u.hit.chunk.doc_id), "date", "")):
            dated.append(((when.year, when.month, when.day), unit, when.label))
    if not dated:
        units = candidates_for(query, plan.hits, encoder)
        return helpful_refusal(plan, question, units, evidence_score=evidence_score,
                               reason="The passages read state no dates.")
    if len(dated) > MAX_TIMELINE:
        dated = sorted(dated, key=lambda d: -d[1].relevance)[:MAX_TIMELINE]
    builder = Builder(passages=owners_all)
    for _, unit, label in sorted(dated, key=lambda d: (d[0], d[1].doc_start)):
        builder.sentence(unit, bullet=True, prefix=f"{label}: ")
    return finish(plan, question, builder, evidence_score=max(evidence_score, 1.0 if plan.whole_brief else 0.0))
