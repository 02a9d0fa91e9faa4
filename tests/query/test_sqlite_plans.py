"""The SQLite engine's shortcuts for many matches give the answers of its general plan: the
count and the facets from the side tables alone (row_set), a page read along the sort's
index (reads.WALK_INDEX_ABOVE), here taken for every query of the corpus."""

from __future__ import annotations

import pytest

from service.query import conditions as c
from service.query import fulltext
from service.query.facets import FACETS
from service.store.sqlite import reads
from service.store.sqlite.compile import compile_where

NAMES = [
    "tag",
    "any of two tags",
    "both tags",
    "person",
    "tag and person",
    "tag, classification and dates",
    "person of two words",
    "participant by word and source",
]


def _conditions(store) -> dict[str, c.Condition]:
    """The queries, a person by the most common search word of the corpus's people."""
    with store.database.reading() as connection:
        word = connection.execute(
            "SELECT value FROM cable_people WHERE list = 'mentioned' AND kind = 'w'"
            " GROUP BY value ORDER BY count(*) DESC, value LIMIT 1"
        ).fetchone()[0]
        pair = connection.execute(
            "SELECT a.value, b.value FROM cable_people a JOIN cable_people b"
            " ON b.list = a.list AND b.kind = 'w' AND b.n = a.n AND b.person = a.person"
            " AND b.value > a.value WHERE a.list = 'mentioned' AND a.kind = 'w'"
            " GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1"
        ).fetchone()
        participant = connection.execute(
            "SELECT value FROM cable_people WHERE list = 'participants' AND kind = 'w'"
            " GROUP BY value ORDER BY count(*) DESC, value LIMIT 1"
        ).fetchone()[0]
    person = c.Person("mentioned", (word,))
    return {
        "tag": c.Equals("tag_keys", ("PGOV",)),
        "any of two tags": c.Equals("tag_keys", ("PGOV", "PREL")),
        "both tags": c.HoldsAll("tag_keys", ("PGOV", "PREL")),
        "person": person,
        "tag and person": c.AllOf((c.Equals("tag_keys", ("PREL",)), person)),
        # look-ups tested cable by cable along an index a column condition picks
        "tag, classification and dates": c.AllOf(
            (
                c.Equals("tag_keys", ("PREL",)),
                c.Equals("classification_level", (1, 2)),
                c.Range("created", ("2005-01-01T00:00:00Z", True), None),
            )
        ),
        "person of two words": c.Person("mentioned", tuple(pair)),
        "participant by word and source": c.Person(
            "participants", (participant,), ("signer", "text")
        ),
    }


def _walk(store, query, sort, walk_above):
    """Every page's reference ids, following the cursor, with the walk threshold given (0:
    look-ups tested cable by cable, along the sort's index when they are the whole query)."""
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
    # a page carries the total only when the store counted it on the way (look-ups alone);
    # else the query layer counts a listing once (service.store.queries)
    assert walked_totals == general_totals
    assert walked_totals in ({None}, {corpus_store.count_matching(query)})


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


def _relevance_pages(store, query):
    """Every relevance page's (reference id, score), 3 a page, following the cursor."""
    found, state = [], {}
    while True:
        page = store.page(query, "relevance", 3, ["reference_id"], state)
        found += [(item["reference_id"], item["score"]) for item in page.items]
        if page.next_state is None:
            return found
        state = page.next_state


@pytest.mark.parametrize("text", ["government", "embassy -election", "minister"])
def test_relevance_pages_ranked_in_the_text_index_alone_are_those_of_the_joined_plan(
    corpus_store, text
):
    """`q` alone joins only the rows that score as high as the page (reads._ranked's cut);
    with a condition that every cable meets, every match is joined first: same pages."""
    alone = c.FullText(fulltext.parse(text))
    every = c.AnyOf((c.Present("summary", True), c.Present("summary", False)))
    joined = c.AllOf((alone, every))
    cut = _relevance_pages(corpus_store, alone)
    assert cut == _relevance_pages(corpus_store, joined)
    assert len(cut) == corpus_store.count_matching(alone) > 3
    assert [score for _, score in cut] == sorted((score for _, score in cut), reverse=True)
