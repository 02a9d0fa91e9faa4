"""Sameness by the normalised text (issue 18 item 4): the same cable with other line ends, in
another encoding or with trailing spaces is the stored cable (200, unchanged), not a 409."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.ingest.entries import text_digest

CABLE = Path(__file__).parents[1] / "data" / "corpus" / "cables" / "07KUALALUMPUR1376.txt"
AUTH = {"Authorization": "Bearer test-write-token"}  # tests/conftest.py's write token


def crlf_bytes() -> bytes:
    data = CABLE.read_bytes()
    assert b"\r\n" in data  # stored as it came: CRLF line ends
    return data


def post(client, data, content_type: str):
    return client.post("/cables", data=data, content_type=content_type, headers=AUTH)


def test_the_same_cable_as_json_with_lf_is_unchanged(client):
    assert post(client, crlf_bytes(), "text/plain").status_code == 201
    text = crlf_bytes().decode("ascii").replace("\r\n", "\n")
    again = post(client, json.dumps({"text": text}), "application/json")
    assert again.status_code == 200, again.get_json()
    stored = client.get("/cables/07KUALALUMPUR1376").get_json()
    assert again.get_json()["sha256"] == stored["sha256"]  # the CRLF upload stays stored


def test_another_encoding_or_trailing_spaces_is_unchanged(client):
    text = crlf_bytes().decode("ascii").replace("\r\n", "\n") + "\u00e9"  # one non-ASCII letter
    assert post(client, text.encode("utf-8"), "text/plain; charset=utf-8").status_code == 201
    latin = text.replace("\n", "  \r\n").encode("latin-1")
    response = post(client, latin, "text/plain; charset=iso-8859-1")
    assert response.status_code == 200, response.get_json()
    bulk = post(client, json.dumps({"text": text + "\n\n"}) + "\n", "application/x-ndjson")
    item = bulk.get_json()["items"][0]
    assert item["outcome"] == "unchanged" and "same text" in item["reason"]


def test_a_changed_word_is_still_a_conflict(client):
    assert post(client, crlf_bytes(), "text/plain").status_code == 201
    changed = crlf_bytes().replace(b"the ", b"THE ", 1)
    assert changed != crlf_bytes()
    assert post(client, changed, "text/plain").status_code == 409


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("a\r\nb\r\n", "a\nb"),
        ("a\rb", "a\nb"),
        ("caf\u0065\u0301", "caf\u00e9"),  # decomposed and composed é (NFC)
        ("a  \nb\t\n\n\n", "a\nb"),
        ("x \t \r\ny \r\n \r\n", "x\ny"),
    ],
)
def test_text_digest_ignores_form(one, other):
    assert text_digest(one) == text_digest(other)


@pytest.mark.parametrize(("one", "other"), [("a\nb", "a b"), ("a\n\nb", "a\nb"), (" a", "a")])
def test_text_digest_keeps_content(one, other):
    assert text_digest(one) != text_digest(other)
