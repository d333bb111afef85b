"""Where a quoted sentence stands in its brief: at the brief's own level, or under a section heading
narrower than the brief (a sub-account, a court, a program, a sub-topic).

"The FY2027 discretionary budget request is $38.7 million" is the Federal Circuit's request in the
judiciary's budget brief, stated under the heading "U.S. Court of Appeals for the Federal Circuit";
quoted alone it reads as the judiciary's. Two uses, one rule (``brief_level``):

- an answer shows such a sentence with its heading, as context outside the quote ("Under “U.S. Court
  of Appeals for the Federal Circuit”: The FY2027 ... [3]"; ``section_label``), as retrieval tools
  carry a chunk's section path with it (RAGFlow's heading hierarchy, contextual chunk headers) and the
  terminal names a citation's section; the citation's quote stays ``document_text[start:end]``;
- a comparison whose aspect asks about the briefs' subjects as a whole (their FY2027 requests, their
  funding: ``whole_subject``) prefers a brief's sentences at its own level (``answer.compose_kinds``).

A heuristic over the headings ``text.headings`` reads (``Hit.headings``, ``Hit.opening_heading``; with
``retrieval.heading_context`` off there are none, and every sentence counts as at the brief's level).
"""

from __future__ import annotations

import re
from typing import Iterable

from answer.catalogue import BriefInfo, title_short_forms
from answer.extractive import Candidate
from retrieval.keyword import tokenize
from text.headings import dateline_or_contents

# Section names that speak for the whole brief in briefing documents and reports (the genre's standard
# front sections: a summary, an overview, an introduction, background, key findings, a conclusion).
_OVERVIEW = re.compile(r"^(?:executive summary|summary|overview|introduction|background|in brief|at a glance|"
                       r"key (?:findings|takeaways|points|judgments)|bottom line|conclusions?)$", re.IGNORECASE)
# What a question asks of a subject as a whole, besides its name: amounts, options and the words that
# say "as a whole" (the figures and options cues of ``compose_kinds.aspect_cue``, kept in step by hand).
_WHOLE_WORDS = ("total overall whole entire combined agency budget budgets request requests requested funding "
                "fund funds appropriation appropriations spending spend amount amounts cost costs figure figures "
                "number numbers much option options recommend recommendation recommendations "
                "fiscal year")  # "FY2027" is tokenised "fiscal year 2027": a time, not a part of the brief
_WHOLE_TERMS = frozenset(t for terms in tokenize(_WHOLE_WORDS.split()) for t in terms)


def _terms(text: str) -> set[str]:
    """Stemmed content words (``retrieval.keyword.tokenize``), numbers and years left out: "FY2027" names
    no part of a brief."""
    return {t for t in tokenize([text])[0] if not any(c.isdigit() for c in t)}


def _title_terms(title: str, abbreviations: Iterable[tuple[str, str]]) -> set[str]:
    """The title's terms that name its subject, and those of the short forms the brief defines for title
    words ("FWS"): words for amounts ("Budget", "Request") name no subject ("Selected FY2027 Budget
    Proposals" is a part of the FWS budget brief)."""
    forms = title_short_forms(title, abbreviations)
    return (_terms(title) | {t for form in forms for t in _terms(form)}) - _WHOLE_TERMS


# A table's unit line read as a heading ("In Trillions of Dollars", "($ in millions)", "Dollars in Billions"):
# it names a unit, not a section (a browser trial showed "Under “In Trillions of Dollars”:" over a sentence).
_UNIT_LINE = re.compile(
    r"^\(?\s*(?:(?:in\s+)?\$\s*)?(?:in\s+)?(?:thousands|millions|billions|trillions)(?:\s+of\s+(?:\w+\s+)?dollars)?\s*\)?$"
    r"|^\(?\s*(?:\w+\s+)?dollars\s+in\s+(?:thousands|millions|billions|trillions)\s*\)?$", re.IGNORECASE)


def heading_of(candidate: Candidate) -> str:
    """The section heading the sentence stands under ("" before the first, or unknown), a date line over
    the title, a contents entry, a label line ending in ":" and a heading line the brief prints more than
    once (``Hit.repeated_headings``) and a table's unit line ("In Trillions of Dollars") counting as none."""
    heading = " ".join(candidate.hit.heading_at(candidate.start).split())
    if (not heading or dateline_or_contents(heading) or heading.endswith(":") or heading in candidate.hit.repeated_headings
            or _UNIT_LINE.match(heading)):
        return ""  # a label line ("More on:") or page furniture printed more than once names no section
    return heading


def brief_level(candidate: Candidate) -> bool:
    """Whether a sentence speaks at its brief's own level: it stands under no heading, under the brief's
    opening section ("Overview"), under a front section's standard name ("Summary", "Introduction",
    "Background"), or under a heading that names the brief's subject (a word of its title or a short form
    the brief defines for title words: "FWS Discretionary Appropriations"). Otherwise it stands under a
    narrower part ("Supreme Court", "Resource Management Account", "Mandatory Funding")."""
    heading = heading_of(candidate)
    hit = candidate.hit
    if not heading or heading == " ".join(hit.opening_heading.split()) or _OVERVIEW.match(heading.strip(" .:")):
        return True
    return bool(_terms(heading) & _title_terms(hit.chunk.title, hit.abbreviations))


def section_label(candidate: Candidate) -> str:
    """The heading to show with a quoted sentence: the one it stands under when that is narrower than the
    brief (``brief_level``), else ""."""
    return "" if brief_level(candidate) else heading_of(candidate)


def asked_part(candidate: Candidate, aspect: str) -> bool:
    """Whether the heading a sentence stands under is what the aspect asks about: each of its words is
    a word of the aspect ("Budget" for "FY2027 budget requests")."""
    terms = _terms(heading_of(candidate))
    return bool(terms) and terms <= _terms(aspect)


SCOPE_TIER = 1.0  # added to a sentence's relevance (0-1) when it is in scope: in-scope sentences are quoted first


def in_scope(unit: Candidate, aspect: str) -> bool:
    """Whether a sentence answers an aspect about its brief's subject as a whole: it speaks at the brief's
    own level (``brief_level``) or under a heading the aspect asks for ("Budget", ``asked_part``)."""
    return brief_level(unit) or asked_part(unit, aspect)


def whole_subject(aspect: str, briefs: Iterable[BriefInfo]) -> bool:
    """Whether a comparison's aspect asks about the briefs' subjects as a whole: beside the words of the
    compared briefs' titles (and the short forms they define) it names only amounts, options and "total",
    "overall" ("FY2027 requests", "overall funding"), no part of a brief ("defender services")."""
    named: set[str] = set()
    for brief in briefs:
        named |= _terms(brief.title) | {t for form in brief.short_forms for t in _terms(form)}
    return not (_terms(aspect) - named - _WHOLE_TERMS)
