"""Headings, first person, prescriptions and dates in brief sentences."""

from answer.statements import StatementDate, first_person, is_heading, prescriptive, statement_date


def test_headings_titles_and_captions_are_not_claims():
    assert is_heading("Riverton Housing Repair Fund")
    assert is_heading("High Costs of Conflict")
    assert is_heading("Figure 1. Australia Fact Sheet")
    assert is_heading("But so Is the Trilateral Response.",
                      title="The North Korean and Chinese Threats Are Growing. But so Is the Trilateral Response.")
    assert not is_heading("The fund disbursed 2.1 million dollars in 2021 and 3.4 million dollars in 2022.")
    assert not is_heading("the relationship is underpinned by the 1951 treaty")  # a wrapped PDF line


def test_first_person_outside_quotations():
    assert first_person("I left the region with some hope, seeing that both allies are committed.")
    assert first_person("My contributions focused on two key issues.")
    assert not first_person('Trump wrote that "I will talk to them" on Monday.')
    assert not first_person("In 2010, opinion in the South hardened.")


def test_prescriptions():
    assert prescriptive("At the end of the day, collective action is the only way forward in Northeast Asia.") == 1.0
    assert prescriptive("The Trump administration will need to reach out quickly.") == 1.0
    assert prescriptive("Members may wish to consider several areas for oversight.") == 0.5
    assert prescriptive("Kim has launched seventy-four missiles since he came to power.") == 0.0


def test_dates_are_resolved_against_the_brief_date():
    assert statement_date("On April 7, 2026, the United States and Iran agreed to a ceasefire.") == StatementDate(2026, 4, 7)
    assert statement_date("In 2016, Pyongyang again asserted its military muscle.") == StatementDate(2016)
    impeached = statement_date("Park Geun-hye's impeachment on March 10 has left a caretaker government.",
                               brief_date="2017-05-08")
    assert (impeached.year, impeached.month, impeached.day, impeached.inferred_year) == (2017, 3, 10, True)
    earlier = statement_date("In November the talks stalled.", brief_date="2017-05-08")
    assert (earlier.year, earlier.month) == (2016, 11)
    last_month = statement_date("Abe last month informed his legislature.", brief_date="2017-05-08")
    assert (last_month.year, last_month.month) == (2017, 4)
    assert statement_date("Abe last month informed his legislature.") is None
    assert statement_date("Japan has invested at least $14 billion.") is None
    # a year a comparison points back to is no date of the sentence (a trial's ESF timeline filed the CARES Act under 2008)
    assert statement_date("In addition, the CARES Act temporarily permitted the use of the ESF to guarantee MMFs, "
                          "as in 2008.") is None
    assert statement_date("In 2020, the CARES Act appropriated $500 billion, as in 2008.") == StatementDate(2020)


def test_a_range_of_months_dates_by_its_first_month():
    # a CRS Insight's "engagements ... (in April-June 2025 and February 2026)" was dated June 2025 in a timeline
    sentence = ("Previous U.S.-Iran diplomatic engagements during the second Trump Administration (in April-June 2025 "
                "and February 2026) stalled over such issues.")
    assert statement_date(sentence) == StatementDate(2025, 4)
    assert statement_date("Talks ran from March to May 2024.") == StatementDate(2024, 3)
    assert statement_date("Talks ran from March–May 2024.") == StatementDate(2024, 3)


def test_a_bill_or_section_number_is_not_a_year():
    # a browser trial's timeline of a CRS Insight dated "Members could seek to block ... (H.R. 2012, H.R. 2570)" as 2012
    assert statement_date("Members could seek to block sanctions relief (H.R. 2012, H.R. 2570).") is None
    assert statement_date("The resolution (S. 2019) was referred to committee.") is None
    assert statement_date("Grants under § 2015 of the act.") is None
    assert statement_date("The bill, H.R. 2012, was introduced in 2025.") == StatementDate(2025)


def test_a_legislature_as_the_subject_of_a_modal_is_an_option():
    from answer.statements import prescriptive
    assert prescriptive("Lawmakers might review the agency's spending plans.") == 0.5
    assert prescriptive("Congress could also hold hearings on the program.") == 0.5
    assert prescriptive("Policymakers face a choice of how to share the funds among regions.") == 0.5
    assert prescriptive("Congress passed the act in 2015.") == 0.0
    assert prescriptive("Congress may not have anticipated the cost.") == 0.0


