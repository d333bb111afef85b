"""Versions of one report and replies to "which brief?", end to end over a real Chroma store with the bundled
model (a newcomer's browser trial: IF10753.6 and IF10753.7, two versions of "ENERGY STAR Program").

The texts below are shortened from the two versions: the older one gives only what the committee reports
recommended, the newer one what P.L. 119-74 provided ("not less than $33,024,000").
"""

import pytest

from answer.assistant import Assistant
from answer.types import Turn
from retrieval.hybrid import HybridRetriever
from settings import Settings
from tests.conftest import index_documents, make_document
from vectorstore.types import DocumentMeta

pytestmark = pytest.mark.slow

TITLE = "ENERGY STAR Program"
AUTHORS = ("Corrie E. Clark",)
OLD = f"""{TITLE}

Updated April 20, 2026

EPA established ENERGY STAR in 1992 under the authority of the Clean Air Act, Section 103(g).

Federal Appropriations

P.L. 119-4 provided FY2025 appropriations at FY2024 funding levels for most EPA and DOE accounts without further policy direction. For FY2026 appropriations, the joint explanatory statement accompanying P.L. 119-74 referred to the House report, which recommended at least $32 million in combined funding for ENERGY STAR.
"""
NEW = f"""{TITLE}

Updated April 23, 2026

EPA established ENERGY STAR in 1992 under the authority of the Clean Air Act, Section 103(g).

Federal Appropriations

P.L. 119-4 provided FY2025 appropriations at FY2024 funding levels for most EPA and DOE accounts without further policy direction. For FY2026 appropriations, P.L. 119-74 did not contain policy direction for DOE and provided for EPA that "not less than $33,024,000 is to carry out the Energy Star Program".
"""
CONSERVATION_TITLE = "Farm Bill Primer: Conservation Title"
CONSERVATION = f"""{CONSERVATION_TITLE}

Updated April 13, 2026

The conservation title is one of the larger non-nutrition titles of the farm bill, accounting for over $73.0 billion in projected 11-year mandatory funding (FY2026-FY2036).
"""
TRADE_TITLE = "Farm Bill Primer: Trade and Export Promotion Programs"
TRADE = f"""{TRADE_TITLE}

Updated April 21, 2026

The trade promotion programs are authorized to receive mandatory funding of $255 million annually through FY2026.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, embedder):
    from vectorstore.store import open_store

    docs = [make_document(OLD, source="IF10753.6.pdf", meta=DocumentMeta(title=TITLE, date="2026-04-20",
                                                                         series="In Focus", authors=AUTHORS)),
            make_document(NEW, source="IF10753.7.pdf", meta=DocumentMeta(title=TITLE, date="2026-04-23",
                                                                         series="In Focus", authors=AUTHORS)),
            make_document(CONSERVATION, source="IF12024.pdf", meta=DocumentMeta(
                title=CONSERVATION_TITLE, date="2026-04-13", series="In Focus", authors=("Megan Stubbs",))),
            make_document(TRADE, source="IF12155.pdf", meta=DocumentMeta(
                title=TRADE_TITLE, date="2026-04-21", series="In Focus", authors=("Benjamin Tsui",)))]
    store = open_store(path=str(tmp_path_factory.mktemp("versions")), model=embedder.name, dimension=embedder.dimension)
    index_documents(store, embedder, docs)
    settings = Settings()
    return Assistant(HybridRetriever.over(store, embedder, settings=settings.retrieval), embedder, settings.answer)


def _reads(answer) -> list[str]:
    return [b.label for b in answer.briefs_read]


def test_the_newest_version_is_read_and_the_answer_says_so(assistant):
    answer = assistant.ask("How much did P.L. 119-74 provide for ENERGY STAR?")
    assert not answer.candidates and not answer.refused
    assert _reads(answer) == ["ENERGY STAR Program (2026-04-23), the newest of 2 versions"]
    assert "$33,024,000" in answer.text and {c.source for c in answer.citations} == {"IF10753.7.pdf"}


def test_a_question_naming_no_brief_searches_the_newest_version_only(assistant):
    answer = assistant.ask("Under what authority did EPA establish the program in 1992?")
    assert answer.citations and {c.source for c in answer.citations} == {"IF10753.7.pdf"}


def test_a_day_in_the_question_reads_the_brief_of_that_day(assistant):
    answer = assistant.ask("According to the ENERGY STAR Program report dated 2026-04-23, how much did P.L. 119-74 "
                           "provide for ENERGY STAR?")
    assert _reads(answer) == ["ENERGY STAR Program (2026-04-23), the newest of 2 versions"]
    assert "$33,024,000" in answer.text
    older = assistant.ask("How much did the House report recommend for ENERGY STAR, according to the April 20 version?")
    assert _reads(older) == ["ENERGY STAR Program (2026-04-20), the oldest of 2 versions"]
    assert {c.source for c in older.citations} <= {"IF10753.6.pdf"}


@pytest.mark.parametrize("reply, source", [("the 2026-04-21 one", "IF12155.pdf"), ("the first", "IF12024.pdf"),
                                           ("The newest one", "IF12155.pdf"),
                                           ("Farm Bill Primer: Trade and Export Promotion Programs (2026-04-21)",
                                            "IF12155.pdf")])
def test_a_reply_to_which_brief_answers_the_question_from_the_one_picked(assistant, reply, source):
    first = assistant.ask("Summarize the Farm Bill Primer.")
    assert len(first.candidates) == 2 and not first.briefs_read
    answer = assistant.ask(reply, history=(Turn.from_answer(first),))
    assert not answer.candidates
    assert answer.standalone_question == first.standalone_question
    assert [b.source for b in answer.briefs_read] == [source]
    assert {c.source for c in answer.citations} <= {source}
