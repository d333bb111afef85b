"""find_debris and find_sections on the two real sample briefs and on small synthetic texts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.debris import find_debris, find_sections
from settings import SAMPLE_BRIEFS
from vectorstore.types import Span

SAMPLES = sorted(SAMPLE_BRIEFS.glob("*.txt"))
BRIEF_000 = SAMPLE_BRIEFS / "000_e8f8a75dd6e65921.txt"
BRIEF_001 = SAMPLE_BRIEFS / "001_e4801710110b8048.txt"


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def _kind_at(spans: list[Span], start: int, end: int) -> str | None:
    """The kind of the debris span covering ``[start, end)`` whole, or None."""
    return next((s.kind for s in spans if s.start <= start and end <= s.end), None)


def _touches(spans: list[Span], start: int, end: int) -> bool:
    return any(s.start < end and start < s.end for s in spans)


def _occurrences(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _assert_well_formed(text: str, spans: list[Span]) -> None:
    for span in spans:
        assert 0 <= span.start < span.end <= len(text), span
        assert span.kind, span
    for before, after in zip(spans, spans[1:]):
        assert before.end <= after.start, (before, after)


def test_samples_exist() -> None:
    assert [p.name for p in SAMPLES] == [BRIEF_000.name, BRIEF_001.name]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_spans_lie_in_the_text_sorted_and_disjoint(path: Path) -> None:
    text = _read(path)
    spans = find_debris(text)
    assert spans
    _assert_well_formed(text, spans)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_body_paragraphs_are_never_debris(path: Path) -> None:
    text = _read(path)
    spans = [s for s in find_debris(text) if s.kind != "top_stories"]
    body = [line for line in text.splitlines() if len(line.split()) >= 40]
    assert len(body) >= 8
    for line in body:
        start = text.find(line)
        assert not _touches(spans, start, start + len(line)), line[:60]


def test_pull_quote_before_its_body_copy_standalone_is_debris_body_is_not() -> None:
    text = _read(BRIEF_001)
    spans = find_debris(text)
    quote = "It is war on the Korean peninsula that has always been seen as the gravest threat to peace in the region."
    standalone, body = _occurrences(text, quote)
    assert text[standalone - 2 : standalone] == "\n\n" and text[standalone + len(quote)] == "\n"
    assert _kind_at(spans, standalone, standalone + len(quote)) == "pull_quote"
    assert not _touches(spans, body, body + len(quote))


@pytest.mark.parametrize(
    "quote",
    [
        "A Korean War today would be far more lethal than it was in the 1950s.",  # after its body copy
        "Tolerance for Pyongyang’s behavior is wearing thin in Northeast Asia",  # a cut-down sentence
    ],
)
def test_pull_quotes_after_the_body_copy_or_shortened_are_debris(quote: str) -> None:
    text = _read(BRIEF_001)
    spans = find_debris(text)
    body, standalone = _occurrences(text, quote)
    assert _kind_at(spans, standalone, standalone + len(quote)) == "pull_quote"
    assert not _touches(spans, body, body + len(quote))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_more_on_blocks_and_their_topics_are_debris(path: Path) -> None:
    text = _read(path)
    spans = find_debris(text)
    starts = _occurrences(text, "More on:")
    assert len(starts) == 2
    for start in starts:
        block = next(s for s in spans if s.start == start)
        assert block.kind == "more_on"
        topics = [t for t in text[block.start : block.end].split("\n") if t][1:]
        assert 4 <= len(topics) <= 5 and "North Korea" in topics
        after = text[block.end :].lstrip("\n")
        assert len(after.split("\n")[0].split()) > 40  # the body paragraph after the list is text


def test_more_from_our_experts_lines_are_debris() -> None:
    text = _read(BRIEF_001)
    spans = find_debris(text)
    starts = _occurrences(text, "More From Our Experts")
    assert len(starts) == 2
    assert {_kind_at(spans, s, s + len("More From Our Experts")) for s in starts} == {"more_from_experts"}


@pytest.mark.parametrize(
    ("path", "caption", "credit"),
    [
        (BRIEF_000, "at the May 2023 G7 Summit in Hiroshima, Japan.", " Official White House Photo by Cameron Smith"),
        (BRIEF_001, "Kim Il-sung, Pyongyang, April 15, 2017.", " (Damir Sagolj/Reuters)"),
    ],
)
def test_photo_caption_repeated_with_its_credit_keeps_the_credited_copy(path: Path, caption: str, credit: str) -> None:
    """A web page prints a photo's caption, then the caption again with its credit: the bare copy is
    debris, the credited copy stays, where its credit marks it as a caption to every reader of one
    passage (issue 12: captions are never claims; ``text.captions.is_photo_caption``)."""
    from text.captions import is_photo_caption

    text = _read(path)
    spans = find_debris(text)
    first, second = _occurrences(text, caption)
    first_line = text.rfind("\n", 0, first) + 1
    assert _kind_at(spans, first_line, first + len(caption)) == "caption_repeat"
    assert text[second + len(caption) :].startswith(credit + "\n")
    second_line = text.rfind("\n", 0, second) + 1
    assert not _touches(spans, second_line, second + len(caption) + len(credit))
    assert is_photo_caption(text[second_line : second + len(caption) + len(credit)])


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_title_repeat_second_copy_only(path: Path) -> None:
    text = _read(path)
    spans = find_debris(text)
    title = text.split("\n", 1)[0]
    first, second = _occurrences(text, title + "\n")[:2]
    assert first == 0 and not _touches(spans, 0, len(title))
    assert _kind_at(spans, second, second + len(title)) == "title_repeat"


def test_licence_footer_is_debris() -> None:
    text = _read(BRIEF_000)
    spans = find_debris(text)
    start = text.index("Creative Commons\nCreative Commons: Some rights reserved.")
    assert _kind_at(spans, start, len(text)) == "license"  # up to "View License Detail", the last line
    assert text.endswith("View License Detail")


def test_top_stories_and_everything_after_is_debris() -> None:
    text = _read(BRIEF_001)
    spans = find_debris(text)
    start = text.index("Top Stories on CFR")
    assert spans[-1] == Span(start, len(text), "top_stories")


def test_series_label_and_tagline_dateline_and_from_line_are_debris() -> None:
    text = _read(BRIEF_001)
    spans = find_debris(text)
    label = text.index("Expert Brief\nCFR scholars provide")
    tagline_end = text.index("international issues.") + len("international issues.")
    assert _kind_at(spans, label, tagline_end) == "series"
    date = text.index("May 8, 2017 12:20 pm (EST)")
    assert _kind_at(spans, date, date + 26) == "dateline"
    dek = text.index("As tensions in Northeast Asia grow")
    assert not _touches(spans, dek, dek + 50)
    text0 = _read(BRIEF_000)
    start = text0.index("from Asia Unbound and Asia Program")
    assert _kind_at(find_debris(text0), start, start + 34) == "series"


SYNTHETIC = """Water Security in the Sahel

