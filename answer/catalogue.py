"""The catalogue of stored briefs, and which of them a question names.

A question names briefs by a quoted title ("Summarize “Uncertainty Among U.S. Allies”"), by
words of a title together with a word for a document ("the brief on soft targets"), by year or
date ("the 2017 brief", "between 2017 and 2024"), by series ("the Expert Brief"), by author
("what does Tupuola write"), by number ("both briefs", "the two briefs", "each report"), or by
reference to the conversation ("this brief", "it", "the report"). ``resolve_briefs`` reads
these cues with rules (a heuristic: no model); several briefs equally named when one was meant
come back as ``candidates`` for the user to choose from.

Everything here reads ``BriefInfo`` records built from the store's manifest (``DocumentMeta``
as ingest found it or the user overrode it), never the passages' text.

**Versions of one report.** Briefs with the same title, authors and series are versions of one report
(``version_key``, a heuristic: the metadata stores no report number; CRS updates a report under its
title, and two different reports with one title and the same authors are not known in the corpus).
They count as one report whose newest version is read (``Catalogue.versions_of``; newest by date, then by
the number in the file name, "R48905.2" after "R48905.1"), unless the question asks for another by its
date ("the April 20 version", "the report dated 2026-04-20", ``dates_named``), as "the older / earlier
version", or for the versions ("compare the two versions"). A date that names a brief narrows what the
other cues name to the briefs of that date (or names them where nothing else does); it never widens to
every brief of its year. A reply to a "which brief?" prompt that picks among the offered briefs (a date,
"the newest", "the second", a pasted label) is read by ``chosen_from``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

from answer.types import BriefRef

from bm25s.stopwords import STOPWORDS_EN_PLUS

_STOP = set(STOPWORDS_EN_PLUS) | {"u", "s", "us", "brief", "report", "briefs", "reports"}
# Words that ask for a kind of answer ("Give me an overview of ..."); alone they never name a title
# that happens to hold them ("Trump Accounts: Overview and Policy Considerations").
_REQUEST_WORDS = {"overview", "summary", "summari", "summarize", "summarise", "takeaway", "takeaways", "point",
                  "points", "main", "key", "gist", "finding", "findings", "recommendation", "recommendations",
                  "timeline", "chronology", "background", "consideration", "considerations",
                  # how analysts ask for a gist or for events in order (``answer.kinds``: "What's the bottom line
                  # of ...", "the rundown", "the highlights", "step by step"): a trial's "Lay out how the charge got
                  # pushed back, step by step" read "The Length of Major Steps in the Supreme Court ..." whole
                  "bottom", "rundown", "highlight", "highlights", "step", "steps"}
# A designator: letters, then digits, with or without a hyphen ("M-1E3", "XM-30", "F-35", "COVID-19"): one word, so
# that "the M-1E3 report" names the M-1E3 brief (split into "m", "1", "e", "3" it named none). A fiscal year ("FY2027")
# is a date, not a name: it stays "fy", "2027" (as one word it named every "FY2027 Budget Request" title).
_DESIGNATOR = re.compile(r"(?![Ff][Yy]-?\d)[A-Za-z]+(?:-?[A-Za-z]*\d[A-Za-z\d]*)+")
_WORD = re.compile(rf"{_DESIGNATOR.pattern}|[A-Za-z][A-Za-z'’-]*|\d+")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_DOC_NOUN = (r"(?:brief|briefs|report|reports|article|articles|paper|papers|piece|pieces|insight|insights|sidebar|"
             r"sidebars|document|documents)")
_ALL_BRIEFS = re.compile(
    rf"\b(?:both|each|all|the two|the three|(?:these|those)(?:\s+(?:two|three|four|[234]))?|either|all the|all of the"
    rf"|every)\s+(?:of the\s+)?{_DOC_NOUN}\b"
    r"|\bboth\b(?!\s+(?:sides|countries|nations|parties|allies|leaders|governments))",
    re.IGNORECASE)
# Where the briefs are, said after a word for them: "the reports in the collection", "briefs in your library",
# "the reports you have".
IN_COLLECTION = (r"(?:(?:in|of|from|among)\s+(?:the|this|your|our|my)\s+(?:collection|library|store|index|corpus|database)"
                 r"|(?:that\s+)?you\s+(?:have|hold|store))")
_THIS_BRIEF = re.compile(
    rf"\b(?:this|that|the same|the)\s+{_DOC_NOUN}\b(?!\s+(?:on|about|from|by|titled|called|named|of|in|written|published))",
    re.IGNORECASE)
_IT = re.compile(r"\b(?:it|its)\b", re.IGNORECASE)
# "it" as a document: the subject of what a document does ("does it recommend", "was it published").
_IT_DOCUMENT = re.compile(
    r"\b(?:does|did|do|is|was|has)\s+it\s+(?:recommend|say|argue|propose|suggest|conclude|cover|discuss|describe|mention|"
    r"find|claim|call|advise|urge|published|written|released|issued|dated|about)|\bits\s+(?:author|authors|title|date|"
    r"series|main|key|conclusion|recommendations?|arguments?)\b", re.IGNORECASE)
# "the author" of the brief the conversation is about ("What does the author recommend?" after a summary).
_THE_AUTHOR = re.compile(r"\b(?:the|this|that)\s+(?:author|authors|writer|writers)\b(?!\s+of\b)", re.IGNORECASE)
# The brief the conversation is about, compared with one the question names ("How does this compare
# with the 2017 brief?", "Compare it with the Typhon report", "How does that report's approach differ from ...?").
# The reference may name the document and a part of it: "How does that report's approach differ from ...?".
_THIS_ONE = rf"(?:(?:this|that)(?:\s+{_DOC_NOUN})?(?:['’]s(?:\s+[a-z]+){{1,2}})?|it|its(?:\s+[a-z]+){{1,2}})"
_THIS_COMPARED = re.compile(rf"\b(?:does|do|did|would)\s+{_THIS_ONE}\s+(?:compare|differ|contrast|relate)\b"
                            rf"|\bcompare\s+{_THIS_ONE}\b|\b{_THIS_ONE}\s+(?:compares|differs|contrasts)\b",
                            re.IGNORECASE)
# One of the briefs the last turn read, by its place among them ("the second one", "the first report", "the latter").
_ORDINAL_ONE = re.compile(rf"\bthe\s+(?P<n>first|second|third|fourth|1st|2nd|3rd|4th|former|latter)"
                          rf"(?:\s+(?:one|{_DOC_NOUN}))?\b", re.IGNORECASE)
# The set of briefs the last turn read, as a whole ("who wrote them?", "when were they published?").
_THEY = re.compile(r"\b(?:they|them|their|theirs|both|these|those|each)\b", re.IGNORECASE)
# "they" as documents, not people: what a document is asked about ("who wrote them", "were they
# published", "their authors"); after a turn that read one brief, that brief.
_THEY_DOCUMENTS = re.compile(
    r"\b(?:who\s+(?:wrote|authored|published)\s+(?:them|these|those|both)"
    r"|(?:were|are)\s+(?:they|these|those|both)\s+(?:published|written|released|issued|dated|updated)"
    r"|(?:do|did)\s+(?:they|these|those|both)\s+(?:recommend|argue|propose|conclude|cover)"
    r"|their\s+(?:authors?|titles?|dates?|series|publication dates?))\b", re.IGNORECASE)
_BETWEEN_YEARS = re.compile(r"\bbetween\s+(19\d\d|20\d\d)\s+and\s+(19\d\d|20\d\d)\b", re.IGNORECASE)
# A brief named by its year: "the 2017 brief", "the 2017 and 2024 briefs", "the report from 2024" (also
# read by ``answer.condense``).
YEAR_BRIEF = re.compile(
    rf"\b(?:(?P<y1>(?:19\d\d|20\d\d)(?:\s*(?:,|and|or|&)\s*(?:the\s+)?(?:19\d\d|20\d\d))*)\s+{_DOC_NOUN}"
    rf"|{_DOC_NOUN}\s+(?:from|of|dated|published in|written in|in)\s+(?:\w+\s+)?(?P<y2>19\d\d|20\d\d))\b",
    re.IGNORECASE)
# A quoted title: “...”, "...", or ‘...’ / '...' not inside a word, so that the apostrophe of "“The Army’s M-1E3
# Abrams Tank Modernization Program”" does not close it (a trial's follow-up had quoted "The Army" and read five briefs).
_QUOTED = re.compile(r"(?:“|”)(?P<a>[^“”\"]{6,}?)(?:”|“)|\"(?P<b>[^\"“”]{6,}?)\"|(?<!\w)[‘'](?P<c>[^‘\"“”]{6,}?)[’'](?!\w)")


@dataclass(frozen=True)
class BriefInfo:
    """What the catalogue knows of one stored brief (from its manifest entry)."""

    doc_id: str  # content hash
    source: str  # file name as stored
    title: str = ""
    date: str = ""  # YYYY-MM-DD, partial (YYYY, YYYY-MM) or ""
    series: str = ""
    authors: tuple[str, ...] = ()
    year_in_text: int | None = None  # latest year the brief mentions; a stand-in when ``date`` is empty
    # Short forms the brief defines for words of its own title ("FWS" for the "U.S. Fish and Wildlife
    # Service: FY2027 Budget Request"): a question may name the brief by them (``title_short_forms``).
    short_forms: tuple[str, ...] = ()
    # Where several stored briefs are versions of one report (``version_key``): which one, 1 = the oldest
    # of ``versions``; 0 and 0 where it is the only one (set by ``Catalogue``).
    version: int = 0
    versions: int = 0

    @property
    def version_note(self) -> str:
        """", the newest of 2 versions" (or "the oldest of 3", "version 2 of 3") for one of several stored
        versions of one report, else ""."""
        if self.versions < 2:
            return ""
        if self.version in (1, self.versions):
            return f", the {'newest' if self.version == self.versions else 'oldest'} of {self.versions} versions"
        return f", version {self.version} of {self.versions}"

    @property
    def ref(self) -> BriefRef:
        """The brief as an answer names it (``Answer.briefs_read``, ``Answer.candidates``)."""
        return BriefRef(self.doc_id, self.title, self.date, self.source, note=self.version_note)

    @property
    def year(self) -> int | None:
        """The publication year, else the latest year the text mentions (``dated`` says which)."""
        if self.date[:4].isdigit():
            return int(self.date[:4])
        return self.year_in_text

    @property
    def dated(self) -> bool:
        return self.date[:4].isdigit()

    @property
    def label(self) -> str:
        """"<title> (<date>)" as the answer's "Reading:" line shows it, with which version it is where
        several are stored ("ENERGY STAR Program (2026-04-23), the newest of 2 versions")."""
        title = self.title or self.source
        if self.dated:
            return f"{title} ({self.date}){self.version_note}"
        if self.year_in_text:
            return f"{title} (undated; mentions events up to {self.year_in_text}){self.version_note}"
        return f"{title} (undated){self.version_note}"


@dataclass(frozen=True)
class Resolution:
    """Which briefs a question names: ``briefs`` when resolved, ``candidates`` when ambiguous."""

    briefs: tuple[BriefInfo, ...] = ()
    candidates: tuple[BriefInfo, ...] = ()
    how: str = ""  # the cue that resolved them: "quoted title", "title words", "year", "all", ...
    years: tuple[int, int] | None = None  # "between 2017 and 2024"
    named_by: tuple[tuple[int, int], ...] = ()  # (start, end) of the question's words that named the briefs
    # (doc_id, subject) of the briefs named by what they are about, not by a title ("the LWCF report")
    subjects: tuple[tuple[str, str], ...] = ()

    @property
    def ambiguous(self) -> bool:
        return not self.briefs and len(self.candidates) > 1

    def unnamed(self, question: str) -> str:
        """``question`` without the words that named the briefs (``named_by``): what it asks of them.
        "Compare what the Australia report and the Iran Insight say about China" -> "Compare what the
        and the say about China" when the title words, series and document words named them."""
        kept, at = [], 0
        for start, end in sorted(self.named_by):
            if start >= at:
                kept.append(question[at:start])
                at = end
            else:
                at = max(at, end)
        kept.append(question[at:])
        return " ".join(" ".join(kept).split())


