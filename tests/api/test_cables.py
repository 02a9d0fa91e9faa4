"""POST /cables (one cable), POST /parse, GET /cables/<id>, GET .../raw, DELETE, through HTTP."""

from __future__ import annotations

import json
import threading
from hashlib import sha256
from pathlib import Path

import pytest
from pymongo import MongoClient

from service import create_app
from service.store.mongo.store import MongoStore

DATA = Path(__file__).parents[1] / "data"
CABLES = DATA / "corpus" / "cables"
SEED = DATA / "seed" / "06ALMATY1457.txt"
WRITE_TOKEN = "test-write-token"  # the write token of tests/conftest.py's app
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
PROBLEM = "application/problem+json"


def seed_text() -> str:
    """The spec cable as text."""
    return SEED.read_text("utf-8")


# (what, body, media type, reference id): one upload per single-cable form.
SINGLE_UPLOADS = [
    ("plusd text", SEED.read_bytes(), "text/plain", "06ALMATY1457"),
    ("cablegate page", (CABLES / "07BERN881.html").read_bytes(), "text/html", "07BERN881"),
    ("json wrapper", json.dumps({"text": seed_text()}).encode(), "application/json", None),
    ("cablesearch json", (CABLES / "08MADRID174.json").read_bytes(), "application/json", None),
]


def post(client, body, media_type="text/plain", query=""):
    """POST /cables with the write token."""
    return client.post(f"/cables{query}", data=body, content_type=media_type, headers=AUTH)


@pytest.mark.parametrize(
    ("body", "media_type", "reference_id"),
    [pytest.param(body, media, ref, id=what) for what, body, media, ref in SINGLE_UPLOADS],
)
def test_each_single_form_is_created_with_location_and_read_back(
    client, body, media_type, reference_id
):
    response = post(client, body, media_type)
    assert response.status_code == 201, response.get_json()
    document = response.get_json()
    if reference_id:
        assert document["reference_id"] == reference_id
    assert response.headers["Location"] == f"/cables/{document['reference_id']}"
    assert client.get(response.headers["Location"]).get_json() == document
    assert "raw" not in document
    assert "_id" not in document
    assert document["source"]["media_type"] in ("text/plain", media_type)
    assert document["warnings"] is not None


def test_the_same_cable_again_is_200_with_the_stored_document(client):
    created = post(client, SEED.read_bytes()).get_json()
    again = post(client, SEED.read_bytes())
    assert again.status_code == 200
    assert again.get_json() == created


def test_another_text_is_409_unless_replace_keeps_the_old_version(client, app):
    post(client, SEED.read_bytes())
    changed = SEED.read_bytes() + b"\nADDENDUM.\n"
    conflict = post(client, changed)
    assert conflict.status_code == 409
    assert conflict.mimetype == PROBLEM
    assert conflict.get_json()["errors"][0]["reference_id"] == "06ALMATY1457"
    replaced = post(client, changed, query="?replace=true")
    assert replaced.status_code == 200
    assert client.get("/cables/06ALMATY1457/raw").data == changed
    versions = app.extensions["store"].versions_of("06ALMATY1457")
    assert [version["sha256"] for version in versions] == [sha256(SEED.read_bytes()).hexdigest()]


def test_bad_query_argument_is_400_naming_it(client):
    response = post(client, SEED.read_bytes(), query="?replace=perhaps")
    assert response.status_code == 400
    assert response.get_json()["errors"] == [
        {"parameter": "replace", "message": "Not a valid boolean."}
    ]


@pytest.mark.parametrize("written", ["06almaty1457", "06ALMATY1457", "06-ALMATY-1457"])
def test_get_canonicalises_the_reference_id(client, written):
    post(client, SEED.read_bytes())
    response = client.get(f"/cables/{written}")
    assert response.status_code == 200
    assert response.get_json()["reference_id"] == "06ALMATY1457"


