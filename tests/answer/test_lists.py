"""A list question is answered with the bulleted list a brief gives (``answer.lists``): a trial's "List the
consortia that received NOAA exploration licenses." named "four U.S. mining consortia" and no consortium."""

import numpy as np

from answer.compose import list_answer
from answer.extractive import Candidate
from answer.lists import MAX_ITEMS, items_after
from answer.plans import Plan
from vectorstore.types import Chunk, Hit

DOCUMENT = ("In 1984, NOAA issued exploration licenses for four sites.\n"
            "NOAA issued exploration licenses to four U.S. mining consortia. NOAA issued the following:\n"
            "• USA-1 to Ocean Minerals Company, comprising Cyprus Minerals and Lockheed Martin;\n"
            "• USA-2 to Ocean Management Inc., comprising Schlumberger Technology;\n"
            "• USA-3 to Ocean Mining Associates, comprising Essex Minerals Co.; and\n"
            "• USA-4 to Kennecott Consortium, comprising Kennecott Utah Copper Corporation.\n"
            "NOAA has not issued exploration licenses since 1984.")
CUT = DOCUMENT.index("• USA-3")  # the list goes on in the next passage


def _passages(document: str = DOCUMENT, cuts: tuple[int, ...] = (CUT,)) -> list[Hit]:
    bounds = [0, *cuts, len(document)]
    return [Hit(Chunk(id=f"c{i}", doc_id="d", source="seabed.pdf", start=a, end=b, text=document[a:b], index=i,
                      title="Seabed Mining"), 0.0, i + 1) for i, (a, b) in enumerate(zip(bounds, bounds[1:]))]


def _sentence(hits: list[Hit], text: str) -> Candidate:
    hit = next(h for h in hits if text in h.chunk.text)
    start = hit.chunk.text.index(text)
    return Candidate(hit, start, start + len(text), 0.9, np.zeros(1))


def test_the_list_after_a_sentence_is_read_across_passages_without_its_bullets():
    hits = _passages()
    lead, items = items_after(_sentence(hits, "NOAA issued exploration licenses to four U.S. mining consortia."), hits)
    assert lead is not None and lead.text == "NOAA issued the following:"
    assert [i.text for i in items] == [
        "USA-1 to Ocean Minerals Company, comprising Cyprus Minerals and Lockheed Martin;",
        "USA-2 to Ocean Management Inc., comprising Schlumberger Technology;",
        "USA-3 to Ocean Mining Associates, comprising Essex Minerals Co.; and",
        "USA-4 to Kennecott Consortium, comprising Kennecott Utah Copper Corporation."]
    for item in items:  # each quote is its exact span of the document
        assert DOCUMENT[item.doc_start:item.doc_start + len(item.text)] == item.text


def test_no_list_right_after_the_sentence_is_no_list():
    hits = _passages()
    assert items_after(_sentence(hits, "In 1984, NOAA issued exploration licenses for four sites."), hits) == (None, [])
    assert items_after(_sentence(hits, "NOAA has not issued exploration licenses since 1984."), hits) == (None, [])


def test_a_long_list_is_cut():
    document = "The fund paid these groups:\n" + "\n".join(f"• Group number {n} in the northern region;" for n in
                                                           range(30))
    hits = _passages(document, ())
    lead, items = items_after(_sentence(hits, "The fund paid these groups:"), hits)
    assert lead is None and len(items) == MAX_ITEMS


def test_a_list_answer_quotes_the_items_each_cited():
    hits = _passages()
    plan = Plan(kind="list", question="List the consortia", shape="bullets", passages=(("", tuple(hits)),))
    best = _sentence(hits, "NOAA issued exploration licenses to four U.S. mining consortia.")
    answer = list_answer(plan, "List the consortia", [best], evidence_score=0.9, max_items=6, refusal_threshold=0.5,
                         passages_of=lambda doc_id: hits)
    assert "  - USA-4 to Kennecott Consortium" in answer.text and len(answer.citations) == 6
    for c in answer.citations:
        assert DOCUMENT[c.start:c.end] == c.quote


def test_items_that_run_on_are_named_by_their_first_sentence():
    document = ("Issues of potential disagreement or contention include\n\n"
                "• Iran’s nuclear program. The U.S. plan restated U.S. demands. Iran rejected them.\n\n"
                "Congressional Research Service https://crsreports.congress.gov IN12678\n\n"
                "• Strait of Hormuz. Iran’s disruption of shipping has raised prices.\n\n"
                "President Trump expressed ambivalence about the talks.")
    hits = _passages(document, (document.index("The U.S. plan"),))
    lead, items = items_after(_sentence(hits, "Issues of potential disagreement or contention include"), hits)
    assert lead is None and [i.text for i in items] == ["Iran’s nuclear program.", "Strait of Hormuz."]