def latest_year(text: str, *, until: int = 2100) -> int | None:
    """The latest plausible year (1950..``until``) written in ``text``, or None."""
    years = [int(y) for y in _YEAR.findall(text) if int(y) <= until]
    return max(years) if years else None


def version_key(brief: BriefInfo) -> tuple[str, tuple[str, ...], str] | None:
    """What versions of one report share: the title, the authors and the series, each as matched (case,
    punctuation and possessives aside); None for a brief without a title. A heuristic (see the module
    docstring): same title and authors, any dates (two stored files of one report may print one date)."""
    title = " ".join(_words(brief.title))
    if not title:
        return None
    return title, tuple(sorted(" ".join(_words(a)) for a in brief.authors)), " ".join(_words(brief.series))


def _version_order(brief: BriefInfo) -> tuple[str, list[str | int]]:
    """Oldest first: by date, then by the numbers in the file name ("R48905.2.pdf" after "R48905.1.pdf",
    "v10" after "v9")."""
    return brief.date, [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", brief.source)]


@dataclass
class Catalogue:
    """The stored briefs, in a stable order (by date, then title).

    Briefs that are versions of one report (``version_key``) get their ``version`` and ``versions``
    numbered over the briefs given; a restricted catalogue keeps those numbers (a filter to one version
    still says which it is) and ``versions_of`` names the versions present in it.
    """

    briefs: list[BriefInfo] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.briefs.sort(key=lambda b: (b.year or 0, b.date, b.title, b.source))
        groups: dict[tuple[str, tuple[str, ...], str], list[BriefInfo]] = {}
        for brief in self.briefs:
            if (key := version_key(brief)) is not None:
                groups.setdefault(key, []).append(brief)
        numbered: dict[str, BriefInfo] = {}
        for members in groups.values():
            members.sort(key=_version_order)
            for number, brief in enumerate(members, 1):
                if len(members) > 1 and not brief.versions:
                    numbered[brief.doc_id] = replace(brief, version=number, versions=len(members))
        if numbered:
            self.briefs = [numbered.get(b.doc_id, b) for b in self.briefs]
        self._by_id = {b.doc_id: b for b in self.briefs}
        self._versions = {b.doc_id: tuple(self._by_id[m.doc_id] for m in members)
                          for members in groups.values() if len(members) > 1 for b in members}

    def __len__(self) -> int:
        return len(self.briefs)

    def get(self, doc_id: str) -> BriefInfo | None:
        return self._by_id.get(doc_id)

    def restricted(self, doc_ids: Iterable[str]) -> "Catalogue":
        wanted = set(doc_ids)
        return Catalogue([b for b in self.briefs if b.doc_id in wanted])

    def versions_of(self, brief: BriefInfo) -> tuple[BriefInfo, ...]:
        """The versions of ``brief``'s report in this catalogue, oldest first (``(brief,)`` when it is the only one)."""
        return self._versions.get(brief.doc_id, (brief,))

    def superseded(self) -> set[str]:
        """The doc ids of the briefs that have a newer version in this catalogue (read only when asked for)."""
        return {d for d, members in self._versions.items() if members[-1].doc_id != d}


def _words(text: str) -> list[str]:
    """``text``'s words, lower case, possessive "'s" dropped; a designator (``_DESIGNATOR``) gives itself without
    hyphens ("m1e3", so "M1E3" names it too) and then its runs of letters and of digits ("covid", "19": "the COVID
    report" names a "COVID-19" title as before)."""
    out = []
    for token in _WORD.findall(text):
        if _DESIGNATOR.fullmatch(token):
            out.append(token.lower().replace("-", ""))
            out.extend(part.lower() for part in re.findall(r"[A-Za-z]+|\d+", token))
            continue
        word = token.lower().replace("’", "'").strip("'-")
        out.append(word[:-2] if word.endswith("'s") else word)
    return out


def _content(text: str) -> set[str]:
    return {w for w in _words(text) if w not in _STOP and len(w) > 1}


def is_stop_word(word: str) -> bool:
    """Whether ``word`` says nothing of a topic (a stop word or a word for a document), as titles are matched."""
    words = _words(word)
    return not words or all(w in _STOP or len(w) <= 1 for w in words)


def title_short_forms(title: str, definitions: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """The short forms of ``definitions`` ((short, long) pairs a brief defines, ``text.abbreviations``)
    whose long form's content words are all words of ``title``: names of the brief as good as its
    title words ("FWS" for "U.S. Fish and Wildlife Service: FY2027 Budget Request")."""
    words = {_stem(w) for w in _content(title)}
    return tuple(short for short, long in definitions
                 if (long_words := {_stem(w) for w in _content(long)}) and long_words <= words)


def _title_terms(brief: BriefInfo) -> set[str]:
    """The stemmed content words of a brief's title and the short forms it defines for them."""
    return {_stem(w) for w in _content(brief.title)} | {_stem(w) for s in brief.short_forms for w in _content(s)}


def _stem(word: str) -> str:
    """A title word's stem (a heuristic): its plural ending dropped ("policies" -> "policy", "taxes" -> "tax",
    "elections" -> "election"; "business", "congress" keep their "ss"), then a nationality's ending ("Iranian" ->
    "Iran", "Korean" -> "Kore"), so that singular and plural share one stem ("Elections Policies" in a title is
    named by "election policies": with the plural dropped alone, "elections" -> "election" but "election" ->
    "electio")."""
    if re.search(r"(?:ies|[^s]s|(?:ss|x|ch|sh|z)es)$", word) and len(word) >= 6:
        word = word[:-3] + "y" if word.endswith("ies") else word[:-2] if re.search(r"(?:ss|x|ch|sh|z)es$", word) \
            else word[:-1]
    elif word.endswith("s") and not word.endswith("ss") and len(word) >= 5:
        word = word[:-1]
    for suffix in ("ian", "ean", "an", "n"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _title_match(question: str, catalogue: Catalogue, *, loose: bool = False
                 ) -> list[tuple[float, float, BriefInfo, frozenset[str]]]:
    """Briefs whose title words the question uses: (score, share of the title used, brief, words), best first.

    Each title word weighs 1 / (number of titles that have it), so words many titles share name
    little; the score is the weight of the title words the question uses, the share that weight
    over the whole title's. A brief counts only when the question uses at least two of its
    title words (or the one word of a one-word title). Equal scores are an ambiguous reference.
    """
    asked = {_stem(w) for w in _content(question)}
    titles = {b.doc_id: _title_terms(b) for b in catalogue.briefs}
    counts: dict[str, int] = {}
    for words in titles.values():
        for w in words:
            counts[w] = counts.get(w, 0) + 1
    scored = []
    for brief in catalogue.briefs:
        words = titles[brief.doc_id]
        matched = words & asked
        short = {_stem(w) for f in brief.short_forms for w in _content(f)}  # "FWS" is short, yet a name
        unique = {w for w in matched if counts[w] == 1 and (len(w) > 3 or w in short) and w not in _REQUEST_WORDS}
        if len(matched) >= 2 or (matched and len(words) == 1) or (unique and (loose or _referred_to(question, brief))):
            score = sum(1 / counts[w] for w in matched)
            scored.append((round(score, 6), score / sum(1 / counts[w] for w in words), brief, frozenset(matched)))
    return sorted(scored, key=lambda s: -s[0])


def _names_it_next_to_noun(question: str, brief: BriefInfo) -> bool:
    """Whether a word of the brief's title stands right before a word for a document ("the Typhon report"),
    words many policy titles hold (``_GENERIC_TITLE_WORDS``) skipped: in "the trade programs report" the
    word that names a brief is "trade"; "programs" names none (it would name every "... Programs" title)."""
    terms = _title_terms(brief)
    for match in re.finditer(rf"((?:[A-Za-z][\w'’-]*\s+){{0,2}}[A-Za-z][\w'’-]*)(?:['’]s)?\s+{_DOC_NOUN}\b", question):
        before = [_stem(words[0]) for token in _WORD.findall(match.group(1)) if (words := _words(token))]  # a designator whole
        while before and before[-1] in _GENERIC_TITLE_STEMS:
            before.pop()
        if before and before[-1] in terms:
            return True
    return False


def _referred_to(question: str, brief: BriefInfo) -> bool:
    """Whether the question writes a word of the brief's title as a reference to a document: right
    before a word for one ("the China report") or right after one and "on"/"about"/"of" ("the report
    on China's plan", "the brief about soft targets"). A word many policy titles hold ("programs",
    "Congress": ``_GENERIC_TITLE_WORDS``) refers to no brief of its own."""
    if _names_it_next_to_noun(question, brief):
        return True
    title = _title_terms(brief) - _GENERIC_TITLE_STEMS
    for pattern in (_AFTER_NOUN, _COORDINATED):
        for match in pattern.finditer(question):
            if pattern is _AFTER_NOUN and _qualified(question, match.start()):
                continue
            word = _words(match.group("word"))
            if word and _stem(word[0]) in title:
                return True
    return False


# "the report on China's plan", "the brief about soft targets": the word after a document noun.
_AFTER_NOUN = re.compile(rf"\b{_DOC_NOUN}\s+(?:on|about|of|regarding|concerning)\s+(?:the\s+)?(?P<word>[A-Za-z][\w'’-]*)",
                         re.IGNORECASE)
# What may stand before a document noun without naming a brief itself ("the report on X", "this CRS brief on X").
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "which", "what", "any", "each", "every", "crs",
                "one", "other", "another", "same", "new", "latest", "recent", "whose"}


def _qualified(question: str, noun_at: int) -> bool:
    """Whether the document noun at ``noun_at`` is already qualified by a word of its own ("the corporate
    tax rate report on effects on U.S. manufacturing"): then the words after "on" are what the question
    asks of that brief, not a second reference ("the report on China's plan" has only "the" before it)."""
    before = _words(question[:noun_at])
    return bool(before) and before[-1] not in _DETERMINERS
# "the Typhon and Australia reports", "the Typhon, Australia and soft targets briefs": a word
# coordinated with the words before a plural document noun.
_COORDINATED = re.compile(
    rf"\b(?P<word>[A-Za-z][\w'’-]*)(?=(?:['’]s)?(?:\s*,\s*[\w'’-]+(?:\s+[\w'’-]+)?)*\s*,?\s+(?:and|or|&)\s+"
    rf"(?:[\w'’-]+\s+){{1,3}}?{_DOC_NOUN}\b)", re.IGNORECASE)


def _without_subject_matches(question: str, named: list[BriefInfo],
                             titled: Sequence[tuple[float, float, BriefInfo, frozenset[str]]],
                             *, others: Sequence[BriefInfo]) -> list[BriefInfo]:
    """``named`` without the briefs that one title word of theirs matched only as the question's
    subject, when another brief is named as a document: in "How does the Australia report describe
    relations with China?" "China" is what is asked about, not the China Five-Year Plan brief (a
    single word names a brief of a summary or timeline only where nothing else names one, or where
    the question writes it as a reference, ``_referred_to``)."""
    matched = {b.doc_id: words for _, _, b, words in titled}

    def weak(brief: BriefInfo) -> bool:
        return (len(matched.get(brief.doc_id, ())) == 1 and len(_content(brief.title)) > 1
                and not _referred_to(question, brief))

    strong = [b for b in named if not weak(b)]
    if not strong and not others:
        return named
    return strong


def _only_references(question: str, spans: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """``spans`` without a title word written again outside the reference that names its brief:
    in "Compare how the Typhon report and the China Five-Year Plan report treat China" the first
    "China" names a brief (it is joined to "Five-Year Plan report"), the second is the aspect.

    A span is a reference when it holds a word for a document or is written right next to such a
    span (repeated until none is added); a word of a reference that the question writes again
    elsewhere is not a name there. Spans of words never written in a reference are kept: "the
    Australia and Typhon reports" names Australia without a word for a document next to it."""
    def stem(span: tuple[int, int]) -> str:
        word = _words(question[span[0]:span[1]])
        return _stem(word[0]) if word else ""

    anchored = {s for s in spans if re.search(rf"\b{_DOC_NOUN}$", question[s[0]:s[1]], re.IGNORECASE)}
    added = True
    while added:
        added = False
        for s in spans:
            if s not in anchored and any(
                    (s[1] <= a[0] and question[s[1]:a[0]].strip(" ’'s") == "")
                    or (a[1] <= s[0] and question[a[1]:s[0]].strip() == "") for a in anchored):
                anchored.add(s)
                added = True
    names = {stem(s) for s in anchored} - {""}
    return tuple(s for s in spans if s in anchored or stem(s) not in names)


def _word_spans(question: str, stems: Iterable[str]) -> list[tuple[int, int]]:
    """Where the question writes a word whose stem (as ``_title_match`` compares) is in ``stems``,
    with a word for a document right after it ("the Australia report"). A word many policy titles
    hold ("Congress", "policy") counts only right before such a word: "what Congress could do" asks
    about Congress, "the Congress report" names a brief."""
    wanted = set(stems)
    spans = []
    for match in _WORD.finditer(question):
        word = _words(match.group())
        if not word or _stem(word[0]) not in wanted:
            continue
        end = match.end()
        if noun := re.match(rf"(?:['’]s)?\s+{_DOC_NOUN}\b", question[end:], re.IGNORECASE):
            end += noun.end()
        elif word[0] in _GENERIC_TITLE_WORDS:
            continue
        spans.append((match.start(), end))
    return spans


def _next_to(question: str, spans: list[tuple[int, int]], briefs: Iterable[BriefInfo]) -> list[tuple[int, int]]:
    """``spans`` and the words of the briefs' titles written right next to them ("the Iran Insight"
    named by its series: "Iran" goes with it), repeated until none is added, and a lower-case word
    between an article and a span ("the federal judiciary": "federal" names no aspect)."""
    stems = {_stem(w) for b in briefs for w in _content(b.title) if w not in _GENERIC_TITLE_WORDS}
    words = [m for m in _WORD.finditer(question) if _words(m.group()) and _stem(_words(m.group())[0]) in stems]
    found = list(spans)
    added = True
    while added:
        added = False
        for m in words:
            if m.span() in found:
                continue
            if any(question[m.end():start].strip(" ’'s") == "" and start >= m.end()
                   or question[end:m.start()].strip() == "" and m.start() >= end for start, end in found):
                found.append(m.span())
                added = True
    for start, _ in list(found):  # "the federal judiciary": a modifier between "the" and a name is part of it
        if (modifier := _MODIFIER.search(question, 0, start)) and not is_stop_word(modifier.group(1)):
            found.append(modifier.span(1))
    return found


# A lower-case word between an article and a name ("the federal judiciary", "the new FWS report").
_MODIFIER = re.compile(r"\b(?:[Tt]he|[Aa]n?)\s+([a-z][a-z-]+)\s+$")


def _quoted_title(question: str, catalogue: Catalogue) -> list[BriefInfo]:
    found = []
    for quoted in (m.group("a") or m.group("b") or m.group("c") for m in _QUOTED.finditer(question)):
        words = _content(quoted)
        if not words:
            continue
        for brief in catalogue.briefs:
            title = _content(brief.title)
            if title and len(words & title) / len(words) >= 0.8 and brief not in found:
                found.append(brief)
    return found


def _by_author(question: str, catalogue: Catalogue) -> list[BriefInfo]:
    """Briefs an author of which the question names by surname. A surname that a capitalised word of no author's
    name follows is part of another name ("Goldman Sachs's results" names no author Goldman: a trial's refusal
    listed that author's Strait of Hormuz brief under "Reading:"); an acronym may follow ("the Ramseur CRS report")."""
    asked = set(_words(question))
    found = []
    for brief in catalogue.briefs:
        for author in brief.authors:
            surname = _words(author)[-1:] if _words(author) else []
            if surname and surname[0] in asked and len(surname[0]) > 2 and _as_surname(question, surname[0], author):
                found.append(brief)
                break
    return found


def _as_surname(question: str, surname: str, author: str) -> bool:
    """Whether ``surname`` stands in ``question`` as a name of its own somewhere: not followed by a capitalised
    word (other than an acronym) that is no word of ``author``'s name."""
    own = set(_words(author))
    for match in re.finditer(rf"\b{re.escape(surname)}(?:['’]s)?\b", question, re.IGNORECASE):
        following = re.match(r"\s+([A-Z][\w'’.-]*)", question[match.end():])
        if following is None or following.group(1).isupper() or set(_words(following.group(1))) <= own:
            return True
    return False


def _by_series(question: str, catalogue: Catalogue) -> list[BriefInfo]:
    """Briefs whose series the question names. A series called by a word for any document (CRS
    "Report", "Insight") counts only where it is written as a name: capitalised inside the sentence
    or after "CRS" ("the CRS Reports on ..."), never "the report on Trump Accounts", nor one document of it named
    by its subject ("that Insight on whether Supreme Court nominees get a committee hearing": one Insight, not all
    ten of the collection, which a trial's refusal listed under "Reading:")."""
    lowered = question.casefold()
    found = []
    for brief in catalogue.briefs:
        series = brief.series
        if not series or len(series) <= 4 or series.casefold() not in lowered:
            continue
        if re.fullmatch(_DOC_NOUN, series, re.IGNORECASE) and not any(
                match.start() > 0 and (question[:match.start()].rstrip().endswith("CRS")
                                       or not re.search(r"(?:^|[.?!:]\s*)$", question[:match.start()].rstrip()))
                and not (match.group().casefold() == series.casefold() and _ONE_OF_SERIES.match(question[match.end():]))
                for match in re.finditer(rf"\b{re.escape(series)}s?\b", question)):
            continue
        found.append(brief)
    return found


# After a series' word in the singular: one document of it named by what it is about ("that Insight on ...").
_ONE_OF_SERIES = re.compile(r"\s+(?:on|about|regarding|concerning)\b", re.IGNORECASE)


# Words of many policy titles that say nothing of a topic ("Iran: Issues for Congress" and
# "Trump Accounts: Policy Considerations" are not related). A hand-written list, not tuned on a set.
_GENERIC_TITLE_WORDS = {"issue", "issues", "congress", "congressional", "policy", "policies", "option", "options",
                        "federal", "update", "updated", "primer", "question", "questions", "frequently", "asked",
                        "selected", "legislation", "legislative", "legal", "implication", "implications", "current",
                        "recent", "development", "developments", "united", "states", "government", "program",
                        "programs", "introduction", "analysis", "insight", "insights", "sidebar", "focus", "crs",
                        "brief", "briefs", "report", "reports", "new", "year", "fiscal", "act", "law"}
_GENERIC_TITLE_STEMS = frozenset(_stem(w) for w in _GENERIC_TITLE_WORDS)
_REQUEST_STEMS = frozenset(_stem(w) for w in _REQUEST_WORDS)


def related_briefs(brief: BriefInfo, catalogue: Catalogue, *, among: Sequence[BriefInfo] | None = None
                   ) -> list[BriefInfo]:
    """Briefs whose title shares a topic word with ``brief``'s title, in the order of ``among`` (e.g.
    the briefs of the best passages on a question; the whole catalogue when None), ``brief`` left out.

    A heuristic for "what could this be compared with": words of a request ("overview"), stop
    words and words many policy titles hold ("Issues for Congress") do not count; a brief whose
    title shares no other word with it is not related, whatever passages it has.
    """
    own = title_topic(brief.title)
    pool = catalogue.briefs if among is None else among
    return [b for b in dict.fromkeys(pool) if b.doc_id != brief.doc_id and own & title_topic(b.title)]


def title_topic(title: str) -> set[str]:
    """The stemmed topic words of a brief's title: its content words less words of a request ("overview"),
    words many policy titles hold ("Issues for Congress") and words of two letters or fewer."""
    return {_stem(w) for w in _content(title) if w not in _REQUEST_WORDS and w not in _GENERIC_TITLE_WORDS
            and len(w) > 2}


# "the charge", "this fee": a common noun after a definite determiner (a capitalised name is a subject of its own)
_DEFINITE_NOUN = re.compile(r"\b(?:the|this|that)\s+(?P<noun>[a-z][a-z-]+)\b(?!\s+(?:of|on|about)\b)")


def names_their_subject(question: str, titles: Iterable[str]) -> bool:
    """Whether ``question`` refers to what the briefs of ``titles`` are about by a definite description: "the",
    "this" or "that" before a lower-case noun that is a topic word of one of those titles (``title_topic``), with no
    capitalised name of its own. "Lay out how the charge got pushed back, step by step." after a turn on "Inflation
    Reduction Act Methane Emissions Charge: ..." asks about that charge; searched alone, its "step" found the
    Supreme Court appointment report. A heuristic (no parser): "the" + title word is read as the anaphor."""
    if re.search(r"(?<!^)(?<![.?!]\s)\b[A-Z][A-Za-z]", question.strip()):
        return False
    topics = set().union(*(title_topic(t) for t in titles))
    return any(_stem(m.group("noun")) in topics for m in _DEFINITE_NOUN.finditer(question))


# A choice among briefs named before: "Which of them is the most recent?", "Which one is the oldest?", "Which of
# these was published first?" (the pick asked of a set the last turn gave).
_AMONG_THEM = re.compile(r"^\s*(?:which|what)\s+(?:one|ones|of\s+(?:them|these|those))\b", re.IGNORECASE)


def among_them(question: str) -> bool:
    """Whether ``question`` asks to pick among briefs the conversation gave ("Which of them is the most recent?",
    "Which one is the oldest?"): after a turn that read several briefs, it is asked of those (``resolve_briefs``).
    A heuristic on the question's opening words."""
    return bool(_AMONG_THEM.match(question))


def refers_back(question: str, *, follow_up: bool = True) -> str:
    """How ``question`` refers to the briefs of the last turn: "one" ("it", "this brief", "its
    author"), "all" ("they", "them", "both", "these reports") or "" (it does not refer back)."""
    if _THEY.search(question):
        return "all"
    if _THIS_BRIEF.search(question) or _IT_DOCUMENT.search(question) or _THE_AUTHOR.search(question) \
            or _THIS_COMPARED.search(question) or (follow_up and _IT.search(question)) or _ordinal_one(question):
        return "one"
    return ""


def _ordinal_one(question: str) -> int:
    """The place among the last turn's briefs that ``question`` picks one by ("the second one" -> 2, "the first
    report" -> 1, "the former" -> 1, "the latter" -> -1: the last), or 0. "the first" / "the second" alone count only
    as "the former" / "the latter" do, before no noun ("the second amendment" is no brief)."""
    match = _ORDINAL_ONE.search(question)
    if not match:
        return 0
    word = match.group("n").lower()
    if word not in ("former", "latter") and match.group().split()[-1].lower() == word:
        return 0  # "the second" before a noun of its own ("the second quarter") or before nothing
    return {"former": 1, "latter": -1}.get(word) or _ORDINALS.get(word, 0)


_NUMBER_WORDS = {"both": 2, "two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4}
_COUNTED = re.compile(rf"\b(?P<n>both|two|three|four|[234])\b\s+(?P<ref>(?:[\w'’.&-]+\s+){{0,6}}?{_DOC_NOUN})\b",
                      re.IGNORECASE)


def asked_briefs(question: str) -> tuple[int, str]:
    """How many briefs a question asks for by number and the words it names them by:
    "Compare the two Iran ceasefire Insights" -> (2, "Iran ceasefire Insights"); (0, "") without a number."""
    match = _COUNTED.search(question)
    if not match:
        return 0, ""
    words = match.group("ref").split()
    return _NUMBER_WORDS[match.group("n").lower()], " ".join(w for w in words if w.lower() not in ("of", "the"))


def counted_back(question: str) -> int:
    """How many briefs ``question`` refers back to by number, with a demonstrative or "both" and no words of
    their own: "Who wrote these two briefs?", "When were both reports published?" -> 2; 0 when it asks for no
    number of briefs, or names them by words of their own ("the two Iran ceasefire Insights"). The caller
    finds them among the briefs the conversation read (``answer.assistant.Assistant``), since the last turn
    may have read fewer. A heuristic: "two" must stand before the word for documents."""
    count, words = asked_briefs(question)
    if not count or not re.fullmatch(_DOC_NOUN, words, re.IGNORECASE):
        return 0
    return count if refers_back(question) == "all" else 0


def _counted_candidates(reference: str, catalogue: Catalogue, count: int) -> tuple[BriefInfo, ...]:
    """The briefs "the two reports on funding elections" may mean: those whose title shares a topic word of the
    reference (words many policy titles hold, ``_GENERIC_TITLE_WORDS``, and request words aside), most shared
    weight first (a word counts 1 / the number of titles holding it, as ``_title_matches`` weighs it); every
    brief, in catalogue order, when fewer than ``count`` do. A trial over 71 briefs got all 71 listed."""
    asked = {_stem(w) for w in _content(reference)} - _GENERIC_TITLE_STEMS - _REQUEST_WORDS
    titles = {b.doc_id: _title_terms(b) for b in catalogue.briefs}
    counts = Counter(w for words in titles.values() for w in words)
    scored = [(sum(1 / counts[w] for w in titles[b.doc_id] & asked), i, b) for i, b in enumerate(catalogue.briefs)]
    sharing = [b for score, _, b in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0]
    return tuple(sharing) if len(sharing) >= count else tuple(catalogue.briefs)


def singular(reference: str) -> str:
    """"Iran ceasefire Insights" -> "Iran ceasefire Insight" (the last word's plural "s" dropped)."""
    head, _, last = reference.rpartition(" ")
    if re.fullmatch(_DOC_NOUN, last, re.IGNORECASE) and last.lower().endswith("s"):
        last = last[:-1]
    return f"{head} {last}".strip()


# "the report on raw milk", "the brief about transgender students": what the question says a brief is
# about, up to a clause that asks something else of it ("... published?", ", and when ...").
_ABOUT = re.compile(rf"\b{_DOC_NOUN}\s+(?:on|about|regarding|concerning|dealing with|that discusses|discussing)\s+"
                    r"(?P<subject>[^?!,;]+?)(?:\s+(?:was|were|is|are|published|written|released|issued|dated|"
                    r"came out|say|says|said)\b.*)?\s*(?:[?!.,;]|$)", re.IGNORECASE)


def subject_of_reference(question: str) -> str:
    """What ``question`` says a brief it names is about ("Who wrote the report on raw milk?" -> "raw milk";
    "When was the report on the Claude AI model published?" -> "the Claude AI model"), or ""."""
    match = _ABOUT.search(question)
    return match.group("subject").strip() if match else ""


_ONE_DOC_NOUN = r"(?:brief|report|article|paper|piece|insight|sidebar|document)"

# One document named by what it is about, in a question that may name several ("Compare the bridges report
# and the LWCF report on funding", "... the report on AUKUS and the report on the Strait of Hormuz on ..."):
# the words before the word for a document, or after its "on"/"about" up to the next reference, a second
# "on"/"about" (what is asked of them) or the end of the clause; a word saying whose or which one may stand before the
# word for a document ("the CRS piece on tying federal money to states' election policies").
_SUBJECT_BEFORE = re.compile(rf"\b[Tt]he\s+(?P<subject>(?:(?!(?:the|a|an|and|or|of|on|this|that)\b)[\w'’&.-]+\s+){{1,5}}?)"
                             rf"{_ONE_DOC_NOUN}\b", re.IGNORECASE)
_SUBJECT_AFTER = re.compile(
    rf"\b[Tt]he\s+(?:(?:CRS|other|new|latest|second|first)\s+)?{_ONE_DOC_NOUN}\s+(?:on|about|regarding|concerning|dealing with)\s+(?P<subject>.+?)"
    r"(?=\s+and\s+(?:the|a|an|its|their|how|what|why|whether)\b|\s+(?:with|versus|vs\.?|against|on|about|regarding|"
    r"concerning|in terms of|with respect to)\s|\s*[?!.,;:]|\s*$)", re.IGNORECASE)
# Two documents named by their subjects in one plural phrase: "the reports on the Seafood Import Monitoring
# Program and on seabed mining" (each subject after its own "on"/"about", up to what is asked of them).
_SUBJECTS_PAIR = re.compile(
    r"\b[Tt]he\s+(?:briefs|reports|articles|papers|pieces|insights|sidebars|documents)\s+(?P<on>on|about)\s+"
    r"(?P<first>.+?)\s+and\s+(?:on|about)\s+(?P<second>.+?)"
    r"(?=\s+(?:on|about|regarding|concerning|in terms of|with respect to)\s|\s*[?!.,;:]|\s*$)", re.IGNORECASE)
# Words before a word for a document that tell which of several, not what it is about ("the other report").
_WHICH_ONE = {"other", "first", "second", "third", "last", "latest", "earlier", "later", "older", "newer", "new",
              "same", "former", "latter", "previous", "next", "one", "crs"}


def references_by_subject(question: str) -> list[tuple[tuple[int, int], str]]:
    """Each phrase of ``question`` that names one document by a subject, as ((start, end), subject), in
    question order: "the LWCF report" -> "LWCF", "the report on the Strait of Hormuz" -> "the Strait of
    Hormuz", "the reports on SIMP and on seabed mining" -> "SIMP" and "seabed mining". A heuristic on the
    phrase's shape: whether a title or a subject names the brief is for the caller to decide (``resolve_briefs`` first, then ``answer.plans.Planner``); a phrase whose words
    are only stop words, numbers or say which one ("the other report") has no subject."""
    def has_subject(subject: str) -> bool:  # not only stop words, numbers or words saying which one
        return any(w not in _WHICH_ONE and not w.isdigit() and not is_stop_word(w) for w in _words(subject))

    found: list[tuple[tuple[int, int], str]] = []
    for pair in _SUBJECTS_PAIR.finditer(question):  # "the reports on X and on Y": one phrase for each subject
        for part in ("first", "second"):
            subject = pair.group(part).strip()
            if has_subject(subject):
                start = pair.start() if part == "first" else question.index(" and ", pair.end("first")) + len(" and ")
                found.append(((start, pair.end(part)), subject))
    for pattern in (_SUBJECT_BEFORE, _SUBJECT_AFTER):
        for match in pattern.finditer(question):
            subject = match.group("subject").strip()
            if has_subject(subject) and not any(a < match.end() and match.start() < b for (a, b), _ in found):
                found.append((match.span(), subject))
    return sorted(found)


def names_document(question: str, *, singular: bool = False) -> bool:
    """Whether the question speaks of a document ("brief", "report", "article" ...); with ``singular``,
    of one document ("the report", not "the reports")."""
    return bool(re.search(rf"\b{_ONE_DOC_NOUN if singular else _DOC_NOUN}\b", question, re.IGNORECASE))


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_MONTH = (rf"(?P<month>May|(?i:{'|'.join(m for m in _MONTH_NAMES if m != 'May')}"
          r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?))")
# A day: "2026-04-23", "April 23, 2026", "april 23", "23 April 2026" ("May" capitalised only: "may" is a verb).
_DAY = re.compile(
    r"\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b"
    rf"|\b{_MONTH}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
    rf"|\b(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+{_MONTH.replace('?P<month>', '?P<month2>')}(?:,?\s+(?P<year2>(?:19|20)\d\d)\b)?")
_VERSION_NOUN = r"(?:version|versions|edition|editions|update|revision)"
# A day written as a reference to a brief: "dated 2026-04-23", "the April 20 version", "the report from
# April 23, 2026", "the version of April 20" (not "What happened on April 20, 2025?").
_DAY_BEFORE = re.compile(rf"[\s,]*(?:{_DOC_NOUN}|{_VERSION_NOUN}|one)\b", re.IGNORECASE)
_DAY_AFTER = re.compile(rf"(?:\bdated|\b(?:{_DOC_NOUN}|{_VERSION_NOUN})\s+(?:of|from|updated|released|issued)"
                        r"|\bupdated|\bversion\s+(?:of|from))\s*(?:on\s+)?$", re.IGNORECASE)


def dates_named(question: str, *, any_day: bool = False) -> list[tuple[tuple[int, int], str]]:
    """The days ``question`` names a brief by, as ((start, end), date): an ISO date, or "--MM-DD" for a
    day without a year ("the April 20 version"). Only a day written as a reference to a brief counts
    ("dated ...", "the ... version", "the report from ...", a label as answers print it: "<title>
    (2026-04-23)"); with ``any_day`` (a reply choosing among the briefs offered), every day written. Days
    no calendar has ("April 31") are left out."""
    found = []
    for match in _DAY.finditer(question):
        label = question[match.start() - 1:match.start()] == "(" and question[match.end():match.end() + 1] == ")"
        if not any_day and not (label or _DAY_BEFORE.match(question, match.end())
                                or _DAY_AFTER.search(question, 0, match.start())):
            continue
        if match.group("iso"):
            text = match.group("iso")
            year, month, day = int(text[:4]), int(text[5:7]), int(text[8:])
        else:
            name = (match.group("month") or match.group("month2")).rstrip(".")
            month = next(i for i, m in enumerate(_MONTH_NAMES, 1) if m.startswith(name[:3].capitalize()))
            day = int(match.group("day") or match.group("day2"))
            year = int(match.group("year") or match.group("year2") or 2000)  # 2000: a leap year, for "February 29"
        try:
            dt.date(year, month, day)
        except ValueError:
            continue
        undated = not (match.group("iso") or match.group("year") or match.group("year2"))
        found.append((match.span(), f"--{month:02d}-{day:02d}" if undated else f"{year:04d}-{month:02d}-{day:02d}"))
    return found


def _of_day(brief: BriefInfo, day: str) -> bool:
    """Whether ``brief`` is dated ``day`` (an ISO date, or "--MM-DD" for any year)."""
    return brief.date[4:10] == day[1:] if day.startswith("--") else brief.date[:10] == day


# "the newest version", "the older version", "the original edition"
_WHICH_VERSION = re.compile(
    r"\b(?:(?P<new>newest|latest|most\s+recent|more\s+recent|newer|current|updated|later|last)"
    r"|(?P<old>oldest|earliest|original|first|older|earlier|previous|prior|superseded|outdated))\s+"
    rf"(?:{_VERSION_NOUN}|one)\b", re.IGNORECASE)
_PLURAL_VERSIONS = re.compile(r"\b(?:versions|editions|revisions)\b", re.IGNORECASE)


def _pick_version(question: str, versions: Sequence[BriefInfo], days: Sequence[str]) -> list[BriefInfo]:
    """Which of the ``versions`` of one report (oldest first) the question means: those of a day it
    names, else the older one for "the older / previous version" (the oldest for "the oldest /
    original / first version"), else the newest; all of them when it asks for the versions ("compare
    the two versions")."""
    if _PLURAL_VERSIONS.search(question):
        return list(versions)
    if days and (dated := [b for b in versions if any(_of_day(b, d) for d in days)]):
        return dated
    which = _WHICH_VERSION.search(question)
    if which and which.group("old"):
        word = which.group("old").lower()
        return [versions[0] if word in ("oldest", "earliest", "original", "first") else versions[-2]]
    return [versions[-1]]


def _one_version_each(question: str, briefs: Sequence[BriefInfo], catalogue: Catalogue,
                      days: Sequence[str]) -> list[BriefInfo]:
    """``briefs`` with, of each report several of them are versions of, only the version(s) meant
    (``_pick_version``), in the order given."""
    among = set(briefs)
    kept: set[BriefInfo] = set()
    for brief in briefs:
        versions = [v for v in catalogue.versions_of(brief) if v in among]
        kept.update(_pick_version(question, versions, days) if len(versions) > 1 else versions)
    return [b for b in briefs if b in kept]


def resolve_briefs(question: str, catalogue: Catalogue, *, previous: Sequence[BriefInfo] = (),
                   follow_up: bool = False, whole_brief: bool = False) -> Resolution:
    """The briefs ``question`` names (see the module docstring for the cues), in catalogue order.

    Of several versions of one report, one is named (the newest, or the one the question asks for by
    its date or as "the older version"); a day the question names a brief by narrows the briefs named
    to those of that day, or names them where nothing else does (after a turn that read a report with
    several versions, its version of that day), and never names every brief of its year.

    ``previous`` are the briefs the last turn read; "this brief", "the report", "the author" and (in a
    follow-up) "it" resolve to them, so does a pick among several of them ("Which one is the newest?",
    ``among_them``), "How does this compare with the 2017 brief?" adds them to the one named, or, when the last turn read several, come back as their
    ``candidates`` (which one is meant?); "they", "them", "both" in a follow-up mean all of them. With ``whole_brief`` (a summary or timeline, which reads one
    brief), a single word found in one title only ("a timeline of the Typhon system") names it. Returns an empty ``Resolution`` when the question names no
    brief: it is then asked of the whole collection (or the user's filters).
    """
    if not catalogue.briefs:
        return Resolution()
    named_days = dates_named(question)
    days = [day for _, day in named_days]
    masked = question
    for (start, end), _ in named_days:  # the year of a day names no brief by its year
        masked = masked[:start] + " " * (end - start) + masked[end:]
    resolution = _resolve(question, masked, catalogue, previous=previous, follow_up=follow_up,
                          whole_brief=whole_brief, days=days)
    spans = tuple(span for span, _ in named_days)
    if which := _WHICH_VERSION.search(question):
        spans += (which.span(),)
    if days:
        for pool in (resolution.briefs, resolution.candidates):
            if pool and (dated := tuple(b for b in pool if any(_of_day(b, d) for d in days))):
                if len(dated) == 1 or pool is resolution.briefs:
                    return replace(resolution, briefs=dated, candidates=(), how=f"{resolution.how}+date",
                                   named_by=resolution.named_by + spans)
                return replace(resolution, candidates=dated)
        if not resolution.briefs and not resolution.candidates:
            versions = [v for b in previous for v in catalogue.versions_of(b)]
            pool = tuple(versions) if len(versions) > len(previous) else tuple(catalogue.briefs)
            if dated := tuple(b for b in pool if any(_of_day(b, d) for d in days)):
                return Resolution(dated, how="date", named_by=spans)
    elif which and not resolution.briefs and not resolution.candidates and previous:
        # "What did the older version say?" after a turn that read the newest
        versions = [v for b in previous for v in catalogue.versions_of(b)]
        if len(versions) > len(previous):
            return Resolution(tuple(_one_version_each(question, versions, catalogue, days)), how="version",
                              named_by=spans)
    if which and any(len(catalogue.versions_of(b)) > 1 for b in resolution.briefs):  # "the older version" named it
        return replace(resolution, named_by=resolution.named_by + spans)
    return resolution


def _resolve(question: str, masked: str, catalogue: Catalogue, *, previous: Sequence[BriefInfo],
             follow_up: bool, whole_brief: bool, days: Sequence[str]) -> Resolution:
    """``resolve_briefs`` before the days it names narrow what it names; ``masked`` is the question with
    those days blanked (their years name no brief by year)."""
    order = {b.doc_id: i for i, b in enumerate(catalogue.briefs)}

    def ordered(briefs: Iterable[BriefInfo]) -> tuple[BriefInfo, ...]:
        return tuple(sorted(dict.fromkeys(briefs), key=lambda b: order[b.doc_id]))

    if quoted := _quoted_title(question, catalogue):
        return Resolution(ordered(quoted), how="quoted title",
                          named_by=tuple(m.span() for m in _QUOTED.finditer(question)))
    if between := _BETWEEN_YEARS.search(masked):
        low, high = sorted((int(between.group(1)), int(between.group(2))))
        inside = [b for b in catalogue.briefs if b.year is not None and low <= b.year <= high]
        if len(inside) >= 2:
            return Resolution(ordered(inside), how="years", years=(low, high), named_by=(between.span(),))
    explicit: list[BriefInfo] = []
    how = []
    spans: list[tuple[int, int]] = []  # the words that named them (``Resolution.named_by``)
    for match in YEAR_BRIEF.finditer(masked):
        for year in map(int, _YEAR.findall(match.group("y1") or match.group("y2"))):  # "the 2017 and 2024 briefs"
            same = [b for b in catalogue.briefs if b.year == year]
            if not same:  # an undated brief whose latest year mentioned is the year before may well be from then
                same = [b for b in catalogue.briefs if not b.dated and b.year_in_text == year - 1]
            if same:
                explicit.extend(same)
                how.append("year")
                spans.append(match.span())
    if authored := _by_author(question, catalogue):
        explicit.extend(authored)
        how.append("author")
        surnames = {_words(a)[-1] for b in authored for a in b.authors if _words(a)}
        spans.extend(m.span() for m in _WORD.finditer(question) if _words(m.group())[:1] and
                     _words(m.group())[0] in surnames)
    series = _by_series(question, catalogue)
    titled = _title_match(question, catalogue, loose=whole_brief)
    # of several versions of one report that the title words name, the one meant (the newest by default)
    one_each = set(_one_version_each(question, [b for _, _, b, _ in titled], catalogue, days))
    titled = [t for t in titled if t[2] in one_each]
    if previous and titled and refers_back(question, follow_up=follow_up):
        # A heuristic: a reference to the last turn's briefs ("that report", "it") wins over title words that
        # many policy titles share (``_GENERIC_TITLE_WORDS``) and words for a part of a brief or a kind of
        # answer (``_REQUEST_WORDS``): "What issues does that report say Congress may consider?" after a question
        # on the Mexico report does not name "Seabed Mining ...: Issues for Congress", nor "What considerations
        # does the report raise for Congress?" after one on the LRPA report "...: Options and Considerations for
        # Congress". A title word of its own still names another brief ("the seabed mining report").
        titled = [t for t in titled if not t[3] <= _GENERIC_TITLE_STEMS | _REQUEST_STEMS]
    # (score, share, brief, words): named when a document word is used, the whole brief is read, or a
    # best-scored title is half used (of briefs tied at the best score, any one)
    if titled and (names_document(question) or whole_brief
                   or any(share >= 0.5 for score, share, _, _ in titled if score >= titled[0][0] - 1e-9)):
        best = titled[0][0]
        top = [(b, words) for score, _, b, words in titled if score >= best - 1e-9]
        # The same words naming several briefs is ambiguous; different words name each its own brief
        # ("compare the Australia report and the Typhon report").
        if len(top) > 1 and len({w for _, w in top}) == 1 and not explicit and not _ALL_BRIEFS.search(question) \
                and len({version_key(b) for b, _ in top}) > 1:  # versions of one report asked for together are named
            return Resolution(candidates=ordered(b for b, _ in top), how="title words")
        # A brief named by a title word right before a word for a document ("the Australia report")
        # is named, however few of its title words the question uses.
        named = [b for score, _, b, _ in titled if score >= 0.5 * best or _referred_to(question, b)]
        named = _without_subject_matches(question, named, titled, others=explicit)
        # In a question with one reference to a document, a brief named only by words that also name a
        # brief matching more of them is not named: "the judiciary budget request report" names the
        # judiciary's, not the FWS "FY2027 Budget Request". Two references ("the FWS budget report and
        # the judiciary budget report") may each name their own brief by the shared words.
        if len(re.findall(rf"\b{_DOC_NOUN}\b", question, re.IGNORECASE)) <= 1:
            matched_words = {b.doc_id: words for _, _, b, words in titled}
            named = [b for b in named if not any(matched_words[b.doc_id] < matched_words[o.doc_id] for o in named)]
        if set(named) & set(series):
            # "the Insight on the Supreme Court appointment process": the series qualifies the title
            # words of a brief in it, it does not add every other Insight ("the Insights and the
            # Australia report" names no Insight by title, so all Insights stay).
            series = []
        explicit.extend(named)
        how.append("title words")
        spans.extend(_word_spans(question, {w for _, _, b, words in titled if b in named for w in words}))
    if series:
        explicit.extend(series)
        how.append("series")
    for name in {b.series for b in series}:
        spans.extend(m.span() for m in re.finditer(rf"\b{re.escape(name)}s?\b", question, re.IGNORECASE))
    if every := _ALL_BRIEFS.search(question):
        spans.append(every.span())
        if explicit and len(set(explicit)) >= 2:
            return Resolution(ordered(explicit), how="+".join(how),
                              named_by=_only_references(question, _next_to(question, spans, explicit)))
        if previous and len(previous) >= 2:
            return Resolution(ordered(previous), how="conversation")
        count, words = asked_briefs(question)
        if 1 < count < len(catalogue):  # "the two briefs" among eight: which two? (never two picked at will)
            return Resolution(candidates=_counted_candidates(f"{words} {subject_of_reference(question)}", catalogue,
                                                             count), how="count")
        return Resolution(ordered(catalogue.briefs), how="all", named_by=tuple(spans))
    if explicit and previous and _THIS_COMPARED.search(question):  # "How does this compare with the 2017 brief?"
        explicit.extend(previous)
        how.append("conversation")
    if explicit:
        explicit = _one_version_each(question, explicit, catalogue, days)
        return Resolution(ordered(explicit), how="+".join(dict.fromkeys(how)),
                          named_by=_only_references(question, _next_to(question, spans, explicit)))
    if len(previous) > 1 and among_them(question):  # "Which one is the newest?" after a turn that listed several
        return Resolution(ordered(previous), how="conversation")
    if previous and (how_back := refers_back(question, follow_up=follow_up)):
        at = _ordinal_one(question)
        if how_back == "one" and len(previous) > 1 and at and abs(at) <= len(previous):
            # "the second one" after a comparison: the second of the briefs the last turn read, in its order
            return Resolution((previous[at - 1 if at > 0 else at],), how="conversation")
        if how_back == "one" and len(previous) > 1:  # "it" after a turn over several briefs: ask which
            if len(meant := _one_version_each(question, previous, catalogue, days)) == 1:  # versions of one report
                return Resolution(ordered(meant), how="conversation")
            return Resolution(candidates=ordered(previous), how="conversation")
        if how_back == "one" or (follow_up and (len(previous) > 1 or _THEY_DOCUMENTS.search(question))):
            # "Who wrote them?" after a turn that read one brief (a comparison that found only one)
            return Resolution(ordered(previous), how="conversation")
    if _THIS_BRIEF.search(question) and len(catalogue) == 1:
        return Resolution(ordered(catalogue.briefs), how="only brief")
    return Resolution()


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5,
             "5th": 5, "sixth": 6, "6th": 6}
_ORDINAL = re.compile(rf"\b(?:{'|'.join(_ORDINALS)}|last)\b|^\s*(?:(?:number|no\.?|option|#)\s*)?(?P<n>[1-9])\s*[.)!]*\s*$",
                      re.IGNORECASE)
_NEWEST_REPLY = re.compile(r"\b(?:newest|latest|most\s+recent|more\s+recent|newer|recent|current|updated)\b", re.IGNORECASE)
_OLDEST_REPLY = re.compile(r"\b(?:oldest|earliest|original|older|earlier)\b", re.IGNORECASE)
_BOTH_REPLY = re.compile(r"\b(?:both|all(?:\s+of\s+them)?|each(?:\s+of\s+them)?)\b", re.IGNORECASE)
# Words a reply that only chooses may hold besides what names a brief ("I mean the second one, please").
_CHOOSING_WORDS = {"one", "ones", "version", "versions", "edition", "mean", "meant", "please", "want", "wanted", "use",
                   "read", "pick", "choose", "take", "option", "number", "no", "thanks", "thank", "ok", "okay", "yes",
                   "dated", "published", "updated", "issued", "released", "last", "listed", "above", "like", "go",
                   "with", "would", "let", "answer", "from"} | set(_ORDINALS) | {m.lower() for m in _MONTH_NAMES}


def chosen_from(reply: str, offered: Sequence[BriefInfo]) -> tuple[BriefInfo, ...]:
    """The briefs a reply to "which brief do you mean?" picks among ``offered`` (in the order they were
    listed), or ``()`` when the reply is not such a choice (a new question).

    A reply chooses when every word of it either picks (a day or year, "the newest" / "the oldest", "the
    first" / "the second" / "the last" / "2" of the list, words of an offered title, an author's surname,
    "both") or is a word of choosing ("I mean the ... one, please"): "The newest one", "ENERGY STAR
    Program (2026-04-23)" (a pasted label: its title words fit both, its date one), "the April 20
    version". The picks hold together (each narrows the offered briefs); none left, or a word that does
    neither, is no choice. A heuristic over the reply's words, no parser.
    """
    if not offered or not reply.strip():
        return ()
    pool = list(offered)
    names = {_stem(w) for b in offered for w in _content(b.title)} | {_stem(w) for b in offered for s in
                                                                         b.short_forms for w in _content(s)}
    names |= {_words(a)[-1] for b in offered for a in b.authors if _words(a)}
    names |= {w for b in offered for w in _words(b.series)}
    leftover = [w for w in _content(reply) if not w.isdigit() and w not in _CHOOSING_WORDS
                and _stem(w) not in names and w not in names
                and not (_NEWEST_REPLY.fullmatch(w) or _OLDEST_REPLY.fullmatch(w) or _BOTH_REPLY.fullmatch(w))]
    if leftover:
        return ()
    picked = False
    if days := [day for _, day in dates_named(reply, any_day=True)]:
        pool = [b for b in pool if any(_of_day(b, d) for d in days)]
        picked = True
    masked = _DAY.sub(" ", reply)
    if years := [int(y) for y in _YEAR.findall(masked)]:
        pool = [b for b in pool if b.year in years]
        picked = True
    if ordinal := _ORDINAL.search(masked):
        word = (ordinal.group("n") or ordinal.group(0)).lower().strip()
        at = len(offered) if word == "last" else int(word) if word.isdigit() else _ORDINALS.get(word, 0)
        chosen = offered[at - 1] if 0 < at <= len(offered) else None
        pool = [b for b in pool if b == chosen]
        picked = True
    recency = _NEWEST_REPLY.search(masked) or _OLDEST_REPLY.search(masked)
    if recency and pool:
        ordered = sorted(pool, key=_version_order)
        end = ordered[-1] if _NEWEST_REPLY.search(masked) else ordered[0]
        same_day = [b for b in pool if b.date == end.date]  # other reports of that day stay: which is meant?
        pool = same_day if len({version_key(b) for b in same_day}) > 1 else [end]
        picked = True
    titled = _title_match(reply, Catalogue(list(pool)), loose=True) if len(pool) > 1 else []
    if titled and len(best := [b for score, _, b, _ in titled if score >= titled[0][0] - 1e-9]) < len(pool):
        pool = [b for b in pool if b in best]
        picked = True
    if len(pool) > 1 and (authored := _by_author(reply, Catalogue(list(pool)))) and len(authored) < len(pool):
        pool = [b for b in pool if b in authored]
        picked = True
    if not picked and _BOTH_REPLY.search(reply):
        return tuple(offered)
    return tuple(pool) if picked and pool else ()


# "Which reports did Andrew Feickert write?", "What briefs has Marc Labonte written?", "List the reports by
# Karen Shanton", "Which reports are by Barry McMillion?", "Jacob Straus's reports": the briefs of an author,
# asked for themselves (not "What does the report by Feickert say about X?", which asks something of them).
_NAME = r"(?P<name>[^?!,;]{2,60}?)"
_AUTHOR_ASKED = (
    re.compile(rf"^\s*(?:which|what)\s+(?:of\s+the\s+)?{_DOC_NOUN}\s+(?:did|has|have|does|do)\s+{_NAME}\s+"
               r"(?:write|written|author|authored|co-?author|co-?authored|publish|published|produce|produced)\b"
               r"(?:\s+(?:for\s+CRS|in\s+the\s+collection))?\s*[?!.]*\s*$", re.IGNORECASE),
    re.compile(rf"^\s*(?:which|what|list|show|name|give\s+me)\s+(?:(?:are|were)\s+)?(?:all\s+|the\s+|of\s+the\s+)*"
               rf"{_DOC_NOUN}\s+(?:(?:are|were|is|was)\s+)?(?:(?:written|authored|co-?authored|published)\s+)?by\s+"
               rf"{_NAME}\s*[?!.]*\s*$", re.IGNORECASE),
    re.compile(r"^\s*what\s+(?:has|did|have)\s+" + _NAME + r"\s+(?:write|written|authored|published)\s*[?!.]*\s*$",
               re.IGNORECASE),
    re.compile(r"^\s*(?:(?i:which|what)\s+(?i:are|were)\s+|(?i:list|show|name)\s+(?:(?i:all)\s+(?:(?i:of)\s+)?)?)?"
               r"(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})['’]s?\s+" + rf"(?i:{_DOC_NOUN})\s*[?!.]*\s*$"),
)


def asked_author(question: str) -> str:
    """The author whose briefs a catalogue question asks for ("Which reports did Andrew Feickert write?",
    "List the briefs by Marc Labonte", "Karen Shanton's reports" -> the name as written), or "".
    A heuristic on the question's shape: the name is what stands where an author's name stands, whether
    or not the catalogue knows it (``authors_named`` matches it)."""
    for pattern in _AUTHOR_ASKED:
        if match := pattern.match(question):
            name = match.group("name").strip()
            words = _words(name)
            if words and not all(is_stop_word(w) for w in words) and words[0] not in _DETERMINERS:
                return name
    return ""


def _name_words(name: str) -> list[str]:
    """A person's name as lowercase words, initials ("G.", "J") left out: "Jared G. Tupuola" -> jared, tupuola."""
    return [w for w in _words(name) if len(w) > 1]


def _same_person(asked: Sequence[str], author: Sequence[str]) -> bool:
    """Whether the name words ``asked`` name the author of name words ``author``: the asked surname is the
    author's (or one part of a hyphenated one: "Keating" of "Keating-Bitonti") and every other asked word
    is one of the author's names; one word alone may be a surname or a first name ("Karen")."""
    if not asked or not author:
        return False
    surname = author[-1]
    parts = set(surname.split("-")) | {surname}
    if len(asked) == 1:
        return asked[0] in parts or asked[0] == author[0]
    return asked[-1] in parts and all(w in author for w in asked[:-1])


def authors_named(name: str, catalogue: Catalogue) -> tuple[list[str], list[str]]:
    """The catalogue's authors that ``name`` names, and, when it names none, the nearest names.

    Returns ``(matched, nearest)``: ``matched`` the distinct author names as the catalogue writes them
    (one: the author; several: an ambiguous name, "Karen" of Karen L. Shanton and Karen M. Sutter);
    ``nearest`` (only when nothing matched) up to three author names closest in spelling
    (``difflib`` ratio at least 0.6 over the whole name or the surname: "Mark Labonte" -> "Marc Labonte"),
    best first. Initials are ignored and case does not matter. A heuristic: two people of the same name
    are one author here."""
    authors = list(dict.fromkeys(a for b in catalogue.briefs for a in b.authors))
    asked = _name_words(name)
    matched = [a for a in authors if _same_person(asked, _name_words(a))]
    if matched or not asked:
        return matched, []
    wanted = " ".join(asked)
    scored = []
    for author in authors:
        words = _name_words(author)
        whole = difflib.SequenceMatcher(None, wanted, " ".join(words)).ratio()
        last = difflib.SequenceMatcher(None, asked[-1], words[-1]).ratio() if words else 0.0
        scored.append((max(whole, last), author))
    nearest = [a for score, a in sorted(scored, key=lambda s: -s[0]) if score >= 0.6]
    return [], nearest[:3]


def briefs_by(author: str, catalogue: Catalogue) -> list[BriefInfo]:
    """The briefs that list ``author`` (as the catalogue writes the name) among their authors, in catalogue order."""
    return [b for b in catalogue.briefs if author in b.authors]


# "Which reports discuss critical minerals?", "Which briefs are about Army weapons programs?", "What reports
# mention tariffs?": the subject a catalogue question asks the briefs of.
_TOPIC_ASKED = re.compile(
    rf"^\s*(?:which|what)\s+(?:of\s+the\s+|of\s+these\s+)?{_DOC_NOUN}\s+(?:{IN_COLLECTION}\s+)?(?:(?:do|does)\s+)?"
    r"(?:discuss(?:es)?|covers?|mentions?|deals?\s+with|address(?:es)?|talks?\s+about|(?:are|is)\s+about"
    r"|(?:are|is)\s+on|concerns?|treats?|examines?|focus(?:es)?\s+on|look\s+at|looks\s+at)\s+(?P<topic>.+?)\s*[?!.]*\s*$",
    re.IGNORECASE)


def topic_asked(question: str) -> str:
    """What a catalogue question asks which briefs discuss ("Which reports discuss critical minerals?" ->
    "critical minerals"; "Which reports in the collection discuss Australia?" -> "Australia": where the briefs
    are, ``IN_COLLECTION``, is not the subject), or ""."""
    match = _TOPIC_ASKED.match(question)
    return match.group("topic").strip() if match else ""
