"""Briefs named in a question, resolved against the catalogue's metadata."""

import pytest

from answer.catalogue import BriefInfo, Catalogue, references_by_subject, resolve_briefs

ALLIES = BriefInfo("a" * 64, "001.txt", "Uncertainty Among U.S. Allies in Northeast Asia", "2017-05-08", "Expert Brief")
TRILATERAL = BriefInfo("b" * 64, "000.txt", "The North Korean and Chinese Threats Are Growing. But so Is the Trilateral "
                       "Response.", "", "Asia Unbound", year_in_text=2024)
SOFT = BriefInfo("c" * 64, "IF13201.pdf", "Soft Targets and the Nonprofit Security Grant Program", "2026-04-09",
                 "In Focus", ("Lauren R. Stienstra",))
AUSTRALIA = BriefInfo("d" * 64, "IF10491.pdf", "Australia: Background and U.S. Relations", "2026-04-10", "In Focus",
                      ("Jared G. Tupuola",))


def catalogue() -> Catalogue:
    return Catalogue([ALLIES, TRILATERAL, SOFT, AUSTRALIA])


def names(resolution) -> set[str]:
    return {b.source for b in resolution.briefs}


def test_a_quoted_title_names_its_brief():
    r = resolve_briefs('What are the key takeaways of "Uncertainty Among U.S. Allies in Northeast Asia"?', catalogue())
    assert names(r) == {"001.txt"} and r.how == "quoted title"


def test_a_year_with_a_word_for_a_document_names_the_briefs_of_that_year():
    assert names(resolve_briefs("Summarize the 2017 brief", catalogue())) == {"001.txt"}
    assert names(resolve_briefs("What does the report from 2026 say?", catalogue())) == {"IF13201.pdf", "IF10491.pdf"}


def test_several_years_before_a_word_for_documents_name_each_brief():
    assert names(resolve_briefs("Compare what the 2017 and 2024 briefs say about Japan.", catalogue())) == \
        {"001.txt", "000.txt"}


def test_a_year_alone_is_not_a_brief():
    assert not resolve_briefs("How much did the fund disburse in 2017?", catalogue()).briefs


def test_between_two_years_takes_the_briefs_dated_or_set_in_between():
    r = resolve_briefs("How did the view of Japan change between 2017 and 2024?", catalogue())
    assert names(r) == {"001.txt", "000.txt"} and r.years == (2017, 2024)


def test_title_words_series_and_author():
    assert names(resolve_briefs("Summarize the brief on soft targets", catalogue())) == {"IF13201.pdf"}
    assert names(resolve_briefs("What does the Expert Brief say about China?", catalogue())) == {"001.txt"}
    assert names(resolve_briefs("What does Tupuola write about AUKUS?", catalogue())) == {"IF10491.pdf"}


def test_both_briefs_and_the_two_briefs():
    two = Catalogue([ALLIES, TRILATERAL])
    assert names(resolve_briefs("Compare how both briefs see China", two)) == {"001.txt", "000.txt"}
    assert names(resolve_briefs("What do the two briefs say about Japan?", two)) == {"001.txt", "000.txt"}


def test_an_undated_brief_mentioning_the_year_before_may_be_named_by_that_year():
    # the built-in 2024 brief is undated and mentions events up to 2023: "the 2024 brief" found nothing
    undated = BriefInfo("b" * 64, "000.txt", TRILATERAL.title, "", "Asia Unbound", year_in_text=2023)
    shelf = Catalogue([ALLIES, undated])
    assert names(resolve_briefs("Who wrote the 2024 brief?", shelf)) == {"000.txt"}
    assert not resolve_briefs("Who wrote the 2025 brief?", shelf).briefs
    assert names(resolve_briefs("Who wrote the 2017 brief?", shelf)) == {"001.txt"}  # a dated brief: its own year only
    assert not resolve_briefs("Who wrote the 2018 brief?", shelf).briefs


def test_the_author_and_this_compared_refer_to_the_last_turn():
    previous = (SOFT,)
    r = resolve_briefs("What does the author recommend?", catalogue(), previous=previous, follow_up=True)
    assert names(r) == {"IF13201.pdf"} and r.how == "conversation"
    assert not resolve_briefs("What does the author recommend?", catalogue()).briefs  # no conversation: no brief
    r = resolve_briefs("How does this compare with the 2017 brief?", catalogue(), previous=previous, follow_up=True)
    assert names(r) == {"001.txt", "IF13201.pdf"}
    assert names(resolve_briefs("Compare it with the Australia report.", catalogue(), previous=previous)) == \
        {"IF10491.pdf", "IF13201.pdf"}
    assert names(resolve_briefs("What does the 2017 brief say about China?", catalogue(), previous=previous)) == \
        {"001.txt"}
    # "that" after a fact: the same brief, compared with itself (was compared with an unrelated brief)
    r = resolve_briefs("How does that compare with FY2026?", catalogue(), previous=previous)
    assert names(r) == {"IF13201.pdf"} and r.how == "conversation"


