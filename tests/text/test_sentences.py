"""The one sentence splitter: lines, Punkt with briefs' abbreviations, full stops of unspaced scripts."""

import pytest

from text.sentences import sentence_spans


def _pieces(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_spans_are_trimmed_sentences_and_lines():
    text = "  Heading line\nThe U.S. and Japan met. Mr. Abe spoke on Jan. 5.  Done!\n\n"
    assert _pieces(text) == ["Heading line", "The U.S. and Japan met.", "Mr. Abe spoke on Jan. 5.", "Done!"]


def test_empty_text_has_no_sentences():
    assert sentence_spans("") == [] and sentence_spans(" \n ") == []


@pytest.mark.parametrize("text, expected", [
    ("为了减轻负担，市政府调整政策。低收入家庭可以申请每月五吨的免费用水额度。超出部分收费！",
     ["为了减轻负担，市政府调整政策。", "低收入家庭可以申请每月五吨的免费用水额度。", "超出部分收费！"]),
    ("申請は市役所で受け付けます。「詳しくは窓口へ。」と市は述べた？はい",
     ["申請は市役所で受け付けます。", "「詳しくは窓口へ。」", "と市は述べた？", "はい"]),
    ("नीति लागू हुई। किसानों को लाभ मिला।", ["नीति लागू हुई।", "किसानों को लाभ मिला।"]),
    ("北京会谈。The U.S. envoy met officials. 日本也参加了。",
     ["北京会谈。", "The U.S. envoy met officials.", "日本也参加了。"]),
])
def test_full_stops_that_need_no_space_end_sentences(text, expected):
    assert _pieces(text) == expected


def test_a_range_of_the_text_gives_offsets_in_the_whole_text():
    text = "Skip this. 第一句。第二句。"
    begin = text.index("第")
    assert [text[s:e] for s, e in sentence_spans(text, begin)] == ["第一句。", "第二句。"]
