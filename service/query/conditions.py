"""The engine-neutral filter description: a tree of field conditions.

The query layer turns request parameters into one `Condition` (service.query.filters); each
storage engine compiles it to its own language (a MongoDB filter, SQL). The tree names
document fields by their dotted path as docs/document.md writes them (`tag_keys`,
`participants.search_words`) and holds only literals, so no value can become an operator.

Meanings, which every engine must meet (tests/query and tests/api compare the engines):

- `Equals(field, values)`: the field equals any of the values; a list field holds any of them.
- `HoldsAll(field, values)`: the list field holds every value (a single-valued field equals
  every value, so two different values match nothing); no values match nothing.
- `Range(field, low, high)`: a bound is `(value, inclusive)`; a missing value never matches.
- `Folded(fields, values)`: the value of any of the fields, case-folded, equals any of the
  case-folded values; list fields match by any element.
- `Words(fields, values)`: each value is a tuple of folded words (service.query.fulltext.words);
  some value of one of the fields (one element of a list field) has, among its own folded
  words, every word of one of the values but the last, and a word beginning with the last.
- `Person(list_name, words, sources)`: one person of the list (`participants` or
  `mentioned`) whose `search_words` hold every word, and, with sources, one of whose
  `sources` is among them.
- `WordPrefix(lists, prefix)`: some person of any of the lists has a search word starting
  with the (folded) prefix.
- `Present(field, present)`: the field holds a non-empty value (or, `present=False`, not).
- `FullText(query)`: `q`, with the word semantics of service.query.fulltext.
- `AllOf(children)` / `AnyOf(children)`: AND / OR; `AllOf(())` matches every cable,
  `AnyOf(())` none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.query.fulltext import TextQuery

Bound = tuple[Any, bool]  # (value, inclusive)


@dataclass(frozen=True)
class Equals:
    field: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class HoldsAll:
    field: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Range:
    field: str
    low: Bound | None = None
    high: Bound | None = None


@dataclass(frozen=True)
class Folded:
    fields: tuple[str, ...]
    values: tuple[str, ...]


@dataclass(frozen=True)
class Words:
    fields: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Person:
    list_name: str
    words: tuple[str, ...]
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class WordPrefix:
    lists: tuple[str, ...]
    prefix: str


@dataclass(frozen=True)
class Present:
    field: str
    present: bool


@dataclass(frozen=True)
class FullText:
    query: TextQuery


@dataclass(frozen=True)
class AllOf:
    children: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Condition, ...]


Condition = (
    Equals
    | HoldsAll
    | Range
    | Folded
    | Words
    | Person
    | WordPrefix
    | Present
    | FullText
    | AllOf
    | AnyOf
)

EVERYTHING = AllOf(())


def all_of(*conditions: Condition | None) -> Condition:
    """The AND of the conditions given (None and match-everything ones left out, nested ANDs
    flattened)."""
    present: tuple[Condition, ...] = ()
    for condition in conditions:
        if isinstance(condition, AllOf):
            present += condition.children
        elif condition is not None:
            present += (condition,)
    if not present:
        return EVERYTHING
    return present[0] if len(present) == 1 else AllOf(present)


def any_of(*conditions: Condition) -> Condition:
    """The OR of the conditions (one condition as itself)."""
    return conditions[0] if len(conditions) == 1 else AnyOf(tuple(conditions))


def merge_ranges(conditions: list[Condition]) -> list[Condition]:
    """Join ranges on one field (date_from + date_to + year on created) where their bounds
    do not overlap: one range test per cable, the same meaning."""
    merged: list[Condition] = []
    ranges: dict[str, int] = {}
    for condition in conditions:
        if isinstance(condition, Range) and condition.field in ranges:
            index = ranges[condition.field]
            earlier = merged[index]
            assert isinstance(earlier, Range)
            if (earlier.low is None or condition.low is None) and (
                earlier.high is None or condition.high is None
            ):
                merged[index] = Range(
                    condition.field, earlier.low or condition.low, earlier.high or condition.high
                )
                continue
        if isinstance(condition, Range):
            ranges.setdefault(condition.field, len(merged))
        merged.append(condition)
    return merged
