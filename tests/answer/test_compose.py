"""The extractive composer's shared parts: monotone evidence, rendering, helpful refusals."""

import dataclasses
import random
import numpy as np
import pytest

from answer.compose import UNCLEAR, evidence, helpful_refusal, candidates_for, render
from answer.plans import Plan
from prompts import refusal_sentence
from tests.answer.passages import SENTENCES as SHARED_SENTENCES, hits_of
from vectorstore.types import Chunk, Hit

SENTENCES = [
    *SHARED_SENTENCES,
    "Korea and Japan share concerns about the North.",
    "Korean media covered Colby's remarks extensively.",
]


_hits = hits_of


def test_more_passages_never_lower_the_evidence(fake_embedder):
    rng = random.Random(7)
    for question in ("What happened to Lotte in Korea?", "How much has Japan invested in Korea's missile defense?"):
        for _ in range(5):
            pool = SENTENCES[:]
            rng.shuffle(pool)
            hits = _hits(pool)
            for weight in (0.0, 0.5, 1.0):  # with the question-coverage factor too
                scores = [evidence(question, hits[:n], fake_embedder, match_numbers=True, coverage_weight=weight)
                          for n in range(1, len(hits) + 1)]
                assert all(a <= b + 1e-12 for a, b in zip(scores, scores[1:])), (weight, scores)


def test_the_author_speaking_is_attributed(fake_embedder):
    hits = _hits(["I left the region with some hope, seeing that both allies are committed."])
    candidate = candidates_for("hope", hits, fake_embedder)[0]
    assert render(candidate, 3) == ("The author writes that “I left the region with some hope, seeing that both "
                                    "allies are committed.” [3]")


def test_a_refusal_says_what_is_covered_nearby_and_cites_it(fake_embedder):
    hits = _hits(SENTENCES)
    question = "What is the population of Brazil?"
    plan = Plan(kind="fact", question=question, shape="prose", passages=(("", tuple(hits)),))
    answer = helpful_refusal(plan, question, candidates_for(question, hits, fake_embedder), evidence_score=0.1)
    # with sentences nearby it says what is known: none answers clearly, not that the briefs do not cover it
    assert answer.refused and answer.text.startswith(UNCLEAR) and refusal_sentence() not in answer.text
    assert 1 <= len(answer.citations) <= 2 and "The closest passages say:" in answer.text
    text = "\n".join(SENTENCES)
    for c in answer.citations:
        assert text[c.start:c.end] == c.quote
    # nothing nearby, or a reason found: the refusal sentence
    assert helpful_refusal(plan, question, [], evidence_score=0.1).text == refusal_sentence()
    reasoned = helpful_refusal(plan, question, candidates_for(question, hits, fake_embedder), evidence_score=0.1,
                               reason="No brief in the collection mentions “Brazil”.")
    assert reasoned.text.startswith(refusal_sentence() + " No brief") and "Nearby, the briefs cover:" in reasoned.text


def test_a_refusals_reading_line_dates_the_briefs_from_the_catalogue(fake_embedder):
    """The briefs of a refusal's nearby passages carry the catalogue's date: it showed "(undated)"
    for a dated brief (found in a browser trial)."""
    from answer.catalogue import BriefInfo, Catalogue

    hits = _hits(SENTENCES)
    question = "What is the population of Brazil?"
    catalogue = Catalogue([BriefInfo(doc_id="d", source="brief.txt", title="A Brief", date="2017-05-08")])
    plan = Plan(kind="fact", question=question, shape="prose", passages=(("", tuple(hits)),), catalogue=catalogue)
    answer = helpful_refusal(plan, question, candidates_for(question, hits, fake_embedder), evidence_score=0.1)
    assert answer.refused and answer.citations
    assert [b.label for b in answer.briefs_read] == ["A Brief (2017-05-08)"]


