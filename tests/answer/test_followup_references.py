"""How a follow-up's words for what the conversation was about are read (a browser trial's conversations, with other
reports): "this spring" is a time, not a thing of the last turn; "the second one" is the second brief the last turn
read; "that report's approach differ from ..." compares the last turn's brief with the one named; "the charge" after
the methane charge report keeps the follow-up on that report; the nearby briefs of a refusal of a search over the
collection are no brief the conversation was about."""

from answer.antecedents import bound_in_question, names, resolve
from answer.catalogue import (BriefInfo, Catalogue, _stem, names_their_subject, references_by_subject, refers_back,
                              resolve_briefs)
from answer.condense import standalone_question, stays_on_briefs
from answer.types import Answer, BriefRef, Citation, Turn

PRIVATE = BriefInfo("a" * 64, "IF12501.pdf", "Private Funding for Election Administration", "2026-04-20", "In Focus",
                    ("Karen L. Shanton",))
CONDITIONS = BriefInfo("b" * 64, "IF13013.pdf", "Conditioning Federal Funding on Elections Policies: Options and "
                       "Considerations for Congress", "2026-04-20", "In Focus", ("Karen L. Shanton",))
GRANTS = BriefInfo("c" * 64, "R46646.pdf", "Election Administration: Federal Grant Programs for States and Localities",
                   "2026-04-20", "CRS Report", ("Karen L. Shanton",))
PROJECTS = BriefInfo("d" * 64, "R48863.pdf", "Local and Regional Project Assistance Program: Background and Selected "
                     "Considerations", "2026-04-23", "CRS Report")
METHANE = "Inflation Reduction Act Methane Emissions Charge: Overview and Considerations for Policymakers"


def catalogue() -> Catalogue:
    return Catalogue([PRIVATE, CONDITIONS, GRANTS, PROJECTS])


# -- "this spring": a time reckoned from now --------------------------------------------------------------------

def test_a_season_after_this_is_a_time_not_a_thing_of_the_last_turn():
    # the trial read "Before the God Squad spring, when did it last convene?"
    resolution = resolve("Before this spring, when did it last convene?",
                         "What is the so-called God Squad and who sits on it?")
    assert resolution is None or "spring" not in " ".join(words for words, _ in resolution.named)
    named = resolve("What did the agency change this summer?", "What did the Food and Drug Administration announce?")
    assert named is not None and named.question.endswith("change this summer?")


def test_a_capitalised_preposition_opening_the_question_is_no_name():
    assert [p.text for p in names("Before March, when did the Army test it?")] == ["the Army"]
    assert not bound_in_question("Before this spring, when did it last convene?")
    assert not bound_in_question("After the ruling, what did it do?")


def test_its_pronoun_is_then_read_as_the_last_turns_subject():
    last = Turn("What is the so-called God Squad and who sits on it?", "No passage in the briefs answers this.",
                "What is the so-called God Squad and who sits on it?", briefs=("x",))
    standalone = standalone_question("Before this spring, when did it last convene?", [last], stays=True)
    assert standalone.startswith("Before this spring, when did it last convene?")
    assert "God Squad" in standalone and "God Squad spring" not in standalone


# -- "the second one", "the latter": a brief of the last turn by its place ---------------------------------------

def test_an_ordinal_picks_one_of_the_briefs_the_last_turn_read_in_their_order():
    previous = (PRIVATE, CONDITIONS)
    for question, meant in [("What considerations does the second one raise for Congress?", CONDITIONS),
                            ("Who wrote the first report?", PRIVATE), ("What does the latter recommend?", CONDITIONS),
                            ("And the former?", PRIVATE)]:
        assert refers_back(question) == "one", question
        assert resolve_briefs(question, catalogue(), previous=previous, follow_up=True).briefs == (meant,), question


def test_the_considerations_of_the_second_one_name_no_title_holding_considerations():
    # "considerations" and "Congress" are words many titles hold: the trial read the DOT and seafood reports
    resolution = resolve_briefs("What considerations does the second one raise for Congress?", catalogue(),
                                previous=(PRIVATE, CONDITIONS), follow_up=True)
    assert resolution.briefs == (CONDITIONS,)


def test_an_ordinal_before_a_noun_of_its_own_is_no_brief():
    for question in ("What happened in the second quarter?", "Who was the first person to sign it?"):
        assert refers_back(question, follow_up=False) == ""
    assert not resolve_briefs("What happened in the second quarter?", catalogue(), previous=(PRIVATE, CONDITIONS),
                              follow_up=True).briefs


def test_an_ordinal_past_the_briefs_read_asks_which_one():
    resolution = resolve_briefs("Who wrote the third one?", catalogue(), previous=(PRIVATE, CONDITIONS),
                                follow_up=True)
    assert not resolution.briefs and set(resolution.candidates) == {PRIVATE, CONDITIONS}


# -- "that report's approach differ from ...": the last turn's brief is compared ---------------------------------

def test_that_report_compared_with_a_named_one_adds_the_last_turns_brief():
    resolution = resolve_briefs("How does that report's approach differ from the report on election grant programs?",
                                catalogue(), previous=(PRIVATE,))
    assert PRIVATE in resolution.briefs and GRANTS in resolution.briefs
    resolution = resolve_briefs("How do its recommendations differ from the election grant programs report?",
                                catalogue(), previous=(PRIVATE,), follow_up=True)
    assert PRIVATE in resolution.briefs and GRANTS in resolution.briefs


