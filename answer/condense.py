"""Follow-up questions made standalone from the conversation, with a chat model or offline."""

from __future__ import annotations

from typing import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage

from answer.citations import strip_markers
from answer.llm import message_text
from answer.types import Turn
from prompts import load_prompt
from retrieval.query import condense_offline

HISTORY_TURNS = 3  # earlier exchanges shown to the model
ANSWER_CHARS = 600  # of each earlier answer


def condense_with_model(model: BaseChatModel, question: str, history: Sequence[Turn]) -> str:
    """The model's standalone rewrite of ``question`` (the question itself if it replies nothing)."""
    lines = []
    for turn in history[-HISTORY_TURNS:]:
        lines.append(f"User: {turn.standalone or turn.question}")
        if turn.answer:
            lines.append(f"Assistant: {strip_markers(turn.answer)[:ANSWER_CHARS]}")
    prompt = load_prompt("condense", "history", "question").format(history="\n".join(lines), question=question)
    reply = message_text(model.invoke([HumanMessage(prompt)]).content).strip()
    first_line = reply.splitlines()[0].strip().strip('"') if reply else ""
    return first_line or question


def standalone_question(question: str, history: Sequence[Turn], *, model: BaseChatModel | None = None) -> str:
    """``question`` made self-contained: by the chat model when there is one, else by carrying the
    names and terms of the previous turn (``retrieval.query.condense_offline``)."""
    question = question.strip()
    if not history:
        return question
    if model is not None:
        return condense_with_model(model, question, history)
    return condense_offline(question, [t.standalone or t.question for t in history])
