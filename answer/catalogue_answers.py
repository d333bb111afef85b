"""Catalogue questions answered from the briefs' metadata, each fact cited where the brief prints it.

"Who wrote the report on X?", "When was it published?", "What series is it in?", "What is the
title of ...?", "Which briefs discuss Y?", "Which briefs were published in April 2026?", "List the briefs". The metadata is ``DocumentMeta`` as
ingest found it or the user set it; the citation is the place in the brief's text where the
name, date or title is printed (found by search), so a reviewer can check it. Metadata the
brief does not print is still given, marked as from the catalogue, with no citation.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Callable, Sequence

from answer.catalogue import BriefInfo, asked_author, authors_named, briefs_by, subject_of_reference, topic_asked
from answer.coverage import absent_names
from answer.compose import Builder, DocumentText, candidates_for, finish, helpful_refusal
from answer.extractive import Candidate
from answer.outline import Heading, boilerplate, in_note_paragraph
from answer.plans import Plan, dominant_brief
from answer.types import Answer
from answer.vectors import Encoder
from retrieval.keyword import tokenize
from text.abbreviations import rewrite
from vectorstore.types import Hit

_AUTHOR = re.compile(r"\bwho\s+(?:wrote|authored|is the author|are the authors|published)\b|\bauthors?\b", re.IGNORECASE)
_DATE = re.compile(r"\bwhen\b|\bdate[ds]?\b|\bpublished\b|\bwhat year\b", re.IGNORECASE)
_SERIES = re.compile(r"\bseries\b|\bwhat (?:type|kind) of\b", re.IGNORECASE)
_TITLE = re.compile(r"\btitle\b|\bcalled\b", re.IGNORECASE)
_WHICH = re.compile(r"^\s*which\s+(?:brief|briefs|report|reports|article|articles|paper|papers|documents?)\b", re.IGNORECASE)

# "Which briefs were published in April 2026?", "List the reports released since 2025", "Which briefs were
# published on April 20, 2026?": a period (or day) of publication.
_PUBLISHED_IN = re.compile(
    r"\b(?:published|released|issued|written|dated|came out)\s+(?P<rel>in|on|during|before|after|since|from)\s+"
    r"(?:(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)\s+"
    r"(?:(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+)?)?"
    r"(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)


# "the latest brief", "published most recently", "Which brief is the oldest?": the newest or oldest brief of
# the collection, by the catalogue's dates. A word right before a word for a document or "one", or one that
# ends the question ("... came out first?", "... in the collection?").
_DOC_WORD = r"(?:brief|briefs|report|reports|article|articles|paper|papers|piece|insight|sidebar|document|documents|one)"
_NEWEST = r"newest|latest|most\s+recent(?:ly)?|(?:most\s+)?recently|last"
_OLDEST = r"oldest|earliest|least\s+recent(?:ly)?|first"
_END_ASKED = re.compile(
    rf"\b(?:(?P<new1>{_NEWEST})|(?P<old1>{_OLDEST}))\s+{_DOC_WORD}\b"
    rf"|\b(?:(?P<new2>{_NEWEST})|(?P<old2>{_OLDEST}))\s*(?:{_DOC_WORD})?\s*"
    r"(?:(?:in|of|among)\s+(?:the|this|your)\s+\w+)?\s*[?.!]*\s*$", re.IGNORECASE)


def asked_end(question: str) -> str:
    """"newest" or "oldest" when a catalogue question asks for the newest or oldest brief ("Which of the
    briefs was published most recently?", "When was the latest brief published?", "Which brief is the
    oldest?"), else ""."""
    match = _END_ASKED.search(question)
    if match is None:
        return ""
    return "newest" if match.group("new1") or match.group("new2") else "oldest"


def published_period(question: str) -> tuple[str, str] | None:
    """The publication period a catalogue question asks about, as ISO dates ``(first, last)`` inclusive
    ("in April 2026" -> ("2026-04-01", "2026-04-30"); "on April 20, 2026" -> ("2026-04-20", "2026-04-20");
    "since 2025" -> ("2025-01-01", "9999-12-31"); "before 2026" -> ("0000-01-01", "2025-12-31")), or None
    (also for a day that no calendar has, "April 31")."""
    match = _PUBLISHED_IN.search(question)
    if match is None:
        return None
    year = int(match.group("year"))
    month = dt.datetime.strptime(match.group("month"), "%B").month if match.group("month") else 0
    if match.group("day"):
        try:
            first = last = dt.date(year, month, int(match.group("day")))
        except ValueError:
            return None
    else:
        first = dt.date(year, month or 1, 1)
        last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)) if month else dt.date(year, 12, 31)
    relation = match.group("rel").lower()
    if relation in ("after",):
        return (last + dt.timedelta(days=1)).isoformat(), "9999-12-31"
    if relation in ("since", "from"):
        return first.isoformat(), "9999-12-31"
    if relation == "before":
        return "0000-01-01", (first - dt.timedelta(days=1)).isoformat()
    return first.isoformat(), last.isoformat()


