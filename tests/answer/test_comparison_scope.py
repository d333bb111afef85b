"""A comparison of two budget briefs' requests, with the real model and a real store: each brief's own
total is quoted first, and a sub-account's sentence is shown with its heading, outside the quote
(``answer.scope``). Brief texts are excerpts of the CRS judiciary and FWS FY2027 budget In Focus."""

import re

import pytest

from answer.assistant import Assistant
from retrieval.hybrid import HybridRetriever
from settings import Settings
from tests.conftest import index_documents, make_document
from vectorstore.types import DocumentMeta

pytestmark = pytest.mark.slow

JUDICIARY = """April 20, 2026

Judiciary Budget Request for FY2027

Overview

The federal judiciary’s FY2027 budget request was made public by the Administrative Office of U.S. Courts on March 25, 2026. The request seeks $9.7 billion in discretionary funding (an increase of 4.9% over the FY2026 enacted level), as well as $826.5 million in mandatory appropriations for judicial salaries and judicial retirement funds.

Supreme Court

The total FY2027 discretionary request for the Supreme Court, $225.1 million, is contained in two accounts.

U.S. Court of Appeals for the Federal Circuit

This court, consisting of 12 judges, exercises jurisdiction over certain lower court rulings on patents and trademarks. The FY2027 discretionary budget request is $38.7 million, an increase of 5.4% over the FY2026 enacted level.

Defender Services

The FY2027 request is $1.8 billion, an increase of 1.5% over the FY2026 enacted level.
"""
FWS = """April 15, 2026

U.S. Fish and Wildlife Service: FY2027 Budget Request

Introduction

The U.S. Fish and Wildlife Service (FWS), an agency within the Department of the Interior, has a mission to conserve fish, wildlife, and plants.

FWS Discretionary Appropriations

For FY2027, the Administration requested $1.33 billion in discretionary funding for FWS. The FY2027 request was $323.2 million below (-20%) the FY2026 enacted amount of $1.65 billion.

Resource Management Account

For FY2027, the Administration request of $1.30 billion is $147.9 million less (-10%) than the FY2026 enacted level for this account. The FY2027 requested amount for the Ecological Services activity reflects a $150.4 million increase (54%).
"""


@pytest.fixture(scope="module")
def budgets(tmp_path_factory, embedder):
    from vectorstore.store import open_store

    store = open_store(path=str(tmp_path_factory.mktemp("scope")), model=embedder.name, dimension=embedder.dimension)
    docs = [make_document(JUDICIARY, source="judiciary.pdf", meta=DocumentMeta(
                title="Judiciary Budget Request for FY2027", date="2026-04-20", series="In Focus")),
            make_document(FWS, source="fws.pdf", meta=DocumentMeta(
                title="U.S. Fish and Wildlife Service: FY2027 Budget Request", date="2026-04-15", series="In Focus"))]
    index_documents(store, embedder, docs)
    settings = Settings()
    return Assistant(HybridRetriever.over(store, embedder, settings=settings.retrieval), embedder,
                     settings.answer), store


def _section(text: str, title: str) -> list[str]:
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"**{title}"))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("**")), len(lines))
    return lines[start + 1:end]


def test_a_comparison_of_requests_quotes_each_briefs_own_total_first(budgets):
    assistant, store = budgets
    answer = assistant.ask("Compare the FY2027 requests for FWS and the judiciary.")
    assert answer.kind == "comparison" and not answer.refused
    judiciary = _section(answer.text, "Judiciary Budget Request for FY2027")
    fws = _section(answer.text, "U.S. Fish and Wildlife Service")
    assert judiciary[0].startswith("- The request seeks $9.7 billion")
    assert any("requested $1.33 billion" in line for line in fws)
    for line in answer.text.split("\n"):  # a sub-account's sentence carries its heading, never unlabelled
        if "$38.7 million" in line or "$1.8 billion" in line or "$225.1 million" in line:
            assert re.search(r"under “(U\.S\. Court of Appeals for the Federal Circuit|Defender Services|Supreme Court)”:\*",
                             line, re.IGNORECASE), line
    for citation in answer.citations:  # the heading is context in the answer, never inside a quote
        assert store.document_text(citation.doc_id)[citation.start:citation.end] == citation.quote
        assert "“" not in citation.quote[:1]


def test_a_fact_answer_names_the_sub_account_its_sentence_stands_under(budgets):
    assistant, store = budgets
    answer = assistant.ask("What is the discretionary budget request for the Court of Appeals for the Federal Circuit?")
    assert not answer.refused
    assert "*Under “U.S. Court of Appeals for the Federal Circuit”:* The FY2027" in answer.text
    assert all(store.document_text(c.doc_id)[c.start:c.end] == c.quote for c in answer.citations)


def test_a_comparison_of_two_things_within_one_brief_is_answered_from_it(budgets):
    """A trial's "How many FTEs did SSA have in FY2025 compared with FY2024?" was refused: "A comparison needs at
    least two briefs". A question that compares within the one brief it finds, and speaks of no document, is a fact
    question over that brief; one that speaks of documents still says what it could not compare."""
    from retrieval.filters import Filters

    assistant, store = budgets
    judiciary = Filters(sources=("judiciary.pdf",))  # the sidebar's brief filter: the search finds this brief alone
    answer = assistant.ask("How does the FY2027 Defender Services request compare with the FY2026 enacted level?",
                           filters=judiciary)
    assert answer.kind == "fact" and not answer.refused
    assert "$1.8 billion" in answer.text and {c.source for c in answer.citations} == {"judiciary.pdf"}
    assert all(store.document_text(c.doc_id)[c.start:c.end] == c.quote for c in answer.citations)
    named = assistant.ask("Compare the judiciary report with the report on Mars rovers.", filters=judiciary)
    assert named.kind == "comparison"
    # a name the one brief never writes is another brief's subject: still a comparison, which says it found one
    other = assistant.ask("How does the Defender Services request compare with the Artemis request?", filters=judiciary)
    assert other.kind == "comparison"


def test_a_comparison_naming_no_brief_compares_within_the_one_its_best_passages_come_from():
    """A trial's "How many full-time equivalent employees did SSA have in FY2025 compared with FY2024?" had been
    compared "side by side" with a rural business brief that its fifteen best passages also reached: nothing named,
    the one brief holding at least half the score of the five best passages is the one compared within
    (``Planner.plan`` then also wants it to write every name asked about); none when the score is split or the
    question speaks of documents."""
    from answer.catalogue import BriefInfo, Catalogue
    from answer.plans import _found_one
    from vectorstore.types import Chunk, Hit

    ssa, usda = BriefInfo("ssa", "ssa.pdf", "SSA Staffing Levels"), BriefInfo("usda", "usda.pdf", "Rural Business Programs")
    catalogue = Catalogue([ssa, usda, BriefInfo("fws", "fws.pdf", "FWS Budget")])

    def hits(*owners: str) -> list[Hit]:
        return [Hit(Chunk(f"{d}-{i}", d, f"{d}.pdf", 0, 1, "x"), score=1.0 - 0.1 * i, rank=i + 1)
                for i, d in enumerate(owners)]

    question = "How many full-time equivalent employees did SSA have in FY2025 compared with FY2024?"
    assert _found_one(question, hits("ssa", "ssa", "usda", "ssa", "ssa", "usda", "usda"), catalogue) == ssa
    assert _found_one(question, hits("ssa", "usda", "fws", "ssa", "usda"), catalogue) is None  # split three ways
    assert _found_one("Compare staffing in the two reports.", hits("ssa", "ssa", "ssa", "usda", "ssa"), catalogue) is None
