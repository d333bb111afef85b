"""The inline citation markers: only checked citations become buttons; their tips name brief, date, page, quote."""

from __future__ import annotations

from answer.types import Answer, Citation
from ui.answer_text import answer_pieces
from vectorstore.types import Chunk, Hit

TEXT = "Kim has launched seventy-four missiles since he came to power."


def _answer(text: str, *, supported: bool = True) -> Answer:
    chunk = Chunk(id="c1", doc_id="d1", source="001.txt", start=0, end=len(TEXT), text=TEXT, page=4,
                  title="Uncertainty Among U.S. Allies", date="2017-05-08")
    citation = Citation(marker=1, chunk_id="c1", doc_id="d1", source="001.txt", title=chunk.title, start=0,
                        end=len(TEXT), quote=TEXT, support=0.9, supported=supported)
    return Answer(question="q", text=text, citations=(citation,), retrieved=(Hit(chunk, 1.0, 1),))


def test_only_markers_of_real_citations_become_buttons():
    pieces = answer_pieces(_answer("Seventy-four [1]. Invented [7] <b>x</b>.\n\nSecond paragraph [1]."))
    assert pieces == [
        [{"text": "Seventy-four "}, {"marker": 1, "tip": pieces[0][1]["tip"], "weak": False},
         {"text": ". Invented [7] <b>x</b>."}],
        [{"text": "Second paragraph "}, {"marker": 1, "tip": pieces[0][1]["tip"], "weak": False}, {"text": "."}]]
    assert pieces[0][1]["tip"] == f"Uncertainty Among U.S. Allies · 2017-05-08 · page 4\n“{TEXT}”"


def test_a_weakly_supported_citation_says_so_in_its_tip():
    (piece,) = [p for p in answer_pieces(_answer("Claim [1].", supported=False))[0] if "marker" in p]
    assert piece["weak"] and piece["tip"].endswith("weak support for this sentence")
