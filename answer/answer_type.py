"""The expected answer type of a question, and whether a sentence holds an answer of that type.

Classic question answering first decides what kind of thing a question asks for ("When ..." a
date, "How many ..." a count, "Who ..." a person, "Which agency ..." a name) and then accepts
only passages holding a candidate of that type (Moldovan et al., "The Structure and Performance
of an Open-Domain Question Answering System", ACL 2000: answer type and question focus; Li &
Roth, "Learning Question Classifiers", COLING 2002: a coarse answer-type taxonomy). SQuAD 2.0
(Rajpurkar, Jia & Liang, "Know What You Don't Know", ACL 2018) built its unanswerable questions
the way our near-misses are: on the passage's topic, with a plausible answer of the right type
nearby. The check here is a lexical stand-in for that: the expected type must be filled in the
very sentence that would answer, not anywhere around it (the brief's title "FY2027 Budget
Request" does not answer "When would the facilities be decommissioned?").

It is a heuristic, built from regular expressions and small word lists written on the
calibration sets (``bench/data/calibration_*.jsonl``); its error on them is in docs/benchmarks.md.
It cannot tell which of two figures belongs to the question's thing ("six programs and
cooperative research units" answers "How many cooperative research units ...?" for it).
"""

from __future__ import annotations

import re

from retrieval.keyword import tokenize

ANSWER_TYPES = ("date", "count", "money", "percent", "quantity", "person", "agent", "name")

_AUX = frozenset("is are was were be been do does did has have had will would can could should may might must".split())
_BE = frozenset("is are was were".split())
_PREP = frozenset("in on at by for from to of with under into during since before after about over per between as"
                  .split())
_DET = frozenset("the a an this that these those".split())
# Nouns after "what/which" (or "what is the ...") that say which type is asked for; the last one in
# the phrase wins ("the strategy's budget": money).
_NOUNS = {
    "date": "year years date dates month months day days",
    "percent": "percentage percent share rate ratio proportion",
    "count": "number",
    "person": "person people judge judges director directors chair chairman chairwoman secretary mayor governor "
              "president minister official officials owner owners leader leaders ceo commissioner administrator",
    "money": "cost costs price prices fine fines budget budgets fee fees toll tolls salary salaries revenue revenues "
             "funding spending appropriation appropriations amount amounts",
    "name": "country countries company companies agency agencies organization organizations firm firms state states "
            "city cities province provinces nation nations group groups party parties law laws regulator regulators "
            "court courts nonprofit nonprofits institution institutions bank banks",
}
_TYPE_OF_NOUN = {noun: kind for kind, nouns in _NOUNS.items() for noun in nouns.split()}
# "Who" asks for a person or a group (Li & Roth's HUM:ind and HUM:gr): "Who has sued over the exemption?" is
# answered by "the Center for Biological Diversity (CBD) filed suit". It asks for a person's name only with a
# person's role in the question ("Who is the Director of ...?", a ``_NOUNS["person"]`` word) or a verb only a
# person does here (commanding, leading, signing, writing, winning an election).
_PERSON_VERBS = frozenset(("command commands commanded lead leads led head heads headed chair chairs chaired sign signs "
                           "signed write writes wrote co-wrote paint painted win wins won").split())
# "How much did X request/spend/cost ...": money; "how much" otherwise: any quantity.
_MONEY_WORDS = frozenset(("cost costs price fine budget fee toll salary revenue revenues funding fund funds spending "
                          "spend spent pay paid lend lent loan loans invest invested investment request requested "
                          "appropriation appropriations save savings worth").split())
_QUESTION = re.compile(r"^\W*(?:(?:in|on|at|by|for|from|to|of|with|under|since|until)\s+)?"
                       r"(who|whom|whose|when|how\s+(?:many|much|long|far|often|old)|what|which)\b\s*(.*)$",
                       re.IGNORECASE | re.DOTALL)
_WORDS = re.compile(r"[\w’'.$%-]+")


