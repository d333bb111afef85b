"""Answers written by a chat model, with every citation checked afterwards.

The model sees the passages as numbered, delimited data and is asked to cite ``[n]`` after every
sentence. Nothing it writes is trusted: markers naming no passage it was given are removed, each
sentence's cited passages are scored for support, and sentences they do not support are flagged.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import Any, Iterator, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from answer.citations import SupportScorer, find_markers, is_claim, strip_markers, with_markers
from answer.generation import (CancelGeneration, FittedPassages, GenerationLimits, RepetitionGuard, call_options,
                               estimate_tokens, fit_passages, tokens_for_kind)
from answer.safety import sanitize_markdown
from answer.types import DEFAULT_KIND, Answer, AnswerSentence, Citation, GenerationReport
from prompts import escape_passage, load_prompt, refusal_sentence
from settings import AnswerSettings
from text.scripts import word_count
from text.sentences import sentence_spans
from vectorstore.errors import BriefsError
from vectorstore.types import Hit

log = logging.getLogger(__name__)

UNSUPPORTED_NOTE = "(unsupported)"
_MIN_STATEMENT_WORDS = 3  # an uncited "sentence" shorter than this ("In short:") states nothing to flag


# Providers whose LangChain chat class takes ``timeout`` and ``max_retries`` (init_chat_model passes them on).
_TIMEOUT_PROVIDERS = {"openai", "azure_openai", "anthropic", "mistralai", "groq", "deepseek", "xai", "fireworks",
                      "together", "perplexity"}


class LLMUnavailableError(BriefsError):
    """The chat model could not be reached, timed out after its retries, or stopped mid-answer."""


def build_chat_model(settings: AnswerSettings) -> BaseChatModel:
    """The chat model named by the settings.

    ``local`` / ``local:PATH``: a model on this machine, in-process (``answer.local_model``;
    loaded on first use). Anything else goes to LangChain's ``init_chat_model``:
    ``openai:gpt-4o-mini``; an OpenAI-compatible server (vLLM, llama.cpp, ``transformers serve``)
    as ``openai:<model>`` with ``llm_base_url``; ``ollama:llama3.1`` for Ollama. Remote requests
    time out after ``llm_timeout_s`` and are retried ``llm_max_retries`` times.
    Raises BriefsError when the model cannot be set up.
    """
    from answer.local_model import build_local_chat_model, is_local

    if is_local(settings.llm_model):
        return build_local_chat_model(settings.llm_model, context_tokens=settings.llm_context_tokens,
                                      threads=settings.llm_threads)
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, Any] = {"temperature": settings.temperature}
    provider = settings.llm_model.split(":", 1)[0] if ":" in settings.llm_model else ""
    if provider in _TIMEOUT_PROVIDERS:
        kwargs.update(timeout=settings.llm_timeout_s, max_retries=settings.llm_max_retries)
    elif provider == "ollama":
        kwargs["client_kwargs"] = {"timeout": settings.llm_timeout_s}
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


def model_label(settings: AnswerSettings) -> str:
    """The backend and model in use, for people (sidebar, CLI)."""
    from answer.local_model import BUNDLED_NAME, is_local

    if settings.backend != "llm":
        return "offline extractive (no language model)"
    if settings.llm_model == "local":
        return f"local model {BUNDLED_NAME}, in-process"
    if is_local(settings.llm_model):
        return f"local model {settings.llm_model.split(':', 1)[1]}, in-process"
    where = f" at {settings.llm_base_url}" if settings.llm_base_url else ""
    return f"chat model {settings.llm_model}{where}"


def format_passages(hits: Sequence[Hit]) -> str:
    template = _prompt("passage", "number", "source", "title", "text")
    return "\n\n".join(
        template.format(number=n, source=escape_passage(h.chunk.source).replace('"', "'"),
                        title=escape_passage(h.chunk.title).replace('"', "'"), text=escape_passage(h.chunk.text))
        for n, h in enumerate(hits, 1)
    )


PROMPT_VARIANT = ""  # "" = prompts/answer_system.txt ...; "NAME" = answer_system_NAME.txt (bench.llm_prompts)


def _prompt(name: str, *placeholders: str) -> str:
    """``prompts/<name>.txt``, or its ``PROMPT_VARIANT`` when one is set; see ``prompts.load_prompt``."""
    if PROMPT_VARIANT:
        try:
            return load_prompt(f"{name}_{PROMPT_VARIANT}", *placeholders)
        except FileNotFoundError:
            if name.startswith("answer_example"):
                raise  # a variant without an example has none
    return load_prompt(name, *placeholders)


def _example_turns() -> list[BaseMessage]:
    """A worked example as an earlier exchange (``answer_example_user`` / ``_assistant``), when the prompts have one.

    Small models copy a demonstrated answer's form (a marker after each sentence) far more
    reliably than they follow a rule stated in the system message.
    """
    try:
        user, assistant = _prompt("answer_example_user"), _prompt("answer_example_assistant")
    except FileNotFoundError:
        return []
    return [HumanMessage(user), AIMessage(assistant)]


def answer_messages(question: str, hits: Sequence[Hit], *, instructions: str = "") -> list[BaseMessage]:
    """System rules, a worked example (when the prompts have one), then the user turn with the
    numbered passages and the question; ``instructions`` (a plan's answer shape) follow the question."""
    user = _prompt("answer_user", "passages", "question").format(passages=format_passages(hits), question=question)
    return [
        SystemMessage(_prompt("answer_system", "refusal").format(refusal=refusal_sentence())),
        *_example_turns(),
        HumanMessage(f"{user}\n\n{instructions}" if instructions else user),
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
        # A sentence citing nothing is flagged unless it is too short to state anything ("In short:");
        # a short one with a figure or code in it ("PAPAYA-7731.") states something no passage backs.
        states_nothing = word_count(claim) < _MIN_STATEMENT_WORDS and not any(ch.isdigit() for ch in claim)
        supported = backed if numbers else states_nothing or best >= threshold
        sentences.append(AnswerSentence(text=claim, markers=tuple(dict.fromkeys(markers)), support=round(best, 4),
                                        supported=supported))
        parts.append(_render(claim, tuple(dict.fromkeys(markers)), supported))
    return Answer(question=question, text=" ".join(parts), citations=tuple(citations), sentences=tuple(sentences),
                  retrieved=tuple(hits), standalone_question=standalone or question, evidence=evidence, backend="llm")


def _render(claim: str, markers: tuple[int, ...], supported: bool) -> str:
    text = with_markers(claim, markers)
    return f"{text} {UNSUPPORTED_NOTE}" if not supported else text


def _transport_errors() -> tuple[type[BaseException], ...]:
    """Errors that mean the model could not be reached or stopped answering (not bugs of ours)."""
    import queue

    errors: list[type[BaseException]] = [ConnectionError, TimeoutError, OSError, queue.Empty]
    try:
        import httpx

        errors += [httpx.HTTPError, httpx.StreamError]
    except ImportError:  # pragma: no cover - httpx comes with langchain-openai
        pass
    try:
        import openai

        errors.append(openai.APIError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


def failed_wholesale(answer: Answer) -> str:
    """Why a model's answer is unusable as a whole ("" when it is usable): no sentence is backed by its passages."""
    if answer.refused:
        return ""
    if not answer.sentences:
        return "the model wrote no sentence"
    if not any(s.supported for s in answer.sentences):
        cited = sum(bool(s.markers) for s in answer.sentences)
        return (f"none of the model's {len(answer.sentences)} sentences was backed by the passage it cited "
                f"({cited} carried a valid citation)")
    return ""


class LLMAnswerer:
    """Asks a chat model for a cited answer, within bounds, and checks it; one instance per model.

    Every generation is bounded (``settings.llm_max_tokens`` by question kind,
    ``llm_time_limit_s``, a repetition guard); a local model gets only the passages that fit its
    context. The Answer's ``generation`` says what was cut, how generation stopped and how long it took.
    """

    def __init__(self, model: BaseChatModel, scorer: SupportScorer, *, support_threshold: float,
                 settings: AnswerSettings | None = None) -> None:
        if not 0 <= support_threshold <= 1:
            raise ValueError(f"support_threshold ({support_threshold}) must be between 0 and 1")
        self.model, self.scorer, self.support_threshold = model, scorer, support_threshold
        self.settings = settings or AnswerSettings(backend="llm")
        self.guard = RepetitionGuard()

    def _fit(self, question: str, hits: Sequence[Hit], max_tokens: int,
             instructions: str = "") -> tuple[FittedPassages, int | None]:
        """The passages that fit the context (all of them when the context is unknown), and that context."""
        from answer.local_model import LocalChatModel

        build = lambda given: answer_messages(question, given, instructions=instructions)  # noqa: E731
        if isinstance(self.model, LocalChatModel):
            context = self.model.context_tokens
            return fit_passages(hits, build, self.model.count_tokens, budget=context - max_tokens), context
        if self.settings.llm_context_tokens:
            context = self.settings.llm_context_tokens
            return fit_passages(hits, build, estimate_tokens, budget=context - max_tokens), context
        return FittedPassages(tuple(hits), 0, 0, None), None

    def stream(self, question: str, hits: Sequence[Hit], *, standalone: str = "", evidence: float = 0.0,
               kind: str = DEFAULT_KIND, instructions: str = "") -> Iterator[str | Answer]:
        """Cleaned text pieces as the model writes them, then the checked Answer (with its ``generation`` report).

        ``kind`` (a question kind such as "fact", "list", "summary", "comparison") chooses the token
        budget from ``settings.llm_max_tokens``; ``instructions`` (the plan's answer shape, e.g.
        ``prompts/shape_*.txt``) follow the question. ``hits`` are the passages to answer from, best
        first: with a local model the lowest ranked are left out first when they do not all fit.
        Raises LLMUnavailableError when the model cannot be reached, times out after its retries,
        or stops mid-answer.
        """
        from answer.local_model import LocalChatModel

        s = self.settings
        limits = GenerationLimits(tokens_for_kind(s.llm_max_tokens, kind), s.llm_time_limit_s, s.llm_repetition_penalty)
        load_s = None
        if isinstance(self.model, LocalChatModel) and not self.model.loaded:
            started = time.perf_counter()
            self.model.load()
            load_s = time.perf_counter() - started
        fitted, context = self._fit(standalone or question, hits, limits.max_tokens, instructions)
        given = list(fitted.hits)
        cancel = None
        if isinstance(self.model, LocalChatModel):
            cancel = CancelGeneration(self.model.tokenizer.eos_token_id)
        options = call_options(self.model, limits, temperature=s.temperature, cancel=cancel)
        cleaner = StreamCleaner(len(given))
        raw: list[str] = []
        stop_reason = "end"
        first_token_s = None
        started = time.perf_counter()
        deadline = started + limits.time_limit_s
        chunks = self.model.stream(answer_messages(standalone or question, given, instructions=instructions), **options)
        try:
            for chunk in chunks:
                piece = message_text(chunk.content)
                finish = (chunk.response_metadata or {}).get("finish_reason")
                if finish == "length":
                    stop_reason = "max_tokens"
                if not piece:
                    continue
                if first_token_s is None:
                    first_token_s = time.perf_counter() - started
                raw.append(piece)
                if any(ch in piece for ch in ".!?]") and self.guard.repeats("".join(raw)):
                    stop_reason = "repetition"
                    break
                if time.perf_counter() > deadline:
                    stop_reason = "time_limit"
                    break
                if shown := cleaner.feed(piece):
                    yield shown
        except _transport_errors() as exc:
            if cancel is not None:
                cancel.cancel()
            text = "".join(raw)
            what = f"stopped mid-answer after {len(text)} characters" if text else "did not answer"
            where = f" at {s.llm_base_url}" if s.llm_base_url else ""
            log.info("chat model %s%s %s: %r", s.llm_model, where, what, exc)  # the caller reports it
            raise LLMUnavailableError(
                f"the chat model {s.llm_model}{where} {what} ({type(exc).__name__}: {exc or 'no details'}); "
                f"requests time out after {s.llm_timeout_s:g} s and are retried {s.llm_max_retries} times "
                "(BRIEFS_ANSWER__LLM_TIMEOUT_S, BRIEFS_ANSWER__LLM_MAX_RETRIES). Check that the server is running, "
                "or use BRIEFS_ANSWER__BACKEND=extractive.") from exc
        finally:
            if cancel is not None:
                cancel.cancel()  # the local pipeline's own thread stops at its next token
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        total_s = time.perf_counter() - started
        text = "".join(raw)
        if stop_reason == "repetition":
            text = self.guard.cut(text)
        elif stop_reason == "end" and isinstance(self.model, LocalChatModel):
            if total_s >= limits.time_limit_s:
                stop_reason = "time_limit"
            elif len(self.model.tokenizer(text, add_special_tokens=False)["input_ids"]) >= limits.max_tokens - 1:
                stop_reason = "max_tokens"
        if stop_reason == "end" and (tail := cleaner.flush()):
            yield tail
        answer = check_citations(question, text, given, self.scorer, threshold=self.support_threshold,
                                 standalone=standalone, evidence=evidence)
        report = GenerationReport(
            model=s.llm_model, kind=kind, max_tokens=limits.max_tokens, passages_given=len(given),
            passages_dropped=fitted.dropped, chars_trimmed=fitted.chars_trimmed, prompt_tokens=fitted.prompt_tokens,
            context_tokens=context, stop_reason=stop_reason, load_s=load_s, first_token_s=first_token_s,
            total_s=total_s)
        yield replace(answer, retrieved=tuple(hits), generation=report)
