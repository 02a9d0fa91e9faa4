"""A session-wide app per engine whose store holds the whole real corpus (tests/data/corpus):
every test using `corpus_client` runs on SQLite and on the MongoDB engine (mongomock)."""

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
ENGINE_SETTINGS = {
    "sqlite": {"EMBEDDED_DB": ":memory:"},
    "mongomock": {"MONGO_URI": "mongomock://"},
}


def corpus_app_on(engine: str) -> Flask:
    """An app on the engine, its store loaded with every corpus file (first copy of an id)."""
    app = create_app({"TESTING": True, **ENGINE_SETTINGS[engine]})
    entries = []
    for path in sorted((CORPUS / "cables").iterdir()):
        data = path.read_bytes()
        media_type = MEDIA_TYPES[path.suffix]
        entries.append(make_entry(parse_cable(data), data, media_type, {"file": path.name}))
    app.extensions["store"].add_many(entries)
    return app


@pytest.fixture(scope="session")
def corpus_apps() -> dict[str, Flask]:
    """The corpus app of each engine."""
    return {engine: corpus_app_on(engine) for engine in ENGINE_SETTINGS}


@pytest.fixture(scope="session", params=list(ENGINE_SETTINGS))
def corpus_app(request: pytest.FixtureRequest, corpus_apps: dict[str, Flask]) -> Flask:
    """The corpus app, once per engine."""
    return corpus_apps[request.param]


@pytest.fixture(scope="session")
def corpus_client(corpus_app: Flask) -> FlaskClient:
    """A test client of the corpus app (read-only requests only)."""
    return corpus_app.test_client()
