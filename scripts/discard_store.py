"""A store that counts and discards, so a memory figure shows the ingestion path, not the data.

It has the write interface of a store (`service.store.protocols.Writes`, what ingestion calls) and
answers every write with "created". Serve the app with it for a benchmark:

    gunicorn --pythonpath scripts 'discard_store:create_app()'
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask

from service import create_app as create_service_app
from service.ingest.entries import CREATED, Entry, Outcome


class DiscardStore:
    """Counts the cables and bytes it is given and keeps none of them."""

    engine = "discard"
    shared = False

    def __init__(self) -> None:
        self.cables_seen = 0
        self.bytes_seen = 0
        self._lock = threading.Lock()  # gunicorn threads may add concurrently

    def ensure_indexes(self) -> None:
        """Nothing to index."""

    def readiness(self) -> dict[str, Any]:
        """Always ready."""
        return {"ready": True, "detail": "ok (discarding store)", "engine": "sqlite"}

    def add_many(self, entries: list[Entry], *, replace: bool = False) -> list[Outcome]:
        """Count the entries; every one is reported created."""
        size = sum(len(entry.document.get("raw") or "") for entry in entries)
        with self._lock:
            self.cables_seen += len(entries)
            self.bytes_seen += size
        return [Outcome(CREATED, entry.reference_id) for entry in entries]

    def delete(self, reference_id: str) -> bool:
        """Nothing is ever stored, so nothing is deleted."""
        return False

    def get(self, reference_id: str) -> dict[str, Any] | None:
        """Nothing is ever stored."""
        return None

    def get_raw(self, reference_id: str) -> tuple[bytes, str] | None:
        """Nothing is ever stored."""
        return None

    def get_raw_text(self, reference_id: str) -> str | None:
        """Nothing is ever stored."""
        return None

    def versions_of(self, reference_id: str) -> list[dict[str, Any]]:
        """Nothing is ever stored."""
        return []

    def count(self) -> int:
        """How many cables were counted (and discarded)."""
        return self.cables_seen


def create_app() -> Flask:
    """The service with a discarding store, for gunicorn's `module:create_app()` form."""
    return create_service_app({"STORE": DiscardStore()})
