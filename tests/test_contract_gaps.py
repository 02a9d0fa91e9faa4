"""Contract gaps a generated client met (issue 18): every field selection keeps reference_id,
for random `fields=` and parameter combinations through the contract check; one charset on
CSV; the next page as a Link header; ETag and 304 on one cable; GET / as an index."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
import test_contract as contract
from contract_check import assert_conforms
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service import create_app
from service.query.fields import DOCUMENT_FIELDS

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
TOKEN = contract.TOKEN
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# Every documented parameter of GET /cables but fields/format/limit, each with a valid value.
LIST_PARAMETERS = sorted(
    (name, value)
    for path, name, value in contract.documented_query_parameters()
    if path == "/cables" and name not in ("fields", "format", "limit")
)


@pytest.fixture(scope="module")
def samples() -> Iterator[FlaskClient]:
    """A client on an embedded store holding every sample cable."""
    app = create_app(
        {"TESTING": True, "MONGO_URI": "mongomock://", "API_TOKENS": TOKEN, "RATE_LIMIT": "off"}
    )
    client = app.test_client()
    for path in sorted(SAMPLES.iterdir()):
        assert contract.upload(client, path).status_code == 201
    yield client


def rows_of(response) -> list[dict]:
    """The items of a JSON page, CSV export or NDJSON export, as dicts."""
    text = response.get_data(as_text=True)
    if response.mimetype == "text/csv":
        return list(csv.DictReader(io.StringIO(text)))
    if response.mimetype == "application/x-ndjson":
        return [json.loads(line) for line in text.splitlines()]
    return response.get_json()["items"]


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    fields=st.lists(st.sampled_from([*DOCUMENT_FIELDS, "*", "raw"]), min_size=1, max_size=5),
    comma=st.booleans(),
    others=st.lists(st.sampled_from(LIST_PARAMETERS), max_size=4, unique=True),
    format_=st.sampled_from(["json", "csv", "ndjson"]),
    limit=st.integers(1, 6),
)
def test_every_field_selection_keeps_reference_id(samples, fields, comma, others, format_, limit):
    pairs = [("fields", ",".join(fields))] if comma else [("fields", name) for name in fields]
    pairs += [*others, ("format", format_), ("limit", str(limit))]
    url = "/cables?" + urlencode(pairs)
    pages = 0
    while url:
        response = samples.get(url)
        if "raw" in fields and format_ != "ndjson":
            assert response.status_code == 400
            assert response.get_json()["errors"][0]["parameter"] == "fields"
            return
        assert response.status_code == 200, response.get_json()
        assert_conforms("GET", "/cables", response)
        wanted = {"reference_id"} | (set(DOCUMENT_FIELDS) if "*" in fields else set(fields))
        for row in rows_of(response):
            assert row["reference_id"]
            assert set(row) <= wanted
        url = response.get_json()["next"] if format_ == "json" else None
        pages += 1
        assert pages <= len(list(SAMPLES.iterdir()))  # the walk ends


def test_the_csv_export_names_its_charset_once(samples):
    response = samples.get("/cables?format=csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_pages_carry_the_next_page_as_an_absolute_link(samples):
    response = samples.get("/cables?tag=PGOV&limit=3")
    body = response.get_json()
    assert body["next"]
    link = response.headers["Link"]
    assert link == f'<http://localhost{body["next"]}>; rel="next"'
    while body["next"]:
        response = samples.get(body["next"])
        body = response.get_json()
    assert "Link" not in response.headers  # the last page


def test_one_cable_carries_an_etag_and_answers_304(samples):
    first = samples.get("/cables/06ALMATY1457")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and first.status_code == 200
    again = samples.get("/cables/06ALMATY1457", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    other = samples.get("/cables/09BERLIN1296", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag


def test_the_etag_changes_when_the_cable_does():
    app = create_app({"TESTING": True, "MONGO_URI": "mongomock://", "API_TOKENS": TOKEN})
    client = app.test_client()
    seed = (SAMPLES / "06ALMATY1457.txt").read_text(encoding="utf-8")
    client.post("/cables", data=seed, content_type="text/plain", headers=AUTH)
    etag = client.get("/cables/06ALMATY1457").headers["ETag"]
    changed = seed.replace("Senior Advisor", "Senior Adviser", 1)
    replaced = client.post(
        "/cables?replace=true", data=changed, content_type="text/plain", headers=AUTH
    )
    assert replaced.status_code == 200
    response = client.get("/cables/06ALMATY1457", headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.headers["ETag"] != etag


def test_the_index_answers_json_to_clients(samples):
    body = samples.get("/").get_json()
    assert (body["docs"], body["openapi"]) == ("/docs", "/openapi.yaml")
    for example in body["examples"]:  # every example query answers on the sample cables
        response = samples.get(example["href"])
        assert response.status_code == 200, example
        if response.mimetype == "application/json" and "items" in response.get_json():
            assert response.get_json()["items"], example


def test_the_index_answers_html_to_browsers(samples):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = samples.get("/", headers={"Accept": accept})
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert 'href="/docs"' in page and 'href="/openapi.yaml"' in page


def test_the_index_stays_public_when_reads_need_a_token():
    app = create_app({"TESTING": True, "MONGO_URI": "mongomock://", "READ_TOKENS": "r"})
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/stats").status_code == 401
