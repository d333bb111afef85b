"""What a refusal offers as nearby: passages' body text, never a title or cover line."""

from answer.nearby import body_text, is_body_line, nearby
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
