"""Every index the API's queries need, created idempotently at start-up.

One row per index: (keys, options). Each filter of `service.query.filters` names the field it
queries; every such field leads at least one index here, so a real MongoDB answers each
filter with an index scan (tests/query/test_filters.py checks the two tables agree). `_id` is
the reference id: no other unique index is needed (and one would block sharding on `_id`).
"""

from __future__ import annotations

from typing import Any

IndexSpec = tuple[list[tuple[str, Any]], dict[str, Any]]


def _single(field: str) -> IndexSpec:
    """An ascending index on one field, named the MongoDB way (`field_1`)."""
    return ([(field, 1)], {"name": f"{field}_1"})


def _with_created(field: str) -> IndexSpec:
    """A compound index on a filtered field then the default sort (created, reference_id)."""
    keys = [(field, 1), ("created", -1), ("reference_id", -1)]
    return (keys, {"name": f"{field}_1_created_-1_reference_id_-1"})


# Fields filtered on alone; the most used ones also get a compound index with the default
# sort, so a tag, participant or person page is read in order without an in-memory sort.
_FILTERED_FIELDS = (
    "tag_keys",
    "participants.search_words",
    "mentioned.search_words",
    "classification_level",
    "classification",
    "caveats",
    "handling",
    "origin",
    "station",
    "sender",
    "precedence",
    "to.name",
    "info.name",
    "references.id",
    "paragraphs.level",
    "declassify_on",
)
_SORTED_WITH_CREATED = (
    "tag_keys",
    "participants.search_words",
    "mentioned.search_words",  # the second branch of a `person` query
    "classification_level",
    "origin",
)

CABLE_INDEXES: list[IndexSpec] = [
    ([("reference_id", 1)], {"name": "reference_id_1"}),
    # The default listing order and its keyset tiebreak (see service.query.cursor).
    ([("created", -1), ("reference_id", -1)], {"name": "created_-1_reference_id_-1"}),
    *(_single(field) for field in _FILTERED_FIELDS),
    *(_with_created(field) for field in _SORTED_WITH_CREATED),
]

# Full text (`q`) on a real server with `$text` (see service.store.mongo.compile).
TEXT_INDEXES: list[IndexSpec] = [
    (
        [("subject", "text"), ("body", "text")],
        {"name": "subject_body_text", "weights": {"subject": 5, "body": 1}},
    ),
]


def indexes_for(*, text_index: bool) -> list[IndexSpec]:
    """The indexes to create: the text index only where `q` runs as `$text`."""
    return [*CABLE_INDEXES, *TEXT_INDEXES] if text_index else CABLE_INDEXES
