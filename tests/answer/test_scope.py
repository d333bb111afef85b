"""Where a quoted sentence stands in its brief (``answer.scope``) and how answers show it, on hand-made
passages modelled on the CRS judiciary and FWS budget briefs (no model)."""

import numpy as np
import pytest

from answer.catalogue import BriefInfo
from answer.compose import Builder, context
from answer.extractive import Candidate
from answer.scope import asked_part, brief_level, section_label, whole_subject
from vectorstore.types import Chunk, Hit

JUDICIARY = ("Overview\n\nThe request seeks $9.7 billion in discretionary funding.\n\n"
             "U.S. Court of Appeals for the Federal Circuit\n\n"
             "The FY2027 discretionary budget request is $38.7 million, an increase of 5.4%.\n")
FWS = ("Introduction\n\nFWS has a mission to conserve fish.\n\nFWS Discretionary Appropriations\n\n"
       "For FY2027, the Administration requested $1.33 billion in discretionary funding for FWS.\n\n"
       "Selected FY2027 Budget Proposals\n\nThe Administration proposed to reduce the FWS employee count.\n\n"
       "Budget\n\nThe request is lower than last year.\n")


def _hit(text: str, title: str, *, opening: str, abbreviations=(), repeated=()) -> Hit:
    chunk = Chunk(id="d-0", doc_id="d", source="d.pdf", start=0, end=len(text), text=text, title=title)
    marks, at = [], 0
    for line in text.split("\n"):
        if line and not line.endswith("."):
            marks.append((at + len(line), line))
        at += len(line) + 1
    return Hit(chunk, 1.0, 1, abbreviations=tuple(abbreviations), headings=tuple(marks), opening_heading=opening,
               repeated_headings=tuple(repeated))


def _unit(hit: Hit, sentence: str) -> Candidate:
    start = hit.chunk.text.index(sentence)
    return Candidate(hit, start, start + len(sentence), 0.5, np.array([1.0]))


@pytest.fixture
def judiciary():
    return _hit(JUDICIARY, "Judiciary Budget Request for FY2027", opening="Overview")


@pytest.fixture
def fws():
    return _hit(FWS, "U.S. Fish and Wildlife Service: FY2027 Budget Request", opening="Introduction",
                abbreviations=[("FWS", "U.S. Fish and Wildlife Service")])


def test_a_sentence_under_a_sub_account_is_narrower_than_its_brief_and_shown_with_its_heading(judiciary):
    total = _unit(judiciary, "The request seeks $9.7 billion in discretionary funding.")
    court = _unit(judiciary, "The FY2027 discretionary budget request is $38.7 million, an increase of 5.4%.")
    assert brief_level(total) and section_label(total) == ""
    assert not brief_level(court)
    assert section_label(court) == "U.S. Court of Appeals for the Federal Circuit"
    assert context(court) == "Under “U.S. Court of Appeals for the Federal Circuit”: "
    assert context(court, "“Judiciary” (2026): ") == "“Judiciary” (2026), under “U.S. Court of Appeals for the Federal Circuit”: "
    assert context(total, "“Judiciary” (2026): ") == "“Judiciary” (2026): "
    assert context(court, emphasis=True) == "*Under “U.S. Court of Appeals for the Federal Circuit”:* "


def test_a_heading_naming_the_subject_by_its_short_form_is_the_brief_level_but_amount_words_are_not(fws):
    total = _unit(fws, "For FY2027, the Administration requested $1.33 billion in discretionary funding for FWS.")
    staff = _unit(fws, "The Administration proposed to reduce the FWS employee count.")
    opening = _unit(fws, "FWS has a mission to conserve fish.")
    assert brief_level(total) and brief_level(opening)
    assert section_label(staff) == "Selected FY2027 Budget Proposals"  # "Budget" names no subject
    budget = _unit(fws, "The request is lower than last year.")
    assert asked_part(budget, "FY2027 budget requests") and not asked_part(staff, "FY2027 budget requests")


