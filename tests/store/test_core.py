"""Store writes and single reads, on every engine: SQLite (in memory and in a file), the
MongoDB engine on mongomock and, when TEST_MONGO_URI is set, on a real MongoDB."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pymongo.errors import BulkWriteError, DuplicateKeyError

from service.ingest.entries import CONFLICT, CREATED, REPLACED, UNCHANGED, make_entry
from service.parsing import parse_cable
from service.store import Store, open_store

DATA = Path(__file__).parents[1] / "data"
CABLES = DATA / "corpus" / "cables"
SEED = DATA / "seed" / "06ALMATY1457.txt"
CP1252_TELEGRAM = CABLES / "07KINGSTON382.txt"  # CRLF and cp1252 bytes, as found
REAL_MONGO_URI = os.environ.get("TEST_MONGO_URI", "")

STORE_KINDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("mongomock", id="mongomock"),
    pytest.param(
        "mongodb",
        id="mongodb",
        marks=pytest.mark.skipif(
            not REAL_MONGO_URI,
            reason="TEST_MONGO_URI is not set: no real MongoDB to run the store tests against",
        ),
    ),
]


@pytest.fixture(params=STORE_KINDS)
def store(request, tmp_path) -> Iterator[Store]:
    """A fresh store with its indexes: SQLite, or a throwaway MongoDB database."""
    if request.param == "sqlite":
        fresh = open_store({"EMBEDDED_DB": str(tmp_path / "cables.db")})
    elif request.param == "mongomock":
        fresh = open_store({"MONGO_URI": "mongomock://", "MONGO_DB": "cables_test"})
    else:
        name = f"cables_test_{uuid.uuid4().hex[:12]}"
        fresh = open_store({"MONGO_URI": REAL_MONGO_URI, "MONGO_DB": name})
    fresh.ensure_indexes()
    yield fresh
    if request.param == "mongodb":
        fresh.db.client.drop_database(fresh.db.name)  # type: ignore[attr-defined]


def entry_for(data: bytes, media_type: str = "text/plain", line: int | None = None):
    """A parsed entry for raw upload bytes."""
    return make_entry(parse_cable(data), data, media_type, {"file": "upload", "line": line})


def seed_bytes() -> bytes:
    """The spec cable."""
    return SEED.read_bytes()


def edited(data: bytes) -> bytes:
    """The same cable with a different text (a later correction)."""
    return data.rstrip() + b"\n\nCORRECTED COPY NOTE.\n"


def test_a_new_cable_is_created_and_read_back_without_raw(store):
    outcome = store.add_many([entry_for(seed_bytes())])[0]
    assert (outcome.outcome, outcome.reference_id) == (CREATED, "06ALMATY1457")
    document = store.get("06ALMATY1457")
    assert document is not None
    assert not {"_id", "raw", "raw_bytes"} & set(document)
    assert document["source"] == {"file": "upload", "line": None, "media_type": "text/plain"}
    assert document["ingested_at"].endswith("Z")
    assert document["sha256"] == parse_cable(seed_bytes())["sha256"]
    assert store.count() == 1


def test_the_identical_cable_again_is_a_no_op(store):
    store.add_many([entry_for(seed_bytes())])
    before = store.get("06ALMATY1457")
    outcome = store.add_many([entry_for(seed_bytes())])[0]
    assert outcome.outcome == UNCHANGED
    assert store.get("06ALMATY1457") == before
    assert store.versions_of("06ALMATY1457") == []


def test_another_text_is_a_conflict_and_the_stored_one_stays(store):
    store.add_many([entry_for(seed_bytes())])
    outcome = store.add_many([entry_for(edited(seed_bytes()))])[0]
    assert outcome.outcome == CONFLICT
    assert "replace" in outcome.reason
    assert store.get_raw("06ALMATY1457")[0] == seed_bytes()


def test_replacing_keeps_the_old_version(store):
    store.add_many([entry_for(seed_bytes())])
    old_sha = store.get("06ALMATY1457")["sha256"]
    outcome = store.add_many([entry_for(edited(seed_bytes()))], replace=True)[0]
    assert outcome.outcome == REPLACED
    assert store.get_raw("06ALMATY1457")[0] == edited(seed_bytes())
    versions = store.versions_of("06ALMATY1457")
    assert [version["sha256"] for version in versions] == [old_sha]
    assert versions[0]["superseded_by"] == store.get("06ALMATY1457")["sha256"]
    assert store.count() == 1


@pytest.mark.parametrize(
    ("second", "replace", "outcomes", "versions"),
    [
        ("same", False, [CREATED, UNCHANGED], 0),
        ("edited", False, [CREATED, CONFLICT], 0),
        ("edited", True, [CREATED, REPLACED], 1),
    ],
)
def test_an_id_twice_in_one_batch_is_decided_in_order(store, second, replace, outcomes, versions):
    later = seed_bytes() if second == "same" else edited(seed_bytes())
    batch = [entry_for(seed_bytes()), entry_for(CP1252_TELEGRAM.read_bytes()), entry_for(later)]
    found = [outcome.outcome for outcome in store.add_many(batch, replace=replace)]
    assert found == [outcomes[0], CREATED, outcomes[1]]
    assert len(store.versions_of("06ALMATY1457")) == versions
    assert store.count() == 2


def test_original_bytes_and_media_type_are_kept_when_not_utf8(store):
    data = CP1252_TELEGRAM.read_bytes()
    assert b"\r\n" in data  # the point: these bytes are not the decoded text in UTF-8
    store.add_many([entry_for(data)])
    assert store.get_raw("07KINGSTON382") == (data, "text/plain")


def test_utf8_uploads_are_served_back_with_their_charset(store):
    store.add_many([entry_for(seed_bytes())])
    assert store.get_raw("06ALMATY1457") == (seed_bytes(), "text/plain; charset=utf-8")


def test_delete_keeps_the_cable_in_versions(store):
    store.add_many([entry_for(seed_bytes())])
    assert store.delete("06ALMATY1457") is True
    assert store.get("06ALMATY1457") is None
    assert [version["superseded_by"] for version in store.versions_of("06ALMATY1457")] == [None]
    assert store.delete("06ALMATY1457") is False


# Only the MongoDB engine can lose a race (SQLite decides inside its write transaction).
@pytest.mark.parametrize("store", STORE_KINDS[1:], indirect=True)
def test_an_insert_that_loses_a_race_is_decided_against_the_winner(store, monkeypatch):
    # The other upload lands between our find and our insert: we must see a duplicate key,
    # decide again, and report the winner's text as identical, not fail.
    winner = entry_for(seed_bytes())
    real_existing = store._existing
    calls = []

    def find_then_lose(ids, *, full):
        calls.append(ids)
        if len(calls) == 1:
            found = real_existing(ids, full=full)
            store.cables.insert_one({"_id": winner.reference_id, **winner.document})
            return found
        return real_existing(ids, full=full)

    monkeypatch.setattr(store, "_existing", find_then_lose)
    outcome = store.add_many([entry_for(seed_bytes())])[0]
    assert outcome.outcome == UNCHANGED
    assert len(calls) == 2
    assert store.count() == 1


@pytest.mark.parametrize("store", STORE_KINDS[1:], indirect=True)
def test_a_replacement_that_loses_a_race_is_decided_again(store, monkeypatch):
    # Another writer replaces the text between our find and our write: our replacement
    # must not overwrite theirs blindly; decided again, it replaces the new text, keeping it.
    store.add_many([entry_for(seed_bytes())])
    theirs = entry_for(edited(seed_bytes()))
    real_existing = store._existing
    calls = []

    def find_then_lose(ids, *, full):
        calls.append(ids)
        found = real_existing(ids, full=full)
        if len(calls) == 1:
            store.add_many([theirs], replace=True)
        return found

    monkeypatch.setattr(store, "_existing", find_then_lose)
    ours = entry_for(seed_bytes() + b"\nOUR ADDENDUM.\n")
    outcome = store.add_many([ours], replace=True)[0]
    assert outcome.outcome == REPLACED
    assert len(calls) >= 3  # ours, theirs (inside), ours again
    assert store.get_raw("06ALMATY1457")[0] == seed_bytes() + b"\nOUR ADDENDUM.\n"
    kept = {version["sha256"] for version in store.versions_of("06ALMATY1457")}
    assert kept == {entry_for(seed_bytes()).sha256, theirs.sha256}


@pytest.mark.parametrize("store", STORE_KINDS[1:], indirect=True)
def test_a_document_the_server_refuses_is_invalid_and_the_rest_go_in(store, monkeypatch):
    real_bulk_write = store.cables.bulk_write

    def refuse_the_first(operations, ordered):
        assert ordered is False
        result = real_bulk_write(operations[1:], ordered=ordered)
        details = {
            "writeErrors": [{"index": 0, "code": 10334, "errmsg": "BSONObj size too large"}],
            "nInserted": result.inserted_count,
            "nMatched": result.matched_count,
        }
        raise BulkWriteError(details)

    monkeypatch.setattr(store.cables, "bulk_write", refuse_the_first)
    batch = [entry_for(seed_bytes()), entry_for(CP1252_TELEGRAM.read_bytes())]
    outcomes = store.add_many(batch)
    assert [(o.outcome, o.reference_id) for o in outcomes] == [
        ("invalid", "06ALMATY1457"),
        (CREATED, "07KINGSTON382"),
    ]
    assert "BSONObj size too large" in outcomes[0].reason
    assert store.get("06ALMATY1457") is None


# mongomock itself is not safe for concurrent writers; the MongoDB engine's lost race is
# tested deterministically above.
@pytest.mark.parametrize("store", [STORE_KINDS[0], STORE_KINDS[2]], indirect=True)
def test_two_concurrent_uploads_of_a_new_cable_make_one_document(store):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def upload() -> None:
        entry = entry_for(seed_bytes())
        barrier.wait()
        outcomes.append(store.add_many([entry])[0].outcome)

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [CREATED, UNCHANGED]
    assert store.count() == 1


def test_indexes_are_created_idempotently(store):
    store.ensure_indexes()
    assert store.readiness()["ready"] is True
    assert store.readiness()["engine"] == store.engine


@pytest.mark.parametrize("store", STORE_KINDS[1:], indirect=True)
def test_mongodb_keys_cables_by_reference_id_without_a_unique_index(store):
    # `_id` is the reference id: unique by itself, and no other unique index blocks sharding.
    store.add_many([entry_for(seed_bytes())])
    with pytest.raises(DuplicateKeyError):
        store.cables.insert_one({"_id": "06ALMATY1457", "reference_id": "06ALMATY1457"})
    unique = [name for name, spec in store.cables.index_information().items() if spec.get("unique")]
    assert unique == []


def test_a_stored_cable_reads_back_as_parsed(store):
    # What the parser produced, plus the ingestion keys, minus the raw input (served by /raw).
    uploads = [seed_bytes(), CP1252_TELEGRAM.read_bytes()]
    store.add_many([entry_for(data) for data in uploads])
    for data in uploads:
        parsed = parse_cable(data)
        document = store.get(parsed["reference_id"])
        assert document is not None
        shown = {k: v for k, v in document.items() if k not in ("ingested_at", "source")}
        expected = {k: v for k, v in parsed.items() if k != "raw"}
        assert shown == json_round_trip(expected)
    assert store.get("06almaty1457") is None
    assert store.digests(["06ALMATY1457", "99NOWHERE1"]) == {
        "06ALMATY1457": parse_cable(seed_bytes())["sha256"]
    }


def json_round_trip(value):
    """A value as a store gives it back: tuples as lists."""
    import json

    return json.loads(json.dumps(value))


def test_sqlite_keeps_its_data_in_the_file(tmp_path):
    path = str(tmp_path / "kept.db")
    first = open_store({"EMBEDDED_DB": path})
    first.ensure_indexes()
    first.add_many([entry_for(seed_bytes())])
    first.close()
    again = open_store({"EMBEDDED_DB": path})
    again.ensure_indexes()
    assert again.count() == 1 and again.get("06ALMATY1457") is not None
    assert again.get_raw("06ALMATY1457")[0] == seed_bytes()


def test_identical_uploads_share_one_raw_input_in_sqlite(tmp_path):
    import sqlite3

    path = str(tmp_path / "shared.db")
    store = open_store({"EMBEDDED_DB": path})
    store.ensure_indexes()
    store.add_many([entry_for(seed_bytes())])
    store.delete("06ALMATY1457")
    store.add_many([entry_for(seed_bytes())])
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM raw_inputs").fetchone()[0] == 1
    assert store.get_raw("06ALMATY1457")[0] == seed_bytes()


def _upload_in_another_process(path: str, files: list[str], results) -> None:
    """A worker process of its own adding the files to the SQLite file."""
    store = open_store({"EMBEDDED_DB": path})
    entries = [entry_for(Path(file).read_bytes()) for file in files]
    results.put(sorted(outcome.outcome for outcome in store.add_many(entries)))


def test_worker_processes_share_one_sqlite_file(tmp_path):
    # As gunicorn's workers do: each process its own connection; every cable stored once.
    import multiprocessing

    path = str(tmp_path / "shared.db")
    open_store({"EMBEDDED_DB": path}).close()
    files = [str(file) for file in sorted(CABLES.iterdir())[:12]]
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [
        context.Process(target=_upload_in_another_process, args=(path, files, results))
        for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    every = [outcome for found in outcomes for outcome in found]
    stored = open_store({"EMBEDDED_DB": path}).count()
    assert every.count(CREATED) == stored and every.count(UNCHANGED) == 2 * stored
