"""Session-wide stores holding the real corpus, one per engine, for the query engine tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from people_data import with_mentioned
from sharding import shard_cables

from service.ingest.entries import Entry, make_entry
from service.parsing import parse_cable
from service.store import Store, open_store

CORPUS = Path(__file__).parent.parent / "data" / "corpus" / "cables"
MEDIA_TYPES = {".html": "text/html", ".txt": "text/plain", ".json": "application/json"}
REAL_MONGO_URI = os.environ.get("TEST_MONGO_URI", "")
# The engines every query test compares: SQLite, the MongoDB engine on mongomock, and a real
# MongoDB where TEST_MONGO_URI names one.
ENGINES = ["sqlite", "mongomock", *(["mongodb"] if REAL_MONGO_URI else [])]
STORE_KEYS = ("_id", "ingested_at", "source", "raw_bytes", "input_metadata")


def fresh_store(engine: str) -> Store:
    """An empty store of the engine, with its indexes."""
    if engine == "sqlite":
        store = open_store({"EMBEDDED_DB": ":memory:"})
    elif engine == "mongomock":
        store = open_store(
            {"MONGO_URI": "mongomock://", "MONGO_DB": f"query_tests_{uuid.uuid4().hex[:12]}"}
        )
    else:
        store = open_store(
            {"MONGO_URI": REAL_MONGO_URI, "MONGO_DB": f"query_tests_{uuid.uuid4().hex[:12]}"}
        )
        shard_cables(store.db)  # type: ignore[attr-defined]
    store.ensure_indexes()
    return store


def entry_of(document: dict[str, Any]) -> Entry:
    """An entry storing a document as it is (store keys taken from it)."""
    source = document.get("source") or {"media_type": "text/plain"}
    parsed = {key: value for key, value in document.items() if key not in STORE_KEYS}
    parsed.setdefault("sha256", str(document["reference_id"]))
    return Entry(parsed, document.get("raw_bytes"), source["media_type"], source)


def corpus_entries() -> list[Entry]:
    """Every corpus file parsed (the first copy of an id is the one stored)."""
    entries = []
    for path in sorted(CORPUS.iterdir()):
        data = path.read_bytes()
        entries.append(
            make_entry(parse_cable(data), data, MEDIA_TYPES[path.suffix], {"file": path.name})
        )
    return entries


def all_documents(store: Store) -> list[dict[str, Any]]:
    """Every stored document, whole, in reference id order."""
    return [
        doc for batch in store.candidates("", batch_size=1000, everything=True) for doc in batch
    ]


@pytest.fixture(scope="session")
def corpus_stores() -> Iterator[dict[str, Store]]:
    """A store per engine, each loaded once with every corpus file."""
    entries = corpus_entries()
    stores = {engine: fresh_store(engine) for engine in ENGINES}
    for store in stores.values():
        store.add_many(entries)
    yield stores
    if "mongodb" in stores:
        stores["mongodb"].close()


@pytest.fixture(scope="session")
def corpus_store(corpus_stores: dict[str, Store]) -> Store:
    """The corpus on the embedded default (SQLite)."""
    return corpus_stores["sqlite"]


@pytest.fixture(scope="session")
def corpus_documents(corpus_store: Store) -> list[dict[str, Any]]:
    """Every stored document, as the store returns it."""
    return all_documents(corpus_store)


@pytest.fixture(scope="session")
def people_documents(corpus_documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The corpus documents, each mentioning some people (tests/people_data.py)."""
    return with_mentioned(corpus_documents)


@pytest.fixture(scope="session")
def people_stores(people_documents: list[dict[str, Any]]) -> dict[str, Store]:
    """A store per engine holding `people_documents`."""
    stores = {engine: fresh_store(engine) for engine in ENGINES}
    for store in stores.values():
        store.add_many([entry_of(document) for document in people_documents])
    return stores


@pytest.fixture(scope="session")
def people_store(people_stores: dict[str, Store]) -> Store:
    """The people documents on SQLite."""
    return people_stores["sqlite"]
