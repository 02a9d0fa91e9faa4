"""The store: every MongoDB call the service makes lives here."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from pymongo.database import Database

from service.store.indexes import CABLE_INDEXES

EMBEDDED_SCHEMES = ("", "mongomock://")


class CableStore:
    """Cables in MongoDB (or the embedded mongomock store)."""

    def __init__(self, db: Database, *, embedded: bool) -> None:
        self.db = db
        self.embedded = embedded
        self.cables = db["cables"]
        self.versions = db["cable_versions"]

    def ensure_indexes(self) -> None:
        """Create every index the queries need; safe to call on every start."""
        for keys, options in CABLE_INDEXES:
            self.cables.create_index(keys, **options)

    def readiness(self) -> dict[str, Any]:
        """Whether the store answers and holds its indexes."""
        try:
            self.db.command("ping")
            names = set(self.cables.index_information())
        except Exception as error:  # any driver failure means "not ready"
            return {"ready": False, "detail": f"store unreachable: {error}"}
        return {"ready": "reference_id_1" in names, "detail": "ok", "embedded": self.embedded}


def open_store(uri: str, db_name: str, *, logger: logging.Logger | None = None) -> CableStore:
    """Open the store named by `uri`; empty or mongomock:// is the in-process store."""
    if uri.startswith(EMBEDDED_SCHEMES[1]) or not uri:
        import mongomock

        (logger or logging.getLogger(__name__)).warning(
            "MONGO_URI is not set: using the embedded in-memory store; data is lost on exit"
        )
        return CableStore(mongomock.MongoClient()[db_name], embedded=True)
    from pymongo import MongoClient

    client: MongoClient[dict[str, Any]] = MongoClient(uri, connect=False, tz_aware=True)
    return CableStore(client[db_name], embedded=False)


def get_store() -> CableStore:
    """The store of the current app."""
    store: CableStore = current_app.extensions["store"]
    return store
