"""Request bodies and query arguments of the cable write endpoints."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.datastructures import MultiDict

from service.schemas.query import known_args, load_args, schema_names

# Metadata keys whose value may be a list of strings; every other value is a string or null.
LIST_METADATA = frozenset({"references", "tags"})


# A cable reference id as a client may write it (06ALMATY1457, 09 STATE 12345, 1974ATHENS03099_b).
REFERENCE_ID = re.compile(r"(?:[0-9]{2}){1,2}[ .\-/]?[A-Za-z][A-Za-z0-9.\- /]{1,62}(?:_[A-Za-z])?")


def _metadata_values(metadata: dict[str, Any]) -> None:
    """Metadata values are text or null (lists of text for LIST_METADATA): never an object or
    a number, which the parser would turn into text and store as an id like "{'$GT': ''}";
    `references` hold reference ids (a list, or one string separated by |)."""
    for key, value in metadata.items():
        if value is None or isinstance(value, str):
            _reference_ids(key, value)
            continue
        is_list = key in LIST_METADATA and isinstance(value, list)
        if is_list and all(isinstance(item, str) for item in value):
            _reference_ids(key, value)
            continue
        kinds = "a string, null or a list of strings" if key in LIST_METADATA else "a string"
        raise ValidationError(f"metadata {key!r} must be {kinds}")


def _reference_ids(key: str, value: str | list[str] | None) -> None:
    """Every entry of metadata `references` is a cable reference id."""
    if key != "references" or value is None:
        return
    for entry in value.split("|") if isinstance(value, str) else value:
        if entry.strip() and not REFERENCE_ID.fullmatch(entry.strip()):
            raise ValidationError(
                f"metadata 'references' must hold cable reference ids such as 06ALMATY1457, "
                f"not {entry[:80]!r}"
            )


class CableBodySchema(Schema):
    """`{"text": ..., "metadata": {...}}`: one cable as JSON (also one NDJSON line)."""

    text = fields.String(required=True, validate=validate.Length(min=1))
    metadata = fields.Dict(
        keys=fields.String(), load_default=None, allow_none=True, validate=_metadata_values
    )
    name = fields.String(load_default=None, allow_none=True)


class WriteArgsSchema(Schema):
    """Query arguments of POST /cables."""

    replace = fields.Boolean(load_default=False)


_BODY = CableBodySchema()
_WRITE_ARGS = WriteArgsSchema()
# Keys that mark a JSON body as our wrapper rather than a cable file in JSON form (the
# cablesearch.org export also has a "text" key, next to id, subject, header...).
WRAPPER_KEYS = frozenset(CableBodySchema().fields)


def is_wrapper(value: Any) -> bool:
    """Whether a JSON value is the `{"text": ...}` wrapper (else: a cable file in JSON)."""
    return isinstance(value, dict) and ("metadata" in value or set(value) <= WRAPPER_KEYS)


def load_cable_body(value: Any) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The validated body, or None and the field errors."""
    if not isinstance(value, dict):
        return None, {"_schema": ["expected a JSON object"]}
    try:
        return _BODY.load(value), {}
    except ValidationError as error:
        return None, _as_dict(error.messages)


def load_write_args(args: MultiDict[str, str]) -> dict[str, Any]:
    """The validated query arguments of a write, or a 400 naming each bad one."""
    return load_args(_WRITE_ARGS, known_args(args, schema_names(_WRITE_ARGS)))


def field_errors(messages: dict[str, Any]) -> list[dict[str, Any]]:
    """marshmallow's messages about a JSON body's keys as problem+json `errors` entries, one
    per key (422; a bad parameter is a 400 built by service.errors.bad_parameter)."""
    return [{"field": name, "messages": problems} for name, problems in messages.items()]


def _as_dict(messages: Any) -> dict[str, Any]:
    """marshmallow messages are a dict for schemas; be safe with a list."""
    return messages if isinstance(messages, dict) else {"_schema": messages}
