"""The real assistant as a run sees it: ``answer.assistant.Assistant`` with retrieval timed apart.

The retrieve stage is measured from the question in to the retrieved passages out (condensing a
follow-up, embedding the question, hybrid search); the answer stage is the rest (choosing or
generating sentences, checking citations). The assistant exposes no timings, so its retriever
is wrapped in ``TimedRetriever``, which notes per thread when ``search`` returned.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from answer.assistant import Assistant as AnswerAssistant
from answer.types import Turn
from evaluation.corpus import StoreCorpus
from evaluation.questions import Question
from evaluation.runner import EvaluationTarget, Judge, Reply
from settings import Settings
from system import System


class TimedRetriever:
    """Delegates to a retriever; remembers, per thread, when its last ``search`` returned."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._local = threading.local()

    def search(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self._inner.search(*args, **kwargs)
        finally:
            self._local.returned = time.perf_counter()

    def last_return(self) -> float | None:
        return getattr(self._local, "returned", None)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class TimedAssistant:
    """Asks ``answer.assistant.Assistant`` a question file row; reports how long retrieval took."""

    def __init__(self, assistant: AnswerAssistant, timer: TimedRetriever) -> None:
        if assistant.retriever is not timer:  # type: ignore[comparison-overlap]  # the timer stands in for it
            raise ValueError("the assistant must retrieve through the given TimedRetriever")
        self._assistant, self._timer = assistant, timer

    def ask(self, question: Question, *, k: int) -> Reply:
        history = self.replayed(question, k=k) if question.replay else question.history
        began = time.perf_counter()
        answer = self._assistant.ask(question.question, history=history, k=k)
        returned = self._timer.last_return()
        retrieve_ms = 1000 * (returned - began) if returned is not None and returned >= began else 0.0
        return Reply(answer, retrieve_ms)

    def replayed(self, question: Question, *, k: int) -> tuple[Turn, ...]:
        """The history's questions asked in order, each with the turns before it, as the chat asks
        them: the follow-up then reads the answers (and briefs) the assistant really gave."""
        turns: list[Turn] = []
        for turn in question.history:
            turns.append(Turn.from_answer(self._assistant.ask(turn.question, history=tuple(turns), k=k)))
        return tuple(turns)


def run_config(settings: Settings, *, k: int) -> dict[str, Any]:
    """The settings that shape the answers, kept in ``run.json`` and shown in the report."""
    store = f"{settings.store.host}:{settings.store.port}" if settings.store.host else str(settings.store.path)
    return {"store": store, "collection": settings.store.collection, "embedding_model": settings.embedding.model,
            "backend": settings.answer.backend, "k": k, "fetch_k": settings.retrieval.fetch_k,
            **({"llm_model": settings.answer.llm_model} if settings.answer.backend == "llm" else {})}


def evaluation_target(system: System) -> EvaluationTarget:
    """The assistant of ``system`` with its retrieval timed, the store as the corpus, the run's settings."""
    opened = system.current()
    timer = TimedRetriever(opened.retriever)
    return EvaluationTarget(TimedAssistant(system.assistant_over(timer), timer), StoreCorpus(opened.store),
                            run_config(system.settings, k=system.settings.retrieval.k))


def build_target(settings: Settings) -> EvaluationTarget:
    """The evaluation target over the store the settings name. Raises ``EmptyStoreError`` when it is empty."""
    system = System(settings)
    system.require_passages()
    system.warm_up()  # load or build BM25 now, so the first question's latency is not the build's
    return evaluation_target(system)


def build_judge(settings: Settings) -> Judge:
    """The LLM faithfulness judge over the configured chat model (refused when none is configured)."""
    a = settings.answer
    if a.backend != "llm" and not a.llm_base_url and not a.llm_api_key:
        raise ValueError("the faithfulness judge needs a chat model: set BRIEFS_ANSWER__BACKEND=llm, or "
                         "BRIEFS_ANSWER__LLM_BASE_URL / BRIEFS_ANSWER__LLM_API_KEY with BRIEFS_ANSWER__LLM_MODEL")
    from evaluation.judge import LLMJudge

    return LLMJudge(System(settings).chat_model())
