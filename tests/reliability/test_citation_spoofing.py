"""Citation spoofing: a chat model's citations are never taken on trust.

A fake chat model (LangChain's GenericFakeChatModel, streaming word by word) answers over real
passages retrieved from the sample briefs with the real model. It cites passages it was not
given, cites the wrong passage, and puts words in a passage's mouth. Whatever it writes, a
marker shown names a passage it was given, each citation quotes its brief exactly, and a claim
its passage does not back is flagged, never shown as supported: in the Answer, in the streamed
text and on the page.
"""

from __future__ import annotations

import re

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from answer.citations import SupportScorer, find_markers
from answer.llm import UNSUPPORTED_NOTE, LLMAnswerer
from answer.types import Answer
from retrieval.hybrid import HybridRetriever
from settings import AnswerSettings, RetrievalSettings
from vectorstore.types import Hit

pytestmark = pytest.mark.slow

QUESTION = "How many missiles has Kim launched since he came to power?"
TRUE_SENTENCE = "Kim has launched seventy-four missiles since he came to power."
THRESHOLD = AnswerSettings().support_threshold


@pytest.fixture(scope="module")
def hits(sample_store, embedder) -> list[Hit]:
    retriever = HybridRetriever.over(store=sample_store, embedder=embedder, settings=RetrievalSettings())
    found = retriever.search(QUESTION, 5)
    assert any(TRUE_SENTENCE in h.chunk.text for h in found)
    return found


def _numbers(hits: list[Hit]) -> tuple[int, int]:
    """The passage number (from 1) that states the true sentence, and one about something else."""
    right = next(n for n, h in enumerate(hits, 1) if TRUE_SENTENCE in h.chunk.text)
    # one that says nothing of launches (every one of the five may mention missiles: a caption's passage does)
    other = next(n for n, h in enumerate(hits, 1) if "launch" not in h.chunk.text.lower())
    return right, other


def answer_with(reply: str, hits: list[Hit], embedder) -> tuple[Answer, str]:
    """The checked Answer and the text streamed to the page for a model that writes ``reply``."""
    model = GenericFakeChatModel(messages=iter([AIMessage(content=reply)]))
    answerer = LLMAnswerer(model, SupportScorer(embedder), support_threshold=THRESHOLD)
    streamed, answer = [], None
    for item in answerer.stream(QUESTION, hits):
        if isinstance(item, Answer):
            answer = item
        else:
            streamed.append(item)
    assert answer is not None
    return answer, "".join(streamed)


def assert_citations_are_exact(answer: Answer, hits: list[Hit], sample_store) -> None:
    given = {h.chunk.id: h.chunk for h in hits}
    for citation in answer.citations:
        assert citation.chunk_id in given, f"citation [{citation.marker}] names a passage that was not given"
        chunk = given[citation.chunk_id]
        assert chunk.start <= citation.start < citation.end <= chunk.end
        assert sample_store.document_text(citation.doc_id)[citation.start:citation.end] == citation.quote
    shown = {n for m in find_markers(answer.text) for n in m.numbers}
    assert shown <= {c.marker for c in answer.citations}, f"markers {shown} without a citation"
    for sentence in answer.sentences:
        if sentence.supported and sentence.markers:
            assert any(c.marker in sentence.markers and c.supported for c in answer.citations)


def test_markers_naming_passages_the_model_was_not_given_are_removed_and_their_claims_flagged(
        hits, embedder, sample_store):
    right, _ = _numbers(hits)
    reply = (f"{TRUE_SENTENCE} [{right}] North Korea tested a hydrogen bomb in the Pacific last year [9]. "
             "Japan has agreed to host American nuclear weapons [Passage 12]. "
             "South Korea has deployed its own nuclear deterrent [^7]. "
             f"The alliance meets every month in Guam [0][{len(hits) + 1}]. "
             f"Sanctions cut Pyongyang's exports by ninety percent [2, 17].")
    answer, streamed = answer_with(reply, hits, embedder)
    assert_citations_are_exact(answer, hits, sample_store)
    for text in (answer.text, streamed):
        numbers = {n for m in find_markers(text) for n in m.numbers}
        assert numbers <= set(range(1, len(hits) + 1)), f"an invented marker was shown: {numbers}"
    flagged = {s.text for s in answer.sentences if not s.supported}
    for claim in ("hydrogen bomb", "host American nuclear weapons", "own nuclear deterrent", "every month in Guam"):
        sentence = next(s for s in answer.sentences if claim in s.text)
        assert sentence.markers == () and sentence.text in flagged, sentence
    assert answer.text.count(UNSUPPORTED_NOTE) >= 4
    assert next(s for s in answer.sentences if "seventy-four" in s.text).supported


