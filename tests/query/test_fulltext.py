"""Parsing `q` and the regex fallback of the embedded store."""

from __future__ import annotations

import re

import pytest

from service.query import fulltext

PARSED = [
    ("nuclear", ("nuclear",), ()),
    ("Nuclear  weapons", ("Nuclear", "weapons"), ()),
    ('"nuclear   weapons" iran', ("nuclear weapons", "iran"), ()),
    ("nuclear -iran", ("nuclear",), ("iran",)),
    ('oil -"prime minister" -iran', ("oil",), ("prime minister", "iran")),
    ('"unclosed phrase', ("unclosed phrase",), ()),
    ("a - b", ("a", "b"), ()),
    ("oil oil", ("oil",), ()),
    ("U.S.", ("U.S.",), ()),
]


@pytest.mark.parametrize(("raw", "required", "excluded"), PARSED)
def test_parse(raw: str, required: tuple[str, ...], excluded: tuple[str, ...]) -> None:
    assert fulltext.parse(raw) == fulltext.TextQuery(required, excluded)


@pytest.mark.parametrize("raw", ["", "-iran", '-"a b"', "- -", "x " * 21, "y" * 501])
def test_parse_refuses(raw: str) -> None:
    with pytest.raises(ValueError):
        fulltext.parse(raw)


MATCHES = [
    ("nuclear", "The NUCLEAR program", True),
    ("nuclear", "antinuclear groups", False),
    ("nuclear", "nuclearization", False),
    ("nuclear weapons", "nuclear\n   weapons", True),
    ("U.S.", "the U.S. position", True),
    ("U.S.", "the USS position", False),
    ("a.b", "aXb", False),
    ("(c)", "para (C) text", True),
]


@pytest.mark.parametrize(("term", "text", "found"), MATCHES)
def test_term_pattern(term: str, text: str, found: bool) -> None:
    assert bool(re.search(fulltext.term_pattern(term), text, re.IGNORECASE)) is found


def test_fallback_requires_every_term_and_none_of_the_excluded() -> None:
    clause = fulltext.fallback_clause(fulltext.parse("oil -iran"))
    assert set(clause) == {"$and"}
    required, excluded = clause["$and"]
    assert [list(c) for c in required["$or"]] == [["subject"], ["body"]]
    assert [list(c) for c in excluded["$nor"]] == [["subject"], ["body"]]
