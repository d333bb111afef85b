"""Answers over text a matcher mistakes for other text: scripts without spaces, ligatures, invisible
characters (issue 16, items 2 and 6). Real bundled model, real Chroma, the default settings."""

from __future__ import annotations

import pytest

from answer.assistant import Assistant
from retrieval.hybrid import HybridRetriever
from settings import Settings
from tests.conftest import index_documents, make_document
from vectorstore.types import DocumentMeta

pytestmark = pytest.mark.slow

WATER_ZH = (
    "城市供水补贴政策简报\n\n"
    "为了减轻困难家庭的负担，市政府从二〇二四年起调整供水补贴政策。"
    "低收入家庭可以申请每月五吨的免费用水额度。"
    "超出部分按照普通居民阶梯水价收费。"
    "申请人需要向所在街道办事处提交收入证明和户口簿。"
)
TRANSIT_ZH = (
    "公共交通票价改革简报\n\n"
    "市交通委员会计划在明年推出新的公交月票。"
    "学生和老年人可以享受半价优惠。"
    "地铁票价将根据乘车距离计算，起步价为三元。"
)
EN_HOUSING = (
    "Housing Repair Grants\n\n"
    "The city offers grants to owners of older homes for urgent repairs. "
    "Owners with low incomes may receive up to 8,000 dollars for roofs and heating systems."
)
EN_FLOOD = (
    "Flood Insurance Brief\n\n"
    "Coastal towns face rising premiums as storms grow more frequent. "
    "The national ﬂood insurance scheme is ﬁnanced by a levy of two percent on every home insurance policy. "
    "Re\u00adinsurance covers losses above\u00a0one billion dollars, and the zero\u200bwidth rule applies to claims."
)
JA_CHILDCARE = (
    "保育支援の概要\n\n"
    "市は来年度から保育料の負担を軽減します。"
    "三歳未満の子どもがいる世帯は、月額二万円の保育手当を受け取ることができます。"
    "申請は市役所の窓口で受け付けます。"
)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, embedder):
    from vectorstore.store import open_store

    store = open_store(path=str(tmp_path_factory.mktemp("scripts-store")), model=embedder.name,
                       dimension=embedder.dimension)
    docs = [make_document(text, source=name, meta=DocumentMeta(title=text.split("\n")[0]))
            for name, text in (("water-zh.txt", WATER_ZH), ("transit-zh.txt", TRANSIT_ZH),
                               ("housing.txt", EN_HOUSING), ("flood.txt", EN_FLOOD), ("childcare-ja.txt", JA_CHILDCARE))]
    index_documents(store, embedder, docs)
    settings = Settings()
    texts = {d.source: d.text for d in docs}
    return Assistant(HybridRetriever.over(store=store, embedder=embedder, settings=settings.retrieval), embedder,
                     settings.answer), texts


def _check_quotes(answer, texts):
    for c in answer.citations:
        assert texts[c.source][c.start:c.end] == c.quote


@pytest.mark.parametrize("question, source, expected", [
    ("低收入家庭可以申请多少免费用水？", "water-zh.txt", "低收入家庭可以申请每月五吨的免费用水额度。"),  # the input
    ("学生可以享受什么优惠？", "transit-zh.txt", "学生和老年人可以享受半价优惠。"),
    ("地铁的起步价是多少？", "transit-zh.txt", "地铁票价将根据乘车距离计算，起步价为三元。"),
    ("三歳未満の子どもがいる世帯はいくらの保育手当を受け取れますか？", "childcare-ja.txt",
     "三歳未満の子どもがいる世帯は、月額二万円の保育手当を受け取ることができます。"),
])
def test_unspaced_scripts_are_answered_with_the_right_sentence(assistant, question, source, expected):
    bot, texts = assistant
    answer = bot.ask(question)
    assert not answer.refused, answer.evidence
    assert answer.citations[0].source == source
    assert answer.citations[0].quote == expected
    _check_quotes(answer, texts)


@pytest.mark.parametrize("question, expected", [
    ("How is flood insurance financed?", "ﬁnanced by a levy of two percent"),  # the input
    ("What does reinsurance cover?", "Re\u00adinsurance covers losses"),
    ("Which rule applies to claims?", "zero\u200bwidth rule applies"),
])
def test_compatibility_forms_and_invisible_characters_match_typed_words(assistant, question, expected):
    bot, texts = assistant
    answer = bot.ask(question)
    assert not answer.refused, answer.evidence
    assert answer.citations[0].source == "flood.txt"
    assert expected in answer.citations[0].quote  # quoted as stored, ligatures and all
    _check_quotes(answer, texts)


def test_english_questions_still_answered_beside_other_scripts(assistant):
    bot, _ = assistant
    answer = bot.ask("How much can low-income owners receive for repairs?")
    assert not answer.refused and "8,000 dollars" in answer.text
