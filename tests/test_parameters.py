"""The filter, facet and schema tables are the one source of their parameters' names, choices,
ranges and help: openapi.yaml must say the same, and every 400 about a parameter has one shape."""

from __future__ import annotations

import re
from typing import Any

import pytest
from contract_check import SPEC, resolve
from marshmallow import Schema, fields, validate

from service import create_app
from service.query.facets import FACETS
from service.query.filters import FILTERS
from service.schemas import query
from service.schemas.cables import WriteArgsSchema

PARAMETERS = SPEC["components"]["parameters"]
# GET path (POST for the write) -> the marshmallow schema of its non-filter parameters.
SCHEMAS: list[tuple[str, str, Schema]] = [
    ("get", "/cables", query.ListArgs()),
    ("get", "/facets", query.FacetArgs()),
    ("get", "/tags", query.TagArgs()),
    ("get", "/participants", query.ParticipantArgs()),
    ("get", "/cables/{reference_id}/references", query.ReferenceArgs()),
    ("post", "/cables", WriteArgsSchema()),
]
BULLET = re.compile(r"^- `([^`]+)`: ", re.MULTILINE)


def words(text: str) -> str:
    """Text with its runs of white space as one space."""
    return " ".join(text.split())


def operation_parameter(method: str, path: str, name: str) -> dict[str, Any]:
    """A query parameter of one operation, its `$ref` followed."""
    for parameter in map(resolve, SPEC["paths"][path][method].get("parameters", [])):
        if parameter["name"] == name and parameter["in"] == "query":
            return parameter
    raise AssertionError(f"{method.upper()} {path} documents no query parameter {name!r}")


def value_schema(parameter: dict[str, Any]) -> dict[str, Any]:
    """The schema of one value: the items' schema of a repeatable parameter."""
    schema = resolve(parameter["schema"])
    return resolve(schema["items"]) if schema.get("type") == "array" else schema


@pytest.mark.parametrize("entry", FILTERS, ids=lambda entry: entry.name)
def test_spec_describes_each_filter_as_the_table_does(entry):
    parameter = PARAMETERS[entry.name]
    assert parameter["name"] == entry.name and parameter["in"] == "query"
    assert words(parameter["description"]) == words(entry.help)
    assert (resolve(parameter["schema"]).get("type") == "array") == entry.repeatable
    assert value_schema(parameter).get("enum") == (list(entry.choices) if entry.choices else None)


def test_spec_facet_parameter_is_the_facet_table():
    parameter = operation_parameter("get", "/facets", "facet")
    assert value_schema(parameter)["enum"] == [facet.name for facet in FACETS]
    assert list(query.FACET_NAMES) == [facet.name for facet in FACETS]
    described = BULLET.split(parameter["description"])[1:]
    helps = {name: words(text) for name, text in zip(described[::2], described[1::2], strict=True)}
    assert helps == {facet.name: facet.help for facet in FACETS}


def expected_schema(field: fields.Field) -> dict[str, Any]:
    """What the spec must say of one value of a marshmallow field: enum, bounds, lengths."""
    found: dict[str, Any] = {}
    inner = field.inner if isinstance(field, fields.List) else field
    for validator in inner.validators:
        if isinstance(validator, validate.OneOf):
            found["enum"] = list(validator.choices)
        elif isinstance(validator, validate.Range):
            found.update(minimum=validator.min, maximum=validator.max)
        elif isinstance(validator, validate.Length):
            found.update(minLength=validator.min, maxLength=validator.max)
    return found


@pytest.mark.parametrize(
    ("method", "path", "schema"), SCHEMAS, ids=[f"{m} {p}" for m, p, _ in SCHEMAS]
)
def test_spec_describes_each_schema_parameter_as_its_schema_does(method, path, schema):
    for field in schema.fields.values():
        name = field.data_key or field.name or ""
        parameter = operation_parameter(method, path, name)
        expected = expected_schema(field)
        documented = value_schema(parameter)
        assert {key: documented.get(key) for key in expected} == expected, name
        default = field.load_default
        if default is not None and not callable(default) and not isinstance(default, list):
            assert resolve(parameter["schema"]).get("default") == default, name


BAD_PARAMETERS = [
    ("get", "/cables?limit=0", "limit"),
    ("get", "/cables?tag_mode=some", "tag_mode"),
    ("get", "/cables?colour=red", "colour"),
    ("get", "/cables?fields=nope", "fields"),
    ("get", "/cables?sort=relevance", "sort"),
    ("get", "/cables?cursor=xyz", "cursor"),
    ("get", "/facets?facet=colour", "facet"),
    ("get", "/tags?used=perhaps", "used"),
    ("get", "/participants?q=%21%21", "q"),
    ("get", "/cables/not%20an%20id!/references", "reference_id"),
    ("get", "/cables/x/cited-by", "reference_id"),
    ("post", "/cables?replace=maybe", "replace"),
    ("post", "/cables?replace=true&replace=false", "replace"),
    ("post", "/cables?colour=red", "colour"),
]


@pytest.mark.parametrize(("method", "url", "name"), BAD_PARAMETERS)
def test_every_bad_parameter_is_one_400_shape(method, url, name):
    config = {"TESTING": True, "EMBEDDED_DB": ":memory:", "API_TOKENS": "parameter-token"}
    client = create_app(config).test_client()
    headers = {"Authorization": "Bearer parameter-token"}
    response = client.open(url, method=method.upper(), headers=headers, data=b"x")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 400 and name in body["detail"]
    entries = body["errors"]
    assert entries and all(set(entry) == {"parameter", "message"} for entry in entries)
    assert entries[0]["parameter"] == name
