"""Sort orders and the opaque keyset cursor of GET /cables.

A cursor is URL-safe base64 of JSON `{"s": sort, "k": [last sort key values], "t": total,
"q": query digest}`; the next page asks for documents strictly after that key. Every sort ends
with `reference_id`, which is unique, so cables sharing a created time are neither skipped nor
repeated. `relevance` (text score) cannot be expressed as a filter, so its cursor carries an
offset instead (`"o"`), at most MAX_OFFSET: a relevance listing ends there (a larger offset
is a 400), since every engine reads and drops the matches before it.

`total` is counted once, for the first page, and carried by the cursor to the next pages with
the digest of the query it counted (service.store.queries): a cursor replayed with other
filters has its total counted again.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
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
MAX_OFFSET = 10_000  # the deepest match a relevance listing pages to
MAX_TOTAL = 2**53  # a carried total is a JSON-safe integer
_DIGEST = re.compile(r"^[0-9a-f]{16}$")


class CursorError(ValueError):
    """The cursor is not one this API issued for this sort."""


def encode(
    sort: str,
    *,
    key: list[Any] | None = None,
    offset: int | None = None,
    total: int | None = None,
    digest: str | None = None,
) -> str:
    """The opaque cursor for the page after `key` (or at `offset`), carrying the total of the
    query whose digest is given."""
    payload: dict[str, Any] = {"s": sort}
    if offset is not None:
        payload["o"] = offset
    else:
        payload["k"] = key
    if total is not None and digest is not None:
        payload["t"], payload["q"] = total, digest
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def encode_state(sort: str, state: dict[str, Any]) -> str:
    """The cursor of a next-page state (service.store.queries.CableQueries.page)."""
    return encode(
        sort, key=state.get("k"), offset=state.get("o"), total=state.get("t"), digest=state.get("q")
    )


def decode(token: str, sort: str) -> dict[str, Any]:
    """Check and unpack a cursor: {"k": [...]} or {"o": n}, with {"t": total, "q": digest}
    when it carries a total; CursorError when invalid."""
    if len(token) > MAX_CURSOR_LENGTH:
        raise CursorError("is too long")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError):
        raise CursorError("is not a cursor this API issued") from None
    if not isinstance(payload, dict) or payload.get("s") != sort:
        raise CursorError("was issued for another sort order")
    carried = _carried_total(payload)
    if sort in OFFSET_SORTS:
        offset = payload.get("o")
        if not _count(offset, MAX_OFFSET):
            if _count(offset, None):
                raise CursorError(f"goes past the first {MAX_OFFSET:,} matches by relevance")
            raise CursorError("is not a cursor this API issued")
        return {"o": offset, **carried}
    key = payload.get("k")
    fields = SORTS[sort]
    if not isinstance(key, list) or len(key) != len(fields) or not _literal_key(key):
        raise CursorError("is not a cursor this API issued")
    return {"k": key, **carried}


def _count(value: Any, most: int | None) -> bool:
    """Whether the value is an integer from 0 to `most` (None: any)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return False
    return most is None or value <= most


def _carried_total(payload: dict[str, Any]) -> dict[str, Any]:
    """The total and query digest a cursor carries, if both are well-formed."""
    total, digest = payload.get("t"), payload.get("q")
    if "t" not in payload and "q" not in payload:
        return {}
    if not _count(total, MAX_TOTAL) or not isinstance(digest, str) or not _DIGEST.match(digest):
        raise CursorError("is not a cursor this API issued")
    return {"t": total, "q": digest}


def _literal_key(key: list[Any]) -> bool:
    """Key values are strings or null only, so a forged cursor cannot smuggle operators."""
    return all(value is None or isinstance(value, str) for value in key)


def key_of(document: dict[str, Any], sort: str) -> list[Any]:
    """The sort key values of a document."""
    return [document.get(field) for field, _ in SORTS[sort]]
