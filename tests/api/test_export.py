"""Export of every match as CSV or NDJSON, by `format` or the Accept header."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from corpus_truth import ids
from flask.testing import FlaskClient

from service.parsing import parse_cable

CORPUS_CABLES = Path(__file__).parents[1] / "data" / "corpus" / "cables"

QUERIES = ["", "tag=PGOV", "classification=SECRET&date_from=2008-01-01", "q=nuclear"]


@pytest.mark.parametrize("query", QUERIES)
def test_csv_has_a_row_per_match_without_the_page_limit(
    corpus_client: FlaskClient, query: str
) -> None:
    response = corpus_client.get(f"/cables?{query}&format=csv&limit=5")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.is_streamed
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {row["reference_id"] for row in rows} == ids(corpus_client, query)
    assert len(rows) == len(ids(corpus_client, query))


@pytest.mark.parametrize("query", QUERIES)
def test_ndjson_has_a_line_per_match(corpus_client: FlaskClient, query: str) -> None:
    response = corpus_client.get(f"/cables?{query}&format=ndjson")
    assert response.status_code == 200 and response.mimetype == "application/x-ndjson"
    lines = response.get_data(as_text=True).splitlines()
    documents = [json.loads(line) for line in lines]
    created = [d.get("created") or "" for d in documents]
    assert created == sorted(created, reverse=True), "newest first, as the listing"
    assert len(lines) == len(ids(corpus_client, query))
    assert "body" not in documents[0] and "tags" in documents[0]


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [("text/csv", "text/csv"), ("application/x-ndjson", "application/x-ndjson")],
)
def test_accept_header_chooses_the_export(
    corpus_client: FlaskClient, accept: str, mimetype: str
) -> None:
    response = corpus_client.get("/cables?tag=PGOV", headers={"Accept": accept})
    assert response.mimetype == mimetype


def test_browsers_accepting_anything_get_json(corpus_client: FlaskClient) -> None:
    response = corpus_client.get("/cables?limit=1", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.mimetype == "application/json"


def test_csv_columns_follow_fields_and_flatten_lists(corpus_client: FlaskClient) -> None:
    response = corpus_client.get("/cables?format=csv&fields=reference_id,tags,to&tag=PGOV")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["reference_id", "tags", "to"]
    assert all("PGOV" in row[1].split("; ") or "PGGV" in row[1].split("; ") for row in rows[1:])
    assert all(row[2] == "" or isinstance(json.loads(row[2]), list) for row in rows[1:])


# Issue 18 item 14: exports a research script can load whole.
ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def test_fields_star_exports_every_stored_key(corpus_client: FlaskClient) -> None:
    response = corpus_client.get("/cables?tag=PGOV&format=ndjson&fields=*")
    documents = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert documents and all(document["body"] for document in documents)
    assert {"body", "header", "paragraphs", "participants", "ingested_at"} <= set(documents[0])
    assert "raw" not in documents[0]
    rows = list(
        csv.DictReader(
            io.StringIO(
                corpus_client.get("/cables?tag=PGOV&format=csv&fields=*").get_data(as_text=True)
            )
        )
    )
    assert len(rows) == len(documents) and rows[0]["body"] == documents[0]["body"]


def test_raw_is_exported_as_ndjson_only(corpus_client: FlaskClient) -> None:
    response = corpus_client.get("/cables?tag=PGOV&format=ndjson&fields=raw")
    documents = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert documents and all(set(document) == {"reference_id", "raw"} for document in documents)
    raw = corpus_client.get(f"/cables/{documents[0]['reference_id']}/raw").get_data(as_text=True)
    assert documents[0]["raw"].split() == raw.split()
    for refused in ("format=csv&fields=raw", "fields=raw", "format=csv&fields=subject,raw"):
        assert corpus_client.get(f"/cables?{refused}").status_code == 400, refused


def test_raw_is_the_text_the_cable_was_parsed_from(corpus_client: FlaskClient) -> None:
    # 07KINGSTON382 came as cp1252 bytes: its raw is their text, not a UTF-8 misreading.
    cable = CORPUS_CABLES / "07KINGSTON382.txt"
    response = corpus_client.get("/cables?format=ndjson&fields=raw&tag=PGOV&tag=JM")
    documents = {
        document["reference_id"]: document
        for document in map(json.loads, response.get_data(as_text=True).splitlines())
    }
    assert documents["07KINGSTON382"]["raw"] == parse_cable(cable.read_bytes())["raw"]


@pytest.mark.parametrize("format_", ["csv", "ndjson"])
def test_created_and_released_are_iso_instants(corpus_client: FlaskClient, format_: str) -> None:
    response = corpus_client.get(f"/cables?format={format_}&fields=created,released")
    text = response.get_data(as_text=True)
    if format_ == "csv":
        rows: list[dict] = list(csv.DictReader(io.StringIO(text)))
    else:
        rows = [json.loads(line) for line in text.splitlines()]
    dated = [row for row in rows if row.get("created")]
    assert len(dated) > len(rows) * 0.9
    for row in rows:
        for key in ("created", "released"):
            assert not row.get(key) or ISO_INSTANT.match(row[key]), (key, row)