def test_this_brief_and_it_resolve_to_the_last_turn():
    previous = (SOFT,)
    assert names(resolve_briefs("What does this brief recommend?", catalogue(), previous=previous)) == {"IF13201.pdf"}
    r = resolve_briefs("What does it recommend Washington do?", catalogue(), previous=previous, follow_up=True)
    assert names(r) == {"IF13201.pdf"} and r.how == "conversation"


def test_an_ambiguous_reference_lists_the_candidates():
    twins = Catalogue([SOFT, BriefInfo("e" * 64, "IF99999.pdf", "Soft Targets and Election Security", "2025-01-01")])
    r = resolve_briefs("Summarize the report on soft targets", twins)
    assert r.ambiguous and {b.source for b in r.candidates} == {"IF13201.pdf", "IF99999.pdf"}


def test_a_topic_question_names_no_brief():
    assert not resolve_briefs("How much has Japan invested in missile defense?", catalogue()).briefs
    assert not resolve_briefs("What did Elbridge Colby advise South Korea?", catalogue()).briefs


def test_it_after_a_turn_over_several_briefs_asks_which_one():
    previous = (SOFT, AUSTRALIA, ALLIES)
    r = resolve_briefs("Who wrote it?", catalogue(), previous=previous, follow_up=True)
    assert not r.briefs and {b.source for b in r.candidates} == {"IF13201.pdf", "IF10491.pdf", "001.txt"}
    assert r.ambiguous and r.how == "conversation"
    r = resolve_briefs("What does this brief recommend?", catalogue(), previous=previous, follow_up=True)
    assert r.ambiguous


def test_they_after_a_turn_over_several_briefs_means_all_of_them():
    previous = (SOFT, AUSTRALIA, ALLIES)
    for question in ("When were they published?", "Who wrote them?", "What do both recommend?"):
        assert names(resolve_briefs(question, catalogue(), previous=previous, follow_up=True)) == {
            "IF13201.pdf", "IF10491.pdf", "001.txt"}, question
    assert names(resolve_briefs("What do both recommend?", catalogue(), previous=(SOFT, AUSTRALIA),
                                follow_up=True)) == {"IF13201.pdf", "IF10491.pdf"}


def test_it_after_a_turn_over_one_brief_is_that_brief():
    assert names(resolve_briefs("Who wrote it?", catalogue(), previous=(SOFT,), follow_up=True)) == {"IF13201.pdf"}


def test_a_counted_reference_gives_its_number_and_words():
    from answer.catalogue import asked_briefs, refers_back, singular

    assert asked_briefs("Compare the two Iran ceasefire Insights") == (2, "Iran ceasefire Insights")
    assert asked_briefs("How do both reports see China?") == (2, "reports")
    assert asked_briefs("Compare the three briefs on Japan")[0] == 3
    assert asked_briefs("Compare the Typhon report and the Australia report") == (0, "")
    assert singular("Iran ceasefire Insights") == "Iran ceasefire Insight" and singular("Iran talks") == "Iran talks"
    assert refers_back("Who wrote it?") == "one" and refers_back("When were they published?") == "all"
    assert refers_back("How much did Japan spend?") == ""


def test_the_two_briefs_among_more_asks_which_ones():
    r = resolve_briefs("Compare how the two briefs see Japan", catalogue())
    assert r.ambiguous and r.how == "count" and len(r.candidates) == 4
    two = Catalogue([ALLIES, TRILATERAL])
    assert names(resolve_briefs("Compare how the two briefs see Japan", two)) == {"001.txt", "000.txt"}
    assert names(resolve_briefs("Compare how both briefs see Japan", catalogue(), previous=(SOFT, AUSTRALIA))) == {
        "IF13201.pdf", "IF10491.pdf"}


def test_a_brief_named_next_to_a_word_for_a_document_is_kept_beside_a_longer_match():
    china = BriefInfo("e" * 64, "IF13204.pdf", "China’s 15th Five-Year Plan: S&T and Economic Priorities", "2026-04-16")
    both = Catalogue([AUSTRALIA, china, SOFT])
    r = resolve_briefs("Compare the Australia report and the report on China's Five-Year Plan on supply chains.", both)
    assert names(r) == {"IF10491.pdf", "IF13204.pdf"}


