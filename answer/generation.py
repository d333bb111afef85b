"""Bounds on one generation: token budget by question kind, time limit, repetition guard, context fit.

A chat model is never trusted to stop by itself: small models repeat one sentence until the
token limit (seen: 43 times in 73 s). Every call gets a token budget, a wall-clock limit and a
guard that stops the stream when the text starts repeating itself; a local model is also given
only as many passages as fit its context.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from text.sentences import sentence_spans
from answer.types import DEFAULT_KIND
from vectorstore.types import Hit

CHARS_PER_TOKEN = 4  # to estimate tokens where no tokenizer is at hand (remote models)


@dataclass(frozen=True)
class GenerationLimits:
    """How far one generation may go."""

    max_tokens: int  # new tokens
    time_limit_s: float  # wall clock, from the request to the last token
    repetition_penalty: float = 1.0  # > 1 discourages repeating tokens (local models only)

    def __post_init__(self) -> None:
        if self.max_tokens <= 0:
            raise ValueError(f"max_tokens ({self.max_tokens}) must be positive")
        if self.time_limit_s <= 0:
            raise ValueError(f"time_limit_s ({self.time_limit_s}) must be positive")


def tokens_for_kind(budgets: dict[str, int], kind: str) -> int:
    """The token budget for ``kind``, or the default kind's when it has none of its own."""
    if kind in budgets:
        return budgets[kind]
    if DEFAULT_KIND in budgets:
        return budgets[DEFAULT_KIND]
    raise ValueError(f"no token budget for question kind {kind!r} nor for {DEFAULT_KIND!r}: {budgets}")


class CancelGeneration:
    """A transformers logits processor that ends generation (forces end-of-sequence) once cancelled.

    The LangChain pipeline generates in a thread of its own; a reader that stops reading (time
    limit, repetition) sets this so the thread stops too instead of running to ``max_new_tokens``.
    """

    def __init__(self, eos_token_id: int) -> None:
        self.eos_token_id = eos_token_id
        self.event = threading.Event()

    def cancel(self) -> None:
        self.event.set()

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        if self.event.is_set():
            scores[:, :] = float("-inf")
            scores[:, self.eos_token_id] = 0.0
        return scores


def call_options(model: BaseChatModel, limits: GenerationLimits, *, temperature: float,
                 cancel: CancelGeneration | None = None) -> dict[str, Any]:
    """Per-call keyword arguments that carry ``limits`` to ``model.stream`` for its provider.

    Local (transformers) models get ``pipeline_kwargs`` (greedy decoding unless a temperature is
    set, ``max_time``, ``repetition_penalty`` and the cancel hook); OpenAI-compatible clients
    ``max_tokens``; Ollama ``options.num_predict``. Others get nothing here: the reader still
    enforces the time limit and the repetition guard.
    """
    from answer.local_model import LocalChatModel

    if isinstance(model, LocalChatModel):
        from transformers import LogitsProcessorList

        kwargs: dict[str, Any] = {"max_new_tokens": limits.max_tokens, "max_time": limits.time_limit_s,
                                  "repetition_penalty": limits.repetition_penalty}
        kwargs.update({"do_sample": True, "temperature": temperature} if temperature > 0 else
                      {"do_sample": False, "temperature": None, "top_p": None, "top_k": None})
        if cancel is not None:
            kwargs["logits_processor"] = LogitsProcessorList([cancel])
        return {"pipeline_kwargs": kwargs}
    kind = type(model).__name__
    if kind in {"ChatOpenAI", "AzureChatOpenAI", "ChatAnthropic", "ChatMistralAI", "ChatGroq", "ChatDeepSeek"}:
        return {"max_tokens": limits.max_tokens}
    if kind == "ChatOllama":
        return {"options": {"num_predict": limits.max_tokens, "temperature": temperature}}
    return {}


_WORDS = re.compile(r"\w+")


