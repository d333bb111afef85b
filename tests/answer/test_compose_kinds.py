"""Choices of the composers for comparisons and recommendations, on hand-made sentences (no model):
which sentences a section shows, what the "Only ..." points may repeat, and an expletive "it"."""

import numpy as np

from answer.compose_kinds import _pick, shared_points
from answer.extractive import Candidate
from vectorstore.types import Chunk, Hit


def _units(sentences: list[str], vectors: list[list[float]], relevance: list[float], doc: str = "d") -> list[Candidate]:
    text = " ".join(sentences)
    chunk = Chunk(id=f"{doc}-0", doc_id=doc, source=f"{doc}.pdf", start=0, end=len(text), text=text)
    hit = Hit(chunk, 1.0, 1)
    units, at = [], 0
    for sentence, vector, score in zip(sentences, vectors, relevance):
        start = text.index(sentence, at)
        at = start + len(sentence)
        v = np.array(vector, dtype=float)
        units.append(Candidate(hit, start, at, score, v / np.linalg.norm(v)))
    return units


def test_an_expletive_it_does_not_bring_the_sentence_before():
    # seen in a browser trial: "It was further noted that the Typhon has remained in the country,
    # angering China" brought the unrelated sentence before it and pushed out the next one on China
    units = _units(["The Army did not plan a live fire exercise in spring 2025.",
                    "It was further noted that the Typhon has remained in the country, angering China.",
                    "Reports suggest China and Russia consider the deployment destabilizing."],
                   [[1, 0, 0], [0, 1, 0], [0, 0.6, 0.8]], [0.1, 0.36, 0.31])
    picked = _pick(units, np.array([u.relevance for u in units]), 2)
    assert [u.text[:12] for u in picked] == ["It was furth", "Reports sugg"]


def test_a_pronoun_that_refers_back_still_brings_the_sentence_before():
    units = _units(["The Army moved the launchers to another island.", "It said the move was planned.",
                    "Officials have yet to fire the system."], [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0.1, 0.5, 0.4])
    picked = _pick(units, np.array([u.relevance for u in units]), 2)
    assert [u.text[:10] for u in picked] == ["The Army m", "It said th"]


def test_only_points_leave_out_the_sentences_a_section_already_shows():
    first = _units(["A1 on the aspect.", "A2 on the aspect.", "A3 on the aspect."],
                   [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], [0.5, 0.4, 0.3], doc="a")
    second = _units(["B1 on the aspect.", "B2 on the aspect."], [[0, 0, 0, 1], [0.3, 0, 0, 0.95]], [0.5, 0.4], doc="b")
    _, different = shared_points([first, second], shown=[first[:2], second[:1]])
    assert [[u.text for u in own] for own in different] == [["A3 on the aspect."], ["B2 on the aspect."]]
    # a brief whose every sentence on the aspect is shown has no "Only" point left to add
    _, different = shared_points([first, second], shown=[first, second])
    assert different == [[], []]


def test_a_summary_reads_the_aspect_without_the_words_that_named_the_briefs(monkeypatch):
    # "Summarize the Australia and Typhon reports": "Typhon" is no topic of the Australia brief's summary
    import answer.compose_kinds as kinds
    from answer.catalogue import BriefInfo, Catalogue, resolve_briefs
    from answer.plans import Plan

    australia = BriefInfo("aus", "aus.pdf", "Australia: Background and U.S. Relations", "2026-04-10", "In Focus")
    typhon = BriefInfo("typhon", "typhon.pdf", "The U.S. Army’s Typhon Mid-Range Capability (MRC) System", "2026-04-20")
    shelf = Catalogue([australia, typhon])
    asked = []
    monkeypatch.setattr(kinds, "summary_points", lambda question, *args, **kwargs: asked.append(question) or [])
    for question, aspect in [("Summarize the Australia report and the Typhon report", ""),
                             ("Summarize what the Australia report says about China", "China")]:
        resolution = resolve_briefs(question, shelf, whole_brief=True)
        plan = Plan(kind="summary", question=question, shape="bullets", briefs=resolution.briefs,
                    passages=tuple((b.doc_id, ()) for b in resolution.briefs), whole_brief=True,
                    resolution=resolution, catalogue=shelf)
        asked.clear()
        kinds.summary_answer(plan, question, encoder=None)  # type: ignore[arg-type]
        assert asked and set(asked) == {aspect}, question