def test_a_document_named_with_its_publisher_before_it_is_named_by_its_subject():
    question = "How does that report's approach differ from the CRS piece on tying federal money to election policies?"
    assert [subject for _, subject in references_by_subject(question)] == ["tying federal money to election policies"]


def test_a_title_word_in_the_plural_names_the_same_stem_as_in_the_singular():
    for singular, plural in [("election", "elections"), ("policy", "policies"), ("state", "states"),
                             ("issue", "issues"), ("business", "businesses"), ("bridge", "bridges")]:
        assert _stem(singular) == _stem(plural), (singular, plural)
    assert _stem("congress") == "congress" and _stem("iranian") == "iran"


# -- "the charge": the last turn's subject by a definite description ------------------------------------------

def test_a_definite_noun_of_the_last_briefs_title_names_their_subject():
    assert names_their_subject("Lay out how the charge got pushed back, step by step.", [METHANE])
    assert names_their_subject("When does this fee start?", ["Methane Fee Overview"])
    # a name of its own, a word the title lacks, a word many titles hold: no
    assert not names_their_subject("How did the charge affect Japan?", [METHANE])
    assert not names_their_subject("Lay out how the tariff got pushed back.", [METHANE])
    assert not names_their_subject("What are the considerations?", [METHANE])


def test_such_a_follow_up_stays_on_the_last_turns_brief_and_is_searched_as_asked():
    question = "Lay out how the charge got pushed back, step by step."
    assert stays_on_briefs(question, frozenset({"charg"}), [METHANE])
    assert not stays_on_briefs(question, frozenset({"charg"}), ["Judiciary Budget Request for FY2027"])
    last = Turn("How big is the IRA methane fee per ton?", "The WEC was $900 per metric ton in 2024 [1].",
                "How big is the IRA methane fee per ton?", briefs=("m",))
    # it names its subject itself: the last question's words (the fee's size) are not carried into it
    assert standalone_question(question, [last], titles={"m": METHANE}, stays=True) == question


# -- a refusal's nearby briefs are no subject of the conversation ----------------------------------------------

def _refusal(asked: tuple[BriefRef, ...] | None) -> Answer:
    nearby = BriefRef("s" * 64, "The Length of Major Steps in the Supreme Court Appointment Process",
                      source="IN12679.pdf")
    citation = Citation(marker=1, chunk_id="s:0", doc_id=nearby.doc_id, source=nearby.source, title=nearby.title,
                        start=0, end=5, quote="Steps", support=0.5)
    return Answer(question="Lay out how it got pushed back.", text="No passage in the briefs answers this.",
                  citations=(citation,), refused=True, briefs_read=(*(asked or ()), nearby), briefs_asked=asked)


def test_a_refusal_of_a_search_over_the_collection_read_no_brief_the_turn_was_about():
    turn = Turn.from_answer(_refusal(()))
    assert not turn.asked and turn.briefs == ("s" * 64,)  # kept, for a conversation with no brief before


def test_a_refusal_kept_on_the_conversations_brief_was_about_it():
    methane = BriefRef("m" * 64, METHANE, source="R48906.pdf")
    assert Turn.from_answer(_refusal((methane,))).asked
    answered = Answer(question="q", text="The WEC starts in 2034 [1].", briefs_read=(methane,))
    assert Turn.from_answer(answered).asked


# -- briefs a refusal named: "that Insight on ...", "Goldman Sachs's results" -----------------------------------

HEARINGS = BriefInfo("e" * 64, "98-317.pdf", "Types of Committee Hearings", "2026-04-13", "CRS Report")
STEPS = BriefInfo("f" * 64, "IN12679.pdf", "The Length of Major Steps in the Supreme Court Appointment Process",
                  "2026-04-13", "Insight")
COPPER = BriefInfo("g" * 64, "IN12614.pdf", "Section 232 National Security Tariffs on Copper Imports", "2026-04-23",
                   "Insight")
HORMUZ = BriefInfo("h" * 64, "R48903.pdf", "The Strait of Hormuz in Brief: Non-Oil Shipments", "2026-04-10",
                   "CRS Report", ("Ben Goldman",))


def test_one_document_of_a_series_named_by_its_subject_names_not_the_whole_series():
    shelf = Catalogue([HEARINGS, STEPS, COPPER, HORMUZ])
    resolution = resolve_briefs("Does the CRS report on types of committee hearings square with that Insight on "
                                "whether Supreme Court nominees get a committee hearing?", shelf)
    assert COPPER not in resolution.briefs
    assert set(resolve_briefs("When were the Insights published?", shelf).briefs) == {STEPS, COPPER}  # the series


def test_a_surname_inside_another_name_names_no_author():
    shelf = Catalogue([HEARINGS, STEPS, COPPER, HORMUZ])
    assert not resolve_briefs("What were Goldman Sachs's results in the Fed's 2026 stress test?", shelf).briefs
    assert resolve_briefs("What did Goldman write about shipping?", shelf).briefs == (HORMUZ,)
    assert resolve_briefs("Who else wrote with Ben Goldman?", shelf).briefs == (HORMUZ,)
