"""extract_metadata by rule, and user overrides from sidecar files and front matter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.debris import find_debris
from ingest.metadata import (
    apply_overrides,
    dateline_date,
    extract_metadata,
    find_date,
    find_license,
    is_sidecar,
    load_overrides,
    printed_date,
)
from settings import SAMPLE_BRIEFS
from vectorstore.types import DocumentMeta

BRIEF_000 = (SAMPLE_BRIEFS / "000_e8f8a75dd6e65921.txt").read_text(encoding="utf-8")
BRIEF_001 = (SAMPLE_BRIEFS / "001_e4801710110b8048.txt").read_text(encoding="utf-8")


def test_sample_001_title_date_series() -> None:
    meta = extract_metadata(BRIEF_001, format="txt", debris=find_debris(BRIEF_001))
    assert meta.title == "Uncertainty Among U.S. Allies in Northeast Asia"
    assert meta.date == "2017-05-08"
    assert meta.series == "Expert Brief"
    assert meta.license == ""
    assert meta.authors == ()


def test_sample_000_series_and_licence_and_no_date_from_body_text() -> None:
    meta = extract_metadata(BRIEF_000, format="txt", debris=find_debris(BRIEF_000))
    assert meta.title == "The North Korean and Chinese Threats Are Growing. But so Is the Trilateral Response."
    assert meta.series == "Asia Unbound and Asia Program"
    assert meta.license == "CC BY-NC-ND 4.0"
    assert meta.date == ""  # "May 2023 G7 Summit" in a caption is not a publication date


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("May 8, 2017 12:20 pm (EST)", "2017-05-08"),
        ("2017-05-08", "2017-05-08"),
        ("8 May 2017", "2017-05-08"),
        ("Published: Sept. 3, 2020", "2020-09-03"),
        ("Updated on 3rd March 2021, 9:15 AM", "2021-03-03"),
        ("On May 9, 2017, South Koreans will choose a new president.", ""),
        ("February 30, 2020", ""),
        ("Expert Brief", ""),
    ],
)
def test_dateline_dates(line: str, iso: str) -> None:
    assert dateline_date(line) == iso


@pytest.mark.parametrize(
    ("lines", "iso"),
    [
        (["A Title", "18 August 2022", "Body text of the brief."], "2022-08-18"),
        (["A Title", "August 18, 2022"], "2022-08-18"),
        (["A Title", "2022-08-18"], "2022-08-18"),
        (["A Title", "Updated March 3, 2025"], "2025-03-03"),
        (["A Manual", "for version 4.19.0, 18 August 2022", "Jane Doe"], "2022-08-18"),  # a short line
        (["This is version 0.21 of the specification, last updated 2 October 2018."], "2018-10-02"),
        # A line that is only a date wins over a date in a short line before it.
        (["Meeting of 1 May 2020 notes", "Published: June 2, 2021"], "2021-06-02"),
        # A date in a sentence without a publication word is an event's, not the brief's.
        (["The summit held on 4 June 2019 in Osaka agreed on three points of trade policy."], ""),
        (["From 1 May 2020 to 3 June 2021"], ""),  # two dates in a short line: neither is chosen
        (["No date here"], ""),
    ],
)
def test_printed_date(lines: list[str], iso: str) -> None:
    assert printed_date(lines) == iso


def test_printed_header_date_wins_over_document_properties_but_not_over_known() -> None:
    text = "A Title\n\nfor release 2.1, 18 August 2022\n\n" + "Body words of the brief go on. " * 20
    properties = DocumentMeta(date="2025-02-08")  # e.g. a DOCX created date, an HTML meta tag
    assert extract_metadata(text, format="docx", fallback=properties).date == "2022-08-18"
    assert extract_metadata("A Title\n\n" + "Body words. " * 40, format="docx", fallback=properties).date == "2025-02-08"
    assert extract_metadata(text, format="pdf", known=DocumentMeta(date="2022-08-19")).date == "2022-08-19"


def test_find_date_in_free_text() -> None:
    assert find_date("released on 14 July 2019 in Paris") == "2019-07-14"
    assert find_date("no date here") == ""


def test_bylines_and_author_lines() -> None:
    text = "A Title\n\nBy Jane Doe and John Roe\n\nMarch 4, 2021\n\nBody text.\n"
    meta = extract_metadata(text, format="txt")
    assert (meta.title, meta.authors, meta.date) == ("A Title", ("Jane Doe", "John Roe"), "2021-03-04")
    text = "A Title\n\n" + "Long body sentence goes here. " * 20 + "\n\nAuthor: Ann Poe, Bo Li & Cy Ng\n"
    assert extract_metadata(text, format="txt").authors == ("Ann Poe", "Bo Li", "Cy Ng")


def test_by_sentences_in_the_body_are_not_bylines() -> None:
    text = "A Title\n\n" + "Long body sentence goes here. " * 20 + "\n\nBy Monday the talks had failed.\n"
    assert extract_metadata(text, format="txt").authors == ()


def test_licence_sentence_kept_when_it_has_no_cc_code() -> None:
    text = "Title\n\nBody.\n\nThis brief is licensed under the Open Government Licence v3.0.\n"
    assert find_license(text) == "This brief is licensed under the Open Government Licence v3.0."
    assert find_license("Shared as CC BY 4.0 by the authors.") == "CC BY 4.0"
    assert find_license("No licence here.") == ""


def test_markdown_title_from_front_matter_then_first_heading() -> None:
    text = "---\ntitle: Risk: A Primer\ndate: 2020-01-02\nauthors: [Ann Poe, Bo Li]\n---\n# Heading Title\n\nBody.\n"
    meta = extract_metadata(text, format="md")
    assert (meta.title, meta.date, meta.authors) == ("Risk: A Primer", "2020-01-02", ("Ann Poe", "Bo Li"))
    meta = extract_metadata(text.replace("title: Risk: A Primer\n", ""), format="md")
    assert (meta.title, meta.date, meta.authors) == ("Heading Title", "2020-01-02", ("Ann Poe", "Bo Li"))
    assert extract_metadata("Intro line\n\n## Later Heading\n", format="md").title == "Later Heading"


def test_known_format_metadata_wins_over_text_rules() -> None:
    meta = extract_metadata("First Line\n\nMay 8, 2017\n", format="pdf", known=DocumentMeta(title="From PDF Info"))
    assert (meta.title, meta.date) == ("From PDF Info", "2017-05-08")


def test_overlong_first_line_is_not_a_title() -> None:
    assert extract_metadata("word " * 100, format="txt").title == ""


def test_is_sidecar() -> None:
    assert is_sidecar(Path("brief.txt.meta.json"))
    assert is_sidecar(Path("BRIEF.TXT.META.JSON"))
    assert not is_sidecar(Path("brief.txt"))
    assert not is_sidecar(Path("meta.json.txt"))


def test_sidecar_overrides_are_read_normalised_and_applied(tmp_path: Path) -> None:
    brief = tmp_path / "brief.txt"
    brief.write_text("Rule Title\n\nBody.\n", encoding="utf-8")
    (tmp_path / "brief.txt.meta.json").write_text(
        json.dumps({"title": "User Title", "date": "8 May 2017", "authors": "Jane Doe; John Roe",
                    "license": "CC BY 4.0", "series": "Expert Brief", "region": "Asia", "pages": 12}),
        encoding="utf-8",
    )
    overrides = load_overrides(brief)
    assert overrides == {
        "title": "User Title", "date": "2017-05-08", "authors": ("Jane Doe", "John Roe"),
        "license": "CC BY 4.0", "series": "Expert Brief", "extra": {"region": "Asia", "pages": "12"},
    }
    meta = apply_overrides(DocumentMeta(title="Rule Title", date="2001-01-01", extra=(("lang", "en"),)), overrides)
    assert meta == DocumentMeta(
        title="User Title", date="2017-05-08", series="Expert Brief", authors=("Jane Doe", "John Roe"),
        license="CC BY 4.0", extra=(("lang", "en"), ("region", "Asia"), ("pages", "12")),
    )


def test_no_sidecar_no_overrides(tmp_path: Path) -> None:
    brief = tmp_path / "brief.txt"
    brief.write_text("Title\n", encoding="utf-8")
    assert load_overrides(brief) == {}
    assert apply_overrides(DocumentMeta(title="T"), {}) == DocumentMeta(title="T")


def test_sidecar_wins_over_front_matter(tmp_path: Path) -> None:
    brief = tmp_path / "brief.md"
    brief.write_text("---\ntitle: Front Title\nseries: Front Series\ntopic: water\n---\n# H\n", encoding="utf-8")
    (tmp_path / "brief.md.meta.json").write_text('{"title": "Sidecar Title", "extra": {"topic": "dams"}}')
    assert load_overrides(brief) == {"title": "Sidecar Title", "series": "Front Series", "extra": {"topic": "dams"}}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"title": "x",}', "not valid JSON: .* line 1 column"),
        ('["a", "b"]', "must hold a JSON object, not a list"),
        ('{"date": "sometime soon"}', "field 'date' is not a date: 'sometime soon'"),
        ('{"authors": 42}', "field 'authors' must be text or a list of names"),
        ('{"title": {"nested": 1}}', "field 'title' must be text"),
        ('{"extra": [1]}', "field 'extra' must be an object"),
    ],
)
def test_malformed_sidecar_names_the_file_and_the_problem(tmp_path: Path, content: str, problem: str) -> None:
    brief = tmp_path / "brief.txt"
    brief.write_text("Title\n", encoding="utf-8")
    (tmp_path / "brief.txt.meta.json").write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=rf"brief\.txt\.meta\.json: .*{problem}"):
        load_overrides(brief)


def test_malformed_front_matter_names_the_file(tmp_path: Path) -> None:
    brief = tmp_path / "brief.md"
    brief.write_text("---\ntitle: [unclosed\n  - x: y\n---\nBody\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"brief\.md.*front matter is not valid YAML: .* at line 3"):
        load_overrides(brief)


def test_front_matter_with_colons_in_values_is_read_as_key_value_lines(tmp_path: Path) -> None:
    brief = tmp_path / "brief.md"
    text = "---\ntitle: Risk: A Primer\ndate: 2020-01-02\n---\nBody\n"
    brief.write_text(text, encoding="utf-8")
    assert load_overrides(brief, text=text) == {"title": "Risk: A Primer", "date": "2020-01-02"}


def test_header_of_text_without_blank_lines_is_its_first_lines() -> None:
    body = "".join(f"Body line {n} of a PDF page without blank lines between paragraphs.\n" for n in range(40))
    text = "Sanctions Title\nMay 8, 2017\nBy Ann Poe\n" + body + "By the end of the year nothing changed\n4 June 2018\n"
    meta = extract_metadata(text, format="pdf")
    assert (meta.title, meta.date, meta.authors) == ("Sanctions Title", "2017-05-08", ("Ann Poe",))
    kinds = [(s.kind, text[s.start : s.end]) for s in find_debris(text)]
    assert kinds == [("dateline", "May 8, 2017"), ("byline", "By Ann Poe")]
