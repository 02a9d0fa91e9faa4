"""Every index the API's queries need, created idempotently at start-up."""

from __future__ import annotations

from typing import Any

# (keys, options) per index on the `cables` collection.
CABLE_INDEXES: list[tuple[list[tuple[str, Any]], dict[str, Any]]] = [
    ([("reference_id", 1)], {"unique": True, "name": "reference_id_1"}),
]
