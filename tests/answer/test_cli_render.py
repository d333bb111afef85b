"""The command line's plain output: where a quote is, as a reader looks for it (page, section)."""

from answer.__main__ import render
from answer.types import Answer, Citation
from vectorstore.types import Chunk, Hit


def test_citations_name_the_page_and_section_not_character_offsets():
    text = "Background\nThe ceasefire took effect on April 7, 2026."
    chunk = Chunk(id="c1", doc_id="d", source="IN12678.pdf", start=100, end=100 + len(text), text=text,
                  section="Background", page=2, title="U.S.-Iran Ceasefire")
    quote = text.split("\n")[1]
    citation = Citation(1, "c1", "d", "IN12678.pdf", "U.S.-Iran Ceasefire", 111, 111 + len(quote), quote, 1.0,
                        page=2)
    out = render(Answer("When did the ceasefire begin?", f"{quote[:-1]} [1].", citations=(citation,),
                        retrieved=(Hit(chunk, 1.0, 1),)))
    assert "[1] U.S.-Iran Ceasefire (IN12678.pdf, page 2, section “Background”)" in out
    assert "characters" not in out
    refused = render(Answer("Who won the World Cup?", "The briefs do not cover this question.", refused=True,
                            retrieved=(Hit(chunk, 1.0, 1),)))
    assert "1. U.S.-Iran Ceasefire (IN12678.pdf, page 2, section “Background”): The ceasefire took effect" in refused