def test_unknown_cable_is_404_problem_json(client):
    response = client.get("/cables/99NOWHERE1")
    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert client.get("/cables/99NOWHERE1/raw").status_code == 404


def test_raw_gives_back_the_original_bytes_and_media_type(client):
    page = (CABLES / "07BERN881.html").read_bytes()
    post(client, page, "text/html")
    telegram = (CABLES / "07KINGSTON382.txt").read_bytes()  # cp1252, CRLF
    post(client, telegram)
    html = client.get("/cables/07BERN881/raw")
    assert (html.data, html.mimetype) == (page, "text/html")
    text = client.get("/cables/07KINGSTON382/raw")
    assert (text.data, text.mimetype) == (telegram, "text/plain")


def test_delete_then_404_and_the_text_is_kept(client, app):
    post(client, SEED.read_bytes())
    assert client.delete("/cables/06almaty1457", headers=AUTH).status_code == 204
    assert client.get("/cables/06ALMATY1457").status_code == 404
    assert client.delete("/cables/06ALMATY1457", headers=AUTH).status_code == 404
    assert len(app.extensions["store"].versions_of("06ALMATY1457")) == 1


def test_parse_previews_without_storing(client):
    response = client.post("/parse", data=SEED.read_bytes(), content_type="text/plain")
    assert response.status_code == 200
    document = response.get_json()
    assert document["reference_id"] == "06ALMATY1457"
    assert isinstance(document["warnings"], list)
    assert "raw" not in document
    assert client.get("/cables/06ALMATY1457").status_code == 404


@pytest.mark.parametrize(
    ("body", "media_type", "status", "detail_part"),
    [
        (b"just some words, not a telegram", "text/plain", 422, "no cable structure"),
        (b"", "text/plain", 422, "empty"),
        (b'{"text": ""}', "application/json", 422, "not a cable"),
        (b'{"text": 42}', "application/json", 422, "not a cable"),
        (b"{broken", "application/json", 400, "not valid JSON"),
        (b"GIF89a", "image/gif", 415, "image/gif"),
    ],
)
def test_refusals_are_problem_json(client, body, media_type, status, detail_part):
    response = post(client, body, media_type)
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["status"] == status
    assert detail_part in problem["detail"]
    assert client.post("/parse", data=body, content_type=media_type).status_code == status


def test_json_field_errors_name_the_field(client):
    problem = post(client, b'{"text": 42}', "application/json").get_json()
    assert problem["errors"] == [{"field": "text", "messages": ["Not a valid string."]}]


@pytest.mark.parametrize("media_type", ["text/plain", "application/json"])
def test_a_cable_over_max_cable_bytes_is_413(media_type):
    app = create_app({"TESTING": True, "API_TOKENS": WRITE_TOKEN, "MAX_CABLE_BYTES": 1000})
    text = seed_text()[:1500]
    body = json.dumps({"text": text}).encode() if media_type == "application/json" else text
    response = post(app.test_client(), body, media_type)
    assert response.status_code == 413
    assert response.mimetype == PROBLEM
    assert "MAX_CABLE_BYTES" in response.get_json()["detail"]


def test_an_unreachable_store_is_503_problem_json():
    client = MongoClient("mongodb://127.0.0.1:1", connect=False, serverSelectionTimeoutMS=50)
    store = MongoStore(client["cables"], text_index=True)
    store.ensure_indexes = lambda: None  # type: ignore[method-assign]  # start-up must not hang
    app = create_app({"TESTING": True, "STORE": store, "API_TOKENS": WRITE_TOKEN})
    response = app.test_client().get("/cables/06ALMATY1457")
    assert response.status_code == 503
    assert response.mimetype == PROBLEM
    assert response.headers["Retry-After"]
    client.close()


def test_two_concurrent_uploads_of_a_new_cable_give_one_document_and_no_500(app):
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def upload() -> None:
        client = app.test_client()
        barrier.wait()
        statuses.append(post(client, SEED.read_bytes()).status_code)

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 201]
    assert app.extensions["store"].count() == 1
