"""The SQLite engine's shortcuts for many matches give the answers of its general plan: the
count and the facets from the side tables alone (row_set), a page read along the sort's
index (reads.WALK_INDEX_ABOVE), here taken for every query of the corpus."""

from __future__ import annotations

import pytest

from service.query import conditions as c
from service.query.facets import FACETS
from service.store.sqlite import reads
from service.store.sqlite.compile import compile_where

NAMES = ["tag", "any of two tags", "both tags", "person", "tag and person"]


def _conditions(store) -> dict[str, c.Condition]:
    """The queries, a person by the most common search word of the corpus's people."""
    with store.database.reading() as connection:
        word = connection.execute(
            "SELECT value FROM cable_people WHERE list = 'mentioned' AND kind = 'w'"
            " GROUP BY value ORDER BY count(*) DESC, value LIMIT 1"
        ).fetchone()[0]
    person = c.Person("mentioned", (word,))
    return {
        "tag": c.Equals("tag_keys", ("PGOV",)),
        "any of two tags": c.Equals("tag_keys", ("PGOV", "PREL")),
        "both tags": c.HoldsAll("tag_keys", ("PGOV", "PREL")),
        "person": person,
        "tag and person": c.AllOf((c.Equals("tag_keys", ("PREL",)), person)),
    }


def _walk(store, query, sort, walk_above):
    """Every page's reference ids, following the cursor, with the walk threshold given."""
    original = reads.WALK_INDEX_ABOVE
    reads.WALK_INDEX_ABOVE = walk_above
    try:
        ids, state, totals = [], {}, set()
        while True:
            page = store.page(query, sort, 7, ["reference_id"], state)
            ids += [item["reference_id"] for item in page.items]
            totals.add(page.total)
            if page.next_state is None:
                return ids, totals
            state = page.next_state
    finally:
        reads.WALK_INDEX_ABOVE = original


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("sort", ["-created", "created"])
def test_pages_along_the_sort_index_are_the_pages_of_the_general_plan(corpus_store, name, sort):
    query = _conditions(corpus_store)[name]
    walked, walked_totals = _walk(corpus_store, query, sort, 0)
    general, general_totals = _walk(corpus_store, query, sort, 10**9)
    assert walked == general and walked
    # pages carry no total: the query layer counts a listing once (service.store.queries)
    assert walked_totals == general_totals == {None}


@pytest.mark.parametrize("name", NAMES)
def test_counts_and_facets_from_the_side_tables_match_reading_the_cables(corpus_store, name):
    query = _conditions(corpus_store)[name]
    where, params = compile_where(query)
    with corpus_store.database.reading() as connection:
        sql = f"SELECT count(*) FROM cables c WHERE {where}"
        expected = connection.execute(sql, params).fetchone()[0]
        numbers = [
            row[0] for row in connection.execute(f"SELECT c.n FROM cables c WHERE {where}", params)
        ]
    assert corpus_store.count_matching(query) == expected > 0
    counts = corpus_store.count_values(query, list(FACETS))
    everything = corpus_store.count_values(c.EVERYTHING, list(FACETS))
    assert sum(counts["classification"].values()) == expected
    for facet in FACETS:  # no value counted more often than over every cable
        assert all(counts[facet.name][v] <= everything[facet.name][v] for v in counts[facet.name])
    assert len(numbers) == expected