def test_labels_and_repeated_lines_name_no_section():
    text = "More on:\n\nNorth Korea\n\nJapan has invested at least $14 billion in missile defenses.\n"
    hit = _hit(text, "Uncertainty Among U.S. Allies", opening="", repeated=["North Korea", "More on:"])
    unit = _unit(hit, "Japan has invested at least $14 billion in missile defenses.")
    assert section_label(unit) == "" and brief_level(unit)
    dated = _hit("April 20, 2026\n\nThe request seeks $9.7 billion.\n", "Judiciary", opening="")
    assert section_label(_unit(dated, "The request seeks $9.7 billion.")) == ""


def test_a_tables_unit_line_names_no_section():
    # a browser trial's comparison showed "Under “In Trillions of Dollars”:" over RS22331's sentences
    text = "In Trillions of Dollars\n\nJapan holds approximately 12.8% of all foreign investment.\n"
    hit = _hit(text, "Foreign Holdings of Federal Debt", opening="")
    assert section_label(_unit(hit, "Japan holds approximately 12.8% of all foreign investment.")) == ""


def test_an_aspect_is_about_the_whole_subject_when_it_names_only_amounts_and_title_words():
    briefs = [BriefInfo(doc_id="a", source="a.pdf", title="U.S. Fish and Wildlife Service: FY2027 Budget Request",
                        short_forms=("FWS",)),
              BriefInfo(doc_id="b", source="b.pdf", title="Judiciary Budget Request for FY2027")]
    assert whole_subject("FY2027 requests", briefs)
    assert whole_subject("total FY2027 funding of FWS", briefs)
    assert not whole_subject("defender services", briefs)
    assert not whole_subject("relations with China", briefs)


def test_the_builder_shows_the_heading_outside_the_quote(judiciary):
    court = _unit(judiciary, "The FY2027 discretionary budget request is $38.7 million, an increase of 5.4%.")
    builder = Builder(headings=True)
    builder.sentence(court, bullet=True)
    (citation,) = builder.citations
    assert builder.lines == ["- *Under “U.S. Court of Appeals for the Federal Circuit”:* The FY2027 discretionary budget "
                             "request is $38.7 million, an increase of 5.4% [1]."]
    assert builder.sentences[0].text.startswith("Under “U.S. Court of Appeals for the Federal Circuit”: The FY2027")
    assert citation.quote == JUDICIARY[citation.start:citation.end] == court.text
    plain = Builder()
    plain.sentence(court, bullet=True)
    assert plain.lines[0].startswith("- The FY2027")


def test_consecutive_sentences_under_one_heading_say_it_once(judiciary):
    # a third newcomer's trial read "Under “Ties with the United States”:" before each sentence of that section
    text = JUDICIARY + "The request also funds courthouse security.\n"
    hit = _hit(text, "Judiciary Budget Request for FY2027", opening="Overview")
    court = _unit(hit, "The FY2027 discretionary budget request is $38.7 million, an increase of 5.4%.")
    security = _unit(hit, "The request also funds courthouse security.")
    total = _unit(hit, "The request seeks $9.7 billion in discretionary funding.")
    builder = Builder(headings=True)
    for unit in (court, security, total, court):
        builder.sentence(unit)
    assert [line.startswith("*Under") for line in builder.lines] == [True, False, False, True]


def test_a_whole_subject_comparison_puts_the_brief_level_sentences_first(monkeypatch, judiciary):
    import answer.compose_kinds as ck
    court = _unit(judiciary, "The FY2027 discretionary budget request is $38.7 million, an increase of 5.4%.")
    total = _unit(judiciary, "The request seeks $9.7 billion in discretionary funding.")
    monkeypatch.setattr(ck, "candidates_for", lambda *args, **kwargs: [court, total])
    assert [u.text[:12] for u in ck.comparison_units("FY2027 requests", [judiciary], None, whole=True)] == \
        ["The request ", "The FY2027 d"]  # type: ignore[arg-type]
    assert [u.text[:12] for u in ck.comparison_units("FY2027 requests", [judiciary], None)] == \
        ["The FY2027 d", "The request "]  # type: ignore[arg-type]
