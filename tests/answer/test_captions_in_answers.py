"""Photo captions are never claims, in any answer kind, and never a citation's quote (issue 12:
"headings, titles and captions are never claims"). A constructed web article, read by the real
loader (so its debris is found) and the real model: a caption printed twice, the second time with
its credit (debris at ingest, both copies), and two captions read alone by their cues (a credit at
the end, "(from left)"), each written to be the best match for one of the questions."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

DESALINATION = """Riverton Opens Its Desalination Plant
By Ann Poe

Riverton's first desalination plant began delivering water in March 2024, two years later than planned. The plant cost 410 million dollars, 90 million more than the council approved in 2019.
Mayor Ana Ruiz and Governor Tom Hale cut the ribbon at the opening of the Riverton desalination plant in March 2024.
Mayor Ana Ruiz and Governor Tom Hale cut the ribbon at the opening of the Riverton desalination plant in March 2024. Official City Photo by Lee Park

The plant supplies a fifth of the city's water. In June 2024 the utility raised water prices by 6 percent to repay the plant's loans. Engineers expect operating costs to fall as the membranes improve.
Engineers (from left) Sam Oduya, Mia Chen and Raul Ortiz inspect the intake pipes of the desalination plant in May 2024.

The council should publish the plant's energy use every quarter. The utility must also protect the estuary's fish from the intake pipes. Fishing cooperatives say the brine outflow has already harmed the oyster beds.
A fishing boat passes the desalination plant's brine outflow near the oyster beds in April 2024. Photo: Jane Roe/AP

In 2025 the state plans to decide whether a second plant will be built on the northern coast.
"""

DAMS = """Small Dams for Riverton's Farms
By Ben Oku

Riverton's farms lost a third of their harvest in the drought of 2023. The state began funding small dams on farms in January 2024.
Small dams cost less to maintain than the desalination plant and are easier for villages to run. The state should fund weather stations as well, because they tell farmers when to plant.
By 2025 forty farms had built a dam with state money.
"""

CAPTIONS = ("Mayor Ana Ruiz and Governor Tom Hale", "Engineers (from left)", "A fishing boat passes")

QUESTIONS = {
    "summary": "Summarize the brief on the Riverton desalination plant.",
    "fact": "Who opened the Riverton desalination plant?",
    "list": "List the people who inspected the intake pipes of the desalination plant.",
    "recommendations": "What does the desalination plant brief recommend?",
    "comparison": "Compare how the two briefs see the desalination plant.",
    "timeline": "Give a timeline of the events in the desalination plant brief.",
}


@pytest.fixture(scope="module")
def answered(tmp_path_factory, embedder):
    from answer.assistant import Assistant
    from ingest.loaders import load_document
    from retrieval.hybrid import HybridRetriever
    from settings import Settings
    from tests.conftest import index_documents
    from vectorstore.store import open_store

    folder = tmp_path_factory.mktemp("captions")
    documents = []
    for name, text in (("desalination.txt", DESALINATION), ("dams.txt", DAMS)):
        path = Path(folder, name)
        path.write_text(text, encoding="utf-8")
        documents.append(load_document(path, source=name, max_bytes=1 << 20, timeout_s=30.0))
    store = open_store(path=str(folder / "store"), model=embedder.name, dimension=embedder.dimension)
    index_documents(store, embedder, documents)
    settings = Settings()
    assistant = Assistant(HybridRetriever.over(store, embedder, settings=settings.retrieval), embedder, settings.answer)
    return {kind: assistant.ask(question) for kind, question in QUESTIONS.items()}, store


@pytest.mark.parametrize("kind", list(QUESTIONS))
def test_no_caption_is_a_claim_or_a_quote(answered, kind):
    answers, store = answered
    answer = answers[kind]
    assert answer.kind == kind
    for citation in answer.citations:
        assert store.document_text(citation.doc_id)[citation.start:citation.end] == citation.quote
        assert not any(caption in citation.quote for caption in CAPTIONS), (kind, citation.quote)
    assert not any(caption in answer.text for caption in CAPTIONS), (kind, answer.text)


def test_the_answers_still_quote_the_body(answered):
    answers, _ = answered
    assert not answers["summary"].refused and len(answers["summary"].citations) >= 3
    assert not answers["timeline"].refused and not answers["recommendations"].refused
