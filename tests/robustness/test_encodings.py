"""Lone UTF-16 surrogates in JSON uploads (issue 17 item 5): refused with the position, and
every export reads to its end afterwards."""

from __future__ import annotations

import json

from hostile import SEED, WRITE, assert_problem, corpus_texts, make_app, stored_ids

SURROGATE = "\\ud800"  # as a JSON escape: json.loads makes a lone surrogate of it


def test_a_lone_surrogate_in_a_json_cable_is_422_naming_the_position():
    app = make_app()
    text = SEED.read_text()
    body = json.dumps({"text": text[:100]})[:-2] + SURROGATE + json.dumps(text[100:])[1:] + "}"
    response = app.test_client().post(
        "/cables", data=body, headers={**WRITE, "Content-Type": "application/json"}
    )
    problem = assert_problem(response, 422)
    assert "surrogate" in problem["detail"] and "text at character 100" in problem["detail"]
    assert stored_ids(app) == set()


def test_a_lone_surrogate_in_metadata_is_422_naming_the_field():
    app = make_app()
    body = json.dumps({"text": SEED.read_text(), "metadata": {"origin": "x"}})
    body = body.replace('"origin": "x"', '"origin": "a' + SURROGATE + '"')
    response = app.test_client().post(
        "/cables", data=body, headers={**WRITE, "Content-Type": "application/json"}
    )
    problem = assert_problem(response, 422)
    assert "metadata.origin at character 1" in problem["detail"]
    assert stored_ids(app) == set()


def test_a_lone_surrogate_in_ndjson_is_one_invalid_line_and_exports_end_whole():
    app = make_app()
    client = app.test_client()
    good, bad = corpus_texts(2)
    lines = [json.dumps({"text": good}), json.dumps({"text": bad}).replace("\\n", SURROGATE, 1)]
    response = client.post(
        "/cables",
        data="\n".join(lines) + "\n",
        headers={**WRITE, "Content-Type": "application/x-ndjson"},
    )
    report = response.get_json()
    assert response.status_code == 200, report
    assert report["counts"]["created"] == 1 and report["counts"]["invalid"] == 1
    invalid = [item for item in report["items"] if item["outcome"] == "invalid"]
    assert "surrogate" in invalid[0]["reason"]
    (reference_id,) = stored_ids(app)
    assert client.get(f"/cables/{reference_id}/raw").status_code == 200
    ndjson = client.get("/cables?format=ndjson")
    assert ndjson.status_code == 200 and len(ndjson.get_data().splitlines()) == 1
    csv = client.get("/cables?format=csv")
    assert csv.status_code == 200 and len(csv.get_data().splitlines()) >= 2
