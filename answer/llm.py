"""Answers written by a chat model, with every citation checked afterwards.

The model sees the passages as numbered, delimited data and is asked to cite ``[n]`` after every
sentence. Nothing it writes is trusted: markers naming no passage it was given are removed, each
sentence's cited passages are scored for support, and sentences they do not support are flagged.
"""

from __future__ import annotations

import logging
from typing import Any, Iterator, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from answer.citations import SupportScorer, find_markers, is_claim, strip_markers, with_markers
from answer.safety import sanitize_markdown
from answer.types import Answer, AnswerSentence, Citation
from prompts import escape_passage, load_prompt, refusal_sentence
from settings import AnswerSettings
from text.scripts import word_count
from text.sentences import sentence_spans
from vectorstore.errors import BriefsError
from vectorstore.types import Hit

log = logging.getLogger(__name__)

UNSUPPORTED_NOTE = "(unsupported)"
_MIN_STATEMENT_WORDS = 3  # an uncited "sentence" shorter than this ("In short:") states nothing to flag


def build_chat_model(settings: AnswerSettings) -> BaseChatModel:
    """The chat model named by the settings, via LangChain's ``init_chat_model``.

    ``openai:gpt-4o-mini``; an OpenAI-compatible server (vLLM, llama.cpp) as ``openai:<model>``
    with ``llm_base_url``; ``ollama:llama3.1`` for Ollama.
    """
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, Any] = {"temperature": settings.temperature}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    if settings.llm_api_key:
        kwargs["api_key"] = settings.llm_api_key
    elif settings.llm_base_url and settings.llm_model.startswith("openai:"):
        kwargs["api_key"] = "not-needed"  # local OpenAI-compatible servers ignore it, the client insists
    try:
        return init_chat_model(settings.llm_model, **kwargs)
    except Exception as exc:  # providers raise their own types (missing package, key or model name)
        raise BriefsError(f"cannot set up the chat model '{settings.llm_model}': {exc}") from exc


def format_passages(hits: Sequence[Hit]) -> str:
    template = load_prompt("passage", "number", "source", "title", "text")
    return "\n\n".join(
        template.format(number=n, source=escape_passage(h.chunk.source).replace('"', "'"),
                        title=escape_passage(h.chunk.title).replace('"', "'"), text=escape_passage(h.chunk.text))
        for n, h in enumerate(hits, 1)
    )


def answer_messages(question: str, hits: Sequence[Hit]) -> list[BaseMessage]:
    """System rules and the user turn with the numbered passages and the question."""
    return [
        SystemMessage(load_prompt("answer_system", "refusal").format(refusal=refusal_sentence())),
        HumanMessage(load_prompt("answer_user", "passages", "question").format(passages=format_passages(hits), question=question)),
    ]


