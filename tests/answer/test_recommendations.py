"""Recommendation answers over a whole named brief, with the real model and a real store: the
prescriptions first, said for what they are (seen in a browser trial: "What does it recommend
Congress consider?" listed two background sentences before the two options for Congress)."""

import pytest

pytestmark = pytest.mark.slow

DREDGING = """Harbor Dredging Fund

The harbor dredging fund was created in 2019 to keep shipping lanes open.
The fund paid for dredging at twelve ports in its first three years.
Shipping companies reported shorter waits at the dredged ports.
Port authorities say silt returns faster than the fund can pay for it.
Congress might examine whether the fund's formula favors large ports.
Members could also seek to tie future grants to maintenance plans.
"""

FERRIES = """Saving the Island Ferries

The island ferries carried two million passengers last year.
Half of the fleet is older than thirty years.
The ministry must replace the oldest ferries before the next winter season.
Regional cooperation on ferry routes is the only way forward for the islands.
"""

MUSEUMS = """Museum Attendance in the Provinces

Museum visits in the provinces rose by a fifth after the free entry days began.
Most visitors came on weekends and during school holidays.
Smaller museums reported the largest gains in visitors.
"""

# Seen in a browser trial (IN12614, R48913): a sentence reporting others' advice under "The author
# recommends:", a list lead cut before its bullets, and notes with tracking URLs cited as advice.
TARIFFS = """Tariffs on Copper Imports

Copper imports supply about half of domestic refined copper consumption.
The tariffs raised copper prices for manufacturers in the first months.
Congress should review the tariff authority it delegated to the President.
Others argue that Congress should play a stronger role in setting trade policy (e.g., S. 1272/H.R. 2665, S. 348).
Some stakeholders recommend that Congress exempt copper from allied producers.
According to the President, the Commerce Secretary recommended a range of actions including

• an immediate tariff on semi-finished copper products;

• a phased tariff on refined copper.

Notes

1 Congress should consider the study at https://example.org/copper?utm_source=crs&utm_medium=pdf.

References

Smith, John. Congress Should Act on Copper Now. Washington: Copper Institute, 2024. www.example.org/copper-report.
"""

# Real text (CRS IN12681, abridged): a newcomer's trial listed the statutory duty "FDA must submit an annual
# report ..." under "The author recommends:".
RAW_DAIRY = """Food and Drug Administration (FDA) Response to a Raw Dairy Toxic E. coli Outbreak

On April 2, 2026, after initially refusing, Raw Farm voluntarily recalled certain raw cheddar cheese products and \
stated it “disputes being the cause of this outbreak.”

FDA must submit an annual report to Congress under FSMA (21 U.S.C. §350l-1) on its use of mandatory recall \
authority. FDA has separate mandatory recall authority for infant formula under the Infant Formula Act of 1980 \
(P.L. 96-359).

Considerations for Congress

Some House Members of the Congressional Food Safety Caucus urged FDA and Raw Farm to remove the outbreak-linked \
products from the market and indicated openness to strengthening FDA’s mandatory recall authority, if needed. \
Policy issues of potential interest to Congress include timelines for voluntary recall compliance, the \
sufficiency of FDA’s recall procedures, and oversight of FDA’s use of mandatory recall authority.
"""

