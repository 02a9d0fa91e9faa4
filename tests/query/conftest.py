"""A session-wide embedded store holding the real corpus, for the query engine tests."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from people_data import with_mentioned

from service.ingest.entries import make_entry
from service.parsing import parse_cable
from service.store.core import CableStore, open_store

CORPUS = Path(__file__).parent.parent / "data" / "corpus" / "cables"
MEDIA_TYPES = {".html": "text/html", ".txt": "text/plain", ".json": "application/json"}


@pytest.fixture(scope="session")
def corpus_store() -> CableStore:
    """An embedded store loaded once with every corpus file (first copy of an id wins)."""
    store = open_store("mongomock://", "query-tests", logger=logging.getLogger("tests"))
    store.ensure_indexes()
    entries = []
    for path in sorted(CORPUS.iterdir()):
        data = path.read_bytes()
        entries.append(
            make_entry(parse_cable(data), data, MEDIA_TYPES[path.suffix], {"file": path.name})
        )
    store.add_many(entries)
    return store


@pytest.fixture(scope="session")
def corpus_documents(corpus_store: CableStore) -> list[dict[str, Any]]:
    """Every stored document, as the store returns it."""
    return list(corpus_store.cables.find({}))


@pytest.fixture(scope="session")
def people_documents(corpus_documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The corpus documents, each mentioning some people (tests/people_data.py)."""
    return with_mentioned(corpus_documents)


@pytest.fixture(scope="session")
def people_store(people_documents: list[dict[str, Any]]) -> CableStore:
    """An embedded store holding `people_documents`."""
    store = open_store("mongomock://", "query-people-tests", logger=logging.getLogger("tests"))
    store.ensure_indexes()
    store.cables.insert_many([dict(document) for document in people_documents])
    return store
