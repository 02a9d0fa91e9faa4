"""The index set of the `cables` collection: one row per index, (keys, options).

Every filter of `service.query.filters` is served, with the default sort (`-created`), by an
index in the order MongoDB's equality-sort-range rule asks for (tests/query/test_filters.py
checks the two tables agree):

- an equality filter (tag, station, participant, folded origin...) leads an index followed by
  the sort keys `created, reference_id`: the page is read in order from one index range;
- a range filter (`created`, `classification_level`, `declassify_on`) is served by the sort
  index itself, which carries the range fields after the sort keys, so the keys are filtered
  in the index and the page needs no in-memory sort.

No single-field index is the prefix of a compound one (the compound serves its queries), and
`_id` is the reference id: no other unique index is needed (one would block sharding on a
hashed `_id`). `q` uses the text index (a real server only).
"""

from __future__ import annotations

from typing import Any

from service.store.mongo.derived import FOLDED_COPIES, WORD_COPIES

IndexSpec = tuple[list[tuple[str, Any]], dict[str, Any]]

DEFAULT_SORT_KEYS: list[tuple[str, Any]] = [("created", -1), ("reference_id", -1)]
# Range filters other than `created`, checked inside the sort index.
RANGE_FIELDS = ("classification_level", "declassify_on")
SORT_INDEX = "created_-1_reference_id_-1_classification_level_1_declassify_on_1"


def _with_created(field: str) -> IndexSpec:
    """An equality field, then the default sort (created, reference_id)."""
    return ([(field, 1), *DEFAULT_SORT_KEYS], {"name": f"{field}_1_created_-1_reference_id_-1"})


# Fields filtered by equality (or, on the folded words, an anchored prefix), each leading an
# index ending with the default sort.
EQUALITY_FIELDS = (
    "tag_keys",
    "participants.search_words",
    "mentioned.search_words",  # the second branch of a `person` query
    "classification_level",
    "classification",
    "caveats",
    "handling",
    "folded.origin",
    "station",
    "folded.sender_words",
    "precedence",
    "folded.recipient_words.w",
    "references.id",
    "paragraphs.level",
)

CABLE_INDEXES: list[IndexSpec] = [
    # sort=reference_id and -reference_id (reference_id equals _id; _id stays the shard key).
    ([("reference_id", 1)], {"name": "reference_id_1"}),
    # The default listing order and its keyset tiebreak (service.query.cursor), then the
    # range fields checked from the index keys.
    ([*DEFAULT_SORT_KEYS, *((field, 1) for field in RANGE_FIELDS)], {"name": SORT_INDEX}),
    *(_with_created(field) for field in EQUALITY_FIELDS),
]

# Full text (`q`) on a real server: `$text` selects candidates by their words, the folded words
# decide (service.store.mongo.compile). No language: no stop words (`q=who` is a query like
# any other) and no stemming (a word matches only itself); `language_override` names a field
# no document holds, so a cable's own `language` key can never pick a language.
TEXT_INDEX = "subject_body_words_text"
TEXT_INDEXES: list[IndexSpec] = [
    (
        [("subject", "text"), ("body", "text")],
        {
            "name": TEXT_INDEX,
            "weights": {"subject": 5, "body": 1},
            "default_language": "none",
            "language_override": "text_index_language",
        },
    ),
]

# Indexes earlier versions created and this set replaces: to drop when indexes are built
# (single-field prefixes of the compound indexes, the English text index, the plain sort index).
OBSOLETE_INDEXES = (
    "created_-1_reference_id_-1",
    "subject_body_text",
    "origin_1_created_-1_reference_id_-1",
    # the lower-cased sender and recipients, matched as substrings before they meant words
    "folded.sender_1_created_-1_reference_id_-1",
    "folded.recipients_1_created_-1_reference_id_-1",
    *(
        f"{field}_1"
        for field in (
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
    ),
)


def indexes_for(*, text_index: bool) -> list[IndexSpec]:
    """The indexes to create: the text index only where `q` runs as `$text`."""
    return [*CABLE_INDEXES, *TEXT_INDEXES] if text_index else CABLE_INDEXES


def indexed_fields(fields: tuple[str, ...]) -> tuple[str, ...]:
    """The stored fields a filter on `fields` is matched on: the folded copy of a
    case-insensitive field (the words of each line in a copy of several), else the fields."""
    if fields in WORD_COPIES:
        words, element = WORD_COPIES[fields]
        return (f"{words}.{element}" if element else words,)
    copy = FOLDED_COPIES.get(fields)
    return (copy,) if copy is not None else fields


def serving_index(field: str) -> IndexSpec | None:
    """The index serving a filter on `field` with the default sort, or None: one led by the
    field then the sort keys (equality), or the sort index holding it (range)."""
    for keys, options in CABLE_INDEXES:
        equality = keys == [(field, 1), *DEFAULT_SORT_KEYS]
        in_sort_index = keys[:2] == DEFAULT_SORT_KEYS and (
            field == "created" or (field, 1) in keys[2:]
        )
        if equality or in_sort_index:
            return keys, options
    return None
