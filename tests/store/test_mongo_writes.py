"""The MongoDB engine's write path (issue 19): documents checked before they reach the
driver (16 MiB, lone surrogates), deletes and replacements that never lose a text to a
concurrent writer, write concern errors never reported as done, reads that decide writes on
the primary, and driver timeouts turned into the store's own errors.

On mongomock, with injected interleavings and fake driver errors; the same tests run on a
real MongoDB where TEST_MONGO_URI is set (none could be installed where this was written)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bson
import pytest
from pymongo import ReadPreference
from pymongo.errors import (
    BulkWriteError,
    ExecutionTimeout,
    NetworkTimeout,
    ServerSelectionTimeoutError,
    WriteConcernError,
)

from service.ingest.entries import (
    CREATED,
    INVALID,
    NOT_DURABLE,
    REPLACED,
    TOO_LARGE,
    UNENCODABLE,
    make_entry,
)
from service.parsing import parse_cable
from service.query.conditions import EVERYTHING
from service.query.cursor import DEFAULT_SORT
from service.query.facets import FACETS_BY_NAME
from service.store import open_store
from service.store.errors import StoreTimeout, StoreUnavailable, WriteNotDurable
from service.store.mongo import checks
from service.store.mongo.store import MongoStore, stored_form

DATA = Path(__file__).parents[1] / "data"
SEED = DATA / "seed" / "06ALMATY1457.txt"
OTHER = DATA / "corpus" / "cables" / "07KINGSTON382.txt"
REAL_MONGO_URI = os.environ.get("TEST_MONGO_URI", "")
OVER = checks.MAX_BSON_BYTES + 1024  # characters of padding that take a document past 16 MiB

ENGINES = [
    pytest.param("mongomock", id="mongomock"),
    pytest.param(
        "mongodb",
        id="mongodb",
        marks=pytest.mark.skipif(not REAL_MONGO_URI, reason="TEST_MONGO_URI is not set"),
    ),
]


@pytest.fixture(params=ENGINES)
def store(request) -> Iterator[MongoStore]:
    """A fresh MongoDB-engine store with its indexes."""
    if request.param == "mongomock":
        fresh = open_store({"MONGO_URI": "mongomock://", "MONGO_DB": "writes_test"})
    else:
        name = f"cables_test_{uuid.uuid4().hex[:12]}"
        fresh = open_store({"MONGO_URI": REAL_MONGO_URI, "MONGO_DB": name})
    assert isinstance(fresh, MongoStore)
    fresh.ensure_indexes()
    yield fresh
    if request.param == "mongodb":
        fresh.db.client.drop_database(fresh.db.name)


def entry_for(data: bytes, metadata: dict[str, Any] | None = None):
    """A parsed entry for raw upload bytes."""
    document = parse_cable(data, metadata=metadata)
    return make_entry(document, data, "text/plain", {"file": "upload", "line": None}, metadata)


def seed() -> bytes:
    return SEED.read_bytes()


def edited(data: bytes) -> bytes:
    return data.rstrip() + b"\n\nCORRECTED COPY NOTE.\n"


def padded(entry, characters: int = OVER):
    """The entry with its body grown past the limit (spans into the body stay valid)."""
    entry.document["body"] = entry.document["body"] + "\n" + "x" * characters
    return entry


# Item 2: the 16 MiB document limit


def test_a_document_over_16_mib_is_refused_naming_the_limit_and_the_rest_go_in(store):
    outcomes = store.add_many([padded(entry_for(seed())), entry_for(OTHER.read_bytes())])
    assert [(o.outcome, o.refusal) for o in outcomes] == [(INVALID, TOO_LARGE), (CREATED, None)]
    assert "16 MiB" in outcomes[0].reason and f"{checks.MAX_BSON_BYTES:,}" in outcomes[0].reason
    assert "nothing was stored" in outcomes[0].reason
    assert store.get("06ALMATY1457") is None
    assert store.raw_inputs.count_documents({"_id": entry_for(seed()).sha256}) == 0
    assert store.get("07KINGSTON382") is not None


def test_a_document_just_under_the_limit_is_stored(store):
    entry = entry_for(seed())
    probe = {"_id": entry.reference_id, **stored_form(entry.document)}
    # a body character is stored twice: in the body and in its folded words (derived.py)
    room = (checks.MAX_BSON_BYTES - len(bson.encode(probe)) - 4096) // 2  # ingestion keys
    assert store.add_many([padded(entry, room)])[0].outcome == CREATED


def test_a_replacement_over_the_limit_keeps_the_stored_text_and_says_so(store):
    store.add_many([entry_for(seed())])
    before = store.get("06ALMATY1457")
    outcome = store.add_many([padded(entry_for(edited(seed())))], replace=True)[0]
    assert (outcome.outcome, outcome.refusal) == (INVALID, TOO_LARGE)
    assert "the stored text is kept" in outcome.reason
    assert store.get("06ALMATY1457") == before
    assert store.versions_of("06ALMATY1457") == []  # no version of a replacement never made


def test_a_raw_input_over_the_limit_is_refused(store):
    entry = entry_for(seed())
    entry.raw = b"\x00" * OVER  # kept apart from the document, in raw_inputs
    outcome = store.add_many([entry])[0]
    assert (outcome.outcome, outcome.refusal) == (INVALID, TOO_LARGE)
    assert "the raw input" in outcome.reason
    assert store.get("06ALMATY1457") is None


def test_a_replacement_whose_version_would_pass_the_limit_is_refused(store):
    # The version of the stored text carries a longer _id and two more keys: a stored
    # document just under the limit makes a version over it, so the replacement must wait.
    entry = entry_for(seed())
    store.add_many([entry])
    stored = store.cables.find_one({"_id": "06ALMATY1457"})
    room = checks.MAX_BSON_BYTES - len(bson.encode(stored)) - 40
    store.cables.update_one(
        {"_id": "06ALMATY1457"}, {"$set": {"body": stored["body"] + "y" * room}}
    )
    grown = store.cables.find_one({"_id": "06ALMATY1457"})
    assert len(bson.encode(grown)) <= checks.MAX_BSON_BYTES
    outcome = store.add_many([entry_for(edited(seed()))], replace=True)[0]
    assert (outcome.outcome, outcome.refusal) == (INVALID, TOO_LARGE)
    assert "the version of the stored text" in outcome.reason
    assert store.cables.find_one({"_id": "06ALMATY1457"})["sha256"] == entry.sha256


# Item 3: no string reaches the driver unencodable


@pytest.mark.parametrize(
    "where",
    ["body", "subject", "paragraph", "metadata", "raw", "key"],
)
def test_a_lone_surrogate_anywhere_is_refused_by_the_engine_and_the_rest_go_in(store, where):
    # Ingestion refuses these at parse time; the engine must too, whatever hands it an entry
    # (import, reparse, a future route): bulk_write would raise mid-batch.
    entry = entry_for(seed(), metadata={"origin": "Almaty"})
    if where == "body":
        entry.document["body"] += "\ud800"
    elif where == "subject":
        entry.document["subject"] = "a\udfff"
    elif where == "paragraph":
        entry.document["paragraphs"].append({"text": "\udc80 alone", "level": None})
    elif where == "metadata":
        entry.metadata = {"origin": "Alm\ud834aty"}
    elif where == "raw":
        entry.document["raw"] += "\udcff"
    else:
        entry.document["tags"] = [{"\ud800": 1}]
    outcomes = store.add_many([entry, entry_for(OTHER.read_bytes())])
    assert [(o.outcome, o.refusal) for o in outcomes] == [(INVALID, UNENCODABLE), (CREATED, None)]
    assert "surrogate" in outcomes[0].reason and " at character " in outcomes[0].reason
    assert store.get("06ALMATY1457") is None


# Item 6: concurrency and durability


class Interleaved:
    """A collection that runs `competitor` once, just before its first `method` call: another
    writer's operation landing between two steps of ours."""

    def __init__(self, collection: Any, method: str, competitor: Any) -> None:
        self._collection = collection
        self._method = method
        self._competitor = competitor

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._collection, name)
        if name != self._method or self._competitor is None:
            return attribute

        def interleaved(*args: Any, **kwargs: Any) -> Any:
            competitor, self._competitor = self._competitor, None
            competitor()
            return attribute(*args, **kwargs)

        return interleaved


