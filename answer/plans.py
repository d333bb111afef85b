"""Plans: which briefs a question reads and which of their passages, decided by the question's kind.

A ``Plan`` is plain data that both answerers consume: the extractive composer
(``answer.compose``) and the LLM answerer (given the plan's passages and kind). Building it is
the only place that talks to the retriever:

- fact and list: a hybrid search, restricted to the briefs the question names when it names any;
- summary, and recommendations or timelines of a named brief: the whole brief's body, every
  passage in order (the composer then reads its sections, lead sentences and central sentences); a brief
  named by its subject ("the brief on THAAD") is the one most of the best passages come from, and so is the
  brief a question of these kinds that speaks of no document is about ("Walk me through the timeline of the
  Pentagon's fight with Anthropic": ``Planner._subject_of``);
- comparison: one search per brief with the same aspect (``aspect_of``: the question without the
  words that named the briefs), so every compared brief has its own passages; a brief named by what it
  is about rather than by its title ("the LWCF report") is found as a summary's is (``Planner.brief_on``,
  kept only when the ``is_about`` check given to the planner says the brief is about it); the whole briefs
  when nothing is asked of them beyond their names ("Compare the Australia and Typhon reports");
  the composers of summaries, recommendations and timelines read the same aspect; a question that is a
  comparison only by asking how something changed ("How did the standard deduction change between 2017
  and 2018?", ``answer.kinds.asks_change_only``) and has fewer than two briefs to compare, or years that
  are not two briefs' dates (``_change_within_one_brief``), is planned as a fact question over the
  brief it names or finds;
- catalogue: the named briefs' metadata, and, when the question asks which briefs discuss something
  (``answer.catalogue.topic_asked``), a search on the subject of each candidate brief on its own
  (``TOPIC_K_PER_BRIEF`` passages each), whatever the title words name: the candidates are picked from the
  whole collection by a cheap first pass (``topic_candidates``: the briefs with a passage that writes
  every word of the subject, and those of one hybrid search on it).
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from answer.catalogue import (BriefInfo, Catalogue, Resolution, is_stop_word, latest_year, names_document,
                              references_by_subject, related_briefs, resolve_briefs, title_short_forms, topic_asked)
from answer.coverage import absent_names
from answer.kinds import asks_change_only
from retrieval.filters import Filters
from retrieval.query import ADDRESSEES
from text.abbreviations import definitions
from vectorstore.types import Chunk, Hit

log = logging.getLogger(__name__)

SHAPES = {"fact": "prose", "summary": "bullets", "recommendations": "bullets", "list": "bullets",
          "timeline": "bullets", "comparison": "sections", "catalogue": "bullets"}
K_PER_BRIEF = 4  # passages per brief in a comparison
TOPIC_K_PER_BRIEF = 5  # passages per brief searched for "Which briefs discuss Y?" (not tuned)
TOPIC_CANDIDATE_K = 30  # passages of the first pass's one search for "Which briefs discuss Y?" (not tuned)
MAX_COMPARED = 4  # briefs in one comparison
TOPIC_K = 8  # passages for a summary, list or timeline of a topic rather than of a brief
_WHOLE_BRIEF_KINDS = ("summary", "recommendations", "timeline")


@dataclass(frozen=True)
class Plan:
    """What to read for a question and how to answer it."""

    kind: str  # answer.kinds.KINDS
    question: str  # the standalone question
    shape: str  # "prose", "bullets" or "sections"
    briefs: tuple[BriefInfo, ...] = ()  # the briefs read, in the order the answer presents them
    passages: tuple[tuple[str, tuple[Hit, ...]], ...] = ()  # (doc_id, passages) per brief; ("", hits) if unrestricted
    whole_brief: bool = False  # passages are every passage of each brief, in order
    resolution: Resolution = field(default_factory=Resolution)
    catalogue: Catalogue = field(default_factory=Catalogue)
    # the passages the refusal score reads, best first, where ``passages`` are no one ranking ("Which briefs
    # discuss Y?": each brief's own search, scored brief by brief by the composer); () means ``hits``
    ranking: tuple[Hit, ...] = ()

    @property
    def hits(self) -> tuple[Hit, ...]:
        """Every passage of the plan, brief by brief (what ``Answer.retrieved`` lists)."""
        return tuple(h for _, hits in self.passages for h in hits)

    def passages_of(self, doc_id: str) -> tuple[Hit, ...]:
        return next((hits for d, hits in self.passages if d == doc_id), ())


def search_per_brief(retriever: Any, question: str, doc_ids: Sequence[str], *, k_per_brief: int,
                     filters: Filters | None = None, vector: np.ndarray | None = None) -> dict[str, list[Hit]]:
    """The best ``k_per_brief`` passages of each brief for the question (the retriever's per-brief call).

    Until the retriever offers ``search_briefs`` this runs one filtered search per brief.
    """
    if hasattr(retriever, "search_briefs"):
        return retriever.search_briefs(question, list(doc_ids), k_per_brief=k_per_brief, filters=filters)
    base = filters or Filters()
    return {d: retriever.search(question, k_per_brief, dataclasses.replace(base, doc_ids=(d,)), vector=vector)
            for d in doc_ids}


def topic_candidates(retriever: Any, topic: str, catalogue: Catalogue, *, k: int = TOPIC_CANDIDATE_K,
                     filters: Filters | None = None) -> tuple[list[str], list[Hit]]:
    """The briefs worth searching one by one for "Which briefs discuss ``topic``?" (a cheap first pass over the
    whole collection), and the first pass's search hits.

    Returns ``(doc_ids, hits)``: ``doc_ids`` the briefs of ``catalogue`` (in its order) that have a passage
    whose keyword-indexed text (title and section heading included) writes every word of the topic
    (``retrieval.keyword.KeywordIndex.writing``: what the composer's ``writes`` rule can list), and the briefs
    of the ``k`` passages of one hybrid search on the topic over the collection as filtered (a brief that is
    about the topic in other words, for the relevance rule); ``hits`` those ``k`` passages, best first.
    A heuristic: a brief in neither is never read. Raises ``ValueError`` for an empty topic or ``k`` below 1
    (``retriever.search``)."""
    index = retriever.keyword_index()
    wanted = {d for d in (index.chunks[i].doc_id for i in index.writing(topic)) if catalogue.get(d) is not None}
    hits = list(retriever.search(topic, k, filters))
    wanted |= {h.chunk.doc_id for h in hits}
    return [b.doc_id for b in catalogue.briefs if b.doc_id in wanted], hits


class Planner:
    """Builds plans over a retriever's passages; keeps the catalogue of briefs for the current index."""

    def __init__(self, retriever: Any, *, is_about: Callable[[str, str], bool] | None = None) -> None:
        """``is_about(subject, doc_id)`` says whether a brief is about a subject enough to be the one a
        comparison names by it ("the LWCF report": ``answer.assistant.Assistant.brief_is_about``);
        without it a comparison resolves briefs by their titles only."""
        self.retriever = retriever
        self.is_about = is_about
        self._lock = threading.Lock()
        self._cached: tuple[int, Catalogue, dict[str, list[Chunk]]] | None = None

    # -- the catalogue and whole briefs, from the keyword index (rebuilt when the store changes) ---

    def _index_state(self) -> tuple[Catalogue, dict[str, list[Chunk]]]:
        index = self.retriever.keyword_index()
        with self._lock:
            if self._cached is not None and self._cached[0] == id(index):
                return self._cached[1], self._cached[2]
        by_brief: dict[str, list[Chunk]] = {}
        for chunk in index.chunks:
            by_brief.setdefault(chunk.doc_id, []).append(chunk)
        briefs = []
        for doc_id, chunks in by_brief.items():
            chunks.sort(key=lambda c: c.start)
            first = chunks[0]
            text = "\n".join(c.text for c in chunks)
            # the retriever's abbreviations of the brief (read once per brief, for every search) where it has them
            defined = self.retriever.abbreviations(doc_id) if hasattr(self.retriever, "abbreviations") \
                else definitions(text)
            briefs.append(BriefInfo(doc_id=doc_id, source=first.source, title=first.title, date=first.date,
                                    series=first.series, authors=first.authors, year_in_text=latest_year(text),
                                    short_forms=title_short_forms(first.title, defined)))
        catalogue = Catalogue(briefs)
        with self._lock:
            self._cached = (id(index), catalogue, by_brief)
        return catalogue, by_brief

    def catalogue(self, filters: Filters | None = None) -> Catalogue:
        """The stored briefs, only those the filters allow when given."""
        catalogue, by_brief = self._index_state()
        if filters is None or filters.empty:
            return catalogue
        return catalogue.restricted(d for d, chunks in by_brief.items() if filters.matches(chunks[0]))

    def whole_brief(self, doc_id: str, *, annotated: bool = False) -> tuple[Hit, ...]:
        """Every passage of a brief in text order, as hits ranked by position (score 0); with ``annotated``,
        each with what the retriever reads of its brief as for a search hit (its section headings,
        abbreviations, table header: ``HybridRetriever.annotated``), where the retriever offers it."""
        _, by_brief = self._index_state()
        hits = tuple(Hit(chunk, 0.0, rank) for rank, chunk in enumerate(by_brief.get(doc_id, []), 1))
        annotate = getattr(self.retriever, "annotated", None) if annotated else None
        return tuple(annotate(hit) for hit in hits) if annotate is not None else hits

    # -- plans -------------------------------------------------------------------------------

    def plan(self, question: str, kind: str, *, k: int, filters: Filters | None = None,
             previous: Sequence[str] = (), follow_up: bool = False, pinned: bool = False,
             vector: np.ndarray | None = None, chosen: Sequence[str] = ()) -> Plan:
        """The plan for a standalone question of a given kind (see the module docstring).

        ``previous`` are the doc ids the last turn read, for "this brief" and "it"; ``pinned``
        keeps the question on them unless it names other briefs (an elliptic follow-up such as
        "In 2022?" varies the last question, it does not open a new search). ``chosen`` are the doc
        ids the user picked from the briefs the last turn offered (``answer.catalogue.chosen_from``):
        the question is asked of them. A question that names no brief is searched over the newest
        version of each report (``Catalogue.superseded`` are left out).
        """
        catalogue = self.catalogue(filters)
        remembered = tuple(b for b in (catalogue.get(d) for d in previous) if b is not None)
        picked = tuple(b for b in (catalogue.get(d) for d in chosen) if b is not None)
        if picked:  # the words that named them, read over the picked briefs alone
            naming = resolve_briefs(question, catalogue.restricted(d.doc_id for d in picked),
                                    whole_brief=kind in ("summary", "timeline"))
            resolution = Resolution(picked, how="choice", named_by=naming.named_by if naming.briefs else ())
        else:
            resolution = resolve_briefs(question, catalogue, previous=remembered, follow_up=follow_up,
                                        whole_brief=kind in ("summary", "timeline"))
        # a search over briefs the question does not name reads the newest version of each report
        superseded = catalogue.superseded()
        unnamed = _restrict(filters, [b for b in catalogue.briefs if b.doc_id not in superseded]) if superseded \
            else filters
        if kind == "catalogue" and topic_asked(question):
            # "Which reports discuss election administration?" asks of every brief, not of those whose title
            # holds the words (two titles did, and the question was answered as ambiguous)
            resolution = Resolution()
        if pinned and remembered and not resolution.briefs and not resolution.candidates:
            resolution = Resolution(remembered, how="conversation")
        if not resolution.briefs and len(catalogue) == 1 and (names_document(question) or kind in _WHOLE_BRIEF_KINDS):
            resolution = Resolution(tuple(catalogue.briefs), how="only brief")
        shape = SHAPES[kind]
        base: dict[str, Any] = dict(kind=kind, question=question, shape=shape, resolution=resolution, catalogue=catalogue)
        if resolution.ambiguous:
            return Plan(**base)
        targets = resolution.briefs
        search_filters = _restrict(filters, targets) if targets else unnamed

        if kind == "comparison":
            resolution, unmatched = self._named_by_subject(question, resolution, catalogue, unnamed, remembered)
            resolution = _asked_outside_references(question, resolution)
            base["resolution"] = resolution
            targets = resolution.briefs
            compared = list(targets)
            if len(compared) < 2:  # the briefs the best passages on the question come from
                found: list[BriefInfo] = []
                searched = self.retriever.search(question, 15, unnamed, vector=vector)
                for hit in searched:
                    brief = catalogue.get(hit.chunk.doc_id)
                    if brief is not None and brief not in compared and brief not in found:
                        found.append(brief)
                if (targets or unmatched) and not _WITH_OTHERS.search(question):
                    # The question names fewer briefs than a comparison needs (or names one by a subject no
                    # brief is about): never fill them up silently with other briefs; the composer says so
                    # and offers as candidates those of these whose title shares a topic word with the
                    # named brief (never an unrelated one).
                    related = related_briefs(targets[0], catalogue, among=found) if targets else []
                    resolution = dataclasses.replace(resolution, candidates=tuple(related[:3]))
                    base["resolution"] = resolution
                elif (not targets and (one := _found_one(question, searched, catalogue)) is not None
                      and self._writes_names(question, one)):
                    compared = [one]  # nothing named and one brief holds the answer: compare within it
                else:
                    compared += found[:2 - len(compared)]
            if _change_within_one_brief(question, resolution, compared) or (_within_one_brief(question, compared, unmatched)
                                                                    and self._writes_names(question, compared[0])):
                return self.plan(question, "fact", k=k, filters=filters, previous=previous, follow_up=follow_up,
                                 pinned=pinned, vector=vector)
            compared = compared[:MAX_COMPARED]
            aspect = comparison_aspect(question, resolution, compared)
            if not aspect:  # "Compare the Australia report and the Typhon report": the whole briefs (one: says so)
                return Plan(**base, briefs=tuple(compared), whole_brief=True,
                            passages=tuple((b.doc_id, self.whole_brief(b.doc_id, annotated=True)) for b in compared))
            # The same aspect of each brief: what is asked of them, not the words that named them.
            named = resolution.briefs and aspect != question
            per_brief = search_per_brief(self.retriever, aspect if named else question, [b.doc_id for b in compared],
                                         k_per_brief=K_PER_BRIEF, filters=filters, vector=None if named else vector)
            return Plan(**base, briefs=tuple(compared),
                        passages=tuple((b.doc_id, tuple(per_brief.get(b.doc_id, ()))) for b in compared))

        if kind == "catalogue" and (topic := topic_asked(question)):
            # "Which reports discuss critical minerals?": any brief of the collection (as filtered) may be one,
            # whatever its title; a first pass over all of them keeps those that write the subject or that one
            # search on it finds, and each of those is searched on its own so that a brief mentioning the
            # subject once is not crowded out by one that dwells on it (a single search's best passages came
            # from two briefs in a trial over 71); the composer decides which briefs discuss it. Searching and
            # scoring every brief took 66-170 s a question over 71 briefs (docs/benchmarks.md).
            candidates, first = topic_candidates(self.retriever, topic, catalogue, filters=filters)
            per_brief = search_per_brief(self.retriever, topic, candidates, k_per_brief=TOPIC_K_PER_BRIEF,
                                         filters=filters) if candidates else {}
            return Plan(**base, passages=tuple((d, tuple(hits)) for d, hits in per_brief.items() if hits),
                        ranking=tuple(first[:k]))  # the refusal score reads as many passages as a fact's
        if kind == "catalogue":  # what the collection holds: every version
            hits = tuple(self.retriever.search(question, max(k, 20), _restrict(filters, targets), vector=vector))
            return Plan(**base, briefs=targets, passages=(("", hits),))

        if targets and kind in _WHOLE_BRIEF_KINDS:
            return Plan(**base, briefs=targets, whole_brief=True,
                        passages=tuple((b.doc_id, self.whole_brief(b.doc_id)) for b in targets))

        wanted = k if kind == "fact" else max(k, TOPIC_K)
        hits = tuple(self.retriever.search(question, wanted, search_filters, vector=vector))
        named_one = names_document(question, singular=kind != "summary")
        if kind in _WHOLE_BRIEF_KINDS and not targets and hits and (named_one or not names_document(question)):
            # "the brief on THAAD", "the Endangered Species Committee report": the brief most of the best passages
            # come from. Recommendations and timelines ask it of one brief only ("the report", not "the reports":
            # "What do the briefs recommend on X?" reads every brief's advice). The passages on what the question is
            # about, not on the kind's words: "What does the brief on THAAD recommend?" found the passages on advice.
            # A question that speaks of no document ("Walk me through the timeline of the Pentagon's fight with
            # Anthropic", "Brief me on the raw milk E. coli outbreak") means that brief too when the brief is
            # about its subject (``_subject_of``, checked here: otherwise the question is asked of the passages
            # found, as before); a trial's timeline had been refused from the passages alone. Advice asked so is
            # the brief's own only when asked for Congress (``_asks_brief_itself``).
            about = aspect_of(question)
            brief = self.brief_on(about, catalogue, search_filters, hits=hits[:5] if about == question else None)
            if brief is not None and (named_one or (_asks_brief_itself(question, kind) and self._subject_of(about, brief))):
                # "topic": the composer checks that the brief is about it; "subject": checked here
                return Plan(**{**base, "resolution": Resolution((brief,), how="topic" if named_one else "subject")},
                            briefs=(brief,), whole_brief=True,
                            passages=((brief.doc_id, self.whole_brief(brief.doc_id)),))
        read = targets or tuple(dict.fromkeys(b for b in (catalogue.get(h.chunk.doc_id) for h in hits) if b))
        if kind == "recommendations" and not targets:  # "What did Colby advise South Korea?": a fact about advice
            base["shape"] = "prose"
        return Plan(**base, briefs=read, passages=(("", hits),))

    def _subject_of(self, subject: str, brief: BriefInfo) -> bool:
        """Whether ``brief`` (the one most of the best passages on ``subject`` come from) is what a question that
        speaks of no document means by ``subject``: its title writes the subject's names (``title_writes_names``:
        "the Pentagon's fight with Anthropic", IN12669 "Pentagon-Anthropic Dispute over ...", whose best sentence
        on it scores 0.55, below the refusal threshold) or the brief is about it (``is_about``). A heuristic."""
        return title_writes_names(subject, brief) or (self.is_about is not None and self.is_about(subject, brief.doc_id))

    def _writes_names(self, question: str, brief: BriefInfo) -> bool:
        """Whether ``brief``'s stored text writes every name ``question`` asks about: its names of several words
        (``answer.coverage.absent_names``) and each capitalised word after its first ("USGS", "Artemis"; case
        aside; a heuristic). False when the brief's text is not at hand."""
        store = getattr(self.retriever, "store", None)
        text = (store.document_text(brief.doc_id) if store is not None else None) or ""
        words = re.findall(r"[A-Za-z][\w'’-]*", question)[1:]
        capitalised = {re.sub(r"['’]s$", "", w) for w in words if any(c.isupper() for c in w)}
        return bool(text) and not absent_names(question, [text]) and all(
            re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE) for w in capitalised)

    def brief_on(self, subject: str, catalogue: Catalogue, filters: Filters | None = None, *,
                 hits: Sequence[Hit] | None = None) -> BriefInfo | None:
        """The brief "the report on <subject>" means when no title names it: the one most of the five best
        passages on the subject come from (``dominant_brief``; ``hits`` when they were already searched),
        or None. Whether the brief is about the subject at all is the caller's check (``is_about``)."""
        top = dominant_brief(hits if hits is not None else self.retriever.search(subject, 5, filters))
        return catalogue.get(top) if top else None

    def _named_by_subject(self, question: str, resolution: Resolution, catalogue: Catalogue,
                          filters: Filters | None, kept: Sequence[BriefInfo] = ()) -> tuple[Resolution, int]:
        """A comparison's ``resolution`` with the briefs that its phrases naming a document by a subject
        name ("the LWCF report", "the report on the Strait of Hormuz": ``references_by_subject``), where the
        resolution by titles did not consume the phrase, or named by it briefs not about its subject (those give
        way to the ones about it, or to the brief the subject names; never one of ``kept``, the briefs the last
        turn read), and the number of such phrases that name no
        further brief (no brief is about their subject, or the one found is already compared). Each is
        resolved as a summary's "the report on X" (``brief_on``) and kept only when ``is_about`` says so."""
        if self.is_about is None:
            return resolution, 0
        found: list[BriefInfo] = []
        spans: list[tuple[int, int]] = []
        subjects: list[tuple[str, str]] = []
        unmatched = 0
        for (start, end), subject in references_by_subject(question):
            inside: list[BriefInfo] = []
            if any(a < end and start < b for a, b in resolution.named_by):
                # a title (or year, series, author) named this one: of the briefs its words name, those about the
                # subject are kept, and the others give way to them, or to the brief the subject names when none is
                # ("the CRS piece on tying federal money to states' election policies": "federal", "states",
                # "election" name "Election Administration: Federal Grant Programs for States and Localities",
                # about no such thing). The last turn's briefs (``kept``: "that report") are never given up.
                inside = [b for b in resolve_briefs(question[start:end], catalogue).briefs
                          if b in resolution.briefs and b not in kept]
                about = [b for b in inside if self.is_about(subject, b.doc_id)]
                if about and len(about) < len(inside):
                    resolution = dataclasses.replace(resolution, briefs=tuple(
                        b for b in resolution.briefs if b not in inside or b in about))
                if not inside or about:
                    continue
            brief = self.brief_on(subject, catalogue, filters)
            if brief is None or brief in resolution.briefs or brief in found or not self.is_about(subject, brief.doc_id):
                unmatched += 0 if inside else 1
                continue
            if inside:
                resolution = dataclasses.replace(resolution, briefs=tuple(b for b in resolution.briefs if b not in inside))
            found.append(brief)
            spans.append((start, end))
            subjects.append((brief.doc_id, subject))
        if not found:
            return resolution, unmatched
        return dataclasses.replace(
            resolution, briefs=(*resolution.briefs, *found), how="+".join(filter(None, (resolution.how, "subject"))),
            named_by=(*resolution.named_by, *spans), subjects=(*resolution.subjects, *subjects)), unmatched


# "Compare the Typhon report with the others / with other briefs": one named brief, the rest found by search.
_WITH_OTHERS = re.compile(r"\b(?:others?|rest|remaining)\b", re.IGNORECASE)


def _asked_outside_references(question: str, resolution: Resolution) -> Resolution:
    """A comparison's ``resolution`` named by the phrases that name its briefs, when each brief has such a
    phrase of its own (``references_by_subject``) and each phrase named one: the whole phrase names its brief
    ("the report on student pronouns": "pronouns" too, not only the title word "student"), and the title
    words it took as names outside them are what is asked of the briefs: in "Compare the bridges report and
    the LWCF report on funding", "funding", a word of the title "Highway Bridges: Conditions, Funding
    Programs, ...", is the aspect, not a third name of the bridges report."""
    references = [span for span, _ in references_by_subject(question)]
    if len(resolution.briefs) < 2 or len(references) < len(resolution.briefs):
        return resolution

    def inside(span: tuple[int, int]) -> bool:
        return any(a <= span[0] and span[1] <= b for a, b in references)

    if not all(any(inside(s) and a <= s[0] < b for s in resolution.named_by) for a, b in references):
        return resolution  # a phrase that names no brief: what names the others is not known well enough
    return dataclasses.replace(resolution, named_by=(*(s for s in resolution.named_by if inside(s)), *references))


def _asks_brief_itself(question: str, kind: str) -> bool:
    """Whether a summary, timeline or recommendations question that speaks of no document asks what a brief
    itself gives: a summary or timeline always; advice only when asked for whom the briefs are written
    (``retrieval.query.ADDRESSEES``: "What can Congress do about seabed mining?", "What options does CRS lay
    out for Congress after ...?"), not what a person or party urged ("What did Abe and Putin urge the parties
    to do?", "What did Colby argue?": a fact about advice over the passages found, in prose)."""
    return kind != "recommendations" or any(
        re.search(rf"\b{re.escape(name)}\b", question, re.IGNORECASE) for name in ADDRESSEES)


def title_writes_names(subject: str, brief: BriefInfo) -> bool:
    """Whether ``brief``'s title writes every capitalised word of ``subject`` ("Pentagon", "Anthropic"), at least
    one, case and a possessive "'s" aside, a part of a hyphenated title word counting ("Pentagon-Anthropic"), whom
    the briefs are written for ("Congress": ``retrieval.query.ADDRESSEES``) no name of a subject; a heuristic (a
    capitalised word opening the subject that is no name, "Tell", fails it)."""
    title = {part for word in re.findall(r"[\w'’-]+", (brief.title or "").lower())
             for part in (word, *word.split("-"))}
    names = [re.sub(r"['’]s$", "", word.strip("'’-.")).lower() for word in re.findall(r"[\w'’.-]+", subject)
             if any(c.isupper() for c in word) and not is_stop_word(word)]
    names = [name for name in names if name not in ADDRESSEES]
    return bool(names) and all(name in title for name in names)


def _restrict(filters: Filters | None, briefs: Sequence[BriefInfo]) -> Filters | None:
    if not briefs:
        return filters
    base = filters or Filters()
    wanted = tuple(b.doc_id for b in briefs)
    if base.doc_ids:
        wanted = tuple(d for d in wanted if d in base.doc_ids) or wanted
    return dataclasses.replace(base, doc_ids=wanted)


def dominant_brief(hits: Sequence[Hit]) -> str | None:
    """The doc id of the brief holding at least half the (non-negative) score of ``hits``, or None: the
    brief "the brief on THAAD" means when no title names it (used for summaries and catalogue questions)."""
    weight: dict[str, float] = {}
    for hit in hits:
        weight[hit.chunk.doc_id] = weight.get(hit.chunk.doc_id, 0.0) + max(hit.score, 0.0) + 1e-6
    if not weight:
        return None
    best = max(weight, key=lambda doc_id: weight[doc_id])
    return best if weight[best] >= 0.5 * sum(weight.values()) else None


_A_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _found_one(question: str, hits: Sequence[Hit], catalogue: Catalogue) -> BriefInfo | None:
    """For a comparison that names and pins no brief: the one brief its best passages come from, when it speaks of
    no document (``answer.catalogue.names_document``) and one brief holds at least half the score of its five best
    passages (``dominant_brief``); else None. A trial's "How many full-time equivalent employees did SSA have in
    FY2025 compared with FY2024?" had been compared "side by side" with a rural business brief that its 15 best
    passages also reached. The caller also wants that brief to write every name asked about (``Planner._writes_names``:
    "How do the USGS and Artemis FY2027 requests differ?" stays a comparison of two briefs)."""
    if names_document(question):
        return None
    top = dominant_brief(hits[:5])
    return catalogue.get(top) if top else None


def _within_one_brief(question: str, compared: Sequence[BriefInfo], unmatched: int) -> bool:
    """Whether a comparison question may compare things within one brief, a fact question over it: one brief is
    named, found or pinned, the question speaks of no document (``answer.catalogue.names_document``) and names no
    subject that no brief is about ("How many FTEs did SSA have in FY2025 compared with FY2024?", "How do they
    differ from field hearings?"); ``Planner.plan`` also wants the brief to write every name the question asks
    about (``Planner._writes_names``). A trial got both refused: "A comparison needs at least two briefs" / "Only
    one brief matches". A question that speaks of documents ("Compare the Typhon report with ...") or names
    something the one brief never writes ("Compare the FY2027 budget requests for USGS and for Artemis") stays a
    comparison that says what it could not compare."""
    return len(compared) == 1 and not unmatched and not names_document(question)


def _change_within_one_brief(question: str, resolution: Resolution, compared: Sequence[BriefInfo]) -> bool:
    """Whether a comparison question asks about a change within one brief, a fact question: it is a comparison
    only by asking how something changed (``answer.kinds.asks_change_only``) and either fewer than two briefs
    are compared, or it states years that name fewer than two briefs by their dates ("How did the standard
    deduction change between 2017 and 2018?" over briefs dated 2026: the briefs its passages come from are not
    what changed). "How did the view of X change between 2017 and 2024?" over briefs dated 2017 and 2024
    stays a comparison (the years name them, ``answer.catalogue.resolve_briefs``)."""
    if not asks_change_only(question):
        return False
    if len(compared) < 2:
        return True
    named_by_years = resolution.years is not None or "year" in resolution.how
    return len(resolution.briefs) < 2 and bool(_A_YEAR.search(question)) and not named_by_years


def comparison_aspect(question: str, resolution: Resolution, briefs: Sequence[BriefInfo]) -> str:
    """A comparison's aspect (``aspect_of``) without the compared briefs' series names, which name a
    document, not a topic ("the God Squad Legal Sidebar on options for Congress" -> "options Congress")."""
    aspect = aspect_of(question, resolution)
    if not resolution.briefs:
        return aspect
    for series in sorted({b.series for b in briefs if b.series}, key=len, reverse=True):
        aspect = re.sub(rf"(?<![\w-]){re.escape(series)}s?(?![\w-])", " ", aspect, flags=re.IGNORECASE)
    return " ".join(aspect.split())


# What a comparison asks of the briefs it named, as written after their last word for documents:
# "Compare the A and B reports on how many taxpayers claimed them" -> "how many taxpayers claimed them".
_ASKED_AFTER = re.compile(r"\b(?:brief|briefs|report|reports|insight|insights|sidebar|sidebars)\s+"
                          r"(?:on|about|regarding|concerning|in terms of|with respect to)\s+(?P<asked>[^?!.;]+?)\s*[?!.;]*\s*$",
                          re.IGNORECASE)


def aspect_as_written(question: str, resolution: Resolution) -> str:
    """A comparison's aspect in the question's own words, for a heading ("on how many taxpayers claimed
    them", not the bag of words ``comparison_aspect`` searches with), or "" when the question does not end
    with one or it opens with words that named a brief (``Resolution.named_by``: "the report on raw milk"
    is a name; "on how many missiles the Army bought" asks, whatever brief "Army" names)."""
    match = _ASKED_AFTER.search(question)
    if not match or not resolution.briefs:
        return ""
    asked = match.group("asked")
    start = match.start("asked") + len(asked) - len(re.sub(r"^the\s+", "", asked, flags=re.IGNORECASE))
    if any(a <= start < b for a, b in resolution.named_by):
        return ""
    return match.group("asked")


def brief_question(question: str, resolution: Resolution, brief: BriefInfo, aspect: str) -> str:
    """A comparison's aspect asked of one brief alone, as a one-brief question would hold it: the
    question's words that named this brief (``Resolution.named_by`` spans sharing a word with its
    title; its series left out) and the aspect ("Strait Hormuz effects describe businesses")."""
    def words(text: str) -> list[str]:
        return [w for w in re.findall(r"[\w'’-]+", text) if not is_stop_word(w)]
    title = {w.lower() for w in words(brief.title or "")}
    series = {w.lower() for w in words(brief.series or "")} - title
    kept: list[str] = []
    for start, end in sorted(resolution.named_by):
        span = words(question[start:end])
        if {w.lower() for w in span} & title:
            kept += [w for w in span if w.lower() not in series and w.lower() not in {k.lower() for k in kept}]
    return " ".join([*kept, aspect]).strip()


_DOC_WORDS = re.compile(r"\b(?:this|that|the|both|two|each)\s+(?:brief|briefs|report|reports)\b", re.IGNORECASE)
# Words that say what kind of answer is wanted, not what it is about.
_CUE = re.compile(
    r"\b(?:give|me|a|an|the|summari[sz]e|summary|overview|gist|main|key|points?|takeaways?|findings?|themes?|"
    r"timeline|chronology|order|events?|recommend\w*|advi[sc]e\w*|propos\w*|suggest\w*|argu\w*|position|list|"
    r"compare|comparison|contrast|differ\w*|what|which|does|do|did|is|are|author|of|in|report|brief|say|says|about|"
    # how analysts ask for a gist or for events in order ("What's the bottom line of ...", "Brief me on ...",
    # "Walk me through ...", "Lay out how ..., step by step": ``answer.kinds``)
    r"bottom[- ]line|rundown|big picture|highlights|(?:brief|fill|catch) me(?: in| up)?(?= on\b| about\b)|"
    r"walk (?:me|us) through|lay(?:s|ing)? out|laid out|step[- ]by[- ]step|blow[- ]by[- ]blow|"
    # how a comparison asks for a view ("Compare how the two briefs see China", "How did the view of Japan
    # change between 2017 and 2024?"): it asks how, not about seeing or changing
    r"see|sees|saw|views?|viewed|treats?|treated|portray\w*|characteri[sz]\w*|perspectives?|stance|"
    r"changed|evolved|shifted)\b",
    re.IGNORECASE)


# "How did the view of Japan change (between 2017 and 2024)?": it asks how, of Japan; "change" is no topic.
_HOW_CHANGED = re.compile(r"^(\s*how\b.*?)\s+change(?=\s+(?:between|since|from|over)\b|\s*\?\s*$)", re.IGNORECASE)


def aspect_of(question: str, resolution: Resolution | None = None) -> str:
    """What the question is about, without its words for documents ("both briefs", "this report") or
    for the kind of answer ("summarize", "timeline of", "what does ... recommend"); the question
    itself when little else is left.

    With the ``resolution`` of a question that named briefs, the words that named them (title words,
    series, dates, authors: ``Resolution.named_by``) and stop words are dropped too, and what is left
    is the aspect however short: "Compare what the Australia report and the Iran Insight say about
    China" -> "China"; "" when the question asks for the whole brief ("Timeline of the Iran ceasefire").
    """
    if resolution is not None and resolution.briefs:
        stripped = _CUE.sub(" ", _DOC_WORDS.sub(" ", _HOW_CHANGED.sub(r"\g<1>", resolution.unnamed(question))))
        words = [w for w in re.findall(r"[\w'’$%.-]+", stripped) if w.strip(".-") and not is_stop_word(w.strip(".-"))]
        return " ".join(w.strip(".") if w.endswith(".") and not re.search(r"\w\.\w", w) else w for w in words)
    topic = topic_of(question)
    return topic if len(topic.split()) >= 2 else question


def topic_of(question: str) -> str:
    """The question's words without its words for documents and for the kind of answer (``aspect_of``'s
    cleaning, without its fallback): "What does the Riverton brief recommend?" -> "Riverton"; "" when
    nothing is left ("Summarize it")."""
    stripped = _CUE.sub(" ", _DOC_WORDS.sub(" ", _HOW_CHANGED.sub(r"\g<1>", question)))
    return " ".join(w for w in re.findall(r"[\w'’$%.-]+", stripped) if w.strip(".-"))
