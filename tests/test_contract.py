"""openapi.yaml is valid, covers exactly the app's routes, and real responses conform to it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from contract_check import SCHEMA, SPEC, assert_conforms, component_validator, resolve
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from werkzeug.test import TestResponse

from service import create_app

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "06ALMATY1457.txt"
TOKEN = "contract-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# Flask's `<converter:name>` becomes OpenAPI's `{name}`.
RULE_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
# Methods Flask answers on every route by itself.
IMPLICIT_METHODS = {"HEAD", "OPTIONS"}
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
MEDIA_TYPES = {".html": "text/html", ".txt": "text/plain", ".json": "application/json"}
# The fixed keys of docs/document.md whose seed values the spec's example must match.
SEED_KEYS = ("reference_id", "created", "classification", "origin", "tags", "subject", "signer")


def spec_operations() -> set[tuple[str, str]]:
    """(METHOD, path) for every operation in the spec."""
    return {
        (method.upper(), path)
        for path, item in SPEC["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


def app_operations(app: Flask) -> set[tuple[str, str]]:
    """(METHOD, path) for every route the app serves, in OpenAPI's path syntax."""
    operations = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":  # Flask's built-in static folder, unused by the API
            continue
        path = RULE_ARGUMENT.sub(r"{\1}", rule.rule)
        operations |= {(method, path) for method in (rule.methods or set()) - IMPLICIT_METHODS}
    return operations


def media_type_of(path: Path) -> str:
    """The upload media type for a sample file."""
    return MEDIA_TYPES[path.suffix]


def upload(client: FlaskClient, path: Path) -> TestResponse:
    """POST one sample file as a single cable."""
    return client.post(
        "/cables", data=path.read_bytes(), content_type=media_type_of(path), headers=AUTH
    )


@pytest.fixture(scope="module")
def archive() -> Iterator[FlaskClient]:
    """A client on an embedded store holding every sample cable."""
    app = create_app(
        {"TESTING": True, "EMBEDDED_DB": ":memory:", "API_TOKENS": TOKEN, "RATE_LIMIT": "off"}
    )
    client = app.test_client()
    for path in sorted(SAMPLES.iterdir()):
        response = upload(client, path)
        assert response.status_code == 201, (path.name, response.get_json())
        assert_conforms("POST", "/cables", response)
    yield client


def test_spec_is_valid_openapi():
    validate(SPEC)


def test_spec_paths_are_exactly_the_app_routes(app):
    in_app, in_spec = app_operations(app), spec_operations()
    assert in_app - in_spec == set(), "routes missing from openapi.yaml"
    assert in_spec - in_app == set(), "operations in openapi.yaml that the app does not serve"


def test_served_spec_is_the_repository_file(client):
    response = client.get("/openapi.yaml")
    assert response.status_code == 200
    assert yaml.safe_load(response.get_data(as_text=True)) == SPEC
    assert_conforms("GET", "/openapi.yaml", response)


def test_docs_page_works_offline(client):
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "http://" not in html and "https://" not in html, "/docs must not need the network"
    assets = re.findall(r'(?:href|src)="(/docs/assets/[^"]+)"', html)
    assert len(assets) >= 3
    for asset in assets:
        with client.get(asset) as response:  # a file response: close it
            assert response.status_code == 200, asset
            assert_conforms("GET", "/docs/assets/{filename}", response)
    assert_conforms("GET", "/docs", page)


@pytest.mark.parametrize("name", ["../openapi.yaml", "VERSION", "nope.js"])
def test_docs_assets_outside_the_list_are_404(client, name):
    response = client.get(f"/docs/assets/{name}")
    assert response.status_code == 404
    assert_conforms("GET", "/docs/assets/{filename}", response)


def test_seed_example_is_a_valid_cable():
    example = SPEC["components"]["examples"]["SeedDocument"]["value"]
    component_validator("Cable").validate(example)


def test_seed_example_matches_the_parser():
    from service.parsing import parse_cable

    parsed = parse_cable(SEED.read_bytes())
    example = SPEC["components"]["examples"]["SeedDocument"]["value"]
    assert {key: example[key] for key in SEED_KEYS} == {key: parsed[key] for key in SEED_KEYS}


def seed_text() -> str:
    """The seed cable as text."""
    return SEED.read_text(encoding="utf-8")


def changed_seed() -> str:
    """The seed with one word changed: the same reference id, another text."""
    return seed_text().replace("Senior Advisor", "Senior Adviser", 1)


