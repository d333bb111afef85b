"""The LLM backend against a real model: the bundled one in-process, and a real OpenAI-compatible server.

Slow: loads SmolLM2-135M (in-process and in a ``transformers serve`` process). Few questions, so
the suite stays short; the figures (marker share, latency) come from ``bench.llm_prompts``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from answer.assistant import Assistant
from answer.llm import LLMUnavailableError, build_chat_model
from answer.local_model import LocalChatModel
from answer.types import Answer
from retrieval.hybrid import HybridRetriever
from settings import AnswerSettings, RetrievalSettings, Settings
from tests.answer.llm_server import FaultyProxy, TransformersServer, convert_bundled_model, free_port

pytestmark = pytest.mark.slow
QUESTION = "How much has Japan invested in missile defense?"
LOAD_STEPS: list[tuple[float, str]] = []


@pytest.fixture(scope="module")
def retriever(sample_store, embedder) -> HybridRetriever:
    return HybridRetriever.over(store=sample_store, embedder=embedder, settings=RetrievalSettings(k=3))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = convert_bundled_model(tmp_path_factory.mktemp("smollm2-hf"))
    served = TransformersServer(folder, tmp_path_factory.mktemp("server-log") / "serve.log")
    served.start()
    yield served
    served.stop()


def remote_settings(base_url: str, model: str = "smollm2", **changes) -> AnswerSettings:
    """Settings for the OpenAI-compatible path (``transformers serve`` wants the folder it serves as the model name)."""
    return AnswerSettings(backend="llm", llm_model=f"openai:{model}", llm_base_url=base_url,
                          **{"llm_max_tokens": {"fact": 60}, "llm_timeout_s": 60, "llm_max_retries": 0, **changes})


def assert_valid_citations(answer: Answer, sample_store) -> None:
    for c in answer.citations:
        assert sample_store.document_text(c.doc_id)[c.start:c.end] == c.quote


@pytest.fixture(scope="module")
def local_model() -> LocalChatModel:
    """The bundled model, loaded once for this module (its progress reports kept in ``LOAD_STEPS``)."""
    model = build_chat_model(AnswerSettings(backend="llm", llm_model="local"))
    assert isinstance(model, LocalChatModel) and not model.loaded
    model.load(progress=lambda fraction, what: LOAD_STEPS.append((fraction, what)))
    return model


def test_local_model_answers_in_process_with_valid_citations(local_model, retriever, embedder, sample_store):
    assert LOAD_STEPS[-1][0] == 1.0 and [f for f, _ in LOAD_STEPS] == sorted(f for f, _ in LOAD_STEPS)
    settings = AnswerSettings(backend="llm", llm_model="local", llm_max_tokens={"fact": 80})
    items = list(Assistant(retriever, embedder, settings, chat_model=local_model).stream(QUESTION))
    answer = items[-1]
    assert isinstance(answer, Answer) and answer.backend == "llm" and not answer.refused
    g = answer.generation
    assert g is not None and g.model == "local" and g.max_tokens == 80 and g.first_token_s is not None
    assert g.passages_given + g.passages_dropped == 3 and g.prompt_tokens <= g.context_tokens - 80
    assert answer.citations, answer.text  # the model's own, or the extractive fallback's
    assert_valid_citations(answer, sample_store)
    if g.fallback:  # the model's text failed the check as a whole: the extractive answer stands in, saying why
        assert "extractive answer is shown" in g.fallback and all(s.supported for s in answer.sentences)


def test_a_small_context_trims_passages_and_says_so(local_model, retriever, embedder, sample_store):
    settings = AnswerSettings(backend="llm", llm_model="local", llm_max_tokens={"fact": 40})
    small = local_model.model_copy(update={"context_cap": 700})  # shares the loaded weights
    answer = Assistant(retriever, embedder, settings, chat_model=small).ask(QUESTION)
    g = answer.generation
    assert g.context_tokens == 700 and g.prompt_tokens <= 660 and g.trimmed
    assert "fitted the model's context" in g.summary()
    assert len(answer.retrieved) == 3  # the reader still sees every retrieved passage, whole
    assert_valid_citations(answer, sample_store)


def test_streaming_through_a_real_openai_compatible_server(server, retriever, embedder, sample_store):
    settings = remote_settings(server.base_url, str(server.model_folder))
    items = list(Assistant(retriever, embedder, settings, chat_model=build_chat_model(settings)).stream(QUESTION))
    pieces, answer = [i for i in items if isinstance(i, str)], items[-1]
    assert len(pieces) >= 2 and isinstance(answer, Answer)  # text arrived in pieces before the checked answer
    assert answer.generation.first_token_s < answer.generation.total_s
    assert answer.generation.stop_reason in {"end", "max_tokens", "repetition"}
    assert_valid_citations(answer, sample_store)


def test_a_server_that_is_down_gives_a_clear_message(retriever, embedder):
    settings = remote_settings(f"http://127.0.0.1:{free_port()}/v1", llm_timeout_s=5)
    assistant = Assistant(retriever, embedder, settings, chat_model=build_chat_model(settings))
    with pytest.raises(LLMUnavailableError, match=r"did not answer \(\w*ConnectionError") as caught:
        assistant.ask(QUESTION)
    assert "BRIEFS_ANSWER__LLM_TIMEOUT_S" in str(caught.value) and "127.0.0.1" in str(caught.value)


def test_the_cli_reports_a_down_server_without_a_traceback(tmp_path, sample_store):
    import os

    env = {**os.environ, "HF_HUB_OFFLINE": "1", "BRIEFS_ANSWER__BACKEND": "llm",
           "BRIEFS_ANSWER__LLM_MODEL": "openai:smollm2", "BRIEFS_ANSWER__LLM_MAX_RETRIES": "0",
           "BRIEFS_ANSWER__LLM_BASE_URL": f"http://127.0.0.1:{free_port()}/v1",
           "BRIEFS_STORE__PATH": sample_store.client.get_settings().persist_directory, "BRIEFS_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "answer", QUESTION], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: the chat model openai:smollm2 at http://127.0.0.1:"), done.stderr


def test_a_server_that_stops_mid_answer(server, retriever, embedder):
    proxy = FaultyProxy(server.port, mode="cut", cut_after=1500)
    try:
        settings = remote_settings(proxy.base_url, str(server.model_folder))
        assistant = Assistant(retriever, embedder, settings, chat_model=build_chat_model(settings))
        with pytest.raises(LLMUnavailableError, match="stopped mid-answer after [1-9][0-9]* characters"):
            assistant.ask(QUESTION)
    finally:
        proxy.close()


def test_a_server_that_stops_responding_times_out(server, retriever, embedder):
    proxy = FaultyProxy(server.port, mode="stall")
    try:
        settings = remote_settings(proxy.base_url, str(server.model_folder), llm_timeout_s=2, llm_max_retries=1)
        assistant = Assistant(retriever, embedder, settings, chat_model=build_chat_model(settings))
        with pytest.raises(LLMUnavailableError, match=r"did not answer \(\w*TimeoutError.*time out after 2 s and are "
                                                      r"retried 1 times"):
            assistant.ask(QUESTION)
    finally:
        proxy.close()


def test_settings_reach_the_openai_client():
    model = build_chat_model(Settings(answer=remote_settings("http://127.0.0.1:9/v1", llm_timeout_s=7,
                                                             llm_max_retries=4)).answer)
    assert model.request_timeout == 7 and model.max_retries == 4