# After CRS LSB11421 (abridged): a newcomer asked for the options it gives Congress and got two of its
# options after the parties' "must" claims, which outranked them on the prescriptive cue (1.0 against 0.5).
EXEMPTION = """Species Exemption for Gulf Drilling: Litigation

The committee voted on March 31 to exempt drilling in the Gulf from the species law.
The complaint alleged that the decision to convene the committee must be set aside as contrary to the species law.
The plaintiffs also claim that the exemption application must be published in full before any vote.
The federal defendants argue that the committee must grant an exemption when a national security finding is made.

Considerations for Congress

Congress may choose to pass legislation to rescind or affirm the drilling exemption.
Congress may consider whether to revisit the exemption provisions of the species law.
Congress could specify that no additional process is required for national security exemptions.
Congress could consider conducting oversight of which other actions may be exempted.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, embedder):
    from answer.assistant import Assistant
    from retrieval.hybrid import HybridRetriever
    from settings import Settings
    from tests.conftest import index_documents, make_document
    from vectorstore.store import open_store
    from vectorstore.types import DocumentMeta

    store = open_store(path=str(tmp_path_factory.mktemp("reco")), model=embedder.name, dimension=embedder.dimension)
    index_documents(store, embedder, [
        make_document(DREDGING, source="dredging.txt", meta=DocumentMeta(title="Harbor Dredging Fund", date="2025-05-01",
                                                                         series="In Focus")),
        make_document(FERRIES, source="ferries.txt", meta=DocumentMeta(title="Saving the Island Ferries",
                                                                       date="2025-06-01")),
        make_document(MUSEUMS, source="museums.txt", meta=DocumentMeta(title="Museum Attendance in the Provinces",
                                                                       date="2025-07-01")),
        make_document(TARIFFS, source="tariffs.txt", meta=DocumentMeta(title="Tariffs on Copper Imports",
                                                                       date="2026-04-23")),
        make_document(RAW_DAIRY, source="rawdairy.txt", meta=DocumentMeta(
            title="Food and Drug Administration (FDA) Response to a Raw Dairy Toxic E. coli Outbreak",
            date="2026-04-20")),
        make_document(EXEMPTION, source="exemption.txt", meta=DocumentMeta(
            title="Species Exemption for Gulf Drilling: Litigation", date="2026-04-20"))])
    settings = Settings()
    return Assistant(HybridRetriever.over(store, embedder, settings=settings.retrieval), embedder, settings.answer), store


def _bullets(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("- ")]


def _exact(answer, store) -> None:
    for c in answer.citations:
        assert store.document_text(c.doc_id)[c.start:c.end] == c.quote


def test_options_for_congress_lead_and_are_called_options(assistant):
    assistant, store = assistant
    answer = assistant.ask("What does the harbor dredging fund report recommend Congress consider?")
    assert answer.kind == "recommendations" and not answer.refused
    lines = answer.text.splitlines()
    assert lines[:2] == ["The brief makes no recommendation of its own.", "Options the brief sets out for Congress:"]
    bullets = _bullets(answer.text)
    assert bullets[0].startswith("- Congress might examine") and bullets[1].startswith("- Members could also seek")
    assert len(bullets) == 2  # the background sentences are not recommendations
    _exact(answer, store)


def test_the_authors_own_recommendations_are_said_to_be_theirs(assistant):
    assistant, store = assistant
    answer = assistant.ask("What does the island ferries brief recommend?")
    lines = answer.text.splitlines()
    assert lines[0] == "The author recommends:"
    assert [b[2:14] for b in _bullets(answer.text)] == ["The ministry", "Regional coo"]
    _exact(answer, store)


def test_a_brief_that_prescribes_nothing_says_so(assistant):
    assistant, store = assistant
    answer = assistant.ask("What does the museum attendance brief recommend?")
    assert not answer.refused
    assert answer.text.splitlines()[0].startswith("The brief makes no recommendation and sets out no options")
    assert _bullets(answer.text)
    _exact(answer, store)


def test_others_advice_notes_and_cut_list_leads_are_not_the_authors(assistant):
    assistant, store = assistant
    answer = assistant.ask("What does the copper imports report recommend Congress do?")
    assert answer.kind == "recommendations" and not answer.refused
    text = answer.text
    own = text.split("The author recommends:")[1] if "The author recommends:" in text else ""
    own = own.split("\n\n")[0].split("Options the brief")[0].split("What others propose or argue")[0]
    assert "Congress should review" in own
    assert "Others argue" not in own and "Some stakeholders" not in own
    reported = text.split("What others propose or argue, as the brief reports it:")[1]
    assert "Others argue" in reported and "Some stakeholders recommend" in reported
    assert "range of actions including • an immediate tariff" in reported
    for c in answer.citations:
        assert "http" not in c.quote and "www." not in c.quote, c.quote
        assert not c.quote.rstrip().endswith("including"), c.quote
        if "range of actions including" in c.quote:  # a list lead is quoted with its items
            assert c.quote.rstrip().endswith("a phased tariff on refined copper."), c.quote
        assert "H.R. 2665" in c.quote or "H.R" not in c.quote, c.quote
    _exact(answer, store)


def test_a_duty_the_law_sets_is_said_to_be_the_laws_not_recommended(assistant):
    assistant, store = assistant
    answer = assistant.ask("What does the raw dairy report recommend?")
    assert answer.kind == "recommendations" and not answer.refused
    text = answer.text
    assert "The author recommends:" not in text
    assert text.splitlines()[0] == "The brief makes no recommendation of its own."
    reported = text.split("What others propose or argue, as the brief reports it:")[1].split("What the law requires")[0]
    assert "Some House Members" in reported
    required = text.split("What the law requires, as the brief describes it:")[1]
    assert "FDA must submit an annual report" in required
    assert text.index("Some House Members") < text.index("FDA must submit")  # a requirement comes last
    _exact(answer, store)


def test_options_asked_for_come_before_the_parties_claims(assistant):
    assistant, store = assistant
    answer = assistant.ask("What options does the Gulf drilling exemption report give Congress?")
    assert answer.kind == "recommendations" and not answer.refused
    options = answer.text.split("Options the brief sets out for Congress:")[1].split("What others propose")[0]
    assert options.count("- Congress") == 4
    assert answer.text.index("Options the brief sets out") < answer.text.index("What others propose or argue")
    _exact(answer, store)