def _asks_date(question: str) -> bool:
    """Whether the question asks for the date, once its author phrase is set aside ("who
    published it" asks for a name, "and when was it published" for a date)."""
    return bool(_DATE.search(_AUTHOR.sub(" ", question)))


WholeBrief = Callable[[str], Sequence[Hit]]


def _date_forms(date: str) -> list[str]:
    """How a brief may print its ISO date: "May 8, 2017", "8 May 2017", "2017-05-08", "May 2017"."""
    forms = [date]
    try:
        day = dt.date.fromisoformat(date[:10])
    except ValueError:
        return forms
    month = day.strftime("%B")
    return [f"{month} {day.day}, {day.year}", f"{day.day} {month} {day.year}", date[:10], f"{month} {day.year}"]


def _printed(text: str, needles: Sequence[str]) -> tuple[int, int] | None:
    for needle in needles:
        if not needle:
            continue
        at = text.find(needle)
        if at >= 0:
            return at, at + len(needle)
    return None


def _cite_printed(builder: Builder, brief: BriefInfo, needles: Sequence[str], document_text: DocumentText,
                  whole_brief: WholeBrief) -> list[int]:
    """A citation of where the brief prints one of ``needles`` (``[]`` when it prints none)."""
    text = document_text(brief.doc_id) or ""
    span = _printed(text, needles)
    hits = list(whole_brief(brief.doc_id))
    if span is None or not hits:
        return []
    start, end = span
    holder = min(hits, key=lambda h: 0 if h.chunk.start <= start < h.chunk.end else min(
        abs(h.chunk.start - start), abs(h.chunk.end - start)))
    return [builder.cite_span(holder, start, end, text[start:end])]


