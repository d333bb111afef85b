"""Versions of one report and choosing between briefs (a newcomer's browser trial over the 69 CRS reports).

The corpus holds two versions of one CRS report (IF10753.6 and IF10753.7, "ENERGY STAR Program", dated
2026-04-20 and 2026-04-23): every question on it was met by "The question could mean more than one brief",
which no reply resolved ("The newest one", the pasted label), and "the report dated 2026-04-23" named every
brief of 2026. Here: versions are one report read at its newest unless another is asked for, a day names
the briefs of that day only, and a reply to "which brief?" picks among the briefs offered.
"""

from answer.catalogue import BriefInfo, Catalogue, chosen_from, dates_named, resolve_briefs, version_key
from answer.types import Answer, BriefRef, Turn

OLD = BriefInfo("a" * 64, "IF10753.6.pdf", "ENERGY STAR Program", "2026-04-20", "In Focus", ("Corrie E. Clark",))
NEW = BriefInfo("b" * 64, "IF10753.7.pdf", "ENERGY STAR Program", "2026-04-23", "In Focus", ("Corrie E. Clark",))
# two stored files of one report that print the same date: the file name's number orders them
USDA1 = BriefInfo("c" * 64, "R48905.1.pdf", "U.S. Department of Agriculture (USDA): Structure and Proposed Changes",
                  "2026-04-14", "Report", ("Zachary T. Neuhofer",))
USDA2 = BriefInfo("d" * 64, "R48905.2.pdf", "U.S. Department of Agriculture (USDA): Structure and Proposed Changes",
                  "2026-04-14", "Report", ("Zachary T. Neuhofer",))
CONSERVATION = BriefInfo("e" * 64, "IF12024.6.pdf", "Farm Bill Primer: Conservation Title", "2026-04-13", "In Focus",
                         ("Megan Stubbs",))
TRADE = BriefInfo("f" * 64, "IF12155.pdf", "Farm Bill Primer: Trade and Export Promotion Programs", "2026-04-21",
                  "In Focus", ("Benjamin Tsui",))
TYPHON = BriefInfo("1" * 64, "IF12135.30.pdf", "The U.S. Army’s Typhon Mid-Range Capability (MRC) System",
                   "2026-04-20", "In Focus", ("Andrew Feickert",))


def catalogue() -> Catalogue:
    return Catalogue([OLD, NEW, USDA1, USDA2, CONSERVATION, TRADE, TYPHON])


def sources(briefs) -> list[str]:
    return [b.source for b in briefs]


def test_briefs_with_one_title_authors_and_series_are_numbered_versions_oldest_first():
    cat = catalogue()
    assert (cat.get(OLD.doc_id).version, cat.get(OLD.doc_id).versions) == (1, 2)
    assert (cat.get(NEW.doc_id).version, cat.get(NEW.doc_id).versions) == (2, 2)
    assert cat.get(USDA2.doc_id).version == 2  # same date: R48905.2 after R48905.1
    assert cat.get(TYPHON.doc_id).versions == 0 and cat.get(TYPHON.doc_id).version_note == ""
    assert cat.superseded() == {OLD.doc_id, USDA1.doc_id}
    assert sources(cat.versions_of(cat.get(NEW.doc_id))) == ["IF10753.6.pdf", "IF10753.7.pdf"]
    # another author or series is another report
    other = BriefInfo("2" * 64, "x.pdf", "ENERGY STAR Program", "2026-04-25", "In Focus", ("Someone Else",))
    assert version_key(other) != version_key(NEW)


def test_labels_say_which_version_and_a_restricted_catalogue_keeps_it():
    cat = catalogue()
    assert cat.get(NEW.doc_id).label == "ENERGY STAR Program (2026-04-23), the newest of 2 versions"
    assert cat.get(OLD.doc_id).ref.label == "ENERGY STAR Program (2026-04-20), the oldest of 2 versions"
    only_old = cat.restricted([OLD.doc_id])  # the sidebar filter on the older version
    assert only_old.get(OLD.doc_id).label.endswith("the oldest of 2 versions")
    assert only_old.superseded() == set()  # nothing newer in it: it is read
    assert BriefRef("x", "T", "2026-01-01").label == "T (2026-01-01)"


def test_a_report_with_several_versions_is_read_at_its_newest_without_asking_which():
    r = resolve_briefs("How much did P.L. 119-74 provide for ENERGY STAR?", catalogue())
    assert sources(r.briefs) == ["IF10753.7.pdf"] and not r.candidates
    r = resolve_briefs("According to the USDA structure report, how many employees did USDA have?", catalogue())
    assert sources(r.briefs) == ["R48905.2.pdf"]


