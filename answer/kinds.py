"""Question kinds, recognised offline by the phrasings listed here (a rule-based heuristic).

Each kind has its own retrieval plan and answer shape (``answer.plans``):

| kind | phrasings it covers (examples) | shape |
|---|---|---|
| ``catalogue`` | "Who wrote the report on X?", "When was it published?", "Which briefs discuss Y?", "What reports mention Y?", "Which reports in the collection discuss Y?", "Which reports did <author> write?", "the reports by <author>", "<author>'s reports" (``answer.catalogue.asked_author``, ``topic_asked``), "What is the title of ...", "What series is ... in?", "List the briefs", "Which brief is the newest / oldest?", "Which of the briefs was published most recently?", "When was the latest brief published?" ("Which of them is the most recent?" after a catalogue answer: ``answer.assistant._kind``) | bullets from metadata |
| ``comparison`` | "Compare ...", "How do the two briefs differ on X?", "What do both briefs say about X?", "How did the view of X change between 2017 and 2024?", "X versus Y", "similarities/differences", "Does A square with B?", "Is A consistent with B?", "Does A line up with B?", "Is A at odds with B?" ("the different types of X" enumerates: a list) | one section per brief, then shared / different points |
| ``summary`` | "Summarize ...", "Give me a summary / an overview of ...", "What are the main points / key takeaways / key findings of ...", "What is this brief about?", "What is the In Focus on X about?", "TL;DR", "What does the brief argue overall?", "What does the report conclude?", "What are its conclusions?", "What's the bottom line of ...?", "Brief me on ...", "Give me the rundown on ...", "Fill me in on ...", "the highlights", "the main issues in the report on X" (a document's issues; "the main issues for Congress" are its options) | bullets |
| ``recommendations`` | "What does the author recommend / advise / propose / urge?", "What should Washington do?", "What are the brief's main arguments?", "What is the author's position / view?", "What options does it give Congress?", "What does the report suggest Congress do?", "What does theory suggest Congress do?", "What issues does it raise for Congress?", "What could Congress do about it?", "How might lawmakers respond?", "What steps can Congress take?" | bullets |
| ``timeline`` | "Timeline of ...", "What happened when ...", "In what order ...", "chronology", "What events does ... describe, in order?", "How did X unfold?", a question ending "..., in order?" / "in chronological order", how something came to pass asked step by step ("Lay out how X got pushed back, step by step", "Walk me through how X was delayed"; not a procedure: "how to apply, step by step") | bullets, oldest first |
| ``list`` | "List ...", "What are the ...s that ...?", "Which countries / programs / measures ...?", "Name the ...", "What are the different types of X?", "What kinds of X ...?", "What services does it offer?" (a plural noun asked of a subject) | bullets |
| ``fact`` | everything else: "How much ...?", "Who is ...?", "What happened to ...?", "Why ...?"; a named person's message or point ("What was Kishida's key message?", "What key point did Colby make?"); what theory, the evidence or the data suggest / argue / propose is so ("What does theory suggest is the lowest plausible rate?", "What does the evidence suggest about X?") | prose |

The order of the rules matters: a catalogue cue wins over a summary cue ("Who wrote the brief
summarised as ...?"), a comparison cue over a summary cue ("Summarize how the two briefs
differ"). A summary cue held by a named person ("Kishida's key message", "the main point
Colby made") asks what that person said, a fact; held by a document or its author ("the
report's key findings", "the author's main points") it stays a summary. "Suggest", "argue" and
"propose" ask for advice or a position only when the brief, its author, "it"/"they" or a named
person is the subject ("What does the report suggest?", "What did Colby argue about ...?") or
when an action is asked for ("suggest Congress do", "suggest doing"); with another subject and a
claim after the verb ("What does theory suggest is X?", "What do the data suggest about Y?") the
question asks what is so, a fact. Arguments, a position or claims owned by a party the brief reports
("the arguments of the plaintiffs", "the challengers' position", "What did the petitioners argue?")
ask what that party argues, a fact; the brief's or its author's stay a position.
"""