# Real text (CRS LSB11420, abridged): a newcomer's "List the circuit splits ..." got the introduction and
# none of the splits: a paragraph on subscribing stands between the introducing sentence and the list.
WATCHER = (
    "The federal appellate courts sometimes reach different conclusions on the same issue of federal law, causing a "
    "“split” among the circuits that leads to the nonuniform application of federal law among similarly situated "
    "litigants.\n\n"
    "This Legal Sidebar discusses circuit splits that emerged or widened following decisions from March 2026 on "
    "matters relevant to Congress. The Sidebar does not address every circuit split that developed or widened during "
    "this period.\n\n"
    "Some cases identified in this Sidebar, or the legal questions they address, are examined in other CRS general "
    "distribution products. Members of Congress and congressional staff may click here to subscribe to the CRS Legal "
    "Update and receive regular notifications of new products and upcoming seminars by CRS attorneys.\n\n"
    "• Civil Rights: The Eleventh Circuit held that qualified immunity depends on whether a defendant’s conduct "
    "violates clearly established law. Defendant school administrators allegedly failed to implement a settlement "
    "agreement.\n\n"
    "Congressional Research Service https://crsreports.congress.gov LSB11420\n\n"
    "• Criminal Law & Procedure: A divided Second Circuit held that time credits earned under a provision of the "
    "First Step Act could not be used to reduce the petitioner’s period of supervised release. The court noted a "
    "split.\n\n"
    "• Immigration: A divided Eighth Circuit panel held that an alien taken into immigration custody could be "
    "detained without bond during the pendency of removal proceedings.\n\n"
    "Author Information\n\n"
    "Michael John Garcia")


def test_a_list_question_prefers_the_sentence_that_introduces_a_list_on_its_subject():
    hits = _passages(WATCHER, (WATCHER.index("The Sidebar does not"), WATCHER.index("Defendant school")))
    question = "List the circuit splits in the Court Watcher report."
    plan = Plan(kind="list", question=question, shape="bullets", passages=(("", tuple(hits)),))
    chosen = [_sentence(hits, "The federal appellate courts sometimes reach different conclusions"),
              _sentence(hits, "This Legal Sidebar discusses circuit splits"),
              _sentence(hits, "The Sidebar does not address every circuit split")]
    answer = list_answer(plan, question, chosen, evidence_score=0.9, max_items=6, refusal_threshold=0.5,
                         passages_of=lambda doc_id: hits)
    lines = answer.text.splitlines()
    assert lines[0].startswith("- This Legal Sidebar discusses circuit splits")
    assert [line.split(":")[0] for line in lines[1:]] == ["  - Civil Rights", "  - Criminal Law & Procedure",
                                                          "  - Immigration"]
    assert "subscribe" not in answer.text and "crsreports" not in answer.text
    for c in answer.citations:
        assert WATCHER[c.start:c.end] == c.quote


def test_a_list_two_paragraphs_on_or_past_a_heading_or_off_the_subject_is_not_introduced():
    from answer.lists import introduced_list

    hits = _passages(WATCHER, ())
    first = _sentence(hits, "The federal appellate courts sometimes reach different conclusions")
    assert introduced_list("List the circuit splits.", [first], lambda doc_id: hits) is None  # two paragraphs on
    second = _sentence(hits, "This Legal Sidebar discusses circuit splits")
    assert introduced_list("List the tariffs on steel.", [second], lambda doc_id: hits) is None  # off the subject
    headed = WATCHER.replace("Some cases identified", "Recent Decisions\n\nSome cases identified")
    hits = _passages(headed, ())
    assert introduced_list("List the circuit splits.", [_sentence(hits, "This Legal Sidebar discusses")],
                           lambda doc_id: hits) is None


PROGRAMS = ("Trade Promotion\n\n"
            "Export promotion programs are administered by USDA. Programs receive mandatory funding of $255 million "
            "annually.\n\n"
            "• Market Access Program (MAP) provides cost-sharing of overseas marketing (no less than $200 million).\n\n"
            "• Foreign Market Development (FMD) Cooperator Program funds long-term projects ($34.5 million).\n\n"
            "• E. (Kika) de la Garza Emerging Markets Program provides technical assistance ($8 million).\n\n"
            "The farm bill authorizes USDA to fund MAP and FMD activities in Cuba.")


