"""Marshmallow schemas for the query arguments that are not filters: paging, sort, output.

Filters are parsed by the table in service.query.filters; these schemas hold the rest, with
their defaults and ranges (flask-smorest pagination style). `load_args` turns marshmallow's
errors into a 400 problem naming each parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from service.errors import APIError
from service.query.cursor import SORTS

DEFAULT_LIMIT = 25
MAX_LIMIT = 500
EXPORT_FORMATS = ("json", "csv", "ndjson")
FACET_NAMES = ("tags", "classification", "year", "month", "origin", "participants", "persons")


class ListArgs(Schema):
    """GET /cables: sort, page size, cursor, fields and output format."""

    sort = fields.String(load_default=None, validate=validate.OneOf(list(SORTS)))
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT)
    )
    cursor = fields.String(load_default=None, validate=validate.Length(min=1, max=1000))
    fields_ = fields.List(
        fields.String(validate=validate.Length(min=1, max=100)),
        data_key="fields",
        load_default=None,
    )
    format = fields.String(load_default=None, validate=validate.OneOf(EXPORT_FORMATS))


class FacetArgs(Schema):
    """GET /facets: which facets, and how many values each."""

    facet = fields.List(
        fields.String(validate=validate.OneOf(FACET_NAMES)), load_default=list(FACET_NAMES)
    )
    facet_limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=1000))


class TagArgs(Schema):
    """GET /tags: the glossary with counts, optionally narrowed."""

    q = fields.String(load_default=None, validate=validate.Length(min=1, max=100))
    kind = fields.String(
        load_default=None,
        validate=validate.OneOf(["geographic", "subject", "program", "organization", "person"]),
    )
    used = fields.Boolean(load_default=False)
    limit = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=10000))


class ParticipantArgs(Schema):
    """GET /participants: names starting with the words of `q`, for autocompletion."""

    q = fields.String(load_default=None, validate=validate.Length(min=1, max=100))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=200))


class ReferenceArgs(Schema):
    """GET /cables/<id>/references and /cited-by: which fields to show."""

    fields_ = fields.List(
        fields.String(validate=validate.Length(min=1, max=100)),
        data_key="fields",
        load_default=None,
    )


def split_list(values: list[str]) -> list[str]:
    """Repeated and comma-separated values as one list (fields=a,b&fields=c)."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def load_args(schema: Schema, args: Mapping[str, list[str]]) -> dict[str, Any]:
    """Load the schema's parameters from `args` (name -> raw values); 400 naming each bad one."""
    data: dict[str, Any] = {}
    for field in schema.fields.values():
        name = field.data_key or field.name or ""
        if name not in args:
            continue
        raw = args[name]
        if isinstance(field, fields.List):
            data[name] = split_list(raw)
        elif len(raw) > 1:
            raise _problem({name: ["may be given only once"]})
        else:
            data[name] = raw[0]
    try:
        return schema.load(data)
    except ValidationError as error:
        raise _problem(error.normalized_messages()) from None


def _problem(messages: Mapping[str, Any]) -> APIError:
    """A 400 problem with one entry per parameter."""
    errors = [
        {"parameter": name, "message": "; ".join(_flatten(message))}
        for name, message in messages.items()
    ]
    names = ", ".join(repr(error["parameter"]) for error in errors)
    return APIError(400, f"Invalid query parameter {names}.", errors=errors)


def _flatten(message: Any) -> list[str]:
    """Marshmallow messages (str, list, dict by index) as flat strings."""
    if isinstance(message, str):
        return [message]
    if isinstance(message, Mapping):
        return [text for value in message.values() for text in _flatten(value)]
    return [text for value in message for text in _flatten(value)]


def schema_names(schema: Schema) -> set[str]:
    """The parameter names a schema reads."""
    return {field.data_key or field.name or "" for field in schema.fields.values()}
