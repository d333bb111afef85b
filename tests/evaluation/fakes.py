"""A tiny corpus and a fake assistant returning canned answers, for the evaluation unit tests."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from answer.types import Answer, AnswerSentence, Citation
from evaluation.corpus import InMemoryCorpus
from evaluation.questions import Question
from evaluation.runner import Reply
from vectorstore.types import Chunk, Hit

BRIEF = ("Late fees fell from $32 to $8. The bill failed in the Senate after a call from the predecessor. "
         "Sellers must show the total price up front.")
OTHER = "Trade with Japan grew by a tenth. Seoul and Tokyo met in May."
CORPUS_TEXTS = {"policy/fees.md": BRIEF, "trade.txt": OTHER}
REFUSAL = "The briefs do not cover this question."


def corpus() -> InMemoryCorpus:
    return InMemoryCorpus(CORPUS_TEXTS)


def sentence_span(source: str, sentence: str) -> tuple[int, int]:
    start = CORPUS_TEXTS[source].index(sentence)
    return start, start + len(sentence)


def chunk(source: str, sentence: str, index: int = 0) -> Chunk:
    start, end = sentence_span(source, sentence)
    return Chunk(id=f"{source}#{index}", doc_id=source, source=source, start=start, end=end, text=sentence, index=index)


def hits(*chunks: Chunk) -> tuple[Hit, ...]:
    return tuple(Hit(c, score=1.0 - 0.1 * i, rank=i + 1) for i, c in enumerate(chunks))


def citation(marker: int, source: str, sentence: str, *, quote: str | None = None, support: float = 0.9) -> Citation:
    start, end = sentence_span(source, sentence)
    return Citation(marker=marker, chunk_id=f"{source}#0", doc_id=source, source=source, title=source.upper(),
                    start=start, end=end, quote=sentence if quote is None else quote, support=support,
                    supported=support >= 0.5)


def answer(question: str, sentences: list[tuple[str, tuple[int, ...]]], citations: tuple[Citation, ...] = (),
           retrieved: tuple[Hit, ...] = (), refused: bool = False) -> Answer:
    text = " ".join(s + "".join(f"[{m}]" for m in markers) for s, markers in sentences) if sentences else REFUSAL
    return Answer(question=question, text=text, citations=citations, refused=refused, retrieved=retrieved,
                  sentences=tuple(AnswerSentence(s, markers, 0.9 if markers else 0.0, bool(markers))
                                  for s, markers in sentences))


@dataclass
class FakeAssistant:
    """Answers from a ``{question text: Answer}`` table; raises for questions listed in ``fail``."""

    replies: dict[str, Answer]
    fail: set[str] = field(default_factory=set)
    retrieve_ms: float = 12.0
    asked: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def ask(self, question: Question, *, k: int) -> Reply:
        with self._lock:
            self.asked.append(question.question)
        if question.question in self.fail:
            raise RuntimeError(f"model unavailable for {question.question!r}")
        found = self.replies[question.question]
        return Reply(found, self.retrieve_ms)


@dataclass
class GatedAssistant(FakeAssistant):
    """A ``FakeAssistant`` that answers one question per ``gate.release()``, so a test sees a run mid-way."""

    gate: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))

    def ask(self, question: Question, *, k: int) -> Reply:
        if not self.gate.acquire(timeout=30):
            raise TimeoutError("the test never let this question through")
        return super().ask(question, k=k)
