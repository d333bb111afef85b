"""Follow-up questions made standalone from the conversation, with a chat model or offline."""

from __future__ import annotations

import re
from typing import Mapping, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage

from answer.antecedents import bound_in_question, resolve
from answer.catalogue import YEAR_BRIEF, names_their_subject, refers_back
from answer.citations import strip_markers
from answer.kinds import classify
from answer.llm import message_text
from answer.plans import topic_of
from answer.ranking import FALL_WORDS, RANKING_WORDS, RISE_WORDS
from answer.types import Turn
from prompts import load_prompt
from retrieval.keyword import tokenize
from retrieval.query import condense_offline, entities, is_follow_up, split_carried

HISTORY_TURNS = 3  # earlier exchanges shown to the model
ANSWER_CHARS = 600  # of each earlier answer


def condense_with_model(model: BaseChatModel, question: str, history: Sequence[Turn]) -> str:
    """The model's standalone rewrite of ``question`` (the question itself if it replies nothing)."""
    lines = []
    for turn in history[-HISTORY_TURNS:]:
        lines.append(f"User: {turn.standalone or turn.question}")
        if turn.answer:
            lines.append(f"Assistant: {strip_markers(turn.answer)[:ANSWER_CHARS]}")
    prompt = load_prompt("condense", "history", "question").format(history="\n".join(lines), question=question)
    reply = message_text(model.invoke([HumanMessage(prompt)]).content).strip()
    first_line = reply.splitlines()[0].strip().strip('"') if reply else ""
    return first_line or question


def standalone_question(question: str, history: Sequence[Turn], *, model: BaseChatModel | None = None,
                        titles: Mapping[str, str] | None = None, stays: bool = False) -> str:
    """``question`` made self-contained: by the chat model when there is one, else by carrying the
    names and terms of the previous turn (``retrieval.query.condense_offline``). A question that
    refers back to the briefs of a turn that read several ("Who wrote it?", "When were they
    published?"), or to the brief of a turn that asked about a brief as a whole (any kind but
    ``fact``: "When was it published?" after "Who wrote it?"), is kept as asked: the turn carries
    its briefs and ``answer.catalogue.resolve_briefs`` reads the reference; when that turn read one
    brief whose title ``titles`` (doc id -> title) gives, "it" is named (``name_the_brief``), so that
    the question as searched, shown as "Interpreted as: ...", says how "it" was read. After a catalogue
    question about one brief ("Who wrote the defi report?"), "they" are its authors (``they_the_authors``).

    Otherwise a reference to an entity of the last turn ("they", "he", "that ruling", "the agency",
    "there") is named by ``answer.antecedents.resolve`` from the last question and its answer, with
    or without a chat model: one rule, so both backends search the same question for it. Only what
    it leaves is condensed by the model or by carrying the last turn's terms.

    ``stays``: the caller keeps the follow-up on the briefs the last turn read (``stays_on_briefs``). Such a
    question that refers back (``answer.catalogue.refers_back``) or leans on the last turn for its subject
    (``leans_for_subject``: it names none, or ranks) is searched with the last turn's topic carried offline,
    even with no pronoun ("Which country holds the most?", "What changed in April 2026?", "Which mission area
    has the largest percentage cut?" after the USGS budget request) or with a name beside its pronoun
    ("What did Congress change about it in 2025?"): kept on the briefs but searched with its bare words,
    it matched their sentences on "changed" or "2025" alone. One naming its own subject is searched as
    asked ("Since when has the Bradley been in service?" after a question on the XM-30).
    A fact question referring to them in the plural ("Which regions claimed each one most?" after a
    comparison of two briefs) asks about their subject, not about the briefs as documents, so it is
    condensed too; so is one after a turn that read one brief but asked about several things ("When does
    each one take place?" after "What are the Artemis II and Artemis III missions?"), a catalogue question
    aside ("they" are its authors)."""
    question = question.strip()
    if not history:
        return question
    last = history[-1]
    previous = last.standalone or last.question
    resolution = resolve(question, previous, last.answer)
    if resolution is None and bound_in_question(question):
        # "What is the Army planning for the M-1E3 tank, and when will they field it?": every pronoun stands
        # for a phrase of the question itself, which is complete on its own; nothing of the last turn goes in
        return question
    if resolution is not None and len(last.briefs) == 1 and _PERSONS.search(question) \
            and not refers_back(previous) and classify(previous) not in ("summary", "catalogue", "comparison"):
        # "What were they open to strengthening?" after "Who urged FDA ...?" (a recommendations question
        # about one brief): "they" are the people its answer names, not the one brief
        return resolution.question
    # "Which regions claimed each one most?" after a comparison of the two credits' briefs: "each one", "they",
    # "both" in a fact question kept on the briefs stand for what they are about, not for the briefs as documents
    # kept on the last turn's briefs and leaning on it for its subject: referring back to it, or naming none
    stays = stays and (bool(refers_back(question, follow_up=True)) or leans_for_subject(question))
    about_their_subject = stays and refers_back(question) == "all" and classify(question) == "fact" \
        and classify(previous) != "catalogue"
    if last.briefs and refers_back(question) and not about_their_subject and (
            len(last.briefs) > 1 or classify(previous) != "fact" or classify(question) == "catalogue"
            # "What oversight questions does it raise for Congress?" after a fact question: "it" advising is the brief
            or (classify(question) == "recommendations" and _IT_THE_BRIEF.search(question) is not None)):
        # "Who wrote it?" after a comparison: the briefs are carried as the turn's briefs (and "it"
        # asks which of them); carrying the last question's words would name all of them again.
        # After a question about a brief as a whole (who wrote it, a summary), its words are not a
        # topic: "When was it published?" after "Who wrote it?" is not about "wrote". A question about
        # a document ("Who wrote it?", a catalogue question) asks it of the brief the last turn read,
        # whatever that turn asked: after a fact question its words are no topic either.
        if len(last.briefs) == 1 and classify(previous) == "catalogue":
            question = they_the_authors(question)
        title = titles.get(last.briefs[0], "") if titles and len(last.briefs) == 1 else ""
        return name_the_brief(question, title) if title else question
    if resolution is not None:
        return resolution.question
    if model is not None:
        return condense_with_model(model, question, history)
    # Carried: what the last question was about, not its words for documents or for the kind of answer
    # ("recommend", "brief"), which would pull a fact follow-up towards advice and other briefs.
    # A follow-up asking a question of its own replaces what the last one asked in a clause of its own
    # ("... and how much is it per ton?"): its subject is carried, not that clause (``asked_clause_cut``).
    own = _QUESTION_START.search(question) is not None
    earlier = [subject_carried(t.standalone or t.question) for t in history]
    return condense_offline(question, [asked_clause_cut(q) if own else q for q in earlier], topic=topic_of, leans=stays)