def catalogue_answer(plan: Plan, question: str, encoder: Encoder, *, document_text: DocumentText,
                     whole_brief: WholeBrief, evidence_score: float, refusal_threshold: float) -> Answer:
    """The answer to a catalogue question (see the module docstring)."""
    builder = Builder()
    if (period := published_period(question)) is not None:
        return _published_in(plan, question, period, document_text, whole_brief)
    if end := asked_end(question):
        return _at_end(plan, question, end, document_text, whole_brief)
    if author := asked_author(question):
        return _by_author(plan, question, author, document_text, whole_brief)
    if _WHICH.search(question) or topic_asked(question):
        return _which_briefs(plan, question, encoder, document_text, evidence_score=evidence_score,
                             refusal_threshold=refusal_threshold)
    targets = list(plan.briefs)
    about = ""  # the subject a brief was found by, when no title named it
    if not targets and (_AUTHOR.search(question) or _DATE.search(question) or _SERIES.search(question)
                        or _TITLE.search(question)):
        units = candidates_for(question, plan.hits, encoder)
        if units and evidence_score >= refusal_threshold and not absent_names(
                subject_of_reference(question) or question, [document_text(units[0].hit.chunk.doc_id) or ""]):
            brief = plan.catalogue.get(units[0].hit.chunk.doc_id)
            targets = [brief] if brief else []
        if not targets and (brief := _brief_about(plan, question, encoder, document_text,
                                                  refusal_threshold=refusal_threshold)):
            targets, about = [brief], subject_of_reference(question)
        if not targets:
            return helpful_refusal(plan, question, units, evidence_score=evidence_score,
                                   reason="No brief in the collection matches that description.")
    if not targets:  # "List the briefs", "How many reports are there?"
        builder.line(f"The collection holds {len(plan.catalogue)} brief{'s' if len(plan.catalogue) != 1 else ''}:")
        for brief in plan.catalogue.briefs:
            builder.line(f"- {brief.label}" + (f", {brief.series}" if brief.series else "")
                         + (f", by {', '.join(brief.authors)}" if brief.authors else ""))
        return finish(plan, question, builder, evidence_score=1.0,
                      briefs=tuple(b.ref for b in plan.catalogue.briefs))
    if about:
        builder.line(f"No title names “{about}”; the brief whose passages are most about it is "
                     f"“{targets[0].title or targets[0].source}”.")
    for brief in targets:
        name = f"“{brief.title or brief.source}”"
        title_marker = _cite_printed(builder, brief, [brief.title], document_text, whole_brief)
        if _AUTHOR.search(question):
            if brief.authors:
                markers = []
                for author in brief.authors:
                    surname = author.split()[-1] if author.split() else author
                    markers += _cite_printed(builder, brief, [author, surname], document_text, whole_brief)
                builder.line(f"- {name} is by {', '.join(brief.authors)}"
                             + ("" if markers else " (from the catalogue; the brief does not print it)") + ".",
                             title_marker + markers)
            else:
                builder.line(f"- The catalogue records no author for {name}, and none was found in its text.",
                             title_marker)
        if _asks_date(question):  # also with the author: "Who wrote it and when was it published?"
            if brief.dated:
                markers = _cite_printed(builder, brief, _date_forms(brief.date), document_text, whole_brief)
                builder.line(f"- {name} is dated {brief.date}"
                             + ("" if markers else " (from the catalogue; the brief does not print it)") + ".",
                             title_marker + markers)
            else:
                note = f"; the latest year it mentions is {brief.year_in_text}" if brief.year_in_text else ""
                builder.line(f"- The catalogue records no date for {name}{note}.", title_marker)
        if _SERIES.search(question):
            if brief.series:
                markers = _cite_printed(builder, brief, [brief.series], document_text, whole_brief)
                builder.line(f"- {name} is in the series {brief.series}.", title_marker + markers)
            else:
                builder.line(f"- The catalogue records no series for {name}.", title_marker)
        if _TITLE.search(question) and not (_AUTHOR.search(question) or _DATE.search(question) or _SERIES.search(question)):
            builder.line(f"- The title is {name}.", title_marker)
        if not any((_AUTHOR.search(question), _DATE.search(question), _SERIES.search(question), _TITLE.search(question))):
            builder.line(f"- {brief.label}" + (f", {brief.series}" if brief.series else "")
                         + (f", by {', '.join(brief.authors)}" if brief.authors else "") + ".", title_marker)
    return finish(plan, question, builder, evidence_score=1.0,
                  briefs=tuple(b.ref for b in targets))


def _brief_about(plan: Plan, question: str, encoder: Encoder, document_text: DocumentText, *,
                 refusal_threshold: float) -> BriefInfo | None:
    """The brief a catalogue question names by its subject when no title words name it ("Who wrote the
    report on raw milk?" of "... Response to a Raw Dairy Toxic E. coli Outbreak"), or None.

    The subject (``subject_of_reference``) is read against the passages retrieved for the question:
    the brief is the one that holds at least half the score of the five best passages
    (``answer.plans.dominant_brief``, the rule "the brief on THAAD" follows for a summary), and its best
    sentence on the subject alone must clear the refusal threshold, as an answer's evidence must, and
    the brief must write every proper name of the subject (``answer.coverage.absent_names``: "the report
    on the National Park Service" is not the Fish and Wildlife Service's budget brief, however close its
    passages). A heuristic: a subject that two briefs share equally names neither, and the answer says
    which brief was read and why."""
    subject = subject_of_reference(question)
    if not subject:
        return None
    doc_id = dominant_brief(plan.hits[:5])
    if doc_id is None:
        return None
    units = [u for u in candidates_for(subject, plan.hits, encoder) if u.hit.chunk.doc_id == doc_id]
    if not is_about(subject, units, document_text(doc_id) or "", refusal_threshold=refusal_threshold):
        return None
    return plan.catalogue.get(doc_id)


