"""bench/summary_variants.py: the rejected summary candidates still do what the rule file says they did."""

import numpy as np

from answer import compose_kinds as ck
from answer.extractive import Candidate
from bench import summary_variants as sv
from tests.answer.test_compose_kinds import _units  # sentences as summary units, one passage
from vectorstore.types import Chunk, Hit


def test_the_parts_of_a_brief_each_give_points_when_spread():
    # the four best-scored sentences open the brief; spread over two parts (candidate A), the second half gives two
    sentences = [f"Sentence {k} of the brief states a point." for k in range(8)]
    units = _units(sentences, [[1.0 if j == k else 0.0 for j in range(8)] for k in range(8)],
                   [0.9, 0.8, 0.7, 0.6, 0.2, 0.15, 0.1, 0.05])
    scores = np.array([u.relevance for u in units])
    whole = ck._section_points(units, scores, [0] * 8, 4, section_weight=0.0)
    assert [u.text[:10] for u in whole] == ["Sentence 0", "Sentence 1", "Sentence 2", "Sentence 3"]
    picker = ck.PointPicker(units, 4)
    sv.spread_over_parts(picker, scores, np.zeros(8), 2)
    assert [u.text[:10] for u in picker.points()] == ["Sentence 0", "Sentence 1", "Sentence 4", "Sentence 5"]


def test_a_section_cap_makes_room_for_another_section():
    # candidate K: the first section holds the three best sentences; with a cap of 2 the second section gives one
    sentences = [f"Sentence {k} of the brief states a point." for k in range(6)]
    units = _units(sentences, [[1.0 if j == k else 0.0 for j in range(6)] for k in range(6)],
                   [0.9, 0.8, 0.7, 0.3, 0.2, 0.1])
    scores = np.array([u.relevance for u in units])
    picker = ck.PointPicker(units, 3)
    sv.capped_sections(picker, scores, [1, 1, 1, 2, 2, 2], np.zeros(6), 2)
    assert [u.text[:10] for u in picker.points()] == ["Sentence 0", "Sentence 1", "Sentence 3"]


def test_a_leaning_opening_brings_its_predecessor_only_under_candidate_j():
    assert sv.leans_back("Contrary to this recommendation, the agency kept the rule.", "J1")
    assert not sv.leans_back("Contrary to this recommendation, the agency kept the rule.", "")
    assert not sv.leans_back("However, the agency kept the rule.", "J1")
    assert sv.leans_back("However, the agency kept the rule.", "J2")
    sentences = ["The board recommended a new rule.", "Other matters were discussed at length.",
                 "Contrary to this recommendation, the agency kept the rule."]
    units = _units(sentences, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0.5, 0.1, 0.9])
    scores = np.array([u.relevance for u in units])
    plain, leaning = ck.PointPicker(units, 2), sv.LeaningPicker(units, 2, "J1")
    for picker in (plain, leaning):
        picker.take(np.ones(3, dtype=bool), scores)
    assert [u.text[:8] for u in plain.points()] == ["Contrary"]
    assert [u.text[:8] for u in leaning.points()] == ["Other ma", "Contrary"]


def test_a_tables_note_paragraph_is_recognised():
    # a browser trial's summary of R47324 gave "Critical minerals as determined by the USGS are bolded." as a point
    text = ("China holds one contract.\n\nNotes: REEs = rare earth elements. Critical minerals as determined by the "
            "USGS are bolded.\n\nThe ISA regulates mining.")
    hit = Hit(Chunk(id="c", doc_id="d", source="d.pdf", start=0, end=len(text), text=text, title="Seabed"), 1.0)

    def unit(sentence: str) -> Candidate:
        return Candidate(hit, text.index(sentence), text.index(sentence) + len(sentence), 0.5, np.zeros(3))

    assert sv.no_note_paragraph(unit("Critical minerals as determined by the USGS are bolded.")) is None
    assert sv.no_note_paragraph(unit("The ISA regulates mining.")) is not None
    assert sv.in_note_paragraph(unit("Critical minerals as determined by the USGS are bolded."))
    assert not sv.in_note_paragraph(unit("China holds one contract."))
