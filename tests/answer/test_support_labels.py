"""The support check against sentences a real model wrote, labelled by a person.

``tests/data/support_labels.jsonl``: sentences the bundled SmolLM2-135M wrote over the sample
questions (``python -m bench.llm_prompts``), each with the passage the check quotes for it
(``python -m bench.support_sample``), and a label given by reading the sentence against that
passage: ``supported`` (everything it states is in the passage) or ``unsupported`` (something
it states is not, or is contradicted). The flag under test is the check's verdict: the sentence
is flagged when the span scores under the support threshold, a contradiction is found, or the
sentence is too short to claim anything.

The floors below are the precision and recall measured on these labels when they were written.
The support threshold was not tuned on them. The proper-name rule (``answer.sentences.names``)
was written after reading model output that overlaps this sample, so its gain here is an
in-sample figure: on the even and odd halves of the labels recall rose 0.838 -> 0.865 and
0.763 -> 0.789, precision stayed 1.0 on both. A change to the check that loses either fails here.

The sample was drawn by ``python -m bench.support_sample`` before the name rule existed: every
sentence the old check left unflagged (the model wrote only 23 among 301 distinct sentences, so
fewer than the 40 the issue asked for) and 60 flagged ones at random (seed 13).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from answer.citations import SupportScorer, is_claim
from settings import AnswerSettings
from vectorstore.types import Chunk

LABELS = Path(__file__).resolve().parents[1] / "data" / "support_labels.jsonl"
# Measured when the labels were written (83 sentences: 75 unsupported, 8 supported). Before the
# proper-name rule: precision 1.000 (60/60), recall 0.800 (60/75); with it: 1.000 (62/62), 0.827 (62/75).
PRECISION_FLOOR = 1.0
RECALL_FLOOR = 0.82
pytestmark = pytest.mark.slow


def rows() -> list[dict]:
    return [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]


def flags(scorer: SupportScorer, threshold: float) -> list[tuple[bool, bool]]:
    """(flagged by the check, labelled unsupported) per labelled sentence."""
    out = []
    for row in rows():
        chunk = Chunk(id=row["id"], doc_id="", source=row["source"], start=0, end=len(row["passage"]),
                      text=row["passage"])
        support = scorer.best_supports([row["sentence"]], [chunk])[0][0]
        flagged = bool(support.problem) or support.score < threshold or not is_claim(row["sentence"])
        out.append((flagged, row["label"] == "unsupported"))
    return out


def precision_recall(pairs: list[tuple[bool, bool]]) -> tuple[float, float]:
    true_pos = sum(f and u for f, u in pairs)
    flagged = sum(f for f, _ in pairs)
    unsupported = sum(u for _, u in pairs)
    return true_pos / max(flagged, 1), true_pos / max(unsupported, 1)


def test_labels_are_well_formed():
    data = rows()
    assert len(data) >= 80 and {r["label"] for r in data} == {"supported", "unsupported"}
    assert all(r["reason"].strip() and r["quote"] in r["passage"] for r in data)
    assert len({r["sentence"] for r in data}) == len(data)


def test_support_flag_precision_and_recall_hold(embedder):
    precision, recall = precision_recall(flags(SupportScorer(embedder), AnswerSettings().support_threshold))
    assert precision >= PRECISION_FLOOR and recall >= RECALL_FLOOR, (precision, recall)
