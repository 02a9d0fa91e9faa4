"""The opaque keyset cursor."""

from __future__ import annotations

from typing import Any

import pytest

from service.query import cursor
from service.store.mongo.reads import after_clause


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("-created", ["2006-04-21T04:16:00Z", "06ALMATY1457"]),
        ("created", [None, "06ALMATY1457"]),
        ("reference_id", ["06ALMATY1457"]),
    ],
)
def test_cursor_round_trips(sort: str, key: list[Any]) -> None:
    token = cursor.encode(sort, key=key)
    assert "=" not in token and "/" not in token and "+" not in token
    assert cursor.decode(token, sort) == {"k": key}


def test_relevance_cursor_carries_an_offset() -> None:
    assert cursor.decode(cursor.encode("relevance", offset=50), "relevance") == {"o": 50}


@pytest.mark.parametrize("token", ["", "!!!", "e30", "bnVsbA", "x" * 1001])
def test_garbage_is_refused(token: str) -> None:
    with pytest.raises(cursor.CursorError):
        cursor.decode(token, "-created")


def test_a_cursor_of_another_sort_is_refused() -> None:
    with pytest.raises(cursor.CursorError):
        cursor.decode(cursor.encode("created", key=["2006", "X"]), "-created")


AFTER: list[tuple[str, list[Any], dict[str, Any]]] = [
    (
        "created",
        ["2006", "B"],
        {"$or": [{"created": {"$gt": "2006"}}, {"created": "2006", "reference_id": {"$gt": "B"}}]},
    ),
    (
        "-created",
        ["2006", "B"],
        {
            "$or": [
                {"$or": [{"created": {"$lt": "2006"}}, {"created": None}]},
                {
                    "created": "2006",
                    "$or": [{"reference_id": {"$lt": "B"}}, {"reference_id": None}],
                },
            ]
        },
    ),
    (
        "created",
        [None, "B"],
        {
            "$or": [
                {"created": {"$type": "string"}},
                {"created": None, "reference_id": {"$gt": "B"}},
            ]
        },
    ),
    (
        "-created",
        [None, "B"],
        {"created": None, "$or": [{"reference_id": {"$lt": "B"}}, {"reference_id": None}]},
    ),
    ("reference_id", ["B"], {"reference_id": {"$gt": "B"}}),
]


@pytest.mark.parametrize(("sort", "key", "clause"), AFTER, ids=str)
def test_after_clause(sort: str, key: list[Any], clause: dict[str, Any]) -> None:
    assert after_clause(sort, key) == clause
