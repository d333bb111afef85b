"""The trainable key-sentence scorer of summaries (answer.keypoints): features, the logistic model,
the shipped model file, and summary_points choosing by a model."""

import json
import subprocess
import sys

import numpy as np
import pytest

from answer.catalogue import BriefInfo
from answer.compose_kinds import summary_points, summary_units
from answer.keypoints import FEATURES, MODEL_PATH, KeyDirection, KeyPointModel, load_model, sentence_features
from tests.answer.test_summary import BRIEF, TITLE, _hits

COLUMN = {name: k for k, name in enumerate(FEATURES)}


def _vectors(n: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(n, dim))
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_features_of_each_sentence():
    texts = ["The council raised prices by 12 percent.", "Congress may consider amending the Water Act.",
             "Engineers blame dry winters.", "The utility should replace the mains by 2030.", "Work began."]
    starts = [40, 0, 100, 200, 300]  # given out of text order: positions follow the offsets
    sections = [1, 1, 2, 2, 2]
    leads = np.array([0.0, 1.0, 1.0, 0.0, 0.0])
    own = np.array([1.0, 1.0, 0.0, 0.0, 0.0])
    vectors = _vectors(5)
    x = sentence_features(texts, starts, vectors, sections, leads=leads, own_summary=own, title_vector=vectors[2])
    assert x.shape == (5, len(FEATURES))
    assert x[:, COLUMN["number"]].tolist() == [1, 0, 0, 1, 0]  # 12 percent; 2030
    assert x[:, COLUMN["congress_law"]].tolist() == [0, 1, 0, 0, 0]
    assert x[:, COLUMN["prescriptive"]].tolist()[3] == 1.0 and x[2, COLUMN["prescriptive"]] == 0.0
    assert x[:, COLUMN["lead"]].tolist() == leads.tolist() and x[:, COLUMN["own_summary"]].tolist() == own.tolist()
    assert x[:, COLUMN["position"]].tolist() == [0.25, 0.0, 0.5, 0.75, 1.0]
    assert x[:, COLUMN["section_position"]].tolist() == [1.0, 0.0, 0.0, 0.5, 1.0]
    assert x[2, COLUMN["title_similarity"]] == pytest.approx(1.0)  # the title's own vector is the most similar
    assert x[:, COLUMN["centrality"]].max() == pytest.approx(1.0)
    for section in (1, 2):
        members = [i for i, s in enumerate(sections) if s == section]
        assert x[members, COLUMN["section_centrality"]].max() == pytest.approx(1.0)
    assert x[0, COLUMN["section_size"]] == pytest.approx(np.log(3)) and x[4, COLUMN["section_size"]] == pytest.approx(np.log(4))
    assert x[4, COLUMN["length"]] == pytest.approx(np.log(3))  # "Work began." is two words
    without_title = sentence_features(texts, starts, vectors, sections, leads=leads, own_summary=own)
    assert not without_title[:, COLUMN["title_similarity"]].any()
    # each feature again relative to the brief: z-scored over its sentences, 0 where constant in it
    numbers = x[:, COLUMN["number"]]
    assert x[:, COLUMN["brief_number"]] == pytest.approx((numbers - numbers.mean()) / numbers.std())
    assert x[:, COLUMN["brief_length"]].mean() == pytest.approx(0.0) and x[:, COLUMN["brief_length"]].std() == pytest.approx(1.0)
    assert not without_title[:, COLUMN["brief_title_similarity"]].any()


def test_brief_relative_features_rank_within_the_brief():
    from answer.keypoints import RAW_FEATURES, brief_relative

    assert len(FEATURES) == 2 * len(RAW_FEATURES)
    x = np.array([[1.0, 5.0], [3.0, 5.0]])
    assert brief_relative(x).tolist() == [[-1.0, 0.0], [1.0, 0.0]]
    assert brief_relative(x + 10).tolist() == brief_relative(x).tolist()  # only the brief's own spread counts


