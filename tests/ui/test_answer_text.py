"""The answer text as the UI draws it: its structure (headings, nested bullets, bold) as blocks,
only checked citations as buttons whose tips name brief, date, page and quote, a brief's markup as text."""

from __future__ import annotations

from answer.types import Answer, Citation
from ui.answer_text import answer_blocks
from vectorstore.types import Chunk, Hit

TEXT = "Kim has launched seventy-four missiles since he came to power."


def _answer(text: str, *, supported: bool = True) -> Answer:
    chunk = Chunk(id="c1", doc_id="d1", source="001.txt", start=0, end=len(TEXT), text=TEXT, page=4,
                  title="Uncertainty Among U.S. Allies", date="2017-05-08")
    citation = Citation(marker=1, chunk_id="c1", doc_id="d1", source="001.txt", title=chunk.title, start=0,
                        end=len(TEXT), quote=TEXT, support=0.9, supported=supported)
    return Answer(question="q", text=text, citations=(citation,), retrieved=(Hit(chunk, 1.0, 1),))


def test_only_markers_of_real_citations_become_buttons():
    blocks = answer_blocks(_answer("Seventy-four [1]. Invented [7] <b>x</b>.\n\nSecond paragraph [1]."))
    tip = blocks[0]["pieces"][1]["tip"]
    assert blocks == [
        {"kind": "paragraph", "level": 0, "pieces": [
            {"text": "Seventy-four ", "glue": True}, {"marker": 1, "tip": tip, "weak": False, "glue": True},
            {"text": ".", "glue": True}, {"text": " Invented [7] <b>x</b>."}]},
        {"kind": "paragraph", "level": 0, "pieces": [
            {"text": "Second "}, {"text": "paragraph ", "glue": True}, {"marker": 1, "tip": tip, "weak": False, "glue": True},
            {"text": ".", "glue": True}]}]
    assert tip == f"Uncertainty Among U.S. Allies · 2017-05-08 · page 4\n“{TEXT}”"


def test_a_weakly_supported_citation_says_so_in_its_tip():
    (piece,) = [p for p in answer_blocks(_answer("Claim [1].", supported=False))[0]["pieces"] if "marker" in p]
    assert piece["weak"] and piece["tip"].endswith("weak support for this sentence")


def test_a_comparison_is_drawn_as_headings_and_nested_bullets_with_markers_inline():
    text = ("**Uncertainty Among U.S. Allies (2017-05-08)**\n- Kim has launched **many** missiles [1].\n"
            "**Shared and different**\n- Both briefs make this point:\n  - Kim has launched missiles [1].")
    blocks = answer_blocks(_answer(text))
    assert [(b["kind"], b["level"]) for b in blocks] == [("heading", 0), ("item", 0), ("heading", 0), ("item", 0),
                                                        ("item", 1)]
    assert blocks[0]["pieces"] == [{"text": "Uncertainty Among U.S. Allies (2017-05-08)", "bold": True}]
    assert [p.get("text", p.get("marker")) for p in blocks[1]["pieces"]] == ["Kim has launched ", "many", " ",
                                                                            "missiles ", 1, "."]
    assert blocks[1]["pieces"][1] == {"text": "many", "bold": True}
    assert not any("**" in p.get("text", "") for b in blocks for p in b["pieces"])


def test_a_briefs_markup_stays_text():
    text = "- A brief says <img src=x onerror=alert(1)> ![x](http://evil/x.png) [link](http://evil) &amp; `code` [1]."
    (block,) = answer_blocks(_answer(text))
    assert block["kind"] == "item"
    assert block["pieces"][0] == {"text": "A brief says <img src=x onerror=alert(1)> ![x](http://evil/x.png) "
                                          "[link](http://evil) &amp; "}
    assert block["pieces"][1] == {"text": "`code` ", "glue": True}


def test_a_marker_stays_on_one_line_with_the_word_before_it_and_the_stop_after_it():
    # seen in a browser trial: a marker inside a closing quote left '.”' alone on the next line, and
    # one after it could start a line on its own; each is drawn in one unbreakable group ("glue")
    (block,) = answer_blocks(_answer("He said it was “full steam ahead.” [1] Then [1], he left."))
    groups, current = [], []
    for piece in block["pieces"]:
        if piece.get("glue"):
            current.append(piece.get("text", piece.get("marker")))
        elif current:
            groups.append(current)
            current = []
    assert not current and groups == [["ahead.” ", 1], ["Then ", 1, ","]]
