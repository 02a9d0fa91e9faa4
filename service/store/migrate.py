"""Building a store's indexes (or schema) and checking them: `cables migrate` builds, a
worker's boot only checks (service.create_app), `/ready` reports (Store.readiness).

MongoDB: the indexes of service.store.mongo.indexes, built by `cables migrate` only (a text
index on a large collection outlasts any worker's start-up). SQLite: its schema, created or
upgraded when its file is opened (each statement IF NOT EXISTS), as `scripts/serve` has
always done; `cables migrate` does the same and says what it created.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.store import DEFAULT_DB, MEMORY, MONGOMOCK_SCHEME, Store, open_store


@dataclass
class Migration:
    """What `cables migrate` did: lines to print, and whether the store is complete."""

    lines: list[str] = field(default_factory=list)
    complete: bool = True


def check_at_boot(store: Store, logger: logging.Logger) -> None:
    """At a worker's start: build nothing on a shared store, only say what is missing.

    A store in this process only (mongomock, SQLite `:memory:`) is built here: nobody else
    could migrate it. A failed check (no primary during an election...) is logged, never
    raised: boot does not fail on indexes, and `/ready` keeps answering 503 until they exist.
    """
    if not store.shared:
        store.ensure_indexes()
        return
    index_report = getattr(store, "index_report", None)
    if index_report is None:  # SQLite: the schema was made when its file was opened
        return
    try:
        problems = index_report().problems()
    except Exception as error:  # the store unreachable now: /ready will say so
        logger.warning("could not check the store's indexes at start-up: %s", error)
        return
    if problems:
        logger.warning(
            "store indexes: %s; run `cables migrate` (/ready answers 503 while any is "
            "missing or building)",
            problems,
        )


def migrate(settings: Mapping[str, Any]) -> Migration:
    """Build what the store the settings name lacks; what was built and what remains."""
    if not settings.get("MONGO_URI"):
        return _migrate_sqlite(str(settings.get("EMBEDDED_DB") or DEFAULT_DB))
    from service.store.mongo.store import MongoStore

    # No operation time limit here: building a text index on a large collection takes long.
    store = open_store({**settings, "MONGO_TIMEOUT_MS": 0})
    assert isinstance(store, MongoStore)  # MONGO_URI names the MongoDB engine
    try:
        dropped = store.drop_obsolete()  # before building: one text index per collection
        built = store.migrate()
        report = store.index_report()
    finally:
        store.close()
    migration = Migration([f"dropped {name}" for name in dropped])
    migration.lines += [f"built {name}" for name in built]
    migration.lines.append(f"{len(report.present)} indexes present")
    if str(settings.get("MONGO_URI")).startswith(MONGOMOCK_SCHEME):
        migration.lines.append("(mongomock: an in-memory database, gone when this command ends)")
    for name in report.building:
        migration.lines.append(f"still building: {name}")
    for name in report.differing:
        migration.lines.append(
            f"differs: {name}: left as it is; drop it and run `cables migrate` again"
        )
    migration.complete = report.complete and not report.differing
    return migration


def _migrate_sqlite(path: str) -> Migration:
    """Create or upgrade the SQLite schema; the tables and indexes that were created."""
    if path == MEMORY:
        return Migration([f"EMBEDDED_DB={MEMORY}: an in-memory database, nothing to migrate"])
    before = _sqlite_objects(path)
    open_store({"EMBEDDED_DB": path}).close()  # opening creates what is missing
    after = _sqlite_objects(path)
    lines = [f"created {kind} {name}" for kind, name in sorted(after - before)]
    lines.append(f"SQLite schema of {path}: {len(after)} tables and indexes")
    return Migration(lines)


def _sqlite_objects(path: str) -> set[tuple[str, str]]:
    """(type, name) of every table, index and trigger of the SQLite file (none if absent)."""
    if not Path(path).exists():
        return set()
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
    return {(str(kind), str(name)) for kind, name in rows}
