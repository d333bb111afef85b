"""The briefs of an author and the briefs that discuss a subject, answered end to end on small synthetic
briefs in a real Chroma store with the bundled model (a newcomer's trial over 71 briefs: "Which reports did
Andrew Feickert write?" refused; "Which reports discuss critical minerals?" found 2 of 7, one shown by a
footnote, "IEA, Role of Critical Minerals, p")."""

import pytest

from answer.assistant import Assistant
from retrieval.hybrid import HybridRetriever
from settings import Settings
from tests.answer.test_catalogue_ends_and_changes import _citations_hold
from tests.conftest import index_documents, make_document
from vectorstore.types import DocumentMeta

pytestmark = pytest.mark.slow

TYPHON_TITLE = "The U.S. Army’s Typhon Mid-Range Capability (MRC) System"
TYPHON = f"""{TYPHON_TITLE}

Andrew Feickert, Specialist in Military Ground Forces

The Army deployed the Typhon system to the Philippines in April 2024 during a training exercise. The system fires Tomahawk and SM-6 missiles from a mobile launcher.
"""
ABRAMS_TITLE = "The Army’s M-1E3 Abrams Tank Modernization Program"
ABRAMS = f"""{ABRAMS_TITLE}

Andrew Feickert, Specialist in Military Ground Forces
Ebrima M'Bai, U.S. Army Fellow

The Army plans to accelerate the M-1E3 development timeline and field the tank within 24-30 months. The new tank will be software-driven and require a smaller crew.
"""
SEABED_TITLE = "Seabed Mining in Areas Beyond National Jurisdiction: Issues for Congress"
SEABED = f"""{SEABED_TITLE}

Caitlin Keating-Bitonti, Analyst in Natural Resources Policy

Deep-sea deposits hold cobalt, nickel and manganese. Some Members of Congress have expressed concern about China’s dominance of the global market for critical minerals used in batteries.

Notes
7 IEA, Role of Critical Minerals, p. 12, https://www.iea.org/reports/critical-minerals.
"""
COPPER_TITLE = "Section 232 National Security Tariffs on Copper Imports"
COPPER = f"""{COPPER_TITLE}

Kyla H. Kitamura, Analyst in Industrial Organization

Starting August 1, 2025, President Trump imposed 50% tariffs on imports of semi-finished copper products. The Department of Energy included copper on its 2023 critical materials list, and USGS added copper to its 2025 critical minerals list.
"""
RETAIL_TITLE = "Retailer Inventory and Pricing Behavior During Supply Chain Disruptions"
RETAIL = f"""{RETAIL_TITLE}

Clare Y. Cho, Specialist in Industrial Organization and Business

Retailers hold inventories to buffer against disruptions in their supply chains. Inventory-to-sales ratios fell sharply in 2021.

Notes
3 Russell Mills et al., “Critical Minerals and Retail Prices,” Federal Reserve Bank of Cleveland, 2025, https://www.clevelandfed.org/.
"""


@pytest.fixture(scope="module")
def store_and_assistant(tmp_path_factory, embedder):
    from vectorstore.store import open_store

    docs = [make_document(TYPHON, source="IF12135.pdf", meta=DocumentMeta(
                title=TYPHON_TITLE, date="2026-04-20", series="In Focus", authors=("Andrew Feickert",))),
            make_document(ABRAMS, source="IF12495.pdf", meta=DocumentMeta(
                title=ABRAMS_TITLE, date="2026-04-23", series="In Focus", authors=("Andrew Feickert", "Ebrima M'Bai"))),
            make_document(SEABED, source="R47324.pdf", meta=DocumentMeta(
                title=SEABED_TITLE, date="2026-04-15", series="Report", authors=("Caitlin Keating-Bitonti",)),
                headings=("Notes",)),
            make_document(COPPER, source="IN12614.pdf", meta=DocumentMeta(
                title=COPPER_TITLE, date="2026-04-23", series="Insight", authors=("Kyla H. Kitamura",))),
            make_document(RETAIL, source="R48916.pdf", meta=DocumentMeta(
                title=RETAIL_TITLE, date="2026-04-23", series="Report", authors=("Clare Y. Cho",)),
                headings=("Notes",))]
    store = open_store(path=str(tmp_path_factory.mktemp("authors")), model=embedder.name, dimension=embedder.dimension)
    index_documents(store, embedder, docs)
    settings = Settings()
    return store, Assistant(HybridRetriever.over(store, embedder, settings=settings.retrieval), embedder, settings.answer)


@pytest.mark.parametrize("question", ["Which reports did Andrew Feickert write?", "List the briefs by Feickert",
                                      "Andrew Feickert's reports"])