def test_an_item_chosen_as_the_best_sentence_is_answered_with_its_whole_list_and_its_introduction():
    """A trial's "List the export market development programs ..." began with the second item, lost the first and the
    sentence saying what the list is, and quoted the third item as "E." (an initial read as a sentence's end)."""
    from answer.lists import introduced_list, list_introduction

    hits = _passages(PROGRAMS, (PROGRAMS.index("• Foreign"),))
    item = _sentence(hits, "• Foreign Market Development (FMD) Cooperator Program")
    introduction = list_introduction(item, hits)
    assert introduction is not None and introduction.text == "Programs receive mandatory funding of $255 million annually."
    found = introduced_list("List the export promotion programs.", [item], lambda doc_id: hits)
    assert found is not None
    sentence, lead, items = found
    assert sentence.text == introduction.text and lead is None
    assert [i.text.split(" provides")[0].split(" Cooperator")[0] for i in items] == [
        "Market Access Program (MAP)", "Foreign Market Development (FMD)", "E. (Kika) de la Garza Emerging Markets Program"]
    for i in items:
        assert PROGRAMS[i.doc_start:i.doc_start + len(i.text)] == i.text
    # a sentence is no item, and an item right under a heading has no introduction
    assert list_introduction(_sentence(hits, "Export promotion programs are administered"), hits) is None
    headed = PROGRAMS.replace("Export promotion programs are administered by USDA. Programs receive mandatory funding "
                              "of $255 million annually.\n\n", "")
    hits = _passages(headed, ())
    assert list_introduction(_sentence(hits, "• Foreign Market Development"), hits) is None


def test_a_lead_in_chosen_for_a_list_question_answers_with_its_list_and_one_without_a_list_is_dropped():
    """A trial's list questions missed lists whose only introduction is a lead-in ending with a colon ("According to
    the Army, nine planned IFPC Increment 2 battalions have been or are to be fielded as follows:"): a lead-in was
    never a candidate. For a list question it is (``candidates_for(lead_ins=True)``), quoted only with its list."""
    from answer.extractive import _usable

    assert not _usable("NOAA issued the following four licenses:") and _usable("NOAA issued the following four "
                                                                              "licenses:", lead_ins=True)
    hits = _passages()
    plan = Plan(kind="list", question="List the consortia", shape="bullets", passages=(("", tuple(hits)),))
    lead_in = _sentence(hits, "NOAA issued the following:")
    answer = list_answer(plan, "List the consortia", [lead_in], evidence_score=0.9, max_items=6,
                         refusal_threshold=0.5, passages_of=lambda doc_id: hits)
    lines = answer.text.splitlines()
    assert lines[0].startswith("- NOAA issued the following:") and lines[1].startswith("  - USA-1 to Ocean Minerals")
    dangling = _passages("The fund paid these groups:\nNo group was paid in 2024.\nThe fund closed in 2025.", ())
    plan = Plan(kind="list", question="List the groups", shape="bullets", passages=(("", tuple(dangling)),))
    answer = list_answer(plan, "List the groups", [_sentence(dangling, "The fund paid these groups:"),
                                                   _sentence(dangling, "No group was paid in 2024.")],
                         evidence_score=0.9, max_items=6, refusal_threshold=0.5, passages_of=lambda doc_id: dangling)
    assert "these groups:" not in answer.text and "No group was paid in 2024" in answer.text


def test_a_fact_answer_quotes_a_lead_in_ending_the_following_with_its_list():
    """A trial's "What services does it sell to companies?" ended on "Services include the following [4]." and no
    service: a fact answer quoted the lead-in without the list it introduces."""
    from answer.compose import fact_answer

    document = ("USFCS aims to help companies connect with potential foreign buyers. Services include the following.\n"
                "• Market Research and Business Counseling.\n• Matchmaking and Trade Events.\n"
                "USFCS has offices in 80 countries.")
    hits = _passages(document, ())
    plan = Plan(kind="fact", question="What services does it sell?", shape="prose", passages=(("", tuple(hits)),))
    lead = _sentence(hits, "Services include the following.")
    answer = fact_answer(plan, "What services does it sell?", [lead], evidence_score=0.9, max_sentences=4,
                         refusal_threshold=0.5, passages_of=lambda doc_id: hits)
    assert "Market Research and Business Counseling" in answer.text and "Matchmaking and Trade Events" in answer.text
    for c in answer.citations:
        assert document[c.start:c.end] == c.quote


def test_a_list_answer_leaves_out_what_a_brief_says_it_covers_unless_it_introduces_a_list():
    """A trial's "Which countries are the biggest foreign holders of U.S. Treasury debt?" was answered with "This
    report presents current data on foreign ownership ..., including major holders of federal debt by country." alone."""
    document = ("This report presents current data on foreign ownership of Treasury securities, including major holders "
                "by country.\n\nThe top three foreign holders are Japan, the United Kingdom, and China.")
    hits = _passages(document, ())
    plan = Plan(kind="list", question="Which countries hold the most?", shape="bullets", passages=(("", tuple(hits)),))
    scope = _sentence(hits, "This report presents current data")
    fact = Candidate(scope.hit, document.index("The top three"), len(document), 0.8, np.ones(1))
    answer = list_answer(plan, "Which countries hold the most?", [scope, fact], evidence_score=0.9, max_items=6,
                         refusal_threshold=0.5, passages_of=lambda doc_id: hits)
    assert "Japan" in answer.text and "This report presents" not in answer.text