class RepetitionGuard:
    """Notices when streamed text starts repeating itself.

    Repetition means a sentence (of at least ``min_words`` words, markers and case ignored) that
    was already written, or any run of ``ngram`` words appearing ``max_ngram_repeats`` times. A
    heuristic: an answer listing parallel facts ("X invested ... Y invested ...") repeats short
    runs, hence the long n-gram; a sentence written twice is always a loop for our answers.
    """

    def __init__(self, *, min_words: int = 4, ngram: int = 8, max_ngram_repeats: int = 3) -> None:
        self.min_words, self.ngram, self.max_ngram_repeats = min_words, ngram, max_ngram_repeats

    def repeats(self, text: str) -> bool:
        seen: set[tuple[str, ...]] = set()
        spans = sentence_spans(text)
        for i, (start, end) in enumerate(spans):
            if i == len(spans) - 1 and not text[start:end].rstrip().endswith((".", "!", "?", "]")):
                break  # the last sentence may still be growing
            words = tuple(w.lower() for w in _WORDS.findall(re.sub(r"\[[^\]]*\]", " ", text[start:end])))
            if len(words) < self.min_words:
                continue
            if words in seen:
                return True
            seen.add(words)
        all_words = [w.lower() for w in _WORDS.findall(text)]
        counts: dict[tuple[str, ...], int] = {}
        for i in range(len(all_words) - self.ngram + 1):
            gram = tuple(all_words[i:i + self.ngram])
            counts[gram] = counts.get(gram, 0) + 1
            if counts[gram] >= self.max_ngram_repeats:
                return True
        return False

    def cut(self, text: str) -> str:
        """``text`` up to the end of the last sentence before the first repeated one."""
        spans = sentence_spans(text)
        seen: set[tuple[str, ...]] = set()
        for start, end in spans:
            words = tuple(w.lower() for w in _WORDS.findall(re.sub(r"\[[^\]]*\]", " ", text[start:end])))
            if len(words) >= self.min_words and words in seen:
                return text[:start].rstrip()
            seen.add(words)
        return text


@dataclass(frozen=True)
class FittedPassages:
    """The passages that fit the model's context, the last perhaps cut at a sentence end."""

    hits: tuple[Hit, ...]
    dropped: int  # passages left out entirely
    chars_trimmed: int  # characters cut from the last passage kept
    prompt_tokens: int | None


def fit_passages(hits: Sequence[Hit], build: Callable[[Sequence[Hit]], list[BaseMessage]],
                 count_tokens: Callable[[list[BaseMessage]], int], *, budget: int) -> FittedPassages:
    """As many passages, best first, as keep the prompt within ``budget`` tokens.

    The first passage that does not fit whole is cut after its last sentence that fits (when at
    least one does); later passages are left out. A cut passage keeps its start, so citation
    offsets into it stay exact. With no passage fitting whole or cut, the first sentence of the
    best passage is still given (the model must see something to cite).
    """
    if budget <= 0:
        raise ValueError(f"the prompt budget ({budget} tokens) must be positive: raise the context size "
                         "or lower the answer's token limit")
    kept: list[Hit] = []
    for i, hit in enumerate(hits):
        tokens = count_tokens(build([*kept, hit]))
        if tokens <= budget:
            kept.append(hit)
            continue
        text = hit.chunk.text
        ends = [end for _, end in sentence_spans(text)]
        best: Hit | None = None
        low, high = 0, len(ends) - 1  # binary search for the most sentences that fit
        while low <= high:
            mid = (low + high) // 2
            candidate = _cut(hit, ends[mid])
            if count_tokens(build([*kept, candidate])) <= budget:
                best, low = candidate, mid + 1
            else:
                high = mid - 1
        if best is None and not kept and ends:
            best = _cut(hit, ends[0])
        if best is not None:
            kept.append(best)
            trimmed = len(text) - len(best.chunk.text)
        else:
            trimmed = 0
        return FittedPassages(tuple(kept), len(hits) - i - (1 if best is not None else 0), trimmed,
                              count_tokens(build(kept)))
    return FittedPassages(tuple(kept), 0, 0, count_tokens(build(kept)) if kept else None)


def _cut(hit: Hit, end: int) -> Hit:
    chunk = replace(hit.chunk, text=hit.chunk.text[:end], end=hit.chunk.start + end)
    return replace(hit, chunk=chunk)


def estimate_tokens(messages: list[BaseMessage]) -> int:
    """A rough token count (characters / 4) where the model's tokenizer is not at hand."""
    return sum(len(str(m.content)) for m in messages) // CHARS_PER_TOKEN + 8 * len(messages)