def test_an_authors_briefs_are_listed_from_the_catalogue_each_cited_where_it_prints_the_name(store_and_assistant,
                                                                                            question):
    store, assistant = store_and_assistant
    answer = assistant.ask(question)
    assert answer.kind == "catalogue" and not answer.refused
    assert "Andrew Feickert is an author of 2 briefs in the collection:" in answer.text
    assert TYPHON_TITLE in answer.text and ABRAMS_TITLE in answer.text and "with Ebrima M'Bai" in answer.text
    assert {b.source for b in answer.briefs_read} == {"IF12135.pdf", "IF12495.pdf"}
    assert [c.quote for c in answer.citations].count("Andrew Feickert") == 2
    _citations_hold(store, answer)


def test_an_author_not_in_the_collection_is_said_so_with_the_nearest_names(store_and_assistant):
    _, assistant = store_and_assistant
    answer = assistant.ask("Which reports did Andrew Feikert write?")
    assert answer.kind == "catalogue" and not answer.citations
    assert answer.text.startswith("No brief in the collection lists an author named “Andrew Feikert”")
    assert "the nearest names are Andrew Feickert" in answer.text


def test_the_briefs_that_discuss_a_subject_are_shown_by_a_body_sentence_never_a_note(store_and_assistant):
    store, assistant = store_and_assistant
    answer = assistant.ask("Which reports discuss critical minerals?")
    assert answer.kind == "catalogue" and not answer.refused
    assert {b.source for b in answer.briefs_read} == {"R47324.pdf", "IN12614.pdf"}  # a note alone (R48916) is none
    quotes = {c.quote for c in answer.citations}
    assert any("China’s dominance of the global market for critical minerals" in q for q in quotes)
    assert not any("IEA" in q or "Russell Mills" in q for q in quotes)
    _citations_hold(store, answer)


def test_a_which_briefs_question_is_asked_of_every_brief_not_those_its_title_words_name(store_and_assistant):
    _, assistant = store_and_assistant
    answer = assistant.ask("Which reports discuss tariffs?")
    assert answer.kind == "catalogue" and not answer.refused
    assert {b.source for b in answer.briefs_read} == {"IN12614.pdf"}
    assert "1 of the 5 briefs searched discusses “tariffs”" in answer.text


def test_a_which_briefs_question_may_say_where_the_briefs_are(store_and_assistant):
    _, assistant = store_and_assistant
    answer = assistant.ask("Which reports in the collection discuss critical minerals?")
    assert answer.kind == "catalogue" and not answer.refused
    assert {b.source for b in answer.briefs_read} == {"R47324.pdf", "IN12614.pdf"}


@pytest.mark.parametrize("pick, end, title", [("Which of them is the most recent?", "most recent", ABRAMS_TITLE),
                                              ("Which one is the oldest?", "oldest", TYPHON_TITLE)])
def test_the_newest_of_an_authors_briefs_is_picked_among_them_not_the_collection(store_and_assistant, pick, end,
                                                                                 title):
    from answer.types import Turn

    store, assistant = store_and_assistant
    listed = assistant.ask("Which reports did Andrew Feickert write?")
    answer = assistant.ask(pick, history=(Turn.from_answer(listed),))
    assert answer.kind == "catalogue" and not answer.refused
    # the copper and retail briefs share the Abrams brief's date (2026-04-23) but are not Feickert's
    assert f"The {end} brief of the 2 briefs asked about (2 dated) is:" in answer.text
    assert [b.title for b in answer.briefs_read] == [title]
    assert COPPER_TITLE not in answer.text and RETAIL_TITLE not in answer.text
    _citations_hold(store, answer)


def test_these_two_reports_are_the_two_the_conversation_read_not_only_the_last_turns(store_and_assistant):
    from answer.types import Turn

    store, assistant = store_and_assistant
    turns: tuple[Turn, ...] = ()
    for question in ("Where did the Army deploy the Typhon system in April 2024?",
                     "How soon does the Army plan to field the M-1E3 tank?"):
        turns += (Turn.from_answer(assistant.ask(question, history=turns)),)
    assert [len(t.briefs) for t in turns] == [1, 1]
    answer = assistant.ask("Who wrote these two reports?", history=turns)
    assert answer.kind == "catalogue" and not answer.refused
    assert {b.source for b in answer.briefs_read} == {"IF12135.pdf", "IF12495.pdf"}
    assert f"“{TYPHON_TITLE}” is by Andrew Feickert" in answer.text
    assert f"“{ABRAMS_TITLE}” is by Andrew Feickert, Ebrima M'Bai" in answer.text
    _citations_hold(store, answer)
