"""Text without spaces longer than a passage, and data that is not text (issue 16, item 1).

Real syncer, real bundled model (its own tokenizer decides the budget), real Chroma."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from ingest.__main__ import main as ingest_main
from ingest.debris import embedded_data
from ingest.splitter import split_document
from ingest.sync import Syncer
from tests.fixtures import real_embedder, store  # noqa: F401  (fixtures)
from vectorstore.types import Document

# 278 characters of Chinese with no full stop before the end: one "word" of about 280 tokens.
CHINESE_PARAGRAPH = (
    "为了减轻困难家庭的负担市政府从二〇二四年起调整供水补贴政策低收入家庭可以申请每月五吨的免费用水额度超出部分按照普通居民阶梯水价收费"
    "申请人需要向所在街道办事处提交收入证明和户口簿街道办事处在十个工作日内完成审核审核通过后补贴自动计入水费账户"
    "对于独居老人和残疾人家庭补贴额度可以提高到每月八吨市水务局每年公布补贴发放情况并接受社会监督"
    "各区应当建立困难家庭用水档案定期核对家庭收入变化情况对不再符合条件的家庭及时停止发放补贴"
    "对于弄虚作假骗取补贴的行为将依法追回已发放的补贴并记入个人信用档案"
    "市政府鼓励居民节约用水并对节水家庭给予表彰三十六字补足并公开表扬和奖励。"
)
assert len(CHINESE_PARAGRAPH) == 278
PNG = base64.b64encode(hashlib.sha256(b"chart").digest() * 28).decode()  # ~1,200 characters
MARKDOWN = (
    "# Road Maintenance Brief\n\n"
    "The council resurfaced forty kilometres of road in 2024.\n\n"
    f"![Chart](data:image/png;base64,{PNG})\n\n"
    "Most repairs were on the northern ring road.\n"
)
pytestmark = pytest.mark.slow


def _doc(text: str) -> Document:
    return Document(source="t.txt", text=text, content_hash=hashlib.sha256(text.encode()).hexdigest(), format="txt")


@pytest.mark.parametrize("text", [
    CHINESE_PARAGRAPH,  # the input
    "Path: " + "/".join(f"segment{i}" for i in range(300)) + " ends here.",  # a long run in a Latin-script text
    "東京都の" * 150,  # Japanese with no punctuation at all
    "中文、English，日本語。" * 40,  # scripts mixed, clause marks and full stops packed without spaces
])
def test_runs_without_spaces_are_cut_by_tokens_into_passages_that_fit(real_embedder, text):
    chunks = split_document(_doc(text), count_tokens=real_embedder.count_tokens, max_tokens=real_embedder.max_tokens)
    assert len(chunks) >= 2
    assert max(real_embedder.count_tokens([c.text for c in chunks])) <= real_embedder.max_tokens
    assert "".join(c.text for c in chunks).replace(" ", "") == text.replace(" ", "")  # nothing lost


def test_a_cut_prefers_a_clause_mark(real_embedder):
    text = "，".join(["低收入家庭可以申请每月五吨的免费用水额度"] * 30)
    chunks = split_document(_doc(text), count_tokens=real_embedder.count_tokens, max_tokens=real_embedder.max_tokens)
    assert all(c.text.endswith("，") for c in chunks[:-1])


@pytest.mark.parametrize("text, kinds", [
    (MARKDOWN, ["data_uri"]),  # the input
    ('<img src="data:image/svg+xml;base64,' + "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=" * 3 + '">', ["data_uri"]),
    ("Appendix\n\n" + PNG + "\n", ["base64"]),
    ("A short data:text/plain,hi is text. https://example.org/a/b/c is a link.", []),
])
def test_embedded_data_is_debris(text, kinds):
    assert [s.kind for s in embedded_data(text)] == kinds


def test_both_briefs_are_stored_and_the_cli_prints_no_traceback(tmp_path, capfd):
    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "water-zh.txt").write_text(CHINESE_PARAGRAPH + "\n", encoding="utf-8")
    (folder / "roads.md").write_text(MARKDOWN, encoding="utf-8")
    code = ingest_main([str(folder), "--store", str(tmp_path / "store"), "--json"])
    out, err = capfd.readouterr()
    summary = json.loads(out)
    assert (code, summary["added"], summary["failed"]) == (0, 2, [])
    assert "Traceback" not in err


def test_stored_markdown_passages_leave_the_data_uri_out(tmp_path, store, real_embedder):
    path = tmp_path / "roads.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    report = Syncer(store, real_embedder).sync([path])
    assert report.failed == [] and report.added == 1
    texts = [c.text for c in store.iter_chunks()]
    assert any("northern ring road" in t for t in texts)
    assert not any("base64" in t or PNG[:40] in t for t in texts)