def test_a_replacement_between_reading_and_deleting_is_never_deleted_unversioned(store):
    store.add_many([entry_for(seed())])
    theirs = entry_for(edited(seed()))
    real = store.cables
    store.cables = Interleaved(real, "delete_one", lambda: store.add_many([theirs], replace=True))
    assert store.delete("06ALMATY1457") is True
    store.cables = real
    assert store.get("06ALMATY1457") is None
    versions = {v["sha256"]: v["superseded_by"] for v in store.versions_of("06ALMATY1457")}
    # Both texts kept: the seed superseded by theirs, theirs by the delete.
    assert versions == {entry_for(seed()).sha256: theirs.sha256, theirs.sha256: None}


def test_a_delete_between_reading_and_deleting_answers_not_found(store):
    store.add_many([entry_for(seed())])
    real = store.cables
    store.cables = Interleaved(real, "delete_one", lambda: real.delete_one({}))
    assert store.delete("06ALMATY1457") is False


def test_a_refused_replacement_leaves_no_version(store, monkeypatch):
    store.add_many([entry_for(seed())])
    real_bulk_write = store.cables.bulk_write

    def refuse(operations, ordered):
        if not any(type(operation).__name__ == "ReplaceOne" for operation in operations):
            return real_bulk_write(operations, ordered=ordered)
        details = {"writeErrors": [{"index": 0, "code": 2, "errmsg": "refused"}], "nMatched": 0}
        raise BulkWriteError(details)

    monkeypatch.setattr(store.cables, "bulk_write", refuse)
    outcome = store.add_many([entry_for(edited(seed()))], replace=True)[0]
    assert outcome.outcome == INVALID and "refused" in outcome.reason
    assert store.versions_of("06ALMATY1457") == []
    assert store.get("06ALMATY1457")["sha256"] == entry_for(seed()).sha256