def test_an_older_version_is_read_when_asked_for_by_its_date_or_as_the_older_one():
    cat = catalogue()
    for question in ["How much did P.L. 119-74 provide for ENERGY STAR, according to the April 20 version?",
                     "What did the 2026-04-20 version of the ENERGY STAR report say about funding?",
                     "What does the older version of the ENERGY STAR report say about funding?",
                     "Summarize the earlier version of the ENERGY STAR report."]:
        assert sources(resolve_briefs(question, cat).briefs) == ["IF10753.6.pdf"], question
    assert sources(resolve_briefs("Summarize the older version of the USDA structure report.", cat).briefs) == \
        ["R48905.1.pdf"]
    both = resolve_briefs("Compare the two versions of the ENERGY STAR report.", cat)
    assert sources(both.briefs) == ["IF10753.6.pdf", "IF10753.7.pdf"] and not both.candidates


def test_after_a_turn_on_the_newest_version_the_older_one_is_named_by_date_or_as_older():
    cat = catalogue()
    last = (cat.get(NEW.doc_id),)
    for question in ["What did the April 20 version say?", "And the older version?"]:
        assert sources(resolve_briefs(question, cat, previous=last, follow_up=True).briefs) == ["IF10753.6.pdf"]


def test_a_day_narrows_to_the_briefs_of_that_day_and_never_widens_to_its_year():
    cat = catalogue()
    question = ("According to the ENERGY STAR Program report dated 2026-04-23, how much did P.L. 119-74 provide for "
                "ENERGY STAR?")
    r = resolve_briefs(question, cat)
    assert sources(r.briefs) == ["IF10753.7.pdf"]
    assert "2026-04-23" in [question[a:b] for a, b in r.named_by]  # its numbers name the brief: no figure asked
    # a day alone names the briefs of that day, not every brief of 2026
    r = resolve_briefs("What does the report dated April 20, 2026 say about launchers?", cat)
    assert sources(r.briefs) == ["IF10753.6.pdf", "IF12135.30.pdf"]
    # a year alone still names the briefs of that year
    assert len(resolve_briefs("What does the report from 2026 say?", cat).briefs) == 5


def test_a_day_that_dates_an_event_names_no_brief():
    assert dates_named("What happened on April 20, 2025 to the Typhon?") == []
    assert not resolve_briefs("What happened on April 20, 2026 to the Typhon launchers?", catalogue()).briefs
    assert dates_named("the report dated April 23, 2026") == [((17, 31), "2026-04-23")]
    assert dates_named("the April 20 version")[0][1] == dates_named("the april 20 version")[0][1] == "--04-20"
    assert dates_named("Which report may 20 states cite?") == []  # "may" is a verb
    assert dates_named("ENERGY STAR Program (2026-04-23)")[0][1] == "2026-04-23"  # a label as answers print it
    assert dates_named("dated April 31, 2026") == []  # no such day


def test_a_reply_picks_among_the_offered_briefs():
    cat = catalogue()
    versions = [cat.get(OLD.doc_id), cat.get(NEW.doc_id)]
    for reply, picked in [("The newest one", "IF10753.7.pdf"), ("ENERGY STAR Program (2026-04-23)", "IF10753.7.pdf"),
                          ("the April 20 version", "IF10753.6.pdf"), ("the 2026-04-20 one", "IF10753.6.pdf"),
                          ("the first", "IF10753.6.pdf"), ("I mean the second one, please", "IF10753.7.pdf"),
                          ("2", "IF10753.7.pdf"), ("the older one", "IF10753.6.pdf"), ("the last", "IF10753.7.pdf")]:
        assert sources(chosen_from(reply, versions)) == [picked], reply
    primers = [cat.get(CONSERVATION.doc_id), cat.get(TRADE.doc_id)]
    for reply, picked in [("the 2026-04-21 one", "IF12155.pdf"), ("the first", "IF12024.6.pdf"),
                          ("Trade and Export Promotion Programs", "IF12155.pdf"), ("the conservation one", "IF12024.6.pdf"),
                          ("Stubbs", "IF12024.6.pdf"), ("the latest", "IF12155.pdf"),
                          ("Farm Bill Primer: Trade and Export Promotion Programs (2026-04-21)", "IF12155.pdf")]:
        assert sources(chosen_from(reply, primers)) == [picked], reply
    assert sources(chosen_from("both", primers)) == ["IF12024.6.pdf", "IF12155.pdf"]


def test_a_new_question_or_a_pick_that_fits_none_is_no_choice():
    cat = catalogue()
    primers = [cat.get(CONSERVATION.doc_id), cat.get(TRADE.doc_id)]
    for reply in ["What about the Typhon report?", "Who wrote it?", "Summarize the trade one",
                  "the 2026-04-23 one", "the third", "What does the conservation title say about EQIP?"]:
        assert chosen_from(reply, primers) == (), reply


def test_a_turn_that_offered_briefs_to_choose_from_remembers_them():
    offered = (BriefRef(OLD.doc_id, OLD.title, OLD.date), BriefRef(NEW.doc_id, NEW.title, NEW.date))
    prompt = Answer(question="q", text="The question could mean more than one brief", candidates=offered)
    assert Turn.from_answer(prompt).offered == (OLD.doc_id, NEW.doc_id)
    # a comparison that found one brief offers others to compare with: no choice among them is pending
    read = Answer(question="q", text="Only one brief matches", candidates=offered[:1], briefs_read=offered[1:])
    assert Turn.from_answer(read).offered == ()
