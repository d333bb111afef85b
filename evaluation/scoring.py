"""Turn one question and the assistant's answer into a scored ``QuestionRecord``."""

from __future__ import annotations

from typing import Sequence

from answer.layout import plain_text
from answer.types import Answer
from evaluation.chunking_metrics import CharSpan
from evaluation.corpus import Corpus, find_documents
from evaluation.metrics import (
    Passage,
    citation_recall,
    citation_valid,
    contains_answer,
    first_relevant_rank,
    hit_at_k,
    locate_all,
    locate_text,
    passage_matches,
    recall_at_k,
    reciprocal_rank,
    span_scores,
    split_sentences,
    token_f1,
)
from evaluation.questions import Question, Reference, RowError, question_type
from evaluation.records import CitationRecord, Latency, QuestionRecord, QuestionScores, ReferenceRecord, RetrievedRecord


def resolve_reference(reference: Reference, corpus: Corpus) -> tuple[ReferenceRecord, Passage]:
    """Place a reference in a stored document.

    A span reference takes the first document its ``source`` names; a text reference becomes
    the span where its normalised text first occurs in a document its ``source`` names (any
    document when it has no source). A reference that cannot be placed keeps only its text and
    is matched by text containment.
    """
    candidates = find_documents(corpus, reference.source) if reference.source else list(corpus.documents())
    if reference.is_span:
        for doc in candidates:
            text = corpus.text(doc.doc_id)
            if text is not None and reference.end <= len(text):  # type: ignore[operator]
                quote = text[reference.start:reference.end]
                return (ReferenceRecord(doc.sources[0], reference.start, reference.end, quote, True),
                        Passage(CharSpan(doc.doc_id, reference.start, reference.end), quote))  # type: ignore[arg-type]
    else:
        for doc in candidates:
            text = corpus.text(doc.doc_id)
            found = locate_text(reference.text, text) if text is not None else None
            if found is not None:
                start, end = found
                return (ReferenceRecord(doc.sources[0], start, end, text[start:end], True),  # type: ignore[index]
                        Passage(CharSpan(doc.doc_id, start, end), text[start:end]))  # type: ignore[index]
    return (ReferenceRecord(reference.source, reference.start, reference.end, reference.text, False),
            Passage(None, reference.text))


def answer_body(answer: Answer) -> str:
    """The answer's words without citation markers, for comparison with acceptable answers."""
    if answer.sentences:
        return " ".join(s.text for s in answer.sentences)
    text = answer.text
    for citation in answer.citations:
        text = text.replace(citation.label, " ")
    return text


def sentence_counts(answer: Answer) -> tuple[int, int]:
    """``(sentences, sentences carrying a citation)`` of a non-refused answer; (0, 0) for a refusal."""
    if answer.refused:
        return 0, 0
    if answer.sentences:
        return len(answer.sentences), sum(bool(s.markers) for s in answer.sentences)
    labels = [c.label for c in answer.citations]
    sentences = split_sentences(answer.text)
    return len(sentences), sum(any(label in s for label in labels) for s in sentences)


def score(question: Question, answer: Answer, corpus: Corpus, *, k: int, latency: Latency,
          faithfulness: float | None = None) -> QuestionRecord:
    """The record of one answered question, with every per-question metric."""
    resolved = [resolve_reference(ref, corpus) for ref in question.references]
    references = [passage for _, passage in resolved]
    hits = list(answer.retrieved)
    retrieved = [Passage(CharSpan(h.chunk.doc_id, h.chunk.start, h.chunk.end), h.chunk.text) for h in hits]
    citations = tuple(
        CitationRecord(str(c.marker), c.source, c.title, c.start, c.end, c.quote, c.support,
                       citation_valid(c.quote, corpus.text(c.doc_id), c.start, c.end), c.supported, page=c.page)
        for c in answer.citations)
    cited = [Passage(CharSpan(c.doc_id, c.start, c.end), c.quote) for c in answer.citations if c.end > c.start]
    sentences, sentences_cited = sentence_counts(answer)

    retrieval: dict[str, float | int | None] = {}
    if references and not question.unanswerable:
        rank = first_relevant_rank(retrieved[:k], references)
        spans = span_scores(retrieved, references, k)
        retrieval = {
            "first_relevant_rank": rank, "hit": hit_at_k(rank, k), "recall": recall_at_k(retrieved, references, k),
            "reciprocal_rank": reciprocal_rank(rank, k),
            "span_recall": spans.recall if spans else None, "span_precision": spans.precision if spans else None,
            "span_iou": spans.iou if spans else None,
            "citation_recall": citation_recall(cited, references),
        }
    body = answer_body(answer)
    answers: dict[str, float | None] = {}
    if question.answers and not question.unanswerable:
        answers = {"contains_answer": float(contains_answer(body, question.answers)),
                   "token_f1": token_f1(body, question.answers)}
    scores = QuestionScores(
        **retrieval, **answers, **analyst_scores(question, answer, corpus, cited),  # type: ignore[arg-type]
        citations=len(citations), citations_valid=sum(c.valid for c in citations),
        citations_supported=sum(c.supported for c in citations),
        sentences=sentences, sentences_cited=sentences_cited, faithfulness=faithfulness,
    )
    return QuestionRecord(
        id=question.id, question=question.question, type=question_type(question),
        line=question.line, unanswerable=question.unanswerable, acceptable_answers=question.answers,
        references=tuple(record for record, _ in resolved), answer=plain_text(answer.text), refused=answer.refused,
        notice=answer.notice,
        citations=citations, retrieved=tuple(_retrieved(hits)), latency_ms=latency, scores=scores,
        split=question.split, kind=getattr(answer, "kind", ""), standalone_question=answer.standalone_question,
    )


