"""The clauses the filter table builds: each builder turns one filter's parsed values into a
MongoDB clause (or None for a modifier), and `merge_ranges` joins range clauses on one field.

Values only ever become literals inside these clauses; text used in a regular expression is
escaped with `re.escape`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from service.query import fulltext

Clause = dict[str, Any]

_RANGE_OPERATORS = frozenset({"$gt", "$gte", "$lt", "$lte"})


@dataclass(frozen=True)
class Context:
    """What a clause builder may look at besides its own values."""

    values: Mapping[str, list[Any]]
    embedded: bool

    def first(self, name: str, default: Any = None) -> Any:
        """The first parsed value of another parameter, or the default."""
        found = self.values.get(name)
        return found[0] if found else default


def _regex(pattern: str) -> Clause:
    """A case-insensitive regex clause value."""
    return {"$regex": pattern, "$options": "i"}


def equal_any(field: str) -> Callable[[list[Any], Context], Clause]:
    """The field equals (or, for arrays, holds) any of the values."""
    return lambda values, _: {field: values[0] if len(values) == 1 else {"$in": values}}


def hold_all(field: str) -> Callable[[list[Any], Context], Clause]:
    """The array field holds every value."""
    return lambda values, _: {field: values[0] if len(values) == 1 else {"$all": values}}


def whole_value_any(field: str) -> Callable[[list[Any], Context], Clause]:
    """The field equals any value, ignoring case (an anchored, escaped regex)."""

    def build(values: list[Any], _: Context) -> Clause:
        alternatives = "|".join(re.escape(value) for value in values)
        return {field: _regex(f"^(?:{alternatives})$")}

    return build


def contains_any(*fields: str) -> Callable[[list[Any], Context], Clause]:
    """Any of the fields contains any value, ignoring case (escaped regex)."""

    def build(values: list[Any], _: Context) -> Clause:
        pattern = _regex("|".join(re.escape(value) for value in values))
        clauses = [{field: pattern} for field in fields]
        return clauses[0] if len(clauses) == 1 else {"$or": clauses}

    return build


def build_tags(values: list[Any], context: Context) -> Clause:
    """All given TAGS (tag_mode=any: any of them), matched on tag_keys."""
    operator = "$in" if context.first("tag_mode", "all") == "any" else "$all"
    return {"tag_keys": {operator: values}}


def build_classification(values: list[Any], _: Context) -> Clause:
    """Any of the levels or exact normalised classifications."""
    levels = sorted({value for value in values if isinstance(value, int)})
    exact = sorted({value for value in values if isinstance(value, str)})
    clauses: list[Clause] = []
    if levels:
        clauses.append({"classification_level": {"$in": levels}})
    if exact:
        clauses.append({"classification": {"$in": exact}})
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def bound(field: str, operator: str) -> Callable[[list[Any], Context], Clause]:
    """A one-sided range on the field."""
    return lambda values, _: {field: {operator: values[0]}}


def build_date_from(values: list[Any], _: Context) -> Clause:
    """Created at or after the bound."""
    return {"created": {"$gte": values[0][0]}}


def build_date_to(values: list[Any], _: Context) -> Clause:
    """Created up to the bound; a date includes its whole day."""
    moment, inclusive = values[0]
    return {"created": {"$lte" if inclusive else "$lt": moment}}


def build_year(values: list[Any], _: Context) -> Clause:
    """Created within the calendar year."""
    year = values[0]
    start, end = f"{year:04d}-01-01T00:00:00Z", f"{year + 1:04d}-01-01T00:00:00Z"
    return {"created": {"$gte": start, "$lt": end}}


def build_has_summary(values: list[Any], _: Context) -> Clause:
    """Whether the cable has a Summary section."""
    return {"summary": {"$nin" if values[0] else "$in": [None, ""]}}


def build_text(values: list[Any], context: Context) -> Clause:
    """Full text over subject and body (see service.query.fulltext)."""
    return fulltext.build_clause(values[0], embedded=context.embedded)


def modifier(values: list[Any], _: Context) -> None:
    """A parameter that changes how another filter builds its clause."""
    return None


def merge_ranges(clauses: list[Clause]) -> list[Clause]:
    """Join one-field operator clauses on the same field (date_from + date_to + year on
    created) into one: the same meaning to MongoDB, one range test per document."""
    merged: list[Clause] = []
    by_field: dict[str, dict[str, Any]] = {}
    for clause in clauses:
        field, condition = next(iter(clause.items()))
        mergeable = len(clause) == 1 and not field.startswith("$") and isinstance(condition, dict)
        mergeable = mergeable and all(key in _RANGE_OPERATORS for key in condition)
        target = by_field.get(field)
        if mergeable and target is not None and not set(target) & set(condition):
            target.update(condition)
            continue
        if mergeable:
            condition = dict(condition)
            by_field[field] = condition
            clause = {field: condition}
        merged.append(clause)
    return merged
