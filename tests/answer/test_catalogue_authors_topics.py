"""Catalogue questions of a newcomer's trial over 71 briefs: the briefs of an author ("Which reports did Andrew
Feickert write?", refused although the author is in each brief's metadata) and the briefs that discuss a
subject ("Which reports discuss critical minerals?": 2 of 7 found, one shown by a footnote scrap). Rules
here; the answers end to end in ``test_catalogue_authors_topics_answers.py``."""

import pytest

from answer.catalogue import BriefInfo, Catalogue, asked_author, authors_named, briefs_by, topic_asked
from answer.kinds import classify


def _brief(n: int, title: str, *authors: str) -> BriefInfo:
    return BriefInfo(str(n) * 64, f"{n}.pdf", title, "2026-04-1" + str(n % 10), "In Focus", tuple(authors))


CATALOGUE = Catalogue([
    _brief(1, "The U.S. Army’s Typhon Mid-Range Capability (MRC) System", "Andrew Feickert"),
    _brief(2, "The Army’s M-1E3 Abrams Tank Modernization Program", "Andrew Feickert", "Ebrima M'Bai"),
    _brief(3, "Private Funding for Election Administration", "Karen L. Shanton"),
    _brief(4, "China’s 15th Five-Year Plan: S&T and Economic Priorities", "Karen M. Sutter"),
    _brief(5, "Seabed Mining in Areas Beyond National Jurisdiction: Issues for Congress", "Caitlin Keating-Bitonti"),
    _brief(6, "Treasury’s Exchange Stabilization Fund", "Marc Labonte", "Rebecca M. Nelson"),
])


@pytest.mark.parametrize("question, name", [
    ("Which reports did Andrew Feickert write?", "Andrew Feickert"),
    ("What reports did Brendan McDermott write?", "Brendan McDermott"),
    ("What briefs has Marc Labonte written?", "Marc Labonte"),
    ("Which reports did Karen L. Shanton write?", "Karen L. Shanton"),
    ("List the reports by Nicholas Buffie", "Nicholas Buffie"),
    ("Which reports are by Barry McMillion?", "Barry McMillion"),
    ("Which briefs were written by Jacob Straus?", "Jacob Straus"),
    ("Which are Jacob Straus's reports?", "Jacob Straus"),
    ("Karen Shanton’s briefs", "Karen Shanton"),
    ("What has Marc Labonte written?", "Marc Labonte"),
])
def test_the_author_whose_briefs_are_asked_for_is_read_from_the_question(question, name):
    assert asked_author(question) == name
    assert classify(question) == "catalogue"


@pytest.mark.parametrize("question", [
    "What does the report by Feickert say about Typhon?",  # asks something of the briefs, not for them
    "Who wrote the report on soft targets?",
    "Which reports discuss critical minerals?",
    "Which briefs were published in April 2026?",
    "What are the main points of the report?",
])
def test_no_author_is_read_where_the_question_does_not_ask_for_an_authors_briefs(question):
    assert asked_author(question) == ""


def test_an_author_is_matched_by_full_name_surname_initials_aside_or_part_of_a_double_surname():
    assert authors_named("Andrew Feickert", CATALOGUE) == (["Andrew Feickert"], [])
    assert authors_named("feickert", CATALOGUE) == (["Andrew Feickert"], [])
    assert authors_named("Karen Shanton", CATALOGUE) == (["Karen L. Shanton"], [])  # the initial is left out
    assert authors_named("Keating", CATALOGUE) == (["Caitlin Keating-Bitonti"], [])
    assert [b.source for b in briefs_by("Andrew Feickert", CATALOGUE)] == ["1.pdf", "2.pdf"]


def test_a_name_that_fits_several_authors_is_ambiguous_and_an_absent_one_gets_the_nearest_names():
    matched, nearest = authors_named("Karen", CATALOGUE)
    assert sorted(matched) == ["Karen L. Shanton", "Karen M. Sutter"] and nearest == []
    assert authors_named("Mark Labonte", CATALOGUE) == ([], ["Marc Labonte"])  # a first name that is not his
    assert authors_named("Andrew Feikert", CATALOGUE)[1][0] == "Andrew Feickert"  # misspelt
    assert authors_named("John Smith", CATALOGUE) == ([], [])


