import pytest

from retrieval.filters import Filters, restrict
from retrieval.keyword import KeywordIndex
from vectorstore.types import Chunk


def chunk(**fields) -> Chunk:
    base = dict(id="c", doc_id="d1", source="a.txt", start=0, end=4, text="text")
    return Chunk(**{**base, **fields})


def index_of(*chunks: Chunk) -> KeywordIndex:
    return KeywordIndex(list(chunks))


BRIEFS = [
    chunk(id="a1", doc_id="da", source="a.txt", series="Expert Brief", date="2017-05-08", authors=("Sheila A. Smith",)),
    chunk(id="a2", doc_id="da", source="a.txt", series="Expert Brief", date="2017-05-08", authors=("Sheila A. Smith",)),
    chunk(id="b1", doc_id="db", source="b.txt", series="Memo", date="2018-02-01", authors=("Scott A. Snyder",)),
    chunk(id="c1", doc_id="dc", source="c.txt", series="Expert Brief", date="", authors=()),
]


def test_empty_filters_restrict_nothing():
    assert Filters().empty and restrict(Filters(), index_of(*BRIEFS)) is None and Filters().matches(chunk())
    assert restrict(None, index_of(*BRIEFS)) is None


@pytest.mark.parametrize("filters, briefs", [
    (Filters(sources=("a.txt", "b.txt")), ("da", "db")),
    (Filters(series=("Expert Brief",)), ("da", "dc")),
    (Filters(date_from="2017-01-01", date_to="2017-12-31"), ("da",)),
    (Filters(sources=("a.txt", "b.txt"), series=("Expert Brief",), date_from="2017-01-01"), ("da",)),
    (Filters(doc_ids=("db",)), ("db",)),
    (Filters(authors=("smith",)), ("da",)),
    (Filters(authors=("Nobody",)), ()),
])
def test_the_dense_clause_is_derived_from_what_matches_allows(filters, briefs):
    """Expressed once: the keyword mask and the Chroma clause both come from ``Filters.matches``."""
    allowed = restrict(filters, index_of(*BRIEFS))
    assert list(allowed.mask) == [filters.matches(c) for c in BRIEFS]
    assert allowed.doc_ids == briefs and allowed.empty == (not briefs)
    assert allowed.chunk_ids == tuple(c.id for c in BRIEFS if filters.matches(c))
    if len(briefs) == 1:
        assert allowed.where() == {"doc_id": briefs[0]}
    elif briefs:
        assert allowed.where() == {"doc_id": {"$in": list(briefs)}}


def test_many_allowed_passages_are_left_to_the_clause():
    from vectorstore.store import EXACT_SEARCH_MAX

    many = [chunk(id=f"p{i}", doc_id="dm", source="m.txt") for i in range(EXACT_SEARCH_MAX + 1)]
    allowed = restrict(Filters(sources=("m.txt",)), index_of(*many))
    assert allowed.chunk_ids is None and allowed.where() == {"doc_id": "dm"}


def test_authors_match_part_of_a_name_case_insensitively():
    f = Filters(authors=("smith",))
    assert f.matches(chunk(authors=("Sheila A. Smith",)))
    assert not f.matches(chunk(authors=("Scott A. Snyder",)))
    assert not f.matches(chunk())


def test_matches_dates_and_excludes_undated_when_bounded():
    f = Filters(date_from="2017-05-01", date_to="2017-05-31")
    assert f.matches(chunk(date="2017-05-08"))
    assert not f.matches(chunk(date="2024-06-01"))
    assert not f.matches(chunk(date=""))


@pytest.mark.parametrize("kwargs, message", [
    ({"date_from": "May 2017"}, r"date_from \('May 2017'\) must be an ISO date"),
    ({"date_from": "2018-01-01", "date_to": "2017-01-01"}, r"date_from \(2018-01-01\) is after date_to"),
])
def test_invalid_dates_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Filters(**kwargs)


def test_a_bare_string_is_refused_and_lists_become_tuples():
    with pytest.raises(TypeError, match="sources must be a tuple"):
        Filters(sources="a.txt")
    assert Filters(series=["X"]).series == ("X",)


def test_one_date_to_number_for_stored_passages_and_filters():
    from vectorstore.types import date_number

    assert date_number("2017-05-08") == 20170508 == date_number("2017-05-08T10:30:00")
    assert date_number("") == date_number("2017-02-30") == date_number("2017-13") == date_number("May 2017") == 0
    # a partial date (month or year only) counts as its first day
    assert date_number("2021-03") == 20210301 and date_number("2019") == 20190101
    # an impossible stored date is undated for the Chroma clause and the Python check alike
    f = Filters(date_from="2017-01-01", date_to="2017-12-31")
    assert not f.matches(chunk(date="2017-02-30"))
    assert f.matches(chunk(date="2017-02-28T09:00"))
    assert f.matches(chunk(date="2017-05")) and f.matches(chunk(date="2017"))
    assert not Filters(date_from="2017-05-02").matches(chunk(date="2017-05"))
