"""Expected answer types (classic QA answer-type checking) and whether a sentence holds one."""

import pytest

from answer.answer_type import answer_type, has_answer_type, names


@pytest.mark.parametrize("question, expected", [
    ("When did the USGS close the lab?", ("date", "")),
    ("On what date did the minister resign?", ("date", "date")),
    ("How many inspectors does the agency employ?", ("count", "")),
    ("How much did the agency request for inspections?", ("money", "")),
    ("How much more staff would the plan need?", ("quantity", "")),
    ("How much of the stock was sold?", ("quantity", "")),
    ("How long does an inspection take?", ("quantity", "")),
    ("Who chairs the committee?", ("person", "")),
    ("Which judge heard the case?", ("person", "judge")),
    ("Which agency runs the program?", ("name", "agency")),
    ("What is the unit cost of a single launcher?", ("money", "cost")),
    ("What fertility rate does the plan aim for?", ("percent", "rate")),
    ("What is the Pivotal State strategy's budget?", ("money", "budget")),
    ("In which three states were the cases found?", ("name", "states")),
    ("What did the minister say about the plan?", ("", "")),
    ("Why did the agency close the lab?", ("", "")),
])
def test_answer_types(question, expected):
    assert answer_type(question) == expected


def test_each_type_is_filled_only_by_its_kind_of_answer():
    assert has_answer_type("count", "The agency employs 1,200 inspectors.")
    assert not has_answer_type("count", "The agency hired inspectors in 2024.")  # a year is no count
    assert has_answer_type("money", "It requested $4.5 million.") and not has_answer_type("money", "It requested 45%.")
    assert has_answer_type("percent", "Costs rose 4.5%.") and not has_answer_type("percent", "Costs rose sharply.")
    assert has_answer_type("date", "It closed in March.") and not has_answer_type("date", "It closed quickly.")
    with pytest.raises(ValueError, match="'colour'"):
        has_answer_type("colour", "It is red.")


def test_names_leave_out_months_citations_and_the_questions_own_names():
    assert names("In March 2026, the court ruled.", "Which judge ruled?") == []
    assert names("See 21 U.S.C. §350l.") == []
    assert names("The Army runs it.", "Who runs the Army program?") == []
    assert names("The program is led by Jane Doe.", person=True) == ["Jane Doe"]
    assert names("The Geological Survey leads it.", person=True) == []  # an organisation, not a person


def test_who_asks_for_a_person_or_a_group_unless_a_persons_role_is_named():
    # a newcomer's trial (CRS LSB11421): "Who has sued ...?" wanted the plaintiffs, organisations
    assert answer_type("Who has sued over the God Squad exemption?") == ("agent", "")
    assert answer_type("Who is the Director of the U.S. Fish and Wildlife Service?") == ("person", "")
    assert answer_type("Who signed the memorandum on behalf of DOE?") == ("person", "")
    sued = ("On March 18, 2026, the Center for Biological Diversity (CBD) filed suit in the U.S. District Court for the "
            "District of Columbia, seeking to block the meeting from occurring.")
    assert has_answer_type("agent", sued, "Who has sued over the God Squad exemption?")
    # an organisation named by its acronym alone answers "who", not "which person"
    assert has_answer_type("agent", "Then CBD filed suit.", "Who has sued?")
    assert not has_answer_type("person", "Then CBD filed suit.", "Who has sued?")
    voted = "On March 31, 2026, the committee voted to grant an exemption for oil and gas leasing activity."
    assert not has_answer_type("agent", voted, "Who has sued over the God Squad exemption?")
    assert has_answer_type("agent", "In 2014, the National Federation of the Blind (NFB) sued Uber.", "Who sued Uber?")
    assert has_answer_type("agent", "The case was brought by Jane Roe.", "Who brought the case?")