# -- issue 12's comparison trial (nine CRS PDFs): generic aspects, table rows, page breaks --------------

def test_a_generic_aspect_is_answered_by_the_kinds_own_cue():
    from answer.compose_kinds import aspect_cue
    options, figures = aspect_cue("options Congress"), aspect_cue("FY2027 Budget Request")
    (may, fact), (amount, words) = (_units(["Congress may choose to pass legislation to rescind the decision.",
                                            "The Committee last convened in 1992."], [[1, 0], [0, 1]], [0.3, 0.2]),
                                    _units(["For FY2027, the Administration requested $1.33 billion for FWS.",
                                            "FWS manages the refuge system."], [[1, 0], [0, 1]], [0.3, 0.2]))
    assert options is not None and options(may) and not options(fact)
    assert figures is not None and figures(amount) and not figures(words)
    assert aspect_cue("relations with China") is None


def test_comparison_points_are_never_table_rows_and_start_at_a_sentence_head(monkeypatch):
    import answer.compose_kinds as ck
    text = ("Ports closed in May. The brief describes a cost that rises as ports close and the Food Safety\n\n"
            "Modernization Act applies to the imports.\nPublic comments due |  | May 31, 2017 | April 1, 2025")
    chunk = Chunk(id="d-0", doc_id="d", source="d.pdf", start=0, end=len(text), text=text)
    hit = Hit(chunk, 1.0, 1)
    cut = text.index("Modernization")
    row = text.index("Public")
    found = [Candidate(hit, row, len(text), 0.9, np.array([1.0, 0.0]), reading="A: Public comments due; B: May 31"),
             Candidate(hit, cut, text.index("\nPublic"), 0.5, np.array([0.0, 1.0]))]
    monkeypatch.setattr(ck, "candidates_for", lambda *args, **kwargs: found)
    (unit,) = ck.comparison_units("costs", [hit], encoder=None)  # type: ignore[arg-type]
    assert unit.text.startswith("The brief describes a cost") and unit.text.endswith("applies to the imports.")


def test_shared_title_words_name_the_aspect_of_briefs_named_by_them():
    from answer.catalogue import BriefInfo
    from answer.compose_kinds import shared_title_words
    fws = BriefInfo(doc_id="a", source="a.pdf", title="U.S. Fish and Wildlife Service: FY2027 Budget Request")
    courts = BriefInfo(doc_id="b", source="b.pdf", title="Judiciary Budget Request for FY2027")
    assert shared_title_words([fws, courts]) == "FY2027 Budget Request"
    assert shared_title_words([fws]) == ""


def test_a_comparison_aspect_drops_series_names_and_a_brief_is_asked_with_its_naming_words():
    from answer.catalogue import BriefInfo, Resolution
    from answer.plans import brief_question, comparison_aspect
    question = "Compare the FDA raw milk Insight and the God Squad Legal Sidebar on options for Congress"
    fda = BriefInfo(doc_id="a", source="a.pdf", series="Insight",
                    title="Food and Drug Administration (FDA) Response to a Raw Dairy Toxic E. coli Outbreak")
    esa = BriefInfo(doc_id="b", source="b.pdf", series="Legal Sidebar",
                    title="ESA “God Squad” Exemption for Gulf Oil and Gas Activities")
    spans = tuple(m.span() for m in __import__("re").finditer(r"FDA raw|God Squad Legal Sidebar", question))
    resolution = Resolution((fda, esa), how="title", named_by=spans)
    aspect = comparison_aspect(question, resolution, (fda, esa))
    assert "Insight" not in aspect and "Sidebar" not in aspect and aspect.endswith("options Congress")
    assert brief_question(question, resolution, esa, aspect) == f"God Squad {aspect}"
    assert brief_question(question, resolution, fda, aspect) == f"FDA raw {aspect}"


