"""person=, the persons facet and GET /participants over participants and mentioned people.

The parser does not fill `mentioned` yet: the samples are parsed and then given mentioned
people before they are stored (tests/people_data.py folds them as the parser would)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from people_data import mentioned

from service import create_app
from service.ingest.entries import make_entry
from service.parsing import parse_cable

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
NAZARBAYEV = mentioned("Nursultan Nazarbáyev", "President", "Kazakhstan")
BOUCHER = mentioned("Richard Boucher", "Assistant Secretary", "State")
# Sample file -> who it mentions. Boucher takes part in the seed (its participants list).
MENTIONS: dict[str, list[dict[str, Any]]] = {
    "06ALMATY1457.txt": [NAZARBAYEV],
    "09ASHGABAT248.html": [NAZARBAYEV],
    "10LONDON86.html": [BOUCHER],
    "09BERLIN1296.html": [],
}
MEDIA_TYPES = {".html": "text/html", ".txt": "text/plain"}


@pytest.fixture(scope="module")
def people_client() -> FlaskClient:
    """An app whose store holds the samples above with their mentioned people."""
    app: Flask = create_app({"TESTING": True, "EMBEDDED_DB": ":memory:"})
    entries = []
    for name, people in MENTIONS.items():
        data = (SAMPLES / name).read_bytes()
        document = parse_cable(data)
        document["mentioned"] = people
        entries.append(make_entry(document, data, MEDIA_TYPES[Path(name).suffix], {"file": name}))
    app.extensions["store"].add_many(entries)
    return app.test_client()


def found(client: FlaskClient, query: str) -> set[str]:
    """The reference ids a listing query finds."""
    response = client.get(f"/cables?{query}&fields=reference_id&limit=500")
    assert response.status_code == 200, response.get_json()
    return {item["reference_id"] for item in response.get_json()["items"]}


def test_participant_finds_only_those_who_took_part(people_client: FlaskClient) -> None:
    assert found(people_client, "participant=boucher") == {"06ALMATY1457"}
    assert found(people_client, "participant=nazarbayev") == set()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("person=boucher", {"06ALMATY1457", "10LONDON86"}),
        ("person=NAZARBAYEV", {"06ALMATY1457", "09ASHGABAT248"}),
        ("person=nazarb%C3%A1yev%20nursultan", {"06ALMATY1457", "09ASHGABAT248"}),
        ("person=susman", {"10LONDON86"}),  # a participant (signer) is a person too
        ("person=boucher&person=nazarbayev", {"06ALMATY1457"}),  # each must be named
        ("person=nursultan%20boucher", set()),  # the words belong to one person
        ("person=nazarbayev&participant=boucher", {"06ALMATY1457"}),
        ("person=boucher&participant_source=signer", {"06ALMATY1457", "10LONDON86"}),
    ],
)
def test_person_finds_participants_and_mentioned_people(
    people_client: FlaskClient, query: str, expected: set[str]
) -> None:
    assert found(people_client, query) == expected


def test_the_listing_shows_mentioned_people(people_client: FlaskClient) -> None:
    body = people_client.get("/cables?person=nazarbayev&fields=reference_id,mentioned").get_json()
    assert all(item["mentioned"] == [NAZARBAYEV] for item in body["items"]) and body["total"] == 2


def test_the_persons_facet_counts_both_lists(people_client: FlaskClient) -> None:
    body = people_client.get("/facets?facet=participants&facet=persons").get_json()
    counts = {
        name: {entry["value"]: entry["count"] for entry in facet["values"]}
        for name, facet in body["facets"].items()
    }
    assert counts["persons"]["Nursultan Nazarbáyev"] == 2
    assert counts["persons"]["Richard Boucher"] == 2
    assert counts["participants"]["Richard Boucher"] == 1
    assert "Nursultan Nazarbáyev" not in counts["participants"]
    assert set(counts["participants"]) < set(counts["persons"])


def test_the_persons_facet_follows_the_filters(people_client: FlaskClient) -> None:
    body = people_client.get("/facets?facet=persons&person=susman").get_json()
    names = {entry["value"]: entry["count"] for entry in body["facets"]["persons"]["values"]}
    assert body["total"] == 1 and names["Richard Boucher"] == 1 and names["Louis Susman"] == 1


@pytest.mark.parametrize(
    ("q", "name", "count", "mentioned_count"),
    [
        ("bouch", "Richard Boucher", 1, 1),
        ("NAZ", "Nursultan Nazarbáyev", 0, 2),
        ("nursultan naz", "Nursultan Nazarbáyev", 0, 2),
        ("susm", "Louis Susman", 1, 0),
    ],
)
def test_participants_autocompletes_over_both_lists_with_both_counts(
    people_client: FlaskClient, q: str, name: str, count: int, mentioned_count: int
) -> None:
    body = people_client.get("/participants", query_string={"q": q}).get_json()
    entries = {item["name"]: item for item in body["items"]}
    assert entries[name] == {"name": name, "count": count, "mentioned_count": mentioned_count}
    assert body["total"] == len(body["items"])


def test_participants_puts_the_most_named_first(people_client: FlaskClient) -> None:
    body = people_client.get("/participants?limit=200").get_json()
    totals = [item["count"] + item["mentioned_count"] for item in body["items"]]
    assert totals == sorted(totals, reverse=True)
    assert body["items"][0]["name"] in {"Nursultan Nazarbáyev", "Richard Boucher"}
    names = [item["name"] for item in body["items"]]
    assert names.index("Richard Boucher") < names.index("Nursultan Nazarbáyev")  # took part
