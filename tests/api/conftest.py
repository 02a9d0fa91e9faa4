"""A session-wide app whose embedded store holds the whole real corpus (tests/data/corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import create_app
from service.ingest.entries import make_entry
from service.parsing import parse_cable

CORPUS = Path(__file__).parent.parent / "data" / "corpus"
MEDIA_TYPES = {".html": "text/html", ".txt": "text/plain", ".json": "application/json"}


@pytest.fixture(scope="session")
def corpus_app() -> Flask:
    """An app on a store loaded once with every corpus file (first copy of an id wins)."""
    app = create_app({"TESTING": True, "MONGO_URI": "mongomock://"})
    entries = []
    for path in sorted((CORPUS / "cables").iterdir()):
        data = path.read_bytes()
        media_type = MEDIA_TYPES[path.suffix]
        entries.append(make_entry(parse_cable(data), data, media_type, {"file": path.name}))
    app.extensions["store"].add_many(entries)
    return app


@pytest.fixture(scope="session")
def corpus_client(corpus_app: Flask) -> FlaskClient:
    """A test client of the corpus app (read-only requests only)."""
    return corpus_app.test_client()
