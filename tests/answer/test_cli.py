import json

import pytest

from answer.compose import UNCLEAR
from answer.__main__ import main
from tests.conftest import index_documents, sample_documents
from vectorstore.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture
def store_dir(tmp_path, embedder):
    path = tmp_path / "store"
    store = open_store(path=str(path), model=embedder.name, dimension=embedder.dimension)
    index_documents(store, embedder, sample_documents())
    return path


def test_prints_the_answer_and_its_citations(store_dir, capsys):
    assert main(["How many missiles has Kim launched since he came to power?", "--store", str(store_dir)]) == 0
    out = capsys.readouterr().out
    assert "seventy-four missiles" in out and "[1]" in out and "Citations:" in out


def test_json_output_carries_exact_citations(store_dir, capsys):
    assert main(["Who is Elbridge Colby?", "--store", str(store_dir), "--k", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert not data["refused"] and len(data["retrieved"]) == 3
    store = open_store(path=str(store_dir), model="all-MiniLM-L6-v2", dimension=384)
    for c in data["citations"]:
        assert store.document_text(c["doc_id"])[c["start"]:c["end"]] == c["quote"]


def test_filters_from_the_command_line(store_dir, capsys):
    assert main(["How did China punish Lotte?", "--store", str(store_dir), "--since", "2017-01-01",
                 "--until", "2017-12-31", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {h["source"] for h in data["retrieved"]} == {"001_e4801710110b8048.txt"}


def test_refusal_lists_the_closest_passages(store_dir, capsys):
    assert main(["Who won the 2022 FIFA World Cup?", "--store", str(store_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(("The briefs do not cover this question.", UNCLEAR)) and "Closest passages:" in out


def test_errors_are_one_line_on_stderr(tmp_path, capsys):
    assert main(["Anything?", "--store", str(tmp_path / "empty")]) == 2
    assert capsys.readouterr().err.startswith("error: the store at")
    assert main(["Anything?", "--store", str(tmp_path / "empty"), "--since", "May 2017"]) == 2
    assert "must be an ISO date" in capsys.readouterr().err


def test_overview_of_a_brief(store_dir, capsys):
    assert main(["--overview", "001_e4801710110b8048.txt", "--store", str(store_dir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "summary" and not data["refused"] and len(data["citations"]) >= 4
    assert {c["source"] for c in data["citations"]} == {"001_e4801710110b8048.txt"}
    assert data["briefs_read"][0]["title"] == "Uncertainty Among U.S. Allies in Northeast Asia"


def test_overview_of_an_unknown_brief_is_a_usage_error(store_dir, capsys):
    assert main(["--overview", "nope.txt", "--store", str(store_dir)]) == 2
    assert "nope.txt" in capsys.readouterr().err


def test_a_summary_says_which_brief_it_read(store_dir, capsys):
    assert main(["Summarize the 2017 brief", "--store", str(store_dir)]) == 0
    out = capsys.readouterr().out
    assert "Reading: Uncertainty Among U.S. Allies in Northeast Asia (2017-05-08)" in out


def test_a_comparison_prints_its_sections_without_markup(store_dir, capsys):
    question = "Compare what the 2017 brief and the trilateral response brief say about Japan."
    assert main([question, "--store", str(store_dir)]) == 0
    out = capsys.readouterr().out
    assert "**" not in out and "\nSide by side\n" in out
    assert out.startswith("Uncertainty Among U.S. Allies in Northeast Asia (2017-05-08)\n") and "\n- " in out
    assert main([question, "--store", str(store_dir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "**" not in data["answer"] and "**" not in json.dumps(data["blocks"])
    headings = [b["text"] for b in data["blocks"] if b["kind"] == "heading"]
    assert headings[0] == "Uncertainty Among U.S. Allies in Northeast Asia (2017-05-08)"
    assert headings[-1] == "Side by side" and len(headings) == 3
    assert any(b["kind"] == "item" and b["level"] == 1 for b in data["blocks"])
