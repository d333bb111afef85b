"""Suggested questions are drawn from the briefs' own recurring names."""

from __future__ import annotations

from ui.start_page import recurring_names, suggest_questions

BRIEF_A = ("Allies in Asia", "Officials said that Elbridge Colby spoke. Later, Elbridge Colby wrote again. "
                             "Analysts in South Korea agree, and South Korea’s leaders too. Once, the Arctic Council met.")
BRIEF_B = ("Energy", "Grid operators said the Estlink Cables failed, so the Estlink Cables were fixed; "
                     "they met the Prime Minister twice and the Prime Minister again.")


def test_recurring_names_count_mid_sentence_names_seen_twice_without_possessives():
    names = dict(recurring_names(BRIEF_A[1]))
    assert names == {"Elbridge Colby": 2, "South Korea": 2}  # "Arctic Council" appears once


def test_names_in_the_title_and_generic_titles_are_left_out():
    assert recurring_names("so the Estlink Cables broke and the Estlink Cables", exclude="The Estlink Cables") == []
    assert "Prime Minister" not in dict(recurring_names(BRIEF_B[1]))


def test_each_brief_contributes_before_any_contributes_twice():
    assert suggest_questions([BRIEF_A, BRIEF_B], limit=3) == [
        "What do the briefs say about Elbridge Colby?", "What do the briefs say about Estlink Cables?",
        "What do the briefs say about South Korea?"]
    assert suggest_questions([("t", "no names here at all")]) == []


def test_variants_of_one_name_are_suggested_once():
    text = "so North Korea met and North Korea left; then North Korean troops and North Korean ships came"
    assert suggest_questions([("t", text)]) == ["What do the briefs say about North Korea?"]
