from langchain_core.language_models import FakeListChatModel

from answer.condense import standalone_question
from answer.types import Turn


def test_offline_condensing_carries_the_previous_subject():
    history = [Turn("Who is Elbridge Colby?", "A former Pentagon official [1].")]
    assert standalone_question("What did he advise South Korea?", history) == \
        "What did Elbridge Colby advise South Korea?"


def test_an_elliptic_follow_up_reads_as_the_question_searched():
    # a trial's "Interpreted as: What about China? (much, federal, ...)": the previous question is carried as
    # written; its words for the kind of answer and for documents ("does the ... brief recommend") are not
    history = [Turn("How much of NIH's FY2025 awards went toward indirect costs?", "28%, or $9.5 billion [1].")]
    assert standalone_question("What about extramural research?", history) == \
        "What about extramural research? (How much of NIH's FY2025 awards went toward indirect costs?)"
    history = [Turn("What does the Riverton brief recommend about water rates?", "A cap [1].")]
    assert standalone_question("What about flood insurance?", history) == \
        "What about flood insurance? (What does the Riverton … about water rates?)"


def test_model_condensing_uses_the_condense_prompt_and_the_first_line_of_the_reply():
    model = FakeListChatModel(responses=['"What did Elbridge Colby advise South Korea?"\nExtra words.'])
    history = [Turn("Who is Elbridge Colby?", "A former Pentagon official [1].")]
    assert standalone_question("And on South Korea, what advice?", history, model=model) == \
        "What did Elbridge Colby advise South Korea?"


def test_an_entity_reference_is_named_by_the_same_rule_with_or_without_a_model():
    # one rule (answer.antecedents): the model is not asked to read "he", so both backends search the same question
    model = FakeListChatModel(responses=["What did the author advise?"])
    history = [Turn("What did the Secretary of Energy announce in May?", "A new reactor programme [1].")]
    offline = standalone_question("What did he advise Congress?", history)
    assert offline == "What did the Secretary of Energy advise Congress?"
    assert standalone_question("What did he advise Congress?", history, model=model) == offline


def test_no_history_no_change_and_an_empty_reply_keeps_the_question():
    assert standalone_question(" Who is Colby? ", []) == "Who is Colby?"
    model = FakeListChatModel(responses=[""])
    assert standalone_question("What did he advise?", [Turn("Who is Colby?")], model=model) == "What did he advise?"


def test_elliptic_fragments_vary_the_previous_question():
    from answer.condense import is_elliptic, merge_elliptic

    previous = "How much did the Riverton housing repair fund disburse?"
    assert is_elliptic("In 2022?") and is_elliptic("Only the 2022 figure, please.")
    assert not is_elliptic("What did he advise South Korea?")
    assert merge_elliptic("In 2022?", previous) == "How much did the Riverton housing repair fund disburse in 2022?"
    assert merge_elliptic("Only the 2022 figure, please.", previous) == merge_elliptic("In 2022?", previous)
    # a brief named by its year replaces the one before (a trial searched "What does brief say about THAAD (the 2024 brief)?")
    assert merge_elliptic("And the 2024 brief?", "What does the 2017 brief say about THAAD?") == \
        "What does the 2024 brief say about THAAD?"
    # a fragment varies the question, not the bracket that carried an earlier one (a trial showed "Who waited the
    # longest? (How long ... since 1975?) (among the current Justices)?")
    carried = "Who waited the longest? (How long did nominees wait on average?)"
    assert merge_elliptic("And among the current Justices?", carried) == \
        "Who waited the longest among the current Justices? (How long did nominees wait on average?)"
    assert merge_elliptic("In 2022?", "How much did X disburse? (What did Y disburse in 2021?)") == \
        "How much did X disburse in 2022? (What did Y disburse?)"


