"""What an answer is: text, the checked citations behind it, and the passages it drew on."""

from __future__ import annotations

from dataclasses import dataclass

from vectorstore.types import Hit


@dataclass(frozen=True)
class Citation:
    """One ``[n]`` marker of an answer and the exact span of a brief that backs it.

    ``quote == document_text[start:end]`` always holds: the span is a sentence (or two adjacent
    sentences) of the cited passage, located by offsets in the whole document's text.
    """

    marker: int  # the n of "[n]" in the answer text
    chunk_id: str  # the cited passage
    doc_id: str  # the brief's content hash (key of ``ChromaStore.document_text``)
    source: str  # the brief's file name
    title: str  # the brief's title ("" when unknown)
    start: int  # offset of the quote in the document text
    end: int
    quote: str
    support: float  # how well the quote supports the sentence that cites it (0..1)
    supported: bool = True  # support reached the threshold
    page: int | None = None  # the page where the quote starts (PDF), None when the brief has no pages

    @property
    def label(self) -> str:
        return f"[{self.marker}]"


@dataclass(frozen=True)
class AnswerSentence:
    """A sentence of the answer with the markers it carries and whether its sources back it."""

    text: str  # without markers
    markers: tuple[int, ...]
    support: float  # best support among the cited spans; 0 when nothing is cited
    supported: bool


@dataclass(frozen=True)
class FlaggedSentence:
    """A sentence of a retrieved passage that reads as written to a language model
    (``answer.safety.is_instruction_to_model``, a heuristic): it is never quoted as an answer nor
    counted as support, and is shown to the reader as flagged rather than silently left out."""

    chunk_id: str
    source: str
    start: int  # offsets in the document text
    end: int
    text: str


@dataclass(frozen=True)
class Answer:
    """The reply to one question; the UI, the CLI and the evaluator all read this object."""

    question: str  # as asked
    text: str  # the answer with its "[n]" markers; unsupported sentences say so
    citations: tuple[Citation, ...] = ()
    refused: bool = False  # the briefs do not cover the question: ``text`` says so
    sentences: tuple[AnswerSentence, ...] = ()
    retrieved: tuple[Hit, ...] = ()  # the passages considered, best first (also when refused)
    standalone_question: str = ""  # the question as searched, follow-ups resolved
    evidence: float = 0.0  # strength of the best evidence found (what refusal is decided on)
    backend: str = "extractive"
    flagged: tuple[FlaggedSentence, ...] = ()  # sentences of ``retrieved`` set aside as instructions to a model
    notice: str = ""  # what the reader must know about how the question was taken (a long one's focus)

    @property
    def unsupported(self) -> tuple[AnswerSentence, ...]:
        """Sentences whose citations do not back them (flagged for the reader)."""
        return tuple(s for s in self.sentences if not s.supported)


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of the conversation, used to understand follow-up questions."""

    question: str
    answer: str = ""
    standalone: str = ""  # the question as it was searched, if known

    @classmethod
    def from_answer(cls, answer: Answer) -> "Turn":
        return cls(answer.question, answer.text, answer.standalone_question)