def test_prescriptions_are_the_briefs_own_options_or_reported():
    from answer.statements import prescription
    assert prescription("The government must fund the shelters before winter.") == "recommendation"
    assert prescription("Regional cooperation is the only way forward for the fisheries.") == "recommendation"
    assert prescription("Congress may wish to examine the grant formula.") == "option"
    assert prescription("Members could seek to condition the aid on audits.") == "option"
    assert prescription("A question is to what extent Congress should raise the cap.") == "option"
    assert prescription("One analyst argued that Seoul should build its own deterrent.") == "reported"
    assert prescription('The strategy said Canada "must spend more on defense."') == "reported"
    assert prescription("Ottawa signed the treaty in 1999.") == ""
    # what a bill would do is its sponsors' proposal (a trial listed it under "The author recommends:")
    assert prescription("Separately, H.R. 663 would instruct the President to call for a moratorium.") == "reported"
    assert prescription("S.Res. 331 calls for the Senate to take up UNCLOS.") == "reported"
    # a party's allegation (a trial listed it under "The author recommends:")
    assert prescription("The complaint alleged that the decision must be set aside under the APA.") == "reported"


def test_a_conditional_should_or_a_benefit_someone_mentions_prescribes_nothing():
    from answer.statements import prescription
    assert prescriptive("Seoul reorganized its forces to retaliate should Pyongyang act again.") == 0.0
    assert prescriptive("The allies asked for consultation should it consider the use of force.") == 0.0
    assert prescriptive("Seoul should act before the election.") == 1.0
    assert prescription("According to an official, the move would help test how fast the battery can relocate.") == ""
    # a third newcomer's trial (CRS R48908): an inverted condition opening the sentence, listed as the
    # author's recommendation; a question keeps its "should"
    assert prescription("Should Congress opt to separate the agencies, it might consider how the separation "
                        "could affect their effectiveness.") == "option"
    assert prescriptive("Should the cost estimates vary, the outcome is unclear.") == 0.0
    assert prescriptive("Should the United States act now?") == 1.0
    # a browser trial (CRS IN12669): the legislature named in the condition, taken up by "it"
    assert prescription("Should Congress decide that more oversight is needed, it may codify the requirements of "
                        "DODD 3000.09 or consider additional notification requirements.") == "option"
    assert prescription("If Congress acts, the agency may lose funds.") == ""
    assert prescription("Alternatively, if Members support the ESF as a crisis-response tool, they could increase ESF "
                        "resources.") == "option"
    # a question the sentence says was debated (a trial listed the sample brief's "main debate" as the author's advice)
    assert prescription("The main debate was on how Washington and Seoul should respond to the threat.") == ""
    assert prescription("There were many questions about how our allies should respond.") == ""
    assert prescription("Congress may consider how the agency should respond.") == "option"
    # someone's message reported (a trial listed Kishida's "key message" as the author's advice)
    assert prescription("His key message was that like-minded allies need to think outside the box.") == "reported"
    # an issue put to Congress is an option; a title's "Potential Issues for Congress" is none
    assert prescription("Other potential issues in reauthorization of the IIJA include") == "option"
    assert prescription("Its success is likely to be of ongoing concern to Congress.") == "option"
    assert prescription("Pentagon-Anthropic Dispute over Autonomous Weapon Systems: Potential Issues for Congress") == ""


def test_a_sentence_handing_over_to_a_quotation_introduces_it():
    from answer.statements import introduces_quotation

    assert introduces_quotation("The Army’s announcement quoted Major General Glenn Dean, program executive officer, "
                                "describing the rationale for the Army’s decision:")
    assert not introduces_quotation("Potential oversight considerations for Congress could include the following:")


def test_what_the_brief_calls_an_option_and_a_courts_doctrine_are_no_recommendation():
    from answer.statements import prescription
    assert prescription("One option could be for Congress to add a sunset date to any mandates and to require "
                        "the service to recommend adjustments.") == "option"
    assert prescription("Another option could be to alter the definition of veteran.") == "option"
    assert prescription("Modern Free Exercise Clause jurisprudence instructs courts to apply strict scrutiny, "
                        "meaning the government must prove its action is narrowly tailored.") == "requirement"
    assert prescription("Washington must reassure its allies.") == "recommendation"
    # a numbered directive's duty, and a sentence going on from it ("Such judgment ... a human must assess")
    assert prescription("DODD 3000.09 requires that a human must approve each use.") == "requirement"
    assert prescription("Such judgment means a human must assess the environment.",
                        before="DODD 3000.09 requires all systems be designed to allow human judgment.") == "requirement"