def is_about(subject: str, units: Sequence[Candidate], text: str, *, refusal_threshold: float) -> bool:
    """Whether a brief is about ``subject`` enough to be the one a question names by it: its best
    sentence on the subject (``units``, its candidates for the subject, most relevant first) clears the
    refusal threshold, as an answer's evidence must, and its ``text`` writes every proper name of the
    subject (``answer.coverage.absent_names``). The test for a brief found by its subject, not its title,
    by a catalogue question (``_brief_about``) and by a summary, recommendations or timeline question
    (``answer.assistant``: "What does the brief recommend for climate change adaptation in Africa?" over
    two briefs on Northeast Asia names neither)."""
    return bool(units) and units[0].relevance >= refusal_threshold and not absent_names(subject, [text])


def body_sentence(unit: Candidate) -> bool:
    """Whether ``unit`` is a sentence of the brief's body, fit to show that the brief discusses something:
    not a table row, not debris (``answer.outline.boilerplate``: a note moved out of its page, a pointer to
    other reading, a line with a URL or a running header, a list fragment, a line that does not end as a
    sentence does), not under a heading of the parts outside the argument (notes, references, author
    information: ``answer.outline.Heading.apart``, read from ``Hit.heading_at``) and not in a table's or
    figure's note paragraph ("Notes: ...", "Source: ..."; ``answer.outline.in_note_paragraph``).
    A heuristic: the rules the summary's sentences follow (``answer.compose_kinds.summary_units``)."""
    return not (unit.reading or boilerplate(unit.text) or Heading(0, 0, unit.hit.heading_at(unit.start)).apart
                or in_note_paragraph(unit))


def writes(subject: str, text: str, abbreviations: tuple[tuple[str, str], ...] = ()) -> bool:
    """Whether ``text`` writes every word of ``subject`` (stop words aside, as the keyword index drops them), each
    as written or in its singular or plural ("tariff" for "tariffs", ``_word_form``), or of ``subject`` with an
    abbreviation its brief defines (``abbreviations``, ``Hit.abbreviations``) in the other form ("the IRA" for
    "the Inflation Reduction Act", ``text.abbreviations.rewrite``). Not the keyword index's stems: "elections"
    and "elect" share one ("Which reports are about elections?" listed briefs on S corporations that elect, in
    a trial)."""
    words = {_word_form(w) for w in _WORDS.findall(text)}
    forms = {subject, rewrite(subject, abbreviations)} if abbreviations else {subject}
    return any((terms := _content_forms(form)) and terms <= words for form in forms)


_WORDS = re.compile(r"[A-Za-z0-9]+")


def _word_form(word: str) -> str:
    """A word lower-cased and in the singular (a heuristic: "policies" -> "policy", "taxes" -> "tax",
    "tariffs" -> "tariff"; "business" stays)."""
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ses", "xes", "zes", "ches", "shes")) and not word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _content_forms(subject: str) -> set[str]:
    """The word forms (``_word_form``) of ``subject``'s words that the keyword index keeps (stop words aside)."""
    return {_word_form(w) for w in _WORDS.findall(subject) if tokenize([w])[0]}


def _read_for_subject(hits: Sequence[Hit], subject: str) -> list[Hit]:
    """The passages of one brief (``hits``, best first) worth scoring for ``subject``: those that write it,
    else the best one (a brief that never writes the subject can still be about it). Scoring every passage
    of 71 briefs' searches meant embedding about 3,000 sentences for one question."""
    return [h for h in hits if writes(subject, h.chunk.text, h.abbreviations)] or list(hits[:1])