def test_a_series_called_by_a_word_for_a_document_is_named_only_as_a_name():
    """CRS calls a series "Report": "the report on soft targets" names that brief by its title,
    not every brief of the Report series; "the CRS Reports" and "the Insight" name the series."""
    report = BriefInfo("f" * 64, "R48910.pdf", "Trump Accounts: Overview and Policy Considerations", "2026-04-16", "Report")
    insight = BriefInfo("0" * 64, "IN12669.pdf", "Pentagon-Anthropic Dispute over Autonomous Weapon Systems", "2026-04-21",
                        "Insight")
    shelf = Catalogue([SOFT, AUSTRALIA, report, insight])
    assert names(resolve_briefs("Summarize the report on soft targets.", shelf)) == {"IF13201.pdf"}
    assert names(resolve_briefs("What insight does the report on soft targets give?", shelf)) == {"IF13201.pdf"}
    assert names(resolve_briefs("What do the CRS Reports say about savings?", shelf)) == {"R48910.pdf"}
    assert names(resolve_briefs("What does the Insight say about Congress?", shelf)) == {"IN12669.pdf"}


def test_a_request_word_alone_does_not_name_a_title_that_holds_it():
    accounts = BriefInfo("f" * 64, "R48910.pdf", "Trump Accounts: Overview and Policy Considerations", "2026-04-16", "Report")
    shelf = Catalogue([SOFT, AUSTRALIA, accounts])
    r = resolve_briefs("Give me an overview of the report on soft targets.", shelf, whole_brief=True)
    assert names(r) == {"IF13201.pdf"}
    assert names(resolve_briefs("Give me an overview of Trump Accounts.", shelf, whole_brief=True)) == {"R48910.pdf"}


def test_related_briefs_share_a_topic_word_of_the_title_not_a_generic_one():
    # seen in a browser trial: "Only one brief matches" an Iran Insight offered "Trump Accounts" to compare with
    from answer.catalogue import related_briefs

    iran = BriefInfo("e" * 64, "IN12700.pdf", "U.S.-Iran Ceasefire: Assessment, Reactions, and Issues for Congress",
                     "2026-04-09", "Insight")
    trump = BriefInfo("f" * 64, "R48900.pdf", "Trump Accounts: Overview and Policy Considerations", "2026-04-16", "Report")
    pentagon = BriefInfo("1" * 64, "IN12701.pdf", "Pentagon-Anthropic Dispute over Autonomous Weapon Systems: "
                         "Potential Issues for Congress", "2026-04-21", "Insight")
    private = BriefInfo("2" * 64, "IF13000.pdf", "Private Funding for Election Administration", "2026-04-20", "In Focus")
    grants = BriefInfo("3" * 64, "R48000.pdf", "Election Administration: Federal Grant Programs for States and Localities",
                       "2026-04-20", "Report")
    books = Catalogue([iran, trump, pentagon, private, grants, SOFT])
    assert related_briefs(iran, books) == []
    assert related_briefs(iran, books, among=[trump, pentagon]) == []
    assert related_briefs(private, books) == [grants]
    # in the order given, itself left out; "grant" is a topic word (Security Grant Program)
    assert related_briefs(grants, books, among=[private, SOFT, grants]) == [private, SOFT]


def test_a_series_with_title_words_narrows_to_the_titled_brief():
    # seen in a trial: "Who wrote the Insight on the Supreme Court appointment process?" named both Insights
    iran = BriefInfo("e" * 64, "IN12678.pdf", "U.S.-Iran Ceasefire: Assessment, Reactions, and Issues for Congress",
                     "2026-04-09", "Insight")
    court = BriefInfo("f" * 64, "IN12679.pdf", "The Length of Major Steps in the Supreme Court Appointment Process "
                      "(1975-2022)", "2026-04-13", "Insight")
    books = Catalogue([iran, court, SOFT, AUSTRALIA])
    assert names(resolve_briefs("Who wrote the Insight on the Supreme Court appointment process?", books)) == \
        {"IN12679.pdf"}
    assert names(resolve_briefs("What do the Insights say about Congress?", books)) == {"IN12678.pdf", "IN12679.pdf"}
    # a series cue that qualifies no titled brief still names its briefs
    assert names(resolve_briefs("Compare the Insights and the Australia report", books)) == \
        {"IN12678.pdf", "IN12679.pdf", "IF10491.pdf"}
    assert names(resolve_briefs("Compare the Supreme Court Insight and the Australia report", books)) == \
        {"IN12679.pdf", "IF10491.pdf"}