def test_a_refusals_reading_line_names_only_named_briefs_and_those_of_the_nearby_passages(fake_embedder):
    """A search plan reads the briefs of every retrieved passage; a refusal's "Reading:" line listed
    them all ("How many Rice's whales remain?" named the Hormuz brief, found in a browser trial):
    only the briefs the question named and those holding a nearby passage shown belong there."""
    from answer.catalogue import BriefInfo, Catalogue, Resolution

    hits = _hits(SENTENCES)
    other = Hit(Chunk(id="o1", doc_id="other", source="other.txt", start=0, end=20, text="Tariffs rose in 2025.",
                      index=0, title="Other Brief"), 0.5, 11)
    named = BriefInfo(doc_id="named", source="named.txt", title="Named Brief", date="2020-01-01")
    briefs = [BriefInfo(doc_id="d", source="brief.txt", title="A Brief", date="2017-05-08"),
              BriefInfo(doc_id="other", source="other.txt", title="Other Brief", date="2025-01-01"), named]
    catalogue = Catalogue(briefs)
    question = "What is the population of Brazil?"
    candidates = candidates_for(question, hits, fake_embedder)
    plan = Plan(kind="fact", question=question, shape="prose", passages=(("", tuple(hits) + (other,)),),
                catalogue=catalogue, briefs=tuple(briefs[:2]))
    answer = helpful_refusal(plan, question, candidates, evidence_score=0.1)
    assert [b.source for b in answer.briefs_read] == ["brief.txt"]
    plan = Plan(kind="fact", question=question, shape="prose", passages=(("", tuple(hits)),),
                catalogue=catalogue, briefs=(named,), resolution=Resolution((named,), how="title"))
    answer = helpful_refusal(plan, question, candidates, evidence_score=0.1)
    assert [b.source for b in answer.briefs_read] == ["named.txt", "brief.txt"]


def test_plain_text_keeps_the_structure_without_markup():
    from answer.layout import blocks, plain_text

    text = ("**Soft Targets (2026-04-09)**\n- In 2005, debates began [1].\n**Shared and different**\n"
            "- Both briefs make this point:\n  - First [1].\n  - Second [2].\n# A model's heading\n1. One *item*")
    assert plain_text(text) == ("Soft Targets (2026-04-09)\n- In 2005, debates began [1].\n\nShared and different\n"
                                "- Both briefs make this point:\n  - First [1].\n  - Second [2].\n\nA model's heading\n"
                                "- One item")
    assert [(b.kind, b.level) for b in blocks(text)] == [("heading", 0), ("item", 0), ("heading", 0), ("item", 0),
                                                         ("item", 1), ("item", 1), ("heading", 0), ("item", 0)]


@pytest.mark.parametrize("question, sentence, answers", [
    # A count is not an amount of money, nor a figure the question states itself.
    ("How many nonprofits received grants in fiscal year 2025?",
     "The program provided $274.5 million to nonprofits in fiscal year 2025.", False),
    ("How many nonprofits received grants in fiscal year 2025?",
     "In fiscal year 2025, 3,100 nonprofits received grants worth $274.5 million.", True),
    ("How many ships were seized in 2024?", "Ships worth 40 million dollars were seized in 2024.", False),
    ("How many ships were seized in 2024?", "Eleven ships were seized in 2024.", True),
    ("How much did Japan invest in missile defense?", "Japan has invested $14 billion in missile defense.", True),
    ("How much did Japan invest in 2023?", "Japan has invested in missile defense since 2023.", False),
    ("How much water may be drawn in 2023?", "Up to 40 liters a day may be drawn in 2023.", True),
    ("How much water may be drawn in 2023?", "Water may be drawn in 2023.", False),
    # "How many were sickened?" names no noun: "were" is not a word the sentence must hold (a trial's refusal)
    ("How many were sickened in the outbreak?", "The outbreak caused nine E. coli cases in three states.", True),
    # the noun counted follows a dotted abbreviation (a trial's "How many U.S. bridges ...?" had been refused)
    ("How many U.S. bridges are in poor condition?", "As of June 2025, about 42,000 bridges remain poor.", True),
    ("How many U.S. bridges are in poor condition?", "About 42,000 culverts remain poor.", False),
])
def test_answers_the_type_wants_an_answer_figure(question, sentence, answers):
    from answer.compose import answers_the_type
    from answer.extractive import Candidate

    hit = hits_of([sentence])[0]
    candidate = Candidate(hit, 0, len(sentence), 1.0, np.zeros(3))
    assert answers_the_type(question, candidate) is answers


