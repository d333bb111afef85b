"""Answerability: several evidence features combined by a logistic model fitted on the calibration sets.

The refusal score used by default is one feature, the relevance of the best supporting sentence
(``answer.compose.evidence``). Systems for SQuAD 2.0's unanswerable questions instead put a small
"no-answer" verifier on top of the reader: features of the best candidate answer and its sentence
go into a classifier trained on answerable and unanswerable questions (Hu et al., "Read + Verify:
Machine Reading Comprehension with Unanswerable Questions", AAAI 2019; Rajpurkar, Jia & Liang,
"Know What You Don't Know", ACL 2018). Without a trained reader offline, this module does the same
with the evidence the assistant already has: ``FEATURES`` below, each the MAXIMUM over the
candidate sentences of every prefix of the ranked passages (``hits[:1]``, ``hits[:2]``, ...), and
a logistic regression whose weights are constrained to be non-negative:

    p(answerable) = sigmoid(bias + sum_i weight_i * feature_i)

Every feature is a maximum over prefixes, so a longer list of passages that extends a shorter one
can only raise it; with non-negative weights the probability is non-decreasing in each feature, so
more evidence never lowers the score (the refusal is monotone in the evidence, as issue 12 asks).

The weights, the bias and the refusal threshold live in ``answerability_model.json`` beside this
module, written by ``python -m bench.calibrate --fit-answerability`` from the calibration sets only
(``bench/data/calibration_*.jsonl``); the figures behind them are in docs/benchmarks.md (refusal).
Fitting uses numpy (``fit_logistic``); nothing here imports scikit-learn.

Features (the numbers a candidate sentence gets, before the maximum):

- ``relevance``: the sentence's relevance (``answer.extractive.score_sentences``: cosine of the
  question and sentence embeddings blended with the share of the question's words it holds);
- ``cosine``: the cosine alone (the bundled embedding model, sentence against question);
- ``window_cosine``: the cosine of the question and the sentence read together with the sentence
  after it in the same paragraph (a sentence-window rerank with the same model; the sentence alone
  when it ends its paragraph);
- ``relevance_x_coverage``: relevance times the question coverage (``answer.coverage``);
- ``relevance_x_type``: relevance when the sentence itself holds an answer of the expected type
  (``answer.answer_type``), else 0 (questions without an expected type: relevance);
- ``relevance_x_type_next``: the same, the type found in the sentence or the sentence after it in
  the same paragraph (the figure often follows the subject: "The fund helps ... . It disbursed $3 million");
- ``relevance_x_names``: relevance times the share of the question's names and numbers found in the
  sentence, the sentence after it in its paragraph, or the brief's title (1 when it names none).

Left out, and why: the gap between the best and the second-best brief is not monotone (a second
brief scoring close to the first lowers it); a BM25 score normalised per question is close to the
keyword half of ``relevance``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from answer.answer_type import has_answer_type
from answer.compose import candidates_for, claim_text, coverage_context
from answer.coverage import NAME_WEIGHT, QuestionFocus, coverage, question_focus
from answer.extractive import Candidate
from answer.units import unit_spans
from answer.vectors import Encoder
from retrieval.keyword import tokenize
from vectorstore.types import Hit

FEATURES = ("relevance", "cosine", "window_cosine", "relevance_x_coverage", "relevance_x_type",
            "relevance_x_type_next", "relevance_x_names")
MODEL_PATH = Path(__file__).with_name("answerability_model.json")


def next_in_paragraph(candidate: Candidate) -> str:
    """The sentence after the candidate in its passage when no blank line (a paragraph break)
    separates them; "" otherwise (and for a table row)."""
    if candidate.reading:
        return ""
    text = candidate.hit.chunk.text
    following = next(((s, e) for s, e in unit_spans(text) if s >= candidate.end), None)
    if following is None or "\n\n" in text[candidate.end:following[0]]:
        return ""
    return text[following[0]:following[1]]


def window_text(candidate: Candidate) -> str:
    """The candidate sentence (a table row with its header) and the sentence after it in its paragraph."""
    following = next_in_paragraph(candidate)
    return f"{candidate.shown} {following}" if following else candidate.shown


def candidate_features(candidate: Candidate, *, question: str, question_vector: np.ndarray,
                       window_vector: np.ndarray | None = None, focus: QuestionFocus | None = None,
                       brief_terms: frozenset[str] | set[str] = frozenset()) -> np.ndarray:
    """The ``FEATURES`` of one candidate sentence for ``question`` (shape ``(len(FEATURES),)``, each in 0-1).
    ``window_vector``: the normalised embedding of ``window_text(candidate)`` (default: the sentence's own);
    ``focus``: ``question_focus(question)``, when already known."""
    focus = focus if focus is not None else question_focus(question)
    claim = claim_text(candidate)
    following = next_in_paragraph(candidate)
    relevance = candidate.relevance
    cosine = float(np.clip(candidate.vector @ question_vector, 0.0, 1.0))
    window = float(np.clip((candidate.vector if window_vector is None else window_vector) @ question_vector, 0.0, 1.0))
    covered = coverage(focus, claim, coverage_context(candidate), question=question, brief=brief_terms)
    in_sentence = has_answer_type(focus.slot, claim, question)
    in_next = in_sentence or (bool(following) and has_answer_type(focus.slot, following, question))
    named = [t for t, w in focus.weights.items() if w >= NAME_WEIGHT]
    if named:
        around = set(tokenize([f"{candidate.hit.chunk.title}\n{claim}\n{following}"])[0])
        names_share = sum(t in around for t in named) / len(named)
    else:
        names_share = 1.0
    return np.array([relevance, cosine, window, relevance * covered, relevance * in_sentence, relevance * in_next,
                     relevance * names_share], dtype=float)


def answerability_features(question: str, hits: Sequence[Hit], encoder: Encoder, *,
                           question_vector: np.ndarray | None = None, match_numbers: bool = False,
                           numbers_from: str | None = None, brief_terms=None,
                           named: Mapping[str, frozenset[str]] | None = None) -> np.ndarray:
    """The ``FEATURES`` of a question over ranked ``hits``: each the maximum over the candidate
    sentences (``answer.compose.candidates_for``) of every prefix of the hits, so never lower for a
    longer list that extends them. Zeros when no sentence can answer. ``brief_terms`` is
    ``answer.compose.BriefTerms`` (doc_id -> the brief's stemmed terms) or None; ``named`` as in
    ``answer.extractive.score_sentences``."""
    if question_vector is None:
        question_vector = encoder.encode([question])[0]
    best = np.zeros(len(FEATURES))
    focus = question_focus(question)
    seen: dict[tuple[str, int, float], np.ndarray] = {}
    for n in range(1, len(hits) + 1):
        found = candidates_for(question, hits[:n], encoder, question_vector=question_vector,
                               match_numbers=match_numbers, numbers_from=numbers_from, named=named)
        new = [c for c in found if (c.hit.chunk.id, c.start, c.relevance) not in seen]
        windows = encoder.encode([window_text(c) for c in new]) if new else np.zeros((0, 1))
        for candidate, window_vector in zip(new, windows):
            terms = brief_terms(candidate.hit.chunk.doc_id) if brief_terms is not None else frozenset()
            seen[(candidate.hit.chunk.id, candidate.start, candidate.relevance)] = candidate_features(
                candidate, question=question, question_vector=question_vector, window_vector=window_vector,
                focus=focus, brief_terms=terms)
        for candidate in found:
            best = np.maximum(best, seen[(candidate.hit.chunk.id, candidate.start, candidate.relevance)])
    return best


def _sigmoid(z: np.ndarray | float) -> np.ndarray | float:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


@dataclass(frozen=True)
class AnswerabilityModel:
    """A fitted logistic model over ``FEATURES`` and the refusal threshold on its probability."""

    features: tuple[str, ...]
    weights: tuple[float, ...]  # one per feature, each >= 0 (monotone in the evidence)
    bias: float
    threshold: float  # p(answerable) below this: refuse
    fitted_on: str = ""  # where the weights come from (calibration files, counts)

    def __post_init__(self) -> None:
        if tuple(self.features) != FEATURES:
            raise ValueError(f"answerability model features {list(self.features)} differ from the ones computed "
                             f"here {list(FEATURES)}: refit it with python -m bench.calibrate --fit-answerability")
        if len(self.weights) != len(self.features):
            raise ValueError(f"answerability model has {len(self.weights)} weights for {len(self.features)} features")
        if any(w < 0 or not math.isfinite(w) for w in self.weights):
            raise ValueError(f"answerability model weights must be finite and >= 0 (monotone): {list(self.weights)}")
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"answerability threshold must be in 0-1, got {self.threshold}")

    def score(self, features: np.ndarray) -> float:
        """p(answerable) for one feature vector (shape ``(len(FEATURES),)``)."""
        return float(_sigmoid(self.bias + float(np.dot(self.weights, features))))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "AnswerabilityModel":
        """Read a model file; ``ValueError`` naming the file when it is not a valid model."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            return cls(tuple(data["features"]), tuple(float(w) for w in data["weights"]), float(data["bias"]),
                       float(data["threshold"]), str(data.get("fitted_on", "")))
        except (OSError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: not a valid answerability model ({exc})") from exc

    def save(self, path: Path = MODEL_PATH) -> None:
        data = {"features": list(self.features), "weights": [round(w, 6) for w in self.weights],
                "bias": round(self.bias, 6), "threshold": self.threshold, "fitted_on": self.fitted_on}
        Path(path).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def fit_logistic(x: np.ndarray, y: np.ndarray, *, l2: float = 1e-2, steps: int = 5000,
                 lr: float = 0.5) -> tuple[np.ndarray, float]:
    """(weights >= 0, bias) of an L2-regularised logistic regression of ``y`` (0/1, shape ``(n,)``)
    on ``x`` (shape ``(n, d)``), by projected gradient descent on the mean log loss (weights clipped
    at 0 after each step; the bias is free and not regularised). Classes are weighted equally."""
    n, d = x.shape
    y = y.astype(float)
    pos = max(1.0, float(y.sum()))
    neg = max(1.0, float(n - y.sum()))
    sample = np.where(y > 0, n / (2 * pos), n / (2 * neg))
    w = np.zeros(d)
    b = 0.0
    for _ in range(steps):
        p = _sigmoid(x @ w + b)
        g = sample * (p - y) / n
        w = np.maximum(0.0, w - lr * (x.T @ g + l2 * w))
        b -= lr * float(g.sum())
    return w, b

