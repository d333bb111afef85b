"""Briefs named by what they are about, and names no brief writes (issue 12, a newcomer's trial over nine
CRS reports), on excerpts of two of those reports as stored, with the real model.

"Who wrote the report on raw milk?" was refused: the title says "Raw Dairy". "What is the National Park
Service budget request for FY2027?" was answered with the Fish and Wildlife Service's budget sentences.
"""

import pytest

from answer.assistant import Assistant
from retrieval.hybrid import HybridRetriever
from settings import Settings
from tests.conftest import index_documents, make_document
from vectorstore.types import DocumentMeta

pytestmark = pytest.mark.slow

RAW_DAIRY_TITLE = "Food and Drug Administration (FDA) Response to a Raw Dairy Toxic E. coli Outbreak"
RAW_DAIRY = f"""CRS INSIGHT

{RAW_DAIRY_TITLE}

April 20, 2026

Introduction

On March 15, 2026, the U.S. Department of Health and Human Services’ (HHS’s) Centers for Disease Control and Prevention (CDC) and Food and Drug Administration (FDA) and certain state public health officials announced an investigation into a multistate outbreak of toxic E. coli O157:H7 infections linked to raw (unpasteurized) cheese and milk sold by RAW FARM, LLC (Raw Farm). The investigation confirmed nine E. coli cases in three states between September 2025 and February 2026, with the majority of illnesses occurring in children under five.

On April 2, 2026, after initially refusing, Raw Farm voluntarily recalled certain raw cheddar cheese products and stated it “disputes being the cause of this outbreak.” Raw Farm, the largest raw milk farm in the country, reported that this recall impacted approximately $1.5 million of its product. Raw dairy products, compared with pasteurized products, generally are associated with a higher risk of foodborne illness, including E. coli infection.

Author Information

Laura Pineda-Bermudez
Analyst in Health Policy
"""
FWS_TITLE = "U.S. Fish and Wildlife Service: FY2027 Budget Request"
FWS = f"""April 15, 2026

{FWS_TITLE}

Introduction

The U.S. Fish and Wildlife Service (FWS), an agency within the Department of the Interior (DOI), has a mission to conserve, protect, and enhance fish, wildlife, and plants and their habitats. Congress funds FWS through discretionary and mandatory appropriations.

FWS Discretionary Appropriations

Since FY2018, FWS received an average of $1.86 billion in discretionary funding (adjusted to 2025 dollars; see Figure 1). For FY2027, the Administration requested $1.33 billion in discretionary funding for FWS. The FY2027 request was $323.2 million below (-20%) the FY2026 enacted amount of $1.65 billion, in P.L. 119-74, Division C.

Selected FY2027 Budget Proposals

Among other proposals, the FY2027 Administration request proposed to prioritize funding to expand visitor services and access in the National Wildlife Refuge System; improve law enforcement officer retention; and expedite environmental reviews for energy, mineral, and timber projects. The FY2027 request also expressed support for Congress to reauthorize the National Parks and Public Land Legacy Restoration Fund (54 U.S.C. §200402) to help FWS (and other agencies) address deferred maintenance.

Eric P. Nardi, Analyst in Natural Resources Policy
"""


def _assistant_over(path, embedder, docs) -> Assistant:
    """An assistant with default settings over a new store at ``path`` holding ``docs``."""
    from vectorstore.store import open_store

    store = open_store(path=str(path), model=embedder.name, dimension=embedder.dimension)
    index_documents(store, embedder, docs)
    settings = Settings()
    return Assistant(HybridRetriever.over(store, embedder, settings=settings.retrieval), embedder, settings.answer)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, embedder) -> Assistant:
    docs = [make_document(RAW_DAIRY, source="IN12681.2.pdf",
                          meta=DocumentMeta(title=RAW_DAIRY_TITLE, date="2026-04-20", authors=("Laura Pineda-Bermudez",))),
            make_document(FWS, source="IF13203.2.pdf",
                          meta=DocumentMeta(title=FWS_TITLE, date="2026-04-15", authors=("Eric P. Nardi",)))]
    return _assistant_over(tmp_path_factory.mktemp("subject"), embedder, docs)


