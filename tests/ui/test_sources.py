"""ui/sources.py: what a passage card says of its relevance."""

from ui.sources import _passage_html, relevance
from vectorstore.types import Chunk, Hit


def _hit(score: float) -> Hit:
    text = "The fund was created in 1934."
    return Hit(Chunk(id="c", doc_id="d", source="d.pdf", start=0, end=len(text), text=text, title="ESF"), score, 1)


def test_a_ranked_passage_shows_its_share_of_the_best_score():
    assert relevance(_hit(0.5), 1.0) == 0.5
    assert "relevance 50% of the best" in _passage_html(_hit(0.5), relevance(_hit(0.5), 1.0), "")


def test_a_passage_of_a_brief_read_whole_claims_no_relevance():
    # a summary reads the whole brief in text order (every score 0): a trial saw "relevance 0% of the best" on each card
    share = relevance(_hit(0.0), 0.0)
    assert share is None
    card = _passage_html(_hit(0.0), share, "")
    assert "of the best" not in card and "read with the whole brief, in text order" in card
