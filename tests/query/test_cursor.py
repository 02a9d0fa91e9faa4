"""The opaque keyset cursor."""

from __future__ import annotations

import base64
import json
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


def test_a_cursor_carries_the_total_and_the_digest_of_its_query() -> None:
    token = cursor.encode("-created", key=["2006", "X"], total=12, digest="0123456789abcdef")
    assert cursor.decode(token, "-created") == {
        "k": ["2006", "X"],
        "t": 12,
        "q": "0123456789abcdef",
    }


@pytest.mark.parametrize(
    "payload",
    [
        {"s": "relevance", "o": 10**30},
        {"s": "relevance", "o": 1e30},
        {"s": "relevance", "o": cursor.MAX_OFFSET + 1},
        {"s": "relevance", "o": True},
        {"s": "-created", "k": ["2006", "X"], "t": -1, "q": "0123456789abcdef"},
        {"s": "-created", "k": ["2006", "X"], "t": 2**60, "q": "0123456789abcdef"},
        {"s": "-created", "k": ["2006", "X"], "t": 5, "q": {"$ne": ""}},
        {"s": "-created", "k": ["2006", "X"], "t": 5},
    ],
    ids=str,
)
def test_offsets_and_totals_out_of_bounds_are_refused(payload: dict[str, Any]) -> None:
    raw = json.dumps(payload).encode()
    with pytest.raises(cursor.CursorError):
        cursor.decode(base64.urlsafe_b64encode(raw).decode().rstrip("="), payload["s"])


def test_the_deepest_relevance_offset_is_accepted() -> None:
    token = cursor.encode("relevance", offset=cursor.MAX_OFFSET)
    assert cursor.decode(token, "relevance") == {"o": cursor.MAX_OFFSET}
