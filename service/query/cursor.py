"""Sort orders and the opaque keyset cursor of GET /cables.

A cursor is URL-safe base64 of JSON `{"s": sort, "k": [last sort key values]}`; the next page
asks for documents strictly after that key. Every sort ends with `reference_id`, which is
unique, so cables sharing a created time are neither skipped nor repeated. `relevance` (text
score) cannot be expressed as a filter, so its cursor carries an offset instead (`"o"`).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

SortSpec = list[tuple[str, int]]

SORTS: dict[str, SortSpec] = {
    "-created": [("created", -1), ("reference_id", -1)],
    "created": [("created", 1), ("reference_id", 1)],
    "reference_id": [("reference_id", 1)],
    "-reference_id": [("reference_id", -1)],
    "relevance": [("reference_id", 1)],  # after the text score; see service.store.queries
}
DEFAULT_SORT = "-created"
OFFSET_SORTS = frozenset({"relevance"})
MAX_CURSOR_LENGTH = 1000


class CursorError(ValueError):
    """The cursor is not one this API issued for this sort."""


def encode(sort: str, *, key: list[Any] | None = None, offset: int | None = None) -> str:
    """The opaque cursor for the page after `key` (or at `offset`)."""
    payload: dict[str, Any] = {"s": sort}
    if offset is not None:
        payload["o"] = offset
    else:
        payload["k"] = key
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str, sort: str) -> dict[str, Any]:
    """Check and unpack a cursor: {"k": [...]} or {"o": n}; CursorError when invalid."""
    if len(token) > MAX_CURSOR_LENGTH:
        raise CursorError("is too long")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError):
        raise CursorError("is not a cursor this API issued") from None
    if not isinstance(payload, dict) or payload.get("s") != sort:
        raise CursorError("was issued for another sort order")
    if sort in OFFSET_SORTS:
        offset = payload.get("o")
        if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
            raise CursorError("is not a cursor this API issued")
        return {"o": offset}
    key = payload.get("k")
    fields = SORTS[sort]
    if not isinstance(key, list) or len(key) != len(fields) or not _literal_key(key):
        raise CursorError("is not a cursor this API issued")
    return {"k": key}


def _literal_key(key: list[Any]) -> bool:
    """Key values are strings or null only, so a forged cursor cannot smuggle operators."""
    return all(value is None or isinstance(value, str) for value in key)


def key_of(document: dict[str, Any], sort: str) -> list[Any]:
    """The sort key values of a document."""
    return [document.get(field) for field, _ in SORTS[sort]]