def concern_error(real_bulk_write):
    """bulk_write that writes, then reports a write concern error (a majority write that timed
    out): what a replica set answers when the write reached the primary only."""

    def bulk_write(operations, ordered):
        result = real_bulk_write(operations, ordered=ordered)
        details = {
            "writeErrors": [],
            "writeConcernErrors": [{"code": 64, "errmsg": "waiting for replication timed out"}],
            "nInserted": result.inserted_count,
            "nMatched": result.matched_count,
        }
        raise BulkWriteError(details)

    return bulk_write


@pytest.mark.parametrize("collection", ["cables", "raw_inputs"])
def test_a_write_concern_error_is_never_reported_as_created(store, monkeypatch, collection):
    target = getattr(store, collection)
    monkeypatch.setattr(target, "bulk_write", concern_error(target.bulk_write))
    outcomes = store.add_many([entry_for(seed()), entry_for(OTHER.read_bytes())])
    assert {(o.outcome, o.refusal) for o in outcomes} == {(INVALID, NOT_DURABLE)}
    assert "may not be durable" in outcomes[0].reason
    assert "waiting for replication timed out" in outcomes[0].reason


def test_a_replacement_with_a_write_concern_error_is_not_reported_replaced(store, monkeypatch):
    store.add_many([entry_for(seed())])
    monkeypatch.setattr(store.cables, "bulk_write", concern_error(store.cables.bulk_write))
    outcome = store.add_many([entry_for(edited(seed()))], replace=True)[0]
    assert (outcome.outcome, outcome.refusal) == (INVALID, NOT_DURABLE)
    # Applied on the primary: the text it displaced is kept all the same.
    assert [v["sha256"] for v in store.versions_of("06ALMATY1457")] == [entry_for(seed()).sha256]


