"""The answerability model: its evidence features, their monotonicity, the shipped model file, the fit."""

import json
import random

import numpy as np
import pytest

import answer.answerability as answerability
from answer.answerability import (FEATURES, MODEL_PATH, AnswerabilityModel, answerability_features,
                                  candidate_features, fit_logistic, next_in_paragraph)
from answer.compose import candidates_for
from tests.answer.passages import SENTENCES, hits_of

_hits = hits_of


def _features(question, candidate, fake_embedder):
    vector = fake_embedder.encode([question])[0]
    return dict(zip(FEATURES, candidate_features(candidate, question=question, question_vector=vector)))


def _candidate(question, text, fake_embedder, starts="The fund helps"):
    found = candidates_for(question, _hits([text]), fake_embedder)
    return next(c for c in found if c.text.startswith(starts))


def test_the_next_sentence_counts_only_inside_the_paragraph(fake_embedder):
    question = "How much did the fund disburse to owners?"
    same = _candidate(question, "The fund helps owners of small farms. It disbursed $3 million last year.",
                      fake_embedder)
    apart = _candidate(question, "The fund helps owners of small farms.\n\nIt disbursed $3 million last year.",
                       fake_embedder)
    assert next_in_paragraph(same).startswith("It disbursed") and next_in_paragraph(apart) == ""
    with_next, without = _features(question, same, fake_embedder), _features(question, apart, fake_embedder)
    assert with_next["relevance_x_type"] == 0.0 and without["relevance_x_type"] == 0.0  # no money in the sentence
    assert with_next["relevance_x_type_next"] == pytest.approx(same.relevance)  # ... but in the next one
    assert without["relevance_x_type_next"] == 0.0


def test_a_name_of_the_question_missing_from_the_sentence_lowers_the_names_feature(fake_embedder):
    text = "The fund helps owners of small farms in Texas."
    present = _candidate("Whom does the fund help in Texas?", text, fake_embedder)
    absent = _candidate("Whom does the fund help in Ohio?", text, fake_embedder)
    assert _features("Whom does the fund help in Texas?", present, fake_embedder)["relevance_x_names"] == \
        pytest.approx(present.relevance)
    assert _features("Whom does the fund help in Ohio?", absent, fake_embedder)["relevance_x_names"] == 0.0


def test_every_feature_is_in_0_1_and_products_never_exceed_relevance(fake_embedder):
    hits = _hits(SENTENCES)
    x = answerability_features("How much has Japan invested in missile defense?", hits, fake_embedder,
                               match_numbers=True)
    assert x.shape == (len(FEATURES),) and np.all(x >= 0) and np.all(x <= 1)
    products = [i for i, name in enumerate(FEATURES) if name.startswith("relevance_x_")]
    assert np.all(x[products] <= x[FEATURES.index("relevance")] + 1e-12)
    assert answerability_features("anything", [], fake_embedder).tolist() == [0.0] * len(FEATURES)


def test_more_passages_never_lower_the_features_or_the_score(fake_embedder):
    model = AnswerabilityModel.load()
    rng = random.Random(7)
    for question in ("What happened to Lotte in Korea?", "How much has Japan invested in Korea's missile defense?",
                     "When will Korea choose its new president?"):
        for _ in range(4):
            pool = SENTENCES[:]
            rng.shuffle(pool)
            hits = _hits(pool)
            rows = [answerability_features(question, hits[:n], fake_embedder, match_numbers=True)
                    for n in range(1, len(hits) + 1)]
            for a, b in zip(rows, rows[1:]):
                assert np.all(a <= b + 1e-12), (question, a, b)
            scores = [model.score(x) for x in rows]
            assert all(a <= b + 1e-12 for a, b in zip(scores, scores[1:])), scores


def test_the_shipped_model_loads_with_the_documented_features():
    model = AnswerabilityModel.load(MODEL_PATH)
    assert model.features == FEATURES
    assert all(w >= 0 for w in model.weights) and 0.0 <= model.threshold <= 1.0
    assert "calibration" in model.fitted_on
    for name in FEATURES:  # each feature is described in the module docstring
        assert f"``{name}``" in (answerability.__doc__ or "")


def test_the_shipped_model_is_fitted_on_the_calibration_sets_bench_calibrate_pools_and_no_blind_set():
    from bench.calibrate import QUESTIONS

    model = AnswerabilityModel.load(MODEL_PATH)
    names = [path.name for path in QUESTIONS]
    assert names == ["calibration_questions.jsonl", "calibration_nearmiss.jsonl", "calibration_answerable3.jsonl"]
    assert all(path.is_file() for path in QUESTIONS)
    assert all(name in model.fitted_on for name in names)
    assert "refusal_blind" not in model.fitted_on  # the blind sets confirm; nothing is fitted on them


@pytest.mark.parametrize("change, message", [
    ({"features": ["relevance"]}, "differ"),
    ({"weights": [-0.1] + [0.1] * (len(FEATURES) - 1)}, ">= 0"),
    ({"threshold": 1.5}, "0-1"),
])
def test_a_model_file_that_does_not_fit_the_code_is_refused(tmp_path, change, message):
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8")) | change
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=message) as error:
        AnswerabilityModel.load(path)
    assert str(path) in str(error.value)


def test_the_fit_keeps_weights_non_negative_and_learns_the_informative_feature():
    rng = np.random.default_rng(0)
    y = np.array([1] * 60 + [0] * 40)
    informative = np.where(y > 0, 0.7, 0.3) + rng.normal(0, 0.1, len(y))
    inverted = np.where(y > 0, 0.3, 0.7) + rng.normal(0, 0.1, len(y))  # would need a negative weight
    noise = rng.uniform(0, 1, len(y))
    w, b = fit_logistic(np.column_stack([informative, inverted, noise]), y)
    assert w[0] > 1.0 and w[1] == 0.0 and w[2] < w[0] / 3
    p = 1 / (1 + np.exp(-(b + np.column_stack([informative, inverted, noise]) @ w)))
    assert ((p >= 0.5) == (y > 0)).mean() > 0.9


@pytest.mark.slow
def test_the_assistant_decides_on_the_model_when_the_setting_is_on(sample_store, embedder, tmp_path):
    from answer.assistant import Assistant
    from retrieval.hybrid import HybridRetriever
    from settings import Settings

    settings = Settings()
    retriever = HybridRetriever.over(store=sample_store, embedder=embedder, settings=settings.retrieval)
    on = Assistant(retriever, embedder, settings.answer.model_copy(update={"answerability": True}))
    model = AnswerabilityModel.load()
    answered = on.ask("How much has Japan invested in missile defense?")
    assert not answered.refused and 0.0 <= answered.evidence <= 1.0 and answered.evidence >= model.threshold
    off_topic = on.ask("What is the average rainfall in the Amazon basin?")
    assert off_topic.refused and off_topic.evidence < model.threshold
    for question in ("What happened to Lotte?", "How much has Japan invested in missile defense?"):
        few, more = on.ask(question, k=5), on.ask(question, k=10)
        assert not (more.refused and not few.refused)
    bad = tmp_path / "model.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="model.json"):
        Assistant(retriever, embedder, settings.answer.model_copy(update={"answerability": True,
                                                                          "answerability_model": bad}))
