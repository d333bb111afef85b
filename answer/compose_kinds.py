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
from answer.compose import Builder, DocumentText, candidates_for, finish, helpful_refusal, merged_runs
from answer.extractive import Candidate, _ANAPHOR
from answer.keypoints import KeyDirection, KeyPointModel, sentence_features
from answer.outline import boilerplate, bullet_marker, headings, section_of
from text.headings import MAX_HEADING_WORDS
from answer.plans import Plan, aspect_of, brief_question, comparison_aspect
from answer.scope import SCOPE_TIER, in_scope, whole_subject
from answer.units import unit_spans, unwrapped
from answer.statements import is_heading, prescription, prescriptive, statement_date
from answer.types import Answer, BriefRef
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
QUOTE_LIST_ITEMS = False  # quote a bulleted item that is a whole sentence (after its bullet): measured, rejected (bench/summary_adoption_rule.md, N)
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


# Candidate J of bench/summary_adoption_rule.md (seventh pass): a sentence whose opening phrase leans on the
# one before ("Contrary to this recommendation, ...": J1; or a contrast connective: J2) comes with it in a
# summary, as a pronoun opening does. "" (off), "J1" or "J2".
LEANS_BACK = ""
_DEMONSTRATIVE_OPENING = re.compile(r"^(?:[^,\s]+\s+){0,5}?(?:this|these|those|such)\s+[^,\s]+[^,]*,", re.IGNORECASE)
_CONTRAST_OPENING = re.compile(r"^(?:however|nevertheless|nonetheless|in contrast|by contrast|conversely|"
                               r"on the other hand|instead|still),", re.IGNORECASE)


def leans_back(text: str, kind: str | None = None) -> bool:
    """Whether a summary sentence opening leans on the sentence before it beyond a pronoun (candidate J,
    ``LEANS_BACK``; a heuristic): J1 a demonstrative in its opening phrase (at most 6 words before the
    first comma: "Despite these efforts, ..."); J2 that or a contrast connective ("However, ...")."""
    kind = LEANS_BACK if kind is None else kind
    if not kind:
        return False
    head = text.lstrip()
    opening = head.split(",", 1)[0]
    if "," in head and len(opening.split()) <= 6 and _DEMONSTRATIVE_OPENING.match(head):
        return True
    return kind == "J2" and bool(_CONTRAST_OPENING.match(head))


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
                  question_vector: np.ndarray | None = None) -> SummaryUnits | None:
    """The quotable sentences of a brief's passages ``hits`` (None when there is none): sentences under
    notes, author boxes or a disclaimer, notes moved out of their page, lines with a URL or running
    header, list fragments, table rows, questions and a table's note paragraph ("Notes: ...") are left out (``answer.outline``); the rest of a
    sentence cut at a paragraph break is quoted with its head (``_with_head``). A bulleted item that
    is a whole sentence ("• Qualified Immunity: The Eleventh Circuit held that ...") is quoted
    without its bullet (``QUOTE_LIST_ITEMS``); an item that is no sentence ("• bridges in poor
    condition;") stays out as a list fragment."""
    found = candidates_for(question, hits, encoder, question_vector=question_vector)
    marks = headings(hits)
    units, sections = [], []
    for unit in found:
        unit = unit if unit.reading else _with_head(unit)
        marker = bullet_marker(unit.text) if QUOTE_LIST_ITEMS and not unit.reading else 0
        if marker and marker < len(unit.text):
            unit = dataclasses.replace(unit, start=unit.start + marker)
        section = section_of(unit.doc_start, marks)
        if unit.reading or boilerplate(unit.text) or (section and marks[section - 1].apart) or (NOTE_PARAGRAPHS_OUT and in_note_paragraph(unit)):
            continue
        units.append(unit)
        sections.append(section)
    if not units:
        return None
    own_summary = np.array([1.0 if s and marks[s - 1].summary else 0.0 for s in sections])
    title_vector = encoder.encode([brief.title])[0] if brief.title else None
    return SummaryUnits(units, sections, own_summary, _lead_flags(units, sections), np.stack([u.vector for u in units]),
                        title_vector, [marks[s - 1].text.strip() if s else "" for s in sections])


# A table's or figure's note paragraph ("Notes: REEs = rare earth elements. Critical minerals as determined by
# the USGS are bolded."; "Source: ..."): it says how to read the table, it is no point of the brief.
_NOTE_PARAGRAPH = re.compile(r"\s*(?:Notes?|Sources?)\s*:")
# Leaving those sentences out was measured and rejected (bench/summary_adoption_rule.md, seventh pass, "NP"):
# it moves the brief-relative features of every other sentence and cost training key points.
NOTE_PARAGRAPHS_OUT = False


