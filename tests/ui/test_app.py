"""The chat UI through Streamlit's AppTest, over a real store of the sample briefs."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re

import pytest

from answer.layout import plain_text
from review.store import ReviewStore
from settings import SAMPLE_BRIEFS
from ui.chat import citation_label
from ui.export import conversation_json, conversation_markdown
from ui.render import md_text
from ui.state import ChatTurn

from tests.ui.conftest import (answer_markers_of, answer_text_of, assistant_messages, ask, citation_buttons,
                               html_bodies, no_failure, start_app, start_app_with_query, unescape,
                               user_messages)

pytestmark = pytest.mark.slow  # the real embedding model and a real Chroma store

QUESTION = "How many missiles has Kim launched since he came to power?"


def _turns(at) -> list[ChatTurn]:
    return at.session_state["turns"]


def test_a_question_gets_an_answer_with_inline_citations(data_dir):
    at = start_app()
    no_failure(at)
    assert at.chat_input(key="question").proto.disabled is False
    ask(at, QUESTION)
    no_failure(at)
    assert [m.markdown[0].value for m in user_messages(at)] == [
        "How many missiles has Kim launched since he came to power\\?"]
    (reply,) = assistant_messages(at)
    text = answer_text_of(reply)
    answer = _turns(at)[0].answer
    assert answer is not None and answer.citations and not answer.refused
    assert "seventy" in text and "[1]" in text and text == answer.text
    assert answer_markers_of(reply) == [c.marker for c in answer.citations]  # each marker is a button
    labels = [b.label for b in citation_buttons(at)]
    assert labels == [md_text(citation_label(c, _turns(at)[0].hit(c.chunk_id))) for c in answer.citations]
    assert len(set(labels)) == len(labels)  # told apart: brief, page and the quote's first words
    assert all("“" in label for label in labels)
    # Every answer is recorded for review with its question and citations.
    (item,) = ReviewStore(data_dir / "review.sqlite3").items()
    assert item.question == QUESTION and len(item.citations) == len(answer.citations)
    assert item.citations[0].passage and item.citations[0].claim


def test_a_follow_up_is_understood_from_the_conversation(data_dir):
    at = start_app()
    ask(at, "Who is Elbridge Colby?")
    ask(at, "What did he argue about extended nuclear deterrence?")
    no_failure(at)
    first, second = _turns(at)
    assert first.answer and second.answer and second.answer.citations
    assert "Colby" in second.answer.standalone_question
    assert len(user_messages(at)) == 2 and len(assistant_messages(at)) == 2


def test_a_follow_up_on_the_brief_of_a_summary_shows_how_it_was_read(data_dir):
    # seen in a browser trial: "What does it recommend Congress do?" after a summary showed no
    # "Interpreted as" line, so the analyst could not see what "it" was taken to be
    at = start_app()
    ask(at, "Summarize the 2017 brief")
    ask(at, "What does it recommend Washington do?")
    no_failure(at)
    second = _turns(at)[1].answer
    assert second is not None and not second.refused
    assert "Uncertainty Among U.S. Allies in Northeast Asia" in second.standalone_question
    captions = [unescape(c.value) for c in assistant_messages(at)[1].caption]
    assert any(c.startswith("Interpreted as: What does “Uncertainty Among U.S. Allies in Northeast Asia” recommend")
               for c in captions), captions


def test_a_citation_opens_its_passage_highlighted_in_its_brief_then_the_whole_brief(data_dir):
    at = ask(start_app(), QUESTION)
    answer = _turns(at)[0].answer
    citation = answer.citations[0]
    citation_buttons(at)[0].click().run()
    no_failure(at)
    body = "\n".join(html_bodies(at))
    assert '<mark class="passage' in body and 'class="passage quote"' in body
    assert "Uncertainty Among U.S. Allies in Northeast Asia" in body
    assert "2017-05-08" in body and "Expert Brief" in body
    quote_html = re.search(r'<mark class="passage quote"[^>]*>(.*?)</mark>', body, re.S).group(1)
    assert quote_html in citation.quote.replace("’", "’")  # the quote is inside the marked passage

    at.button(key="reader-whole").click().run()
    whole = "\n".join(html_bodies(at))
    assert "Jump to it" in whole and "More From Our Experts" in whole  # text far from the passage
    assert 'class="brief-text brief-scroll"' in whole and '<mark class="passage' in whole

    at.button(key="reader-close").click().run()
    no_failure(at)
    assert '<mark class="passage' not in "\n".join(html_bodies(at))


def test_the_sources_panel_lists_passages_scores_and_which_were_cited(data_dir):
    at = ask(start_app(), QUESTION)
    answer = _turns(at)[0].answer
    cited = {c.chunk_id for c in answer.citations}
    (panel,) = [e for e in at.expander if e.label.startswith("Sources")]
    n = len(answer.retrieved)
    assert panel.label == (f"Sources · {n} passages found, {len(cited)} cited" if len(cited) == len(answer.citations)
                           else f"Sources · {n} passages found · {len(answer.citations)} citations from {len(cited)} of them")
    rows = [e.proto.body for e in panel.get("html")]
    assert len(rows) == len(answer.retrieved)
    best = max(h.score for h in answer.retrieved)
    for hit, row in zip(answer.retrieved, rows):
        assert f"relevance {round(100 * hit.score / best)}%" in row and hit.chunk.title in row
        assert "fused" not in row and hit.chunk.source not in row  # scores and file names: for experts only
        assert ("cited [" in row) == (hit.chunk.id in cited)
    (experts,) = [e for e in panel.expander if e.label.startswith("Scores and ids")]
    table = experts.dataframe[0].value.to_dict("records")
    assert [r["passage id"] for r in table] == [h.chunk.id for h in answer.retrieved]
    assert table[0]["scores"].startswith(f"fused {answer.retrieved[0].score:.4f}")
    uncited = [h for h in answer.retrieved if h.chunk.id not in cited]
    if uncited:
        at.button(key=f"src-{_turns(at)[0].id}-{uncited[0].rank}").click().run()
        assert any(c.value == "Retrieved passage" for c in at.caption)
        assert '<mark class="passage"' in "\n".join(html_bodies(at))


def test_filters_restrict_briefs_dates_series_and_passages(data_dir):
    at = start_app()
    manifest_titles = {o for o in at.multiselect(key="filter-briefs").options}
    assert len(manifest_titles) == 2
    trilateral = hashlib.sha256((SAMPLE_BRIEFS / "000_e8f8a75dd6e65921.txt").read_bytes()).hexdigest()
    at.multiselect(key="filter-briefs").set_value([trilateral]).run()
    at.slider(key="filter-k").set_value(3).run()
    ask(at, "What did experts say about North Korea?")
    turn = _turns(at)[0]
    assert turn.k == 3 and 0 < len(turn.answer.retrieved) <= 3
    assert {h.chunk.title for h in turn.answer.retrieved} == {
        "The North Korean and Chinese Threats Are Growing. But so Is the Trilateral Response."}
    assert "Filtered: brief “The North Korean and Chinese" in unescape(user_messages(at)[0].caption[0].value)

    at.multiselect(key="filter-briefs").set_value([]).run()
    at.date_input(key="filter-dates").set_value((dt.date(2017, 5, 1), dt.date(2017, 5, 31))).run()
    at.multiselect(key="filter-series").set_value(["Expert Brief"]).run()
    ask(at, "What did experts say about North Korea?")
    turn = _turns(at)[1]
    assert turn.filters.date_from == "2017-05-01" and turn.filters.series == ("Expert Brief",)
    assert {h.chunk.date for h in turn.answer.retrieved} == {"2017-05-08"}
    no_failure(at)


EVIL_BRIEF = b"""---
title: Missile Defence Costs ![t](http://evil.example/t.png) <b>$5</b>
date: 2024-03-01
series: Test Series
---
# Missile Defence Costs

The interceptor programme cost $14 billion over ten years, according to the finance ministry <script>alert("x")</script>.
![tracker](http://evil.example/x.png) The radar network cost a further $3 billion and was completed in 2023.
"""


def test_uploads_are_ingested_with_per_file_errors_and_render_inert(own_store, data_dir):
    at = start_app()
    assert at.metric[0].value == "2"
    at.file_uploader[0].set_value([
        ("../../Missile costs.md", EVIL_BRIEF, "text/markdown"),
        ("broken.pdf", b"%PDF-1.4 this is not really a PDF", "application/pdf"),
    ]).run()
    no_failure(at)
    assert any("Missile costs\\.md" in s.value for s in at.success)
    (error,) = [e.value for e in at.error]
    assert error.startswith("**broken\\.pdf**") and "PDF" in error
    assert at.metric[0].value == "3"
    uploads = data_dir / "uploads"
    assert sorted(p.name for p in uploads.iterdir() if not p.name.startswith(".")) == ["Missile costs.md"]
    assert not (data_dir.parent / "Missile costs.md").exists()

    ask(at, "How much did the interceptor programme cost?")
    no_failure(at)
    answer = _turns(at)[0].answer
    assert any(c.title.startswith("Missile Defence Costs ![t]") for c in answer.citations)
    text = answer_text_of(assistant_messages(at)[0])  # shown as text by the component, never as markup
    assert "$14 billion" in text
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption] + [b.label for b in at.button]
    assert any("Missile Defence Costs" in value for value in shown)
    for value in shown:  # titles from the brief reach Markdown only escaped
        assert "![" not in value and "<b>" not in value and "](http" not in value, value
    button = next(b for b in citation_buttons(at) if "Missile Defence Costs" in b.label)
    button.click().run()
    body = "\n".join(html_bodies(at))
    assert "&lt;script&gt;" in body and "<script" not in body and "<img" not in body
    assert "$14 billion" in body and "Test Series" in body and "&lt;b&gt;$5&lt;/b&gt;" in body


def test_the_conversation_exports_as_markdown_and_json_with_citations(data_dir):
    def conversation_downloads() -> list:  # the sidebar also offers the brief list (CSV, JSON)
        return [b for b in at.get("download_button") if not b.label.startswith("Brief list")]

    at = start_app()
    assert not conversation_downloads()  # nothing to export yet
    ask(at, QUESTION)
    assert len(conversation_downloads()) == 2 and not any(b.proto.disabled for b in conversation_downloads())
    turns = _turns(at)
    answer = turns[0].answer
    markdown = conversation_markdown(turns)
    assert f"## 1. {QUESTION}" in markdown and "[1]" in markdown
    assert f"> {answer.citations[0].quote[:40]}" in markdown
    assert "*Searched all briefs; up to 5 passages.*" in markdown and "characters" not in markdown
    assert f"[1] *{answer.citations[0].title}*" in markdown
    exported = json.loads(conversation_json(turns))
    (turn,) = exported["turns"]
    assert turn["question"] == QUESTION and turn["answer"]["text"] == answer.text
    assert [c["quote"] for c in turn["answer"]["citations"]] == [c.quote for c in answer.citations]
    assert turn["answer"]["citations"][0]["claim"] and len(turn["answer"]["retrieved"]) == len(answer.retrieved)


def test_verdicts_and_ratings_survive_a_restart(data_dir):
    at = start_app()
    at.text_input(key="user-name").set_value("  Ana   Reviewer ").run()  # the typed name: no sign-in configured
    ask(at, QUESTION)
    turn = _turns(at)[0]
    citation_buttons(at)[0].click().run()
    marker = turn.answer.citations[0].marker
    key = f"verdict-{turn.id}-{marker}"
    at.segmented_control(key=f"{key}-v").set_value("partly")
    at.text_input(key=f"{key}-c").set_value("Only half of the claim")
    next(b for b in at.button if b.label == "Save verdict").click().run()
    no_failure(at)
    assert any("Saved by Ana Reviewer: Partly" in unescape(s.value) for s in at.success)
    at.feedback[0].set_value(0).run()  # thumbs down

    # A new app process: only the SQLite file carries the verdicts over.
    from tests.ui.test_review_page import render_review

    review = render_review(data_dir, "Ana Reviewer")
    no_failure(review)
    assert review.segmented_control(key=f"review-{key}-v").value == "partly"
    assert review.text_input(key=f"review-{key}-c").value == "Only half of the claim"
    assert review.feedback[0].value == 0
    item = ReviewStore(data_dir / "review.sqlite3").get(turn.id)
    assert item.verdicts[marker].verdict == "partly" and item.rating == -1
    assert item.verdicts[marker].reviewer == "Ana Reviewer"


def test_a_turn_cut_off_while_streaming_is_answered_once_not_lost(data_dir):
    at = start_app()
    # What a run interrupted mid-stream leaves behind: the question recorded, no answer yet.
    at.session_state["turns"] = [ChatTurn(question=QUESTION)]
    ask(at, "Who is Elbridge Colby?")
    no_failure(at)
    turns = _turns(at)
    assert [t.question for t in turns] == [QUESTION, "Who is Elbridge Colby?"]
    assert all(t.answer is not None for t in turns)
    assert len(user_messages(at)) == 2 and len(assistant_messages(at)) == 2
    at.run()  # later runs answer nothing again
    assert [t.answered_at for t in _turns(at)] == [t.answered_at for t in turns]
    assert len(ReviewStore(data_dir / "review.sqlite3").items()) == 2


def test_two_sessions_never_see_each_other_s_history(data_dir):
    first, second = start_app(), start_app()
    ask(first, QUESTION)
    second.run()
    assert len(user_messages(first)) == 1 and user_messages(second) == []
    ask(second, "Who is Elbridge Colby?")
    first.run()
    assert [t.question for t in _turns(first)] == [QUESTION]
    assert [t.question for t in _turns(second)] == ["Who is Elbridge Colby?"]


def _pdf(pages: list[str], title: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setTitle(title)
    for page in pages:
        for number, line in enumerate(page.split("\n")):
            pdf.drawString(72, 720 - 14 * number, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_a_citation_of_a_pdf_names_its_page(own_store, data_dir):
    at = start_app()
    pages = ["Baltic Energy Security\nThis brief looks at electricity links around the Baltic Sea.",
             "The Estlink cables carry 1,000 megawatts of power between Finland and Estonia.\n"
             "Their repair after the 2024 outage took several months."]
    at.file_uploader[0].set_value([("baltic.pdf", _pdf(pages, "Baltic Energy Security"), "application/pdf")]).run()
    no_failure(at)
    ask(at, "How many megawatts do the Estlink cables carry?")
    button = next(b for b in citation_buttons(at) if "Baltic Energy Security" in b.label)
    button.click().run()
    body = "\n".join(html_bodies(at))
    assert "Baltic Energy Security" in body and "page 1" in body  # where the cited passage starts
    assert re.search(r'<mark class="passage quote"[^>]*>[^<]*1,000 megawatts', body)


def test_the_sidebar_lists_every_indexed_brief_in_one_table_newest_first(data_dir):
    at = start_app()
    no_failure(at)
    (table,) = at.sidebar.dataframe
    rows = table.value.to_dict("records")
    assert [r["Date"] for r in rows] == ["2017-05-08", "undated"]
    assert rows[0]["Brief"].startswith("Uncertainty Among U.S. Allies")
    assert rows[1]["Brief"] == "The North Korean and Chinese Threats Are Growing. But so Is the Trilateral Response."
    assert all(r["Passages"] > 0 for r in rows)


def test_a_kept_conversation_reopens_from_its_link_and_can_be_renamed_and_deleted(data_dir):
    from conversations.store import ConversationStore

    at = start_app()
    at.text_input(key="user-name").set_value("Ana").run()
    ask(at, QUESTION)
    no_failure(at)
    conversation_id = at.query_params["c"][0] if isinstance(at.query_params["c"], list) else at.query_params["c"]
    store = ConversationStore(data_dir / "conversations.sqlite3")
    (kept,) = store.list("typed:ana")
    assert kept.id == conversation_id and kept.title == QUESTION and kept.turns == 1

    # Another session (a reload, or a restarted server) given the link shows the same turns.
    again = start_app_with_query(c=conversation_id, **{"as": "Ana"})
    no_failure(again)
    assert [m.markdown[0].value for m in user_messages(again)] == [md_text(QUESTION)]
    assert answer_text_of(assistant_messages(again)[0]) == plain_text(_turns(at)[0].answer.text)

    again.text_input(key=f"rename-{conversation_id}").set_value("Missiles")
    again.button(key=f"rename-save-{conversation_id}").click().run()
    assert store.get(conversation_id).title == "Missiles"
    again.button(key="new-conversation").click().run()
    assert not user_messages(again) and "c" not in again.query_params
    assert again.button(key=f"open-{conversation_id}").label == "Missiles"
    again.button(key=f"open-{conversation_id}").click().run()
    assert len(user_messages(again)) == 1
    again.button(key=f"delete-{conversation_id}").click().run()
    assert store.get(conversation_id) is None and not user_messages(again)

    # Bob does not see Ana's list; a signed-in owner's link would not open for him either.
    bob = start_app_with_query(**{"as": "Bob"})
    assert not [b for b in bob.button if (b.key or "").startswith("open-")]


def test_a_comparison_across_briefs_shows_its_sources(data_dir):
    # A comparison retrieves per brief, so its passages carry each brief's own ranks (1, 2, ... again):
    # the sources panel must still render (it once keyed its buttons by rank and failed).
    at = start_app()
    ask(at, "Compare how the two briefs see Japan")
    no_failure(at)
    answer = _turns(at)[0].answer
    assert answer is not None and answer.kind == "comparison" and not answer.refused
    assert len({c.doc_id for c in answer.citations}) == 2
    assert len({h.rank for h in answer.retrieved}) < len(answer.retrieved)  # ranks repeat across briefs


def test_a_pronoun_for_a_person_of_the_last_turn_is_named_and_shown(data_dir):
    # issue 12, item 6: "he" stands for the person the last question was about; the chat shows how it was read
    at = start_app()
    ask(at, "What did Elbridge Colby say about South Korea?")
    ask(at, "What did he advise South Korea to prepare for?")
    no_failure(at)
    second = _turns(at)[1].answer
    assert second is not None and second.standalone_question == "What did Elbridge Colby advise South Korea to prepare for?"
    captions = [unescape(c.value) for c in assistant_messages(at)[1].caption]
    assert "Interpreted as: What did Elbridge Colby advise South Korea to prepare for?" in captions, captions