def test_a_year_naming_a_law_dates_the_statement_by_it():
    # kept on purpose (a browser trial's Iran ceasefire timeline showed "2015:" for it): see statement_date
    sentence = ("Any agreement would trigger congressional review requirements under the 2015 Iran Nuclear "
                "Agreement Review Act (P.L. 114-17).")
    assert statement_date(sentence, brief_date="2026-04-09") == StatementDate(2015)


def test_a_cue_only_inside_a_quotation_nobody_is_said_to_say_prescribes_nothing():
    # seen on a dev answer: a descriptive "has to" inside a quotation was listed as a reported recommendation
    from answer.statements import prescription
    assert prescription("The Army considers the launcher “so long that it has to be raised upright to fire.”") == ""
    assert prescription("The minister said the navy “must double its patrols.”") == "reported"


def test_the_extent_to_which_congress_should_is_an_open_question_an_option():
    from answer.statements import prescription

    # seen in a browser trial under "The author recommends:" (IN12614)
    assert prescription("A related issue is the extent to which Congress should exercise oversight of the "
                        "negotiations.") == "option"


def test_a_debate_over_the_role_someone_should_play_is_no_recommendation():
    from answer.statements import prescription

    # a browser trial's "The author recommends:" over IF11962's background sentence
    assert prescription("A central debate in elections policy is over the role the federal government should "
                        "play in election administration.") == "option"
    assert prescription("Congress should define the role of the agency.") == "recommendation"


def test_a_duty_the_law_sets_is_a_requirement_not_the_authors_advice():
    from answer.statements import prescription

    # a newcomer's trial (CRS IN12681, LSB11421): statutory duties listed under "The author recommends:"
    assert prescription("FDA must submit an annual report to Congress under FSMA (21 U.S.C. §350l-1) on its use of "
                        "mandatory recall authority.") == "requirement"
    assert prescription("Within 20 days, the Secretary must determine whether the exemption applicant meets three "
                        "criteria.") == "requirement"
    assert prescription("Veterans must have been discharged other than dishonorably to qualify for the Veterans "
                        "Pension.") == "requirement"  # CRS R48907
    assert prescription("The court reasoned that, even though the sunflower seed shell is not meant to be consumed, "
                        "the coating on the shell is edible and therefore must be included in the sodium declaration "
                        "on the food’s label.") == "requirement"  # CRS R48915
    # the obligation in its source's quoted words (a second trial: under "The author recommends:")
    assert prescription("All Committee meetings and records related to an application for an exemption must “be "
                        "open to the public.”") == "requirement"  # CRS LSB11421
    # advice that names a law is still advice; an obligation without a legal source stays the author's
    assert prescription("Congress should amend the statute to cover ride-hailing companies.") == "recommendation"
    assert prescription("Washington must update its export control regulations under the Export Control "
                        "Reform Act.") == "recommendation"
    assert prescription("The government must fund the shelters before winter.") == "recommendation"
    # an option for Congress stays an option even where it names the law
    assert prescription("Congress may also seek to clarify whether federal agencies must follow the application "
                        "process in Section 7(g).") == "option"


def test_a_party_to_a_case_or_a_bill_is_reported():
    from answer.statements import prescription

    # CRS LSB11421 and R48447: a party's claim and a bill's content are no one's advice in the brief's voice
    assert prescription("The plaintiffs also claim that the Secretary of Defense’s finding was arbitrary and "
                        "capricious and should be set aside under the APA.") == "reported"
    assert prescription("If so, the federal defendants may argue that the Committee must grant an exemption under "
                        "§ 1536(h).") == "reported"
    assert prescription("Additionally, this bill would require DOL to issue regulations to increase the number of "
                        "UI audits.") in ("reported", "")
    assert prescription("Various researchers and policymakers recommend that regulatory agencies and Congress "
                        "continue to monitor developments.") == "reported"