def test_a_note_citing_a_source_is_never_a_claim(fake_embedder):
    """A trial's "What is the Jones Act?" quoted note 32 ("32 U.S. Customs and Border Protection, “Updated
    Guidance ...,” March 17, 2026, https://...") as a claim: it names a source, it states nothing."""
    reference = ("32 U.S. Customs and Border Protection, “Updated Guidance: Implementation of Jones Act Waiver,” "
                 "March 17, 2026, https://www.cbp.gov/trade/jones-act.")
    note = "33 The Jones Act waiver was the first since 2017, when one was issued after Hurricane Maria."
    statement = "The Jones Act restricts vessels transporting cargo between U.S. ports to U.S.-built ships."
    found = [c.text for c in candidates_for("Jones Act waiver", hits_of([reference, note, statement]), fake_embedder)]
    assert reference not in found and note in found and statement in found


def test_a_note_line_is_quoted_from_after_its_note_number():
    # a browser trial's answer quoted "22 In 2017, the standard deduction was ..." from a report's notes
    from answer.compose import Builder, without_note_number
    from answer.extractive import Candidate

    text = ("The deduction rose in 2018.\n22 In 2017, the standard deduction was $6,350 for single filers.\n"
            "35 States had adopted the rule by then.")
    hit = Hit(Chunk(id="c1", doc_id="d1", source="tax.pdf", start=100, end=100 + len(text), text=text, title="Tax"), 1.0)
    note = text.index("22 In 2017")
    candidate = Candidate(hit, note, text.index("filers.") + len("filers."), 0.9, np.zeros(3))
    trimmed = without_note_number(candidate)
    assert trimmed.text == "In 2017, the standard deduction was $6,350 for single filers."
    builder = Builder()
    builder.sentence(candidate)
    (citation,) = builder.citations
    assert citation.quote == text[citation.start - 100:citation.end - 100] == trimmed.text
    body = Candidate(hit, 0, len("The deduction rose in 2018."), 0.9, np.zeros(3))
    assert without_note_number(body) is body


def test_a_sentence_under_the_notes_answers_only_when_no_body_sentence_does():
    """A trial's "Who started it?" (Earth Day) ended on "Under “Notes”: Adam Rome, The Genius of Earth Day ..., p [2]."."""
    from answer.compose import fact_answer
    from answer.extractive import Candidate

    body = "The first Earth Day was observed on April 22, 1970, after Senator Gaylord Nelson called for teach-ins."
    note = "Adam Rome wrote a history of the first Earth Day and its teach-ins in 2013."
    text = f"History\n\n{body}\n\nNotes\n\n{note}"
    hit = Hit(Chunk(id="c", doc_id="d", source="earth.pdf", start=0, end=len(text), text=text, index=0,
                    title="Earth Day: Fact Sheet"), 0.9, 1,
              headings=((0, "History"), (text.index("Notes"), "Notes")))

    def unit(sentence: str, relevance: float) -> Candidate:
        start = text.index(sentence)
        return Candidate(hit, start, start + len(sentence), relevance, np.eye(2)[int(sentence is note)])

    plan = Plan(kind="fact", question="Who started Earth Day?", shape="prose", passages=(("", (hit,)),))
    answer = fact_answer(plan, plan.question, [unit(note, 0.9), unit(body, 0.88)], evidence_score=0.9,
                         max_sentences=4, refusal_threshold=0.5)
    assert [c.quote for c in answer.citations] == [body]
    alone = fact_answer(plan, plan.question, [unit(note, 0.9)], evidence_score=0.9, max_sentences=4,
                        refusal_threshold=0.5)
    assert [c.quote for c in alone.citations] == [note]


