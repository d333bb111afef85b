"""Prompt templates as text files, loaded by name; placeholders are ``{name}`` (str.format)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def load_prompt(name: str) -> str:
    """The text of ``prompts/<name>.txt`` without its final newline."""
    if not name or not all(ch.isalnum() or ch in "_-" for ch in name):
        raise ValueError(f"prompt name {name!r} must be letters, digits, '_' or '-'")
    path = PROMPTS_DIR / f"{name}.txt"
    if not path.is_file():
        known = sorted(p.stem for p in PROMPTS_DIR.glob("*.txt"))
        raise FileNotFoundError(f"no prompt named {name!r} in {PROMPTS_DIR}; known: {', '.join(known)}")
    return path.read_text(encoding="utf-8").rstrip("\n")


def refusal_sentence() -> str:
    """The one sentence every answer uses to say the briefs do not cover a question."""
    return load_prompt("refusal")