def ndjson(*texts: str) -> str:
    """An NDJSON body, one `{"text": ...}` per line."""
    return "\n".join(json.dumps({"text": text}) for text in texts) + "\n"


# (method, url, request keyword arguments, expected status): real requests on the sample archive.
EXCHANGES: list[tuple[str, str, dict[str, Any], int]] = [
    ("GET", "/health", {}, 200),
    ("GET", "/ready", {}, 200),
    ("POST", "/parse", {"data": seed_text(), "content_type": "text/plain", "headers": AUTH}, 200),
    ("POST", "/parse", {"json": {"text": seed_text()}, "headers": AUTH}, 200),
    ("POST", "/parse", {"data": "hello", "content_type": "text/plain", "headers": AUTH}, 422),
    ("POST", "/parse", {"data": b"%PDF", "content_type": "application/pdf", "headers": AUTH}, 415),
    ("POST", "/cables", {"data": seed_text(), "content_type": "text/plain"}, 401),
    ("POST", "/cables", {"data": seed_text(), "content_type": "text/plain", "headers": AUTH}, 200),
    (
        "POST",
        "/cables",
        {"data": changed_seed(), "content_type": "text/plain", "headers": AUTH},
        409,
    ),
    (
        "POST",
        "/cables",
        {
            "data": ndjson(seed_text(), "not a cable"),
            "content_type": "application/x-ndjson",
            "headers": AUTH,
        },
        200,
    ),
    ("GET", "/cables/06ALMATY1457", {}, 200),
    ("GET", "/cables/06almaty1457", {}, 200),
    ("GET", "/cables/99NOWHERE1", {}, 404),
    ("GET", "/cables/06ALMATY1457/raw", {}, 200),
    ("GET", "/cables/06ALMATY1457/references", {}, 200),
    ("GET", "/cables/06ALMATY1457/cited-by", {}, 200),
    ("GET", "/cables", {}, 200),
    ("GET", "/cables?tag=KZ&tag=PGOV", {}, 200),
    ("GET", "/cables?classification=SECRET&limit=2", {}, 200),
    ("GET", "/cables?participant=boucher&fields=reference_id,subject", {}, 200),
    ("GET", "/cables?date_from=2009-01-01&date_to=2009-06-30&sort=created", {}, 200),
    ("GET", "/cables?format=csv", {}, 200),
    ("GET", "/cables?format=ndjson", {}, 200),
    ("GET", "/cables?colour=red", {}, 400),
    ("GET", "/cables?limit=0", {}, 400),
    ("GET", "/cables?tag[$ne]=x", {}, 400),
    ("GET", "/facets?facet=tags&facet=year&facet=classification", {}, 200),
    ("GET", "/tags", {}, 200),
    ("GET", "/participants?q=boucher", {}, 200),
    ("GET", "/stats", {}, 200),
    ("GET", "/no/such/path", {}, 404),
]


