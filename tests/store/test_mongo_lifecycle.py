"""The MongoDB engine's index lifecycle (issue 19 items 1 and 13): `cables migrate` builds,
a worker's boot only checks (never builds, never fails on an index that differs), `/ready`
answers 503 naming missing or still-building indexes. On mongomock (a store made to look
shared, as a real server's is) and, where TEST_MONGO_URI is set, on a real MongoDB."""

from __future__ import annotations

import logging
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service import create_app
from service.cli import main
from service.store import open_store
from service.store.mongo import lifecycle
from service.store.mongo.indexes import indexes_for
from service.store.mongo.store import MongoStore

ROOT = Path(__file__).parents[2]
REAL_MONGO_URI = os.environ.get("TEST_MONGO_URI", "")
ENGINES = [
    pytest.param("mongomock", id="mongomock"),
    pytest.param(
        "mongodb",
        id="mongodb",
        marks=pytest.mark.skipif(not REAL_MONGO_URI, reason="TEST_MONGO_URI is not set"),
    ),
]


@pytest.fixture(params=ENGINES)
def shared(request) -> Iterator[MongoStore]:
    """A MongoDB-engine store without indexes, shared as a server's database is (mongomock's
    is marked shared: boot then treats it as it treats a real server's)."""
    if request.param == "mongomock":
        store = open_store({"MONGO_URI": "mongomock://", "MONGO_DB": "lifecycle"})
    else:
        name = f"cables_test_{uuid.uuid4().hex[:12]}"
        store = open_store({"MONGO_URI": REAL_MONGO_URI, "MONGO_DB": name})
    assert isinstance(store, MongoStore)
    store.shared = True
    yield store
    if request.param == "mongodb":
        store.db.client.drop_database(store.db.name)


def names(collection: Any) -> set[str]:
    return {index["name"] for index in collection.list_indexes()}


def wanted(text_index: bool = False) -> list[str]:
    """The names of the cables indexes the service wants (indexes.py decides which)."""
    return [options["name"] for _, options in indexes_for(text_index=text_index)]


def test_boot_builds_nothing_on_a_shared_store_and_says_what_is_missing(shared, caplog):
    with caplog.at_level(logging.WARNING):
        app = create_app({"TESTING": True, "STORE": shared})
    assert names(shared.cables) <= {"_id_"}  # no index built at boot
    warning = " ".join(record.getMessage() for record in caplog.records)
    assert "cables migrate" in warning
    assert all(f"cables.{name}" in warning for name in wanted(shared.text_index))
    response = app.test_client().get("/ready")
    assert response.status_code == 503 and response.mimetype == "application/problem+json"
    detail = response.get_json()["detail"]
    assert detail.startswith(f"missing indexes: cables.{wanted(shared.text_index)[0]}, ")
    assert "cable_versions.reference_id_1_superseded_at_1" in detail


def test_ready_once_migrate_has_built_every_index(shared):
    app = create_app({"TESTING": True, "STORE": shared})
    built = shared.migrate()
    wanted = len(indexes_for(text_index=shared.text_index)) + len(lifecycle.VERSION_INDEXES)
    assert len(built) == wanted
    assert shared.migrate() == []  # idempotent
    ready = app.test_client().get("/ready")
    assert ready.status_code == 200 and ready.get_json() == {
        "ready": True,
        "detail": "ok",
        "engine": "mongodb",
    }


def test_an_index_that_differs_never_fails_boot_or_migrate(shared, caplog):
    # The README once said to create reference_id_1 by hand (non-unique) on a sharded
    # cluster, while boot created it unique: workers then never started. Now an index
    # present under a wanted name is left as it is, and named.
    keys, options = indexes_for(text_index=shared.text_index)[0]
    name = options["name"]
    shared.cables.create_index(keys, name=name, unique=True)
    with caplog.at_level(logging.WARNING):
        app = create_app({"TESTING": True, "STORE": shared})
    assert f"cables.{name} (unique True, wanted None)" in caplog.text
    shared.migrate()
    assert shared.cables.index_information()[name].get("unique") is True
    ready = app.test_client().get("/ready")
    assert ready.status_code == 200
    assert "differ" in ready.get_json()["detail"]


