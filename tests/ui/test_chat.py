"""The chat flow over a stand-in answerer: model text stays inert, failures become messages."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import answer_components, answer_text_of, assistant_messages, no_failure, unescape


def _chat_script(mode: str) -> None:
    import streamlit as st

    from answer.types import Answer
    from ui.chat import render_chat
    from ui.state import ask, turns
    from vectorstore.errors import EmptyStoreError

    class StandIn:
        """Streams like answer.assistant.Assistant, or fails like an unreachable LLM would."""

        def stream(self, question, *, history=(), filters=None, k=None):
            if mode == "unreachable":
                import httpx

                raise httpx.ConnectError("[Errno 111] Connection refused")
            if mode == "empty":
                raise EmptyStoreError("the store holds no passages yet")
            pieces = ["The fund <script>alert(1)</script> cost ", "$1", "4 billion ", "![x](http://evil", "/x.png)",
                      " and <img src=x onerror=alert(2)> more."]
            yield from pieces
            yield Answer(question=question, text="".join(pieces), backend="llm")

    if not turns(st.session_state):
        ask(st.session_state, "How much did it cost?", filters=None, k=5)
    render_chat(StandIn(), None, backend="llm")


def _run(mode: str) -> AppTest:
    return AppTest.from_function(_chat_script, args=(mode,), default_timeout=30).run()


def test_streamed_model_text_is_shown_escaped():
    at = _run("ok")
    no_failure(at)
    (reply,) = assistant_messages(at)
    # The final answer goes to the answer-text component as data; its script writes it with
    # textContent only, so markup in it is shown as the characters it is made of.
    assert answer_text_of(reply) == ("The fund <script>alert(1)</script> cost $14 billion ![x](http://evil/x.png) and "
                                     "<img src=x onerror=alert(2)> more.")
    (component,) = answer_components(reply)
    script = component.proto.js_content
    assert "textContent" in script and "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert component.proto.html_content == ""
    assert not reply.markdown  # nothing of the answer went through Markdown


def test_an_unreachable_llm_is_a_message_with_a_retry():
    at = _run("unreachable")
    no_failure(at)
    (error,) = [unescape(e.value) for e in at.error]
    assert "could not be written" in error and "ConnectError" in error and "reachable" in error
    at.button(key=f"retry-{at.session_state['turns'][0].id}").click().run()
    no_failure(at)
    assert len(at.error) == 1  # asked again, failed again, still one turn


def test_our_own_errors_are_shown_as_they_are_worded():
    at = _run("empty")
    no_failure(at)
    assert [unescape(e.value) for e in at.error] == ["the store holds no passages yet"]


def test_citation_label_and_place_give_the_quotes_page_not_the_passages_first():
    """A passage may start on page 1 and its quote on page 2 (a browser trial's timeline chip said
    "p. 1" while the passage view said page 2): every place that names a citation's page names the
    quote's (``Citation.page``, from ``Chunk.page_at``)."""
    from answer.types import Citation
    from ui.answer_text import citation_place
    from ui.chat import citation_label
    from vectorstore.types import Chunk, Hit

    text = "First page sentence. Second page sentence."
    chunk = Chunk(id="c1", doc_id="d1", source="brief.pdf", start=0, end=len(text), text=text, page=1,
                  title="Seabed Mining", date="2026-04-13", page_starts=((21, 2),))
    quote_start = text.index("Second")
    citation = Citation(marker=1, chunk_id="c1", doc_id="d1", source="brief.pdf", title="Seabed Mining",
                        start=quote_start, end=len(text), quote=text[quote_start:], support=1.0,
                        page=chunk.page_at(quote_start))
    hit = Hit(chunk=chunk, score=1.0, rank=1)
    assert citation.page == 2
    assert " · p. 2 · " in citation_label(citation, hit)
    assert citation_place(citation, hit).endswith("page 2")
    without = Citation(marker=2, chunk_id="c1", doc_id="d1", source="brief.pdf", title="Seabed Mining", start=0,
                       end=20, quote=text[:20], support=1.0)
    assert " · p. 1 · " in citation_label(without, hit)  # no page of its own: the passage's


def test_a_short_title_elides_the_words_two_cited_titles_share():
    """A trial's comparison of two "Preliminary Data on the IRA ..." briefs had every button read "Preliminary Data
    on the IR…": which brief a citation came from could not be told."""
    from ui.chat import SHORT_TITLE, short_title

    home = "Preliminary Data on the IRA Energy Efficient Home Improvement Credit"
    clean = "Preliminary Data on the IRA Residential Clean Energy Credit"
    shorts = [short_title(t, [home, clean]) for t in (home, clean)]
    assert shorts[0].startswith("…Energy Efficient") and shorts[1].startswith("…Residential Clean")
    assert all(len(s) <= SHORT_TITLE for s in shorts)
    assert short_title(home) == "Preliminary Data on the IR…"  # alone, or beside a title that differs early
    assert short_title(home, [home, "Farm Bill Primer: Conservation Title"]) == "Preliminary Data on the IR…"
    assert short_title("Earth Day: Fact Sheet", [home]) == "Earth Day: Fact Sheet"
