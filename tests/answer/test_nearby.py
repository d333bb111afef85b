"""What a refusal offers as nearby: passages' body text, never a title or cover line."""

import numpy as np

from answer.extractive import Candidate
from answer.nearby import body_text, is_body_line, nearby, offered
from vectorstore.types import Chunk, Hit

TITLE = "The Length of Major Steps in the Supreme Court Appointment Process (1975-2022)"


def _hit(text: str, rank: int, title: str = TITLE) -> Hit:
    return Hit(Chunk(id=f"c{rank}", doc_id="d", source="IN12679.pdf", start=0, end=len(text), text=text, title=title),
               score=1.0 / rank, rank=rank)


def test_a_cover_passage_is_not_offered_and_cover_lines_are_left_out():
    # seen in a trial: a refusal's closest passages showed "CRS INSIGHT INSIGHTi <title>"
    cover = _hit(f"CRS INSIGHT\n\nINSIGHTi\n\n{TITLE}", 1)
    body = _hit("Figure 1. Days from Vacancy to Nominee\nOverall, about 20 days elapsed on average between the "
                "announcement and the nomination.", 2)
    assert body_text(cover) == ""
    assert body_text(body) == ("Overall, about 20 days elapsed on average between the announcement and the "
                               "nomination.")
    assert [(h.rank, text) for h, text in nearby([cover, body], 3)] == [(2, body_text(body))]


def test_body_lines_make_a_claim_and_read_as_prose():
    assert is_body_line("The ceasefire was announced on April 7 after forty days of conflict.")
    assert not is_body_line("INSIGHTi") and not is_body_line("Background and Issues for Congress")
    assert not is_body_line(TITLE, title=TITLE)
    assert len(nearby([_hit("Kim launched seventy-four missiles since 2011.", r) for r in (1, 2, 3)], 2)) == 2


# Passages of two CRS reports of a newcomer's trial (R48903 on the Strait of Hormuz, IN12614 on copper
# tariffs), as stored: a refusal offered their notes and a table's header row as "nearby".
HORMUZ = "The Strait of Hormuz in Brief: Non-Oil Shipments and Effects on U.S. Shippers"
NOTES = ("Notes\n\n1 United Nations Conference on Trade and Development (UNCTAD), “Strait of Hormuz Disruptions: "
         "Implications for Global Trade and Development,” March 10, 2026, https://unctad.org/publication/strait-hormuz"
         "-disruptions-implications-global-trade-and-development.\n\n2 Robert Beckman et al., “Possible Actions by "
         "Coastal States to Protect Their Marine Environment from Oil Tankers in the Dark Fleet,” International Journal "
         "of Marine and Coastal Law, vol. 40 (2025).")
NOTE_38 = ("38 A prolonged closure of the Strait to commercial traffic could reduce the effectiveness of the MSP and TSP "
           "if participating vessels are prevented from assisting the Department of Defense. The TSP is not at full "
           "enrollment.")
COPPER = ("Goods covered by Section 232 tariffs are exempt from global, temporary tariffs under Section 122 of the Trade "
          "Act of 1974. See Table 2 for treatment of selected products under Section 232 copper tariffs.\n\nTable 2. "
          "Treatment of Selected Products under Section 232 Copper Tariffs\n\n | Product | Exempt from Copper Tariffs?")


def _candidate(hit: Hit, sentence: str, reading: str = "") -> Candidate:
    start = hit.chunk.text.index(sentence)
    return Candidate(hit, start, start + len(sentence), 0.5, np.zeros(3), reading)


def test_notes_with_or_without_a_url_are_not_body_text():
    assert body_text(_hit(NOTES, 1, HORMUZ)) == ""
    assert body_text(_hit(NOTE_38, 2, HORMUZ)) == ""
    notes, note_38 = _hit(NOTES, 1, HORMUZ), _hit(NOTE_38, 2, HORMUZ)
    assert not offered(_candidate(notes, NOTES[NOTES.index("2 Robert"):]))
    assert not offered(_candidate(note_38, NOTE_38[:NOTE_38.index("Defense.") + 8]))
    assert not offered(_candidate(note_38, "The TSP is not at full enrollment."))  # the note's second sentence
    # notes citing a statute or an agency's report, without a URL (R48903, the same trial)
    assert not is_body_line("35 46 U.S.C. §53103(d) requires the Secretary to keep the fleet ready.")
    assert not is_body_line("37 U.S. Department of Transportation, MARAD, United States-Flag Privately-Owned Merchant "
                            "Fleet Report, January 5, 2026, p. 3.")
    # a body line opening with a figure in words or a year is no note
    assert is_body_line("3 percent of the fleet was idle in 2025, the agency reported to Congress.")
    assert is_body_line("2026 brought the first closure of the Strait to commercial traffic since 1988.")


def test_a_table_row_is_not_offered_but_a_sentence_beside_it_is():
    hit = _hit(COPPER, 1, "Section 232 National Security Tariffs on Copper Imports")
    assert body_text(hit) == ("Goods covered by Section 232 tariffs are exempt from global, temporary tariffs under "
                              "Section 122 of the Trade Act of 1974. See Table 2 for treatment of selected products "
                              "under Section 232 copper tariffs.")
    header = " | Product | Exempt from Copper Tariffs?"
    assert not offered(_candidate(hit, header.strip(), reading="Product; Exempt from Copper Tariffs?"))
    assert offered(_candidate(hit, "Goods covered by Section 232 tariffs are exempt from global, temporary tariffs "
                                   "under Section 122 of the Trade Act of 1974."))
    table = _hit("| Fiscal Year | Appropriation |\n| 2023 | $305 million |", 2, "Soft Targets")
    assert not offered(_candidate(table, "| 2023 | $305 million |",
                                  reading="Fiscal Year: 2023; Appropriation: $305 million"))


def test_a_heading_asked_as_a_question_is_not_offered():
    # a held-out refusal over IF12888 (Great American Outdoors Act) offered its heading as "nearby"
    text = ("What Funding Did the GAOA Provide the LRF?\nThe GAOA provided for $900.0 million for each year beginning "
            "in FY2021.")
    hit = _hit(text, 1, "The Great American Outdoors Act (GAOA): Frequently Asked Questions")
    assert body_text(hit) == "The GAOA provided for $900.0 million for each year beginning in FY2021."
    assert not offered(_candidate(hit, "What Funding Did the GAOA Provide the LRF?"))
    assert offered(_candidate(hit, "The GAOA provided for $900.0 million for each year beginning in FY2021."))


def test_an_item_of_a_bulleted_list_is_not_offered():
    # a refusal over the Iran ceasefire Insight offered "• Iran’s nuclear program." as what the briefs cover
    text = ("Issues in the talks include:\n• Iran’s nuclear program.\n• Sanctions relief.\n"
            "The United States in March reportedly transmitted a 15-point proposal, which Iran rejected.")
    hit = _hit(text, 1, "U.S.-Iran Ceasefire: Assessment, Reactions, and Issues for Congress")
    assert not offered(_candidate(hit, "• Iran’s nuclear program."))
    assert offered(_candidate(hit, "The United States in March reportedly transmitted a 15-point proposal, which Iran "
                                   "rejected."))