def _one_passage_units(text: str, title: str, axes: int):
    """A maker of candidates for sentences of one passage holding ``text``: (sentence, relevance, axis) -> Candidate,
    its vector the unit vector ``axis`` of ``axes`` dimensions."""
    from answer.extractive import Candidate

    hit = Hit(Chunk(id="c", doc_id="d", source="brief.pdf", start=0, end=len(text), text=text, index=0, title=title),
              0.9, 1)

    def unit(sentence: str, relevance: float, axis: int) -> Candidate:
        start = text.index(sentence)
        return Candidate(hit, start, start + len(sentence), relevance, np.eye(axes)[axis])
    return unit


def test_what_a_brief_says_it_covers_answers_no_fact_about_its_subject():
    """A trial's "Which regions claimed each one most?" was answered with "This publication focuses on the EEHIC,
    describing ... the geographic distribution of credit recipients" and "A companion Insight ... provides similar
    analysis of the RCEC" for each brief; alone, such a sentence is still quoted rather than nothing."""
    from answer.compose import fact_answer
    from answer.outline import describes_itself

    scope = ("This publication focuses on the EEHIC, describing its fiscal cost and the geographic distribution of "
             "credit recipients.")
    companion = "A companion Insight, CRS Insight IN12423, Preliminary Data on the RCEC, provides similar analysis."
    fact = "Taxpayers in the Northeast were the most likely to claim the EEHIC."
    assert describes_itself(scope) and describes_itself(companion) and not describes_itself(fact)
    assert not describes_itself("The report by GAO found that this program covers 40 states.")
    # a table or figure as the subject of what it shows: a trial's answer to "Which countries are the biggest foreign
    # holders of U.S. Treasury debt?" opened on it
    assert describes_itself("Table 2 provides data on major foreign holders of federal debt by country.")
    assert describes_itself("Figure 1 illustrates how much required capital would decline for each category of bank.")
    assert not describes_itself("As Table 2 shows, Japan holds $1.2 trillion.")
    text = f"{scope} {companion}\n\n{fact}"
    unit = _one_passage_units(text, "Preliminary Data on the EEHIC", 3)

    hit = unit(fact, 0.0, 0).hit
    plan = Plan(kind="fact", question="Which regions claimed the EEHIC most?", shape="prose", passages=(("", (hit,)),))
    answer = fact_answer(plan, plan.question, [unit(scope, 0.7, 0), unit(companion, 0.66, 1), unit(fact, 0.62, 2)],
                         evidence_score=0.7, max_sentences=4, refusal_threshold=0.5)
    assert [c.quote for c in answer.citations] == [fact]
    alone = fact_answer(plan, plan.question, [unit(scope, 0.7, 0)], evidence_score=0.7, max_sentences=4,
                        refusal_threshold=0.5)
    assert [c.quote for c in alone.citations] == [scope]


def test_a_list_item_is_quoted_from_after_its_bullet():
    """A comparison's "Also in" quoted "• Foreign Market Development (FMD) Cooperator Program funds ..." glyph and all."""
    from answer.compose import Builder
    from answer.extractive import Candidate

    text = "Programs are funded annually.\n\n• Foreign Market Development (FMD) Cooperator Program funds projects."
    hit = Hit(Chunk(id="c", doc_id="d", source="trade.pdf", start=100, end=100 + len(text), text=text, index=0), 0.9, 1)
    start = text.index("•")
    builder = Builder()
    builder.sentence(Candidate(hit, start, len(text), 0.9, np.zeros(2)), bullet=True)
    (citation,) = builder.citations
    assert citation.quote == "Foreign Market Development (FMD) Cooperator Program funds projects."
    assert text[citation.start - 100:citation.end - 100] == citation.quote
    assert builder.lines[0].startswith("- Foreign Market Development")


