"""The entry point the UI, the CLI and the evaluator call: question + history + filters -> Answer."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Iterator, Sequence

from langchain_core.language_models import BaseChatModel

from answer.citations import SupportScorer, quote_spans
from answer.condense import standalone_question
from answer.focus import question_focus
from answer.extractive import extractive_answer, refusal, score_sentences
from answer.llm import LLMAnswerer
from answer.safety import instruction_flags
from answer.types import Answer, FlaggedSentence, Turn
from answer.vectors import SentenceVectorCache
from retrieval.filters import Filters
from retrieval.hybrid import HybridRetriever
from settings import AnswerSettings
from vectorstore.embedder import TextEmbedder
from vectorstore.types import Hit

log = logging.getLogger(__name__)


class Assistant:
    """Retrieves passages for a question and answers from them, extractively or with a chat model.

    Holds the retriever, the embedder and (for the LLM backend) the chat model; it keeps no
    conversation state, so one instance can serve every session: pass the history in.
    """

    def __init__(self, retriever: HybridRetriever, embedder: TextEmbedder, settings: AnswerSettings, *,
                 chat_model: BaseChatModel | None = None) -> None:
        if settings.backend == "llm" and chat_model is None:
            raise ValueError("the 'llm' answer backend needs a chat model (System builds it from the settings)")
        self.retriever, self.embedder, self.settings = retriever, embedder, settings
        self.sentence_vectors = SentenceVectorCache(embedder)
        self.scorer = SupportScorer(embedder, span_encoder=self.sentence_vectors)
        self.chat_model = chat_model if settings.backend == "llm" else None
        self.llm = (LLMAnswerer(self.chat_model, self.scorer, support_threshold=settings.support_threshold)
                    if self.chat_model is not None else None)

    def warm_up(self, *, max_passages: int = 2000) -> int:
        """Build the keyword index and encode the sentences of the first ``max_passages`` passages.

        Optional: answers are the same without it, only the first questions are slower. Returns
        the number of sentences encoded.
        """
        index = self.retriever.keyword_index()
        sentences = [c.text[s:e] for c in index.chunks[:max_passages] for s, e in quote_spans(c.text)]
        self.embedder.encode(["warm-up"])
        self.sentence_vectors.encode(sentences)
        return len(sentences)

    def standalone(self, question: str, history: Sequence[Turn] = ()) -> str:
        """The question made self-contained from the conversation (unchanged without history)."""
        return standalone_question(question, history, model=self.chat_model)

    def ask(self, question: str, *, history: Sequence[Turn] = (), filters: Filters | None = None,
            k: int | None = None) -> Answer:
        """The answer to ``question``; with the LLM backend, the model's streamed text is collected."""
        for item in self.stream(question, history=history, filters=filters, k=k):
            if isinstance(item, Answer):
                return item
        raise RuntimeError("the answer stream ended without an Answer")  # not reachable

    def stream(self, question: str, *, history: Sequence[Turn] = (), filters: Filters | None = None,
               k: int | None = None) -> Iterator[str | Answer]:
        """Text pieces of the answer as they are ready, then the final Answer (see ``_stream``), which
        lists the sentences of the retrieved passages set aside as instructions to a model."""
        for item in self._stream(question, history=history, filters=filters, k=k):
            yield replace(item, flagged=flagged_sentences(item.retrieved)) if isinstance(item, Answer) else item

    def _stream(self, question: str, *, history: Sequence[Turn] = (), filters: Filters | None = None,
                k: int | None = None) -> Iterator[str | Answer]:
        """Text pieces of the answer as they are ready, then the final, checked Answer.

        The pieces are cleaned as they come (no invented markers, images or links); show the final
        ``Answer.text`` in their place once it arrives: only it has renumbered markers and the
        "(unsupported)" flags of the citation check. Weak evidence yields the refusal without
        asking the chat model anything.
        """
        if not question.strip():
            raise ValueError("the question is empty")
        focus = question_focus(self.standalone(question, history), count_tokens=self.embedder.count_tokens,
                               max_tokens=self.embedder.max_tokens)
        standalone = focus.text
        vector = self.embedder.encode([standalone])[0]
        hits = self.retriever.search(standalone, k, filters, vector=vector)
        candidates = score_sentences(standalone, hits, self.sentence_vectors, question_vector=vector)
        evidence = candidates[0].relevance if candidates else 0.0
        log.debug("question %r -> %d passages, evidence %.3f", standalone, len(hits), evidence)
        backend = "llm" if self.llm is not None else "extractive"
        if focus.notice:
            log.info("long question: searched its asking part %r", standalone)
        if evidence < self.settings.refusal_threshold:
            answer = refusal(question, hits, evidence=evidence, standalone=standalone, backend=backend)
            yield answer.text
            yield replace(answer, notice=focus.notice)
            return
        if self.llm is not None:
            for item in self.llm.stream(question, hits, standalone=standalone, evidence=evidence):
                yield replace(item, notice=focus.notice) if isinstance(item, Answer) else item
            return
        answer = extractive_answer(question, hits, candidates, max_sentences=self.settings.max_sentences,
                                   refusal_threshold=self.settings.refusal_threshold, standalone=standalone)
        yield answer.text  # built at once: nothing to gain from streaming it in pieces
        yield replace(answer, notice=focus.notice)



def flagged_sentences(hits: Sequence[Hit]) -> tuple[FlaggedSentence, ...]:
    """The sentences of ``hits`` that ``answer.safety.instruction_flags`` sets aside, once each."""
    found: dict[tuple[str, int], FlaggedSentence] = {}
    for hit in hits:
        chunk = hit.chunk
        spans = quote_spans(chunk.text)
        for (start, end), flagged in zip(spans, instruction_flags([chunk.text[s:e] for s, e in spans])):
            if flagged:
                found.setdefault((chunk.doc_id, chunk.start + start), FlaggedSentence(
                    chunk.id, chunk.source, chunk.start + start, chunk.start + end, chunk.text[start:end]))
    return tuple(found.values())