def answer_type(question: str) -> tuple[str, str]:
    """(the answer type ``question`` asks for, the noun that says so in a "which/what NOUN" question).

    The type is one of ``ANSWER_TYPES`` or "" (not recognised: "What did X say?", "Why ...?"):
    who/whom/whose -> agent (a person or a group), or person with a person's role or verb in the
    question ("Who is the Director ...", "Who signed ..."); when -> date; how many -> count; how much -> money with a word for
    money in the question (cost, request, fund ...), else quantity; how long/far/often/old ->
    quantity; "which/what NOUN ..." and "what is the NOUN ..." -> the type of the last type noun in
    the noun phrase (year: date, rate/share: percent, judge/director: person, cost/budget: money,
    agency/country/law: name).
    """
    match = _QUESTION.match(question.strip())
    if not match:
        return "", ""
    wh, rest = " ".join(match.group(1).lower().split()), match.group(2)
    words = _WORDS.findall(rest)
    if wh in ("who", "whom", "whose"):
        asked = [re.sub(r"[’']s$", "", w.lower()).strip(".,") for w in words[:8]]
        personal = any(_TYPE_OF_NOUN.get(w) == "person" or w in _PERSON_VERBS for w in asked)
        return ("person" if personal else "agent"), ""
    if wh == "when":
        return "date", ""
    if wh == "how many":
        return "count", ""
    if wh == "how much":
        lowered = {w.lower() for w in words}
        more = bool(words) and words[0].lower() in ("more", "less")
        return ("money" if lowered & _MONEY_WORDS and not more else "quantity"), ""
    if wh.startswith("how"):
        return "quantity", ""
    if words and words[0].lower() in _BE:  # "What is the unit cost of ...": the phrase after the article
        words = words[1:]
    phrase: list[str] = []
    for word in words:
        lowered = word.lower().strip(".")
        if lowered in _AUX or lowered in _PREP or (lowered in _DET and phrase):
            break
        if lowered not in _DET:
            phrase.append(word)
    for word in reversed(phrase[:5]):
        noun = re.sub(r"[’']s$", "", word.lower())
        if noun in _TYPE_OF_NOUN:
            return _TYPE_OF_NOUN[noun], noun
    return "", ""


_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
SEASONS = ("spring", "summer", "autumn", "fall", "winter")  # the seasons, lower case: a time of year when named
_YEAR = re.compile(r"(?:1[5-9]\d\d|20\d\d)s?|FY\s?\d{2,4}", re.IGNORECASE)
_DATE = re.compile(rf"\b(?:1[5-9]\d\d|20\d\d)s?\b|\bFY\s?\d{{2,4}}\b|\b(?:{_MONTHS})\b|"
                   rf"\b(?:{'|'.join(SEASONS)})\b|\b\d{{1,2}}/\d{{2,4}}\b", re.IGNORECASE)
_NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                 "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
                 "hundreds?|thousands?|millions?|billions?|dozens?")