from __future__ import annotations

import re

from answer.catalogue import IN_COLLECTION, asked_author, topic_asked

KINDS = ("fact", "summary", "recommendations", "comparison", "list", "timeline", "catalogue")

_DOC = r"(?:brief|briefs|report|reports|article|articles|paper|papers|piece|insight|sidebar|document|documents)"

# Words for the newest or oldest brief ("the latest report", "published most recently", "came out first").
_END = (r"(?:newest|latest|most\s+recent(?:ly)?|(?:the\s+)?last|oldest|earliest|least\s+recent(?:ly)?|(?:the\s+)?first"
        r"|(?:most\s+)?recently)")

_CATALOGUE = re.compile(
    rf"^\s*(?:who\s+(?:wrote|authored|is the author of|are the authors of|published)\b"
    rf"|when\s+(?:was|were)\s+(?:it|this|that|they|.{{0,80}}?\b{_DOC}\b.{{0,80}}?)\s*(?:published|written|released|issued|updated|dated)\b"
    rf"|what\s+(?:is|was)\s+the\s+(?:title|date|publication date|series|author)\s+of"
    rf"|which\s+(?:{_DOC})\s+(?:discuss|cover|mention|deal with|address|talk about|are about|is about|are|were)"
    rf"|(?:list|show|name)\s+(?:all\s+|the\s+)*(?:{_DOC})\b"
    rf"|what\s+(?:{_DOC})\s+(?:do you have|are (?:there|available|indexed|stored))"
    rf"|(?:in\s+)?what\s+series\b"
    rf"|how many\s+{_DOC}\b"
    # "Which of the briefs was published most recently?", "Which brief is the oldest?", "What is the earliest
    # report in the collection?": the newest or oldest brief asked for itself (not "What does the latest report
    # say?", which asks something of that brief)
    rf"|(?=[^?]*\b{_DOC}\b)(?:which|what)(?:\s+of\s+(?:the|these|your)\s+{_DOC}|\s+{_DOC}|\s+one)?\s+(?:is|was|are|were|came out|got published)"
    rf"\b[^?]{{0,40}}?\b{_END}\s*(?:{_DOC}|one)?\s*(?:{IN_COLLECTION}|(?:in|of|among)\s+(?:the|this|your)\s+{_DOC})?"
    r"\s*[?.!]*\s*$)",
    re.IGNORECASE)
# A change over time ("How did the view of X change between 2017 and 2024?"): a comparison across the briefs
# dated then, or, where fewer than two briefs are compared, a question about one brief (``asks_change_only``).
_CHANGE = r"how (?:has|have|did|does) .{0,60}\bchange|changed between|evolve|evolved"
# "different" contrasts, except in "the different types of X" (which enumerates: a list); "Does A square with B?",
# "Is A consistent with B?", "Does A line up with B?", "Is A at odds with B?" set two things side by side.
_ENUMERATING = r"(?:types?|kinds?|sorts?|forms?|categories|classes)\s+of\b"
_CONTRAST = (r"compare|compared|comparison|contrast|versus|vs\.?|differ(?:s|ed)?\b|differences?"
             rf"|different(?!\s+{_ENUMERATING})|similarit(?:y|ies)"
             r"|squares?\s+with|(?:in)?consistent\s+with|lines?\s+up\s+with|at\s+odds\s+with"
             r"|in common|(?:do|did|does) (?:they|both|the two \w+|the briefs|the reports) (?:agree|disagree)"
             r"|what do (?:both|the two) \w+ share"
             r"|both\s+(?:briefs|reports|articles|papers|documents)\b.*\b(?:say|see|view|describe|treat|discuss)")
_COMPARISON = re.compile(rf"\b(?:{_CONTRAST}|{_CHANGE})", re.IGNORECASE)
_CHANGE_CUE = re.compile(rf"\b(?:{_CHANGE})", re.IGNORECASE)
_CONTRAST_CUE = re.compile(rf"\b(?:{_CONTRAST})", re.IGNORECASE)


