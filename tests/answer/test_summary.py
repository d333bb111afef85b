"""The summary engine: the brief's outline read from its text, points drawn across its sections,
no repeated points, no notes, headings or questions as points, whole sentences cited exactly."""

import numpy as np
import pytest

from answer.catalogue import BriefInfo
from answer.compose_kinds import (LONG_MAX_POINTS, LONG_UNITS, MAX_POINTS, MIN_POINTS, REDUNDANT, SHORT_UNITS,
                                  points_cap, points_count, summary_points, summary_units)
from answer.outline import boilerplate, headings, is_heading_line, section_of
from vectorstore.types import Chunk, Hit

BRIEF = """Water Policy in Riverton

Summary

Riverton's reservoirs held 40 percent less water in 2025 than their ten-year average. The city council raised water prices by 12 percent to pay for repairs.

Reservoir Levels

Riverton's reservoirs held 40 percent less water in 2025 than their ten-year average, the lowest level on record. Engineers attribute the decline to three dry winters and to leaking water mains. The state hydrologist expects the reservoirs to recover only slowly, even after a wet winter.

How Did Prices Change?

The city council raised water prices by 12 percent in March 2025 to pay for repairs. Households using more than 20,000 litres a month now pay a higher rate per litre. Businesses were given a six-month grace period before the new rates applied.

Repairs to the Mains

The utility plans to replace 80 kilometres of water mains by 2030. Contractors began work in the eastern district in June 2025. The first phase is expected to cut the water lost to leaks by a fifth.

Notes

1 Riverton Water Utility, Annual Report 2025, https://example.org/riverton/report.
2 State Hydrologist, Reservoir Bulletin for the western basin, March 2025.
"""
TITLE = "Water Policy in Riverton"


def _hits(text: str, size: int = 420) -> list[Hit]:
    """The brief cut into passages at paragraph ends (as a whole-brief plan reads it)."""
    hits: list[Hit] = []
    start = 0
    while start < len(text):
        end = text.find("\n\n", start + size)
        end = len(text) if end < 0 else end
        chunk = Chunk(id=f"c{len(hits)}", doc_id="d", source="riverton.txt", start=start, end=end,
                      text=text[start:end], index=len(hits), title=TITLE)
        hits.append(Hit(chunk, 0.0, len(hits) + 1))
        start = end
    return hits


def test_headings_are_read_from_the_text():
    found = [h.text for h in headings(_hits(BRIEF))]
    assert found == ["Summary", "Reservoir Levels", "How Did Prices Change?", "Repairs to the Mains", "Notes"]
    marks = headings(_hits(BRIEF))
    assert marks[0].summary and marks[-1].apart and not marks[1].summary and not marks[1].apart
    assert section_of(BRIEF.index("Engineers attribute"), marks) == 2
    assert section_of(0, marks) == 0 and section_of(BRIEF.index("Contractors"), marks) == 4
    assert not is_heading_line("Engineers attribute the decline to three dry winters and to leaking water mains.")
    assert not is_heading_line("• promoting collaboration between nonprofit organizations")


COVER = """Water Policy in Riverton

Updated July 1, 2025

R12345

SUMMARY

Water Policy in Riverton

Riverton's reservoirs held 40 percent less water in 2025 than their ten-year average. The council raised prices.

R12345

July 1, 2025

Reservoir Levels

Engineers attribute the decline to three dry winters.

Table 1. Reservoir Levels, 2015-2025

Source: Riverton Water Utility.

The state hydrologist expects a slow recovery.
"""


def test_a_repeated_title_or_a_table_label_opens_no_section():
    """A CRS Report prints its title again under "SUMMARY": the summary page stays one section
    headed "Summary"; a table caption or source line does not cut a section in two."""
    marks = headings(_hits(COVER, size=60))
    assert TITLE not in [m.text for m in marks]
    summary = section_of(COVER.index("Riverton's reservoirs held"), marks)
    assert marks[summary - 1].summary and section_of(COVER.index("The council raised"), marks) == summary
    assert section_of(COVER.index("The state hydrologist"), marks) == section_of(COVER.index("Engineers"), marks)