def test_them_after_a_turn_that_read_one_brief_means_that_brief_when_it_asks_about_documents():
    # seen in a trial: a comparison found one brief ("Only one brief matches"), then "Who wrote them?"
    # was refused ("No brief in the collection matches that description")
    previous = (SOFT,)
    for question in ("Who wrote them?", "When were they published?", "What are their authors?"):
        r = resolve_briefs(question, catalogue(), previous=previous, follow_up=True)
        assert names(r) == {"IF13201.pdf"} and r.how == "conversation", question
    # "they" as people is not the brief: the question stays open to the whole collection
    assert not resolve_briefs("What did they agree on in Seoul?", catalogue(), previous=previous, follow_up=True).briefs


CHINA = BriefInfo("e" * 64, "IF13204.pdf", "China’s 15th Five-Year Plan: S&T and Economic Priorities", "2026-04-16",
                  "In Focus")
TYPHON = BriefInfo("9" * 64, "IF12135.pdf", "The U.S. Army’s Typhon Mid-Range Capability (MRC) System", "2026-04-20",
                   "In Focus")


@pytest.mark.parametrize("whole_brief", [False, True])
@pytest.mark.parametrize("question", [
    "How does the Australia report describe relations with China?",  # seen in a browser trial (a summary)
    "Describe relations with China in the Australia report",
    "Summarize what the Australia report says about China",
    "Give a timeline of China's role in the Australia report",
])
def test_a_topic_word_that_is_the_subject_names_no_brief_beside_a_named_one(question, whole_brief):
    shelf = Catalogue([AUSTRALIA, CHINA, SOFT, TYPHON])
    assert names(resolve_briefs(question, shelf, whole_brief=whole_brief)) == {"IF10491.pdf"}


@pytest.mark.parametrize("whole_brief", [False, True])
@pytest.mark.parametrize("question, expected", [
    ("Summarize the China report", {"IF13204.pdf"}),
    ("What does the China report say about semiconductors?", {"IF13204.pdf"}),
    ("Summarize the report on China's plan", {"IF13204.pdf"}),
    ("Compare the Australia report and the China report", {"IF10491.pdf", "IF13204.pdf"}),
    ("Compare the Australia report and the report on China's Five-Year Plan", {"IF10491.pdf", "IF13204.pdf"}),
    ("Compare the Typhon report and the China brief on deterrence", {"IF12135.pdf", "IF13204.pdf"}),
    ("Summarize the Typhon and Australia reports", {"IF12135.pdf", "IF10491.pdf"}),
    ("Compare the Typhon and Australia reports", {"IF12135.pdf", "IF10491.pdf"}),
    ("Compare the Typhon, Australia and soft targets briefs", {"IF12135.pdf", "IF10491.pdf", "IF13201.pdf"}),
    ("What does the report on China say about semiconductors?", {"IF13204.pdf"}),
])
def test_a_brief_referred_to_by_a_topic_word_is_still_named(question, expected, whole_brief):
    shelf = Catalogue([AUSTRALIA, CHINA, SOFT, TYPHON])
    assert names(resolve_briefs(question, shelf, whole_brief=whole_brief)) == expected


def test_a_single_title_word_names_a_whole_brief_when_no_other_brief_is_named():
    shelf = Catalogue([AUSTRALIA, CHINA, SOFT, TYPHON])
    assert names(resolve_briefs("Give me a timeline of China's plan", shelf, whole_brief=True)) == {"IF13204.pdf"}
    assert names(resolve_briefs("Summarize the Typhon system", shelf, whole_brief=True)) == {"IF12135.pdf"}


@pytest.mark.parametrize("question, period", [
    ("Which reports were published in April 2026?", ("2026-04-01", "2026-04-30")),
    ("Which briefs were published in 2017?", ("2017-01-01", "2017-12-31")),
    ("Which briefs were released since March 2026?", ("2026-03-01", "9999-12-31")),
    ("Which briefs came out after December 2025?", ("2026-01-01", "9999-12-31")),
    ("Which briefs were published before 2026?", ("0000-01-01", "2025-12-31")),
    ("Which briefs discuss AUKUS?", None),
    # a day (a newcomer's trial: refused as not covered)
    ("Which briefs were published on April 20, 2026?", ("2026-04-20", "2026-04-20")),
    ("Which reports were released before April 20, 2026?", ("0000-01-01", "2026-04-19")),
    ("Which briefs were published on April 31, 2026?", None),
])
def test_a_publication_period_is_read_from_the_question(question, period):
    from answer.catalogue_answers import published_period
    assert published_period(question) == period