def asks_change_only(question: str) -> bool:
    """Whether a comparison question is one only by asking how something changed ("How did the standard
    deduction change between 2017 and 2018?"), with no cue that sets briefs side by side ("compare",
    "differ", "both briefs"). Where fewer than two briefs are compared (the years are not the briefs'
    dates, ``answer.catalogue.resolve_briefs``), such a question asks about the change within one brief,
    a fact question over it (``answer.plans.Planner.plan``), never a refused comparison."""
    return bool(_CHANGE_CUE.search(question)) and not _CONTRAST_CUE.search(question)


def asks_change(question: str) -> bool:
    """Whether the question asks how something changed ("How did X change ...?", "How has X evolved?")."""
    return bool(_CHANGE_CUE.search(question))
_SUMMARY = re.compile(
    r"\b(?:summar(?:y|ise|ize|ised|ized|ising|izing)|overview|tl;?dr|gist|in a nutshell|recap"
    r"|main (?:points?|ideas?|themes?|messages?|findings?|takeaways?)|key (?:points?|takeaways?|findings?|messages?|themes?|ideas?)"
    r"|takeaways?|what (?:is|'s) (?:this|the|that)\s+\w*\s*(?:brief|report|article|paper|piece|insight)\s+about"
    # how analysts ask for the gist: "What's the bottom line of ...?", "Brief me on ...", "Give me the rundown on ...",
    # "Fill me in on ...", "Catch me up on ...", "the big picture", "the highlights of ..."
    r"|bottom[- ]line|rundown|big picture|highlights|^\W*(?:please\s+)?(?:brief|fill|catch)\s+me\s+(?:in\s+|up\s+)?(?:on|about)"
    # the main issues of a document ("the main issues in the CRS report on X"), not issues put to Congress
    # ("What issues does it raise for Congress?", a recommendations question) nor a subject's issues
    rf"|(?:main|key|major|principal|central)\s+issues\s+(?:in|of|raised\s+(?:in|by)|covered\s+(?:in|by)|discussed\s+in)"
    rf"\s+(?:the|this|that|its|crs['’]s?)\s+(?:[\w'’-]+\s+){{0,3}}?{_DOC}\b(?![^?]*\bfor\s+(?:congress|policymakers|lawmakers))"
    # "What does the report conclude?", "its conclusions": what it finds, read from its own
    # Summary / Conclusion first, as a summary is (a CRS report has no recommendation to give)
    r"|conclu(?:de|des|ded|sions?)"
    r"|what (?:is|'s) (?:it) about|what does (?:it|this|the \w+) cover"
    # "What is the In Focus on bank capital about?": a brief named by series and topic, asked what it is about
    r"|^\s*what (?:is|'s|was) (?:this|the|that)\s+(?:[\w-]+\s+){0,2}(?:brief|report|article|paper|piece|insight|sidebar|in focus)"
    r"\b.{0,120}\babout(?=\s*\?*\s*$))\b",
    re.IGNORECASE)
# A summary cue whose owner is a named person: "Kishida's key message", "What key point did Colby
# make?", "the main message Yoon gave". A capitalised possessor that is a word for a document or its
# author ("The report's key points", "CRS's overview") is not a person.
_CUE = r"(?:key|main|central|core|chief)\s+(?:points?|messages?|takeaways?|ideas?|themes?)"
_NOT_PERSON = (r"(?!(?i:the|this|that|its|their|crs|brief|briefs|report|reports|article|paper|piece|insight|sidebar|"
               r"document|author|authors|writer|study)\b)")
_PERSON_OWNED = re.compile(
    rf"\b{_NOT_PERSON}[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*['’]s?\s+{_CUE}\b"
    rf"|\b{_CUE}\s+(?:did|does|do|was|were|that|which)?\s*{_NOT_PERSON}[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*\s+"
    r"(?:make|made|makes|give|gave|gives|deliver|delivered|delivers|convey|conveyed|conveys|send|sent|sends|stress"
    r"|stressed|stresses|emphasi[sz]e|emphasi[sz]ed|emphasi[sz]es)\b")