def key_point_spans(point: Reference, corpus: Corpus) -> list[Passage]:
    """Every place a key point given as text stands in the first document its ``source`` names that
    holds it; a span key point, or one not found, is placed as ``resolve_reference`` places it."""
    if not point.is_span:
        for doc in find_documents(corpus, point.source) if point.source else list(corpus.documents()):
            text = corpus.text(doc.doc_id)
            spans = locate_all(point.text, text) if text is not None else []
            if spans:
                return [Passage(CharSpan(doc.doc_id, a, b), text[a:b]) for a, b in spans]  # type: ignore[index]
    return [resolve_reference(point, corpus)[1]]


def interpreted(standalone: str, phrases: Sequence[str]) -> bool:
    """Whether ``standalone`` holds every phrase (case-insensitive); "a | b" is held by either."""
    folded = standalone.casefold()
    return all(any(option.strip().casefold() in folded for option in phrase.split("|")) for phrase in phrases)


def analyst_scores(question: Question, answer: Answer, corpus: Corpus, cited: Sequence[Passage]) -> dict[str, float | int]:
    """Key-point coverage by the cited spans, and whether the answer cites the briefs the question names.

    ``key_points_covered``: key points that some cited span overlaps, at any place where the
    named brief states them word for word (``key_point_spans``: a Report's summary page repeats
    sentences of its body, and citing either copy covers the point).
    ``briefs_cited``: share of the named briefs (``briefs``, matched like a reference's source)
    with at least one citation; ``citations_in_briefs``: share of citations inside them.
    """
    out: dict[str, float | int] = {}
    if question.key_points:
        points = [key_point_spans(point, corpus) for point in question.key_points]
        out["key_points"] = len(points)
        out["key_points_covered"] = sum(any(passage_matches(p, c) for p in places for c in cited) for places in points)
    if question.interpreted_as:
        out["interpreted"] = float(interpreted(answer.standalone_question, question.interpreted_as))
    if question.briefs and not question.unanswerable:
        named = [{d.doc_id for d in find_documents(corpus, source)} for source in question.briefs]
        cited_docs = {c.doc_id for c in answer.citations}
        out["briefs_cited"] = sum(bool(ids & cited_docs) for ids in named) / len(named)
        inside = set().union(*named)
        if answer.citations:
            out["citations_in_briefs"] = sum(c.doc_id in inside for c in answer.citations) / len(answer.citations)
    return out


def _retrieved(hits: Sequence) -> list[RetrievedRecord]:
    return [RetrievedRecord(h.rank or i, h.chunk.id, h.chunk.source, h.chunk.start, h.chunk.end, float(h.score),
                            h.chunk.text) for i, h in enumerate(hits, 1)]


def failed_question(question: Question, error: str) -> QuestionRecord:
    """The record of a question the assistant failed on."""
    return QuestionRecord(id=question.id, question=question.question, type=question_type(question),
                          line=question.line, unanswerable=question.unanswerable,
                          acceptable_answers=question.answers, error=error)


def unreadable_row(row: RowError) -> QuestionRecord:
    """The record of a row of the question file that could not be read."""
    return QuestionRecord(id=row.id, question="", type="unreadable", line=row.line, error=row.message)
