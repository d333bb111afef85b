"""Prompt templates as text files, loaded by name; placeholders are ``{name}`` (str.format).

Passages reach a model between ``<passage ...>`` and ``</passage>`` lines (``passage.txt``,
``faithfulness.txt``); ``escape_passage`` is the one escape for text placed inside them.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent

# "<passage", "</passage", "< / PASSAGE" ...: anything a model could read as opening or closing a
# passage fence, in any case and spacing.
_DELIMITER = re.compile(r"<(\s*/?\s*passage)", re.IGNORECASE)


@lru_cache(maxsize=None)
def load_prompt(name: str, *placeholders: str) -> str:
    """The text of ``prompts/<name>.txt`` without its final newline.

    ``placeholders`` are the ``{name}`` fields the caller will fill; when given, the template must
    have exactly these, or ValueError names the file and the fields missing or unexpected (so a
    template edited out of step with its code fails when it loads, not with a KeyError, or with a
    field silently left empty, at the first question).
    """
    if not name or not all(ch.isalnum() or ch in "_-" for ch in name):
        raise ValueError(f"prompt name {name!r} must be letters, digits, '_' or '-'")
    path = PROMPTS_DIR / f"{name}.txt"
    if not path.is_file():
        known = sorted(p.stem for p in PROMPTS_DIR.glob("*.txt"))
        raise FileNotFoundError(f"no prompt named {name!r} in {PROMPTS_DIR}; known: {', '.join(known)}")
    text = path.read_text(encoding="utf-8").rstrip("\n")
    if placeholders:
        try:
            found = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
        except ValueError as exc:  # a lone "{" or "}"
            raise ValueError(f"prompt {path}: {exc}") from None
        missing, unexpected = set(placeholders) - found, found - set(placeholders)
        if missing or unexpected:
            raise ValueError(f"prompt {path} must have the placeholders {sorted(placeholders)}: "
                             f"missing {sorted(missing)}, unexpected {sorted(unexpected)}")
    return text


def escape_passage(text: str) -> str:
    """``text`` that cannot open or close a passage fence: the ``<`` of any ``<passage`` or
    ``</passage`` (any case, any spacing) becomes ``‹``. Everything else is kept as it is."""
    return _DELIMITER.sub(lambda m: "‹" + m.group(1), text)


def refusal_sentence() -> str:
    """The one sentence every answer uses to say the briefs do not cover a question."""
    return load_prompt("refusal")