@pytest.mark.parametrize("question, topic", [
    ("Which reports discuss critical minerals?", "critical minerals"),
    ("Which reports are about Army weapons programs?", "Army weapons programs"),
    ("What reports mention tariffs?", "tariffs"),
    ("Which of the briefs deal with the Inflation Reduction Act?", "the Inflation Reduction Act"),
    ("Which briefs cover drones?", "drones"),
    # where the briefs are is not the subject (a fifth trial's "Which reports in the collection discuss Australia?"
    # was refused as a fact question)
    ("Which reports in the collection discuss Australia?", "Australia"),
    ("What briefs in your library mention tariffs?", "tariffs"),
    ("Which reports you have cover drones?", "drones"),
])
def test_the_subject_a_which_briefs_question_asks_about_is_read(question, topic):
    assert topic_asked(question) == topic
    assert classify(question) == "catalogue"


def test_no_subject_is_read_from_other_catalogue_questions():
    assert topic_asked("Which briefs were published in April 2026?") == ""
    assert topic_asked("Which reports did Andrew Feickert write?") == ""


class _FirstPassRetriever:
    """A retriever over a real keyword index whose hybrid search finds only the passages given (the dense side's
    top k); records the briefs searched one by one."""

    def __init__(self, chunks, found):
        from retrieval.keyword import KeywordIndex

        self.index = KeywordIndex(chunks)
        self.found = found
        self.searched_one_by_one: list[str] = []

    def keyword_index(self):
        return self.index

    def search(self, question, k=None, filters=None, *, vector=None):
        from vectorstore.types import Hit

        if filters is not None and filters.doc_ids:
            self.searched_one_by_one += list(filters.doc_ids)
            return [Hit(c, 1.0, 1) for c in self.index.chunks if c.doc_id in filters.doc_ids][:k]
        return [Hit(c, 1.0, n) for n, c in enumerate(self.found[:k], 1)]


def _passage(doc: str, title: str, text: str):
    from vectorstore.types import Chunk

    return Chunk(id=doc + "-1", doc_id=doc * 8, source=f"{doc}.pdf", start=0, end=len(text), text=text, title=title,
                 date="2026-04-20", series="In Focus", authors=("A. Author",))


def test_the_first_pass_keeps_a_brief_that_writes_the_subject_outside_the_searchs_top_k_and_reads_no_other():
    from answer.plans import Planner, topic_candidates

    copper = _passage("c", "Section 232 Tariffs on Copper Imports",
                      "USGS added copper to its 2025 critical minerals list.")
    seabed = _passage("s", "Seabed Mining", "Deep-sea nodules hold cobalt and nickel used in batteries.")
    typhon = _passage("t", "The Typhon System", "The Army deployed the Typhon launcher to the Philippines.")
    retriever = _FirstPassRetriever([copper, seabed, typhon], found=[seabed])  # the search's top k: seabed only
    plan = Planner(retriever).plan("Which reports discuss critical minerals?", "catalogue", k=5)
    candidates, hits = topic_candidates(retriever, "critical minerals", plan.catalogue)
    assert sorted(candidates) == ["c" * 8, "s" * 8]  # copper writes "critical minerals"; seabed is in the search's top k
    assert [h.chunk.doc_id for h in hits] == ["s" * 8]
    assert sorted(retriever.searched_one_by_one) == ["c" * 8, "s" * 8]  # typhon: never searched on its own
    assert {d for d, _ in plan.passages} == {"c" * 8, "s" * 8}
    assert [h.chunk.doc_id for h in plan.ranking] == ["s" * 8]  # the refusal score reads the first pass's search


def test_a_passage_writes_a_subject_when_its_indexed_text_holds_every_stemmed_word():
    from retrieval.keyword import KeywordIndex

    index = KeywordIndex([_passage("a", "", "Tariffs on copper rose."), _passage("b", "", "The critical minerals list."),
                          _passage("c", "", "Minerals are critical to batteries.")])
    assert list(index.writing("critical minerals")) == [1, 2]  # any order of the words, stemmed
    assert list(index.writing("tariff")) == [0]
    assert len(index.writing("the")) == 0 and len(index.writing("copper zebra")) == 0  # no term / a term none holds


def test_a_brief_writes_a_subject_in_its_singular_or_plural_not_in_another_word_of_its_stem():
    """A trial's "Which reports are about elections?" listed briefs on S corporations that elect and VA claimants who
    elect a review: "elections" and "elect" share the keyword index's stem."""
    from answer.catalogue_answers import writes

    assert writes("elections", "the official certified an election") and writes("tariffs", "a 50% tariff on copper")
    assert writes("policies", "the agency's policy on refunds") and writes("critical minerals", "critical mineral supply")
    assert not writes("elections", "S corporations that elect to pass income through")
    assert not writes("sanctions", "the Court has sanctioned race-based action")


def test_where_the_briefs_are_may_close_a_question_for_the_newest_brief():
    assert classify("Which report is the newest in your library?") == "catalogue"
    assert classify("Which brief is the oldest in the collection?") == "catalogue"