def subject_carried(standalone: str) -> str:
    """What a follow-up carries of an earlier standalone question (a heuristic): the question as searched, or,
    when its own words took their subject from the question it carried in brackets (``leans_for_subject``: an
    event or a ranking asked of it; ``retrieval.query.split_carried``), that question. "What about the Supreme
    Court?" after "Which account has the biggest percentage increase? (How much discretionary funding does the
    judiciary request for FY2027)" asks about the judiciary's request for the Court, not which of its accounts
    ranks first: carried, the ranking had it refused."""
    head, carried = split_carried(standalone.strip())
    return carried[1:-1].strip() if carried and leans_for_subject(head) else standalone


def leans_for_subject(question: str) -> bool:
    """Whether a follow-up kept on the last turn's briefs takes its subject from that turn (a heuristic): it names
    none of its own (``names_no_subject``), or it ranks with a superlative (``_RANKING_TERMS``), which ranks what
    the last turn measured ("Which mission area has the largest percentage cut?" after the USGS budget request:
    the mission areas' funding in that request)."""
    return names_no_subject(question) or bool(set(tokenize([question])[0]) & _RANKING_TERMS)


# A question word opening a clause inside a question: "... and how much is it per ton?", "differ in how many".
_INNER_CLAUSE = re.compile(r"(?:\s+(?:and|or|but))?[\s,;]+(?:how|what|which|who|whom|whose|when|where|why)\b.*$",
                           re.IGNORECASE | re.DOTALL)