def test_a_brief_named_only_by_words_a_better_match_also_has_is_not_named():
    # a trial: "Summarize the judiciary budget request report." summarised the FWS budget request too
    judiciary = BriefInfo("j" * 64, "IF13210.pdf", "Judiciary Budget Request for FY2027", "2026-04-20", "In Focus")
    fws = BriefInfo("f" * 64, "IF13203.pdf", "U.S. Fish and Wildlife Service: FY2027 Budget Request", "2026-04-15",
                    "In Focus")
    shelf = Catalogue([judiciary, fws, SOFT])
    assert names(resolve_briefs("Summarize the judiciary budget request report.", shelf)) == {"IF13210.pdf"}
    assert names(resolve_briefs("Compare the judiciary budget request and the Fish and Wildlife Service budget "
                                "request.", shelf)) == {"IF13210.pdf", "IF13203.pdf"}
    # two references, each its own brief by the shared words (a browser check compared the judiciary's alone)
    assert names(resolve_briefs("Compare what the FWS budget report and the judiciary budget report say about FY2027 "
                                "funding.", shelf)) == {"IF13210.pdf", "IF13203.pdf"}


# Three of the nine CRS reports of a newcomer's trial, titles as printed.
COPPER = BriefInfo("e" * 64, "IN12614.3.pdf", "Section 232 National Security Tariffs on Copper Imports", "2026-04-23",
                   "Insight")
CORPORATE_TAX = BriefInfo("f" * 64, "R48913.pdf", "Corporate Taxation: The Revenue-Maximizing Tax Rate", "2026-04-21",
                          "Report")
HORMUZ = BriefInfo("0" * 64, "R48903.3.pdf", "The Strait of Hormuz in Brief: Non-Oil Shipments and Effects on U.S. "
                   "Shippers", "2026-04-10", "Report")


def test_the_words_after_a_named_reports_on_are_its_aspect_not_a_third_brief():
    # The trial's comparison also read the Hormuz report: "report on effects" took "effects" (a Hormuz title
    # word) for a reference, though "the corporate tax rate report" had already named its brief.
    three = Catalogue([COPPER, CORPORATE_TAX, HORMUZ])
    question = "Compare the copper tariffs report and the corporate tax rate report on effects on U.S. manufacturing."
    assert names(resolve_briefs(question, three)) == {"IN12614.3.pdf", "R48913.pdf"}
    # A bare "the report on ..." still names its brief by the word after "on".
    assert names(resolve_briefs("Summarize the report on Hormuz.", three, whole_brief=True)) == {"R48903.3.pdf"}


def test_a_short_form_a_brief_defines_for_its_title_names_it():
    """"FWS" names the "U.S. Fish and Wildlife Service: FY2027 Budget Request" brief, which defines it
    ("Fish and Wildlife Service (FWS)"); a comparison that names it so reads both briefs."""
    from answer.catalogue import BriefInfo, Catalogue, resolve_briefs, title_short_forms

    fws_title = "U.S. Fish and Wildlife Service: FY2027 Budget Request"
    defined = (("FWS", "Fish and Wildlife Service"), ("DOI", "Department of the Interior"))
    assert title_short_forms(fws_title, defined) == ("FWS",)
    fws = BriefInfo("a" * 64, "IF13203.2.pdf", fws_title, "2026-04-15", short_forms=("FWS",))
    judiciary = BriefInfo("b" * 64, "IF13206.1.pdf", "Judiciary Budget Request for FY2027", "2026-04-20")
    catalogue = Catalogue([fws, judiciary])
    assert resolve_briefs("Compare the FY2027 requests for FWS and the judiciary.", catalogue).briefs == (fws, judiciary)
    assert resolve_briefs("Who wrote the FWS report?", catalogue).briefs == (fws,)
    without = Catalogue([BriefInfo("a" * 64, "IF13203.2.pdf", fws_title, "2026-04-15"), judiciary])
    assert resolve_briefs("Who wrote the FWS report?", without).briefs == ()


def test_a_modifier_between_the_article_and_a_name_is_part_of_the_name():
    """"the federal judiciary": "federal" names the brief with "judiciary", it is no aspect (a newcomer's
    comparison of the two budget requests searched each brief for "federal")."""
    from answer.catalogue import BriefInfo, Catalogue, resolve_briefs
    from answer.plans import comparison_aspect

    fws = BriefInfo("a" * 64, "IF13203.2.pdf", "U.S. Fish and Wildlife Service: FY2027 Budget Request", "2026-04-15")
    judiciary = BriefInfo("b" * 64, "IF13206.1.pdf", "Judiciary Budget Request for FY2027", "2026-04-20")
    catalogue = Catalogue([fws, judiciary])
    question = "Compare the FY2027 budget requests for the Fish and Wildlife Service and the federal judiciary."
    resolution = resolve_briefs(question, catalogue)
    assert resolution.briefs == (fws, judiciary)
    assert comparison_aspect(question, resolution, resolution.briefs) == ""
    question = "Compare the FY2027 requests for the Fish and Wildlife Service and the judiciary on court security."
    resolution = resolve_briefs(question, catalogue)
    assert comparison_aspect(question, resolution, resolution.briefs) == "court security"


