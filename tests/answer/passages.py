"""Constructed passages shared by the tests of evidence, coverage and answerability: one sentence
per passage of one brief, consecutive in its text."""

from __future__ import annotations

from typing import Sequence

from vectorstore.types import Chunk, Hit

SENTENCES = [
    "China publicly targeted Lotte, costing it the shutdown of eighty-seven stores.",
    "Japan has already invested at least $14 billion in missile defenses.",
    "Korea and Japan are committed to the trilateral relationship.",
    "Korea closed the economic zone in February.",
    "Korea and China disagree about the missile defense system in Korea.",
    "The Korean peninsula faces the gravest threat to peace in the region.",
    "Korea's new president will be chosen on May 9.",
    "Seoul is only thirty miles from the DMZ in Korea.",
]


def hits_of(texts: Sequence[str], title: str = "A Brief") -> list[Hit]:
    """One passage per text of brief ``d``, in the order given (ranks 1..n, scores falling), each
    starting one character after the previous one ends."""
    hits, offset = [], 0
    for i, text in enumerate(texts):
        chunk = Chunk(id=f"c{i}", doc_id="d", source="brief.txt", start=offset, end=offset + len(text), text=text,
                      index=i, title=title)
        hits.append(Hit(chunk, 1.0 - i / 100, i + 1))
        offset += len(text) + 1
    return hits