def test_a_follow_up_on_the_brief_of_a_catalogue_turn_carries_no_stray_word():
    # seen in a browser trial: "When were they published? (wrote)" after "Who wrote it?"; the
    # brief is carried by the turn, and "wrote" is not a topic of the next question
    history = [Turn("Summarize the grain export brief", "- Wheat exports were banned [1].",
                    "Summarize the grain export brief", briefs=("grain",)),
               Turn("Who wrote it?", "- It is by Ben Cole [1].", "Who wrote it?", briefs=("grain",))]
    assert standalone_question("When was it published?", history) == "When was it published?"
    assert standalone_question("When was it published?", history[:1]) == "When was it published?"
    # a fact turn's subject is still carried ("he" is the person asked about, not a brief)
    facts = [Turn("Who is Elbridge Colby?", "A former Pentagon official [1].", briefs=("colby",))]
    assert standalone_question("What did he advise South Korea?", facts) == \
        "What did Elbridge Colby advise South Korea?"


def test_it_after_a_summary_is_the_briefs_subject_and_is_said():
    # seen in a browser trial: "Who has sued over it, and in which court?" after the main points of
    # the God Squad brief was answered about suits over a BiOp, and no "Interpreted as" line showed it
    title = "ESA “God Squad” Exemption for Gulf Oil and Gas Activities: Background and Current Litigation"
    history = [Turn("What are the main points of the God Squad brief?", "- The Committee voted [1].",
                    "What are the main points of the God Squad brief?", briefs=("esa",))]
    titles = {"esa": title}
    assert standalone_question("Who has sued over it, and in which court?", history, titles=titles) == \
        "Who has sued over the ESA “God Squad” Exemption for Gulf Oil and Gas Activities, and in which court?"
    # "it" as the brief itself: named by its title, so the reader sees which brief was read
    assert standalone_question("What does it recommend Congress do?", history, titles=titles) == \
        f"What does “{title}” recommend Congress do?"
    # a question about the brief as a document keeps its pronoun (the catalogue answer names the brief)
    assert standalone_question("When was it published?", history, titles=titles) == "When was it published?"
    # without titles (a history given as text) the question is kept as asked
    assert standalone_question("Who has sued over it?", history) == "Who has sued over it?"


def test_he_is_named_only_by_a_person_of_the_last_turn():
    colby = [Turn("Who is Elbridge Colby?", "A former Pentagon official [1].")]
    assert standalone_question("What is his role?", colby) == "What is Elbridge Colby’s role?"
    fund = [Turn("How much did the Riverton Housing Repair Fund disburse?", "3.4 million dollars [1].")]
    named = standalone_question("What did he say about it?", fund)
    assert "Riverton Housing Repair Fund say" not in named  # a fund is no "he": its terms are carried, not put in his place


def test_offline_condensing_carries_the_topic_not_the_words_for_the_kind_or_the_document():
    # "... there? (Riverton, brief, recommend)" pulled a fact follow-up towards advice and was refused
    history = [Turn("What does the Riverton brief recommend?", "The brief makes no recommendation.")]
    standalone = standalone_question("Who got most of the grants there?", history)
    assert standalone.startswith("Who got most of the grants there?") and "Riverton" in standalone
    assert "recommend" not in standalone and "brief" not in standalone


def test_they_after_a_catalogue_question_about_one_brief_are_its_authors():
    # seen in a browser trial: "they" after "Who wrote the defi report ...?" was searched over every brief
    history = [Turn("Who wrote the defi report?", "- It is by Paul Tierno [1].", briefs=("defi",))]
    assert standalone_question("What risks do they identify for consumers?", history) == \
        "What risks do the authors identify for consumers?"
    assert standalone_question("When were they published?", history) == "When were they published?"  # catalogue
    # after a turn over several briefs "they" are those briefs, as before
    two = [Turn("Who wrote the defi and seabed reports?", "- ...", briefs=("defi", "seabed"))]
    assert standalone_question("What risks do they identify?", two) == "What risks do they identify?"


