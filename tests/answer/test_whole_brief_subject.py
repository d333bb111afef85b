"""Which brief a summary, timeline or recommendations question reads when it speaks of no document: the brief
its subject names (a seventh trial's "Walk me through the timeline of the Pentagon's fight with Anthropic" was
refused from the passages found, IN12669 "Pentagon-Anthropic Dispute over ..." never read whole)."""

from answer.catalogue import BriefInfo
from answer.plans import title_writes_names

PENTAGON = BriefInfo(doc_id="a", source="IN12669.pdf",
                     title="Pentagon-Anthropic Dispute over Autonomous Weapon Systems: Potential Issues for Congress")
GOD_SQUAD = BriefInfo(doc_id="b", source="LSB11421.pdf", title="ESA “God Squad” Exemption for Gulf Oil and Gas Activities")


def test_a_title_writing_every_name_of_the_subject_names_its_brief():
    assert title_writes_names("Pentagon's fight with Anthropic", PENTAGON)  # a part of "Pentagon-Anthropic"
    assert title_writes_names("the dispute with ANTHROPIC", PENTAGON)  # case aside
    assert title_writes_names("Congress after Gulf oil and gas exemption", GOD_SQUAD)  # Congress names no subject
    assert not title_writes_names("Walk through Pentagon's fight with Anthropic", PENTAGON)  # "Walk" is no title word
    assert not title_writes_names("Pentagon's fight with OpenAI", PENTAGON)
    assert not title_writes_names("the dispute", PENTAGON)  # no name at all: the relevance check decides


def test_advice_asked_of_no_document_is_the_briefs_own_only_when_asked_for_congress():
    from answer.plans import _asks_brief_itself

    assert _asks_brief_itself("What can Congress do about seabed mining?", "recommendations")
    assert _asks_brief_itself("What options does CRS lay out for Congress after the Gulf exemption?", "recommendations")
    # what a person or party urged is a fact about advice over the passages found (the sample set's s27, s03)
    assert not _asks_brief_itself("What did Abe and Putin urge the involved parties to do?", "recommendations")
    assert not _asks_brief_itself("What did Elbridge Colby argue about deterrence?", "recommendations")
    assert _asks_brief_itself("Walk me through the timeline of the Raw Farm recall.", "timeline")