def asked_clause_cut(question: str) -> str:
    """``question`` without a clause that asks something of its subject after it (a heuristic): "What is the
    IRA methane emissions charge and how much is it per ton?" -> "What is the IRA methane emissions charge";
    "How do the IRA Energy Efficient Home Improvement Credit and the Residential Clean Energy Credit differ
    in how many taxpayers claimed them and what they cost?" -> "How do ... Credit differ in". Unchanged when
    it has no such clause or nothing would be left of its own words but the question word."""
    head = question.strip()
    cut = _INNER_CLAUSE.sub("", head[1:])
    kept = (head[:1] + cut).rstrip(" ,;:")  # "... for the Legacy Restoration Fund," shown without its comma
    return kept if len(kept.split()) > 2 and kept != head[:1] else head


def stays_on_briefs(question: str, brief_terms: frozenset[str] | set[str], titles: Sequence[str] = ()) -> bool:
    """Whether a follow-up that names no brief is asked first of the briefs the last turn read rather than
    of the whole collection (a heuristic), as a conversational search tool keeps a conversation on its sources.

    ``question`` is the follow-up as asked; ``brief_terms`` are the stemmed terms of those briefs (title and
    every passage: ``answer.assistant.Assistant.brief_terms``, unioned). True when it refers back to them or
    to what they said ("What did Congress change about it in 2025?", "Which regions claimed each one most?":
    ``answer.catalogue.refers_back``, ``retrieval.query.is_follow_up``), or names their subject by a definite
    description of their ``titles``' words ("Lay out how the charge got pushed back" after the methane emissions
    charge report: ``answer.catalogue.names_their_subject``), or when it brings no new subject:
    every term of it (``retrieval.keyword.tokenize``: stemmed, stop words out) is a term of those briefs,
    words that ask what happened aside (``_EVENT_TERMS``: "What happened in July 2022?" after a question on
    the Amphibious Combat Vehicle, whose brief writes "July" and "2022"), superlatives that rank what the
    last turn measured (``_RANKING_TERMS``: "Who waited the longest?") and the names of units a brief writes as
    symbols (``_SYMBOL_UNIT_TERMS``: "Which account has the biggest percentage increase?" after the judiciary's
    budget request, whose brief writes "an increase of 94.2%", never "percentage") and words for which way a
    figure moved (``_MOVE_TERMS``: "cut" of a brief that writes "a reduction"). A term they lack ("What is
    the population of Japan?" after the methane charge) is a new subject: False, the whole collection is asked.

    Decided from the words alone, before anything is answered; what is done when those briefs do not
    answer is ``answer.assistant.Assistant._beyond_conversation``'s.
    """
    if refers_back(question, follow_up=True) or is_follow_up(question) or names_their_subject(question, titles):
        return True
    return set(tokenize([question])[0]) - _NO_SUBJECT_TERMS <= set(brief_terms)


# Words that ask for what happened rather than name a subject ("What happened in July 2022?", "What changed
# since then?", "What is new?"): a brief need not write them to be asked (a closed list, a heuristic).
_EVENT_TERMS = frozenset(tokenize(["happen happened happens occur occurred occurs change changed changes new next "
                                   "latest recent recently update updated"])[0])
# Superlatives that ask which of what the last turn measured ranks first ("Who waited the longest?" after the
# average days from nomination to a Senate vote, whose brief writes "the greatest number of days"): a ranking
# asked of the subject already in the conversation, not a new subject (a closed list, a heuristic).
_RANKING_TERMS = frozenset(tokenize([RANKING_WORDS])[0])
# Names of the units a brief writes as symbols ("94.2%", "$37.1 million"): the keyword index keeps
# no symbol, so a brief's terms lack the word a question names the unit by, though the brief gives the figures
# (a closed list, a heuristic).
_SYMBOL_UNIT_TERMS = frozenset(tokenize(["percent percentage percentages dollar dollars"])[0])
# Words that say which way a figure moved ("the largest percentage cut" after the USGS budget request, whose brief
# writes "would decrease" and "a reduction", never "cut"): they ask how what the last turn measured changed, as
# ``_EVENT_TERMS`` ask what happened (``answer.ranking``'s lists).
_MOVE_TERMS = frozenset(tokenize([f"{RISE_WORDS} {FALL_WORDS}"])[0])
# Terms that name no subject of a follow-up's own (``stays_on_briefs``, ``names_no_subject``).
_NO_SUBJECT_TERMS = _EVENT_TERMS | _RANKING_TERMS | _SYMBOL_UNIT_TERMS | _MOVE_TERMS


