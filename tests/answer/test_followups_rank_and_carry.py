"""Follow-ups over a budget brief, with the real model over a small real store (a fifth trial's conversation on
the judiciary's FY2027 request): a ranking follow-up whose unit the brief writes as a symbol stays on the brief
("percentage" / "%": ``answer.condense.stays_on_briefs``) and quotes the extreme change first (``answer.ranking``),
and "What about the Supreme Court?" after it asks the budget question of the Court, not the ranking
(``answer.condense.subject_carried``)."""

import pytest

from answer.types import Turn
from tests.answer.test_followups_stay_on_briefs import _assistant

pytestmark = pytest.mark.slow

JUDICIARY = """Judiciary Budget Request for FY2027

Overview

The federal judiciary's FY2027 budget request seeks $9.7 billion in discretionary funding, an increase of 4.9% over the FY2026 enacted level.

Supreme Court

The total FY2027 discretionary request for the Supreme Court is $225.1 million, contained in two accounts. The total represents a 29.0% increase over the FY2026 enacted level.

Salaries and Expenses

This account funds judicial salaries and expenses of the courts of appeals and district courts. The FY2027 discretionary request for this account is $6.4 billion, an increase of 5.1% over the FY2026 enacted level.

Defender Services

This account funds federal public defender organizations. The FY2027 request is $1.8 billion, an increase of 1.5% over the FY2026 enacted level.

Fees of Jurors and Commissioners

This account funds the fees and allowances provided to grand and petit jurors. The FY2027 request is $37.1 million, an increase of 94.2% over the FY2026 enacted level.

Court Security

This account funds protective services in courthouses. The FY2027 request is $893.0 million, an increase of 3.2% over the FY2026 enacted level.
"""
ACCOUNTS = """Savings Accounts for Children: Overview and Policy Considerations

Savings accounts for children could increase or decrease wealth inequality.
A larger deposit represents a larger increase for lower-wealth households in percentage terms.
Households with higher income have more resources to contribute to the accounts, and the biggest accounts grow fastest.
"""


@pytest.fixture(scope="module")
def budget(tmp_path_factory, embedder):
    return _assistant(tmp_path_factory.mktemp("rank"), embedder, ("judiciary.txt", JUDICIARY),
                      ("accounts.txt", ACCOUNTS))


def test_a_ranking_follow_up_stays_on_the_brief_and_quotes_the_extreme_change_first(budget):
    assistant, store, ids = budget
    first = assistant.ask("How much discretionary funding does the judiciary request for FY2027?")
    history = [Turn.from_answer(first)]
    ranking = assistant.ask("Which account has the biggest percentage increase?", history=history)
    assert not ranking.refused
    assert {c.doc_id for c in ranking.citations} == {ids["judiciary.txt"]}
    assert "94.2%" in ranking.citations[0].quote
    for citation in ranking.citations:
        assert store.document_text(citation.doc_id)[citation.start:citation.end] == citation.quote
    court = assistant.ask("What about the Supreme Court?", history=history + [Turn.from_answer(ranking)])
    assert "biggest" not in court.standalone_question
    assert not court.refused
    assert any("$225.1 million" in c.quote for c in court.citations)
