"""Shared fixtures: app -> client, on the embedded (SQLite, in memory) store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import create_app

DATA = Path(__file__).parent / "data"
# Rate limits stay off for every app the suite creates (tests/robustness/ switches them on
# explicitly): a test making many requests must not meet a 429 it is not about.
os.environ.setdefault("RATE_LIMIT", "off")
# Every app and command the suite starts keeps its cables in memory unless a test says where.
os.environ.setdefault("EMBEDDED_DB", ":memory:")
WRITE_TOKEN = "test-write-token"


@pytest.fixture
def app() -> Iterator[Flask]:
    app = create_app({"TESTING": True, "EMBEDDED_DB": ":memory:", "API_TOKENS": WRITE_TOKEN})
    yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(autouse=True)
def responses_follow_the_contract(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every response a test gets from a Flask test client must be one openapi.yaml describes."""
    from contract_check import ContractClient, take_violations

    monkeypatch.setattr(Flask, "test_client_class", ContractClient)
    take_violations()
    yield
    found = take_violations()
    assert not found, "responses that openapi.yaml does not describe:\n" + "\n".join(found)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The rates some tests measured (tests/reports.py), after the dots and the failures."""
    from reports import reports

    kept = reports()
    if kept:
        terminalreporter.section("measured rates")
        for text in kept:
            terminalreporter.write_line(text)