def test_reading_names_the_briefs_an_answer_from_one_search_cites():
    """A trial's recommendations follow-up listed under "Reading:" the seven briefs its search touched, most of them
    unrelated; an answer drawn from one search over the collection names the briefs it cites, and one over a named
    brief still names that brief."""
    from answer.catalogue import BriefInfo, Catalogue, Resolution
    from answer.compose import Builder, finish
    from answer.extractive import Candidate

    gaoa, elections = BriefInfo("g", "gaoa.pdf", "Great American Outdoors Act"), BriefInfo("e", "e.pdf", "Elections")
    text = "Legislation in the 119th Congress (S. 1547) would reauthorize funding for the LRF through FY2033."
    cited = Hit(Chunk(id="g1", doc_id="g", source="gaoa.pdf", start=0, end=len(text), text=text), 0.9, 1)
    other = Hit(Chunk(id="e1", doc_id="e", source="e.pdf", start=0, end=4, text="Text"), 0.5, 2)
    builder = Builder()
    builder.sentence(Candidate(cited, 0, len(text), 0.9, np.zeros(2)), bullet=True)
    searched = Plan(kind="recommendations", question="What do proposals say about extending it?", shape="prose",
                    catalogue=Catalogue([gaoa, elections]), briefs=(gaoa, elections), passages=(("", (cited, other)),))
    assert [b.doc_id for b in finish(searched, searched.question, builder, evidence_score=0.9).briefs_read] == ["g"]
    named = Plan(kind="recommendations", question=searched.question, shape="prose", catalogue=searched.catalogue,
                 resolution=Resolution((gaoa, elections)), briefs=(gaoa, elections), passages=searched.passages)
    assert [b.doc_id for b in finish(named, named.question, builder, evidence_score=0.9).briefs_read] == ["g", "e"]


def test_a_sentence_cut_before_its_list_is_no_fact_answer(fake_embedder):
    """A trial's answer quoted "To secure more dollars for ESF operations, Treasury could" as it stood."""
    from answer.compose import fact_answer

    head = "To secure more dollars for ESF operations, Treasury could"
    whole = "The ESF holds $23.5 billion of Treasury securities."
    text = f"{whole}\n\n{head}\n\n(1) seek an additional appropriation from Congress."
    unit = _one_passage_units(text, "Treasury's Exchange Stabilization Fund", 2)
    hit = unit(whole, 0.0, 0).hit

    plan = Plan(kind="fact", question="How can Treasury get more dollars for the ESF?", shape="prose",
                passages=(("", (hit,)),))
    answer = fact_answer(plan, plan.question, [unit(head, 0.8, 0), unit(whole, 0.75, 1)], evidence_score=0.8,
                         max_sentences=4, refusal_threshold=0.5)
    assert [c.quote for c in answer.citations] == [whole]


def test_a_list_item_opening_in_lower_case_is_no_fact_answer():
    """A trial's answer opened on "every Trump Account holder who will not reach age 18 ..." (an item's tail)."""
    from answer.compose import _item_tail

    assert _item_tail("• every Trump Account holder who will not reach age 18 by the end of the year.")
    assert not _item_tail("• Every holder may contribute.") and not _item_tail("every holder may contribute.")



def test_a_number_stated_in_the_sentence_before_in_its_paragraph_counts():
    """A trial's "Which children qualify for the $1,000 federal contribution?" was answered with "newborn": the
    sentence that says who qualifies states no "$1,000"; the one before it in its paragraph does."""
    from answer.compose import states_numbers
    from answer.extractive import Candidate

    before = "P.L. 119-21 established a program under which a parent can receive a $1,000 tax credit."
    sentence = "A child will qualify if they are born from 2025 through 2028."
    for gap, counts in ((" ", True), ("\n\n", False)):
        text = before + gap + sentence
        hit = hits_of([text])[0]
        start = text.index(sentence)
        candidate = Candidate(hit, start, start + len(sentence), 1.0, np.zeros(3))
        assert states_numbers(candidate, ["1,000"]) is counts
    # a year in the sentence before never counts: it dates that sentence, not this one
    text = "The tariff was lowered in April 2026. Copper imports reached 900,000 tons in 2025."
    hit = hits_of([text])[0]
    start = text.index("Copper")
    assert not states_numbers(Candidate(hit, start, len(text), 1.0, np.zeros(3)), ["2026"])