def test_a_follow_up_stays_on_the_last_briefs_when_it_refers_back_or_brings_no_new_subject():
    from answer.condense import stays_on_briefs
    from retrieval.keyword import tokenize

    brief = frozenset(tokenize(["Effective April 6, 2026, President Trump changed the tariffs on copper imports. "
                                "Congress may consider whether the court rulings on the tariffs apply."])[0])
    # a pronoun for the last turn's subject, beside a name of its own ("Congress" made it no follow-up before)
    assert stays_on_briefs("What did Congress change about it in 2025?", brief)
    assert stays_on_briefs("Which regions claimed each one most?", brief)  # "each one": the last turn's briefs
    # no pronoun, but every word is one of the brief's: a variation of the last question, not a new subject
    assert stays_on_briefs("What changed in April 2026?", brief)
    assert stays_on_briefs("Did the court rule on the tariffs?", brief)
    # words that ask what happened need not be the brief's ("happened" is not): "July" and "2026" are
    assert stays_on_briefs("What happened in July 2026?", brief | {"juli"})
    # a superlative asks which of what the last turn measured ranks first, though the brief writes "greatest"
    assert stays_on_briefs("Who waited the longest?", frozenset(tokenize(["Bork waited the greatest number of days"])[0]))
    # a unit the brief writes as a symbol ("94.2%") is no new subject: a fifth trial's "Which account has the biggest
    # percentage increase?" after the judiciary's budget request went to "Trump Accounts" for want of "percentage"
    budget = frozenset(tokenize(["This account funds jurors. The FY2027 request is $37.1 million, an increase of "
                                 "94.2% over the FY2026 enacted level."])[0])
    assert stays_on_briefs("Which account has the biggest percentage increase?", budget)
    assert stays_on_briefs("Which account has the most dollars?", budget)
    assert not stays_on_briefs("Which account has the biggest percentage of savers?", budget)  # "savers": new
    # a word for which way a figure moved is none either: the USGS brief writes "a reduction", never "cut"
    usgs = frozenset(tokenize(["The Water Resources Mission Area would see a reduction from $288.8 million (-21%)."])[0])
    assert stays_on_briefs("Which mission area has the largest percentage cut?", usgs)
    # a word the brief lacks is a subject it cannot answer: the whole collection is searched
    assert not stays_on_briefs("What is the population of Japan?", brief)
    assert not stays_on_briefs("What changed in the rice market in April 2026?", brief)


def test_a_follow_up_kept_on_the_last_briefs_carries_their_subject_when_it_names_none():
    # a browser trial: kept on the right brief but searched with its bare words, "What changed in April 2026?"
    # matched the brief's sentences on "changed" or "2026" alone and was refused
    copper = [Turn("What tariff did President Trump impose on copper imports and when?", "50% [1].", briefs=("cu",))]
    standalone = standalone_question("What changed in April 2026?", copper, stays=True)
    assert standalone.startswith("What changed in April 2026? (") and "copper" in standalone
    assert standalone_question("What changed in April 2026?", copper) == "What changed in April 2026?"  # not kept
    statistic = [Turn("How long did it take on average from nomination to a Senate vote for nominees?", "67 days [1].",
                      briefs=("court",))]
    assert "nomination" in standalone_question("Who waited the longest?", statistic, stays=True)
    # a name of its own is no subject: "it" still is the last turn's
    charge = [Turn("What is the IRA methane emissions charge and how much is it per ton?", "$900 [1].", briefs=("m",))]
    standalone = standalone_question("What did Congress change about it in 2025?", charge, stays=True)
    assert "methane" in standalone and "charge" in standalone
    assert "ton" not in standalone and "much" not in standalone  # what the last question asked is not carried
    # a question with a subject of its own is searched as asked, kept on the briefs or not
    xm30 = [Turn("What is the Army's XM-30 vehicle designed to replace?", "The Bradley [1].", briefs=("xm30",))]
    assert standalone_question("Since when has the Bradley been in service?", xm30, stays=True) == \
        "Since when has the Bradley been in service?"


def test_each_one_after_a_comparison_of_two_briefs_is_their_subject_not_the_briefs():
    history = [Turn("How do the IRA Energy Efficient Home Improvement Credit and the Residential Clean Energy Credit "
                    "differ in how many taxpayers claimed them and what they cost?", "- ...", briefs=("eehic", "rcec"))]
    standalone = standalone_question("Which regions claimed each one most?", history, stays=True)
    assert "Energy Efficient Home Improvement Credit" in standalone and "Residential Clean Energy Credit" in standalone
    assert "taxpayers" not in standalone and "cost" not in standalone
    # a question about the briefs as documents is kept as asked: the turn carries its briefs
    assert standalone_question("Who wrote them?", history, stays=True) == "Who wrote them?"
    assert standalone_question("Which regions claimed each one most?", history) == "Which regions claimed each one most?"


