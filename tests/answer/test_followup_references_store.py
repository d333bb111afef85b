"""A browser trial's follow-ups over a small real store, with the real model: "that report's approach differ from the
CRS piece on <subject>" compares the last turn's brief with the brief that subject is about (not with a brief whose
title shares the phrase's words), "the second one" then reads the second of them, "the charge" after the methane charge
report stays on it (its "step by step" found the Supreme Court appointment steps), and "this report" after a refusal
of a search over the collection is the report the conversation was on, not the nearby passages' brief."""

import pytest

from answer.assistant import Assistant
from answer.types import Turn
from retrieval.hybrid import HybridRetriever
from settings import Settings
from tests.conftest import index_documents, make_document
from vectorstore.types import DocumentMeta

pytestmark = pytest.mark.slow

PRIVATE = """Private Funding for Election Administration

State and local election offices sometimes receive private donations of money, goods, or services.
In the 2020 election cycle, Chan and Zuckerberg committed up to $419.5 million for grants to election offices.
As of July 2025, 29 states had restricted private donations to election offices.
One approach to reducing private funding bans donations; another supplies a steady stream of federal funding.
"""
CONDITIONS = """Conditioning Federal Funding on Elections Policies: Options and Considerations for Congress

Congress can set conditions on federal funding to encourage states to adopt election administration policies.
Tying federal money to a state's election policies is one way to influence those policies.
Funding conditions must relate to the purpose of the funding and may not be unduly coercive.
Withholding all federal funding from a state over its voting policy raises questions of coercion.
"""
GRANTS = """Election Administration: Federal Grant Programs for States and Localities

The Help America Vote Act of 2002 authorized requirements payments, last funded in FY2010.
Congress appropriated $380 million for election security grants in FY2018.
Localities bought voting machines and poll books with those grants.
"""
METHANE = """Methane Emissions Charge: Overview

The Inflation Reduction Act established a charge on methane emissions from oil and gas facilities.
The charge was $900 per metric ton of methane in 2024.
In March 2025, Congress disapproved the EPA rule implementing the charge.
In July 2025, P.L. 119-21 delayed the start of the charge to 2034.
"""
STEPS = """The Length of Major Steps in the Supreme Court Appointment Process

Each step of the appointment process takes weeks.
The step from nomination to a committee hearing took 40 days on average.
Step by step, the Senate considers the nominee.
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory, embedder):
    from vectorstore.store import open_store

    path = tmp_path_factory.mktemp("references")
    store = open_store(path=str(path), model=embedder.name, dimension=embedder.dimension)
    texts = [("IF12501.txt", PRIVATE, ("Karen L. Shanton",)), ("IF13013.txt", CONDITIONS, ("Karen L. Shanton",)),
             ("R46646.txt", GRANTS, ("Karen L. Shanton",)), ("R48906.txt", METHANE, ("Jonathan L. Ramseur",)),
             ("IN12679.txt", STEPS, ("Barry J. McMillion",))]
    docs = [make_document(text, source=source, meta=DocumentMeta(title=text.splitlines()[0], authors=authors))
            for source, text, authors in texts]
    index_documents(store, embedder, docs)
    settings = Settings()
    assistant = Assistant(HybridRetriever.over(store, embedder, settings=settings.retrieval), embedder, settings.answer)
    return assistant, {d.source: d.content_hash for d in docs}


def _read(answer) -> list[str]:
    return [b.source for b in answer.briefs_read]


def test_that_report_is_compared_with_the_brief_the_named_subject_is_about_and_the_second_one_is_that(store):
    assistant, ids = store
    first = Turn("How many states have restricted private donations?", "As of July 2025, 29 states had [1].",
                 "How many states have restricted private donations?", briefs=(ids["IF12501.txt"],))
    compared = assistant.ask("How does that report's approach differ from the CRS piece on tying federal money to "
                             "states' election policies?", history=[first])
    assert compared.kind == "comparison" and set(_read(compared)) == {"IF12501.txt", "IF13013.txt"}
    second = assistant.ask("What considerations does the second one raise for Congress?",
                           history=[first, Turn.from_answer(compared)])
    assert _read(second) == [_read(compared)[1]]


def test_the_charge_after_the_charge_report_stays_on_it(store):
    assistant, ids = store
    last = Turn("How big is the IRA methane fee per ton?", "The charge was $900 per metric ton of methane in 2024 [1].",
                "How big is the IRA methane fee per ton?", briefs=(ids["R48906.txt"],))
    answer = assistant.ask("Lay out how the charge got pushed back, step by step.", history=[last])
    assert {c.source for c in answer.citations} <= {"R48906.txt"}
    assert _read(answer) == ["R48906.txt"]


def test_this_report_after_a_refusal_of_a_search_over_the_collection_is_the_conversations_report(store):
    assistant, ids = store
    last = Turn("How big is the IRA methane fee per ton?", "The charge was $900 per metric ton of methane in 2024 [1].",
                "How big is the IRA methane fee per ton?", briefs=(ids["R48906.txt"],))
    refusal = Turn("How long is each step?", "No passage in the briefs answers this question clearly enough.",
                   "How long is each step?", briefs=(ids["IN12679.txt"],), asked=False)
    answer = assistant.ask("Who wrote this report?", history=[last, refusal])
    assert not answer.candidates and _read(answer) == ["R48906.txt"]
    assert "Ramseur" in answer.text
