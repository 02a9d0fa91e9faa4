"""What the API answers when the MongoDB engine refuses or cannot confirm a write, or times
out (issue 19): 413 naming the document limit, 422 for a text it cannot encode, 503 for a
write that may not be durable or a store out of reach, 504 for a query past its time limit;
all problem+json, and a bulk upload reports the refused item and stores the others."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from pymongo.errors import (
    BulkWriteError,
    ExecutionTimeout,
    NetworkTimeout,
    ServerSelectionTimeoutError,
    WriteConcernError,
)

from service import create_app
from service.store.mongo import checks

DATA = Path(__file__).parents[1] / "data"
SEED = (DATA / "seed" / "06ALMATY1457.txt").read_text()
OTHER = (DATA / "corpus" / "cables" / "07KINGSTON382.txt").read_bytes().decode("cp1252")
TOKEN = "write-token"
WRITE = {"Authorization": f"Bearer {TOKEN}"}
PROBLEM = "application/problem+json"
SMALL_LIMIT = 60_000  # a document limit the test cables can pass without 16 MiB uploads


@pytest.fixture
def app() -> Flask:
    return create_app({"TESTING": True, "MONGO_URI": "mongomock://", "API_TOKENS": TOKEN})


def problem_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data()[:500]
    assert response.mimetype == PROBLEM
    body: dict[str, Any] = response.get_json()
    assert body["status"] == status
    return body


def big(text: str) -> str:
    """The cable with a long last paragraph: about 80 KB stored."""
    return text.rstrip() + "\n\n" + "A LONG APPENDIX. " * 5000 + "\n"


def post_text(client: Any, text: str, query: str = "") -> Any:
    return client.post(
        f"/cables{query}", data=text.encode(), content_type="text/plain", headers=WRITE
    )


# Item 2: over the document limit


def test_a_single_cable_over_the_document_limit_is_413_naming_it(app, monkeypatch):
    monkeypatch.setattr(checks, "MAX_BSON_BYTES", SMALL_LIMIT)
    client = app.test_client()
    body = problem_of(post_text(client, big(SEED)), 413)
    assert "document limit" in body["detail"] and f"{SMALL_LIMIT:,} bytes" in body["detail"]
    assert body["errors"] == [{"reference_id": "06ALMATY1457"}]
    assert client.get("/cables/06ALMATY1457").status_code == 404


def test_a_replacement_over_the_limit_is_413_and_the_old_text_stays(app, monkeypatch):
    client = app.test_client()
    assert post_text(client, SEED).status_code == 201
    before = client.get("/cables/06ALMATY1457").get_json()
    monkeypatch.setattr(checks, "MAX_BSON_BYTES", SMALL_LIMIT)
    body = problem_of(post_text(client, big(SEED), "?replace=true"), 413)
    assert "the stored text is kept" in body["detail"]
    assert client.get("/cables/06ALMATY1457").get_json() == before


def test_a_bulk_upload_reports_the_item_over_the_limit_and_stores_the_others(app, monkeypatch):
    monkeypatch.setattr(checks, "MAX_BSON_BYTES", SMALL_LIMIT)
    client = app.test_client()
    lines = [json.dumps({"text": big(SEED)}), json.dumps({"text": OTHER})]
    response = client.post(
        "/cables", data="\n".join(lines), content_type="application/x-ndjson", headers=WRITE
    )
    assert response.status_code == 200
    report = response.get_json()
    assert report["counts"]["created"] == 1 and report["counts"]["invalid"] == 1
    (item,) = report["items"]
    assert item["reference_id"] == "06ALMATY1457" and "document limit" in item["reason"]
    assert client.get("/cables/07KINGSTON382").status_code == 200


# Item 3: a lone surrogate through every route reaches the engine's guard


@pytest.fixture
def unchecked(monkeypatch):
    """Ingestion's own surrogate check off, so that the engine's guard alone answers."""
    import service.ingest.pipeline as pipeline

    monkeypatch.setattr(pipeline, "lone_surrogate", lambda value, path="": None)


def with_surrogate(text: str) -> str:
    """The cable's JSON string with a lone surrogate escape in its subject line."""
    return json.dumps(text).replace("SUBJECT: ", "SUBJECT: \\ud800", 1)


def test_a_single_json_upload_with_a_surrogate_is_422_from_the_engine(app, unchecked):
    client = app.test_client()
    body = '{"text": ' + with_surrogate(SEED) + "}"
    response = client.post("/cables", data=body, content_type="application/json", headers=WRITE)
    assert "surrogate" in problem_of(response, 422)["detail"]
    assert client.get("/cables/06ALMATY1457").status_code == 404