def in_note_paragraph(unit: Candidate) -> bool:
    """Whether a unit stands in a paragraph that opens with "Note:", "Notes:", "Source:" or "Sources:"."""
    text = unit.hit.chunk.text
    start = text.rfind("\n\n", 0, unit.start)
    return bool(_NOTE_PARAGRAPH.match(text, start + 2 if start >= 0 else 0))


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
                  section_weight: float = SECTION_CENTRALITY, turns: bool = True, parts: int = 0,
                  diversity: str = "", cap: int = 0) -> list[Candidate]:
    """``n`` (default ``points_count``) of ``found``'s units by ``score`` (``_section_points``), in text
    order. ``turns`` False: the brief's sections do not take turns (MMR over the whole brief after
    the brief's own summary has had its share; ``section_weight`` then weighs whole-brief centrality).
    ``diversity`` "sections" or "clusters": the rest is chosen by Lin & Bilmes' diversity reward over
    that partition (``_diverse_points``); ``cap`` k > 0: a section gives at most k points until every
    major section has given one (both seventh-pass candidates of bench/summary_adoption_rule.md)."""
    n = points_count(found) if n is None else n
    sections = found.sections if turns else [0] * len(found.units)
    paragraphs = _paragraphs(found.units, found.leads)
    partition = None
    if diversity == "sections":
        partition = np.asarray(found.sections if len(set(found.sections)) > 1 else paragraphs)
    elif diversity == "clusters":
        partition = _clusters(found.vectors, n)
    elif diversity:
        raise ValueError(f"unknown diversity partition {diversity!r}: sections or clusters")
    return _section_points(found.units, score, sections, n, own_summary=found.own_summary,
                           paragraphs=paragraphs, section_weight=section_weight,
                           parts=parts, partition=partition, cap=cap, brief_sections=found.sections)


def _clusters(vectors: np.ndarray, k: int) -> np.ndarray:
    """The k-means cluster (0..k-1) of each row of ``vectors`` ``(m, dim)``: k-means++ seeding with seed
    0, Lloyd's iterations (scipy's ``kmeans2``); deterministic."""
    from scipy.cluster.vq import kmeans2  # type: ignore[import-untyped]

    k = max(1, min(k, len(vectors)))
    _, labels = kmeans2(vectors.astype(float), k, minit="++", seed=0, iter=100)
    return np.asarray(labels)


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