def test_a_duty_that_goes_on_from_a_sentence_citing_the_law_is_a_requirement():
    from answer.statements import prescription

    # CRS LSB11421, read in a newcomer's trial under "The author recommends:"
    statute = "The statute directs the Committee to grant the exemption if four criteria are met."
    duty = "The Committee must also establish “reasonable mitigation and enhancement measures.”"
    assert prescription(duty, before=statute) == "requirement"
    assert prescription(duty) == "recommendation"  # alone, nothing says it is the law's
    # advice after a sentence on the law stays advice; a new subject does not go on from it
    assert prescription("Washington must also press Seoul to ratify it.", before=statute) == "recommendation"
    assert prescription("The government must fund the shelters before winter.", before=statute) == "recommendation"


def test_options_as_the_sentences_subject_are_options_not_the_authors_recommendation():
    """A trial's SIMP answer opened "The author recommends: As detailed below, these options may include ...";
    over the 69 CRS reports the rule moves 2 sentences, both such (``python -m bench.prescription_groups``)."""
    from answer.statements import prescription

    assert prescription("As detailed below, these options may include acting on program recommendations; "
                        "requiring additional agency reporting.") == "option"
    assert prescription("Options could include, for example, conducting oversight hearings.") == "option"
    assert prescription("Congress should require the agency to report.") == "recommendation"


def test_the_noun_recommendation_is_no_prescription_unless_it_says_what_is_recommended():
    """"The author recommends: In November 2024, NMFS released an action plan ... that incorporated elements of
    these recommendations" (a lead's trial over the SIMP report): advice spoken of is not advice given. Over the
    69 CRS reports 27 sentences leave the groups, each read: none prescribes (``bench.prescription_groups``)."""
    from answer.statements import prescription

    assert prescription("In November 2024, NMFS released an action plan for SIMP that incorporated elements of "
                        "these recommendations.") == ""
    assert prescription("GAO offered recommendations regarding the strategic planning of future agency reforms.") == ""
    assert prescription("My recommendation is that Washington act now.") == "recommendation"
    assert prescription("We recommend that Washington act now.") == "recommendation"
    assert prescription("The task force recommended that NMFS act now.") == "reported"
    # what a plan calls for is a plan (over the 69 reports: 1 sentence, this one)
    assert prescription("Plans call for delivery of Improved Lethality 30-mm Gun Variant ACVs in FY2025.") == ""


def test_a_roman_numeral_before_a_name_is_not_the_author_speaking():
    """A trial's list quoted "6th IFPC BN–I Corps–Joint Base Lewis-McChord" as "The author writes that ..."."""
    from answer.statements import first_person

    assert not first_person("6 th IFPC BN–I Corps–Joint Base Lewis-McChord, WA—FY2030;")
    assert first_person("I left the region with some hope.") and first_person("As I wrote, the talks failed.")


def test_a_date_after_since_is_a_reference_point_when_the_sentence_states_another():
    """A trial's Artemis timeline filed the planned 2028 landing under "1972:" ("the first human landing on the Moon
    since 1972"). Over the 69 CRS reports, 2 of 4,768 dated sentences change date, both read."""
    from answer.statements import statement_date

    artemis = "Next, Artemis IV is to be the first human landing on the Moon since 1972 and is planned to occur by 2028."
    assert statement_date(artemis).year == 2028
    assert statement_date("Since January 2025, the administration has imposed tariffs.").month == 1  # the only date
    assert statement_date("The first landing since 1972.").year == 1972


def test_the_main_clauses_date_dates_a_sentence_not_a_date_in_an_aside_a_name_or_a_range():
    """Trials' timelines filed a directive under the date of the executive order its sentence mentions, and
    ordered sentences by any year they hold; measured on ``bench.timeline_dates``'s labelled sentences."""
    # an opening date dates the main clause; the audits' period is what the report covered
    assert statement_date("In 2024, NMFS reported it had undertaken over 3,900 audits of seafood imports from "
                          "January 2018 through September 2023.") == StatementDate(2024)
    # a date after "dated" names an instrument; an aside in parentheses never outranks the sentence's own date
    hegseth = ("Secretary of Defense Pete Hegseth (who is now using “Secretary of War” as a “secondary title” under "
               "Executive Order (E.O.) 14347 dated September 5, 2025) subsequently directed the Department to act.")
    assert statement_date(hegseth, brief_date="2026-04-21") is None
    assert statement_date("On March 13, 2026, the Secretary, who is using a title under Executive Order 14347 dated "
                          "September 5, 2025, sent a letter.") == StatementDate(2026, 3, 13)
    assert statement_date("Treasury has used the ESF to clear arrears (Liberia in 2008 and Sudan in 2021).").year == 2008
    # a clause describing a noun, and a year naming a thing, yield to the main clause's date
    assert statement_date("Initial Operational Test and Evaluation (OT&E), originally planned for FY2025, was to begin "
                          "in FY2026.", brief_date="2026-04-16") == StatementDate(2026, fiscal=True)
    assert statement_date("The 2015 agreement was signed in March 2016.") == StatementDate(2016, 3)
    # the second date of a list or range never dates it; "in calendar year 2024" is a time; a decade is no year
    assert statement_date("Since 2022, rates have been higher than during the low-rate period of 2008- 2021.").year == 2022
    assert statement_date("The WEC was scheduled to start in calendar year 2024 at $900 per metric ton, increase to "
                          "$1,200 in 2025, and increase to $1,500 in 2026.").year == 2024
    assert statement_date("Safety concerns arose in the early 1970s.") is None