def test_a_catalogue_question_names_a_brief_by_what_its_passages_are_about(assistant):
    answer = assistant.ask("Who wrote the report on raw milk?")
    assert not answer.refused
    assert "Laura Pineda-Bermudez" in answer.text
    assert "No title names “raw milk”" in answer.text and RAW_DAIRY_TITLE in answer.text  # says which brief it read
    assert [b.source for b in answer.briefs_read] == ["IN12681.2.pdf"]


def test_a_subject_whose_name_the_best_brief_never_writes_names_no_brief(assistant):
    answer = assistant.ask("Who wrote the report on the National Park Service?")
    assert answer.refused and "Nardi" not in answer.text


def test_a_fact_question_about_a_name_no_brief_writes_is_refused(assistant):
    answer = assistant.ask("What is the National Park Service budget request for FY2027?")
    assert answer.refused and "No brief in the collection mentions “National Park Service”" in answer.text
    # the same question about the agency the brief covers is answered
    answered = assistant.ask("What is the U.S. Fish and Wildlife Service budget request for FY2027?")
    assert not answered.refused and "$1.33 billion" in answered.text



def test_recommendations_and_timelines_of_a_brief_named_by_its_subject_read_that_brief(assistant):
    # A newcomer's "Which options for Congress does the Endangered Species Committee report discuss?" was
    # refused: only a summary read the brief most of the best passages come from ("the brief on THAAD").
    options = assistant.ask("What does the report on the refuge system and law enforcement officer retention propose?")
    assert not options.refused and options.kind == "recommendations"
    assert [b.source for b in options.briefs_read] == ["IF13203.2.pdf"]
    assert {c.source for c in options.citations} == {"IF13203.2.pdf"}
    timeline = assistant.ask("Give me a timeline of the report on the cheese recall.")
    assert not timeline.refused and [b.source for b in timeline.briefs_read] == ["IN12681.2.pdf"]
    assert "April 2, 2026" in timeline.text  # the recall (a timeline "of the cheese recall" keeps to it)


def test_a_question_speaking_of_no_document_reads_the_brief_its_subject_names(assistant):
    # a seventh trial: "Walk me through the timeline of the Pentagon's fight with Anthropic" was refused from the
    # passages found, "Brief me on the raw milk E. coli outbreak ..." answered with two sentences as a fact
    briefing = assistant.ask("Brief me on the raw milk E. coli outbreak.")
    assert briefing.kind == "summary" and not briefing.refused
    assert [b.source for b in briefing.briefs_read] == ["IN12681.2.pdf"]
    timeline = assistant.ask("Walk me through the timeline of the Raw Farm cheese recall.")
    assert timeline.kind == "timeline" and not timeline.refused
    assert [b.source for b in timeline.briefs_read] == ["IN12681.2.pdf"] and "April 2, 2026" in timeline.text
    plan = assistant.planner.plan("Walk me through the timeline of the Raw Farm cheese recall.", "timeline", k=5)
    assert plan.whole_brief and plan.resolution.how == "subject"
    # a subject no brief is about reads no brief whole: the passages found, as before
    assert not assistant.planner.plan("Walk me through the timeline of the Artemis moon program.", "timeline",
                                      k=5).whole_brief


def test_what_congress_could_do_about_it_reads_the_conversations_brief(assistant):
    from answer.types import Turn

    first = assistant.ask("What did the Administration request for FWS for FY2027?")
    answer = assistant.ask("What could Congress do about it?", history=[Turn.from_answer(first)])
    assert answer.kind == "recommendations"
    assert [b.source for b in answer.briefs_read] == ["IF13203.2.pdf"]


def test_advice_asked_of_several_briefs_is_not_narrowed_to_one(assistant):
    # "the reports": a fact about advice over the passages found (prose), not one brief's options (bullets)
    answer = assistant.ask("What do the reports propose on funding?")
    assert answer.kind == "recommendations" and answer.shape == "prose"
    assert assistant.ask("What does the report on the refuge system and law enforcement officer retention propose?").shape == "bullets"