def _section_points(units: Sequence[Candidate], scores: np.ndarray, sections: Sequence[int], n: int, *,
                    own_summary: np.ndarray | None = None, paragraphs: np.ndarray | None = None,
                    section_weight: float = SECTION_CENTRALITY, parts: int = 0, partition: np.ndarray | None = None,
                    cap: int = 0, brief_sections: Sequence[int] | None = None) -> list[Candidate]:
    """``n`` units spread over the brief's major sections in turn (sections ordered by their best
    score; within a section, the unit maximising MMR on ``scores`` + ``section_weight`` x its
    LexRank centrality among the section's own sentences), then, when the sections run out, MMR
    over the rest. With ``own_summary`` (1 for the units of the brief's own summary section), up to
    ``OWN_SUMMARY_SHARE`` of the points (and one per ``OWN_SUMMARY_RATIO`` of its sentences) come
    from it first, its paragraphs (``paragraphs``) taking turns as the brief's sections do: an
    author's summary gives a paragraph to each main point, so each paragraph gives one before any
    gives a second. Near-repeats (cosine above
    ``REDUNDANT``) never; a unit opening with a pronoun comes with its predecessor, the two counted
    as two points. In text order."""
    vectors = np.stack([u.vector for u in units])
    members: dict[int, list[int]] = {}
    for i, section in enumerate(sections):
        members.setdefault(section, []).append(i)
    local = np.zeros(len(units))
    if section_weight:  # the shipped learned model weighs it 0: no LexRank run for nothing
        for ids in members.values():
            local[ids] = _norm(lexrank(vectors[ids]))
    within = scores + section_weight * local
    major = sorted((s for s, m in members.items() if len(m) >= SECTION_MIN), key=lambda s: -max(scores[members[s]]))
    by_start = sorted(range(len(units)), key=lambda i: units[i].doc_start)
    before = {i: by_start[k - 1] for k, i in enumerate(by_start) if k}
    chosen: list[int] = []
    fresh = np.ones(len(units), dtype=bool)  # neither chosen nor within REDUNDANT of a chosen unit

    def take(allowed: np.ndarray, ranking: np.ndarray,
             best: Callable[[np.ndarray], int] | None = None) -> bool:
        """Take the MMR-best allowed unit, or ``best(allowed)`` (with its predecessor when it opens with a
        pronoun)."""
        allowed = allowed & fresh
        while allowed.any():
            pick = mmr(ranking, vectors, 1, chosen=chosen, allowed=allowed, lam=SUMMARY_MMR_LAMBDA)[0] \
                if best is None else best(allowed)
            previous = before.get(pick)
            adding = [previous, pick] if ((_ANAPHOR.match(units[pick].text) or leans_back(units[pick].text))
                                          and previous is not None
                                          and previous not in chosen) else [pick]
            if len(adding) == 2 and len(chosen) + 2 > n:
                allowed[pick] = False
                continue
            for i in adding:
                chosen.append(i)
                fresh[:] &= vectors @ vectors[i] <= REDUNDANT
                fresh[i] = False
            return True
        return False

    if own_summary is not None and own_summary.any():
        own_points = min(int(n * OWN_SUMMARY_SHARE), max(1, int(own_summary.sum()) // OWN_SUMMARY_RATIO))
        own = own_summary > 0
        groups = paragraphs if paragraphs is not None else np.zeros(len(units), dtype=int)
        turns = sorted(set(groups[own].tolist()), key=lambda g: -max(scores[own & (groups == g)]))
        taken = len(chosen)
        while len(chosen) - taken < own_points:
            before_round = len(chosen)
            for group in turns:
                if len(chosen) - taken >= own_points:
                    break
                take(own & (groups == group), within)
            if len(chosen) == before_round:
                break
        major = [s for s in major if not own_summary[members[s][0]]]  # it has had its share
    if parts > 1:
        _spread_over_parts(units, scores, within, n, chosen, take, own_summary, parts)
    if partition is not None:
        reward = np.clip(scores, 0.0, None)

        def diverse(allowed: np.ndarray) -> int:
            """Lin & Bilmes' gain: sqrt(R_k + r_j) - sqrt(R_k) for unit j in part k, R_k the reward taken there."""
            taken = np.zeros(int(partition.max()) + 1)
            np.add.at(taken, partition[chosen], reward[chosen])
            gain = np.sqrt(taken[partition] + reward) - np.sqrt(taken[partition])
            return int(np.argmax(np.where(allowed, gain, -np.inf)))

        while len(chosen) < n and take(np.ones(len(units), dtype=bool), scores, diverse):
            pass
    if cap and brief_sections is not None:
        in_own = own_summary if own_summary is not None else np.zeros(len(units))
        of = np.asarray(brief_sections)
        majors = [s for s in set(of.tolist()) if (of == s).sum() >= SECTION_MIN and not in_own[of == s].all()]
        while len(chosen) < n:
            given = Counter(of[chosen].tolist())
            open_majors = [s for s in majors if not given[s] and (fresh & (of == s)).any()]
            allowed = np.ones(len(units), dtype=bool)
            if open_majors:
                allowed &= ~np.isin(of, [s for s, c in given.items() if c >= cap])
            if not take(allowed, scores):
                break
    progress = True
    while len(chosen) < n and progress:
        progress = False
        for section in major:
            if len(chosen) >= n:
                break
            allowed = np.zeros(len(units), dtype=bool)
            allowed[members[section]] = True
            progress = take(allowed, within) or progress
    while len(chosen) < n and take(np.ones(len(units), dtype=bool), scores):
        pass
    return sorted((units[i] for i in chosen), key=lambda u: u.doc_start)


def _spread_over_parts(units: Sequence[Candidate], scores: np.ndarray, within: np.ndarray, n: int, chosen: list[int],
                       take: Callable[[np.ndarray, np.ndarray], bool], own_summary: np.ndarray | None, parts: int) -> None:
    """The brief's body (its quotable sentences outside its own summary, in text order) cut into
    ``parts`` runs of equal sentence count; the runs take turns (best-scored run first), each giving
    its MMR-best sentence (``take``), until each has given ``(n - len(chosen)) // parts`` points or
    has none left, so no part of a long brief goes unread."""
    body = [i for i in sorted(range(len(units)), key=lambda i: units[i].doc_start)
            if own_summary is None or not own_summary[i]]
    if len(body) < parts:
        return
    quota = (n - len(chosen)) // parts
    runs = [np.array(chunk, dtype=int) for chunk in np.array_split(np.array(body, dtype=int), parts)]
    runs.sort(key=lambda run: -float(scores[run].max()))
    given = [0] * len(runs)
    progress = True
    while progress and len(chosen) < n:
        progress = False
        for k, run in enumerate(runs):
            if given[k] >= quota or len(chosen) >= n:
                continue
            allowed = np.zeros(len(units), dtype=bool)
            allowed[run] = True
            before = len(chosen)
            if take(allowed, within):
                given[k] += len(chosen) - before
                progress = True


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
    for unit in candidates_for(question, hits, encoder):
        text = unit.text.rstrip()
        if unit.reading or not text or text[-1] in ".!?;:" or not text[0].isupper():
            continue
        items = _LIST_ITEMS.match(unit.hit.chunk.text, unit.end)
        if items is None or items.end() - unit.start > MAX_LEAD_CHARS:
            continue
        lead = dataclasses.replace(unit, end=items.end())
        section = section_of(lead.doc_start, marks)
        if boilerplate(" ".join(lead.text.replace("•", " ").split())) or (section and marks[section - 1].apart):
            continue
        leads.append(lead)
    return leads


def _kind(unit: Candidate) -> str:
    """``statements.prescription`` of a unit, read with the sentence before it in its paragraph."""
    text = unit.hit.chunk.text
    spans = [(s, e) for s, e in unit_spans(text) if e <= unit.start]
    before = text[spans[-1][0]:spans[-1][1]] if spans and "\n\n" not in text[spans[-1][1]:unit.start] else ""
    return prescription(unit.text, before=" ".join(before.split()))


# A question that asks for options ("What options does the report give Congress?"): the options a brief sets out
# are what it asks for, as strong an answer as an obligation ("must") is to "What does it recommend?".
_OPTIONS_NAMED = re.compile(r"\b(?:options?|alternatives?|choices)\b", re.IGNORECASE)


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
                builder.sentence(unit, bullet=True)


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
                            r"appropriations?|figures?|numbers?|how much)\b", re.IGNORECASE)
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
    for brief in plan.briefs:
        builder.line(f"**{brief.label}**")
        if plan.whole_brief and not topic:  # nothing asked of the briefs but their comparison: each brief's main points
            pools[brief.doc_id] = summary_points("", brief, plan.passages_of(brief.doc_id), encoder, n=POOL)
            best = 1.0
            shown[brief.doc_id] = summary_points("", brief, plan.passages_of(brief.doc_id), encoder, n=2)
            for unit in shown[brief.doc_id]:
                builder.sentence(_with_head(unit), bullet=True)
            continue
        units = comparison_units(topic, plan.passages_of(brief.doc_id), encoder, cue=cue, whole=whole)
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
        scores = np.array([u.relevance + (SCOPE_TIER if whole and in_scope(u, topic) else 0.0) for u in candidates])
        shown[brief.doc_id] = _pick(candidates, scores, 2)
        for unit in shown[brief.doc_id]:
            builder.sentence(unit, bullet=True)
    builder.line("**Side by side**")
    briefs = [b for b in plan.briefs if pools.get(b.doc_id)]
    if len(briefs) >= 2:
        shared, different = shared_points([pools[b.doc_id] for b in briefs],
                                          shown=[shown.get(b.doc_id, []) for b in briefs])
        on = f" on {topic}" if topic and topic != plan.question else ""
        for i, j, first, second in shared:
            who = "the two briefs" if len(briefs) == 2 else f"{_short(briefs[i])} and {_short(briefs[j])}"
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
    return dataclasses.replace(answer, candidates=tuple(BriefRef(b.doc_id, b.title, b.date, b.source) for b in others))


def _short(brief: BriefInfo) -> str:
    title = brief.title or brief.source
    words = title.split()
    short = " ".join(words[:6]) + ("…" if len(words) > 6 else "")
    return f"“{short}”" + (f" ({brief.date[:4]})" if brief.dated else "")


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
        units = sorted(found.units, key=lambda u: -u.relevance) if found else []
        if not units:
            continue
        floor = units[0].relevance - 0.25 if not plan.whole_brief else -1.0
        if plan.whole_brief and aspect and topic_terms(aspect, plan.catalogue.get(doc_id)):
            floor = units[0].relevance - 0.3
        for unit in units:
            if unit.relevance < floor:
                continue
            brief = plan.catalogue.get(unit.hit.chunk.doc_id)
            when = statement_date(unit.text, brief_date=brief.date if brief else "")
            if when is not None:
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