def test_a_deadline_is_labelled_as_one_and_a_budget_request_or_an_option_is_no_event():
    """A trial's Artemis timeline listed the FY2027 budget request under "2027", and an option for Congress under
    the year of "a 2028 Moon landing"."""
    artemis = statement_date("Artemis is NASA’s program for a return to the Moon by American astronauts by 2028.",
                             brief_date="2026-04-13")
    assert artemis == StatementDate(2028, bound="by") and artemis.label == "By 2028"
    assert (statement_date("Section 1066 requires a report to the committees annually through December 31, 2029.").label
            == "Through December 31, 2029")
    # a fiscal year not yet begun at the brief's date names a budget: its fiscal years date nothing
    assert statement_date("For FY2027, NASA requested $8.5 billion for Artemis systems, an increase of $731 million "
                          "compared with FY2026 appropriations.", brief_date="2026-04-13") is None
    assert statement_date("On March 5, 2026, the President submitted the FY2027 budget request.",
                          brief_date="2026-04-13") == StatementDate(2026, 3, 5)
    assert statement_date("In FY2022, Congress provided $150 million in loan authority.",
                          brief_date="2026-04-15").label == "FY2022"
    # a year naming a thing planned for after the brief is no date of the sentence's event
    assert statement_date("NASA is considering proposals to accelerate development in support of a 2028 lunar "
                          "landing.", brief_date="2026-04-13") is None
    # an option set out for Congress reports no event
    assert statement_date("As Congress oversees the program, it may consider issues such as the planned schedule "
                          "for a 2028 Moon landing.", brief_date="2026-04-13") is None


def test_a_date_in_a_relative_clause_and_the_next_year_of_a_narrative_do_not_date_the_main_clause():
    """Dev timelines filed "The FY2018 appropriations law included a provision that continued policies ... in effect
    as of ... FY2017" under FY2017, and "The next year, the ... council voted" under the year after the brief's."""
    law = ("The FY2018 appropriations law included a new provision that continued policies related to indirect cost "
           "rates that were in effect as of the third quarter of FY2017.")
    assert statement_date(law, brief_date="2026-04-01") == StatementDate(2018, fiscal=True)
    assert statement_date("The next year, the city council voted in favor of the project.", brief_date="2026-04-01") is None
    assert statement_date("Next year, the council will vote.", brief_date="2026-04-01") == StatementDate(2027, inferred_year=True)


def test_a_day_without_a_year_in_the_future_tense_is_the_next_such_day():
    """The analyst set's 2017 timeline showed "May 9, 2016: On May 9, South Koreans will choose a new president" (the
    brief is of May 8, 2017), and a 2026 timeline "July 2025: The Court is expected to issue rulings ... early July"."""
    vote = statement_date("On May 9, South Koreans will choose a new president.", brief_date="2017-05-08")
    assert (vote.year, vote.month, vote.day) == (2017, 5, 9)
    rulings = statement_date("The Court is expected to issue rulings in these cases by early July.", brief_date="2026-04-20")
    assert (rulings.year, rulings.month) == (2026, 7)
    assert statement_date("In November the talks stalled.", brief_date="2017-05-08").year == 2016  # the past: unchanged
    # "will" inside a quotation is the speaker's, not the sentence's tense
    wrote = statement_date("President Trump wrote on April 8 that “We are, and will be, talking relief with Iran.”",
                           brief_date="2026-04-09")
    assert (wrote.year, wrote.month, wrote.day) == (2026, 4, 8)
