"""The summary-engine candidates that ``bench/summary_adoption_rule.md`` measured and rejected, kept here (not
in ``answer/``) so that ``bench.summary_experiments`` reproduces their rows while the product carries none of them.

Selection variants (the steps of ``answer.compose_kinds._section_points`` with one more step before the
sections' turns): ``parts`` (A: the brief cut into P runs that take turns), ``diversity`` (D1 / D2: Lin &
Bilmes' diversity reward), ``cap`` (K: a section gives at most k points until every major section has given
one) and ``leans`` (J1 / J2: a sentence leaning on the one before brings it). Unit rules (``summary_units``'s
``rule``): ``list_item`` (N: a bulleted item that is a whole sentence is quoted after its bullet) and
``no_note_paragraph`` (NP: a table's note paragraph is no point).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Sequence

import numpy as np

from answer import compose_kinds as ck
from answer.extractive import Candidate
from answer.outline import bullet_marker, in_note_paragraph

# Candidate J (seventh pass): lists written from general knowledge of English discourse markers.
_DEMONSTRATIVE_OPENING = re.compile(r"^(?:[^,\s]+\s+){0,5}?(?:this|these|those|such)\s+[^,\s]+[^,]*,", re.IGNORECASE)
_CONTRAST_OPENING = re.compile(r"^(?:however|nevertheless|nonetheless|in contrast|by contrast|conversely|"
                               r"on the other hand|instead|still),", re.IGNORECASE)


def leans_back(text: str, kind: str) -> bool:
    """Candidate J (a heuristic): whether a sentence's opening leans on the sentence before beyond a pronoun:
    J1 a demonstrative in its opening phrase (at most 6 words before the first comma: "Despite these
    efforts, ..."); J2 that or a contrast connective ("However, ..."). ``kind`` "" : never."""
    if not kind:
        return False
    head = text.lstrip()
    opening = head.split(",", 1)[0]
    if "," in head and len(opening.split()) <= 6 and _DEMONSTRATIVE_OPENING.match(head):
        return True
    return kind == "J2" and bool(_CONTRAST_OPENING.match(head))


class LeaningPicker(ck.PointPicker):
    """``PointPicker`` whose pronoun rule also brings the predecessor of a sentence that ``leans_back``."""

    def __init__(self, units: Sequence[Candidate], n: int, kind: str) -> None:
        super().__init__(units, n)
        self.kind = kind

    def brings_predecessor(self, i: int) -> bool:
        return super().brings_predecessor(i) or leans_back(self.units[i].text, self.kind)


def list_item(unit: Candidate) -> Candidate | None:
    """Candidate N's unit rule: a bulleted item that is a whole sentence is quoted without its bullet."""
    marker = bullet_marker(unit.text)
    return dataclasses.replace(unit, start=unit.start + marker) if marker and marker < len(unit.text) else unit


def no_note_paragraph(unit: Candidate) -> Candidate | None:
    """Candidate NP's unit rule: a sentence of a table's note paragraph is left out."""
    return None if in_note_paragraph(unit) else unit


def spread_over_parts(picker: ck.PointPicker, scores: np.ndarray, own_summary: np.ndarray, parts: int) -> None:
    """Candidate A: the brief's body (its units outside its own summary, in text order) cut into ``parts``
    runs of equal sentence count; the runs take turns (best-scored run first), each giving its MMR-best
    sentence, until each has given ``(n - chosen) // parts`` points or has none left."""
    units = picker.units
    body = [i for i in sorted(range(len(units)), key=lambda i: units[i].doc_start) if not own_summary[i]]
    if len(body) < parts:
        return
    quota = (picker.n - len(picker.chosen)) // parts
    runs = [np.array(chunk, dtype=int) for chunk in np.array_split(np.array(body, dtype=int), parts)]
    runs.sort(key=lambda run: -float(scores[run].max()))
    given = [0] * len(runs)
    progress = True
    while progress and not picker.full():
        progress = False
        for k, run in enumerate(runs):
            if given[k] >= quota or picker.full():
                continue
            allowed = np.zeros(len(units), dtype=bool)
            allowed[run] = True
            before = len(picker.chosen)
            if picker.take(allowed, scores):
                given[k] += len(picker.chosen) - before
                progress = True


def clusters(vectors: np.ndarray, k: int) -> np.ndarray:
    """The k-means cluster (0..k-1) of each row of ``vectors`` ``(m, dim)``: k-means++ seeding with seed 0,
    Lloyd's iterations (scipy's ``kmeans2``); deterministic."""
    from scipy.cluster.vq import kmeans2  # type: ignore[import-untyped]

    k = max(1, min(k, len(vectors)))
    _, labels = kmeans2(vectors.astype(float), k, minit="++", seed=0, iter=100)
    return np.asarray(labels)


def diverse_points(picker: ck.PointPicker, scores: np.ndarray, partition: np.ndarray) -> None:
    """Candidate D (Lin, H. and Bilmes, J. (2011), "A Class of Submodular Functions for Document
    Summarization", ACL, section 4.2): the points are chosen greedily by the gain of
    ``R(S) = sum_k sqrt(sum_{j in S and P_k} r_j)``, ``r`` the scores clipped at 0, ``partition`` the parts."""
    reward = np.clip(scores, 0.0, None)

    def diverse(allowed: np.ndarray) -> int:
        taken = np.zeros(int(partition.max()) + 1)
        np.add.at(taken, partition[picker.chosen], reward[picker.chosen])
        gain = np.sqrt(taken[partition] + reward) - np.sqrt(taken[partition])
        return int(np.argmax(np.where(allowed, gain, -np.inf)))

    while not picker.full() and picker.take(np.ones(len(picker.units), dtype=bool), scores, diverse):
        pass


def capped_sections(picker: ck.PointPicker, scores: np.ndarray, sections: Sequence[int], own_summary: np.ndarray,
                    cap: int) -> None:
    """Candidate K: MMR over the brief, but a section that has given ``cap`` points gives no more until
    every major section (``SECTION_MIN`` units or more, not the brief's own summary) has given one or has
    no fresh unit left."""
    of = np.asarray(sections)
    majors = [s for s in set(of.tolist()) if (of == s).sum() >= ck.SECTION_MIN and not own_summary[of == s].all()]
    while not picker.full():
        given = Counter(of[picker.chosen].tolist())
        open_majors = [s for s in majors if not given[s] and (picker.fresh & (of == s)).any()]
        allowed = np.ones(len(picker.units), dtype=bool)
        if open_majors:
            allowed &= ~np.isin(of, [s for s, c in given.items() if c >= cap])
        if not picker.take(allowed, scores):
            break


def select(found: ck.SummaryUnits, score: np.ndarray, n: int, *, parts: int = 0, diversity: str = "", cap: int = 0,
           leans: str = "") -> list[Candidate]:
    """``ck.select_points(found, score, n=n, section_weight=0, turns=False)`` (the shipped selection) with
    at most one candidate's step after the brief's own summary has had its share: ``parts`` P > 1 (A),
    ``diversity`` "sections" (D1; a brief with one section: its paragraphs) or "clusters" (D2: k-means, K =
    ``n``), ``cap`` k > 0 (K); ``leans`` "J1" / "J2" (J) changes what a pick brings with it."""
    units = found.units
    picker = LeaningPicker(units, n, leans) if leans else ck.PointPicker(units, n)
    paragraphs = ck._paragraphs(units, found.leads)
    whole = [0] * len(units)
    ck.own_summary_first(picker, score, found.own_summary, paragraphs)
    if parts > 1:
        spread_over_parts(picker, score, found.own_summary, parts)
    if diversity == "sections":
        diverse_points(picker, score, np.asarray(found.sections if len(set(found.sections)) > 1 else paragraphs))
    elif diversity == "clusters":
        diverse_points(picker, score, clusters(found.vectors, n))
    elif diversity:
        raise ValueError(f"unknown diversity partition {diversity!r}: sections or clusters")
    if cap:
        capped_sections(picker, score, found.sections, found.own_summary, cap)
    ck.sections_in_turn(picker, score, whole, own_summary=found.own_summary)
    ck.fill(picker, score)
    return picker.points()
