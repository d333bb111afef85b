"""The figures ``bench.recommendation_quality`` prints for one recommendations answer."""

from bench.recommendation_quality import score


def test_a_recommendation_answer_is_scored_by_its_bullets_against_the_marked_sentences():
    record = {
        "type": "recommendations", "split": "dev",
        "answer": ("The brief makes no recommendation of its own.\nOptions the brief sets out for Congress:\n"
                   "- The fund paid for twelve ports [1].\n- Congress might examine the formula [2].\n"
                   "- Members could tie grants to plans [3]."),
        "references": [{"source": "a.pdf", "start": 100, "end": 130, "text": "Congress might examine"},
                       {"source": "a.pdf", "start": 300, "end": 340, "text": "never cited"}],
        "citations": [
            {"marker": "1", "source": "a.pdf", "start": 0, "end": 30, "quote": "The fund paid for twelve ports."},
            {"marker": "2", "source": "a.pdf", "start": 95, "end": 140, "quote": "Congress might examine the formula."},
            {"marker": "3", "source": "b.pdf", "start": 300, "end": 340, "quote": "Members could tie grants to plans."}],
    }
    figures = score(record)
    assert (figures["references"], figures["covered"], figures["bullets"]) == (2, 1, 3)
    assert figures["first"] == 2 and not figures["leads"]
    assert figures["precise"] == 1  # the third cites the right offsets of another brief
    assert figures["prescriptive"] == 2


def test_a_requirement_shown_as_the_authors_recommendation_is_counted():
    record = {
        "type": "recommendations", "split": "heldout",
        "answer": ("The author recommends:\n- FDA must submit an annual report to Congress under FSMA [1].\n"
                   "What the law requires, as the brief describes it:\n- Grantees must be nonfederal entities [2]."),
        "requirements": [{"source": "a.pdf", "text": "FDA must submit an annual report to Congress under FSMA."},
                         {"source": "a.pdf", "text": "Grantees must be nonfederal entities."}],
        "citations": [
            {"marker": "1", "source": "a.pdf", "start": 0, "end": 60,
             "quote": "FDA must submit an annual report to Congress under FSMA."},
            {"marker": "2", "source": "a.pdf", "start": 80, "end": 120, "quote": "Grantees must be nonfederal entities."}],
    }
    figures = score(record)
    assert (figures["requirements"], figures["misread"]) == (2, 1)  # only the one under the author's heading
