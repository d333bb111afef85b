"""What a follow-up's pronoun or demonstrative stands for: the noun phrase of the last turn it names.

"Which programs are they enrolled in?" after "Which U.S.-flag vessels were located in the Persian
Gulf in February 2026?" reads "Which programs are the U.S.-flag vessels enrolled in?" (the phrase a
"Which" question asks about, without the rest of that question: its words would find the last
answer's sentence again). The referring expressions handled, and what they can
stand for (agreement in number and in kind):

- "he", "she", "him", "his", "her": a person or an office-holder ("the Commerce Secretary");
- "they", "them", "their": a plural noun phrase ("the two subsidiaries", "FDA and Raw Farm"), else
  an organisation ("the Center for Biological Diversity": "their TRO motion");
- "it", "its": a thing or an organisation, not a person (only when the brief-level rule of
  ``answer.condense`` has not read "it" as the brief);
- "that ruling", "those files", "this agency" (that/this/those/these + noun): a name of the last
  turn holding the noun ("the Jones Act" for "that act"), or the phrase the noun heads there
  ("files stored in a private Google Drive account"), else the noun with the last turn's topic;
- "the agency", "the office", "the farm" (a definite noun for an institution): a name holding the
  noun ("Raw Farm"), or for "the agency" an agency's name or acronym ("NOAA");
- "there": a place the last question put something in or at ("in the Persian Gulf"), or, after a
  "Where" question, the place its answer names.

Candidates come from the last standalone question first (its subject before the other phrases:
the reader's focus), then from the first sentences of its answer (a "Who"/"Which" question's
answer names what the question asked for). Without a parser this is a heuristic over capitalised
names, a few function-word lists and the shape of wh-questions; its measured error rate is in
docs/benchmarks.md ("Follow-ups that name an entity"). ``resolve`` is the one place the rule
lives: both the offline and the chat-model condensing call it first (``answer.condense``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from answer.answer_type import SEASONS
from answer.citations import strip_markers
from retrieval.query import question_clauses

# -- word classes (closed lists of function words; no content-word lexicon) ------------------------
_AUX = {"is", "are", "was", "were", "do", "does", "did", "has", "have", "had", "will", "would", "can", "could",
        "should", "may", "might", "must", "shall"}
_PREP = {"of", "in", "at", "on", "for", "from", "to", "by", "with", "about", "under", "over", "into", "through",
         "between", "against", "during", "since", "within", "across", "near", "before", "after", "until", "upon",
         "among", "without", "beyond", "despite", "toward", "towards", "around"}
_DET = {"the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those", "all", "some", "each"}
_CONJ = {"and", "or", "but", "nor"}
_NUMBERS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "many", "both",
            "most", "other", "certain", "new", "first", "last"}
_WH = {"what", "which", "who", "whom", "whose", "when", "where", "why", "how"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"}
# titles that make a name a person's ("President Trump", "the Secretary of Defense")
_TITLES = {"president", "secretary", "commissioner", "senator", "representative", "judge", "justice", "governor",
           "director", "administrator", "chairman", "chair", "chairwoman", "speaker", "ambassador", "minister",
           "mr.", "ms.", "mrs.", "dr.", "general", "admiral", "prime", "king", "queen"}
# head words that make a name an organisation's, and the ones a public agency's name ends in
_ORGANISATION = {"administration", "agency", "service", "services", "office", "department", "committee", "commission",
                 "company", "corporation", "inc.", "llc", "farm", "court", "circuit", "council", "center", "centre",
                 "bureau", "congress", "caucus", "institute", "university", "association", "coalition", "group",
                 "authority", "board", "organization", "organisation", "senate", "house", "foundation", "party",
                 "government", "ministry", "army", "navy", "force", "club", "alliance", "federation", "society",
                 "league", "network"}
# head words of names that are no person's ("the Jones Act", "the Persian Gulf")
_THINGS = {"act", "order", "agreement", "convention", "treaty", "law", "rule", "bill", "resolution", "zone", "strait",
           "gulf", "sea", "ocean", "river", "island", "islands", "port", "state", "states", "county", "city", "republic",
           "kingdom", "union", "emirates", "biop", "account", "plan", "initiative", "report"}
_AGENCY = {"administration", "agency", "service", "office", "department", "bureau", "commission", "authority"}
# "the agency", "the office": a definite institution noun that points back at a name of the last turn
_INSTITUTION_NOUNS = {"agency", "office", "department", "administration", "bureau", "committee", "commission",
                      "company", "farm", "caucus", "coalition", "organization", "organisation", "court", "service",
                      "council", "authority", "board", "firm", "order", "act", "program", "programme", "fund"}
_NOT_A_NOUN = _AUX | _PREP | _DET | _CONJ | _WH | {"not", "also", "else", "there", "then", "so", "as", "than", "same",
                                                   "one", "ones", "much", "many", "more", "it", "they", "them"}

_TOKEN = re.compile(r"[A-Za-z0-9][\w.'’&-]*[\w’']|[A-Za-z0-9]")
_NAME = re.compile(
    r"(?:\b[Tt]he\s+)?(?:(?:19|20)\d\d\s+(?=[A-Z]))?(?:[A-Z][\w.'’&-]*|[A-Z0-9]+-\d+)(?:\s+(?:(?:of|for|and|the|on|de|du|van|von)\s+)*"
    r"(?:[A-Z][\w.'’&-]*|\d+))*")
_POSSESSIVE_END = re.compile(r"['’]s\b")
_SENTENCE_END = re.compile(r"(?<![A-Z]\.[A-Z]\.)(?<=[.!?])\s+(?=[A-Z“\"(])")  # not after "U.S."


@dataclass(frozen=True)
class Phrase:
    """A noun phrase of the last turn that a follow-up may refer to."""

    text: str  # as written into the question ("the Center for Biological Diversity")
    plural: bool = False
    person: bool = False
    organisation: bool = False
    place: bool = False
    name: bool = False  # a capitalised name (rather than a described common noun)
    head: str = ""  # the noun the phrase is about, lower case ("vessels", "committee")


@dataclass(frozen=True)
class Resolution:
    """A follow-up with its reference named, and what was named."""

    question: str
    named: tuple[tuple[str, Phrase], ...]  # (the follow-up's words, the phrase put in their place), in order


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _bare(name: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", name)


def _clean_name(name: str) -> str:
    name = name.strip().rstrip(",;:'’")
    if name.endswith(".") and name.count(".") == 1:  # a sentence end, not "U.S."
        name = name[:-1]
    words = name.split()
    while words and words[-1].lower() in _CONJ | _PREP | {"the"}:  # "Tonga and" -> "Tonga"
        words = words[:-1]
    return " ".join(words)


def _kind(name: str, *, plural: bool = False, name_like: bool = True, place: bool = False) -> Phrase:
    """A phrase typed by its words: a title makes a person, an organisation's head word or an
    acronym an organisation; a plain two- or three-word name without either is taken for a person."""
    bare = _bare(name)
    words = bare.split()
    lowered = [w.lower().strip(".,'’") for w in words]
    acronym = len(words) == 1 and bool(re.fullmatch(r"[A-Z]{2,}[A-Z0-9]*", words[0]))
    organisation = acronym or any(w in _ORGANISATION for w in lowered)
    titled = lowered[0] in _TITLES or "secretary" in lowered
    person = not organisation and not place and name_like and (titled or (
        2 <= len(words) <= 3 and bare == name and all(w[:1].isupper() for w in words) and not _POSSESSIVE_END.search(bare)
        and not any(w.isdigit() or w in _THINGS for w in lowered)))
    head = _head(lowered) if lowered else ""
    # "Trump Accounts", "Family-to-Family Health Information Centers": a name whose head noun is plural
    # ("they"), not an organisation's or a country's ("the United States" is one)
    plural = plural or (name_like and not organisation and not acronym and head not in _THINGS
                        and head != lowered[0] and _is_plural(head))
    return Phrase(name, plural=plural, person=person and not plural, organisation=organisation, place=place,
                  name=name_like, head=head)


_LIST_OF_NAMES = re.compile(r"(?:(?:[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,3}),\s+)+"
                            r"[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,3},?\s+and\s+[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,3}")


def names(text: str) -> list[Phrase]:
    """Capitalised names in ``text``, in order: "the Center for Biological Diversity", "USA-1 and USA-4"
    (a coordination of names, plural), "NOAA". Question words, months and years are no names."""
    found: list[Phrase] = []
    for listed in _LIST_OF_NAMES.finditer(text):  # "Norland Cargo, Baysea Lines and Tamber Freight": one plural phrase
        words = listed.group().split()
        while words and words[0].lower() in _WH | _AUX | _PREP | _DET:
            words = words[1:]
        found.append(Phrase(" ".join(words), plural=True, name=True, head=words[-1].lower()))
    for match in _NAME.finditer(text):
        raw = _clean_name(match.group())
        words = raw.split()
        while words and (words[0].lower() in _WH | _AUX | _PREP | {"according", "tell", "describe", "list", "name", "and"}
                         or (words[0].lower() in ("the",) and len(words) == 1)):
            words = words[1:]
        if words and words[0].lower() == "the" and len(words) > 1 and words[1].lower() in _WH | _AUX:
            words = words[2:]
        raw = " ".join(words)
        if not raw or _bare(raw).lower().strip(".") in _MONTHS or re.fullmatch(r"(?:the\s+)?\d+", raw, re.I):
            continue
        if len(_bare(raw).split()) == 1 and _bare(raw).lower() in _NOT_A_NOUN | _TITLES:
            continue
        before = text[:match.start()].split()
        place = bool(before) and before[-1].lower() in {"in", "at", "into", "through", "near", "across"}
        parts = [p for p in re.split(r"\s+and\s+", raw) if p]
        if len(parts) > 1 and all(p[:1].isupper() or p.lower().startswith("the ") for p in parts):
            found.append(_kind(raw, plural=True, place=place))
            continue
        found.append(_kind(raw, place=place))
    return found


def _cut_noun_phrase(tokens: list[str]) -> list[str]:
    """The noun phrase that opens ``tokens`` (a heuristic: it ends before an auxiliary, or before a
    lower-case word that follows a plural noun or a name, or at a lower-case word in -s or -ed that
    follows a lower-case noun: "two countries | account for", "company | holds", "bills | would")."""
    kept: list[str] = []
    for i, token in enumerate(tokens):
        low = token.lower()
        if i and low in _AUX | _WH:  # "a Section 408 permission | and how many requests ...": a second question
            break
        if i and token[:1].islower() and low not in _PREP | _DET | _CONJ:
            prev = tokens[i - 1]
            prev_low = prev.lower()
            after_plural = prev[:1].islower() and prev_low.endswith("s") and not prev_low.endswith("ss") \
                and prev_low not in _NUMBERS | _PREP | _DET
            after_name = prev[:1].isupper() and i > 1
            # "company | holds NOAA's licenses": a word in -s is a verb when what follows opens an object
            # (a name, a determiner, a number); "rural hospitals were", "shipping lines use": a plural noun
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            opens_object = not following or following[:1].isupper() or following[:1].isdigit() \
                or following.lower() in _DET | _NUMBERS | _PREP
            verb_form = ((low.endswith("s") and opens_object) or low.endswith("ed")) and prev[:1].islower() \
                and prev_low not in _PREP | _DET | _NUMBERS
            if after_plural or after_name or verb_form:
                break
        kept.append(token)
    while kept and kept[-1].lower() in _PREP | _DET | _CONJ:
        kept.pop()
    return kept


def _head(tokens: list[str]) -> str:
    """The noun a phrase is about, lower case: its last word, or the word before its first preposition
    ("limit" in "the employer contribution limit for Trump Accounts", "subsidiaries" in "two subsidiaries
    of The Metal Company"), so that a pronoun agrees with it in number, not with the last word."""
    for i, token in enumerate(tokens):
        if i and token.lower() in _PREP:
            return tokens[i - 1].lower().strip(",")
    return tokens[-1].lower().strip(",") if tokens else ""


def _is_plural(head: str) -> bool:
    """Whether a head noun is plural by its form (a heuristic: "-s", not "-ss", "-us", "-is")."""
    return head.endswith("s") and not head.endswith(("ss", "us", "is", "'s", "’s")) and len(head) > 3


def _wh_phrase(question: str) -> Phrase | None:
    """"Which two countries account for ...?" -> "the two countries" ("how many requests does ..." -> "the
    requests"): the phrase a "Which/What/How many + noun"
    question asks about. The rest of the question is left out: repeated in the follow-up, its words
    outweighed the follow-up's own and found the last answer's sentence again (measured on the dev set
    and tests/answer/test_entity_followups.py)."""
    match = re.match(r"\s*(?:which|what|how\s+many)\s+(?P<rest>.+?)\s*\??\s*$", question, re.IGNORECASE)
    if not match:
        return None
    tokens = match.group("rest").split()
    if not tokens or tokens[0].lower() in _AUX | _NOT_A_NOUN:
        return None
    noun = _cut_noun_phrase(tokens)
    if not noun or len(noun) == len(tokens):
        return None
    rest = tokens[len(noun):]
    if rest[0].lower() in _AUX and len(rest) > 1 and rest[1][:1].isupper():  # "What tariffs did President Trump impose": an object
        return None
    head = _head(noun)  # "two subsidiaries of The Metal Company": the head precedes "of"
    plural = _is_plural(head)
    text = f"the {' '.join(noun)}"
    return Phrase(text, plural=plural, head=head, organisation=head in _ORGANISATION, person=False)


def _subject(question: str) -> str:
    """The subject of "What did X do ...?" / "When did X ...?": the noun phrase after the auxiliary ("" if none)."""
    match = re.match(r"\s*(?:what|when|why|how|where|which\s+\w+)(?:\s+\w+)?\s+(?:did|does|do|has|have|had|will|would|"
                     r"can|could|is|are|was|were)\s+(?P<rest>.+)$", question, re.IGNORECASE)
    if not match:
        return ""
    return " ".join(_cut_noun_phrase(match.group("rest").rstrip("?").split()))


def _described(text: str, noun: str) -> str:
    """The phrase ``noun`` heads in ``text``: "files stored in a private Google Drive account" for
    "files" (its modifiers before it, and a participle clause after it), "" when ``noun`` is not there."""
    tokens = text.rstrip("?.!").split()
    stems = {noun, noun.rstrip("s"), noun + "s"}
    for i, token in enumerate(tokens):
        if token.lower().strip(",;:'’") not in stems:
            continue
        start = i
        while start > 0 and tokens[start - 1].lower() not in _NOT_A_NOUN | _NUMBERS \
                and not (tokens[start - 1].lower().endswith(("ed", "ing")) and "-" not in tokens[start - 1]) \
                and i - start < 4 \
                and not (tokens[start - 1][:1].islower() and tokens[start - 1].lower() in _AUX):
            start -= 1
        end = i + 1
        if end < len(tokens) and tokens[end].lower().endswith("ed") and tokens[end][:1].islower():
            end = len(tokens)  # "files stored in a private Google Drive account"
        words = tokens[start:end]
        return " ".join(words).rstrip(",;:")
    return ""


def _answer_sentences(answer: str, limit: int = 2) -> list[str]:
    text = strip_markers(answer or "").strip()
    # headings of a bulleted answer ("The author recommends:") and "Reading: ..." lines are no sentences
    lines = [re.sub(r"^\s*(?:[-•*]|\d+\.)\s+", "", line) for line in text.splitlines()]
    text = " ".join(line for line in lines if line.strip() and not line.rstrip().endswith(":")
                    and not re.match(r"(?:Reading|Interpreted as):", line))
    return [s for s in _SENTENCE_END.split(text) if s.strip()][:limit]


def _who_answered(question: str, answer: str) -> Phrase | None:
    """The phrase a "Who V ...?" question's answer puts before V: "some House Members of the
    Congressional Food Safety Caucus" for "Who urged FDA ...?"."""
    match = re.match(r"\s*who\s+(?P<verb>[a-z]+)\b", question, re.IGNORECASE)
    if not match:
        return None
    verb = match.group("verb").lower()
    for sentence in _answer_sentences(answer):
        found = re.search(rf"\b{re.escape(verb)}\b", sentence)
        if not found or found.start() == 0:
            continue
        subject = sentence[:found.start()].strip().rstrip(",")
        words = subject.split()
        if not 0 < len(words) <= 12:
            continue
        if words[0].lower() in _DET | _NUMBERS | {"some", "several"}:
            subject = subject[0].lower() + subject[1:]
        before_prep = next((words[:i] for i, w in enumerate(words) if i and w.lower() in _PREP), words)
        head_word = before_prep[-1].lower()
        plural = " and " in subject or (head_word.endswith("s") and not head_word.endswith("ss"))
        kind = _kind(subject, plural=plural, name_like=subject[:1].isupper())
        return Phrase(subject, plural=plural, person=kind.person, organisation=kind.organisation or not plural,
                      name=False, head=head_word)
    return None


def candidates(previous_question: str, previous_answer: str = "") -> list[Phrase]:
    """Phrases of the last turn a follow-up may refer to, in order of preference: the question's
    subject, the phrase a wh-question asks about, the answer's subject of a "Who" question, the
    question's other names, then the names in the first sentences of the answer."""
    out: list[Phrase] = []
    question_names = names(previous_question)
    subject = _subject(previous_question)
    if subject:
        named = [p for p in question_names if _bare(p.text) in subject]
        if named and len(_bare(named[0].text).split()) >= len(_bare(subject).split()):
            out.append(named[0])  # "the Commerce Secretary", "Raw Farm"
        elif subject[:1].islower() or subject.split()[-1][:1].islower():  # "Iraqi citizens": a described group
            head = _head(subject.split())  # "the employer contribution limit for Trump Accounts": a limit
            bare = re.sub(r"^(?:a|an)\s+", "", _bare(subject), flags=re.IGNORECASE)  # "the a Section 408 ..." had been shown
            out.append(Phrase(subject if subject[:1].isupper() else f"the {bare}",
                              plural=_is_plural(head), head=head, organisation=head in _ORGANISATION))
            out.extend(named)
        else:
            out.extend(named)
    # each question a question asks: "What is a Section 408 permission and how many requests does the Army Corps
    # receive?" asks about the permission and about "the requests"
    out.extend(wh for wh in map(_wh_phrase, question_clauses(previous_question)) if wh is not None)
    who = _who_answered(previous_question, previous_answer)
    if who is not None:
        out.append(who)
    out.extend(question_names)
    for sentence in _answer_sentences(previous_answer):
        out.extend(names(sentence))
    unique: list[Phrase] = []
    for phrase in out:
        if all(_bare(phrase.text).lower() != _bare(u.text).lower() for u in unique):
            unique.append(phrase)
    return unique


# -- the referring expressions ---------------------------------------------------------------------
_PERSONAL = re.compile(r"\b(?P<w>he|she|him|his|her)\b", re.IGNORECASE)
_PLURAL = re.compile(r"\b(?P<w>they|them|their)\b", re.IGNORECASE)
_IT = re.compile(r"\b(?P<w>it|its)\b", re.IGNORECASE)
_DEMONSTRATIVE = re.compile(r"\b(?P<det>that|this|those|these)\s+(?P<noun>[a-z][a-z-]+)(?P<pos>['’]s)?\b",
                            re.IGNORECASE)
_DEFINITE = re.compile(r"\b(?P<det>the)\s+(?P<noun>" + "|".join(sorted(_INSTITUTION_NOUNS)) + r")(?P<pos>['’]s)?\b"
                       r"(?!\s+(?:of|for)\b)")
# "there" as a place, not the existential "Are there ...", "there is no ..." (after a be-verb, a question
# word or at the start of the question)
_THERE = re.compile(r"(?<!^)(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<!\bbe )(?<!\bbeen )\bthere\b"
                    r"(?!\s+(?:is|are|was|were)\s+(?:no|any|a|an|some|many|more|other)\b)", re.IGNORECASE)
# "this spring", "this year", "that week": a time reckoned from when the question is asked (deictic), never a
# thing of the last turn ("Before this spring, when did it last convene?" is no "God Squad spring")
_PERIODS = {"year", "time", "period", "day", "month", "week", "date", "quarter", "decade", "century", "weekend",
            "morning", "afternoon", "evening", "session", "season", *SEASONS}
_NOT_DEMONSTRATIVE = _NOT_A_NOUN | _PERIODS | {"case", "way", "point", "brief", "report", "briefs", "reports",
                                               "document", "paper", "insight", "sidebar"}


# Where a clause inside a question begins: a semicolon or colon, "and"/"but"/"or" or a comma before a
# question word or an auxiliary ("..., and when will they field it?"), or a question word after the first
# word ("Compare A and B on how many taxpayers claimed them").
_CLAUSE_START = re.compile(
    r"[;:]|(?:,\s*|\b)(?:and|but|or)\s+(?=(?:" + "|".join(sorted(_WH | _AUX)) + r")\b)|,\s+(?=(?:"
    + "|".join(sorted(_WH | _AUX)) + r")\b)|(?<=\s)(?:how|what|which|when|where|why|whether|who)\b", re.IGNORECASE)
_POSSESSIVES = {"his", "her", "its", "their"}


def _agrees(word: str):
    """What a pronoun can stand for (agreement in number and kind): "he"/"she" a person, "they" a plural
    phrase or an organisation that is no place, "it" a thing, a place or an organisation (no person, no
    plural). Returns a predicate on ``Phrase``."""
    word = word.lower()
    if word in ("he", "she", "him", "his", "her"):
        return lambda p: p.person
    if word in ("they", "them", "their"):
        return lambda p: p.plural or (p.organisation and not p.place)
    return lambda p: not p.person and not p.plural


def own_antecedent(question: str, start: int, word: str) -> Phrase | None:
    """The phrase of ``question`` itself that the pronoun ``word`` at character ``start`` stands for, or
    None: a question that names its own subject is complete on its own, and its pronoun is not an entity
    of an earlier turn ("What is the Army planning for the M-1E3 tank, and when will they field it?";
    "Compare the IRA home improvement credit and clean energy credit reports on how many taxpayers
    claimed them").

    A heuristic after the binding rule of grammar: a personal pronoun finds its antecedent before its
    own clause (``_CLAUSE_START``; "How did Congress respond to them?" has none: Congress is the subject
    of that clause), a possessive anywhere before it ("How did the judges explain their ruling?"). The
    phrases are those ``candidates`` reads in a previous question, and must agree with the pronoun."""
    if word.lower() in _POSSESSIVES:
        before = question[:start]
    else:
        starts = [m.start() for m in _CLAUSE_START.finditer(question, 0, start) if m.start() > 0]
        before = question[:starts[-1]] if starts else ""
    if not before.strip():
        return None
    return _first(candidates(before), _agrees(word))


_PRONOUN = re.compile(r"\b(?:he|she|him|his|her|they|them|their|it|its)\b", re.IGNORECASE)


def bound_in_question(question: str) -> bool:
    """Whether ``question`` has personal pronouns and each stands for a phrase of the question itself
    (``own_antecedent``): it is complete on its own, and no earlier turn is read into it."""
    pronouns = list(_PRONOUN.finditer(question))
    return bool(pronouns) and all(own_antecedent(question, m.start(), m.group()) is not None for m in pronouns)


def _possessive(text: str, plural: bool) -> str:
    return f"{text}’" if plural and text.endswith("s") else f"{text}’s"


def _first(phrases: list[Phrase], want) -> Phrase | None:
    return next((p for p in phrases if want(p)), None)


def _place(previous_question: str, previous_answer: str) -> Phrase | None:
    if re.match(r"\s*where\b", previous_question, re.IGNORECASE):
        for sentence in _answer_sentences(previous_answer, 1):
            match = re.search(r"\b(?:in|at)\s+(?P<p>(?:the\s+)?[A-Z][\w.'’-]*(?:\s+(?:(?:of|for|the)\s+)*[A-Z][\w.'’-]*)*)",
                              sentence)
            if match:
                return Phrase(_clean_name(match.group("p")), place=True, name=True)
    places = [p for p in names(previous_question) if p.place]
    return places[-1] if places else None


def resolve(question: str, previous_question: str, previous_answer: str = "", *,
            it: bool = False) -> Resolution | None:
    """``question`` with its first reference to an entity of the last turn named, or None when it
    has none that a phrase of the last turn agrees with (see the module docstring for the rule).

    ``previous_question`` is the last turn's standalone question, ``previous_answer`` its answer
    (citation markers are ignored). ``it``: whether "it"/"its" may name an entity (False where
    the caller reads "it" as the brief).
    """
    question = question.strip()
    if not previous_question.strip():
        return None
    phrases = candidates(previous_question, previous_answer)
    own = {_bare(p.text).lower() for p in names(question)}
    phrases = [p for p in phrases if _bare(p.text).lower() not in own]

    found: list[tuple[int, int, str, Phrase, str]] = []  # (start, end, replacement, phrase, words replaced)

    def add(start: int, end: int, text: str, phrase: Phrase) -> None:
        if all(end <= a or start >= b for a, b, *_ in found):
            found.append((start, end, text, phrase, question[start:end]))

    match = _DEMONSTRATIVE.search(question)
    if match and match.group("noun").lower() not in _NOT_DEMONSTRATIVE:
        noun = match.group("noun").lower()
        phrase = _first(phrases, lambda p: p.name and re.search(rf"\b{re.escape(noun.rstrip('s'))}",
                                                                 _bare(p.text).lower()) is not None)
        if phrase is None:
            described = _described(previous_question, noun)
            if described:
                phrase = Phrase(described if described.lower().startswith("the ") else f"the {described}",
                                plural=noun.endswith("s"), head=noun, name=False)
        if phrase is None and noun in _INSTITUTION_NOUNS:
            phrase = _first(phrases, lambda p: p.organisation and (noun != "agency" or _agency(p)))
        if phrase is None:  # "that waiver" after "... waive the Jones Act?": the last thing the question names
            topic = next((p for p in reversed(names(previous_question)) if _bare(p.text).lower() not in own), None)
            if topic is not None:
                phrase = Phrase(f"the {_POSSESSIVE_END.sub('', _bare(topic.text))} {noun}", head=noun, name=False)
        if phrase is None:
            described = next((d for s in _answer_sentences(previous_answer) if (d := _described(s, noun))), "")
            if described:
                phrase = Phrase(described if described.lower().startswith("the ") else f"the {described}",
                                plural=noun.endswith("s"), head=noun, name=False)
        if phrase is not None:
            add(match.start(), match.end(),
                _possessive(phrase.text, phrase.plural) if match.group("pos") else phrase.text, phrase)
    match = _DEFINITE.search(question)
    if match:
        noun = match.group("noun")
        phrase = _first(phrases, lambda p: p.name and re.search(rf"\b{noun}\b", _bare(p.text).lower()) is not None) \
            or (_first(phrases, lambda p: p.name and _agency(p)) if noun == "agency" else None)
        if phrase is not None:
            add(match.start(), match.end(),
                _possessive(phrase.text, phrase.plural) if match.group("pos") else phrase.text, phrase)
    def free(pattern: re.Pattern[str]) -> re.Match[str] | None:  # the first pronoun the question does not bind itself
        return next((m for m in pattern.finditer(question) if own_antecedent(question, m.start("w"), m.group("w")) is None),
                    None)

    match = free(_PERSONAL)
    if match:
        phrase = _first(phrases, _agrees(match.group("w")))
        if phrase is not None:
            text = _possessive(phrase.text, False) if match.group("w").lower() == "his" else phrase.text
            add(match.start("w"), match.end("w"), text, phrase)
    match = free(_PLURAL)
    if match:
        phrase = _first(phrases, lambda p: p.plural) or _first(phrases, lambda p: p.organisation and not p.place)
        if phrase is not None:
            text = _possessive(phrase.text, phrase.plural) if match.group("w").lower() == "their" else phrase.text
            add(match.start("w"), match.end("w"), text, phrase)
    match = free(_IT) if it else None
    if match:  # of the last turn, not a place ("there" names those)
        phrase = _first(phrases, lambda p: _agrees(match.group("w"))(p) and not p.place)
        if phrase is not None:
            text = _possessive(phrase.text, False) if match.group("w").lower() == "its" else phrase.text
            add(match.start("w"), match.end("w"), text, phrase)
    match = _THERE.search(question)
    if match:
        phrase = _place(previous_question, previous_answer)
        if phrase is not None:
            add(match.start(), match.end(),
                phrase.text if re.match(r"(?:in|at)\b", phrase.text) else f"in {phrase.text}", phrase)
    if not found:
        return None
    named = question
    for start, end, text, _, _ in sorted(found, key=lambda item: -item[0]):
        if start == 0:
            text = text[0].upper() + text[1:]
        named = named[:start] + text + named[end:]
    return Resolution(named, tuple((f[4], f[3]) for f in sorted(found)))


def _agency(phrase: Phrase) -> bool:
    """A public agency's name ("National Marine Fisheries Service") or an acronym ("NOAA", "FDA")."""
    bare = _bare(phrase.text)
    return bool(re.fullmatch(r"[A-Z]{2,}[A-Z0-9]*", bare)) or any(
        w.lower().strip(".,") in _AGENCY for w in bare.split())