_MONTHS = frozenset("january february march april may june july august september october november december".split())
_MONTH_TERMS = frozenset(tokenize([" ".join(_MONTHS)])[0])
_YEAR = re.compile(r"(?:19|20)\d\d")


def names_no_subject(question: str) -> bool:
    """Whether ``question`` names no subject of its own (a heuristic): no capitalised name but a month
    (``retrieval.query.entities``), and at most two terms (``retrieval.keyword.tokenize``) besides years,
    months, words that ask what happened (``_EVENT_TERMS``), superlatives (``_RANKING_TERMS``) and units written
    as symbols (``_SYMBOL_UNIT_TERMS``): "Who waited the longest?", "What changed in April 2026?", "Which
    country holds the most?", "Which account has the biggest percentage increase?"; not "Since when has the
    Bradley been in service?" nor "What is the combined annual limit in 2026?"."""
    if any(name.lower() not in _MONTHS for name in entities(question)):
        return False
    terms = set(tokenize([question])[0]) - _NO_SUBJECT_TERMS - _MONTH_TERMS
    return len([t for t in terms if not _YEAR.fullmatch(t)]) <= 2


_PERSONS = re.compile(r"\b(?:he|she|him|his|her|they|them|their)\b", re.IGNORECASE)

# What a document, or its authors, do: "does it recommend", "what risks do they identify".
_WRITER_VERBS = (r"(?:recommend|say|argue|propose|suggest|conclude|cover|discuss|describe|mention|find|claim|call|"
                 r"advise|urge|note|report|examine|address|set out|give|offer|list|identify|explain|expect|estimate|"
                 r"warn|raise)")
# "it" as the brief: the subject of what a document does ("does it recommend", "did it find").
_IT_THE_BRIEF = re.compile(rf"\b(?:does|did|do|will|would|can|could)\s+(?P<it>it)\s+{_WRITER_VERBS}\b", re.IGNORECASE)
_IT = re.compile(r"\bit\b", re.IGNORECASE)


def name_the_brief(question: str, title: str) -> str:
    """``question`` with its "it" named, when "it" is the one brief the last turn read (a heuristic).

    "What does it recommend Congress do?" -> "What does “<title>” recommend Congress do?" (the brief
    itself); "Who has sued over it?" -> "Who has sued over the <subject>?", the subject being the
    title before its colon ("ESA “God Squad” Exemption for Gulf Oil and Gas Activities"): after a
    summary "it" is what the brief is about, not the last noun of its answer. Kept as asked: a
    question about the brief as a document ("When was it published?", a catalogue question), one
    with no single "it", and one whose kind the name would change (a title holding "Overview").
    """
    if classify(question) == "catalogue" or len(_IT.findall(question)) != 1:
        return question
    document = _IT_THE_BRIEF.search(question)
    if document:
        named = f"{question[:document.start('it')]}“{title}”{question[document.end('it'):]}"
    else:
        subject = title.split(":")[0].strip()
        if not re.match(r"(?:the|a|an)\b", subject, re.IGNORECASE):
            subject = f"the {subject}"
        named = _IT.sub(lambda _: subject, question, count=1)
    return named if classify(named) == classify(question) else question


_THEY_PEOPLE = re.compile(r"\b(?:(?P<their>their)|they|them)\b", re.IGNORECASE)
# "they" as the authors: the subject of what writers do ("do they identify", "they recommend"), not of what
# the brief's subject does ("when will they field it": a program's makers, not its authors).
_THEY_WRITE = re.compile(rf"\bthey\s+(?:(?:do|did|also|not|still)\s+)*{_WRITER_VERBS}|"
                         rf"\b(?:do|did|does|will|would|can|could)\s+they\s+(?:also\s+|not\s+)?{_WRITER_VERBS}",
                         re.IGNORECASE)


