"""On a real MongoDB (TEST_MONGO_URI): every filter's query plan uses an index (that the
engine answers as SQLite does is tests/query/test_engines.py, which includes the server)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import entry_of

from service.query.filters import FILTERS, build_query, parse_filters
from service.query.people import prefixes_clause
from service.store import open_store
from service.store.mongo.compile import compile_filter
from service.store.mongo.store import MongoStore

REAL_MONGO_URI = os.environ.get("TEST_MONGO_URI", "")
needs_server = pytest.mark.skipif(
    not REAL_MONGO_URI,
    reason="TEST_MONGO_URI is not set: no real MongoDB to check query plans against",
)

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
    "sender": "ANKARA",
    "recipient": "SECSTATE",
    "precedence": "IMMEDIATE",
    "references": "06STATE1",
    "paragraph_classification": "S",
    "declassify_from": "2015-01-01",
    "declassify_to": "2015-12-31",
    "classified_by": "rosenblatt",
}


@pytest.fixture(scope="module")
def real_store(people_documents: list[dict[str, Any]]) -> Iterator[MongoStore]:
    """A throwaway database on the real server holding the corpus (mentioning people)."""
    settings = {"MONGO_URI": REAL_MONGO_URI, "MONGO_DB": f"cables_plans_{uuid.uuid4().hex[:12]}"}
    store = open_store(settings)
    assert isinstance(store, MongoStore)
    store.ensure_indexes()
    store.add_many([entry_of(document) for document in people_documents])
    yield store
    store.db.client.drop_database(store.db.name)


def stages(plan: dict[str, Any]) -> set[str]:
    """Every stage name in a plan tree."""
    found = {plan["stage"]} if "stage" in plan else set()
    for key in ("inputStage", "queryPlan"):
        if isinstance(plan.get(key), dict):
            found |= stages(plan[key])
    for child in plan.get("inputStages", []):
        found |= stages(child)
    return found


def test_the_sample_table_covers_every_indexed_filter() -> None:
    assert set(SAMPLE_VALUES) == {entry.name for entry in FILTERS if entry.field}


@needs_server
@pytest.mark.parametrize(("name", "value"), sorted(SAMPLE_VALUES.items()))
def test_each_filter_is_answered_from_an_index(
    real_store: MongoStore, name: str, value: str
) -> None:
    query = compile_filter(build_query(parse_filters({name: [value]})), text_index=True)
    plan = real_store.cables.find(query).explain()["queryPlanner"]["winningPlan"]
    assert "COLLSCAN" not in stages(plan) and "IXSCAN" in stages(plan)


@needs_server
def test_full_text_uses_the_text_index(real_store: MongoStore) -> None:
    query = compile_filter(build_query(parse_filters({"q": ["nuclear"]})), text_index=True)
    plan = real_store.cables.find(query).explain()["queryPlanner"]["winningPlan"]
    assert "COLLSCAN" not in stages(plan) and "TEXT_MATCH" in stages(plan)


@needs_server
@pytest.mark.parametrize("prefixes", [["naz"], ["ros", "jos"]], ids=str)
def test_autocompletion_is_answered_from_the_indexes(
    real_store: MongoStore, prefixes: list[str]
) -> None:
    query = compile_filter(prefixes_clause(prefixes), text_index=True)
    plan = real_store.cables.find(query).explain()["queryPlanner"]
    assert "COLLSCAN" not in stages(plan["winningPlan"])
