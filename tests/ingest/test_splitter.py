"""The splitter: exact spans, sentence boundaries, debris, headings and the token limit."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings, strategies as st

from ingest.splitter import chunk_id, embedding_text, split_document
from vectorstore.types import Document, DocumentMeta, Page, Section, Span


def word_tokens(texts):
    """A stand-in tokenizer for unit tests: one token per word or punctuation mark."""
    import re

    return [len(re.findall(r"\w+|[^\w\s]", t)) for t in texts]


def doc(text: str, **kwargs) -> Document:
    return Document(source="t.txt", text=text, content_hash=hashlib.sha256(text.encode()).hexdigest(),
                    format="txt", **kwargs)


TEXT = (
    "North Korea tested a missile. Japan protested at once.\n\n"
    "Security Talks\n\n"
    "The U.S. envoy met Seoul's officials. They agreed on drills. Tokyo joined later.\n"
)


def test_every_passage_is_an_exact_span_of_whole_sentences():
    chunks = split_document(doc(TEXT), count_tokens=word_tokens, max_tokens=64, target_chars=40)
    assert chunks
    for c in chunks:
        assert TEXT[c.start:c.end] == c.text
        assert c.text == c.text.strip()
        assert c.text[-1] in ".!?" or TEXT[c.end] == "\n", "a passage ends at a sentence or line end"
    assert "The U.S. envoy met Seoul's officials." in [c.text for c in chunks], "U.S. is not a sentence end"


def test_passages_start_at_headings_and_carry_them_as_metadata():
    start = TEXT.index("Security Talks")
    chunks = split_document(doc(TEXT, sections=(Section(start, "Security Talks"),)), count_tokens=word_tokens,
                            max_tokens=200, target_chars=1000)
    assert [c.text.split("\n")[0] for c in chunks] == ["North Korea tested a missile. Japan protested at once.",
                                                       "Security Talks"]
    assert [c.section for c in chunks] == ["", "Security Talks"]


def test_no_passage_crosses_debris():
    debris_start = TEXT.index("Security Talks")
    debris = (Span(debris_start, debris_start + len("Security Talks"), "more_on"),)
    chunks = split_document(doc(TEXT, debris=debris), count_tokens=word_tokens, max_tokens=200, target_chars=5000)
    assert len(chunks) == 2
    for c in chunks:
        assert c.end <= debris[0].start or c.start >= debris[0].end


def test_embedded_text_with_title_prefix_stays_within_the_token_limit():
    long_sentence = " ".join(["word"] * 300) + "."
    text = "Short one. " + long_sentence
    meta = DocumentMeta(title="A Title Of Five Words")
    chunks = split_document(doc(text, meta=meta), count_tokens=word_tokens, max_tokens=50, target_chars=100000)
    assert len(chunks) > 5
    assert max(word_tokens([embedding_text(c) for c in chunks])) <= 50
    assert "".join(text[c.start:c.end] for c in chunks).replace(" ", "") == text.replace(" ", "")


def test_overlap_repeats_the_last_sentences():
    text = " ".join(f"Sentence number {i} is here." for i in range(12))
    chunks = split_document(doc(text), count_tokens=word_tokens, max_tokens=500, target_chars=90,
                            overlap_sentences=1)
    for a, b in zip(chunks, chunks[1:]):
        assert b.start < a.end, "consecutive passages share a sentence"


def test_pages_and_ids():
    text = "Page one text.\n\nPage two text."
    pages = (Page(0, 14, 1), Page(16, 30, 2))
    chunks = split_document(doc(text, pages=pages), count_tokens=word_tokens, max_tokens=64, target_chars=10)
    assert [c.page for c in chunks] == [1, 2]
    assert chunks[0].id == chunk_id(chunks[0].doc_id, chunks[0].start, chunks[0].end)
    assert len({c.id for c in chunks}) == len(chunks)


def test_bad_settings_are_rejected_with_the_value():
    with pytest.raises(ValueError, match=r"overlap_sentences \(-1\)"):
        split_document(doc(TEXT), count_tokens=word_tokens, max_tokens=64, overlap_sentences=-1)
    with pytest.raises(ValueError, match=r"max_tokens \(10\)"):
        split_document(doc(TEXT), count_tokens=word_tokens, max_tokens=10)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .\n?!\u00e9\u201c")), min_size=0, max_size=400),
       st.integers(min_value=10, max_value=300))
def test_span_identity_holds_for_any_text(text, target):
    chunks = split_document(doc(text), count_tokens=word_tokens, max_tokens=40, target_chars=target)
    for c in chunks:
        assert text[c.start:c.end] == c.text and c.text.strip()
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