def test_single_metadata_with_a_surrogate_is_422_from_the_engine(app, unchecked):
    client = app.test_client()
    body = json.dumps({"text": SEED, "metadata": {"origin": "x"}}).replace('"x"', '"x\\udc80"')
    response = client.post("/cables", data=body, content_type="application/json", headers=WRITE)
    assert "surrogate" in problem_of(response, 422)["detail"]


@pytest.mark.parametrize("form", ["ndjson", "json-array", "metadata"])
def test_a_bulk_item_with_a_surrogate_is_refused_and_the_rest_stored(app, unchecked, form):
    client = app.test_client()
    if form == "metadata":
        bad = json.dumps({"text": SEED, "metadata": {"origin": "x"}}).replace('"x"', '"\\ud800"')
    else:
        bad = '{"text": ' + with_surrogate(SEED) + "}"
    good = json.dumps({"text": OTHER})
    if form == "json-array":
        data, media_type = f"[{bad}, {good}]", "application/json"
    else:
        data, media_type = f"{bad}\n{good}\n", "application/x-ndjson"
    response = client.post("/cables", data=data, content_type=media_type, headers=WRITE)
    assert response.status_code == 200, response.get_data()[:300]
    report = response.get_json()
    assert report["counts"]["created"] == 1 and report["counts"]["invalid"] == 1
    assert "surrogate" in report["items"][0]["reason"]
    assert client.get("/cables/07KINGSTON382").status_code == 200


def test_a_csv_row_with_an_encoded_surrogate_never_reaches_the_driver_as_one(app, unchecked):
    # CSV is bytes: a surrogate's bytes (CESU-8 ED B3 BF) are no UTF-8, so the row decodes
    # as Windows-1252 and what is stored holds no surrogate.
    client = app.test_client()
    text = SEED.replace("SUBJECT: ", "SUBJECT: \udcff", 1).encode("utf-8", "surrogatepass")
    escaped = text.replace(b"\\", b"\\\\").replace(b'"', b'\\"')
    data = b'"1","12/1/2006 12:00","06ALMATY1457","Embassy Almaty","CONFIDENTIAL","","","'
    data += escaped + b'"\n'
    response = client.post("/cables", data=data, content_type="text/csv", headers=WRITE)
    assert response.status_code == 200, response.get_data()[:300]
    assert response.get_json()["counts"]["created"] == 1
    subject = client.get("/cables/06ALMATY1457").get_json()["subject"]
    assert not any("\ud800" <= character <= "\udfff" for character in subject)


# Item 6: a write the write concern did not acknowledge


def unacknowledged(real: Any) -> Any:
    def bulk_write(operations: Any, ordered: bool) -> Any:
        result = real(operations, ordered=ordered)
        details = {
            "writeErrors": [],
            "writeConcernErrors": [{"code": 64, "errmsg": "waiting for replication timed out"}],
            "nInserted": result.inserted_count,
            "nMatched": result.matched_count,
        }
        raise BulkWriteError(details)

    return bulk_write


def test_a_single_upload_not_acknowledged_is_503_not_201(app, monkeypatch):
    cables = app.extensions["store"].cables
    monkeypatch.setattr(cables, "bulk_write", unacknowledged(cables.bulk_write))
    response = post_text(app.test_client(), SEED)
    body = problem_of(response, 503)
    assert "may not be durable" in body["detail"]
    assert response.headers["Retry-After"]


def test_a_delete_not_acknowledged_is_503(app, monkeypatch):
    client = app.test_client()
    assert post_text(client, SEED).status_code == 201
    store = app.extensions["store"]
    real = store.cables

    class Unconfirmed:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def delete_one(self, *args: Any, **kwargs: Any) -> Any:
            real.delete_one(*args, **kwargs)
            raise WriteConcernError("waiting for replication timed out", 64, {})

    monkeypatch.setattr(store, "cables", Unconfirmed())
    response = client.delete("/cables/06ALMATY1457", headers=WRITE)
    assert "may not be durable" in problem_of(response, 503)["detail"]


# Item 12: timeouts


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ExecutionTimeout("operation exceeded time limit", 50), 504),
        (NetworkTimeout("timed out"), 504),
        (ServerSelectionTimeoutError("no primary"), 503),
    ],
)
@pytest.mark.parametrize("path", ["/cables", "/cables/06ALMATY1457", "/facets"])
def test_driver_timeouts_answer_504_or_503(app, monkeypatch, error, status, path):
    store = app.extensions["store"]

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    for method in ("find", "find_one", "aggregate", "count_documents"):
        monkeypatch.setattr(store.cables, method, fail)
        monkeypatch.setattr(store.analytics, method, fail)
    body = problem_of(app.test_client().get(path), status)
    assert "time limit" in body["detail"] if status == 504 else "unavailable" in body["detail"]