_RECOMMENDATIONS = re.compile(
    r"\b(?:recommend\w*|advis\w*|advice|propos\w*|suggest\w*|urge[sd]?|prescri\w*|call(?:s|ed)? for|policy options?"
    r"|options for congress|what (?:policy |legislative )?options|options\b.{0,80}\b(?:congress|policymakers|lawmakers)"
    # CRS's "Issues for Congress" / "Considerations for Policymakers" sections ("What issues does that raise for Congress?")
    # (asked for, not a title's words: "What does the Highway Bridges: ... and Issues for Congress report say?" stays a fact)
    r"|(?:what|which)\s+(?:[\w-]+\s+){0,3}(?:issues|considerations|questions)\b[^?]{0,200}\bfor (?:congress|policymakers|lawmakers)"
    r"|what should|should (?:washington|congress|the united states|the u\.s\.|policymakers|\w+) do"
    # what a legislature could do, asked of its options ("What could Congress do about it?", "How might lawmakers
    # respond?", "What steps can Congress take?", "Congress's options")
    r"|(?:what|how)\s+(?:(?:steps|actions?|measures)\s+)?(?:could|can|might|may|would)\s+(?:congress|lawmakers|legislators|policymakers"
    r"|members(?:\s+of\s+congress)?)\s+(?:do|take|respond|act|address|pursue)"
    r"|(?:congress|lawmakers|policymakers)(?:['’]s?)?\s+options"
    r"|arguments?|argue[sd]?|position|stance|view on|the author'?s (?:view|take|opinion))\b",
    re.IGNORECASE)
# "What does theory suggest is X?": a claim verb whose subject is neither the brief, its author, a
# pronoun nor a named person, followed by what is claimed (not by an action asked for).
_CLAIM_VERB = r"(?:suggest|suggests|suggested|argue|argues|argued|propose|proposes|proposed)"
_CLAIM_ASKED = re.compile(
    rf"^\s*(?:what|which\s+\w+|how\s+\w+)\s+(?:does|do|did)\s+(?P<subject>[^?]{{1,60}}?)\s+(?P<verb>{_CLAIM_VERB})"
    r"\s+(?:is|are|was|were|will|would|could|about|regarding|on)\b", re.IGNORECASE)
_ADVISOR = re.compile(
    rf"^(?:it|this|that|they|he|she|crs|(?:the|this|that|its|their)\s+(?:authors?|writers?)"
    rf"|(?:the|this|that|these|those)\b.*\b{_DOC}|[A-Z].*)$")
_ACTION_ASKED = re.compile(r"\b(?:do|doing|take|act|adopt|consider)\b", re.IGNORECASE)


def _claim_span(text: str) -> tuple[int, int] | None:
    """The span of a "suggest"/"argue"/"propose" that asks what is so, not for advice (None if none)."""
    match = _CLAIM_ASKED.search(text)
    if match is None or _ADVISOR.match(match.group("subject")) or _ACTION_ASKED.search(text[match.end("verb"):]):
        return None
    return match.span("verb")


# Arguments, a position or claims owned by a party the brief reports, not by the brief or its author: "the
# arguments of the plaintiffs", "the challengers' position", "What do the plaintiffs argue?" ask what that
# party argues, a fact (a newcomer's trial got "What are the arguments of the plaintiffs ...?" answered as
# a recommendations question). The brief's or its author's arguments stay a position ("What are the
# brief's main arguments?"), as does a named person's argument asked with a verb ("What did Colby argue?").
_OWNER = rf"(?!(?i:the|this|that|its|their|his|her|crs|{_DOC}|authors?|writers?|it|they|he|she)\b)"
_ARGUMENT = r"(?:arguments?|positions?|stances?|claims?|contentions?|allegations?)"
_PARTY = (r"(?:plaintiffs?|petitioners?|challengers?|defendants?|respondents?|appellants?|appellees?|parties|litigants"
          r"|complainants?|claimants?|applicants?|intervenors?|the (?:state|states|government|agency|court|courts))")