def test_a_claim_cited_to_a_passage_that_does_not_state_it_is_flagged_unsupported(hits, embedder, sample_store):
    _, other = _numbers(hits)
    answer, _ = answer_with(f"{TRUE_SENTENCE} [{other}]", hits, embedder)
    assert_citations_are_exact(answer, hits, sample_store)
    (sentence,) = [s for s in answer.sentences if "seventy-four" in s.text]
    assert not sentence.supported and UNSUPPORTED_NOTE in answer.text
    assert not any(c.supported for c in answer.citations)


@pytest.mark.parametrize("quote", [
    "Kim Jong-un has promised to give up all nuclear weapons by 2020",
    "Kim has launched no missiles since he came to power",
    "Kim has launched seventy-four missiles since the Korean War ended",
])
def test_a_quote_that_is_not_in_the_cited_passage_is_flagged_never_shown_as_supported(quote, hits, embedder,
                                                                                      sample_store):
    right, _ = _numbers(hits)
    assert quote not in hits[right - 1].chunk.text
    answer, _ = answer_with(f'As the brief puts it, "{quote}" [{right}].', hits, embedder)
    assert_citations_are_exact(answer, hits, sample_store)
    (sentence,) = answer.sentences
    assert not sentence.supported, f"a quote absent from passage [{right}] is shown as supported ({sentence.support})"
    assert UNSUPPORTED_NOTE in answer.text


@pytest.mark.parametrize("altered", [
    TRUE_SENTENCE.replace("seventy-four", "seven hundred"),
    TRUE_SENTENCE.replace("has launched", "has never launched"),
])
def test_a_claim_that_alters_the_figure_or_sense_of_its_cited_sentence_is_flagged(altered, hits, embedder,
                                                                                   sample_store):
    right, _ = _numbers(hits)
    answer, _ = answer_with(f"{altered} [{right}]", hits, embedder)
    assert_citations_are_exact(answer, hits, sample_store)
    (sentence,) = answer.sentences
    assert not sentence.supported, f"{altered!r} is shown as supported by {TRUE_SENTENCE!r} ({sentence.support})"


def test_a_spoofed_answer_on_the_page_shows_its_flags_and_only_real_citations(monkeypatch, tmp_path, sample_store,
                                                                              hits):
    """The LLM backend in the app, its chat model replaced by the fake: what a reviewer sees."""
    import os

    from streamlit.testing.v1 import AppTest

    import answer.llm
    from settings import REPO_ROOT
    from tests.reliability.support import plain

    right, other = _numbers(hits)
    reply = f"{TRUE_SENTENCE} [{right}] Japan has agreed to host American nuclear weapons [{other}][14]."
    monkeypatch.setattr(answer.llm, "build_chat_model",
                        lambda settings: GenericFakeChatModel(messages=iter([AIMessage(content=reply)])))
    for name in list(os.environ):
        if name.startswith("BRIEFS_"):
            monkeypatch.delenv(name)
    store_path = sample_store.client.get_settings().persist_directory
    monkeypatch.setenv("BRIEFS_STORE__PATH", store_path)
    monkeypatch.setenv("BRIEFS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BRIEFS_ANSWER__BACKEND", "llm")
    monkeypatch.setenv("BRIEFS_RETRIEVAL__K", str(len(hits)))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120).run()
    at.chat_input(key="question").set_value(QUESTION).run()
    assert not at.exception, [e.value for e in at.exception]
    from tests.ui.conftest import answer_markers_of, answer_text_of

    shown = plain(answer_text_of(at.chat_message[1]))  # the answer-text component's text, markers as [n]
    answer = at.session_state["turns"][-1].answer
    assert set(answer_markers_of(at.chat_message[1])) <= {c.marker for c in answer.citations}  # clickable: real ones
    assert [h.chunk.id for h in answer.retrieved] == [h.chunk.id for h in hits]
    # Markers are renumbered by distinct quote: every one shown has its citation; [14] is gone.
    assert {int(n) for n in re.findall(r"\[(\d+)\]", shown)} <= {c.marker for c in answer.citations}
    assert len(answer.citations) <= 2
    japan = next(s for s in answer.sentences if "Japan" in s.text)
    assert not japan.supported
    assert all(not c.supported for c in answer.citations if c.marker in japan.markers)
    assert re.search(r"Japan has agreed to host American nuclear weapons( \[\d\])?\. \(unsupported\)", shown), shown
    assert any("not backed by" in plain(c.value) for c in at.caption)
    buttons = [b for b in at.button if (b.key or "").startswith("cite-")]
    assert len(buttons) == len(answer.citations)
    for button, citation in zip(buttons, answer.citations):
        assert (button.proto.icon == ":material/warning:") == (not citation.supported)