def _which_briefs(plan: Plan, question: str, encoder: Encoder, document_text: DocumentText, *,
                  evidence_score: float, refusal_threshold: float) -> Answer:
    """"Which briefs discuss Y?": every brief that discusses Y, each with its best body sentence on Y cited.

    The plan searched each candidate brief on Y on its own (``answer.plans.Planner.plan``; the candidates
    from a first pass over the whole collection, ``answer.plans.topic_candidates``). Only body sentences
    count (``body_sentence``). A brief discusses Y when a body sentence writes Y (``writes``: every word of
    it) or when it is about Y as a brief a question names by its subject must be (``is_about``: its best
    body sentence on Y clears the refusal threshold); either way it must write every proper name of Y
    (``answer.coverage.absent_names``). The sentence shown is its most relevant body sentence that writes
    Y, else its most relevant one. A heuristic (a passing mention counts, as in a search of the briefs'
    text); its precision and recall on development questions are in ``docs/benchmarks.md`` ("Which
    briefs discuss Y"). Briefs are listed best sentence first."""
    subject = topic_asked(question) or re.sub(
        r"^\s*which\s+\w+\s+(?:discuss(?:es)?|cover|mention|deal with|address|talk about|are about|is about)\s*",
        "", question, flags=re.IGNORECASE) or question
    # Each brief is scored on its own: a sentence two briefs share (IN12422 and IN12423 open alike) counts for
    # both, and a brief's relevance does not depend on which other briefs the collection holds.
    vector = encoder.encode([subject])[0]
    units: list[Candidate] = []
    writing: dict[str, Candidate] = {}
    best: dict[str, Candidate] = {}
    for _, hits in plan.passages:
        own = candidates_for(subject, _read_for_subject(hits, subject), encoder, question_vector=vector)
        units.extend(own)
        for unit in own:
            doc_id = unit.hit.chunk.doc_id
            if body_sentence(unit):
                best.setdefault(doc_id, unit)
                if doc_id not in writing and writes(subject, unit.text, unit.hit.abbreviations):
                    writing[doc_id] = unit
    units.sort(key=lambda u: -u.relevance)
    found = []
    for doc_id, unit in best.items():
        if doc_id not in writing and unit.relevance < refusal_threshold:
            continue  # neither rule can list it: its text is not read
        text = document_text(doc_id) or ""
        if doc_id in writing and not absent_names(subject, [text]):
            found.append(writing[doc_id])
        elif is_about(subject, [unit], text, refusal_threshold=refusal_threshold):
            found.append(unit)
    found.sort(key=lambda u: -u.relevance)
    if not found:
        return helpful_refusal(plan, question, units, evidence_score=evidence_score)
    builder = Builder()
    refs = []
    searched = len(plan.catalogue) or len({h.chunk.doc_id for h in plan.hits})
    builder.line(f"{len(found)} of the {searched} briefs searched discuss{'es' * (len(found) == 1)} “{subject}”, "
                 "each shown by its sentence most about it:")
    for unit in found:
        brief = plan.catalogue.get(unit.hit.chunk.doc_id)
        label = brief.label if brief else unit.hit.chunk.source
        builder.sentence(unit, bullet=True, prefix=f"{label}: ")
        if brief:
            refs.append(brief.ref)
    return finish(plan, question, builder, evidence_score=max(u.relevance for u in found),
                  briefs=tuple(refs))


def _by_author(plan: Plan, question: str, author: str, document_text: DocumentText,
               whole_brief: WholeBrief) -> Answer:
    """"Which reports did <author> write?": the briefs of the collection (as the filters allow) that list
    the author, from the catalogue's metadata, each cited where it prints its title and the author's
    name (as "Who wrote the report on X?" is). A name that fits several authors ("Karen") is said to be
    ambiguous, with their names; a name that fits none is said to be absent, with the nearest names
    (``answer.catalogue.authors_named``)."""
    matched, nearest = authors_named(author, plan.catalogue)
    builder = Builder()
    if len(matched) != 1:
        if matched:
            builder.line(f"“{author}” names {len(matched)} authors in the collection; which one is meant?")
            for name in matched:
                count = len(briefs_by(name, plan.catalogue))
                builder.line(f"- {name} ({count} brief{'s' * (count != 1)})")
        else:
            nearby = "; the nearest names are " + ", ".join(nearest) if nearest else ""
            builder.line(f"No brief in the collection lists an author named “{author}”{nearby}.")
        return finish(plan, question, builder, evidence_score=1.0, briefs=())
    name = matched[0]
    found = briefs_by(name, plan.catalogue)
    builder.line(f"{name} is an author of {len(found)} brief{'s' * (len(found) != 1)} in the collection:")
    surname = name.split()[-1]
    for brief in found:
        title_marker = _cite_printed(builder, brief, [brief.title], document_text, whole_brief)
        markers = _cite_printed(builder, brief, [name, surname], document_text, whole_brief)
        others = [a for a in brief.authors if a != name]
        builder.line(f"- {brief.label}" + (f", {brief.series}" if brief.series else "")
                     + (f", with {', '.join(others)}" if others else "")
                     + ("" if markers else " (author from the catalogue; the brief does not print it)"),
                     title_marker + markers)
    return finish(plan, question, builder, evidence_score=1.0,
                  briefs=tuple(b.ref for b in found))


