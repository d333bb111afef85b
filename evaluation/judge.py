"""An optional LLM-judged faithfulness score: the share of an answer's sentences that the
passages it cites state, as a chat model judges it. Never needed for the other metrics.

The prompt is ``prompts/faithfulness.txt`` (placeholders ``{passages}``, ``{sentences}``); the
passages are fenced, escaped by ``prompts.escape_passage`` and declared data, as in the answer prompts.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from langchain_core.messages import HumanMessage

from answer.types import Answer
from prompts import escape_passage, load_prompt

log = logging.getLogger(__name__)

_VERDICT = re.compile(r"^\s*\[?(\d{1,3})\]?[.):]?\s+(yes|no)\b", re.IGNORECASE | re.MULTILINE)


def judge_prompt(answer: Answer) -> tuple[str, int]:
    """The filled prompt and the number of sentences it asks about."""
    if answer.citations:
        evidence = [f"[{c.marker}] {c.quote}" for c in answer.citations]
    else:
        evidence = [h.chunk.text for h in answer.retrieved]
    passages = "\n\n".join(f"<passage>\n{escape_passage(text)}\n</passage>" for text in evidence)
    sentences = [s.text for s in answer.sentences] or [answer.text]
    numbered = "\n".join(f"{i} {' '.join(text.split())}" for i, text in enumerate(sentences, 1))
    template = load_prompt("faithfulness", "passages", "sentences")
    return template.format(passages=passages, sentences=numbered), len(sentences)


def parse_verdicts(reply: str, sentences: int) -> float | None:
    """Share of ``yes`` among the verdicts for sentences 1..n; None when the reply has none."""
    verdicts: dict[int, bool] = {}
    for number, word in _VERDICT.findall(reply):
        if 1 <= int(number) <= sentences:
            verdicts.setdefault(int(number), word.lower() == "yes")
    if not verdicts:
        return None
    # a sentence the judge skipped counts as not supported
    return sum(verdicts.values()) / sentences


class LLMJudge:
    """Faithfulness judged by a LangChain chat model (one call per answer)."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def faithfulness(self, answer: Answer) -> float | None:
        prompt, sentences = judge_prompt(answer)
        reply = self.model.invoke([HumanMessage(prompt)])
        content = reply.content if isinstance(reply.content, str) else str(reply.content)
        score = parse_verdicts(content, sentences)
        if score is None:
            log.warning("the judge's reply has no verdicts: %.200r", content)
        return score