def test_phrases_that_name_one_document_by_a_subject():
    question = "Compare the bridges report and the report on the Strait of Hormuz on funding."
    assert [subject for _, subject in references_by_subject(question)] == ["bridges", "the Strait of Hormuz"]
    assert [question[a:b] for (a, b), _ in references_by_subject(question)] == [
        "the bridges report", "the report on the Strait of Hormuz"]
    # several documents, or which one rather than what about, is no subject
    assert references_by_subject("Compare the other report and the two briefs on China.") == []
    assert references_by_subject("Compare the 2017 brief with the latest brief.") == []
    # one plural phrase naming two documents by their subjects (a lead's browser check: "Only one brief matches")
    pair = "Compare the reports on the Seafood Import Monitoring Program and on seabed mining on options for Congress."
    assert [subject for _, subject in references_by_subject(pair)] == ["the Seafood Import Monitoring Program",
                                                                        "seabed mining"]
    assert [pair[a:b] for (a, b), _ in references_by_subject(pair)] == [
        "the reports on the Seafood Import Monitoring Program", "on seabed mining"]
    assert references_by_subject("Compare the two reports on funding elections.") == []


def test_a_reference_to_the_last_brief_wins_over_generic_title_words_of_another():
    # seen in a browser trial: "Issues ... Congress" named "Seabed Mining ...: Issues for Congress"
    mexico = BriefInfo("m" * 64, "IF11175.pdf", "U.S.-Mexico Trade Relations", "2026-04-16")
    seabed = BriefInfo("s" * 64, "R47324.pdf", "Seabed Mining in Areas Beyond National Jurisdiction: Issues for Congress",
                       "2026-04-15")
    shelf = Catalogue([mexico, seabed])
    question = "What issues does that report say Congress may consider?"
    assert names(resolve_briefs(question, shelf, previous=(mexico,), follow_up=True)) == {"IF11175.pdf"}
    assert names(resolve_briefs(question, shelf)) == {"R47324.pdf"}  # no conversation: the title words name it
    switched = resolve_briefs("What does the seabed mining report say Congress may consider?", shelf,
                              previous=(mexico,), follow_up=True)
    assert names(switched) == {"R47324.pdf"}


def test_a_reference_to_the_last_brief_wins_over_words_for_a_part_of_another_title():
    # a fifth trial's kind: "What considerations does the report raise for Congress?" after a question on the LRPA
    # report named "Conditioning Federal Funding ...: Options and Considerations for Congress" ("considerations"
    # is a word for a part of a brief, as "recommendations" or "background" are: ``_REQUEST_WORDS``)
    lrpa = BriefInfo("l" * 64, "R48863.pdf", "Local and Regional Project Assistance Program: Background and Selected "
                     "Considerations", "2026-04-20")
    elections = BriefInfo("c" * 64, "IF13013.pdf", "Conditioning Federal Funding on Elections Policies: Options and "
                          "Considerations for Congress", "2026-04-14")
    shelf = Catalogue([lrpa, elections])
    question = "What considerations does the report raise for Congress?"
    assert names(resolve_briefs(question, shelf, previous=(lrpa,), follow_up=True)) == {"R48863.pdf"}
    assert names(resolve_briefs(question, shelf)) == {"IF13013.pdf"}  # no conversation: the title words name it
    switched = resolve_briefs("What considerations does the elections funding report raise for Congress?", shelf,
                              previous=(lrpa,), follow_up=True)
    assert names(switched) == {"IF13013.pdf"}  # a title word of its own still names the other brief


@pytest.mark.parametrize("question, end", [
    ("Which of the briefs was published most recently?", "newest"),
    ("When was the latest brief published?", "newest"),
    ("Which brief is the oldest?", "oldest"),
    ("Which of the reports came out first?", "oldest"),
    ("When was the report on the first amendment published?", ""),
    ("Who wrote the report on raw milk?", ""),
])
def test_the_newest_or_oldest_brief_asked_for_is_read_from_the_question(question, end):
    from answer.catalogue_answers import asked_end
    assert asked_end(question) == end


