"""Brief and model text render inert: no HTML, no fetched images, no LaTeX, no markup at all."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from ui.export import md_inert
from ui.render import Mark, Window, context_window, marked_html, md_piece, md_text

EVIL = ('The fund <script>alert("x")</script> cost $14 billion, up from $9 billion. '
        '![x](http://evil/x.png) See <img src="http://evil/y.png"> and [a link](http://evil/z) '
        '**bold** `code` :red[alarm] &lt;b&gt; 1. not a list\n# not a heading\n    not code | a | table |')


def _render(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def _visible_text(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def test_md_text_renders_exactly_the_text_and_no_markup():
    rendered = _render(md_text(EVIL))
    assert "<img" not in rendered and "<script" not in rendered and "<a " not in rendered
    assert "<strong>" not in rendered and "<code>" not in rendered and "<h1>" not in rendered
    assert "<ol" not in rendered and "<table" not in rendered and "<pre>" not in rendered
    # What the reader sees is the text itself, character for character (line breaks aside).
    assert " ".join(_visible_text(rendered).split()) == " ".join(EVIL.split())


def test_dollar_signs_are_escaped_so_no_latex_is_typeset():
    escaped = md_text("It cost $14 billion and $9 billion.")
    assert re.findall(r"(?<!\\)\$", escaped) == []
    assert escaped.count("\\$") == 2


@pytest.mark.parametrize("cut", [1, 2, 3, 5, 8])
def test_a_stream_escaped_piece_by_piece_is_as_inert_as_the_whole(cut):
    pieces = [EVIL[i:i + cut] for i in range(0, len(EVIL), cut)]
    rendered = _render("".join(md_piece(p) for p in pieces))
    assert "<img" not in rendered and "<script" not in rendered and "<a " not in rendered


def test_control_characters_are_dropped():
    assert md_text("a\x00b\x1bc") == "abc"


def test_marked_html_escapes_every_piece_and_marks_the_passage():
    text = "Intro.\n" + EVIL + "\nOutro."
    start, end = text.index("The fund"), text.index("billion.") + len("billion.")
    quote = (text.index("cost"), text.index("billion,") + len("billion"))
    out = marked_html(text, [Mark(start, end), Mark(*quote, css="quote")])
    assert "<script" not in out and "<img" not in out and 'href="http://evil' not in out
    assert "&lt;script&gt;" in out and "![x](http://evil/x.png)" in out and "$14 billion" in out
    assert out.count('id="cited"') == 1
    assert '<mark class="passage quote">cost $14 billion</mark>' in out
    assert _visible_text(out) == text


def test_marked_html_window_shows_ellipses_and_only_the_window():
    text = "\n".join(f"Paragraph {i} " + "word " * 30 for i in range(20))
    start = text.index("Paragraph 10")
    end = start + len("Paragraph 10")
    window = context_window(text, start, end, context_chars=100)
    out = marked_html(text, [Mark(start, end)], window=window)
    assert out.startswith('<span class="elided">') and out.endswith("…</span>")
    assert "Paragraph 0 " not in out and "Paragraph 19" not in out
    assert text[window.start - 1] == "\n"  # widened to a paragraph start


def test_spans_outside_the_text_are_refused_with_their_values():
    with pytest.raises(ValueError, match=r"\[5, 50\)"):
        context_window("short", 5, 50)
    with pytest.raises(ValueError, match="outside"):
        marked_html("short", [], window=Window(0, 99))


def test_export_markdown_keeps_text_readable_but_inert():
    rendered = _render(md_inert(EVIL))
    assert "<img" not in rendered and "<script" not in rendered
    assert "$14 billion" in _visible_text(rendered)
