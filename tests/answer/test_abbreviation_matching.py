"""A question that spells out a long form is matched against the short form a brief uses after
defining it, and the other way round, in that brief only (``Hit.abbreviations``)."""

from dataclasses import replace

from answer.compose import evidence
from answer.extractive import extractive_answer, score_sentences
from ingest.splitter import split_document
from tests.conftest import make_document
from text.abbreviations import definitions
from vectorstore.types import Hit

# From CRS In Focus IF12608 (seabed mining).
DEFINES = ("Deep seabed mining beyond national jurisdiction is governed by the International Seabed Authority (ISA). "
           "Many nations have sponsored contractors for seabed minerals.\n\n"
           "To date, the ISA has issued 31 exploration contracts, of which 17 are located in the Clarion-Clipperton "
           "Zone (CCZ).")
# Another brief writing "ISA" for something else, without defining it.
OTHER = "The ISA has awarded grants to eleven schools in the region this year."
QUESTION = "How many exploration contracts has the International Seabed Authority issued?"


def _hits(text, source, fake_embedder, *, with_definitions=True):
    doc = make_document(text, source=source)
    chunks = split_document(doc, count_tokens=fake_embedder.count_tokens, max_tokens=40, target_chars=120)
    pairs = definitions(doc.text) if with_definitions else ()
    return doc, [Hit(c, 1.0, rank, abbreviations=pairs) for rank, c in enumerate(chunks, 1)]


def _relevance(candidates, needle):
    return next(c.relevance for c in candidates if needle in c.text)


def test_the_long_form_in_the_question_matches_the_short_form_of_the_brief(fake_embedder):
    doc, hits = _hits(DEFINES, "if12608.txt", fake_embedder)
    _, plain = _hits(DEFINES, "if12608.txt", fake_embedder, with_definitions=False)
    assert hits[0].abbreviations[0] == ("ISA", "International Seabed Authority")
    before = _relevance(score_sentences(QUESTION, plain, fake_embedder), "31 exploration contracts")
    after = _relevance(score_sentences(QUESTION, hits, fake_embedder), "31 exploration contracts")
    assert after > before
    candidates = score_sentences(QUESTION, hits, fake_embedder)
    answer = extractive_answer(QUESTION, hits, candidates, max_sentences=1, refusal_threshold=0.0)
    assert "31 exploration contracts" in answer.text
    for citation in answer.citations:  # the quote is the document's text, not the rewritten question's words
        assert doc.text[citation.start:citation.end] == citation.quote


def test_the_short_form_in_the_question_matches_the_long_form(fake_embedder):
    _, hits = _hits(DEFINES, "if12608.txt", fake_embedder)
    _, plain = _hits(DEFINES, "if12608.txt", fake_embedder, with_definitions=False)
    question = "Who governs deep seabed mining, the ISA?"
    needle = "governed by the International Seabed Authority"
    assert _relevance(score_sentences(question, hits, fake_embedder), needle) >= \
        _relevance(score_sentences(question, plain, fake_embedder), needle)


def test_a_definition_in_one_brief_says_nothing_about_another(fake_embedder):
    _, defining = _hits(DEFINES, "if12608.txt", fake_embedder)
    _, other = _hits(OTHER, "schools.txt", fake_embedder)
    assert other[0].abbreviations == ()
    together = score_sentences(QUESTION, defining + other, fake_embedder)
    without = score_sentences(QUESTION, [replace(h, abbreviations=()) for h in defining] + other, fake_embedder)
    assert _relevance(together, "eleven schools") == _relevance(without, "eleven schools")


def test_more_passages_never_lower_the_evidence(fake_embedder):
    _, defining = _hits(DEFINES, "if12608.txt", fake_embedder)
    _, other = _hits(OTHER, "schools.txt", fake_embedder)
    hits = [replace(h, rank=i) for i, h in enumerate(other + defining, 1)]
    scores = [evidence(QUESTION, hits[:n], fake_embedder) for n in range(1, len(hits) + 1)]
    assert scores == sorted(scores)
