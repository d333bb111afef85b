"""Every metric against small cases computed by hand."""

from __future__ import annotations

import pytest

from evaluation.chunking_metrics import CharSpan
from evaluation.metrics import (
    Passage,
    citation_recall,
    citation_valid,
    contains_answer,
    false_refusal_rate,
    first_relevant_rank,
    hit_at_k,
    hit_rate_by_k,
    locate_text,
    normalize_answer,
    normalize_passage,
    passage_matches,
    percentile,
    recall_at_k,
    reciprocal_rank,
    refusal_accuracy,
    span_scores,
    split_sentences,
    token_f1,
)


def span(doc: str, start: int, end: int, text: str = "") -> Passage:
    return Passage(CharSpan(doc, start, end), text)


# Two references in document "d": [0, 10) and [100, 110), 20 characters in all.
REFS = [span("d", 0, 10), span("d", 100, 110)]
# Ranked passages: a miss, one overlapping the second reference by 5 characters, the right
# range in another document, one inside the first reference.
RETRIEVED = [span("d", 50, 60), span("d", 105, 120), span("e", 0, 10), span("d", 5, 8)]


def test_normalize_passage_straightens_quotes_and_collapses_whitespace():
    assert normalize_passage("  \u201cLate\n\tfees\u201d  aren\u2019t ") == '"Late fees" aren\'t'


def test_locate_text_maps_normalised_match_back_to_original_offsets():
    haystack = "The  \u201clate\nfees\u201d fell."
    assert locate_text('"late fees"', haystack) == (5, 16)
    assert haystack[5:16] == "\u201clate\nfees\u201d"
    assert locate_text("late  fees", haystack) == (6, 15)
    assert locate_text("early fees", haystack) is None
    assert locate_text("   ", haystack) is None


def test_passage_matches_by_span_overlap_half_open():
    ref = span("d", 10, 20)
    assert passage_matches(ref, span("d", 19, 30))
    assert not passage_matches(ref, span("d", 20, 30))
    assert not passage_matches(ref, span("e", 10, 20))


def test_passage_matches_by_normalised_text_when_a_span_is_missing():
    ref = Passage(None, "late \u201cfees\u201d")
    assert passage_matches(ref, span("d", 0, 5, 'cutting late\n"fees" by'))
    assert not passage_matches(ref, span("d", 0, 5, "cutting late charges"))
    assert not passage_matches(Passage(None, " "), span("d", 0, 5, "anything"))


def test_first_relevant_rank_hit_and_reciprocal_rank():
    rank = first_relevant_rank(RETRIEVED, REFS)
    assert rank == 2
    assert (hit_at_k(rank, 1), hit_at_k(rank, 2)) == (0.0, 1.0)
    assert (reciprocal_rank(rank, 1), reciprocal_rank(rank, 5)) == (0.0, 0.5)
    assert first_relevant_rank(RETRIEVED[:1], REFS) is None
    assert hit_at_k(None, 5) == 0.0 and reciprocal_rank(None, 5) == 0.0


def test_recall_at_k_counts_references_found():
    assert recall_at_k(RETRIEVED, REFS, 1) == 0.0
    assert recall_at_k(RETRIEVED, REFS, 2) == 0.5
    assert recall_at_k(RETRIEVED, REFS, 4) == 1.0
    with pytest.raises(ValueError):
        recall_at_k(RETRIEVED, [], 4)


def test_span_scores_follow_the_chunking_benchmark_on_a_toy_corpus():
    # top 3: [50,60) misses, [105,120) covers 5 reference characters, e:[0,10) is another corpus.
    scores = span_scores(RETRIEVED, REFS, 3)
    assert scores.recall == pytest.approx(5 / 20)
    assert scores.precision == pytest.approx(5 / 35)  # 10 + 15 + 10 retrieved characters
    assert scores.iou == pytest.approx(5 / (35 + 15))  # 15 reference characters not retrieved


def test_span_scores_count_overlapping_retrieved_characters_once_in_numerator_twice_in_size():
    scores = span_scores([span("d", 0, 6), span("d", 4, 10)], [span("d", 0, 10)], 5)
    assert scores.recall == pytest.approx(1.0)
    assert scores.precision == pytest.approx(10 / 12)
    assert scores.iou == pytest.approx(10 / 12)


def test_span_scores_undefined_for_text_references():
    assert span_scores(RETRIEVED, [Passage(None, "late fees")], 3) is None


def test_hit_rate_by_k():
    assert hit_rate_by_k([1, 3, None, 2], 3) == {1: 0.25, 2: 0.5, 3: 0.75}
    assert hit_rate_by_k([], 3) == {}


