"""Folding for matching and the rules of scripts written without spaces."""

import pytest

from text.scripts import fold, is_unspaced, unspaced_bigrams, word_count


@pytest.mark.parametrize("stored, typed", [
    ("ﬂood insurance is ﬁnanced", "flood insurance is financed"),  # ligatures
    ("Re\u00adinsurance", "Reinsurance"),  # soft hyphen
    ("zero\u200bwidth and join\u200der\u2060s", "zerowidth and joiners"),  # zero-width space, joiner, word joiner
    ("one\u00a0billion", "one billion"),  # no-break space
    ("cafe\u0301", "café"),  # a combining accent
    ("ＡＢＣ １２３", "ABC 123"),  # full-width forms
    ("\ufeffThe brief", "The brief"),  # a stray byte-order mark
])
def test_fold_makes_stored_forms_equal_typed_ones(stored, typed):
    assert fold(stored) == fold(typed) == typed.replace("é", "é")


def test_bigrams_of_unspaced_runs_leave_other_text_alone():
    assert unspaced_bigrams("AI免费用水 policy 水").split() == ["AI", "免费", "费用", "用水", "policy", "水"]


def test_word_counts_do_not_count_spaces_in_unspaced_scripts():
    assert word_count("The council met on Monday.") == 5
    assert word_count("低收入家庭可以申请") == 5
    assert is_unspaced("低收入家庭可以申请 AI") and not is_unspaced("The council met")
