from answer.sentences import sentence_spans


def test_spans_are_trimmed_sentences_and_lines():
    text = "  Heading line\nThe U.S. and Japan met. Mr. Abe spoke on Jan. 5.  Done!\n\n"
    pieces = [text[s:e] for s, e in sentence_spans(text)]
    assert pieces == ["Heading line", "The U.S. and Japan met.", "Mr. Abe spoke on Jan. 5.", "Done!"]


def test_empty_text_has_no_sentences():
    assert sentence_spans("") == [] and sentence_spans(" \n ") == []
