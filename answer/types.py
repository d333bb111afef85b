"""What an answer is: text, the checked citations behind it, and the passages it drew on."""

from __future__ import annotations

from dataclasses import dataclass, field

from vectorstore.types import Hit

DEFAULT_KIND = "fact"  # the question kind whose token budget applies when a kind has none


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
class BriefRef:
    """A brief an answer read or could have meant: shown as "Reading: <title> (<date>)"."""

    doc_id: str  # content hash
    title: str  # "" when unknown (then show ``source``)
    date: str = ""  # YYYY-MM-DD (or partial) when known
    source: str = ""  # file name as stored
    # which version of one report it is, where several are stored (", the newest of 2 versions";
    # ``answer.catalogue.BriefInfo.version_note``), else ""
    note: str = ""

    @property
    def label(self) -> str:
        name = self.title or self.source or self.doc_id[:12]
        return (f"{name} ({self.date})" if self.date else f"{name} (undated)") + self.note


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
class GenerationReport:
    """What happened during one generation, for the answer's details (UI, CLI --json, evaluation)."""

    model: str  # as configured, e.g. "local" or "openai:gpt-4o-mini"
    kind: str = DEFAULT_KIND  # the question kind the token budget was chosen for
    max_tokens: int = 0
    passages_given: int = 0  # passages shown to the model (after fitting the context)
    passages_dropped: int = 0  # retrieved passages left out to fit the context
    chars_trimmed: int = 0  # characters cut from the end of the last passage given, to fit
    prompt_tokens: int | None = None  # counted with the model's tokenizer (local models)
    context_tokens: int | None = None  # the context the prompt had to fit (local models)
    stop_reason: str = "end"  # "end", "max_tokens", "time_limit" or "repetition"
    load_s: float | None = None  # loading the local model, when this answer waited for it
    first_token_s: float | None = None  # from sending the prompt to the first text
    total_s: float = 0.0  # from sending the prompt to the last text
    fallback: str = ""  # why the model's text was replaced by the extractive answer ("" when it was not)
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def trimmed(self) -> bool:
        return bool(self.passages_dropped or self.chars_trimmed)

    def summary(self) -> str:
        """One line for people: what was cut, how it stopped, and any fallback."""
        parts = []
        if self.trimmed:
            parts.append(f"{self.passages_given} passage{'s' if self.passages_given != 1 else ''} fitted the "
                         f"model's context ({self.passages_dropped} left out, {self.chars_trimmed} characters cut)")
        stops = {"max_tokens": f"stopped at the {self.max_tokens}-token limit",
                 "time_limit": "stopped at the time limit", "repetition": "stopped when the model began repeating"}
        if self.stop_reason in stops:
            parts.append(stops[self.stop_reason])
        if self.fallback:
            parts.append(self.fallback)
        return "; ".join(parts)


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
    generation: GenerationReport | None = None  # how a chat model's generation went (LLM backend only)
    kind: str = "fact"  # question kind (answer.kinds.KINDS): fact, summary, recommendations, comparison, ...
    briefs_read: tuple[BriefRef, ...] = ()  # the briefs the plan read, in the order the answer uses them
    candidates: tuple[BriefRef, ...] = ()  # an ambiguous reference to a brief: the briefs it may mean
    shape: str = "prose"  # "prose", "bullets" or "sections"
    # of a refusal, the briefs the question named or the conversation kept it on (None: ``briefs_read``); the others
    # of ``briefs_read`` only hold the nearby passages shown, no subject of the conversation
    briefs_asked: tuple[BriefRef, ...] | None = None

    @property
    def reading_line(self) -> str:
        """The line naming ``briefs_read`` under the answer ("" when none): "Reading: <title> (<date>); ..."; for a
        refusal that shows nearby passages, "Closest passages from: ...": two browser trials read "Reading:" over a
        refusal as the briefs the assistant thought answered (a stress-test question "read" the Hormuz brief)."""
        if not self.briefs_read:
            return ""
        label = "Closest passages from" if self.refused and self.citations else "Reading"
        return f"{label}: " + "; ".join(b.label for b in self.briefs_read)

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
    briefs: tuple[str, ...] = ()  # doc ids of the briefs the answer read or cited ("this brief", "it")
    # doc ids of the briefs the answer offered to choose from ("The question could mean more than one
    # brief"), in the order listed: a reply that picks one ("the newest", "the first", a date) answers the
    # question of this turn from it (``answer.catalogue.chosen_from``)
    offered: tuple[str, ...] = ()
    # False when ``briefs`` are only those of the nearby passages a refusal of a search over the collection showed
    # (``Answer.briefs_asked`` empty): no brief the turn was about; a follow-up goes on with the briefs of the turn
    # before, where one read any (``answer.assistant.Assistant._previous_briefs``)
    asked: bool = True

    @classmethod
    def from_answer(cls, answer: Answer) -> "Turn":
        cited = tuple(dict.fromkeys(c.doc_id for c in answer.citations))
        read = tuple(b.doc_id for b in answer.briefs_read)
        if answer.refused:  # a refusal's citations are nearby passages, not what the turn was about
            cited = ()
        if answer.candidates and not read:  # it asked which brief: "they" / "it" next mean the ones offered
            read = tuple(b.doc_id for b in answer.candidates)
        return cls(answer.question, answer.text, answer.standalone_question,
                   briefs=cited if answer.kind == "fact" and cited else (read or cited),
                   offered=tuple(b.doc_id for b in answer.candidates) if not answer.briefs_read else (),
                   asked=not (answer.refused and answer.briefs_asked == ()))
