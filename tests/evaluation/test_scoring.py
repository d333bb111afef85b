"""Scoring one answered question, with every figure computed by hand."""

from __future__ import annotations

import dataclasses

import pytest

from evaluation.corpus import find_documents
from evaluation.questions import Question, Reference
from evaluation.records import Latency
from evaluation.scoring import resolve_reference, score
from tests.evaluation.fakes import BRIEF, answer, chunk, citation, corpus, hits

LATENCY = Latency(retrieve=10.0, answer=5.0, total=15.0)
S1 = "Late fees fell from $32 to $8."
S3 = "Sellers must show the total price up front."
T1, T2 = "Trade with Japan grew by a tenth.", "Seoul and Tokyo met in May."


def test_sources_match_by_path_path_without_suffix_or_stem():
    c = corpus()
    assert [d.doc_id for d in find_documents(c, "policy/fees.md")] == ["policy/fees.md"]
    assert [d.doc_id for d in find_documents(c, "policy/fees")] == ["policy/fees.md"]
    assert [d.doc_id for d in find_documents(c, "fees")] == ["policy/fees.md"]
    assert find_documents(c, "fees.txt") == []


def test_text_reference_is_located_as_a_span():
    # whitespace and quotes are normalised, case is not: "late" does not match "Late"
    record, _ = resolve_reference(Reference("fees", text="late fees fell from $32 to $8."), corpus())
    assert (record.source, record.located) == ("fees", False)
    record, passage = resolve_reference(Reference("fees", text="Late\nfees fell from $32 to $8."), corpus())
    assert (record.source, record.start, record.end, record.located) == ("policy/fees.md", 0, 30, True)
    assert record.text == S1 and passage.span.corpus_id == "policy/fees.md"


def test_span_reference_takes_the_document_text_and_unknown_sources_stay_text():
    record, _ = resolve_reference(Reference("trade", 34, 61), corpus())
    assert (record.text, record.located) == (T2, True)
    record, passage = resolve_reference(Reference("missing.md", text="xyz"), corpus())
    assert (record.located, passage.span, passage.text) == (False, None, "xyz")
    record, _ = resolve_reference(Reference("trade", 50, 500), corpus())
    assert not record.located


def test_score_of_an_answered_question():
    question = Question("q1", "How much did late fees fall?", answers=("$8",),
                        references=(Reference("fees", text=S1),))
    reply = answer(
        question.question,
        [("Late fees fell to $8.", (1,)), ("Prices are shown up front.", (2,)), ("That is all.", ())],
        citations=(citation(1, "policy/fees.md", S1), citation(2, "policy/fees.md", S3, quote="Sellers must show",
                                                                   support=0.3)),
        retrieved=hits(chunk("trade.txt", T1), chunk("policy/fees.md", S1)),
    )
    record = score(question, reply, corpus(), k=2, latency=LATENCY)
    s = record.scores
    assert (s.first_relevant_rank, s.hit, s.recall, s.reciprocal_rank) == (2, 1.0, 1.0, 0.5)
    # spans: reference [0, 30) of fees; retrieved trade [0, 33) and fees [0, 30): 30 / 63
    assert (s.span_recall, s.span_precision, s.span_iou) == pytest.approx((1.0, 30 / 63, 30 / 63))
    # answer words: "late fees fell to 8 prices are shown up front that is all" (13); gold "8": F1 = 1/7
    assert (s.contains_answer, s.token_f1) == (1.0, pytest.approx(1 / 7))
    assert (s.citations, s.citations_valid, s.citations_supported) == (2, 1, 1)
    assert (s.sentences, s.sentences_cited, s.citation_recall) == (3, 2, 1.0)
    assert [c.valid for c in record.citations] == [True, False]
    assert record.retrieved[1].text == S1 and record.outcome == "invalid citation"
    assert BRIEF[record.citations[0].start:record.citations[0].end] == record.citations[0].quote


def test_score_of_a_refused_unanswerable_question_has_no_retrieval_or_answer_figures():
    question = Question("q2", "What is the GDP of Mars?", unanswerable=True)
    record = score(question, answer(question.question, [], refused=True), corpus(), k=5, latency=LATENCY)
    s = record.scores
    assert (s.hit, s.recall, s.contains_answer, s.sentences) == (None, None, None, 0)
    assert record.refused and record.outcome == "ok" and record.type == "unanswerable"


def test_unplaced_text_reference_is_matched_by_containment():
    question = Question("q3", "Who met?", references=(Reference("", text="Seoul  and Tokyo"),
                                                      Reference("elsewhere.md", text="Tokyo met in May")))
    reply = answer(question.question, [("Seoul and Tokyo met.", ())], retrieved=hits(chunk("trade.txt", T2)))
    s = score(question, reply, corpus(), k=3, latency=LATENCY).scores
    assert (s.hit, s.recall, s.span_recall) == (1.0, 1.0, None)  # the second reference has no span


def test_a_long_questions_notice_is_kept_in_its_record():
    from dataclasses import replace

    from evaluation.records import QuestionRecord

    question = Question("q4", "Background ... Which route had the most repairs?", unanswerable=True)
    reply = replace(answer(question.question, [], refused=True), notice="searched for: Which route had the most repairs?")
    record = score(question, reply, corpus(), k=5, latency=LATENCY)
    assert record.notice == reply.notice
    assert QuestionRecord.from_json(record.to_json()).notice == reply.notice


def test_recorded_answer_keeps_its_structure_without_markup():
    # a comparison's section headings are bold lines in Answer.text; answers.jsonl, the CSV and the
    # HTML report show the plain text (as the CLI does), never literal ``**``
    question = Question("q9", "Compare the briefs on fees.")
    reply = dataclasses.replace(answer(question.question, [(S1, (1,))], citations=(citation(1, "policy/fees.md", S1),)),
                                text=f"**Fees (2024)**\n- {S1}[1]\n**Trade (2017)**\n- {T1}")
    record = score(question, reply, corpus(), k=2, latency=LATENCY)
    assert "**" not in record.answer
    assert record.answer == f"Fees (2024)\n- {S1}[1]\n\nTrade (2017)\n- {T1}"