def test_a_delete_with_a_write_concern_error_raises_not_durable_and_keeps_the_text(store):
    store.add_many([entry_for(seed())])
    real = store.cables

    class Unconfirmed:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def delete_one(self, *args: Any, **kwargs: Any) -> Any:
            real.delete_one(*args, **kwargs)
            raise WriteConcernError("waiting for replication timed out", 64, {"errmsg": "wtimeout"})

    store.cables = Unconfirmed()
    with pytest.raises(WriteNotDurable, match="may not be durable"):
        store.delete("06ALMATY1457")
    store.cables = real
    assert [v["superseded_by"] for v in store.versions_of("06ALMATY1457")] == [None]


def test_a_replacement_that_lands_saves_its_version_after_the_write(store):
    store.add_many([entry_for(seed())])
    seen: list[int] = []
    real = store.cables
    versions = store.versions
    store.cables = Interleaved(
        real, "bulk_write", lambda: seen.append(versions.count_documents({}))
    )
    assert store.add_many([entry_for(edited(seed()))], replace=True)[0].outcome == REPLACED
    store.cables = real
    assert seen == [0]  # no version yet while the replacement was being written
    assert len(store.versions_of("06ALMATY1457")) == 1


# Item 5: reads that decide writes on the primary


def test_writes_and_deciding_reads_use_the_primary_whatever_the_uri_says():
    uri = "mongodb://127.0.0.1:1/?readPreference=secondaryPreferred"
    store = open_store({"MONGO_URI": uri})  # connect=False: nothing is contacted
    assert isinstance(store, MongoStore)
    for collection in (store.cables, store.versions, store.raw_inputs):
        assert collection.read_preference == ReadPreference.PRIMARY
    assert store.analytics.read_preference == ReadPreference.SECONDARY_PREFERRED
    store.close()


def test_the_analytics_read_preference_setting_overrides_the_uri():
    settings = {"MONGO_URI": "mongodb://127.0.0.1:1/", "MONGO_ANALYTICS_READ_PREFERENCE": "nearest"}
    store = open_store(settings)
    assert isinstance(store, MongoStore)
    assert store.analytics.read_preference == ReadPreference.NEAREST
    assert store.cables.read_preference == ReadPreference.PRIMARY
    store.close()
    with pytest.raises(ValueError, match="MONGO_ANALYTICS_READ_PREFERENCE"):
        open_store({**settings, "MONGO_ANALYTICS_READ_PREFERENCE": "secondaryPrefered"})


def test_only_exports_and_facets_read_from_the_analytics_collection(store):
    store.add_many([entry_for(seed())])
    calls: list[str] = []
    real = store.analytics

    class Recording:
        def __getattr__(self, name: str) -> Any:
            calls.append(name)
            return getattr(real, name)

    store.analytics = Recording()
    store.page(EVERYTHING, DEFAULT_SORT, 10, ["reference_id"], {})
    store.get("06ALMATY1457")
    store.count_matching(EVERYTHING)
    store.add_many([entry_for(edited(seed()))], replace=True)
    store.delete("06ALMATY1457")
    assert calls == []
    list(store.export(EVERYTHING, DEFAULT_SORT, ["reference_id"]))
    store.count_values(EVERYTHING, [FACETS_BY_NAME["year"]])  # one aggregation per facet
    assert calls == ["find", "aggregate"]


# Item 12: timeouts


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ExecutionTimeout("operation exceeded time limit", 50), StoreTimeout),
        (NetworkTimeout("timed out"), StoreTimeout),
        (ServerSelectionTimeoutError("no primary"), StoreUnavailable),
    ],
)
def test_driver_timeouts_become_the_store_s_own_errors(store, monkeypatch, error, expected):
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(store.cables, "find_one", fail)
    with pytest.raises(expected):
        store.get("06ALMATY1457")


def test_the_client_has_an_operation_timeout_from_the_setting():
    store = open_store({"MONGO_URI": "mongodb://127.0.0.1:1/"})
    assert isinstance(store, MongoStore)
    assert store.db.client.options.timeout == 30.0
    store.close()
    store = open_store({"MONGO_URI": "mongodb://127.0.0.1:1/", "MONGO_TIMEOUT_MS": 2500})
    assert isinstance(store, MongoStore)
    assert store.db.client.options.timeout == 2.5
    store.close()