By Ann Poe

Rainfall across the Sahel has grown more erratic over the last three decades, and the region's farmers have paid for it. Harvests fail in one year and flood in the next, while wells dug in the 1980s now run dry by March. Governments have responded with irrigation schemes, but most of them were designed for a climate that no longer exists, and few survive the first drought.

Donors should fund small dams rather than large ones.

More on:

Africa

Climate Change

Food Security

A flood-damaged road near Niamey, Niger, in September 2020.
A flood-damaged road near Niamey, Niger, in September 2020. Photo: Jane Roe/AP

What Donors Can Do

Experience from Mali and Burkina Faso suggests a different path. Donors should fund small dams rather than large ones, because small dams are cheaper to maintain, easier for villages to run, and less likely to silt up within a decade. They should also pay for weather stations, which cost little and tell farmers when to plant.

Related Articles

Drought and Migration in Niger

Why the Lake Chad Basin Is Shrinking
"""


def test_rules_are_general_patterns_not_sample_sentences() -> None:
    spans = find_debris(SYNTHETIC)
    _assert_well_formed(SYNTHETIC, spans)
    kinds = {SYNTHETIC[s.start : s.end].split("\n")[0]: s.kind for s in spans}
    assert kinds == {
        "By Ann Poe": "byline",
        "Donors should fund small dams rather than large ones.": "pull_quote",
        "More on:": "more_on",
        "A flood-damaged road near Niamey, Niger, in September 2020.": "caption_repeat",
        "Related Articles": "related",
    }
    more_on = next(s for s in spans if s.kind == "more_on")
    assert SYNTHETIC[more_on.start : more_on.end].endswith("Food Security")
    assert spans[-1].end == len(SYNTHETIC)


def test_standalone_sentence_without_a_body_copy_is_kept() -> None:
    text = SYNTHETIC.replace("Donors should fund small dams rather than large ones, because", "Small dams win, because")
    assert all(s.kind != "pull_quote" for s in find_debris(text))


def test_a_sentence_opening_its_section_with_the_headings_words_is_no_caption_copy() -> None:
    # CRS IF12495: "Potential Oversight Considerations for Congress" then "Potential oversight considerations for
    # Congress could include the following:" had been marked a caption's copy, and no passage held the sentence
    text = ("Body sentence before the heading here.\n\nPotential Oversight Considerations for Congress\n\n"
            "Potential oversight considerations for Congress could include the following:\n\n"
            "• Will the Guard receive the new tanks?\n")
    assert find_debris(text) == []
    caption = "A flood-damaged road near Niamey, Niger, in September 2020"
    assert [s.kind for s in find_debris(f"Body text here.\n\n{caption}\n\n{caption} (Photo: Jane Roe)\n")] \
        == ["caption_repeat"]


def test_related_list_early_in_the_text_does_not_swallow_the_brief() -> None:
    text = "Title Line Here\n\nRelated Articles\n\n" + ("Body sentence with several words in it. " * 40) + "\n"
    assert all(s.kind not in {"related", "top_stories"} for s in find_debris(text))


def test_markdown_front_matter_is_debris() -> None:
    text = "---\ntitle: A Brief\ndate: 2020-01-02\n---\n# A Brief\n\nBody text here.\n"
    spans = find_debris(text)
    assert spans[0] == Span(0, text.index("# A Brief"), "front_matter")


def test_sections_of_sample_001_are_its_four_headings_at_their_offsets() -> None:
    text = _read(BRIEF_001)
    sections = find_sections(text)
    assert [s.title for s in sections] == [
        "Incentive Diplomacy Loses Its Appeal",
        "High Costs of Conflict",
        "Developing U.S. Policy Under Trump",
        "Consensus Building to Thwart Pyongyang",
    ]
    for section in sections:
        assert text[section.start : section.start + len(section.title)] == section.title


def test_more_on_topics_and_footer_words_are_never_sections() -> None:
    assert find_sections(_read(BRIEF_000)) == []


def test_synthetic_plain_text_sections() -> None:
    assert [s.title for s in find_sections(SYNTHETIC)] == ["What Donors Can Do"]


def test_markdown_sections_skip_code_fences_and_front_matter() -> None:
    text = (
        "---\ntitle: T\n---\n# Main Title\n\nIntro.\n\n## Part One ##\n\nText.\n\n```\n# not a heading\n```\n\n"
        "Setext Part\n-----------\n\nMore.\n"
    )
    sections = find_sections(text, markdown=True)
    assert [s.title for s in sections] == ["Main Title", "Part One", "Setext Part"]
    assert [text[s.start : s.start + 2] for s in sections] == ["# ", "##", "Se"]


_LINES = st.sampled_from(
    ["", "", "More on:", "Japan", "North Korea", "More From Our Experts", "Top Stories on CFR", "Close",
     "Creative Commons", "This work is licensed under CC BY 4.0.", "Expert Brief", "May 8, 2017",
     "A short sentence that might be quoted here.", "Heading Without Stop", "# Hash heading", "---",
     "A long paragraph that repeats. A short sentence that might be quoted here. And more words follow it."]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=40), st.sampled_from(["\n", "\r\n"]))
def test_any_text_gives_well_formed_spans_and_sections(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    spans = find_debris(text)
    _assert_well_formed(text, spans)
    for markdown in (False, True):
        for section in find_sections(text, markdown=markdown, debris=spans):
            assert 0 <= section.start < len(text) and section.title
            assert not any(s.start <= section.start < s.end for s in spans)


def test_pull_quote_with_an_abbreviation_inside() -> None:
    body = (
        "Allies weigh every word from Washington. The U.S. president will have a far worse hand to play if "
        "Pyongyang reaches that threshold, and fewer partners willing to help. Few doubt it."
    )
    text = f"Title Line\n\n{body}\n\nThe U.S. president will have a far worse hand to play.\n\nClosing words here.\n"
    quote = text.index("The U.S. president will have a far worse hand to play.\n")
    assert [(s.start, s.kind) for s in find_debris(text)] == [(quote, "pull_quote")]