def message_text(content: Any) -> str:
    """The text of a LangChain message's content (a string, or a list of content blocks)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b if isinstance(b, str) else str(b.get("text", "")) for b in content
                       if isinstance(b, str) or b.get("type") == "text")
    return ""


class StreamCleaner:
    """Cleans streamed model text piece by piece: no invented markers, images or foreign links.

    Text is released only up to a point where no marker, link or URL can still be open, so each
    construct is judged whole.
    """

    def __init__(self, passages: int) -> None:
        self.passages = passages
        self._pending = ""

    def _clean(self, text: str) -> str:
        text = drop_invalid_markers(text, self.passages)
        return sanitize_markdown(text)

    def feed(self, piece: str) -> str:
        self._pending += piece
        cut = _safe_cut(self._pending)
        if cut == 0:
            return ""
        ready, self._pending = self._pending[:cut], self._pending[cut:]
        return self._clean(ready)

    def flush(self) -> str:
        ready, self._pending = self._pending, ""
        return self._clean(ready)


def _safe_cut(text: str) -> int:
    """The end of the longest prefix that ends in whitespace with no bracket, parenthesis or tag open."""
    depth = 0
    cut = 0
    for i, ch in enumerate(text):
        if ch in "[(<":
            depth += 1
        elif ch in "])>":
            depth = max(0, depth - 1)
        elif ch.isspace() and depth == 0:
            cut = i + 1
    return cut


def drop_invalid_markers(text: str, passages: int) -> str:
    """``text`` with every marker number outside 1..passages removed (a marker left empty goes)."""
    out, last = [], 0
    for marker in find_markers(text):
        valid = [n for n in marker.numbers if 1 <= n <= passages]
        out.append(text[last:marker.start])
        out.append("".join(f"[{n}]" for n in valid))
        last = marker.end
    out.append(text[last:])
    return "".join(out)


def split_claims(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """Sentences of model text with the passage numbers each cites.

    Markers that open a sentence belong to the sentence before, as in "... weapons. [2] Japan ...",
    and so does what is left of a piece without a word of its own ("... weapons. [2]." ends in ".").
    """
    claims: list[tuple[str, list[int]]] = []
    for start, end in sentence_spans(text):
        piece = text[start:end]
        leading: list[int] = []
        cut = 0
        for marker in find_markers(piece):
            if piece[cut:marker.start].strip():
                break
            leading.extend(marker.numbers)
            cut = marker.end
        if claims and cut:
            claims[-1][1].extend(leading)
            piece = piece[cut:]
        numbers = [n for marker in find_markers(piece) for n in marker.numbers]
        claim = strip_markers(piece)
        if claim and (any(c.isalnum() for c in claim) or not claims):
            claims.append((claim, numbers))
        elif claims:
            claims[-1][1].extend(numbers)
    return [(claim, tuple(dict.fromkeys(numbers))) for claim, numbers in claims]


def check_citations(question: str, raw: str, hits: Sequence[Hit], scorer: SupportScorer, *,
                    threshold: float, standalone: str = "", evidence: float = 0.0) -> Answer:
    """Turn raw model text into an Answer whose every marker names a given passage and is scored.

    Markers are renumbered in order of first use, one number per distinct quote; a sentence
    whose citations all fall below ``threshold`` (or that cites nothing) is flagged unsupported,
    and so is one that cites a passage yet is too short to claim anything (``is_claim``): a lone
    word repeated from a passage (an injected code word) is not a supported answer.
    """
    refusal = refusal_sentence()
    raw = drop_invalid_markers(raw, len(hits))
    # Links survive only where they point at a brief the answer cites.
    cited_sources = {hits[n - 1].chunk.source for marker in find_markers(raw) for n in marker.numbers}
    cleaned = sanitize_markdown(raw, allowed_urls=cited_sources).strip()
    if not cleaned or refusal.lower().rstrip(".") in cleaned.lower():
        return Answer(question=question, text=refusal, refused=True, retrieved=tuple(hits),
                      standalone_question=standalone or question, evidence=evidence, backend="llm")
    claims = split_claims(cleaned)
    checkable = [(i, claim) for i, (claim, numbers) in enumerate(claims) if numbers]
    cited = sorted({n for _, numbers in claims for n in numbers})
    supports = scorer.best_supports([c for _, c in checkable], [hits[n - 1].chunk for n in cited]) if checkable else []
    column = {n: j for j, n in enumerate(cited)}
    row = {i: r for r, (i, _) in enumerate(checkable)}

    numbering: dict[tuple[str, int, int], int] = {}
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    parts: list[str] = []
    for i, (claim, numbers) in enumerate(claims):
        markers: list[int] = []
        best = 0.0
        backed = False
        claims_something = is_claim(claim)
        for n in numbers:
            support = supports[row[i]][column[n]]
            if support is None:
                continue
            chunk = hits[n - 1].chunk
            if support.problem:
                log.debug("passage [%d] cannot back %r: %s", n, claim, support.problem)
            # A contradiction (``support.problem``) fails whatever the threshold, 0 included.
            ok = claims_something and not support.problem and support.score >= threshold
            key = (chunk.id, support.start, support.end)
            if key not in numbering:
                numbering[key] = len(numbering) + 1
                citations.append(Citation(
                    marker=numbering[key], chunk_id=chunk.id, doc_id=chunk.doc_id, source=chunk.source,
                    title=chunk.title, start=chunk.start + support.start, end=chunk.start + support.end,
                    quote=chunk.text[support.start:support.end], support=round(support.score, 4), supported=ok,
                    page=chunk.page_at(chunk.start + support.start),
                ))
            markers.append(numbering[key])
            best = max(best, support.score)
            backed = backed or ok
        # A sentence citing nothing is flagged unless it is too short to state anything ("In short:").
        supported = backed if numbers else word_count(claim) < _MIN_STATEMENT_WORDS or best >= threshold
        sentences.append(AnswerSentence(text=claim, markers=tuple(dict.fromkeys(markers)), support=round(best, 4),
                                        supported=supported))
        parts.append(_render(claim, tuple(dict.fromkeys(markers)), supported))
    return Answer(question=question, text=" ".join(parts), citations=tuple(citations), sentences=tuple(sentences),
                  retrieved=tuple(hits), standalone_question=standalone or question, evidence=evidence, backend="llm")


def _render(claim: str, markers: tuple[int, ...], supported: bool) -> str:
    text = with_markers(claim, markers)
    return f"{text} {UNSUPPORTED_NOTE}" if not supported else text


class LLMAnswerer:
    """Asks a chat model for a cited answer and checks it; one instance per model."""

    def __init__(self, model: BaseChatModel, scorer: SupportScorer, *, support_threshold: float) -> None:
        if not 0 <= support_threshold <= 1:
            raise ValueError(f"support_threshold ({support_threshold}) must be between 0 and 1")
        self.model, self.scorer, self.support_threshold = model, scorer, support_threshold

    def stream(self, question: str, hits: Sequence[Hit], *, standalone: str = "",
               evidence: float = 0.0) -> Iterator[str | Answer]:
        """Cleaned text pieces as the model writes them, then the checked Answer."""
        cleaner = StreamCleaner(len(hits))
        raw: list[str] = []
        for chunk in self.model.stream(answer_messages(standalone or question, hits)):
            piece = message_text(chunk.content)
            if not piece:
                continue
            raw.append(piece)
            if shown := cleaner.feed(piece):
                yield shown
        if tail := cleaner.flush():
            yield tail
        yield check_citations(question, "".join(raw), hits, self.scorer, threshold=self.support_threshold,
                              standalone=standalone, evidence=evidence)
