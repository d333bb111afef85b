import pytest

from retrieval.filters import Filters
from vectorstore.types import Chunk


def chunk(**fields) -> Chunk:
    base = dict(id="c", doc_id="d1", source="a.txt", start=0, end=4, text="text")
    return Chunk(**{**base, **fields})


def test_empty_filters_restrict_nothing():
    assert Filters().empty and Filters().where() is None and Filters().matches(chunk())


def test_where_clause_combines_fields():
    where = Filters(sources=("a.txt", "b.txt"), series=("Expert Brief",), date_from="2017-01-01",
                    date_to="2017-12-31").where()
    assert where == {"$and": [
        {"source": {"$in": ["a.txt", "b.txt"]}}, {"series": "Expert Brief"},
        {"date_num": {"$gte": 20170101}}, {"date_num": {"$lte": 20171231}}, {"date_num": {"$gt": 0}},
    ]}
    assert Filters(doc_ids=("d1",)).where() == {"doc_id": "d1"}


def test_authors_are_left_to_matches():
    f = Filters(authors=("smith",))
    assert f.where() is None
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
    assert date_number("") == date_number("2017-05") == date_number("2017-02-30") == date_number("May 2017") == 0
    # an impossible stored date is undated for the Chroma clause and the Python check alike
    f = Filters(date_from="2017-01-01", date_to="2017-12-31")
    assert not f.matches(chunk(date="2017-02-30"))
    assert f.matches(chunk(date="2017-02-28T09:00"))
