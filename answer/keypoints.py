"""A trainable key-sentence scorer for summaries: sentence features and a logistic model over them.

Kupiec, J., Pedersen, J. and Chen, F. (1995), "A trainable document summarizer", SIGIR: instead
of weighting cues by hand, a classifier over a few sentence features (their sentence length,
fixed phrases, paragraph position, thematic words, upper-case words) is trained on documents
whose key sentences a reader marked, and a summary takes the sentences it scores highest. They
used naive Bayes; we fit an L2-regularised logistic regression (``bench/fit_summary.py``, offline,
scikit-learn there only) on the summary questions of the development split and of the summary
calibration set, and ship its weights in ``answer/data/summary_model.json`` with their provenance.
At run time scoring is a dot product in numpy: no scikit-learn is imported by the app.

Features (``FEATURES``; each a column of ``sentence_features``) are computed from what the
summary composer already has: the quotable sentences of one brief, their embeddings, the section
(``answer.outline``) of each, which open the brief, a section or a paragraph, and which stand in
the brief's own summary; each is given twice, as computed (``RAW_FEATURES``) and relative to the
brief (z-scored over its sentences: ``brief_relative``). One feature is itself learned: the
logit of a heavily regularised logistic regression on the sentence embeddings (``KeyDirection``, a
"key-sentence direction" in embedding space), fitted by ``bench/fit_summary.py`` inside its
leave-one-brief-out folds so no brief's value comes from a direction fitted on it.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from answer.centrality import lexrank
from answer.statements import prescriptive

MODEL_PATH = Path(__file__).parent / "data" / "summary_model.json"

RAW_FEATURES: tuple[str, ...] = (
    "centrality",  # LexRank centrality in the brief, divided by the brief's highest
    "section_centrality",  # LexRank centrality among the sentences of its own section, divided by the section's highest
    "lead",  # 1 when it opens the brief, a section or a paragraph
    "own_summary",  # 1 when it stands in the brief's own summary ("Summary", "Key Findings", "Conclusion")
    "position",  # its place in the brief's quotable sentences, 0 (first) .. 1 (last)
    "section_position",  # its place in its section, 0 .. 1
    "title_similarity",  # cosine to the brief's title (clipped at 0), divided by the brief's highest
    "centroid_similarity",  # cosine to the mean of the brief's sentence vectors
    "length",  # log(1 + words)
    "number",  # 1 when it states a figure: a number with %, $, a unit word, or a year
    "congress_law",  # 1 when it names Congress, a law, a bill or a statute
    "prescriptive",  # answer.statements.prescriptive: 1 obligation, 0.5 option, 0 none
    "section_size",  # log(1 + quotable sentences of its section)
    "echo",  # highest cosine to a sentence of another section (a point the brief makes twice: summary page and body)
    "own_summary_similarity",  # outside the brief's own summary: highest cosine to one of its sentences; else 0
    "direction",  # the logit of the model's learned key-sentence direction (``KeyDirection``); 0 without one
)
# Each raw feature again, relative to the brief: z-scored over the brief's own quotable sentences (0 when
# constant in it). A summary ranks sentences within one brief only, so what separates a key sentence is
# often how it stands against its neighbours (the longest, the most central of this brief), not the
# absolute value: learning to rank's query-level normalisation (LETOR 4.0, Qin & Liu 2013). Adopted by
# the rule in bench/summary_adoption_rule.md (candidate P2: leave-one-brief-out 2.71 -> 2.83 key points).
FEATURES: tuple[str, ...] = RAW_FEATURES + tuple(f"brief_{name}" for name in RAW_FEATURES)

_FIGURE = re.compile(
    r"\$\s?\d|\d\s?%|\bpercent\b|\b(?:1[89]|20)\d\d\b|"
    r"\b\d[\d,.]*\s*(?:million|billion|trillion|thousand|hundred)\b|\b\d{1,3}(?:,\d{3})+\b", re.IGNORECASE)
_LAW = re.compile(
    r"\bCongress(?:ional)?\b|\bAct\b|\bP\.\s?L\.|\bPublic Law\b|\bH\.\s?R\.|\bS\.\s?\d|\blegislation\b|\bstatutes?\b|"
    r"\bstatutory\b|\bbills?\b|\bU\.S\.C\.|\bNDAA\b|\bappropriations?\b|\blawmakers\b|\bHouse\b|\bSenate\b")


@dataclass(frozen=True)
class KeyDirection:
    """A key-sentence direction in embedding space: ``logit(v) = v @ weights + bias`` for an L2-normalised
    sentence embedding ``v`` ``(dim,)``. An L2-regularised logistic regression of "a reader marks this
    sentence" on the embeddings alone (``bench/fit_summary.py``, ``DIRECTION_C``); its logit is the
    ``direction`` feature. Adopted by the rule in bench/summary_adoption_rule.md (candidate Y2)."""

    weights: np.ndarray  # (dim,)
    bias: float

    def __post_init__(self) -> None:
        if self.weights.ndim != 1:
            raise ValueError(f"a key direction is one weight per embedding dimension, got shape {self.weights.shape}")

    def logit(self, vectors: np.ndarray) -> np.ndarray:
        """``vectors`` ``(n, dim)`` -> logits ``(n,)``. Raises ``ValueError`` when ``dim`` differs."""
        if vectors.ndim != 2 or vectors.shape[1] != len(self.weights):
            raise ValueError(f"the key direction has {len(self.weights)} dimensions, the sentence vectors have shape "
                             f"{vectors.shape}")
        return vectors @ self.weights + self.bias


def _norm(values: np.ndarray) -> np.ndarray:
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 0 else values


def _rank_share(order: Sequence[int], n: int) -> np.ndarray:
    """0 for the first of ``order``, 1 for the last (0 for a lone item); indexed like the units."""
    out = np.zeros(n)
    if len(order) > 1:
        for position, i in enumerate(order):
            out[i] = position / (len(order) - 1)
    return out


def brief_relative(x: np.ndarray) -> np.ndarray:
    """Each column of ``x`` ``(n, k)`` z-scored over its ``n`` rows (one brief's sentences); a
    column constant in the brief gives 0s. Shape ``(n, k)``."""
    if len(x) == 0:
        return np.zeros_like(x)
    spread = x.std(axis=0)
    spread[spread == 0] = 1.0
    return (x - x.mean(axis=0)) / spread


def sentence_features(texts: Sequence[str], starts: Sequence[int], vectors: np.ndarray, sections: Sequence[int], *,
                      leads: np.ndarray, own_summary: np.ndarray, title_vector: np.ndarray | None = None,
                      direction: KeyDirection | None = None) -> np.ndarray:
    """The ``FEATURES`` of each of ``n`` sentences of one brief: shape ``(n, len(FEATURES))``.

    ``texts``: the sentences; ``starts``: their document offsets (for their order); ``vectors``:
    their L2-normalised embeddings ``(n, dim)``; ``sections``: the outline section of each;
    ``leads`` and ``own_summary``: 0/1 per sentence (``compose_kinds._lead_flags``, the brief's own
    summary); ``title_vector``: the brief's title embedded (None: no title, the feature is 0);
    ``direction``: the model's key-sentence direction (None: the ``direction`` feature is 0).
    The question is no feature: a summary of the whole brief reads none, and one asked about a
    topic blends this score with relevance to it (``compose_kinds.summary_points``).
    Raises ``ValueError`` when the lengths disagree.
    """
    raw = _raw_features(texts, starts, vectors, sections, leads=leads, own_summary=own_summary, title_vector=title_vector)
    if direction is not None and len(texts):
        raw[:, RAW_FEATURES.index("direction")] = direction.logit(vectors)
    return np.hstack([raw, brief_relative(raw)])


def _raw_features(texts: Sequence[str], starts: Sequence[int], vectors: np.ndarray, sections: Sequence[int], *,
                  leads: np.ndarray, own_summary: np.ndarray, title_vector: np.ndarray | None) -> np.ndarray:
    """The ``RAW_FEATURES`` of each sentence, shape ``(n, len(RAW_FEATURES))`` (``sentence_features``' arguments)."""
    n = len(texts)
    if not (len(starts) == len(vectors) == len(sections) == len(leads) == len(own_summary) == n):
        raise ValueError(f"sentence_features needs one start, vector, section, lead and summary flag per sentence "
                         f"(got {n} texts, {len(starts)} starts, {len(vectors)} vectors, {len(sections)} sections, "
                         f"{len(leads)} leads, {len(own_summary)} summary flags)")
    out = np.zeros((n, len(RAW_FEATURES)))
    if n == 0:
        return out
    column = {name: k for k, name in enumerate(RAW_FEATURES)}
    out[:, column["centrality"]] = _norm(lexrank(vectors))
    members: dict[int, list[int]] = {}
    for i in sorted(range(n), key=lambda i: starts[i]):
        members.setdefault(sections[i], []).append(i)
    for ids in members.values():
        out[ids, column["section_centrality"]] = _norm(lexrank(vectors[ids]))
        out[ids, column["section_size"]] = math.log1p(len(ids))
    out[:, column["section_position"]] = sum(_rank_share(ids, n) for ids in members.values())
    out[:, column["position"]] = _rank_share(sorted(range(n), key=lambda i: starts[i]), n)
    out[:, column["lead"]] = leads
    out[:, column["own_summary"]] = own_summary
    if title_vector is not None:
        out[:, column["title_similarity"]] = _norm(np.clip(vectors @ title_vector, 0.0, None))
    centroid = vectors.mean(axis=0)
    size = float(np.linalg.norm(centroid))
    if size > 0:
        out[:, column["centroid_similarity"]] = vectors @ (centroid / size)
    similarity = vectors @ vectors.T
    sections_ = np.asarray(sections)
    elsewhere = sections_[:, None] != sections_[None, :]
    if elsewhere.any():
        out[:, column["echo"]] = np.clip(np.where(elsewhere, similarity, 0.0).max(axis=1), 0.0, None)
    own = np.asarray(own_summary) > 0
    if own.any():
        out[:, column["own_summary_similarity"]] = np.where(own, 0.0, np.clip(similarity[:, own].max(axis=1), 0.0, None))
    out[:, column["length"]] = [math.log1p(len(t.split())) for t in texts]
    out[:, column["number"]] = [1.0 if _FIGURE.search(t) else 0.0 for t in texts]
    out[:, column["congress_law"]] = [1.0 if _LAW.search(t) else 0.0 for t in texts]
    out[:, column["prescriptive"]] = [prescriptive(t) for t in texts]
    return out


@dataclass(frozen=True)
class KeyPointModel:
    """A logistic model of "a reader marks this sentence as a key point" over standardised features.

    ``score(x) = sigmoid(((x - mean) / scale) @ weights + bias)``; ``features`` name the columns
    of ``x`` in order and must equal ``FEATURES`` (a model fitted on other features is rejected).
    ``section_weight`` (the selection's weight of within-section centrality) and ``section_turns``
    (whether sections take turns) are the selection chosen with the model.
    """

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    section_weight: float = 0.0  # weight of section centrality when a section gives its point (``compose_kinds._section_points``)
    section_turns: bool = True  # whether the brief's sections take turns in giving points (``compose_kinds.select_points``)
    direction: KeyDirection | None = None  # the key-sentence direction the ``direction`` feature reads
    provenance: str = ""

    def __post_init__(self) -> None:
        k = len(self.features)
        if not (self.mean.shape == self.scale.shape == self.weights.shape == (k,)):
            raise ValueError(f"model has {k} features but mean {self.mean.shape}, scale {self.scale.shape} and "
                             f"weights {self.weights.shape}")
        if np.any(self.scale <= 0):
            raise ValueError(f"model scales must be positive: {self.scale.tolist()}")

    def score(self, features: np.ndarray) -> np.ndarray:
        """Probability that each row of ``features`` ``(n, k)`` is a key sentence, shape ``(n,)``."""
        if features.ndim != 2 or features.shape[1] != len(self.features):
            raise ValueError(f"expected features of shape (n, {len(self.features)}), got {features.shape}")
        logits = ((features - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-logits))

    def to_json(self, **provenance: object) -> dict:
        """The model as a JSON-ready dict, with ``provenance`` (training set, date, command, fit figures)."""
        return {"features": list(self.features), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "weights": self.weights.tolist(), "bias": self.bias, "section_weight": self.section_weight,
                "section_turns": self.section_turns,
                "direction": None if self.direction is None else {"weights": self.direction.weights.tolist(),
                                                                  "bias": self.direction.bias},
                "provenance": provenance}

    @classmethod
    def from_json(cls, data: dict, *, source: str = "model") -> KeyPointModel:
        """Read ``to_json``'s dict. Raises ``ValueError`` naming ``source`` when a key is missing or the
        features are not ``FEATURES``."""
        missing = [k for k in ("features", "mean", "scale", "weights", "bias") if k not in data]
        if missing:
            raise ValueError(f"{source}: missing {missing}")
        features = tuple(data["features"])
        if features != FEATURES:
            raise ValueError(f"{source}: fitted on features {list(features)}, this code computes {list(FEATURES)}; "
                             f"refit with python -m bench.fit_summary")
        direction = data.get("direction")
        if direction is not None and not {"weights", "bias"} <= set(direction):
            raise ValueError(f"{source}: its direction needs weights and bias, has {sorted(direction)}")
        return cls(features, np.asarray(data["mean"], float), np.asarray(data["scale"], float),
                   np.asarray(data["weights"], float), float(data["bias"]),
                   direction=None if direction is None else KeyDirection(np.asarray(direction["weights"], float),
                                                                         float(direction["bias"])),
                   section_weight=float(data.get("section_weight", 0.0)),
                   section_turns=bool(data.get("section_turns", True)), provenance=json.dumps(data.get("provenance", {}), sort_keys=True))


@functools.lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> KeyPointModel:
    """The shipped (or given) key-point model. Raises ``ValueError`` naming the file when it is unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"cannot read the summary model {path}: {error}") from error
    return KeyPointModel.from_json(data, source=str(path))