def test_a_bullet_marker_is_measured_with_its_blanks():
    from answer.outline import bullet_marker

    assert bullet_marker("• Qualified Immunity: The Eleventh Circuit held that ...") == 2
    assert bullet_marker("  (a) The Secretary shall report.") == 6
    assert bullet_marker("The Court held that ...") == 0


def test_a_dated_sentence_going_on_from_a_timeline_statement_joins_it():
    # a trial's Callais timeline lacked "Oral argument took place on March 24, 2025.", which names no case
    from answer.compose_kinds import SummaryUnits, _story

    sentences = ["In November 2024, the Court consolidated Louisiana v. Callais with Robinson v. Callais.",
                 "Oral argument took place on March 24, 2025.",
                 "The parties filed briefs.",
                 "On June 27, 2025, a committee met about tariffs."]
    units = _units(sentences, [[1.0 if j == k else 0.0 for j in range(4)] for k in range(4)], [0.9, 0.2, 0.1, 0.2])
    found = SummaryUnits(units, [0] * 4, np.zeros(4), np.array([1.0, 0, 0, 0]), np.stack([u.vector for u in units]),
                         None)
    story = _story(found, 0.65, lambda unit: "2026-04-15")
    assert [(u.text[:12], str(w.label)) for u, w in story] == [("In November ", "November 2024"),
                                                             ("Oral argumen", "March 24, 2025")]
    # without the statement it goes on from, the low-relevance sentence stays out
    assert _story(found, 0.95, lambda unit: "") == []


def test_an_undated_sentence_saying_its_event_came_later_is_dated_after_the_statement_it_goes_on_from():
    """A trial's Pentagon-Anthropic timeline filed Hegseth's directive ("... under E.O. 14347 dated September 5,
    2025) subsequently directed ...") under "September 5, 2025"; it came after the February 27, 2026 directive."""
    from answer.compose_kinds import SummaryUnits, _story

    sentences = ["On February 27, 2026, the President directed agencies to cease all use of the product.",
                 "The Secretary (under an order dated September 5, 2025) subsequently directed the department to act.",
                 "The company disputes the designation."]
    units = _units(sentences, [[1.0 if j == k else 0.0 for j in range(3)] for k in range(3)], [0.9, 0.8, 0.8])
    found = SummaryUnits(units, [0] * 3, np.zeros(3), np.array([1.0, 0, 0]), np.stack([u.vector for u in units]), None)
    story = _story(found, -1.0, lambda unit: "2026-04-21")
    assert [(u.text[:14], w.label) for u, w in story] == [("On February 27", "February 27, 2026"),
                                                          ("The Secretary ", "After February 27, 2026")]
    # an undated sentence that does not say it came later stays out (above), and so does one going on from a
    # sentence the timeline left out
    assert _story(found, 0.95, lambda unit: "2026-04-21") == []


def test_a_list_lead_ending_with_a_colon_nests_its_items_each_cited():
    """A trial read the Abrams report's five oversight questions run into one bullet."""
    import numpy as np

    from answer.compose import Builder
    from answer.compose_kinds import _lead_and_items
    from answer.extractive import Candidate
    from vectorstore.types import Chunk, Hit

    text = ("Potential oversight considerations for Congress could include the following:\n\n"
            "• Will Army National Guard ABCTs receive M-1E3s?\n\n• How many years will fielding take?")
    hit = Hit(Chunk(id="c", doc_id="d", source="abrams.pdf", start=0, end=len(text), text=text, index=0,
                    title="The Army's M-1E3"), 0.9, 1)
    builder = Builder()
    _lead_and_items(builder, Candidate(hit, 0, len(text), 1.0, np.zeros(2)))
    assert [c.quote for c in builder.citations] == [
        "Potential oversight considerations for Congress could include the following:",
        "Will Army National Guard ABCTs receive M-1E3s?", "How many years will fielding take?"]
    assert builder.text().splitlines()[1].startswith("  - Will Army National Guard")
    for c in builder.citations:
        assert text[c.start:c.end] == c.quote
