"""The review view: answers with claims beside their cited passages, open verdicts first."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from review.store import ReviewStore
from review.types import CitedPassage, ReviewItem

from tests.ui.conftest import html_bodies, no_failure


def _review_script(database: str, reviewer: str) -> None:
    from review.store import ReviewStore
    from ui.review_page import render_review_page

    render_review_page(ReviewStore(database), reviewer=reviewer)


def render_review(data_dir: Path, reviewer: str = "") -> AppTest:
    """The review page over the review database in ``data_dir``, for ``reviewer``, in a fresh app session."""
    return AppTest.from_function(_review_script, args=(str(data_dir / "review.sqlite3"), reviewer),
                                 default_timeout=30).run()


def _item(answer_id: str, created_at: float, *, markers: tuple[int, ...] = (1,)) -> ReviewItem:
    return ReviewItem(
        answer_id=answer_id, question=f"Question {answer_id}?", answer=f"Answer {answer_id} [1].",
        created_at=created_at, backend="extractive",
        citations=tuple(CitedPassage(marker=m, chunk_id=f"{answer_id}-c{m}", source="b.txt", title="A <b>brief</b>",
                                     date="2017-05-08", passage=f"Passage {m} says $14 billion.",
                                     quote="says $14 billion", claim=f"Claim {m} of {answer_id}.") for m in markers))


def _questions(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**Question")]


def test_open_answers_come_first_with_claims_beside_passages(tmp_path):
    reviews = ReviewStore(tmp_path / "review.sqlite3")
    reviews.record_answer(_item("done", 30.0))
    reviews.record_answer(_item("older", 10.0))
    reviews.record_answer(_item("newer", 20.0, markers=(1, 2)))
    reviews.set_verdict("done", 1, "supported")
    reviews.set_verdict("newer", 1, "not_supported")  # [2] still open

    at = render_review(tmp_path)
    no_failure(at)
    assert _questions(at) == ["**Question newer\\?**", "**Question older\\?**", "**Question done\\?**"]
    assert [m.value for m in at.metric] == ["3", "2", "1", "0", "1"]
    assert "**Claim [1]**" in [m.value for m in at.markdown]
    passages = [b for b in html_bodies(at) if "Passage 1 " in b]
    assert passages and all('<mark class="quote"' in b and "A &lt;b&gt;brief&lt;/b&gt;" in b for b in passages)
    assert at.segmented_control(key="review-verdict-newer-1-v").value == "not_supported"
    assert at.segmented_control(key="review-verdict-newer-2-v").value is None

    at.toggle(key="review-only-open").set_value(True).run()
    assert _questions(at) == ["**Question newer\\?**", "**Question older\\?**"]


def test_a_verdict_saved_in_the_review_view_is_stored(tmp_path):
    reviews = ReviewStore(tmp_path / "review.sqlite3")
    reviews.record_answer(_item("a", 1.0))
    at = render_review(tmp_path)
    at.segmented_control(key="review-verdict-a-1-v").set_value("supported")
    next(b for b in at.button if b.label == "Save verdict").click().run()
    no_failure(at)
    assert reviews.get("a").verdicts[1].verdict == "supported"
    at.run()
    assert [m.value for m in at.metric][:2] == ["1", "0"]


def test_saving_without_a_choice_asks_for_one(tmp_path):
    ReviewStore(tmp_path / "review.sqlite3").record_answer(_item("a", 1.0))
    at = render_review(tmp_path)
    next(b for b in at.button if b.label == "Save verdict").click().run()
    assert any("Choose supported" in w.value for w in at.warning)


def test_an_empty_review_database_says_what_will_appear(tmp_path):
    at = render_review(tmp_path)
    no_failure(at)
    assert any("Nothing to review yet" in i.value for i in at.info)


def test_the_list_keeps_its_order_while_a_reviewer_works_and_refusals_are_not_open(tmp_path):
    reviews = ReviewStore(tmp_path / "review.sqlite3")
    reviews.record_answer(_item("older", 10.0))
    reviews.record_answer(_item("newer", 20.0))
    reviews.record_answer(ReviewItem(answer_id="refused", question="Question refused?", answer="No.", refused=True,
                                     created_at=30.0))
    at = render_review(tmp_path, "Ana")
    assert _questions(at) == ["**Question newer\\?**", "**Question older\\?**", "**Question refused\\?**"]
    assert [m.value for m in at.metric][:2] == ["3", "2"]  # the refusal is not open

    at.segmented_control(key="review-verdict-newer-1-v").set_value("supported")
    next(b for b in at.button if b.label == "Save verdict").click().run()
    at.run()
    assert reviews.get("newer").verdicts[1].reviewer == "Ana"
    assert _questions(at)[0] == "**Question newer\\?**"  # reviewed, yet still where it was

    reviews.record_answer(_item("newest", 40.0))
    at.run()
    assert "**Question newest\\?**" not in _questions(at)
    at.button(key="review-refresh").click().run()
    assert _questions(at)[0] == "**Question newest\\?**"


def test_mark_all_supported_fills_only_this_reviewer_s_open_verdicts(tmp_path):
    reviews = ReviewStore(tmp_path / "review.sqlite3")
    reviews.record_answer(_item("a", 1.0, markers=(1, 2, 3)))
    reviews.set_verdict("a", 2, "not_supported", reviewer="Ana")
    reviews.set_verdict("a", 3, "partly", reviewer="Bo")
    at = render_review(tmp_path, "Ana")
    at.button(key="review-all-a").click().run()
    no_failure(at)
    item = reviews.get("a")
    assert {(v.marker, v.reviewer, v.verdict) for v in item.judgements} == {
        (1, "Ana", "supported"), (2, "Ana", "not_supported"), (3, "Ana", "supported"), (3, "Bo", "partly")}
    captions = [c.value for c in at.caption]
    assert any("Other reviewers: Bo: Partly — 2 reviewers disagree" in c.replace("\\", "") for c in captions)


def test_long_passages_are_folded_to_the_cited_sentence_and_its_neighbours():
    from ui.review_page import fold

    passage = "One. Two is here. Three is cited. Four follows. Five."
    start = passage.index("Three")
    lo, hi = fold(passage, start, start + len("Three is cited."))
    assert passage[lo:hi] == "Two is here. Three is cited. Four follows. "
    assert fold(passage, 0, 4) == (0, passage.index("Two is") + len("Two is here. "))