COURT_WATCHER_TITLE = "Congressional Court Watcher: Circuit Splits from March 2026"
COURT_WATCHER = f"""CRS Legal Sidebar

{COURT_WATCHER_TITLE}

April 20, 2026

The U.S. Courts of Appeals for the thirteen “circuits” issue thousands of precedential decisions each year. The federal appellate courts sometimes reach different conclusions on the same issue of federal law, causing a “split” among the circuits that leads to the nonuniform application of federal law among similarly situated litigants.

• Criminal Law: The Eleventh Circuit agreed that the district court lacked jurisdiction to consider the motion. The circuit panel held that expanding the scope of the petition to additional counts would require a new application to the court of appeals.

• Immigration: A divided Eighth Circuit panel held that an alien taken into immigration custody after having unlawfully entered the country years earlier could be detained without bond during the pendency of removal proceedings. In many cases, an alien may be released from custody on bond or on his or her own recognizance during the pendency of removal proceedings.
"""


@pytest.fixture(scope="module")
def with_court_watcher(tmp_path_factory, embedder) -> Assistant:
    docs = [make_document(COURT_WATCHER, source="LSB11420.1.pdf",
                          meta=DocumentMeta(title=COURT_WATCHER_TITLE, date="2026-04-20")),
            make_document(FWS, source="IF13203.2.pdf", meta=DocumentMeta(title=FWS_TITLE, date="2026-04-15"))]
    return _assistant_over(tmp_path_factory.mktemp("watcher"), embedder, docs)


def test_the_words_that_name_a_brief_need_not_be_repeated_by_its_sentences(with_court_watcher):
    # The trial's question was refused (evidence 0.46): no sentence says "Court Watcher".
    answer = with_court_watcher.ask("What does the Court Watcher report say about immigration detention?")
    assert not answer.refused
    assert any("detained without bond" in c.quote for c in answer.citations)
    # a question on what the brief does not cover is still refused
    assert with_court_watcher.ask("What does the Court Watcher report say about tariffs on copper?").refused


def test_a_brief_named_by_a_subject_it_is_not_about_is_not_summarised(assistant):
    # "Summarize the report on Medicaid work requirements." summarised whichever brief its passages
    # leaned to: the brief found must be about the subject (its best sentence on it clears the refusal
    # threshold) and write its proper names, as a catalogue question's must.
    assert assistant.ask("Summarize the report on Medicaid work requirements.").refused
    assert assistant.ask("What does the report on the Coast Guard icebreaker fleet recommend?").refused
    summary = assistant.ask("Summarize the report on the cheese recall.")
    assert not summary.refused and [b.source for b in summary.briefs_read] == ["IN12681.2.pdf"]


def test_the_brief_named_by_its_subject_is_found_by_the_subject_not_by_the_kind_words(sample_store, embedder):
    # "What does the brief on THAAD recommend?": the passages best matching the whole question are the 2024
    # brief's on advice ("how our allies should respond"); THAAD is the 2017 brief's.
    settings = Settings()
    assistant = Assistant(HybridRetriever.over(sample_store, embedder, settings=settings.retrieval), embedder,
                          settings.answer)
    answer = assistant.ask("What does the brief on THAAD recommend?")
    assert not answer.refused and answer.shape == "bullets"
    assert len(answer.briefs_read) == 1 and "2017" in (answer.briefs_read[0].date or "")
    assert {c.doc_id for c in answer.citations} == {answer.briefs_read[0].doc_id}


GAOA_TITLE = "The Great American Outdoors Act (GAOA): Frequently Asked Questions"
GAOA = f"""{GAOA_TITLE}

April 14, 2026

Does the GAOA Expire?

Provisions of the GAOA pertaining to the LWCF do not expire. The Legacy Restoration Fund was funded through FY2025.
"""