def test_the_years_of_a_change_over_a_period_are_one_pair_a_sentence_states_one_of():
    from answer.compose import stated_numbers
    assert stated_numbers("How did the standard deduction change between 2017 and 2018?") == [("2017", "2018")]
    assert stated_numbers("How did exports change from 2006 to 2025 in 3 states?") == [("2006", "2025"), "3"]
    # not a change: every number must be stated
    assert stated_numbers("What was spent between 2017 and 2018?") == ["2017", "2018"]


def test_years_asked_about_together_are_one_group_a_sentence_states_one_of():
    """A trial's "How much funding did the Nonprofit Security Grant Program receive in FY2024 and FY2025?" kept only
    a sentence of another brief stating both years; the program's brief states each year's figure apart."""
    from answer.compose import stated_numbers
    assert stated_numbers("How much did the program receive in FY2024 and FY2025?") == [("2024", "2025")]
    assert stated_numbers("What happened in 2017, 2020 or 2024 to the 3rd MDTF?") == [("2017", "2020", "2024"), "3"]
    assert stated_numbers("How much was spent in 2023?") == ["2023"]


DAIRY_EXPORTS = BriefInfo("e" * 64, "IF90001.pdf", "Dairy Policy Primer: Export Assistance Programs", "2026-04-21",
                          "In Focus")
DAIRY_PRICING = BriefInfo("f" * 64, "IF90002.pdf", "Dairy Policy Primer: Milk Pricing Title", "2026-04-13", "In Focus")
BRIDGES = BriefInfo("1" * 64, "R90003.pdf", "Highway Bridges: Conditions, Funding Programs, and Issues for Congress",
                    "2026-04-20", "Report")
ELECTIONS = BriefInfo("2" * 64, "IF90004.pdf", "Establishing and Funding Elections Grant Programs: Policy Options",
                      "2026-04-20", "In Focus")
RURAL = BriefInfo("3" * 64, "R90005.pdf", "Federal Credit Assistance and Grant Programs for Rural Businesses",
                  "2026-04-20", "Report")
TOLLING = BriefInfo("4" * 64, "IF90006.pdf", "New York City’s Central Business District Tolling Program: Background",
                    "2026-04-20", "In Focus")


def test_a_word_many_titles_hold_before_a_word_for_documents_names_no_brief():
    # a browser trial: "... title and trade programs reports on funding" read every "... Programs" title
    books = Catalogue([DAIRY_EXPORTS, DAIRY_PRICING, BRIDGES, ELECTIONS, SOFT])
    r = resolve_briefs("Compare the dairy policy milk pricing title and export programs reports on funding levels", books)
    assert names(r) == {"IF90001.pdf", "IF90002.pdf"}


def test_a_plural_and_its_singular_stem_alike():
    # "businesses" and "business" are one word: the rural businesses brief, not the business district's
    books = Catalogue([RURAL, TOLLING, ELECTIONS, BRIDGES])
    r = resolve_briefs("Compare the rural business programs and elections grant programs reports on loans", books)
    assert names(r) == {"R90005.pdf", "IF90004.pdf"}


def test_a_designator_names_its_brief_with_or_without_its_hyphen():
    """A trial's "Summarize the M-1E3 report." named no brief: "M-1E3" was split into "m", "1", "e", "3", none a title
    word, and the brief found by its subject was then refused as not about "M-1E3"."""
    tank = BriefInfo("f" * 64, "IF12495.pdf", "The Army’s M-1E3 Abrams Tank Modernization Program", "2026-04-23")
    vehicle = BriefInfo("0" * 64, "IF12094.pdf", "The Army’s XM-30 Mechanized Infantry Combat Vehicle", "2026-04-22")
    covid = BriefInfo("1" * 64, "R46.pdf", "COVID-19 and Federal Relief Programs", "2026-01-02")
    army = Catalogue([tank, vehicle, covid, SOFT, AUSTRALIA])
    assert names(resolve_briefs("Summarize the M-1E3 report.", army)) == {"IF12495.pdf"}
    assert names(resolve_briefs("What is the M1E3 report about?", army)) == {"IF12495.pdf"}
    assert names(resolve_briefs("Summarize the XM30 report.", army)) == {"IF12094.pdf"}
    assert names(resolve_briefs("What does the COVID report say about relief?", army)) == {"R46.pdf"}  # its part alone
    fws = BriefInfo("2" * 64, "R1.pdf", "U.S. Fish and Wildlife Service: FY2027 Budget Request", "2026-04-15")
    usgs = BriefInfo("3" * 64, "R2.pdf", "The U.S. Geological Survey (USGS): FY2027 Budget Request", "2026-04-16")
    judiciary = BriefInfo("4" * 64, "IF13206.pdf", "Judiciary Budget Request for FY2027", "2026-04-20")
    budgets = Catalogue([fws, usgs, judiciary])
    # a fiscal year is no designator: "its FY2027 request" names no "FY2027 Budget Request" title; "its" is the last turn's
    r = resolve_briefs("What is its FY2027 request?", budgets, previous=(judiciary,), follow_up=True)
    assert not r.candidates and names(r) == {"IF13206.pdf"}