def test_a_sentence_opening_with_a_demonstrative_phrase_leans_on_the_one_before():
    """A trial's "Which of them is most likely to have witnesses under subpoena, and why?" was answered with "For this
    reason, witnesses in these hearings are more likely to appear under subpoena" alone: no hearing type, no reason."""
    from answer.extractive import leans_back

    assert leans_back("For this reason, witnesses in these hearings are more likely to appear under subpoena.")
    assert leans_back("Despite these efforts, the program closed.") and leans_back("They closed it in 2020.")
    assert not leans_back("In 2020, these hearings were held in public.")  # the demonstrative is past the opening
    assert not leans_back("The Act, passed in 1976, set the rules.")
    # the tail of a quotation opened in the sentence before: its speaker is there (a trial's unattributed CEO words)
    assert leans_back("But today, frontier AI systems are simply not reliable enough to power fully autonomous weapons.”")
    assert not leans_back("DODD 3000.09 defines them as “weapon systems that ... select and engage targets.”")


def test_a_refusal_names_the_briefs_of_its_nearby_passages_as_such(fake_embedder):
    """Two trials read "Reading: <the Strait of Hormuz brief>" under a refused question on bank stress tests as the
    brief the assistant thought answered: a refusal showing nearby passages says where they come from."""
    from answer.catalogue import BriefInfo, Catalogue

    hits = _hits(SENTENCES)
    question = "What is the population of Brazil?"
    catalogue = Catalogue([BriefInfo(doc_id="d", source="brief.txt", title="A Brief", date="2017-05-08")])
    plan = Plan(kind="fact", question=question, shape="prose", passages=(("", tuple(hits)),), catalogue=catalogue)
    refusal = helpful_refusal(plan, question, candidates_for(question, hits, fake_embedder), evidence_score=0.1)
    assert refusal.reading_line == "Closest passages from: A Brief (2017-05-08)"
    answered = dataclasses.replace(refusal, refused=False)
    assert answered.reading_line == "Reading: A Brief (2017-05-08)"
    assert dataclasses.replace(refusal, briefs_read=()).reading_line == ""


def test_a_summary_never_quotes_a_table_description_or_a_cut_cell():
    """An eighth trial's summary of a bank capital Insight quoted "Table 1 presents a brief description of five proposed
    rules ..." and a table cell cut inside a bracket as points (bench/summary_adoption_rule.md, tenth pass)."""
    from answer.compose_kinds import never_a_point

    assert never_a_point("Table 1 presents a brief description of five proposed rules promulgated since 2025.")
    assert never_a_point("Re-Proposal) Proposal (3/26) Would standardize and simplify the capital calculations.")
    assert not never_a_point("Regulators have released several rules (five proposed, one final) since 2025.")
    from answer.compose_kinds import PointPicker
    from answer.extractive import Candidate

    sentences = ["Table 1 presents the rules.", "Regulators cut required capital by 6%."]
    hits = hits_of(sentences)
    units = [Candidate(hit, 0, len(text), 0.9, np.eye(2)[i]) for i, (hit, text) in enumerate(zip(hits, sentences))]
    picker = PointPicker(units, 2)
    assert picker.take(np.ones(2, dtype=bool), np.array([1.0, 0.5])) and picker.chosen == [1]  # the best-scored is no point
    assert not picker.take(np.ones(2, dtype=bool), np.array([1.0, 0.5]))