def test_names_no_subject_and_the_clause_a_question_asks_of_its_subject():
    from answer.condense import asked_clause_cut, names_no_subject

    for question in ("Who waited the longest?", "What changed in April 2026?", "Which country holds the most?",
                     "What happened in July 2022?", "Which account has the biggest percentage increase?"):
        assert names_no_subject(question), question
    for question in ("Since when has the Bradley been in service?", "What is the combined annual limit in 2026?",
                     "How many sites did NOAA license there in 1984?"):
        assert not names_no_subject(question), question
    assert asked_clause_cut("What is the IRA methane emissions charge and how much is it per ton?") == \
        "What is the IRA methane emissions charge"
    assert asked_clause_cut("Who is Elbridge Colby?") == "Who is Elbridge Colby?"
    assert asked_clause_cut("What happened, and why?") == "What happened, and why?"  # nothing of its own left
    assert asked_clause_cut("How much does the Act provide each year for the Legacy Restoration Fund, and when did that "
                            "funding end?") == "How much does the Act provide each year for the Legacy Restoration Fund"


def test_a_question_asking_two_things_has_two_clauses():
    from retrieval.query import question_clauses

    assert question_clauses("What did NIH change about indirect costs in February 2025, and what happened to the "
                            "policy in court?") == ["What did NIH change about indirect costs in February 2025",
                                                    "what happened to the policy in court?"]
    assert question_clauses("How much did Argentina draw, and did it repay?") == ["How much did Argentina draw",
                                                                                 "did it repay?"]
    # a relative "when" and a question of one thing stay whole
    assert question_clauses("What happened in the year when the law passed?") == \
        ["What happened in the year when the law passed?"]
    assert question_clauses("How and why did it change?") == ["How and why did it change?"]


def test_a_follow_up_carries_the_subject_a_subjectless_last_question_carried():
    # a fifth trial: "What about the Supreme Court?" after "Which account has the biggest percentage increase?"
    # (kept on the judiciary's brief, its budget question carried) had carried the ranking and been refused
    budget = "How much discretionary funding does the judiciary request for FY2027, and how big an increase is that?"
    history = [Turn(budget, "$9.7 billion [1].", briefs=("j",))]
    ranking = standalone_question("Which account has the biggest percentage increase?", history, stays=True)
    assert ranking == "Which account has the biggest percentage increase? (How much discretionary funding does the " \
                      "judiciary request for FY2027)"
    history.append(Turn("Which account has the biggest percentage increase?", "94.2% [1].", ranking, briefs=("j",)))
    assert standalone_question("What about the Supreme Court?", history, stays=True) == \
        "What about the Supreme Court? (How much discretionary funding does the judiciary request for FY2027)"


def test_a_ranking_follow_up_kept_on_the_briefs_carries_the_last_turns_subject():
    # "mission area" is a subject of its own, but the superlative ranks what the last turn measured
    usgs = [Turn("How much is the FY2027 budget request for the U.S. Geological Survey?", "$892.7 million [1].",
                 briefs=("u",))]
    assert standalone_question("Which mission area has the largest percentage cut?", usgs, stays=True) == \
        "Which mission area has the largest percentage cut? (How much is the FY2027 budget request for the U.S. " \
        "Geological Survey?)"
    assert standalone_question("Which mission area has the largest percentage cut?", usgs) == \
        "Which mission area has the largest percentage cut?"  # not kept on the brief: searched as asked


def test_subject_carried_is_the_bracket_of_a_question_naming_no_subject():
    from answer.condense import subject_carried

    assert subject_carried("Who waited the longest? (How long did it take from nomination to a vote?)") == \
        "How long did it take from nomination to a vote?"
    kept = "Can individual nonprofits apply for it directly? (How much funding did the NSGP receive?)"
    assert subject_carried(kept) == kept  # a question with a subject of its own is carried whole
    assert subject_carried("Which mission area has the largest percentage cut? (How much is the USGS request?)") == \
        "How much is the USGS request?"  # a ranking takes its subject from what it carried
    assert subject_carried("Who waited the longest?") == "Who waited the longest?"