def test_a_long_brief_gets_more_points_up_to_a_cap():
    assert points_cap(40) == points_cap(SHORT_UNITS) == MAX_POINTS
    assert MAX_POINTS < points_cap((SHORT_UNITS + LONG_UNITS) // 2) < LONG_MAX_POINTS
    assert points_cap(LONG_UNITS) == points_cap(5000) == LONG_MAX_POINTS


def test_debris_is_never_a_summary_point():
    assert boilerplate("7 Tax-deductible contributions to traditional IRAs are not allowed for higher earners.")
    assert boilerplate("See the Congressional Research Service https://crsreports.congress.gov for more.")
    assert boilerplate("• integrating nonprofits into broader preparedness strategies.")
    assert boilerplate("and the courts have held otherwise in two circuits.")
    assert boilerplate("What Is the Army’s Mid-Range Capability System?")
    assert boilerplate("2312), ending the taxation of UI benefits (H.R. 2655), were introduced.")  # cut at "S."
    assert boilerplate("(For details on these measures, see CRS Report R46687, Unemployment Insurance.)")
    assert boilerplate("For more information, see CRS Report R41658, Commemorative Works in the District.")
    # a browser trial's "Options the brief sets out" quoted this pointer (its opening phrase is over 80 characters)
    assert boilerplate("For more on proposals to condition access to federal funding on adoption of certain elections "
                       "policies, see CRS In Focus IF13013, Conditioning Federal Funding on Elections Policies: Options "
                       "and Considerations for Congress, by Karen L. Shanton.")
    assert not boilerplate("For 20 years, see-saw funding has hurt the program.")
    assert boilerplate("Tax rate squared -0.193")  # a table row, not a sentence
    assert boilerplate("Later that year, Congress passed the Act for Fiscal Year 2024 (NDAA; P.L.")  # cut short
    assert not boilerplate("USDA's agencies are organized according to eight mission areas.54")  # a note number
    assert not boilerplate("In 2025, 83% of workers in the highest-earning 10% had access to a retirement plan.")
    assert not boilerplate("17 attacks on vessels were recorded after March 1, 2026.".capitalize())


@pytest.mark.slow
def test_a_summary_of_a_brief_with_sections_draws_on_several_and_never_repeats(embedder):
    hits = _hits(BRIEF)
    brief = BriefInfo("d", "riverton.txt", TITLE, "2025-07-01", "Brief")
    points = summary_points("Summarize the Riverton brief.", brief, hits, embedder, n=5)
    marks = headings(hits)
    sections = {section_of(p.doc_start, marks) for p in points}
    assert len(points) >= 4
    assert len(sections - {1}) >= 3  # the body's three sections, beside the brief's own summary
    vectors = np.stack([p.vector for p in points])
    similarity = vectors @ vectors.T - np.eye(len(points))
    assert similarity.max() <= REDUNDANT  # the summary box and its body twin are not both taken
    for point in points:
        assert BRIEF[point.doc_start:point.doc_start + len(point.text)] == point.text  # a span of the brief
        assert point.text.rstrip().endswith(".") and point.text[0].isupper()  # a whole sentence
        assert section_of(point.doc_start, marks) != 5  # nothing from the notes
        assert not point.text.endswith("?") and point.text.strip() not in {h.text for h in marks}


@pytest.mark.slow
def test_the_sample_summary_follows_the_brief_and_cites_it_exactly(sample_store, embedder):
    from answer.assistant import Assistant
    from retrieval.hybrid import HybridRetriever
    from settings import Settings
    from tests.conftest import SAMPLE_001

    settings = Settings()
    assistant = Assistant(HybridRetriever.over(sample_store, embedder, settings=settings.retrieval), embedder,
                          settings.answer)
    answer = assistant.ask("Summarize the 2017 brief.")
    assert answer.kind == "summary" and not answer.refused
    assert 5 <= len(answer.citations) <= 9 and {c.source for c in answer.citations} == {SAMPLE_001}
    texts = {c.doc_id: sample_store.document_text(c.doc_id) for c in answer.citations}
    for citation in answer.citations:
        assert texts[citation.doc_id][citation.start:citation.end] == citation.quote
    assert len({c.quote for c in answer.citations}) == len(answer.citations)
    text = texts[answer.citations[0].doc_id]
    whole = Hit(Chunk(id="w", doc_id="d", source=SAMPLE_001, start=0, end=len(text), text=text), 0.0, 1)
    marks = headings([whole])
    assert len(marks) >= 4  # the brief's own headings ("High Costs of Conflict", ...)
    assert len({section_of(c.start, marks) for c in answer.citations}) >= 3


REPORT = """Water Policy in Riverton

SUMMARY

Water Policy in Riverton

Riverton's reservoirs held 40 percent less water in 2025 than their ten-year average. Engineers blame three dry winters for the fall in reservoir levels. The reservoirs are expected to recover only slowly.

The city council raised water prices by 12 percent to pay for repairs to leaking mains. Households that use the most water now pay a higher rate per litre.

R12345

Reservoir Levels

The reservoirs fell to their lowest level on record in 2025. Dry winters and leaks explain most of the decline. Recovery depends on rainfall over several winters.

Prices

The council's price rise took effect in March 2025. Businesses were given a six-month grace period before the new rates applied.
"""


@pytest.mark.slow
def test_a_reports_summary_page_gives_a_point_from_each_of_its_paragraphs(embedder):
    """The title repeated under SUMMARY opens no section, so the page is the brief's own summary
    (this fails without that rule), and its two paragraphs (levels; prices) each give a point: the
    behaviour the paragraph turns are for (MMR alone also spreads these two, so this does not
    isolate them)."""
    hits = _hits(REPORT, size=200)
    brief = BriefInfo("d", "riverton.pdf", TITLE, "2025-07-01", "Report")
    marks = headings(hits)
    summary = section_of(REPORT.index("Riverton's reservoirs held"), marks)
    assert marks[summary - 1].summary
    points = summary_points("Summarize the Riverton report.", brief, hits, embedder, n=4)
    from_summary = [p for p in points if section_of(p.doc_start, marks) == summary]
    first, second = REPORT.index("Riverton's reservoirs held"), REPORT.index("The city council raised")
    assert len(from_summary) == 2  # half of four points, one per two of its five sentences at most
    assert any(first <= p.doc_start < second for p in from_summary)
    assert any(second <= p.doc_start for p in from_summary)


@pytest.mark.slow
def test_a_sentence_cut_at_a_paragraph_break_is_quoted_whole(embedder):
    # A PDF page break inside a sentence ("The United\n\nStates also is ..."): the tail reads as a sentence of its
    # own, capitalised and ending in a full stop, but it is half a sentence; the point quotes it with its head.
    # A heading before a sentence is no cut.
    text = BRIEF.replace(
        "The state hydrologist expects the reservoirs to recover only slowly, even after a wet winter.",
        "The state hydrologist expects the reservoirs to recover only slowly, even after a wet winter. The United\n\n"
        "States also is Riverton's largest source of drought relief funds, paying 40 percent of every repair.")
    hits = _hits(text, size=len(text))  # one run, as merged_runs joins a whole brief's passages
    brief = BriefInfo("d", "riverton.txt", TITLE, "2025-07-01", "Brief")
    found = summary_units("Summarize the Riverton brief.", brief, hits, embedder)
    texts = [u.text for u in found.units]
    assert not any(t.startswith("States also") for t in texts)
    whole = [u for u in found.units if u.text.startswith("The United\n\nStates also is Riverton's largest")]
    assert len(whole) == 1 and text[whole[0].doc_start:whole[0].doc_start + len(whole[0].text)] == whole[0].text
    assert any(t.startswith("Riverton's reservoirs held 40 percent less water in 2025 than their ten-year average, the")
               for t in texts)  # opens a section: its heading ends without a full stop, but it is no cut sentence
    assert any(t.startswith("The utility plans") for t in texts)


TOPICS = [
    ("Reservoirs", "Riverton's reservoirs held 40 percent less water in 2025 than their ten-year average. Three dry winters drained them."),
    ("Prices", "The city council raised water prices by 12 percent in March 2025. Businesses were given a grace period."),
    ("Mains", "The utility plans to replace 80 kilometres of water mains by 2030. Work began in the eastern district."),
    ("Farms", "Farmers on the western plain lost a third of their harvest. The state paid them drought relief."),
    ("Desalination", "A desalination plant opened on the coast in 2024. It supplies a fifth of the city's water."),
    ("Rationing", "Lawn watering was banned from May to September. Fines were issued to four hundred households."),
    ("Outlook", "The state hydrologist expects a slow recovery. A wet winter alone would not refill the reservoirs."),
]


@pytest.mark.slow
def test_a_brief_without_headings_counts_its_paragraphs_as_a_headed_one_counts_its_sections(embedder):
    """Seven topics of two sentences each: under seven headings, seven points; without headings (a
    blog post), its seven paragraphs count the same, where the sections alone gave the floor."""
    headed = TITLE + "\n\n" + "\n\n".join(f"{heading}\n\n{body}" for heading, body in TOPICS) + "\n"
    headless = TITLE + "\n\n" + "\n\n".join(body for _, body in TOPICS) + "\n"
    brief = BriefInfo("d", "riverton.txt", TITLE, "2025-07-01", "Brief")
    counts = []
    for text in (headed, headless):
        found = summary_units("Summarize the Riverton brief.", brief, _hits(text, size=len(text)), embedder)
        counts.append(points_count(found))
    assert MIN_POINTS < len(TOPICS) <= MAX_POINTS
    assert counts == [len(TOPICS), len(TOPICS)]


def test_a_note_number_before_a_sentence_is_not_quoted():
    # a browser trial's comparison quoted "164 In addition, according to the ISA, ...": the note number after
    # "(Figure 4)." was read as the head of a sentence cut at a page break; what was scored stays as it was (the
    # unit with its head), what is quoted starts after the number
    from answer.compose import without_note_number
    from answer.compose_kinds import _with_head
    from answer.extractive import Candidate

    text = ("China holds one contract for crusts (Figure 4). 164 In addition, according to the ISA, China will be the "
            "largest funding contributor to the ISA in 2026.")
    hit = Hit(Chunk(id="c", doc_id="d", source="d.pdf", start=0, end=len(text), text=text, title="Seabed"), 1.0)
    start = text.index("In addition")
    unit = Candidate(hit, start, len(text), 0.5, np.zeros(3))
    assert _with_head(unit).text.startswith("164 In addition")
    assert without_note_number(_with_head(unit)).text.startswith("In addition, according to the ISA")
    cut = "It holds one contract. The United\n\nStates also is the largest contributor."
    hit = Hit(Chunk(id="c", doc_id="d", source="d.pdf", start=0, end=len(cut), text=cut, title="Seabed"), 1.0)
    tail = Candidate(hit, cut.index("States also"), len(cut), 0.5, np.zeros(3))
    assert _with_head(tail).text.startswith("The United\n\nStates also")


def test_a_tables_note_paragraph_is_recognised():
    # a browser trial's summary of R47324 gave "Critical minerals as determined by the USGS are bolded." as a point
    from answer.compose_kinds import in_note_paragraph
    from answer.extractive import Candidate

    text = ("China holds one contract.\n\nNotes: REEs = rare earth elements. Critical minerals as determined by the "
            "USGS are bolded.\n\nThe ISA regulates mining.")
    hit = Hit(Chunk(id="c", doc_id="d", source="d.pdf", start=0, end=len(text), text=text, title="Seabed"), 1.0)

    def unit(sentence: str) -> Candidate:
        return Candidate(hit, text.index(sentence), text.index(sentence) + len(sentence), 0.5, np.zeros(3))

    assert in_note_paragraph(unit("Critical minerals as determined by the USGS are bolded."))  # (off: NOTE_PARAGRAPHS_OUT)
    assert not in_note_paragraph(unit("The ISA regulates mining."))
    assert not in_note_paragraph(unit("China holds one contract."))
