"""The low items of issue 17: dates at the ends of time, large CSV rows, control characters
in the access log, bounded bulk reports, bounded full-text queries, reference ids in metadata,
and the docs public under READ_TOKENS."""

from __future__ import annotations

import json

import pytest
from contract_check import assert_conforms
from hostile import READ_TOKEN, SEED, WRITE, assert_problem, make_app, stored_ids

from service.api.cables import REPORT_ITEMS
from service.query.fulltext import MAX_EXCLUDED
from service.schemas.cables import load_cable_body

EDGE_DATES = [
    "date_to=9999-12-31",
    "date_from=9999-12-31",
    "date_from=0001-01-01",
    "date_to=0001-01-01",
    "date_from=0001-01-01T00:00:00%2B23:59",
    "date_to=9999-12-31T23:59:59-23:59",
]
PATHS = ["/cables", "/facets?facet=year", "/cables/06ALMATY1457/cited-by", "/cables?format=csv"]


@pytest.fixture(scope="module")
def seeded():
    app = make_app()
    response = app.test_client().post(
        "/cables", data=SEED.read_bytes(), headers={**WRITE, "Content-Type": "text/plain"}
    )
    assert response.status_code == 201
    return app


@pytest.mark.parametrize("path", [*PATHS, "/cables?format=ndjson"])
@pytest.mark.parametrize("dates", EDGE_DATES)
def test_dates_at_the_ends_of_time_are_answered_not_500(seeded, path, dates):
    joined = f"{path}{'&' if '?' in path else '?'}{dates}"
    response = seeded.test_client().get(joined)
    assert response.status_code == 200, (joined, response.get_data()[:300])


def test_the_whole_range_of_dates_still_finds_the_cable(seeded):
    found = seeded.test_client().get("/cables?date_from=0001-01-01&date_to=9999-12-31")
    assert [c["reference_id"] for c in found.get_json()["items"]] == ["06ALMATY1457"]


def test_a_csv_row_over_128_kib_is_stored():
    app = make_app()
    text = SEED.read_text() + "\n" + "\n".join(["PADDING LINE OF THE CABLE BODY."] * 8000)
    assert len(text) > 200 * 1024
    row = (
        '"1","4/21/2006 4:16","06ALMATY1457","Embassy Almaty","CONFIDENTIAL","",'
        '"header","' + text.replace("\\", "\\\\").replace('"', '\\"') + '"\n'
    )
    response = app.test_client().post(
        "/cables", data=row.encode(), headers={**WRITE, "Content-Type": "text/csv"}
    )
    report = response.get_json()
    assert report["counts"]["created"] == 1, report
    assert stored_ids(app) == {"06ALMATY1457"}


def test_control_characters_in_a_path_cannot_forge_an_access_log_line(capsys):
    app = make_app(LOG_FORMAT="text")
    forged = "x%0A2026-12-07 00:00:00,000 INFO service.access: GET /admin 200%1B[31m"
    app.test_client().get(f"/cables/{forged}", headers={"X-Request-ID": "forge-1"})
    lines = [line for line in capsys.readouterr().err.splitlines() if "service.access" in line]
    (line,) = [line for line in lines if "forge-1" in line]
    assert "/cables/x\\n2026-12-07" in line and "\\x1b[31m" in line
    assert not any(line.startswith("2026-12-07 00:00:00,000") for line in lines)


def test_a_bulk_report_lists_a_bounded_number_of_items_and_counts_the_rest():
    app = make_app()
    lines = b"not json\n" * (REPORT_ITEMS + 500)
    response = app.test_client().post(
        "/cables", data=lines, headers={**WRITE, "Content-Type": "application/x-ndjson"}
    )
    report = response.get_json()
    assert response.status_code == 200
    assert report["counts"]["invalid"] == REPORT_ITEMS + 500
    assert len(report["items"]) == REPORT_ITEMS
    assert report["items_omitted"] == 500
    assert len(response.get_data()) < 200 * 1024


def test_a_small_bulk_report_has_no_omitted_key():
    app = make_app()
    response = app.test_client().post(
        "/cables", data=b"not json\n", headers={**WRITE, "Content-Type": "application/x-ndjson"}
    )
    assert "items_omitted" not in response.get_json()


def test_full_text_queries_exclude_a_bounded_number_of_terms(seeded):
    client = seeded.test_client()
    excluded = " ".join(f"-word{number}" for number in range(MAX_EXCLUDED))
    assert client.get(f"/cables?q=boucher {excluded}").status_code == 200
    problem = assert_problem(client.get(f"/cables?q=boucher {excluded} -oneMore"), 400)
    assert problem["errors"][0]["parameter"] == "q"
    assert "at most" in problem["errors"][0]["message"]  # the terms' or the exclusions' bound


@pytest.mark.parametrize("references", [['{"$GT":1}'], "06STATE1|{$ne: 1}", ["$where"]])
def test_metadata_references_must_be_reference_ids(references):
    app = make_app()
    body = {"text": SEED.read_text(), "metadata": {"references": references}}
    response = app.test_client().post(
        "/cables", data=json.dumps(body), headers={**WRITE, "Content-Type": "application/json"}
    )
    problem = assert_problem(response, 422)
    assert "reference ids" in json.dumps(problem["errors"])
    assert stored_ids(app) == set()


@pytest.mark.parametrize(
    "references", [["09STATE12345", "09 STATE 54321", "1974ATHENS03099_b"], "06STATE1|06SECSTATE99"]
)
def test_metadata_references_that_are_ids_are_accepted(references):
    loaded, problems = load_cable_body({"text": "x", "metadata": {"references": references}})
    assert problems == {} and loaded is not None


def test_a_cable_with_metadata_references_is_answered_as_the_contract_says():
    # A metadata reference has no REF line words: `text` is null, which openapi.yaml allows.
    body = {"text": SEED.read_text(), "metadata": {"references": ["09STATE12345"]}}
    response = (
        make_app()
        .test_client()
        .post(
            "/cables", data=json.dumps(body), headers={**WRITE, "Content-Type": "application/json"}
        )
    )
    assert response.status_code == 201
    assert {"kind": "cable", "id": "09STATE12345", "bullet": None, "text": None} in (
        response.get_json()["references"]
    )
    assert_conforms("POST", "/cables", response)


@pytest.mark.parametrize("path", ["/openapi.yaml", "/docs", "/health"])
def test_the_docs_and_probes_stay_public_under_read_tokens(path):
    app = make_app(READ_TOKENS=READ_TOKEN)
    client = app.test_client()
    assert client.get(path).status_code == 200
    assert client.get("/cables").status_code == 401