def test_a_question_heading_is_never_the_answer(tmp_path, embedder):
    # A third newcomer's trial: "Does the GAOA expire?" was answered with the heading "Does the GAOA Expire?"
    assistant = _assistant_over(tmp_path / "gaoa", embedder, [make_document(
        GAOA, source="IF12888.3.pdf", meta=DocumentMeta(title=GAOA_TITLE, date="2026-04-14"))])
    answer = assistant.ask("Does the GAOA expire?")
    assert not answer.refused
    assert all(not c.quote.rstrip().endswith("?") for c in answer.citations)
    assert any("do not expire" in c.quote for c in answer.citations)


# A comparison naming one brief by its title and one by what it is about (the lead's trial over ten CRS
# reports: "Compare the bridges report and the LWCF report on funding." said "Only one brief matches").
BRIDGES_TITLE = "Highway Bridges: Conditions, Funding Programs, and Issues for Congress"
BRIDGES = f"""{BRIDGES_TITLE}

Updated April 20, 2026

The United States has approximately 624,000 bridges longer than 20 feet on public roads. About 48% of these bridges are owned by state governments and 50% by local governments. The Infrastructure Investment and Jobs Act (IIJA; P.L. 117-58), enacted on November 15, 2021, established federal programs specifically to fund bridges for the first time since FY2012 and significantly increased the total amount of federal funding that can be used for bridge construction and repair.

The IIJA created two large stand-alone bridge programs, the Bridge Formula Program and the Bridge Investment Program, authorized at $27.5 billion and $15.8 billion, respectively, over five years. Average annual spending has been $12.0 billion in the IIJA period to date and $9.8 billion in the FAST Act period (FY2025 dollars).
"""
GAOA_FAQ = f"""Updated April 14, 2026

{GAOA_TITLE}

What Is the Great American Outdoors Act (GAOA)?

The Great American Outdoors Act (GAOA; P.L. 116-152) established in the U.S. Treasury a new fund—the National Parks and Public Land Legacy Restoration Fund (LRF)—with mandatory spending authority to address deferred maintenance (DM) needs of five federal agencies.

The GAOA also made changes to an existing fund—the Land and Water Conservation Fund (LWCF). The GAOA made $900.0 million in annual deposits to the LWCF available as mandatory spending. It also made other changes to the LWCF Act (54 U.S.C. §§200301 et seq.).

What Funding Did the GAOA Provide the LRF?

The GAOA provided for the LRF to receive up to $1.9 billion annually over five years (FY2021-FY2025). Thus the five-year total to address DM across the five agencies (BIE, BLM, NPS, FWS, and FS) was $9.5 billion.
"""


@pytest.fixture(scope="module")
def bridges_and_lwcf(tmp_path_factory, embedder) -> Assistant:
    docs = [make_document(BRIDGES, source="R47194.5.pdf", meta=DocumentMeta(title=BRIDGES_TITLE, date="2026-04-20")),
            make_document(GAOA_FAQ, source="IF12888.3.pdf", meta=DocumentMeta(title=GAOA_TITLE, date="2026-04-14")),
            make_document(RAW_DAIRY, source="IN12681.2.pdf", meta=DocumentMeta(title=RAW_DAIRY_TITLE, date="2026-04-20"))]
    return _assistant_over(tmp_path_factory.mktemp("compare"), embedder, docs)


def test_a_comparison_reads_a_brief_named_by_its_subject(bridges_and_lwcf):
    answer = bridges_and_lwcf.ask("Compare the bridges report and the LWCF report on funding.")
    assert answer.kind == "comparison" and not answer.refused
    assert "Only one brief matches" not in answer.text
    assert {b.source for b in answer.briefs_read} == {"R47194.5.pdf", "IF12888.3.pdf"}
    assert {c.source for c in answer.citations} == {"R47194.5.pdf", "IF12888.3.pdf"}
    assert "No title names “LWCF”" in answer.text  # says which brief it read for the subject, and why


def test_a_comparison_naming_a_subject_no_brief_is_about_compares_nothing(bridges_and_lwcf):
    answer = bridges_and_lwcf.ask("Compare the bridges report and the report on Medicaid work requirements on funding.")
    assert "Only one brief matches" in answer.text and "Nothing was compared" in answer.text
    assert {c.source for c in answer.citations} <= {"R47194.5.pdf"}  # never filled up with an unrelated brief