def test_the_two_reports_on_a_topic_offers_the_briefs_whose_titles_share_it():
    """A trial's "How do the two reports on funding elections differ ...?" over 71 briefs listed all 71."""
    conditioning = BriefInfo("5" * 64, "IF13013.pdf", "Conditioning Federal Funding on Elections Policies: Options and "
                             "Considerations for Congress", "2026-04-20")
    grants = BriefInfo("6" * 64, "IF12501.pdf", "Establishing and Funding Elections Grant Programs: Policy Options",
                       "2026-04-20")
    memorials = BriefInfo("8" * 64, "R2.pdf", "Memorials and Commemorative Works Outside Washington, DC: Background and "
                          "Options for Congress", "2026-04-20")
    bridges = BriefInfo("7" * 64, "R1.pdf", "Highway Bridges: Conditions, Funding Programs, and Issues for Congress",
                        "2026-04-20")
    many = Catalogue([ALLIES, TRILATERAL, SOFT, AUSTRALIA, conditioning, grants, memorials, bridges])
    r = resolve_briefs("How do the two reports on funding elections differ in the options they give Congress?", many)
    assert r.how == "count" and [b.source for b in r.candidates] == ["IF13013.pdf", "IF12501.pdf", "R1.pdf"]
    # no title shares a word of the reference: every brief is offered, as before
    r = resolve_briefs("Compare the two reports on ocean shipping.", many)
    assert r.how == "count" and len(r.candidates) == len(many)


def test_a_pick_among_the_briefs_the_last_turn_read_is_asked_of_them():
    from answer.catalogue import among_them

    previous = (SOFT, AUSTRALIA)
    for question in ("Which of them is the most recent?", "Which one is the oldest?", "Which of these came out first?"):
        assert among_them(question), question
        r = resolve_briefs(question, catalogue(), previous=previous, follow_up=False)
        assert names(r) == {"IF13201.pdf", "IF10491.pdf"} and r.how == "conversation", question
    assert not among_them("Which reports discuss Japan?") and not among_them("Which brief is the oldest?")
    assert not resolve_briefs("Which brief is the oldest?", catalogue(), previous=previous).briefs
    # one brief read: nothing to pick among (the question is asked as it stands)
    assert not resolve_briefs("Which one is the oldest?", catalogue(), previous=(SOFT,)).briefs


def test_a_counted_reference_back_gives_how_many_briefs_it_means():
    from answer.catalogue import counted_back

    assert counted_back("Who wrote these two briefs?") == 2
    assert counted_back("When were both reports published?") == 2
    assert counted_back("Who wrote those three reports?") == 3
    assert counted_back("Compare the two Iran ceasefire Insights") == 0  # named by words of their own
    assert counted_back("Who wrote the two briefs?") == 0  # no demonstrative: not a reference back
    assert counted_back("Who wrote them?") == 0  # no number


def test_these_two_briefs_are_the_two_the_conversation_read():
    r = resolve_briefs("Who wrote these two briefs?", catalogue(), previous=(ALLIES, TRILATERAL))
    assert names(r) == {"001.txt", "000.txt"} and r.how == "conversation"


def test_words_that_ask_for_events_in_order_or_a_gist_name_no_brief():
    # a seventh trial: "Lay out how the charge got pushed back, step by step." read "The Length of Major Steps in the
    # Supreme Court Appointment Process" whole as a timeline ("step", a unique title word, named it)
    steps = BriefInfo("e" * 64, "IN12679.pdf", "The Length of Major Steps in the Supreme Court Appointment Process "
                      "(1975-2022)", "2026-04-13", "Insight")
    catalogue = Catalogue([ALLIES, SOFT, steps])
    assert resolve_briefs("Lay out how the deadline got pushed back, step by step.", catalogue, whole_brief=True).briefs == ()
    assert resolve_briefs("What's the bottom line? Give me the rundown and highlights.", catalogue, whole_brief=True).briefs == ()
    # the title's words still name it
    assert resolve_briefs("Summarize the brief on the major steps of the Supreme Court appointment process.",
                          catalogue, whole_brief=True).briefs == (steps,)
