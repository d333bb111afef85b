"""A fact question that names a program is answered from the briefs that write its name, and years asked about
together are stated one per sentence (issue 12, a browser trial over CRS reports), with the real model.

"How much funding did the Nonprofit Security Grant Program receive in FY2024 and FY2025?" was refused, quoting
only a rural grant program's "Congress reduced the funding to $12 million each year in FY2024 and FY2025": the
program's own brief states each year's figure in a sentence of its own.
"""

import pytest

from tests.answer.test_named_by_subject import _assistant_over
from tests.conftest import make_document
from vectorstore.types import DocumentMeta

pytestmark = pytest.mark.slow

NSGP_TITLE = "Soft Targets and the Nonprofit Security Grant Program"
NSGP = f"""April 9, 2026

{NSGP_TITLE}

Funding

The Nonprofit Security Grant Program (NSGP) is administered by the Federal Emergency Management Agency. For example, the NSGP provided approximately $274.5 million in funding in fiscal year (FY) 2025, with resources divided between organizations located in high-risk urban areas and those located elsewhere in the country. Eligible nonprofits apply through their State Administrative Agency.

Recent Appropriations

Demand for the program grew after several attacks on houses of worship. In FY2024, the NSGP received $454 million in total, of which $210 million came from a supplemental appropriation.

Jane Doe, Analyst in Emergency Management
"""
RURAL_TITLE = "Federal Credit Assistance and Grant Programs for Rural Businesses"
RURAL = f"""April 15, 2026

{RURAL_TITLE}

Rural Cooperative Development Grants

The program funds centers that help start rural cooperatives. Congress reduced the funding to $12 million each year in FY2024 and FY2025, and further reduced the funding to $8 million in FY2026.

John Roe, Specialist in Agricultural Policy
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, embedder):
    docs = [make_document(NSGP, source="IF13201.pdf", meta=DocumentMeta(title=NSGP_TITLE, date="2026-04-09")),
            make_document(RURAL, source="R47438.pdf", meta=DocumentMeta(title=RURAL_TITLE, date="2026-04-15"))]
    return _assistant_over(tmp_path_factory.mktemp("program"), embedder, docs)


def test_years_asked_together_and_the_named_program_choose_the_programs_sentences(assistant):
    answer = assistant.ask("How much funding did the Nonprofit Security Grant Program receive in FY2024 and FY2025?")
    assert not answer.refused
    assert "$274.5 million" in answer.text or "$454 million" in answer.text
    assert {c.source for c in answer.citations} == {"IF13201.pdf"}  # never the rural program's $12 million
    assert "$12 million" not in answer.text
