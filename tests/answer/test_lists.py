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