def test_features_reject_mismatched_inputs_and_accept_none():
    with pytest.raises(ValueError, match="one start, vector"):
        sentence_features(["A.", "B."], [0], _vectors(2), [0, 0], leads=np.zeros(2), own_summary=np.zeros(2))
    assert sentence_features([], [], np.zeros((0, 8)), [], leads=np.zeros(0), own_summary=np.zeros(0)).shape == (0, len(FEATURES))


def test_the_direction_feature_is_the_logit_of_the_learned_direction():
    vectors = _vectors(4)
    direction = KeyDirection(vectors[1] * 2.0, -0.5)
    assert direction.logit(vectors).shape == (4,)
    assert direction.logit(vectors) == pytest.approx(vectors @ (vectors[1] * 2.0) - 0.5)
    args = (["A a.", "B b.", "C c.", "D d."], [0, 10, 20, 30], vectors, [0, 0, 1, 1])
    flags = {"leads": np.zeros(4), "own_summary": np.zeros(4)}
    x = sentence_features(*args, **flags, direction=direction)
    assert x.shape == (4, len(FEATURES))
    assert x[:, COLUMN["direction"]] == pytest.approx(direction.logit(vectors))
    assert x[:, COLUMN["brief_direction"]].argmax() == 1  # the sentence the direction points at
    without = sentence_features(*args, **flags)
    assert not without[:, COLUMN["direction"]].any() and not without[:, COLUMN["brief_direction"]].any()
    others = [k for k in range(len(FEATURES)) if FEATURES[k] not in ("direction", "brief_direction")]
    assert x[:, others] == pytest.approx(without[:, others])  # the direction changes its own columns only
    with pytest.raises(ValueError, match="has 8 dimensions"):
        direction.logit(np.ones((2, 5)))
    with pytest.raises(ValueError, match="one weight per embedding dimension"):
        KeyDirection(np.ones((2, 8)), 0.0)


def test_the_learned_direction_changes_which_sentence_ranks_first():
    vectors = _vectors(5, seed=3)
    args = (["One a.", "Two b.", "Three c.", "Four d.", "Five e."], [0, 10, 20, 30, 40], vectors, [0, 0, 0, 1, 1])
    flags = {"leads": np.zeros(5), "own_summary": np.zeros(5)}
    model = _model(centrality=1.0, brief_direction=3.0)
    plain = model.score(sentence_features(*args, **flags))
    towards = model.score(sentence_features(*args, **flags, direction=KeyDirection(vectors[4] * 4, 0.0)))
    away = model.score(sentence_features(*args, **flags, direction=KeyDirection(-vectors[4] * 4, 0.0)))
    assert plain.argmax() != 4 and towards.argmax() == 4  # without the direction another sentence leads
    assert away.argmin() == 4


def _model(**weights: float) -> KeyPointModel:
    k = len(FEATURES)
    return KeyPointModel(FEATURES, np.zeros(k), np.ones(k), np.array([weights.get(f, 0.0) for f in FEATURES]), 0.0)


def test_the_model_is_a_logistic_score_of_standardised_features():
    k = len(FEATURES)
    model = KeyPointModel(FEATURES, np.full(k, 1.0), np.full(k, 2.0), np.eye(k)[COLUMN["number"]] * 3, -1.0)
    x = np.ones((2, k))
    x[1, COLUMN["number"]] = 3.0
    assert model.score(x).tolist() == pytest.approx([1 / (1 + np.exp(1.0)), 1 / (1 + np.exp(-2.0))])
    with pytest.raises(ValueError, match=rf"shape \(n, {k}\)"):
        model.score(np.ones((2, 3)))
    with pytest.raises(ValueError, match="scales must be positive"):
        KeyPointModel(FEATURES, np.zeros(k), np.zeros(k), np.zeros(k), 0.0)