def they_the_authors(question: str) -> str:
    """``question`` with "they" read as the authors of the one brief a catalogue question asked about (a
    heuristic): "What risks do they identify for consumers?" after "Who wrote the defi report?" -> "What
    risks do the authors identify for consumers?", which ``answer.catalogue.resolve_briefs`` reads as that
    brief ("the authors", as after any question about one brief). Kept as asked: a catalogue question
    itself ("When were they published?": "they" is the brief), one whose "they" does nothing a writer does
    ("When will they field it?": ``_WRITER_VERBS``) and one whose kind the words would change."""
    if classify(question) == "catalogue" or not _THEY_WRITE.search(question):
        return question
    named = _THEY_PEOPLE.sub(lambda m: "the authors’" if m.group("their") else "the authors", question)
    return named if classify(named) == classify(question) else question


# -- elliptic follow-ups: "In 2022?", "Only the 2022 figure, please.", "And for Japan?" ---------
_QUESTION_START = re.compile(
    r"^\s*(?:who|whom|whose|what|which|when|where|why|how|is|are|was|were|do|does|did|can|could|should|would|will|"
    r"has|have|had|may|might|must|tell|describe|explain|summari[sz]e|compare|list|give|show|name)\b", re.IGNORECASE)
_POLITE = re.compile(r"\b(?:please|only|just|and|also|then|so|ok|okay|thanks|thank you)\b|[,.!?;:]", re.IGNORECASE)
_FIGURE_WORDS = re.compile(r"\b(?:the|a|an|figure|figures|number|numbers|amount|value|one|part)\b", re.IGNORECASE)
_PREPOSITION = re.compile(r"^\s*(?:in|for|at|during|on|by|since|before|after|from|until|between|under|over|about|among|amongst"
                          r"|within|across|excluding|including)\b",
                          re.IGNORECASE)
_YEARS = re.compile(r"\b(?:19|20)\d\d\b")
_YEAR_PHRASE = re.compile(r"\s*\b(?:in|for|during|of|since)?\s*(?:the\s+)?(?:fiscal\s+year|FY|year)?\s*(?:19|20)\d\d\b",
                          re.IGNORECASE)
ELLIPTIC_MAX_WORDS = 7


def is_elliptic(question: str) -> bool:
    """Whether ``question`` is a fragment that only makes sense as a variation of the previous one.

    "In 2022?", "Only the 2022 figure, please.", "And for Japan?": short (at most
    ``ELLIPTIC_MAX_WORDS`` words), and opening with neither a question word nor a verb.
    """
    words = question.split()
    return 0 < len(words) <= ELLIPTIC_MAX_WORDS and not _QUESTION_START.search(question)


def merge_elliptic(question: str, previous: str) -> str:
    """The previous standalone question varied by the fragment: "How much did X disburse?" + "In 2022?"
    -> "How much did X disburse in 2022?"; "Only the 2022 figure, please." -> "... in 2022?". When the previous
    question carried an earlier one in brackets ("Who waited the longest? (How long did it take ...?)"), the
    fragment varies the question, not the bracket: "And among the current Justices?" -> "Who waited the longest
    among the current Justices? (How long did it take ...?)" (a trial showed "... (How long ...?) (among the
    current Justices)?")."""
    head, carried = split_carried(previous.strip())
    if carried:
        if _YEARS.search(question):  # "In 2023?": the new year replaces the old in the bracket too
            carried = re.sub(r"\s+(?=[?!.)])", "", " ".join(_YEAR_PHRASE.sub(" ", carried).split()).replace("( ", "("))
        return f"{merge_elliptic(question, head).rstrip()} {carried}"
    base = previous.strip().rstrip("?.! ")
    fragment = " ".join(_POLITE.sub(" ", question).split())
    named, before = YEAR_BRIEF.search(fragment), YEAR_BRIEF.search(base)
    if named and before:  # a brief named by its year replaces the one before: "And the 2024 brief?" after "What does the 2017 brief say about THAAD?"
        return f"{base[:before.start()]}{named.group()}{base[before.end():]}?"
    if _YEARS.search(fragment):  # "In 2023?" after "... in fiscal year 2025?": the new year replaces the old
        base = " ".join(_YEAR_PHRASE.sub(" ", base).split())
    if _PREPOSITION.match(fragment):
        return f"{base} {fragment[0].lower()}{fragment[1:]}?"
    years = _YEARS.findall(fragment)
    rest = " ".join(_FIGURE_WORDS.sub(" ", _YEARS.sub(" ", fragment)).split())
    if years and not rest:
        return f"{base} in {' and '.join(years)}?"
    return f"{base} ({fragment})?" if fragment else f"{base}?"
