"""What the robustness tests share: an app with tokens, real cables, and the problem checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.test import TestResponse

from service import create_app
from service.parsing import parse_cable

DATA = Path(__file__).parents[1] / "data"
SEED = DATA / "seed" / "06ALMATY1457.txt"
CABLES = DATA / "corpus" / "cables"
CSV_SAMPLE = DATA / "corpus" / "csv" / "cables_sample.csv"
WRITE_TOKEN = "robust-write-token"
READ_TOKEN = "robust-read-token"
WRITE = {"Authorization": f"Bearer {WRITE_TOKEN}"}
MEDIA_TYPES = {".html": "text/html", ".txt": "text/plain", ".json": "application/json"}
PROBLEM = "application/problem+json"
# Keys the store adds to a parsed document, and the raw text it keeps but never shows.
INGESTION_KEYS = ("ingested_at", "source")
HIDDEN_KEYS = ("raw",)


def make_app(**settings: Any) -> Flask:
    """An app on a fresh embedded store, with a write token; settings override."""
    config = {"TESTING": True, "EMBEDDED_DB": ":memory:", "API_TOKENS": WRITE_TOKEN}
    return create_app({**config, **settings})


def assert_problem(response: TestResponse, *statuses: int) -> dict[str, Any]:
    """The response is a problem+json document with one of `statuses`; its body."""
    assert response.status_code in statuses, (response.status_code, response.get_data()[:500])
    assert response.mimetype == PROBLEM
    body: dict[str, Any] = response.get_json()
    assert body["status"] == response.status_code
    assert body["detail"]
    return body


def stored_ids(app: Flask) -> set[str]:
    """Every reference id in the app's store."""
    from service.query.conditions import EVERYTHING

    store = app.extensions["store"]
    return {document["reference_id"] for document in store.export(EVERYTHING, "reference_id", [])}


def shown(document: dict[str, Any]) -> dict[str, Any]:
    """A parsed or stored document as the API shows it, without the ingestion keys."""
    hidden = INGESTION_KEYS + HIDDEN_KEYS
    return {key: value for key, value in document.items() if key not in hidden}


def fresh_parse(data: bytes | str, **options: Any) -> dict[str, Any]:
    """What the parser makes of the input now, as the API would show it."""
    return shown(parse_cable(data, **options))


def corpus_files(count: int, start: int = 0) -> list[Path]:
    """`count` real cable files, one per reference id, in name order."""
    files: list[Path] = []
    seen: set[str] = set()
    for path in sorted(CABLES.iterdir()):
        reference_id = path.stem
        if reference_id in seen:
            continue
        seen.add(reference_id)
        files.append(path)
    return files[start : start + count]


def corpus_texts(count: int) -> list[str]:
    """The text of `count` real cables (pages and telegrams), for JSON and NDJSON bodies."""
    return [path.read_text(encoding="utf-8", errors="replace") for path in corpus_files(count)]
