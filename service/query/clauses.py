"""The conditions the filter table builds: each builder turns one filter's parsed values into
a condition of the engine-neutral tree (service.query.conditions), or None for a modifier.

Values only ever become literals inside the tree; each engine compiles it to its own language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from service.query.conditions import (
    Condition,
    Equals,
    Folded,
    FullText,
    HoldsAll,
    Present,
    Range,
    Words,
    any_of,
)

Builder = Callable[[list[Any], "Context"], Condition | None]


@dataclass(frozen=True)
class Context:
    """What a condition builder may look at besides its own values."""

    values: Mapping[str, list[Any]]

    def first(self, name: str, default: Any = None) -> Any:
        """The first parsed value of another parameter, or the default."""
        found = self.values.get(name)
        return found[0] if found else default


def equal_any(field: str) -> Builder:
    """The field equals (or, for lists, holds) any of the values."""
    return lambda values, _: Equals(field, tuple(values))


def hold_all(field: str) -> Builder:
    """The list field holds every value."""
    return lambda values, _: HoldsAll(field, tuple(values))


def whole_value_any(field: str) -> Builder:
    """The field equals any value, ignoring case."""
    return lambda values, _: Folded((field,), tuple(values))


def words_any(*fields: str) -> Builder:
    """A value of any of the fields holds the words of any value, the last as a beginning
    (each value parsed to its folded words: service.query.filters.parse_line_words)."""
    return lambda values, _: Words(fields, tuple(tuple(words) for words in values))


def build_tags(values: list[Any], context: Context) -> Condition:
    """All given TAGS (tag_mode=any: any of them), matched on tag_keys."""
    if context.first("tag_mode", "all") == "any":
        return Equals("tag_keys", tuple(values))
    return HoldsAll("tag_keys", tuple(values))


def build_classification(values: list[Any], _: Context) -> Condition:
    """Any of the levels or exact normalised classifications."""
    levels = sorted({value for value in values if isinstance(value, int)})
    exact = sorted({value for value in values if isinstance(value, str)})
    conditions: list[Condition] = []
    if levels:
        conditions.append(Equals("classification_level", tuple(levels)))
    if exact:
        conditions.append(Equals("classification", tuple(exact)))
    return any_of(*conditions)


def lower_bound(field: str) -> Builder:
    """The field at or above the value."""
    return lambda values, _: Range(field, low=(values[0], True))


def upper_bound(field: str) -> Builder:
    """The field at or below the value."""
    return lambda values, _: Range(field, high=(values[0], True))


def build_date_from(values: list[Any], _: Context) -> Condition:
    """Created at or after the bound."""
    return Range("created", low=(values[0][0], True))


def build_date_to(values: list[Any], _: Context) -> Condition:
    """Created up to the bound; a date includes its whole day."""
    moment, inclusive = values[0]
    return Range("created", high=(moment, inclusive))


def build_year(values: list[Any], _: Context) -> Condition:
    """Created within the calendar year."""
    year = values[0]
    start, end = f"{year:04d}-01-01T00:00:00Z", f"{year + 1:04d}-01-01T00:00:00Z"
    return Range("created", low=(start, True), high=(end, False))


def build_has_summary(values: list[Any], _: Context) -> Condition:
    """Whether the cable has a Summary section."""
    return Present("summary", bool(values[0]))


def build_text(values: list[Any], _: Context) -> Condition:
    """Full text over subject and body (see service.query.fulltext)."""
    return FullText(values[0])


def modifier(values: list[Any], _: Context) -> None:
    """A parameter that changes how another filter builds its condition."""
    return None
