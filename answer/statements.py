"""What a brief's sentence is: a heading or caption (never a claim), the author's first person,
a prescription ("should", "must", "the only way forward"), or a dated statement.

Rules written by hand (no maintained library reads these cues offline); each is a heuristic.
Measured on the analyst question set's development half (tests/data/analyst_questions.jsonl),
see the README's "Question kinds" section for the figures.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from text.headings import is_heading  # noqa: F401  (re-exported: one rule, in text/)
from text.sentences import is_question

# First person of the author (not inside quotation marks): I, me, my, mine, myself.
# "I" before a capitalised word is a name's numeral, not the author ("I Corps", "I MEF", "Title I Funds")
_FIRST_PERSON = re.compile(r"(?<![\w'’])(?:I(?!\s+[A-Z])|I['’]m|I['’]ve|I['’]d|(?i:me|my|mine|myself))(?![\w'’])")
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")

# Prescriptive cues and their strength: an obligation or a recommendation (1.0), or an option
# offered (0.5, as in CRS's "Congress may wish to consider"). The noun "recommendation(s)" is a cue only
# as what is recommended ("My recommendation is to ..."): "NMFS released an action plan that incorporated
# these recommendations" reports on advice and had been filed as the author's. What a plan or schedule "calls for"
# ("Plans call for delivery in 2027") is a plan, not advice: a timeline had dropped such a milestone as an option.
_STRONG = re.compile(
    r"\b(?:should|must|ought to|needs? to|need(?:s|ed)? to be|has to|have to|will (?:need|have) to|is (?:crucial|essential|"
    r"vital|imperative|necessary|critical)|only way|way forward|recommend(?:s|ed|ing)?|recommendations? (?:is|are|would be) (?:that|to)"
    r"|urge[sd]?|(?<!plans )(?<!plan )(?<!schedules )(?<!schedule )call(?:s|ed)? (?:on|for)"
    r"|advi[sc]e\w*|it is time to|the best (?:answer|option|way))\b", re.IGNORECASE)
_WEAK = re.compile(
    r"\b(?:may wish to|might (?:consider|decide|wish)|could (?:consider|seek|engage|support|decide|choose)|may (?:consider|"
    r"choose|seek|engage)|options? for congress|considerations? for congress|would (?:enhance|help|improve)|can genuinely"
    # an issue the brief puts to Congress ("Other potential issues in reauthorization of the IIJA include", "likely to
    # be of ongoing concern to Congress"): CRS's way of setting out what Congress may take up
    # (lower-case "issues": a title's "Potential Issues for Congress" is none)
    r"|(?-i:(?:[Pp]otential|[Oo]ther|[Kk]ey|[Pp]ossible)\s+issues?\s+(?:for|in|before)\s+(?:Congress|reauthorization))"
    r"|of (?:ongoing |continuing |particular )?(?:congressional )?concern to congress)\b",
    re.IGNORECASE)
# An option put to a legislature: its members as the subject of a modal verb ("Congress might
# examine ...", "Members could seek to ...", "Lawmakers may weigh in ..."), CRS's way of setting
# out choices without recommending one.
_LEGISLATURE = (r"(?:Congress|Members(?: of Congress)?|[Ll]awmakers|[Ll]egislators|[Pp]olicymakers|[Aa]ppropriators"
                r"|[Tt]he (?:House|Senate))")
_OPTION = re.compile(
    rf"\b{_LEGISLATURE}\s+(?:\w+ly\s+|also\s+|further\s+)?(?:may|might|could|can)\s+(?!not\b|have\b|be\b)\w+"
    # the legislature named in an opening condition and taken up by a pronoun ("Should Congress decide that more
    # oversight is needed, it may codify ...", "Alternatively, if Members support the ESF ..., they could increase ESF
    # resources"; ``prescriptive`` reads
    # it with the conditional "Should" taken out)
    rf"|^\W*(?:[A-Z][a-z]+,\s+)?(?:(?:[Ss]hould|[Ii]f|[Ww]here|[Ww]hen)\s+)?{_LEGISLATURE}\b[^.;]{{0,200}}?,\s+(?:it|they)\s+(?:\w+ly\s+|also\s+)?"
    r"(?:may|might|could|can)\s+(?!not\b|have\b|be\b)\w+"
    rf"|\b{_LEGISLATURE}\s+(?:face|faces|faced|confront|confronts)\s+(?:a\s+|the\s+)?(?:consideration|question|choice|decision)s?\b"
    # what the brief itself calls an option ("One option could be for Congress to ...", "Another option is ...")
    r"|\b(?:[Oo]ne|[Aa]nother|[Aa] (?:further|second|third|possible|related)|[Aa]n (?:additional|alternative))\s+option\b"
    # options as the sentence's subject ("As detailed below, these options may include ...", "Possible options include")
    r"|(?:^|\b(?:[Tt]hese|[Tt]hose|[Ss]uch|[Ss]everal|[Pp]ossible|[Pp]otential|[Pp]olicy|[Oo]ther|[Tt]he)\s+)"
    r"(?:[Oo]ptions)\s+(?:\w+\s+){0,3}?(?:may|might|could|can|would)?\s*(?:include|includes|including)\b")
# A prescription framed as an open question ("to what extent Congress should ...", "whether to ...").
_QUESTION_FRAME = re.compile(r"\b(?:whether|(?:to )?what extent|the extent to which|how much|how (?:best )?to|if and how|whether and how|"

                             # a debate over a role ("over the role the federal government should play")
                             r"the (?:proper |appropriate )?role (?:that )?(?:[\w.-]+\s+){1,4}should)\b",
                             re.IGNORECASE)
# A bill, resolution or order as the subject ("H.R. 663 would instruct the President to call for ...",
# "S.Res. 331 calls for ..."): what the measure would do is its sponsors' proposal, not the brief's advice.
_MEASURE = re.compile(r"\b(?:H\.R\.|S\.|H\.\s?Res\.|S\.\s?Res\.|H\.\s?J\.\s?Res\.|S\.\s?J\.\s?Res\.|"
                      r"H\.\s?Con\.\s?Res\.|S\.\s?Con\.\s?Res\.|E\.O\.)\s?\d+(?:\s*\([^)]*\))?,?\s+(?:would|will|could|may|"
                      r"calls?|directs?|requires?|instructs?|urges?|expresses|seeks?|proposes?)\b"
                      # a bill named by a noun ("this bill would require DOL, within two years of enactment, to ...")
                      r"|\b(?i:the|this|that|such a|each|both|these|the proposed)\s+(?:bills?|measures?|legislation|"
                      r"resolutions?|amendments?)\s+(?:would|could|will)\b")
# A prescription the brief reports from someone else: a verb of saying, or the cue inside a quotation.
_ATTRIBUTED = re.compile(
    r"\b(?:said|says|say|noted|notes|argued|argues|asserted|asserts|stated|states|suggested|suggests|wrote|writes|told|"
    r"according to|called for|calls for|urged|urges|warned|warns|insisted|insists|believes?|contended|contends|"
    r"recommended|proposed|advised|emphasized|stressed|alleged|alleges|claimed|claims|maintained|maintains)\b"
    # others as the subject of a present-tense verb of saying ("Others argue that Congress should ...",
    # "Some stakeholders recommend ..."): a browser trial listed these as the author's own advice
    r"|\b(?:others|some|many|several|critics|proponents|opponents|supporters|observers|experts|analysts|stakeholders"
    r"|commentators|scholars|advocates|researchers|policymakers)\b(?:\s+[\w-]+){0,3}?\s+(?:argue|assert|contend|recommend|propose|suggest"
    r"|advise|urge|maintain|believe|call for|insist|warn)\b"
    # a party to a case ("The plaintiffs also claim that ... should be set aside", "the federal defendants may argue")
    # someone's message reported ("His key message was that like-minded allies need to think outside the box")
    r"|\b(?:his|her|their)\s+(?:key\s+|main\s+|central\s+|core\s+)?(?:messages?|points?|arguments?|views?|advice|"
    r"recommendations?|positions?|contentions?)\s+(?:was|were|is|are)\b"
    r"|\b(?:plaintiffs|petitioners|challengers|respondents|defendants|appellants|appellees|litigants|parties|they)"
    r"\s+(?:\w+\s+)?(?:claim|allege|contend|argue|assert|maintain)\b", re.IGNORECASE)
# What a law, regulation or court requires, described rather than prescribed (a heuristic): the law is
# cited ("under FSMA (21 U.S.C. §350l-1)", "Section 7(g)", "P.L. 115-141", "under current law", "the
# statute", "the law requires"), the obligation is a condition of eligibility ("to qualify", "to be
# eligible"), a legal deadline ("Within 20 days, the Secretary must ...") or a court's holding ("the court
# held that ... must ..."). Topic words alone ("regulation", "federal law") are no cue: "Washington must
# tighten its export regulations" is advice. A newcomer's trial read "FDA must submit an annual report to
# Congress under FSMA" as the author's recommendation.
_LEGAL_SOURCE = re.compile(
    r"U\.\s?S\.\s?C\.|C\.\s?F\.\s?R\.|§|\bP\.\s?L\.\s?\d|\bStat\.|\b(?:[Ss]ection|[Tt]itle)\s+\d"
    r"|\b(?i:statut\w*|to qualify|to be eligible|eligibility|prescribed by|required by)\b"
    r"|\b(?i:under|in|by)\s+(?i:current|existing|federal|state|applicable)\s+(?i:laws?)\b|\bas defined (?:in|by) (?i:law)\b"
    r"|\b(?:(?i:laws?|statutes?|regulations?|rules?)|Act|Code|Constitution)\s+(?i:requires?|mandates?|directs?)\b"
    # a numbered directive, instruction or circular as the subject ("DODD 3000.09 requires all systems ...")
    r"|\b[A-Z]{2,}[A-Za-z]*(?:\s+[A-Z][a-z]+)?\s+[A-Z]?-?\d[\w.-]*\s+(?i:requires?|mandates?|directs?|prohibits?)\b"
    r"|\bunder\s+(?:the\s+)?(?:[A-Z]{2,}\b|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\s+Act\b)"
    r"|\b(?i:within\s+(?:\d+|[a-z]+(?:-[a-z]+)?)\s+(?:calendar\s+|business\s+)?days?)\b"
    r"|\b(?:[Cc]ourts?|[Jj]udges?|[Cc]ircuit|[Pp]anel|Justices?)\b[^.;]{0,80}?\b(?:held|ruled|concluded|reasoned|determined|observed)\b"
    r"|\b(?i:jurisprudence|doctrine|precedents?|case law)\b[^.;]{0,40}?\b(?i:instructs?|requires?|holds?|dictates?|directs?)\b")
# An obligation in its source's own words ("All Committee meetings ... must “be open to the public.”"):
# quoted from a law or rule, not the brief's advice (read before quotations are set aside).
_QUOTED_DUTY = re.compile(r"\b(?:must|shall|(?:is|are) required to)\s+(?:also\s+|not\s+)?[“\"]")
# Those a brief advises as the subject of its obligation ("Congress should amend the statute", "the United
# States must ...", "we need to ..."): advice, whatever law it names.
_ADVISED = re.compile(
    rf"\b(?:{_LEGISLATURE}|(?:[Tt]he )?United States|Washington|(?:[Tt]he )?(?:Trump |Biden )?[Aa]dministration|[Ww]e)"
    r"\s+(?:\w+ly\s+|also\s+)?(?:should|must|ought to|needs? to|has to|have to|will (?:need|have) to)\b")


# "should" opening a condition by inversion: followed by its subject, not by a verb.
_CONDITIONAL_SHOULD = re.compile(
    r"\b[Ss]hould\s+(?=(?:it|he|she|they|we|you|there|this|that|these|those|the|a|an|any|[A-Z][\w.'’-]*)\b)")
_QUOTATION = re.compile(r"[\"“][^\"“”]*[\"”]")
# "should" in a question the sentence reports being discussed ("The main debate was on how Washington and Seoul should
# respond"): what was debated, not the author's advice (a trial listed it under "The author recommends:")
_EMBEDDED_SHOULD = re.compile(r"\b(?:on|about|over|discuss(?:ed|es|ing)?|debat(?:e|ed|es|ing))\s+(?:how|what|which|when|where|why)"
                              r"\s+(?:[\w.’'-]+\s+){1,6}?(?P<should>should)\b", re.IGNORECASE)

_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE_PATTERNS = (
    re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d\d)\b"),  # May 8, 2017
    re.compile(rf"\b(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})\s+(?P<year>(?:19|20)\d\d)\b"),  # 8 May 2017
    # a range of months dates by its first: "in April-June 2025" is April 2025, not June
    re.compile(rf"\b(?P<month>{_MONTH})\s*(?:-|–|—|\bto\b|\bthrough\b)\s*{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<year>(?:19|20)\d\d)\b"),  # May 2017
    re.compile(rf"\b(?i:on|by|since|until|from)\s+(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})\b(?!,?\s+(?:19|20)\d\d)"),
    re.compile(rf"\b(?i:in|since|until|by|early|late|mid-?)\s*(?i:early\s+|late\s+)?(?P<month>{_MONTH})\b(?!\s+\d)"),
    re.compile(r"\b(?:FY|in |since |by |until |from |of |during |between |after |before )(?P<year>(?:19|20)\d\d)\b"),
    # a bare year, never the number of a bill, resolution or section ("H.R. 2012", "S.Res. 2019", "§2015")
    re.compile(r"(?<![\d$.,§])(?<!§ )(?<!H\.R\. )(?<!S\. )(?<!Res\. )(?<!No\. )(?P<year>(?:19|20)\d\d)(?![\d,.]\d)(?!['’]?s\b)"),
)
# A sentence in the future tense: a month or day without a year is the next one after the brief's date ("On May 9,
# South Koreans will choose a new president" in a brief of May 8, 2017 is May 9, 2017).
_FUTURE = re.compile(r"\b(?:will|shall|(?:is|are) (?:scheduled|expected|set|due|slated) to)\b(?!\s+have\b)", re.IGNORECASE)
# "last month", "next year" counted from the brief's date; "the next year" counts from a date the text gave before
_RELATIVE = re.compile(r"(?<!\bthe )(?<!\bThe )\b(?P<which>last|this|next)\s+(?P<unit>month|year|week)\b", re.IGNORECASE)
_SINCE = re.compile(r"\bsince\s*$|(?<![\w])since$", re.IGNORECASE)  # "since" right before a date (or opening it)

# What the words before a date make of it (``_date_role``; each a heuristic, measured by ``bench.timeline_dates``).
# The sentence opens with it ("In 2024, NMFS reported ...", "On March 13, 2026, the Secretary ..."): it dates the
# main clause whatever other dates follow.
_OPENING = re.compile(
    r"^\W*(?:(?:In|On|By|Since|From|Between|During|After|Before|Until|Through|For|Beginning|Starting|Effective|As of|"
    r"Early|Late|At the (?:start|end|beginning) of)(?:\s+(?:in|on|of|the end of|the start of))?\s+"
    r"(?:(?:early|late|mid-?)\s*)?(?:(?:calendar|fiscal|tax)\s+years?\s+)?)$", re.IGNORECASE)
# A bound, not an event's time: a deadline or target ("by 2028", "annually through December 31, 2029", "no later
# than"); the word is kept for the label ("By 2028").
_BOUND = re.compile(r"\b(?P<word>by|through|until|no later than|not later than)\s+(?:the\s+(?:end|start|beginning)\s+"
                    r"of\s+)?(?:(?:calendar|fiscal|tax)\s+years?\s+)?$", re.IGNORECASE)
# A date naming a thing rather than timing the sentence: attributive ("the 2025 BiOp", "a 2028 Moon landing",
# "the President's FY2027 budget request"), an act's or plan's year ("Reorganization Plan No. 2 of 1953",
# "Consolidated Appropriations Act, 2026"), or a clause that describes a noun ("OT&E, originally planned for
# FY2025, was to begin in FY2026"; "MAP-21, enacted in 2012, allowed ..."; "The FY2018 appropriations law
# continued policies that were in effect as of the third quarter of FY2017").
_NAMING = re.compile(
    r"(?:\b(?i:the|a|an|its|their|his|her|this|that|these|those|each|whose)|['’]s)\s+(?i:(?:early|late|mid-?)\s*)?$"
    r"|\b(?:Acts?|Amendments?|Plan|Agreement|Treaty|Accord|Convention|Code|Order|Resolution|Memorandum|No\.\s*\d+)\s+of\s+$"
    r"|\bAct,\s*$"
    r"|,\s*(?i:which|who|whom|whose|originally|initially|previously|formerly|once|enacted|signed|issued|published|"
    r"released|established|created|effective)\b[^,;()]*$"
    r"|\b(?i:that|which|who)\s+(?i:was|were|is|are|had been|has been|have been)\b[^,;()]*$")
# Never the sentence's date: a date "dated" gives an instrument ("E.O. 14347 dated September 5, 2025"), or one a
# comparison points back to ("the CARES Act temporarily permitted the use of the ESF to guarantee MMFs, as in 2008": a
# trial's timeline filed it under 2008); the second of a list or range ("in 2006 and 2007", "from 2024 to 2034",
# "FY2022 through FY2026": the first dates it).
_DATED = re.compile(r"\bdated\s+$|\b(?:as|like|unlike)\s+(?:it\s+did\s+|they\s+did\s+|was\s+done\s+)?in\s+$", re.IGNORECASE)
_JOINED = re.compile(r"^\s*(?:,|,?\s*and|,?\s*or|&|-|–|—|to|through|until)\s*$", re.IGNORECASE)
# A year before a unit or a name: "2024 dollars", "1994 USDA Reorganization Act" (no article).
_NAME_AFTER = re.compile(r"\s+(?:dollars|[A-Z][\w.&-]*\s+(?:[A-Z][\w.&-]*\s+)*(?:Act|Plan|Agreement|Treaty|Law|Rule)\b)")
_YEAR_OF = re.compile(r"\b(?:calendar|fiscal|tax)\s+years?\s+$", re.IGNORECASE)  # "in calendar year 2024"
_ROLE_RANK = {"opening": 0, "date": 1, "bare": 2, "naming": 3, "bound": 4, "since": 5, "aside": 6}


@dataclass(frozen=True)
class _Found:
    """A date stated in a sentence: where its words start (``lead`` ends there) and end, what it says."""

    start: int
    end: int
    year: int | None
    month: int
    day: int
    fiscal: bool
    anchored: bool  # a preposition or a month names it as a time ("in 2016", "May 2017"), not a bare number


def _dates_in(sentence: str) -> list[_Found]:
    """Every date a sentence states, in text order; where two patterns read overlapping words, the more
    specific (earlier in ``_DATE_PATTERNS``) wins."""
    found: list[_Found] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(sentence):
            start = _date_start(match)
            if any(f.start < match.end() and start < f.end for f in found):
                continue
            groups = match.groupdict()
            fiscal = sentence[max(0, start - 2):start] == "FY"
            found.append(_Found(start - 2 if fiscal else start, match.end(),
                                int(groups["year"]) if groups.get("year") else None,
                                _MONTHS[groups["month"].lower()] if groups.get("month") else 0,
                                int(groups["day"]) if groups.get("day") else 0, fiscal,
                                anchored=match.start() < start or bool(groups.get("month"))
                                or bool(_YEAR_OF.search(sentence, 0, start))))
    return sorted(found, key=lambda f: f.start)


def _date_role(sentence: str, date: _Found, previous: _Found | None) -> str:
    """What a date is to its sentence (a heuristic): "opening" (it opens the sentence: it dates the main
    clause), "date" (a time named by a preposition or a month), "bare" (a bare year), "naming" (it names a
    thing: ``_NAMING``), "bound" (a deadline or target: ``_BOUND``), "since" (a reference point), "aside" (inside
    parentheses), or "" (never the sentence's date: after "dated" or a comparison's "as in", or the second of a list
    or range)."""
    lead = sentence[:date.start]
    if _DATED.search(lead) or (previous is not None and _JOINED.match(sentence[previous.end:date.start])):
        return ""
    if lead.count("(") > lead.count(")"):
        return "aside"
    if _OPENING.match(lead):
        return "opening"
    if _NAMING.search(lead) or (date.year is not None and not date.month and _NAME_AFTER.match(sentence, date.end)):
        return "naming"
    if _BOUND.search(lead):
        return "bound"
    if _SINCE.search(lead):
        return "since"
    return "date" if date.anchored else "bare"



def _date_start(match: re.Match) -> int:
    """Where the date itself starts in a ``_DATE_PATTERNS`` match (after a preposition the pattern holds)."""
    return min(match.start(g) for g in ("month", "day", "year") if match.groupdict().get(g))


def first_person(sentence: str) -> bool:
    """Whether the author speaks in the first person singular outside quotation marks."""
    return bool(_FIRST_PERSON.search(_QUOTED.sub(" ", sentence)))


# A sentence that hands over to a quotation set apart after it ("... quoted Major General Glenn Dean, ..., describing
# the rationale for the Army's decision:", "The Secretary stated:").
_QUOTE_LEAD = re.compile(r"\b(?:quot(?:ed|es|ing)|said|says|stated|states|wrote|writes|testified|explained|explaining|"
                         r"described|describing|remarked|announced|noted|argued|told)\b[^:]*:\s*$", re.IGNORECASE)


def introduces_quotation(sentence: str) -> bool:
    """Whether ``sentence`` ends on a colon after a verb of saying or quoting (a heuristic): what follows is someone's
    quoted words."""
    return bool(_QUOTE_LEAD.search(sentence))


def prescriptive(sentence: str) -> float:
    """How strongly a sentence prescribes (1.0 obligation/recommendation, 0.5 an option offered, 0 none).

    A conditional "should" ("to retaliate should Pyongyang act again", "Should Congress determine that
    ..., it may consider ...") is no cue, nor is one in a question the sentence says was debated ("the debate was on
    how Washington should respond"); in a question ("Should the United States act now?") it is.
    """
    if not is_question(sentence):
        sentence = _CONDITIONAL_SHOULD.sub(" ", sentence)
        sentence = _EMBEDDED_SHOULD.sub(lambda m: m.group()[:m.start("should") - m.start()], sentence)
    if _STRONG.search(sentence):
        return 1.0
    if _WEAK.search(sentence) or _OPTION.search(sentence):
        return 0.5
    return 0.0


# A sentence that goes on from the one before it ("The statute directs the Committee to grant the exemption if
# ... . The Committee must also establish “reasonable mitigation ...”"): the law cited there is its source too.
_CONTINUES = re.compile(r"\b(?:also|further|additionally|in addition|likewise|similarly)\b|^(?:It|They|These|Such|The same)\b")


def prescription(sentence: str, *, before: str = "") -> str:
    """What a prescriptive sentence is, for grouping a recommendations answer (a heuristic):

    - "recommendation": the brief's own ("collective action is the only way forward", "Washington
      must ...");
    - "option": a choice set out for a legislature or policymakers without recommending it (CRS's
      "Congress may wish to consider ...", "Members could seek to ..."), or a prescription framed as
      an open question ("to what extent Congress should ...");
    - "reported": someone else's prescription the brief reports (a verb of saying: "one expert
      noted that Washington will need to ..."; a cue only inside a quotation counts only with one),
      or what a bill, resolution or order would do ("H.R. 663 would instruct the President to ...",
      "this bill would require DOL to ...") or a party to a case argues ("The plaintiffs also claim that ...");
    - "requirement": an obligation the brief describes as the law's, a regulation's or a court's, not
      its advice (``_LEGAL_SOURCE``: "FDA must submit an annual report to Congress under FSMA (21 U.S.C.
      §350l-1)", "Within 20 days, the Secretary must determine ...", "To qualify, a child must be ...");
      never when those the brief advises are the obligation's subject ("Congress should amend the
      statute") or the sentence is a question. ``before`` is the sentence before it in its paragraph:
      its legal source counts for a sentence that goes on from it ("The statute directs the Committee
      to ... . The Committee must also establish ..."). Measured over the 69 CRS reports: see the README;
    - "": not prescriptive (``prescriptive`` is 0).
    """
    strength = prescriptive(sentence)
    if strength == 0.0:
        return ""
    unquoted = _QUOTATION.sub(" ", sentence)
    attributed = bool(_ATTRIBUTED.search(unquoted) or _MEASURE.search(unquoted))
    if prescriptive(unquoted) == 0.0 and not attributed:
        return ""  # a cue only inside a quotation nobody is said to say ("considers it “too large … has to go”")
    if prescriptive(unquoted) == 0.0 or (attributed and not _OPTION.search(unquoted)):
        # someone else's obligation or recommendation; an option or benefit they mention ("would help") is none
        return "reported" if strength == 1.0 else ""
    if _OPTION.search(unquoted):
        return "option"
    cited = (_LEGAL_SOURCE.search(unquoted) or _QUOTED_DUTY.search(sentence)
             or (_CONTINUES.search(unquoted) and _LEGAL_SOURCE.search(before)))
    if (strength == 1.0 and cited and not _ADVISED.search(unquoted)
            and not is_question(unquoted)):
        return "requirement"
    if strength < 1.0 or _QUESTION_FRAME.search(unquoted):
        return "option"
    return "recommendation"


@dataclass(frozen=True, order=True)
class StatementDate:
    """When a statement says something happened: year, and month and day where it says them (0 = unknown)."""

    year: int
    month: int = 0
    day: int = 0
    inferred_year: bool = False  # the year came from the brief's own date ("in February", "last month")
    fiscal: bool = False  # a fiscal year ("FY2025"), labelled so
    bound: str = ""  # "by", "through", "until" (a deadline or target), "after" (a later, undated event): labelled so

    @property
    def label(self) -> str:
        """"May 8, 2017", "May 2017", "2017", "FY2017"; a deadline or target with its word: "By 2028"."""
        if self.month and self.day:
            text = dt.date(self.year, self.month, self.day).strftime("%B %-d, %Y")
        elif self.month:
            text = dt.date(self.year, self.month, 1).strftime("%B %Y")
        else:
            text = f"FY{self.year}" if self.fiscal else str(self.year)
        return f"{self.bound.capitalize()} {text}" if self.bound else text


def statement_date(sentence: str, *, brief_date: str = "") -> StatementDate | None:
    """The date of the event a sentence reports, resolved against the brief's own date (a heuristic).

    "May 8, 2017", "8 May 2017", "May 2017", "in 2016", "FY2025" are read as written; a month or
    day without a year ("in February", "on April 27", "last month") takes the year of
    ``brief_date`` (YYYY-MM-DD): the latest such day not after the brief's date, or in a sentence in the
    future tense ("will", "is scheduled to", outside quotations) the next such day from it. None when the
    sentence states no date of an event or its year cannot be resolved.

    Of several dates, the main clause's is taken, by what the words before each make of it
    (``_date_role``), in this order: a date opening the sentence ("In 2024, NMFS reported it had
    undertaken audits from January 2018 ..." is 2024); a date named by a preposition or a month, the
    first in the text; a bare year; a date naming a thing ("the 2025 BiOp", "Reorganization Plan No. 2
    of 1953", "OT&E, originally planned for FY2025, was to begin in FY2026" is FY2026; never a year after
    ``brief_date``'s: "NASA is considering proposals ... in support of a 2028 lunar landing"); a deadline or
    target ("planned to occur by 2028": ``StatementDate.bound``, labelled "By 2028"); then a date after
    "since" (a reference point: "the first human landing on the Moon since 1972 ... by 2028" is 2028);
    last a date inside parentheses (an aside: "engagements ... (in April-June 2025 and February
    2026) stalled" is April 2025). Never: a date after "dated" ("Hegseth (who is now using "Secretary
    of War" ... under E.O. 14347 dated September 5, 2025) subsequently directed ..." states no date of
    its own), the second date of a list or range (a period dates by its start), and a fiscal year in a
    sentence naming one not yet begun at ``brief_date`` (a budget request or projection, not an event:
    "For FY2027, NASA requested $8.5 billion ..., an increase of $731 million compared with FY2026").
    A sentence setting out an option or a recommendation (``prescription``) reports no event: None.

    A year naming a law, treaty or document ("under the 2015 Iran Nuclear Agreement Review Act",
    "the 1951 ANZUS Treaty") dates the statement by it when no other date does, on purpose: the
    sentence is about that instrument and the bullet quotes it whole, so the reader sees what the
    year belongs to; leaving such sentences out would drop the legal background from a timeline. The
    number of a bill or section is never a year, nor is a decade ("the 1970s").
    Measured error rates: README "Question kinds" (``python -m bench.timeline_dates``).
    """
    published = _parse_iso(brief_date)
    if prescription(sentence) in ("option", "recommendation"):
        return None
    dates = _dates_in(sentence)
    if published is not None and any(d.fiscal and (d.year or 0) > _fiscal_year(published) for d in dates):
        dates = [d for d in dates if not d.fiscal]  # a budget's fiscal years (a request, a projection): no event's
    ranked: list[tuple[int, int, _Found, str]] = []
    previous = None
    for date in dates:
        role = _date_role(sentence, date, previous)
        previous = date
        if role == "naming" and published is not None and (date.year or 0) > published.year:
            continue  # a thing planned for a later year ("proposals ... in support of a 2028 lunar landing")
        if role and (date.year is not None or published is not None):
            ranked.append((_ROLE_RANK[role], date.start, date, role))
    if ranked:
        _, _, date, role = min(ranked, key=lambda r: r[:2])
        bound = _BOUND.search(sentence[:date.start]) if role in ("bound", "opening") else None
        word = bound.group("word").lower() if bound else ""
        if date.year is not None:
            return StatementDate(date.year, date.month, date.day, fiscal=date.fiscal, bound=word)
        assert published is not None
        year = published.year
        later = date.month > published.month or (date.month == published.month and date.day > published.day)
        if _FUTURE.search(_QUOTATION.sub(" ", sentence)):
            year += 0 if later or (date.month, date.day) == (published.month, published.day) else 1
        elif later:
            year -= 1  # "in November" in a brief of May 2017 is November 2016
        return StatementDate(year, date.month, date.day, inferred_year=True, bound=word)
    relative = _RELATIVE.search(sentence)
    if relative and published is not None:
        which, unit = relative.group("which").lower(), relative.group("unit").lower()
        step = {"last": -1, "this": 0, "next": 1}[which]
        if unit == "year":
            return StatementDate(published.year + step, inferred_year=True)
        if unit == "month":
            month = published.month + step
            year = published.year + (month - 1) // 12
            return StatementDate(year, (month - 1) % 12 + 1, inferred_year=True)
    return None


# A word placing a sentence's event after the one before it ("Hegseth ... subsequently directed ...").
_SEQUEL = re.compile(r"\b(?:subsequently|thereafter|afterwards?|later|soon after|shortly after)\b", re.IGNORECASE)


def follows_on(sentence: str) -> bool:
    """Whether a sentence says its event came after the one the sentence before it reports ("subsequently",
    "thereafter", "later"; not inside parentheses): a heuristic, for a sentence stating no date of its own."""
    return bool(_SEQUEL.search(re.sub(r"\([^()]*\)", " ", sentence)))


def _fiscal_year(day: dt.date) -> int:
    """The U.S. federal fiscal year a day falls in (FY2026 runs from October 1, 2025, to September 30, 2026)."""
    return day.year + (1 if day.month >= 10 else 0)


def _parse_iso(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None