class FakeDatabase:
    """A database whose listIndexes names one index still building (MongoDB 4.4+ with
    includeBuildUUIDs lists it as {spec, buildUUID})."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.commands: list[dict[str, Any]] = []

    def command(self, command: dict[str, Any]) -> dict[str, Any]:
        self.commands.append(command)
        return {"cursor": {"firstBatch": self.rows}}


class FakeCollection:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.name = "cables"
        self.database = FakeDatabase(rows)


def test_an_index_still_building_is_reported_as_building():
    keys, options = indexes_for(text_index=True)[-1]  # the text index
    rows = [
        {"name": "_id_", "key": {"_id": 1}},
        {"spec": {"name": options["name"], "key": {"_fts": "text", "_ftsx": 1}}, "buildUUID": 1},
    ]
    collection = FakeCollection(rows)
    report = lifecycle.check(collection, [(keys, options)])
    assert report.building == [f"cables.{options['name']}"] and not report.complete
    assert collection.database.commands == [{"listIndexes": "cables", "includeBuildUUIDs": True}]
    assert f"indexes still building: cables.{options['name']}" in report.problems()


def test_ready_names_a_building_index(monkeypatch):
    store = open_store({"MONGO_URI": "mongomock://", "MONGO_DB": "building"})
    assert isinstance(store, MongoStore)
    store.migrate()
    real = lifecycle.stored_indexes

    building_one = wanted()[-1]

    def one_building(collection: Any) -> tuple[dict[str, Any], set[str]]:
        stored, building = real(collection)
        return stored, building | ({building_one} if collection.name == "cables" else set())

    monkeypatch.setattr(lifecycle, "stored_indexes", one_building)
    status = store.readiness()
    assert status["ready"] is False
    expected = f"indexes still building: cables.{building_one}; run `cables migrate`"
    assert status["detail"] == expected


def test_no_unique_index_but_id_is_built(shared):
    shared.migrate()
    for collection in (shared.cables, shared.versions):
        unique = [n for n, spec in collection.index_information().items() if spec.get("unique")]
        assert unique == []
    specs = [*indexes_for(text_index=True), *lifecycle.VERSION_INDEXES]
    assert not [options for _, options in specs if options.get("unique")]


# `cables migrate`


def test_cables_migrate_creates_the_sqlite_schema_and_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EMBEDDED_DB", str(tmp_path / "cables.db"))
    monkeypatch.delenv("MONGO_URI", raising=False)
    assert main(["migrate"]) == 0
    out = capsys.readouterr().out
    assert "created table cables" in out and "created index cables_created" in out
    assert main(["migrate"]) == 0
    again = capsys.readouterr().out
    assert "created" not in again and "SQLite schema of" in again


def test_cables_migrate_builds_the_mongodb_indexes(monkeypatch, capsys):
    monkeypatch.setenv("MONGO_URI", "mongomock://")
    assert main(["migrate"]) == 0
    out = capsys.readouterr().out
    assert all(f"built cables.{name}\n" in out for name in wanted())
    assert "built cable_versions.reference_id_1_superseded_at_1" in out
    assert re.search(r"^\d+ indexes present$", out, re.MULTILINE)


def test_cables_migrate_cannot_reach_the_server_exits_3(monkeypatch, capsys):
    monkeypatch.setenv("MONGO_URI", "mongodb://127.0.0.1:1/")
    monkeypatch.setattr("service.store.mongo.lifecycle.stored_indexes", _unreachable)
    assert main(["migrate"]) == 3
    assert "cables migrate: no MongoDB server available" in capsys.readouterr().err


def _unreachable(collection: Any) -> Any:
    from pymongo.errors import ServerSelectionTimeoutError

    raise ServerSelectionTimeoutError("127.0.0.1:1: connection refused")


# The container and the README


def test_the_container_runs_migrate_before_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    command = dockerfile[dockerfile.index("\nCMD ") :]
    assert command.index("cables migrate") < command.index("exec gunicorn")


def test_the_readme_advises_no_unique_index_and_a_shard_key_for_versions():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sharding = readme[readme.index("**A sharded cluster") : readme.index("**Shared state")]
    assert "without `unique`" not in sharding and "create `reference_id_1`" not in sharding
    assert "no other unique" in sharding
    assert '{_id: "hashed"}' in sharding
    assert 'sh.shardCollection("cables.cable_versions"' in sharding