@pytest.mark.parametrize(("method", "url", "kwargs", "status"), EXCHANGES)
def test_real_responses_conform(archive, method, url, kwargs, status):
    response = archive.open(url, method=method, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert_conforms(method, url.split("?")[0], response)


def test_listing_pages_and_totals_agree(archive):
    first = archive.get("/cables?limit=5")
    body = first.get_json()
    assert body["total"] == len(list(SAMPLES.iterdir()))
    assert len(body["items"]) == 5
    assert body["next"]
    second = archive.get(body["next"])
    assert_conforms("GET", "/cables", second)
    seen = {item["reference_id"] for item in body["items"]}
    assert seen.isdisjoint(item["reference_id"] for item in second.get_json()["items"])


def test_delete_conforms():
    app = create_app(
        {"TESTING": True, "EMBEDDED_DB": ":memory:", "API_TOKENS": TOKEN, "RATE_LIMIT": "off"}
    )
    client = app.test_client()
    assert upload(client, SEED).status_code == 201
    unauthorized = client.delete("/cables/06ALMATY1457")
    assert unauthorized.status_code == 401
    assert_conforms("DELETE", "/cables/{reference_id}", unauthorized)
    deleted = client.delete("/cables/06ALMATY1457", headers=AUTH)
    assert deleted.status_code == 204
    assert_conforms("DELETE", "/cables/{reference_id}", deleted)
    assert client.get("/cables/06ALMATY1457").status_code == 404


# A valid value for each documented query parameter that has no example, enum or default.
VALID_VALUES = {
    "classification_max": "SECRET",
    "caveat": "NOFORN",
    "handling": "SIPDIS",
    "origin": "Embassy Almaty",
    "station": "ALMATY",
    "sender": "AMEMBASSY ALMATY",
    "recipient": "SECSTATE",
    "references": "06ALMATY1234",
    "paragraph_classification": "SBU",
    "declassify_from": "2010-01-01",
    "declassify_to": "2020-12-31",
    "classified_by": "ordway",
    "has_summary": "true",
    "cursor": None,  # opaque: only the service makes one
    "q": "boucher",
}


def valid_value(parameter: dict[str, Any]) -> str | None:
    """A value the spec says is valid for `parameter`, as it goes in a query string."""
    name = parameter["name"]
    if name in VALID_VALUES:
        return VALID_VALUES[name]
    schema = resolve(parameter["schema"])
    if schema.get("type") == "array":
        schema = resolve(schema["items"])
    example = parameter.get("example")
    if isinstance(example, list):
        example = example[0]
    for candidate in (example, schema.get("default"), (schema.get("enum") or [None])[0]):
        if candidate is not None:
            return str(candidate).lower() if isinstance(candidate, bool) else str(candidate)
    if schema.get("type") == "integer":
        return str(schema.get("minimum", 1))
    raise AssertionError(f"no valid value known for query parameter {name!r}")


def documented_query_parameters() -> list[tuple[str, str, str]]:
    """(path, name, value) for every query parameter of every GET operation."""
    found = []
    for path, item in SPEC["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        for parameter in map(resolve, operation.get("parameters", [])):
            value = valid_value(parameter) if parameter["in"] == "query" else None
            if value is not None:
                found.append(
                    (path.replace("{reference_id}", "06ALMATY1457"), parameter["name"], value)
                )
    return found


@pytest.mark.parametrize(("path", "name", "value"), documented_query_parameters())
def test_every_documented_parameter_is_accepted(archive, path, name, value):
    response = archive.get(path, query_string={name: value})
    assert response.status_code == 200, response.get_json()
    assert_conforms("GET", SCHEMA.find_operation_by_path("GET", path).path, response)


def impostor() -> Flask:
    """An app whose answers break the contract in the ways the checker must catch."""
    fake = Flask("impostor")
    fake.add_url_rule("/health", "health", lambda: {"status": 1})
    fake.add_url_rule("/stats", "stats", lambda: ({"total": 0}, 418))
    fake.add_url_rule("/tags", "tags", lambda: ("<p>tags</p>", 200))
    fake.add_url_rule("/elsewhere", "elsewhere", lambda: "hello")
    return fake


@pytest.mark.parametrize(
    ("path", "complaint"),
    [
        ("/health", "violates schema"),  # wrong body
        ("/stats", "status not documented"),
        ("/tags", "media type text/html not documented"),
        ("/elsewhere", "unknown path"),  # not in the spec and not a problem document
    ],
)
def test_the_checker_catches_departures(path, complaint):
    from contract_check import violations

    fake = impostor()
    response = FlaskClient(fake, fake.response_class).get(path)  # a client that does not check
    found = violations("GET", path, response)
    assert found and complaint in found[0].lower()


def test_rate_limited_response_conforms():
    app = create_app({"TESTING": True, "EMBEDDED_DB": ":memory:", "RATE_LIMIT": "2/minute"})
    client = app.test_client()
    answers = [client.get("/stats") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    for answer in answers:
        assert_conforms("GET", "/stats", answer)
    assert int(answers[-1].headers["Retry-After"]) >= 0


def app_query_parameters() -> dict[str, set[str]]:
    """path -> the query parameter names the app reads there (the other direction of the check)."""
    from service.api import search
    from service.schemas import query

    return {
        "/cables": set(search.LIST_PARAMETERS),
        "/cables/{reference_id}/cited-by": set(search.CITED_BY_PARAMETERS),
        "/facets": set(search.FACET_PARAMETERS),
        "/tags": query.schema_names(query.TagArgs()),
        "/participants": query.schema_names(query.ParticipantArgs()),
        "/cables/{reference_id}/references": query.schema_names(query.ReferenceArgs()),
        "/stats": set(),
    }


def spec_query_parameters(path: str) -> set[str]:
    """The query parameter names the spec documents for GET `path`."""
    parameters = map(resolve, SPEC["paths"][path]["get"].get("parameters", []))
    return {parameter["name"] for parameter in parameters if parameter["in"] == "query"}


@pytest.mark.parametrize(("path", "names"), sorted(app_query_parameters().items()))
def test_spec_documents_every_parameter_the_app_reads(path, names):
    assert spec_query_parameters(path) == names
