"""Shared fixtures: app -> client, on the embedded store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import create_app

DATA = Path(__file__).parent / "data"
WRITE_TOKEN = "test-write-token"


@pytest.fixture
def app() -> Iterator[Flask]:
    app = create_app({"TESTING": True, "MONGO_URI": "mongomock://", "API_TOKENS": WRITE_TOKEN})
    yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
