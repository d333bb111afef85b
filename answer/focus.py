"""The asking part of a long question: what is searched and scored when the whole is too long.

A question longer than the embedder reads (3,400 characters of background, then "Which route
had the most pothole repairs?") would be cut off by the model without a word, its background
words would swamp the keyword search, and the evidence for the real question would look weak.
Such a question is answered for its asking sentences instead, and the answer says so
(``Answer.notice``): the reader sees what was searched, nothing is cut silently.

This is a heuristic: the asking sentences are those that end with a question mark, or, where
none does, that open with a question or request word; failing both, the last sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from text.sentences import sentence_spans

TokenCounter = Callable[[Sequence[str]], list[int]]
_QUESTION_MARKS = ("?", "？", "؟")
_ASKING = re.compile(
    r"^(?:please\s+|(?:could|can) you\s+|i (?:would like|want|need) to know\s+)?(?:who|whom|whose|what|which|when|where|why|how|is|are|was|were|do|does|did|can|could|should|would|will|"
    r"has|have|had|list|name|give|tell|summari[sz]e|describe|explain|compare)\b", re.IGNORECASE)


class QuestionTooLong(ValueError):
    """A question whose asking part alone is longer than the embedder reads."""


@dataclass(frozen=True)
class Focus:
    text: str  # what is searched and scored
    notice: str = ""  # for the reader, when ``text`` is not the whole question


def question_focus(question: str, *, count_tokens: TokenCounter, max_tokens: int) -> Focus:
    """``question`` itself when it fits in ``max_tokens`` tokens; otherwise its asking sentences
    (in order, as many of the last ones as fit), with a notice saying what was searched.

    Raises ``QuestionTooLong`` when not even one asking sentence fits.
    """
    length = count_tokens([question])[0]
    if length <= max_tokens:
        return Focus(question)
    spans = sentence_spans(question)
    sentences = [question[s:e] for s, e in spans]
    asking = [s for s in sentences if s.rstrip(" \"'”’)").endswith(_QUESTION_MARKS)] \
        or [s for s in sentences if _ASKING.match(s)] or sentences[-1:]
    counts = count_tokens(asking) if asking else []
    kept: list[str] = []
    used = 0
    for sentence, n in zip(reversed(asking), reversed(counts)):
        if used + n + len(kept) > max_tokens:
            break
        kept.insert(0, sentence)
        used += n
    if not kept:
        raise QuestionTooLong(
            f"the question is {len(question):,} characters ({length:,} tokens) and its last sentence alone is over "
            f"the {max_tokens} tokens the retriever reads: ask it in fewer words")
    text = " ".join(kept)
    notice = (f"The question is {len(question):,} characters, longer than the {max_tokens} tokens the retriever "
              f"reads; the briefs were searched for: {text}")
    return Focus(text, notice)