_PARTY_ARGUMENT = re.compile(
    rf"\b(?:main\s+|key\s+|central\s+)?{_ARGUMENT}\s+(?:of|by|made by|raised by|from)\s+(?:the\s+|these\s+|those\s+)?{_OWNER}\w+"
    rf"|\b(?:the\s+)?{_OWNER}[\w-]+(?:['’]s|s['’])\s+(?:main\s+|key\s+|central\s+)?{_ARGUMENT}"
    rf"|\b(?:do|did|does)\s+(?:the\s+)?{_PARTY}\b[^?]{{0,60}}?\b(?:argue|contend|claim|assert|allege|maintain)\b",
    re.IGNORECASE)
_TIMELINE = re.compile(
    r"\b(?:timeline|chronolog\w*|in (?:what|which) order|sequence of events|what happened (?:when|over time|since|between)"
    r"|how did .{0,40}\bunfold|key dates|dated events|events .{0,30}\bin order|history of)\b"
    r"|\bin (?:chronological|date) order\W*$|^\W*what (?:happened|took place)\b.{0,100}\bin order\W*$"
    # how something came to pass, asked step by step ("Lay out how the charge got pushed back, step by step",
    # "Walk me through how the rule was delayed"): past events in order; a procedure ("how to apply, step by
    # step") asks no past event
    r"|(?=.*\b(?:step[- ]by[- ]step|blow[- ]by[- ]blow|walk\s+(?:me|us)\s+through|trace)\b)"
    r"(?=.*\bhow\b[^?]{0,100}?\b(?:got|was|were|came|became|happened|had|has been|have been|did|[a-z]{3,}ed)\b)",
    re.IGNORECASE)
_LIST = re.compile(
    r"^\s*(?:list|name|enumerate|give (?:me )?(?:a list|the list))\b"
    r"|^\s*(?:what|which)\s+(?:are|were)\s+the\s+(?:\w+\s+){0,3}(?:\w+s)\b(?!\s+(?:of|in)\s+(?:this|the)\s+(?:brief|report))"
    r"|^\s*which\s+(?:countries|programs|programmes|measures|options|issues|agencies|bills|states|members|partners|weapons|systems|steps)\b"
    # "What kinds of grants ...?", "What types of hearings ...?"; "What services does it sell?" (things of a plural
    # noun asked of a subject: not "What status does ...", "What basis ...")
    r"|^\s*what\s+(?:types|kinds|sorts|forms|categories)\s+of\b"
    r"|^\s*what\s+(?:[\w-]+\s+){0,2}?[\w-]*[a-hj-rtv-z]s\s+(?:does|do|did|will|would|can|could)\s+(?!not\b)",
    re.IGNORECASE)
_LIST_NOT = re.compile(r"^\s*what\s+(?:are|were)\s+the\s+(?:\w+\s+){0,2}(?:odds|chances|costs?|risks? of|reasons?|effects?|consequences?|implications?)\b",
                       re.IGNORECASE)


def classify(question: str) -> str:
    """The kind of ``question`` (one of ``KINDS``) by the rules in the module docstring."""
    text = question.strip()
    if _CATALOGUE.search(text) or asked_author(text) or topic_asked(text):
        return "catalogue"
    if _COMPARISON.search(text) and not re.search(r"\bshare of\b", text, re.IGNORECASE):
        return "comparison"
    if _SUMMARY.search(text) and not _PERSON_OWNED.search(text):
        return "summary"
    if _TIMELINE.search(text):
        return "timeline"
    claim = _claim_span(text)
    asked = _PARTY_ARGUMENT.sub(" ", text if claim is None else text[:claim[0]] + text[claim[1]:])
    if _RECOMMENDATIONS.search(asked):
        return "recommendations"
    if _LIST.search(text) and not _LIST_NOT.search(text):
        return "list"
    return "fact"
