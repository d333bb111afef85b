"""The analyst question set (tests/data/analyst_questions.jsonl) is well formed and its evidence verbatim.

Every reference and key point must be found (whitespace runs normalised) in the brief it names,
as the product's loader reads it; each kind has questions in both splits.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from evaluation.metrics import locate_text
from evaluation.questions import load_questions

DATA = Path(__file__).resolve().parents[1] / "data"
QUESTIONS = DATA / "analyst_questions.jsonl"
CORPUS = json.loads((DATA / "analyst_corpus.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    from bench.analyst_corpus import CRS
    from ingest.loaders import load_document
    from settings import SAMPLE_BRIEFS

    if not CRS.is_dir():
        pytest.skip(f"the shared CRS corpus is not at {CRS}")
    paths = [SAMPLE_BRIEFS / n for n in CORPUS["samples"]] + [CRS / n for n in CORPUS["crs"]]
    return {p.name: load_document(p, source=p.name, max_bytes=1 << 25, timeout_s=60).text for p in paths}


def test_the_set_has_every_kind_in_both_splits():
    questions = load_questions(QUESTIONS)
    assert not questions.errors and len(questions.questions) >= 60
    assert len({q.id for q in questions.questions}) == len(questions.questions)
    by_split = Counter((q.type, q.split) for q in questions.questions)
    for kind in ("summary", "recommendations", "comparison", "timeline", "list", "catalogue", "fact", "near-miss",
                 "follow-up"):
        assert by_split[(kind, "dev")] and by_split[(kind, "heldout")], kind
    for q in questions.questions:
        if q.type == "summary":
            assert len(q.key_points) >= 5 and len(q.briefs) == 1, q.id
        if q.type == "comparison":
            assert len(q.briefs) >= 2, q.id


def test_every_reference_and_key_point_is_verbatim_in_its_brief(texts):
    for q in load_questions(QUESTIONS).questions:
        for ref in q.references + q.key_points:
            assert ref.source in texts, (q.id, ref.source)
            assert locate_text(ref.text, texts[ref.source]) is not None, (q.id, ref.text)
        for source in q.briefs:
            assert source in texts, (q.id, source)


# Held-out summary sets, each with its own corpus manifest: (questions, manifest, split).
HELD_OUT_SUMMARIES = [
    (DATA / "summary_blind_questions.jsonl", DATA / "summary_blind_corpus.json", "blind"),
    (DATA / "summary_heldout2_questions.jsonl", DATA / "summary_heldout2_corpus.json", "heldout2"),
]


@pytest.mark.parametrize("path, manifest, split", HELD_OUT_SUMMARIES, ids=lambda v: getattr(v, "stem", v))
def test_the_held_out_summary_sets_are_well_formed_and_their_reports_are_new(path, manifest, split):
    """The held-out summaries (written before the summary engine was tuned on them) name reports no
    other question set uses, and each manifest holds the analyst corpus too (same distractors)."""
    questions = load_questions(path)
    corpus = json.loads(manifest.read_text(encoding="utf-8"))
    assert not questions.errors and len(questions.questions) >= 4
    others = [QUESTIONS] + [p for p, _, _ in HELD_OUT_SUMMARIES if p != path]
    used = {s for other in others for q in load_questions(other).questions
            for s in [ref.source for ref in q.references + q.key_points] + list(q.briefs)}
    assert set(CORPUS["crs"]) <= set(corpus["crs"]) and CORPUS["samples"] == corpus["samples"]
    for q in questions.questions:
        assert q.type == "summary" and q.split == split and len(q.briefs) == 1, q.id
        assert 6 <= len(q.key_points) <= 8 and q.briefs[0] not in used, q.id
        assert q.briefs[0] in corpus["crs"], q.id


@pytest.mark.parametrize("path", [p for p, _, _ in HELD_OUT_SUMMARIES], ids=lambda p: p.stem)
def test_every_held_out_key_point_is_verbatim_in_its_brief(path):
    from bench.analyst_corpus import CRS
    from ingest.loaders import load_document

    if not CRS.is_dir():
        pytest.skip(f"the shared CRS corpus is not at {CRS}")
    questions = load_questions(path).questions
    texts = {q.briefs[0]: load_document(CRS / q.briefs[0], source=q.briefs[0], max_bytes=1 << 25, timeout_s=60).text
             for q in questions}
    for q in questions:
        for point in q.key_points:
            assert point.source == q.briefs[0], (q.id, point.source)
            assert locate_text(point.text, texts[point.source]) is not None, (q.id, point.text)
