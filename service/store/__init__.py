"""The store: one seam (service.store.protocols), two engines, chosen once from the settings.

- SQLite (service.store.sqlite), the embedded default: a database file, `EMBEDDED_DB`
  (default `data/cables.db` under the working directory; `:memory:` for a throwaway one).
- MongoDB (service.store.mongo), when `MONGO_URI` is a `mongodb://` or `mongodb+srv://` URI;
  `mongomock://` runs the same engine on mongomock in memory (tests, comparisons).

Nothing outside this package knows which engine runs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from service.store.protocols import Page, Store

__all__ = ["Page", "Store", "open_store", "store_place"]

MONGODB_SCHEMES = ("mongodb://", "mongodb+srv://")
MONGOMOCK_SCHEME = "mongomock://"
MEMORY = ":memory:"
DEFAULT_DB = "data/cables.db"
DEFAULT_TIMEOUT_MS = 30_000  # MONGO_TIMEOUT_MS


def store_place(settings: Mapping[str, Any]) -> tuple[str, bool]:
    """Where open_store(settings) keeps the cables, in words, and whether they outlive the
    process: MONGO_URI's database, else the SQLite file EMBEDDED_DB (`:memory:` keeps none)."""
    uri = str(settings.get("MONGO_URI") or "")
    if uri.startswith(MONGOMOCK_SCHEME):
        return "an in-memory MongoDB (mongomock)", False
    if uri:
        return f"database {settings.get('MONGO_DB') or 'cables'!r} of MONGO_URI", True
    path = str(settings.get("EMBEDDED_DB") or DEFAULT_DB)
    if path == MEMORY:
        return f"an in-memory SQLite database (EMBEDDED_DB={MEMORY})", False
    return f"the SQLite file {path} (EMBEDDED_DB)", True


def open_store(settings: Mapping[str, Any], *, logger: logging.Logger | None = None) -> Store:
    """The store the settings name: MONGO_URI's MongoDB, else the SQLite file EMBEDDED_DB."""
    uri = str(settings.get("MONGO_URI") or "")
    db_name = str(settings.get("MONGO_DB") or "cables")
    if uri.startswith(MONGOMOCK_SCHEME):
        import mongomock

        from service.store.mongo.store import MongoStore

        return MongoStore(mongomock.MongoClient()[db_name], text_index=False, shared=False)
    if uri.startswith(MONGODB_SCHEMES):
        from pymongo import MongoClient

        from service.store.mongo.reads import TOTALS_SECONDS
        from service.store.mongo.store import MongoStore

        # timeoutMS bounds every operation (each find and getMore of an export apart): a
        # runaway query ends, and its request answers 504 (service.store.mongo.driver).
        # MONGO_TIMEOUT_MS: unset is the default, 0 no limit (`cables migrate`).
        timeout = settings.get("MONGO_TIMEOUT_MS")
        timeout_ms = DEFAULT_TIMEOUT_MS if timeout in (None, "") else int(timeout)
        client: MongoClient[dict[str, Any]] = MongoClient(
            uri,
            connect=False,
            tz_aware=True,
            serverSelectionTimeoutMS=5000,
            timeoutMS=timeout_ms if timeout_ms > 0 else None,
        )
        preference = str(settings.get("MONGO_ANALYTICS_READ_PREFERENCE") or "")
        return MongoStore(
            client[db_name],
            text_index=True,
            analytics_read_preference=preference,
            totals_seconds=TOTALS_SECONDS,
        )
    if uri:
        raise ValueError("MONGO_URI must start with mongodb://, mongodb+srv:// or mongomock://")
    from service.store.sqlite.store import SQLiteStore

    path = str(settings.get("EMBEDDED_DB") or DEFAULT_DB)
    if path != MEMORY:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    (logger or logging.getLogger(__name__)).info("embedded store: SQLite database %s", path)
    return SQLiteStore(path)