_COUNT = re.compile(rf"(?<![\w.$])\d[\d,]*(?:\.\d+)?(?!\s*%)(?!\w)|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)
_MONEY = re.compile(r"[$€£¥]\s?\d|\b\d[\d,.]*\s*(?:dollars|euros|yen|pounds)\b|"
                    rf"\b(?:{_NUMBER_WORDS})\s+(?:\w+\s+)?dollars\b", re.IGNORECASE)
_PERCENT = re.compile(r"\d\s?%|\bper\s?cent\b|\bpercentage points?\b", re.IGNORECASE)
_FIGURE = re.compile(rf"\d|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"[A-Z][\w’'.-]*(?:\s+(?:(?:of|the|and)\s+)?[A-Z][\w’'.-]*)*")
# Capitalised words that name nothing: months and days, function words opening a sentence, pronouns.
_NOT_NAME = frozenset((f"{_MONTHS.replace('|', ' ')} monday tuesday wednesday thursday friday saturday sunday "
                       "the a an in on at by for from to of and or but as if under after before since during "
                       "according this that these those some many most all its his her their it he she they we i "
                       "while when where which who what how however also").split())
# Words that make a capitalised sequence an organisation or a program rather than a person.
_ORGANISATION = frozenset(("department service agency administration office bureau survey committee congress senate "
                           "house court act program fund council commission board institute university association "
                           "corporation company inc llc bank system area mission division center centers authority "
                           "states nations union caucus").split())
_OPENS = re.compile(r"(?:^|[.!?:;•\n]\s*|[“\"(\[]\s*)$")
_CITATION = re.compile(r"^(?:U\.?S\.?C|P\.?L|C\.?F\.?R|Stat)\b")
_STATED = re.compile(r"\d[\d,.]*\d|\d")


def names(text: str, question: str = "", *, person: bool = False, agent: bool = False) -> list[str]:
    """The capitalised word sequences of ``text`` that name something ``question`` does not name.

    Months, days, a single capitalised word opening a sentence ("Regulators can ..."), function
    words and legal citations ("U.S.C.", "P.L.") are not names. With ``person``: only sequences of two or more capitalised words, none of them an
    organisation word (Department, Agency, Act, Program ...) or an acronym. With ``agent``: a person's
    name as with ``person``, or an organisation's (a sequence with an organisation word: "U.S. District
    Court", "Center for Biological Diversity"; or an acronym: "CBD", "NFB").
    """
    asked = {t for w in _WORDS.findall(question) for t in tokenize([w])[0]}
    found: list[str] = []
    for match in _CAPITALISED.finditer(text):
        words = match.group().split()
        if _OPENS.search(text[:match.start()]) and len(words) == 1 and not words[0].strip(".,").isupper():
            continue  # a sentence's first word is capitalised by spelling, not because it names something
        words = [w for w in words if w.lower().strip(".,’'") not in _NOT_NAME]
        if not words or _CITATION.match(words[0]):
            continue
        terms = tokenize([" ".join(words)])[0]
        if not terms or set(terms) <= asked:
            continue
        organisation = (any(w.lower().strip(".,") in _ORGANISATION for w in words)
                        or any(w.strip(".,").isupper() and len(w.strip(".,")) > 1 for w in words))
        if person and (len(words) < 2 or organisation):
            continue
        if agent and not organisation and len(words) < 2:
            continue
        found.append(" ".join(words).rstrip(".,"))
    return found


def has_answer_type(kind: str, sentence: str, question: str = "") -> bool:
    """Whether ``sentence`` holds an answer of type ``kind`` that ``question`` does not already state.

    date: a year, fiscal year, month, season or numeric date; count: a number that is not a year,
    an amount of money or a percentage; money: a currency sign or "dollars" with a figure;
    percent: "%" or "percent"; quantity: any figure; person: a name of two or more capitalised
    words that is not an organisation's; agent: a person's name or an organisation's; name: any
    capitalised name (``names``). The numbers the
    question states never count ("How much did X lend in 2025?" is not answered by "in 2025").
    An empty ``kind`` is always filled. Raises ``ValueError`` for an unknown kind.
    """
    if not kind:
        return True
    if kind not in ANSWER_TYPES:
        raise ValueError(f"unknown answer type {kind!r} (expected one of {', '.join(ANSWER_TYPES)})")
    for digits in set(_STATED.findall(question)):
        sentence = re.sub(rf"(?<![\d.,]){re.escape(digits)}(?![\d]|[.,]\d)", " ", sentence)
    if kind == "date":
        return bool(_DATE.search(sentence))
    if kind == "count":
        return any(not _YEAR.fullmatch(m.group()) for m in _COUNT.finditer(sentence))
    if kind == "money":
        return bool(_MONEY.search(sentence))
    if kind == "percent":
        return bool(_PERCENT.search(sentence))
    if kind == "quantity":
        return bool(_FIGURE.search(sentence))
    return bool(names(sentence, question, person=kind == "person", agent=kind == "agent"))
