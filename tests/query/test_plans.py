"""On a real MongoDB (TEST_MONGO_URI): the calls the engine makes, explained as it makes them
(sort, limit, projection; first and second page; `q` with filters; facets), on a replica set
or through mongos (every shard's plan is read: tests/query/plans.py). Each filter is answered
from an index with no in-memory sort, and an equality filter's page examines about as many
keys as it returns. That the engine answers as SQLite does is tests/query/test_engines.py,
which includes the server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import entry_of
from plans import all_indexes, all_stages, execution, is_sharded, keys_within, winning_plans
from sharding import SHARD_KEY, SHARDED, shard_cables, shard_key_of

from service.query import cursor
from service.query.facets import FACETS_BY_NAME
from service.query.filters import FILTERS, build_query, parse_filters
from service.query.people import prefixes_clause
from service.store import open_store
from service.store.mongo.compile import compile_filter
from service.store.mongo.indexes import SORT_INDEX
from service.store.mongo.names import grouped_names, top_stages
from service.store.mongo.reads import facet_pipeline
from service.store.mongo.store import MongoStore

REAL_MONGO_URI = os.environ.get("TEST_MONGO_URI", "")
needs_server = pytest.mark.skipif(
    not REAL_MONGO_URI,
    reason="TEST_MONGO_URI is not set: no real MongoDB to check query plans against",
)
LIMIT = 10  # a page small enough that the corpus gives every filter a second page

# One value per indexed filter, so that each is explained alone.
SAMPLE_VALUES = {
    "tag": "PGOV",
    "date_from": "2009-01-01",
    "date_to": "2009-06-30",
    "year": "2009",
    "participant": "rosenblatt",
    "person": "rosenblatt",
    "classification": "SECRET",
    "classification_min": "SECRET",
    "classification_max": "1",
    "caveat": "NOFORN",
    "handling": "NODIS",
    "origin": "Embassy Ankara",
    "station": "ANKARA",
    "sender": "AMEMBASSY ANKA",
    "recipient": "SECSTATE WASH",
    "precedence": "IMMEDIATE",
    "references": "06STATE1",
    "paragraph_classification": "S",
    "declassify_from": "2015-01-01",
    "declassify_to": "2015-12-31",
    "classified_by": "rosenblatt",
}
# Index points an equality filter reads (an $or reads each branch's range); filters not here
# (ranges checked inside the sort index, a word's beginning) are not bounded by the page size,
# only required to use an index and no in-memory sort.
EQUALITY_POINTS = {
    "tag": 1,
    "participant": 1,
    "person": 2,
    "classification": 1,
    "caveat": 1,
    "handling": 1,
    "origin": 2,  # the folded copy, and the null range of documents stored without it
    "station": 1,
    "precedence": 1,
    "references": 1,
    "paragraph_classification": 1,
    "classified_by": 1,
}
# Filters whose last word is a beginning (`^anka`): a range of the folded words' index, so the
# page is sorted after reading it (a SORT bounded by the range's matches, not a scan of the
# collection), unless the planner prefers walking the sort index in order; the current and the
# older documents (the index's null range) alike, never a collection scan.
WORD_INDEXES = {
    "sender": "folded.sender_words_1_created_-1_reference_id_-1",
    "recipient": "folded.recipient_words.w_1_created_-1_reference_id_-1",
}


@pytest.fixture(scope="module")
def real_store(people_documents: list[dict[str, Any]]) -> Iterator[MongoStore]:
    """A throwaway database on the real server holding the corpus (mentioning people)."""
    settings = {"MONGO_URI": REAL_MONGO_URI, "MONGO_DB": f"cables_plans_{uuid.uuid4().hex[:12]}"}
    store = open_store(settings)
    assert isinstance(store, MongoStore)
    shard_cables(store.db)
    store.ensure_indexes()
    store.add_many([entry_of(document) for document in people_documents])
    yield store
    store.db.client.drop_database(store.db.name)


def compiled(parameters: dict[str, list[str]]) -> dict[str, Any]:
    return compile_filter(build_query(parse_filters(parameters)), text_index=True)


def test_the_sample_table_covers_every_indexed_filter() -> None:
    assert set(SAMPLE_VALUES) == {entry.name for entry in FILTERS if entry.field}
    assert set(EQUALITY_POINTS) <= set(SAMPLE_VALUES)


def assert_served(
    explain: dict[str, Any], *, points: int | None, sorted_after: bool = False
) -> None:
    """Answered from an index, in index order (`sorted_after`: or sorted after reading an
    index range), and (equality) within the keys bound."""
    found = all_stages(explain)
    assert "COLLSCAN" not in found and "IXSCAN" in found, found
    if not sorted_after:  # SORT_MERGE of index ranges is fine; a blocking sort not
        assert "SORT" not in found, found
    if points is not None:
        shards = len(winning_plans(explain))
        assert keys_within(execution(explain), limit=LIMIT + 1, points=points * shards)


@needs_server
@pytest.mark.parametrize(("name", "value"), sorted(SAMPLE_VALUES.items()))
def test_each_filters_first_and_second_page_are_served_by_an_index(
    real_store: MongoStore, name: str, value: str
) -> None:
    query = compiled({name: [value]})
    first = real_store.sorted_cursor(query, cursor.DEFAULT_SORT, LIMIT, None)
    explain = first.explain()
    assert_served(explain, points=EQUALITY_POINTS.get(name), sorted_after=name in WORD_INDEXES)
    if name in WORD_INDEXES:  # the words' range, or the sort index walked in order
        assert all_indexes(explain) <= {WORD_INDEXES[name], SORT_INDEX}, all_indexes(explain)
    keys = list(real_store.sorted_cursor(query, cursor.DEFAULT_SORT, LIMIT, None))
    if len(keys) > LIMIT:
        after = cursor.key_of(keys[LIMIT - 1], cursor.DEFAULT_SORT)
        second = real_store.sorted_cursor(query, cursor.DEFAULT_SORT, LIMIT, after)
        # the keyset clause adds one range per sort key before the cursor
        assert_served(second.explain(), points=None, sorted_after=name in WORD_INDEXES)


@needs_server
@pytest.mark.parametrize("parameters", [{}, {"year": ["2009"]}, {"tag": ["PREL"]}], ids=str)
def test_relevance_pages_with_filters_use_the_text_index(
    real_store: MongoStore, parameters: dict[str, list[str]]
) -> None:
    query = compiled({**parameters, "q": ['"political opposition" -iran']})
    found = all_stages(real_store.ranked_cursor(query, LIMIT, 0).explain())
    assert "COLLSCAN" not in found and "TEXT_MATCH" in found


@needs_server
@pytest.mark.parametrize("prefixes", [["naz"], ["ros", "jos"]], ids=str)
def test_autocompletion_is_answered_from_the_indexes(
    real_store: MongoStore, prefixes: list[str]
) -> None:
    query = compile_filter(prefixes_clause(prefixes), text_index=True)
    found = all_stages(real_store.cables.find(query).explain())
    assert "COLLSCAN" not in found
    # GET /participants?q=: the aggregation reads its cables from the same indexes
    pipeline = [*grouped_names(query, prefixes), *top_stages(LIMIT)]
    explain = real_store.db.command(
        "explain",
        {"aggregate": "cables", "pipeline": pipeline, "cursor": {}},
        verbosity="executionStats",
    )
    found = all_stages(explain)
    assert "COLLSCAN" not in found and "IXSCAN" in found, found


@needs_server
@pytest.mark.parametrize("facet", ["tags", "year", "participants"])
def test_a_filtered_facet_reads_its_matches_from_an_index(
    real_store: MongoStore, facet: str
) -> None:
    pipeline = facet_pipeline(compiled({"tag": ["PGOV"]}), FACETS_BY_NAME[facet])
    explain = real_store.db.command(
        "explain",
        {"aggregate": "cables", "pipeline": pipeline, "cursor": {}},
        verbosity="executionStats",
    )
    found = all_stages(explain)
    assert "COLLSCAN" not in found and "IXSCAN" in found, found
    matches = real_store.count_matching(build_query(parse_filters({"tag": ["PGOV"]})))
    assert execution(explain).keys_examined <= 2 * matches + 2 * len(winning_plans(explain))


@needs_server
@pytest.mark.skipif(not SHARDED, reason="TEST_MONGO_SHARDED is not 1: not a sharded cluster")
def test_the_collection_is_sharded_on_hashed_id_and_plans_show_it(real_store: MongoStore) -> None:
    assert shard_key_of(real_store.db) == SHARD_KEY
    explain = real_store.sorted_cursor(compiled({"tag": ["PGOV"]}), "-created", LIMIT, None)
    assert is_sharded(explain.explain())
    # a look-up by _id goes to one shard
    plan = real_store.cables.find({"_id": "06ALMATY1457"}).explain()
    assert plan["queryPlanner"]["winningPlan"]["stage"] == "SINGLE_SHARD"