def test_normalize_answer_is_squad_normalisation():
    assert normalize_answer("The \u201cQuick\u201d, brown-fox!") == "quick brown fox"
    assert normalize_answer("An  apple a day") == "apple day"


def test_contains_answer_matches_whole_normalised_words():
    assert contains_answer("Late fees fell to $8 [1].", ["$8"])
    assert contains_answer("It was the Trilateral  Response.", ["trilateral response", "x"])
    assert not contains_answer("It cost 18 dollars.", ["8"])
    assert not contains_answer("anything", ["", "!!"])


def test_token_f1_takes_the_best_acceptable_answer():
    # predicted [cat, sat], gold [cat, sat, down]: P = 1, R = 2/3, F1 = 0.8
    assert token_f1("the cat sat", ["a cat sat down"]) == pytest.approx(0.8)
    assert token_f1("the cat sat", ["dog", "cat sat down"]) == pytest.approx(0.8)
    # predicted [cat, cat], gold [cat]: common 1, P = 1/2, R = 1, F1 = 2/3
    assert token_f1("cat cat", ["cat"]) == pytest.approx(2 / 3)
    assert token_f1("cat", ["dog"]) == 0.0
    assert token_f1("cat", []) == 0.0


def test_citation_valid_requires_the_exact_document_slice():
    doc = "abcdef"
    assert citation_valid("cd", doc, 2, 4)
    assert not citation_valid("cd", doc, 2, 5)
    assert not citation_valid("", doc, 2, 2)
    assert not citation_valid("ef", doc, 4, 7)
    assert not citation_valid("cd", None, 2, 4)


def test_citation_recall():
    assert citation_recall([span("d", 0, 3)], REFS) == 0.5
    assert citation_recall([span("d", 0, 3), span("d", 109, 112)], REFS) == 1.0
    assert citation_recall([], REFS) == 0.0


def test_refusal_rates():
    assert refusal_accuracy([True, False, True, True]) == 0.75
    assert false_refusal_rate([False, False, False, True]) == 0.25
    assert refusal_accuracy([]) is None and false_refusal_rate([]) is None


def test_percentile_interpolates_linearly():
    assert percentile([40, 10, 30, 20], 50) == 25
    assert percentile([10, 20, 30, 40], 95) == pytest.approx(38.5)  # position 2.85
    assert percentile([7], 95) == 7
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_split_sentences_keeps_markers_with_their_sentence():
    text = 'The U.S. agreed [1]. Then 2 things followed [2][3]. "Quotes" count too. a tail'
    assert split_sentences(text) == ["The U.S. agreed [1].", "Then 2 things followed [2][3].",
                                     '"Quotes" count too. a tail']


def test_answers_in_scripts_without_spaces_are_compared_by_character():
    answer = "低收入家庭可以申请每月五吨的免费用水额度 [1]。"
    assert contains_answer(answer, ["每月五吨"]) and not contains_answer(answer, ["每月八吨"])
    assert contains_answer("三歳未満の世帯は月額二万円を受け取れます。", ["二万円"])
    # predicted 5 characters, gold 4 of them: P = 4/5, R = 1, F1 = 8/9
    assert token_f1("每月五吨。", ["每月五吨"]) == pytest.approx(1.0)
    assert token_f1("每月五吨的", ["每月五吨"]) == pytest.approx(8 / 9)
    assert normalize_answer("AI政策") == "ai 政 策"


def test_a_key_point_stated_twice_is_covered_by_a_citation_of_either_copy():
    """A CRS Report's summary page repeats sentences of its body: the key point stands in both."""
    from evaluation.corpus import InMemoryCorpus
    from evaluation.metrics import locate_all
    from evaluation.questions import Reference
    from evaluation.scoring import key_point_spans

    text = "SUMMARY\nRoad projects were 54% of awards. More.\n\nTrends\nRoad projects were 54%  of awards. End."
    assert locate_all("Road projects were 54% of awards.", text) == [(8, 41), (56, 90)]
    assert locate_all("Road projects were 54% of awards.", text, limit=1) == [(8, 41)]
    assert locate_all("rail", text) == []
    places = key_point_spans(Reference(source="r.pdf", text="Road projects were 54% of awards."),
                             InMemoryCorpus({"r.pdf": text}))
    assert [(p.span.start, p.span.end) for p in places] == [(8, 41), (56, 90)]
    body_copy = span("r.pdf", 60, 70)
    assert any(passage_matches(p, body_copy) for p in places)
