"""What a question asks of the briefs it names (``answer.plans.aspect_of`` with the resolution): the
words that named the briefs are not part of it, and an empty aspect means the whole brief (found in
a browser trial: a comparison "about China" tagged a brief about China "says little on this", and a
timeline of a named brief gave one event)."""

import pytest

from answer.catalogue import BriefInfo, Catalogue, resolve_briefs
from answer.plans import aspect_of

CATALOGUE = Catalogue([
    BriefInfo("iran", "iran.pdf", title="U.S.-Iran Ceasefire: Assessment, Reactions, and Issues for Congress",
              date="2026-04-09", series="Insight", authors=("Clayton Thomas",)),
    BriefInfo("aus", "aus.pdf", title="Australia: Background and U.S. Relations", date="2026-04-10",
              series="In Focus", authors=("Jared G. Tupuola",)),
    BriefInfo("typhon", "typhon.pdf", title="The U.S. Army’s Typhon Mid-Range Capability (MRC) System",
              date="2026-04-20", series="In Focus"),
    BriefInfo("asia", "asia.pdf", title="Uncertainty Among U.S. Allies in Northeast Asia", date="2017-05-08",
              series="Expert Brief"),
])


def _aspect(question: str, *, whole_brief: bool = False) -> str:
    return aspect_of(question, resolve_briefs(question, CATALOGUE, whole_brief=whole_brief))


@pytest.mark.parametrize("question, aspect", [
    ("Compare what the Australia report and the Iran Insight say about China", "China"),  # title, series words
    ("How do the Iran ceasefire report and the Typhon report differ on China?", "China"),
    ("Compare what the 2017 brief and the Typhon report say about Japan.", "Japan"),  # a date
    ("What does Tupuola write about the Pacific Islands?", "write Pacific Islands"),  # an author
    ("Compare the Typhon report and the Iran report on what Congress could do.", "Congress could"),
    # how a comparison asks for a view (a trial: both sample briefs "said little" on "see China")
    ("Compare how the Australia report and the Typhon report see China.", "China"),
    ("How do the Iran ceasefire report and the Typhon report view Japan?", "Japan"),
    ("How has the view of Japan changed from the 2017 brief to the Typhon report?", "Japan"),
])
def test_the_words_that_named_the_briefs_are_not_the_aspect(question, aspect):
    assert _aspect(question) == aspect


@pytest.mark.parametrize("question", ["Give me a timeline of the Iran ceasefire.", "Timeline of the Iran ceasefire",
                                      "Give a timeline of the events in the 2017 brief."])
def test_a_question_that_asks_for_the_whole_brief_has_no_aspect(question):
    assert _aspect(question, whole_brief=True) == ""


def test_a_title_word_written_again_outside_the_reference_is_the_aspect():
    # seen in a browser trial: "... treat China" lost "China" (a word of the China brief's title), so
    # the Typhon section read fielding sentences instead of its sentence on China's reaction
    shelf = Catalogue([*CATALOGUE.briefs, BriefInfo("china", "china.pdf", "China’s 15th Five-Year Plan: S&T and "
                                                    "Economic Priorities", date="2026-04-16", series="In Focus")])
    question = "Compare how the Typhon report and the China Five-Year Plan report treat China"
    resolution = resolve_briefs(question, shelf)
    assert {b.doc_id for b in resolution.briefs} == {"typhon", "china"}
    assert aspect_of(question, resolution) == "China"  # "treat" asks how, it is no topic
    # a title word written once, in the reference, is still no aspect
    question = "Compare the China Five-Year Plan report and the Typhon report"
    assert aspect_of(question, resolve_briefs(question, shelf)) == ""


def test_a_question_naming_no_brief_keeps_its_aspect():
    question = "What do the briefs say about China?"
    assert aspect_of(question, resolve_briefs(question, Catalogue([]))) == aspect_of(question)


PORT = """Port Truce Insight

The port truce began on May 2, 2025 after weeks of fighting.
Grain prices in the capital fell by half in June 2025.
Parliament approved a reconstruction fund on July 14, 2025.
The truce was extended on August 30, 2025.

Notes

1 Maritime Review, “Ports Under Fire,” March 3, 2024, https://example.org/ports-under-fire.
"""


GRAIN = """Grain Export Controls

The government banned wheat exports in January to keep bread prices stable.
Wheat prices abroad rose by twelve percent after the ban.
Farmers asked for compensation for the unsold harvest.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, embedder):
    from answer.assistant import Assistant
    from retrieval.hybrid import HybridRetriever
    from settings import Settings
    from tests.conftest import index_documents, make_document
    from vectorstore.store import open_store
    from vectorstore.types import DocumentMeta

    store = open_store(path=str(tmp_path_factory.mktemp("aspect")), model=embedder.name,
                       dimension=embedder.dimension)
    index_documents(store, embedder, [
        make_document(PORT, source="port.txt", meta=DocumentMeta(title="Port Truce Insight", date="2025-09-01",
                                                                 series="Insight")),
        make_document(GRAIN, source="grain.txt", meta=DocumentMeta(title="Grain Export Controls", date="2025-02-01"))])
    settings = Settings()
    return Assistant(HybridRetriever.over(store, embedder, settings=settings.retrieval), embedder, settings.answer)


@pytest.mark.slow
def test_a_comparison_asking_nothing_beyond_the_names_compares_the_briefs_main_points(assistant):
    answer = assistant.ask("Compare the port truce Insight and the grain export controls brief.")
    assert answer.kind == "comparison" and not answer.refused
    assert "says little" not in answer.text
    sections = answer.text.split("**Side by side**")[0]
    assert "**Port Truce Insight (2025-09-01)**" in sections and "**Grain Export Controls (2025-02-01)**" in sections
    assert {c.source for c in answer.citations} == {"port.txt", "grain.txt"}


@pytest.mark.slow
def test_a_timeline_of_a_named_brief_gives_all_its_dated_statements(assistant):
    """... and only statements: the date of a note's source is no event (found in a trial: a report's
    timeline opened with its reference notes)."""
    answer = assistant.ask("Give me a timeline of the port truce.")
    assert answer.kind == "timeline" and not answer.refused
    assert [line.split(":")[0] for line in answer.text.splitlines()] == [
        "- May 2, 2025", "- June 2025", "- July 14, 2025", "- August 30, 2025"]


def test_a_comparison_heading_shows_the_aspect_in_the_questions_own_words():
    # a browser trial's heading read "on Energy Credit many taxpayers claimed ...": the searched bag of words
    from answer.plans import aspect_as_written

    question = "Compare the Australia and Typhon reports on how many missiles the Army bought"
    resolution = resolve_briefs(question, CATALOGUE)
    assert {b.doc_id for b in resolution.briefs} == {"aus", "typhon"}
    assert aspect_as_written(question, resolution) == "how many missiles the Army bought"
    # words after "the report on" that named a brief are no aspect
    named = "Compare the Typhon report and the report on Australia"
    assert aspect_as_written(named, resolve_briefs(named, CATALOGUE)) == ""
