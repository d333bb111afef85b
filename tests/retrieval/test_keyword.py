import numpy as np
import pytest

from retrieval.keyword import KeywordIndex, tokenize
from vectorstore.types import Chunk

TEXTS = [
    "The EU's carbon border adjustment mechanism (CBAM) taxes imports.",
    "Japan has invested at least $14 billion in missile defenses.",
    "South Korea closed the Kaesong economic zone in February.",
]


def chunks() -> list[Chunk]:
    return [Chunk(id=f"c{i}", doc_id="d", source="a.txt", start=0, end=len(t), text=t) for i, t in enumerate(TEXTS)]


def test_tokens_are_lowercased_stemmed_and_stop_words_dropped():
    assert tokenize(["What did the Defenses cost? CBAM"]) == [["defens", "cost", "cbam"]]


def test_lemmas_map_irregular_inflections_to_their_base_form_before_stemming():
    assert tokenize(["Argentina drew $2.5 billion, which it repaid; the court upheld it; children"], lemmas=True) == [
        ["argentina", "draw", "2", "5", "billion", "repay", "court", "uphold", "child"]]
    # regular forms stem as before, and the keyword index (no lemmas) is unchanged
    assert tokenize(["The Defenses withdrawn"], lemmas=True) == [["defens", "withdraw"]]
    assert tokenize(["Argentina drew"]) == [["argentina", "drew"]]


def test_a_fiscal_year_is_written_out():
    # "FY2023" in a question and "Fiscal Year: 2023" in a table row (and the reverse) share their words
    assert tokenize(["NSGP appropriation in FY2023", "fy 2024"]) == [["nsgp", "appropri", "fiscal", "year", "2023"],
                                                                    ["fiscal", "year", "2024"]]
    assert tokenize(["FY26 and FY2030s"]) == [["fy26", "fy2030"]]  # not a four-digit year alone: left as it is


def test_search_is_case_insensitive_and_ignores_punctuation():
    hits = KeywordIndex(chunks()).search("cbam", 5)
    assert [h.position for h in hits] == [0]


def test_stemming_matches_word_forms():
    hits = KeywordIndex(chunks()).search("How much did Japan invest in missile defense?", 5)
    assert hits[0].position == 1 and hits[0].score > 0


def test_no_zero_score_hits():
    index = KeywordIndex(chunks())
    assert index.search("unrelated words entirely", 5) == []
    assert all(h.score > 0 for h in index.search("japan korea", 5))
    assert len(index.search("japan korea", 5)) == 2


def test_mask_limits_the_search():
    index = KeywordIndex(chunks())
    assert index.search("japan", 5, mask=np.array([True, False, True])) == []


def test_custom_texts_are_indexed_instead_of_passage_text():
    index = KeywordIndex(chunks(), ["Trade brief", "Defense brief", "Korea brief"])
    assert [h.position for h in index.search("trade", 5)] == [0]


def test_empty_index_and_bad_arguments():
    assert KeywordIndex([]).search("anything", 3) == []
    with pytest.raises(ValueError, match=r"k \(0\) must be positive"):
        KeywordIndex(chunks()).search("japan", 0)
    with pytest.raises(ValueError, match="2 texts for 3 passages"):
        KeywordIndex(chunks(), ["a", "b"])


def test_brief_mask_equals_the_test_run_on_every_passage():
    from retrieval.filters import Filters

    passages = [Chunk(id=f"p{i}", doc_id=f"d{i % 3}", source=f"brief{i % 3}.txt", start=0, end=len(t), text=t,
                      date=["2017-05-08", "2019-01-01", ""][i % 3], series=["Memo", "Brief", "Memo"][i % 3],
                      authors=[("Ana Lee",), ("Bo Kim", "Ana Lee"), ()][i % 3])
                for i, t in enumerate(TEXTS * 4)]
    index = KeywordIndex(passages)
    for filters in (Filters(sources=("brief1.txt",)), Filters(series=("Memo",)), Filters(authors=("ana",)),
                    Filters(date_from="2018-01-01"), Filters(sources=("none.txt",))):
        expected = np.array([filters.matches(c) for c in passages])
        assert np.array_equal(index.brief_mask(filters.matches), expected), filters
    assert index.brief_mask(lambda c: True).all() and index.brief_mask(lambda c: True).shape == (12,)


def test_a_designation_is_one_token_with_or_without_its_hyphen():
    """A brief writes "the XM-30" and a source title in it "XM30"; "What is the XM30?" matched only the title's
    caption line. Capitals before the hyphen only: "mid-2000s" is as before."""
    assert "xm30" in tokenize(["XM-30"])[0] and tokenize(["XM30"])[0] == ["xm30"]
    assert "m1e3" in tokenize(["the M-1E3 tank"])[0]
    # written spaced ("SM - 6" in a PDF's text), it keeps the parts a hyphenated question has too
    assert set(tokenize(["SM - 6"])[0]) <= set(tokenize(["SM-6"])[0])
    assert "pre" in tokenize(["pre-1990 rules"])[0]