def test_a_model_round_trips_and_one_fitted_on_other_features_is_rejected(tmp_path):
    model = _model(number=1.5, lead=-0.5)
    data = json.loads(json.dumps(model.to_json(briefs=["summ01"])))
    back = KeyPointModel.from_json(data)
    assert back.weights.tolist() == model.weights.tolist() and back.bias == model.bias
    assert json.loads(back.provenance) == {"briefs": ["summ01"]}
    assert back.direction is None
    directed = KeyPointModel(model.features, model.mean, model.scale, model.weights, model.bias,
                             direction=KeyDirection(np.arange(3.0), 0.25))
    again = KeyPointModel.from_json(json.loads(json.dumps(directed.to_json())))
    assert again.direction is not None and again.direction.weights.tolist() == [0.0, 1.0, 2.0]
    assert again.direction.bias == 0.25
    with pytest.raises(ValueError, match="direction needs weights and bias"):
        KeyPointModel.from_json({**data, "direction": {"weights": [1.0]}}, source="old.json")
    with pytest.raises(ValueError, match="refit"):
        KeyPointModel.from_json({**data, "features": list(FEATURES[:-1])}, source="old.json")
    with pytest.raises(ValueError, match=r"old.json: missing \['bias'\]"):
        KeyPointModel.from_json({k: v for k, v in data.items() if k != "bias"}, source="old.json")
    bad = tmp_path / "model.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read the summary model"):
        load_model(bad)


def test_the_shipped_model_loads_with_the_documented_features_and_its_provenance():
    model = load_model()
    assert model.features == FEATURES
    assert np.isfinite(model.weights).all() and np.isfinite(model.bias)
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    provenance = data["provenance"]
    assert {"training", "briefs", "date", "command", "leave_one_brief_out"} <= set(provenance)
    assert not any(split in " ".join(provenance["training"]) for split in ("heldout", "blind"))  # never fitted on them
    # the learned key-sentence direction: one weight per dimension of the bundled embedder (all-MiniLM-L6-v2: 384)
    assert model.direction is not None and model.direction.weights.shape == (384,)
    assert np.isfinite(model.direction.weights).all() and provenance["direction_c"] > 0


def test_the_app_scores_summaries_without_scikit_learn():
    code = ("import sys, answer.keypoints, answer.compose_kinds, answer.assistant; "
            "print(any(m.split('.')[0] in ('sklearn', 'pandas') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_summary_points_follow_the_model(embedder):
    hits = _hits(BRIEF)
    brief = BriefInfo("d", "riverton.txt", TITLE, "2025-07-01", "Brief")
    found = summary_units("Summarize the Riverton brief.", brief, hits, embedder)
    assert found is not None and found.features().shape == (len(found.units), len(FEATURES))
    figures = summary_points("Summarize the Riverton brief.", brief, hits, embedder, n=3, scorer=_model(number=5.0))
    plain = summary_points("Summarize the Riverton brief.", brief, hits, embedder, n=3, scorer=_model(number=-5.0))
    def with_figures(points):
        return sum(any(ch.isdigit() for ch in p.text) for p in points)

    assert len(figures) == len(plain) == 3
    assert with_figures(figures) >= 2 and with_figures(plain) <= 1, ([p.text for p in figures], [p.text for p in plain])
    for point in figures + plain:
        assert BRIEF[point.doc_start:point.doc_start + len(point.text)] == point.text


def test_the_learned_scorer_is_the_default_setting():
    from settings import AnswerSettings

    assert AnswerSettings().summary_scorer == "learned"
    with pytest.raises(ValueError, match="summary_scorer"):
        AnswerSettings(summary_scorer="bayes")


@pytest.mark.slow
@pytest.mark.parametrize("scorer", ["learned", "centrality"])
def test_the_assistant_summarises_with_the_scorer_set_and_cites_exactly(sample_store, embedder, scorer):
    from answer.assistant import Assistant
    from retrieval.hybrid import HybridRetriever
    from settings import Settings

    settings = Settings()
    settings.answer.summary_scorer = scorer
    assistant = Assistant(HybridRetriever.over(sample_store, embedder, settings=settings.retrieval), embedder,
                          settings.answer)
    assert (assistant.summary_scorer is None) == (scorer == "centrality")
    answer = assistant.ask("Summarize the 2017 brief.")
    assert answer.kind == "summary" and not answer.refused and 5 <= len(answer.citations) <= 9
    for citation in answer.citations:
        assert sample_store.document_text(citation.doc_id)[citation.start:citation.end] == citation.quote
