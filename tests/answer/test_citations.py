import pytest

from answer.citations import SupportScorer, find_markers, lexical_recall, strip_markers
from vectorstore.types import Chunk


@pytest.mark.parametrize("text, numbers", [
    ("Claim [1].", [(1,)]),
    ("Claim [1, 2] and [3][4].", [(1, 2), (3,), (4,)]),
    ("Claim [2-4].", [(2, 3, 4)]),
    ("Claim [Passage 2] [source 3] [^5].", [(2,), (3,), (5,)]),
    ("No markers [a] or [].", []),
])
def test_find_markers(text, numbers):
    assert [m.numbers for m in find_markers(text)] == numbers


def test_strip_markers_tidies_spaces():
    assert strip_markers("Kim launched missiles [1]. Japan [2][3] invested.") == "Kim launched missiles. Japan invested."


def test_lexical_recall_counts_stemmed_content_words():
    assert lexical_recall("Japan invested in defenses", "Japan has invested in missile defense") == 1.0
    assert lexical_recall("Japan invested in defenses", "Korea bought tanks") == 0.0
    assert lexical_recall("the of and", "anything") == 1.0


def _chunk(text: str) -> Chunk:
    return Chunk(id="c", doc_id="d", source="a.txt", start=100, end=100 + len(text), text=text)


def test_best_support_picks_the_backing_sentence(fake_embedder):
    passage = _chunk("Seoul is thirty miles from the DMZ. Japan has invested $14 billion in missile defenses. "
                     "Tokyo would have a ten-minute warning.")
    support = SupportScorer(fake_embedder).best_supports(["Japan invested $14 billion in missile defenses."],
                                                         [passage])[0][0]
    assert passage.text[support.start:support.end] == "Japan has invested $14 billion in missile defenses."
    assert support.score > 0.7


def test_two_sentences_quoted_when_the_claim_needs_both(fake_embedder):
    passage = _chunk("Moon leads the polls. Moon called on Trump to calm his rhetoric. Moon wants dialogue with "
                     "Pyongyang. The weather was mild.")
    claim = "Moon called on Trump to calm his rhetoric and wants dialogue with Pyongyang."
    support = SupportScorer(fake_embedder).best_supports([claim], [passage])[0][0]
    assert passage.text[support.start:support.end] == ("Moon called on Trump to calm his rhetoric. Moon wants "
                                                       "dialogue with Pyongyang.")


def test_unrelated_passage_scores_low(fake_embedder):
    rows = SupportScorer(fake_embedder).best_supports(["Japan invested $14 billion in missile defenses."],
                                                      [_chunk("The weather in Oslo was mild all winter.")])
    assert rows[0][0].score < 0.3


def test_semantic_weight_is_validated(fake_embedder):
    with pytest.raises(ValueError, match=r"semantic_weight \(1.5\)"):
        SupportScorer(fake_embedder, semantic_weight=1.5)