def _published_in(plan: Plan, question: str, period: tuple[str, str], document_text: DocumentText,
                  whole_brief: WholeBrief) -> Answer:
    """"Which briefs were published in April 2026?": the dated briefs of the collection (as the filters
    allow) whose date falls in ``period``, oldest first, each date cited where the brief prints it;
    undated briefs are said to be left out. The collection, not the briefs the question's words name:
    "since March 2026" names the title "Circuit Splits from March 2026"."""
    first, last = period
    pool = list(plan.catalogue.briefs)
    found = sorted((b for b in pool if b.dated and first <= b.date[:10] <= last), key=lambda b: b.date)
    undated = [b for b in pool if not b.dated]
    builder = Builder()
    if not found:
        dated = len(pool) - len(undated)
        builder.line(f"No brief in the collection is dated in that period ({dated} dated brief{'s' * (dated != 1)}).")
    for brief in found:
        markers = _cite_printed(builder, brief, _date_forms(brief.date), document_text, whole_brief)
        builder.line(f"- {brief.label}" + (f", {brief.series}" if brief.series else "")
                     + ("" if markers else " (date from the catalogue; the brief does not print it)"), markers)
    if undated:
        names = "; ".join(f"“{b.title or b.source}”" for b in undated)
        builder.line(f"Not dated, so left out: {names}.")
    return finish(plan, question, builder, evidence_score=1.0,
                  briefs=tuple(b.ref for b in found))


def _at_end(plan: Plan, question: str, end: str, document_text: DocumentText, whole_brief: WholeBrief) -> Answer:
    """"Which brief is the newest?" (``end`` "newest" or "oldest"): the dated briefs of the collection (as the
    filters allow), or of the briefs the question names ("Which of the Insights is the newest?", "Which of them
    is the most recent?" after a list of an author's reports: ``plan.briefs``), with the latest or earliest
    date, each with its date cited where the brief prints it (and its authors or series when asked). Several briefs sharing that date are all given and the tie is
    said; undated briefs are said to be left out. Dates compare as the catalogue records them (ISO text):
    a brief dated by month or year only ("2026-04") is ranked before the days of that month."""
    pool = list(plan.briefs or plan.catalogue.briefs)
    among = f"of the {len(pool)} brief{'s' * (len(pool) != 1)} asked about" if plan.briefs else "in the collection"
    dated = [b for b in pool if b.dated]
    undated = [b for b in pool if not b.dated]
    builder = Builder()
    found: list[BriefInfo] = []
    if not dated:
        builder.line(f"No brief {among} records a date, so none can be called the "
                     f"{'most recent' if end == 'newest' else 'oldest'}.")
    else:
        date = (max if end == "newest" else min)(b.date for b in dated)
        found = [b for b in dated if b.date == date]
        what = "most recent" if end == "newest" else "oldest"
        if len(found) == 1:
            builder.line(f"The {what} brief {among} ({len(dated)} dated) is:")
        else:
            builder.line(f"{len(found)} briefs share the {what} date {among} ({len(dated)} dated), {date}:")
        for brief in found:
            title_marker = _cite_printed(builder, brief, [brief.title], document_text, whole_brief)
            markers = _cite_printed(builder, brief, _date_forms(brief.date), document_text, whole_brief)
            extra = (f", by {', '.join(brief.authors)}" if brief.authors and _AUTHOR.search(question) else "") + (
                f", {brief.series}" if brief.series and _SERIES.search(question) else "")
            builder.line(f"- “{brief.title or brief.source}” ({brief.source}), dated {brief.date}{extra}"
                         + ("" if markers else " (date from the catalogue; the brief does not print it)") + ".",
                         title_marker + markers)
    if undated:
        names = "; ".join(f"“{b.title or b.source}”" for b in undated)
        builder.line(f"Not dated, so not ranked: {names}.")
    return finish(plan, question, builder, evidence_score=1.0,
                  briefs=tuple(b.ref for b in found))
