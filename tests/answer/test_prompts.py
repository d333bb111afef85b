import pytest

from prompts import load_prompt, refusal_sentence


def test_refusal_sentinel_is_one_plain_sentence():
    assert refusal_sentence() == "The briefs do not cover this question."


@pytest.mark.parametrize("name, fields", [
    ("answer_system", {"refusal"}), ("answer_user", {"passages", "question"}),
    ("passage", {"number", "source", "title", "text"}), ("condense", {"history", "question"}),
    ("faithfulness", {"passages", "sentences"}),
])
def test_templates_have_their_named_placeholders(name, fields):
    import string

    found = {f for _, f, _, _ in string.Formatter().parse(load_prompt(name)) if f}
    assert found == fields


def test_unknown_or_unsafe_names_are_refused():
    with pytest.raises(FileNotFoundError, match="no prompt named 'nope'"):
        load_prompt("nope")
    with pytest.raises(ValueError, match="must be letters"):
        load_prompt("../settings")


def test_a_template_out_of_step_with_its_placeholders_fails_when_it_loads():
    assert "{text}" in load_prompt("passage", "number", "source", "title", "text")
    with pytest.raises(ValueError, match=r"passage\.txt must have the placeholders \['number', 'text'\]: "
                                         r"missing \[\], unexpected \['source', 'title'\]"):
        load_prompt("passage", "number", "text")
    with pytest.raises(ValueError, match=r"missing \['history'\]"):
        load_prompt("answer_user", "passages", "question", "history")
