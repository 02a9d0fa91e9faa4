"""Marshmallow schemas for the query arguments that are not filters: paging, sort, output.

Filters are parsed by the table in service.query.filters; these schemas hold the rest, with
their defaults and ranges (flask-smorest pagination style). `known_args` refuses parameters a
resource does not take and `load_args` loads a schema's; both answer a bad parameter with
service.errors.bad_parameter, as the filter table does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.datastructures import MultiDict

from service.errors import APIError, bad_parameter
from service.query.cursor import SORTS
from service.query.facets import FACETS_BY_NAME

DEFAULT_LIMIT = 25
MAX_LIMIT = 500
EXPORT_FORMATS = ("json", "csv", "ndjson")
FACET_NAMES = tuple(FACETS_BY_NAME)  # the facet table is the one list


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


def known_args(args: MultiDict[str, str], allowed: Iterable[str]) -> dict[str, list[str]]:
    """A query string as name -> values; 400 naming any parameter not in `allowed`."""
    values = {name: found for name, found in args.lists()}
    known = set(allowed)
    for name in values:
        if name not in known:
            raise bad_parameter(name, "is not a parameter of this resource")
    return values


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
    """The 400 naming each parameter marshmallow refused."""
    first, *more = [(name, "; ".join(_flatten(message))) for name, message in messages.items()]
    return bad_parameter(*first, *more)


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
