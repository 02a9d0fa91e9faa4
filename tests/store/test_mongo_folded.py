"""The folded copies the MongoDB engine stores with each cable (service.store.mongo.derived):
written on every path, never shown, and documents stored without them still found."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.ingest.entries import make_entry
from service.parsing import parse_cable
from service.query.filters import build_query, parse_filters
from service.store import open_store
from service.store.mongo.derived import FOLDED
from service.store.mongo.store import MongoStore
from service.store.queries import CableQueries

SEED = Path(__file__).parents[1] / "data" / "seed" / "06ALMATY1457.txt"
REAL_MONGO_URI = os.environ.get("TEST_MONGO_URI", "")
KINDS = [
    "mongomock",
    pytest.param(
        "mongodb",
        marks=pytest.mark.skipif(not REAL_MONGO_URI, reason="TEST_MONGO_URI is not set"),
    ),
]


@pytest.fixture(params=KINDS)
def store(request: pytest.FixtureRequest) -> Iterator[MongoStore]:
    """A fresh MongoDB engine holding the seed cable."""
    uri = "mongomock://" if request.param == "mongomock" else REAL_MONGO_URI
    opened = open_store({"MONGO_URI": uri, "MONGO_DB": f"folded_{uuid.uuid4().hex[:12]}"})
    assert isinstance(opened, MongoStore)
    opened.ensure_indexes()
    data = SEED.read_bytes()
    opened.add_many([make_entry(parse_cable(data), data, "text/plain", {"file": "seed"})])
    yield opened
    if request.param == "mongodb":
        opened.db.client.drop_database(opened.db.name)


def stored(store: MongoStore) -> dict[str, Any]:
    found = store.cables.find_one({"_id": "06ALMATY1457"})
    assert found is not None
    return found


def test_the_folded_copies_are_stored_with_the_cable(store: MongoStore) -> None:
    document = stored(store)
    folded = document[FOLDED]
    assert folded["origin"] == document["origin"].lower()
    assert document["sender"] == "AMEMBASSY ALMATY"
    assert folded["sender_words"] == ["amembassy", "almaty"]
    assert {"w": ["secstate", "washdc"]} in folded["recipient_words"]
    assert len(folded["recipient_words"]) == len(
        {recipient["name"] for field in ("to", "info") for recipient in document[field]}
    )
    subject, body = folded["text"]
    assert subject.startswith(" ") and subject.endswith(" ") and subject == subject.lower()
    assert " kazakhstan " in body


def test_the_folded_copies_are_never_shown(store: MongoStore) -> None:
    assert FOLDED not in (store.get("06ALMATY1457") or {})
    assert all(FOLDED not in record.get("document", {}) for record in store.dump())
    assert FOLDED not in CableQueries(store).get("06ALMATY1457", ["reference_id", "origin"])


FILTERS = [
    {"origin": ["us office ALMATY"]},
    {"sender": ["amembassy almaty"]},
    {"sender": ["Almat"]},
    {"recipient": ["SecState"]},
    {"recipient": ["washdc secst"]},
    {"q": ['"Kazakhstan" -tirana']},
]


@pytest.mark.parametrize("parameters", FILTERS, ids=str)
def test_a_cable_stored_without_folded_copies_is_still_found(
    store: MongoStore, parameters: dict[str, list[str]]
) -> None:
    query = build_query(parse_filters(parameters))
    found = [
        d["reference_id"] for d in CableQueries(store).export(query, sort="created", fields=[])
    ]
    assert found == ["06ALMATY1457"]
    store.cables.update_one({"_id": "06ALMATY1457"}, {"$unset": {FOLDED: ""}})
    assert FOLDED not in stored(store)
    found = [
        d["reference_id"] for d in CableQueries(store).export(query, sort="created", fields=[])
    ]
    assert found == ["06ALMATY1457"]


def test_reparse_writes_the_folded_copies_back(store: MongoStore) -> None:
    store.cables.update_one({"_id": "06ALMATY1457"}, {"$unset": {FOLDED: ""}})
    [batch] = list(store.candidates("", batch_size=10, everything=True))
    document = batch[0]
    parsed = parse_cable(document["raw"].encode())
    assert store.replace_parsed(document, {**parsed, "sha256": document["sha256"]})
    assert stored(store)[FOLDED]["origin"] == stored(store)["origin"].lower()


def test_reparse_all_fills_the_copies_even_when_the_parser_answers_the_same(
    store: MongoStore,
) -> None:
    store.cables.update_one({"_id": "06ALMATY1457"}, {"$unset": {FOLDED: ""}})
    batches = list(store.candidates("", batch_size=10, everything=True))
    assert FOLDED not in batches[0][0]  # what re-parse compares is the parser's output only
    assert stored(store)[FOLDED]["sender_words"] == ["amembassy", "almaty"]


def test_reparse_all_fills_the_word_copies_of_a_document_stored_before_them(
    store: MongoStore,
) -> None:
    """A document written by the version that kept `folded.sender` as one lower-cased string
    has `folded` but no word copies: it is still found, and `cables reparse --all` adds them."""
    store.cables.update_one(
        {"_id": "06ALMATY1457"},
        {
            "$set": {"folded.sender": "amembassy almaty"},
            "$unset": {"folded.sender_words": "", "folded.recipient_words": ""},
        },
    )
    for parameters in ({"sender": ["almaty"]}, {"recipient": ["secstate"]}):
        query = build_query(parse_filters(parameters))
        assert CableQueries(store).count(query) == 1
    list(store.candidates("", batch_size=10, everything=True))
    assert stored(store)[FOLDED]["recipient_words"]


def test_migrate_drops_the_indexes_the_set_replaces(store: MongoStore) -> None:
    """Single-field prefixes and the plain sort index of earlier versions go (the English
    text index too, which must go before its successor: one text index per collection)."""
    from service.store.mongo.indexes import OBSOLETE_INDEXES, indexes_for

    store.cables.create_index([("origin", 1)], name="origin_1")
    store.cables.create_index([("created", -1), ("reference_id", -1)], name=OBSOLETE_INDEXES[0])
    assert store.drop_obsolete() == ["cables.created_-1_reference_id_-1", "cables.origin_1"]
    store.migrate()
    present = {index["name"] for index in store.cables.list_indexes()}
    assert not present & set(OBSOLETE_INDEXES)
    assert {options["name"] for _, options in indexes_for(text_index=store.text_index)} <= present
