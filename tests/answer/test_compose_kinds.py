"""Choices of the composers for comparisons and recommendations, on hand-made sentences (no model):
which sentences a section shows, what the "Only ..." points may repeat, and an expletive "it"."""

import numpy as np

from answer.compose_kinds import _pick, shared_points
from answer.extractive import Candidate
from vectorstore.types import Chunk, Hit


def _units(sentences: list[str], vectors: list[list[float]], relevance: list[float], doc: str = "d") -> list[Candidate]:
    text = " ".join(sentences)
    chunk = Chunk(id=f"{doc}-0", doc_id=doc, source=f"{doc}.pdf", start=0, end=len(text), text=text)
    hit = Hit(chunk, 1.0, 1)
    units, at = [], 0
    for sentence, vector, score in zip(sentences, vectors, relevance):
        start = text.index(sentence, at)
        at = start + len(sentence)
        v = np.array(vector, dtype=float)
        units.append(Candidate(hit, start, at, score, v / np.linalg.norm(v)))
    return units


def test_an_expletive_it_does_not_bring_the_sentence_before():
    # seen in a browser trial: "It was further noted that the Typhon has remained in the country,
    # angering China" brought the unrelated sentence before it and pushed out the next one on China
    units = _units(["The Army did not plan a live fire exercise in spring 2025.",
                    "It was further noted that the Typhon has remained in the country, angering China.",
                    "Reports suggest China and Russia consider the deployment destabilizing."],
                   [[1, 0, 0], [0, 1, 0], [0, 0.6, 0.8]], [0.1, 0.36, 0.31])
    picked = _pick(units, np.array([u.relevance for u in units]), 2)
    assert [u.text[:12] for u in picked] == ["It was furth", "Reports sugg"]


def test_a_pronoun_that_refers_back_still_brings_the_sentence_before():
    units = _units(["The Army moved the launchers to another island.", "It said the move was planned.",
                    "Officials have yet to fire the system."], [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0.1, 0.5, 0.4])
    picked = _pick(units, np.array([u.relevance for u in units]), 2)
    assert [u.text[:10] for u in picked] == ["The Army m", "It said th"]


def test_only_points_leave_out_the_sentences_a_section_already_shows():
    first = _units(["A1 on the aspect.", "A2 on the aspect.", "A3 on the aspect."],
                   [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], [0.5, 0.4, 0.3], doc="a")
    second = _units(["B1 on the aspect.", "B2 on the aspect."], [[0, 0, 0, 1], [0.3, 0, 0, 0.95]], [0.5, 0.4], doc="b")
    _, different = shared_points([first, second], shown=[first[:2], second[:1]])
    assert [[u.text for u in own] for own in different] == [["A3 on the aspect."], ["B2 on the aspect."]]
    # a brief whose every sentence on the aspect is shown has no "Only" point left to add
    _, different = shared_points([first, second], shown=[first, second])
    assert different == [[], []]
