"""The facet table: what GET /facets, /tags, /participants and /stats count, one entry each.

Each `Facet` names the stored field it reads and how a document yields its values; from that
each engine counts them (service.store.mongo: an aggregation stage; service.store.sqlite: a
GROUP BY over a column or the value table).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from service.parsing import glossary


@dataclass(frozen=True)
class Facet:
    """One countable property of a cable."""

    name: str
    field: str  # dotted path of the stored field read
    help: str  # what it counts: its line in the `facet` parameter's description in openapi.yaml
    many: bool = False  # the field is a list (each value counts once per cable)
    prefix: int | None = None  # count only the first characters (year, month of created)
    describe: Callable[[Any], dict[str, Any]] | None = None  # extra keys for each value
    also: tuple[str, ...] = ()  # further list fields whose values count with the field's

    @property
    def fields(self) -> tuple[str, ...]:
        """Every stored field read."""
        return (self.field, *self.also)

    def stages(self) -> list[dict[str, Any]]:
        """Aggregation stages (after $match) that count this facet: {_id: value, count}."""
        value: Any = "$" + self.field
        if self.prefix is not None:
            # $substr (= $substrBytes; created is ASCII): the form mongomock also implements.
            value = {"$substr": [{"$ifNull": [value, ""]}, 0, self.prefix]}
        if self.many:  # each value once per cable
            lists = [{"$ifNull": ["$" + field, []]} for field in self.fields]
            value = {"$setUnion": [*lists, []]}
        stages: list[dict[str, Any]] = [{"$project": {"_id": 0, "value": value}}]
        if self.many:
            stages.append({"$unwind": "$value"})
        stages.append({"$group": {"_id": "$value", "count": {"$sum": 1}}})
        return stages

    def top_stages(self, top: int) -> list[dict[str, Any]]:
        """Stages after `stages()` keeping the `top` most frequent values in top_values's
        order: count descending, the missing value last among equal counts, then by value."""
        missing: Any = {"$in": ["$_id", [None, ""]]} if self.prefix else {"$eq": ["$_id", None]}
        return [
            {"$addFields": {"missing": missing}},
            {"$sort": {"count": -1, "missing": 1, "_id": 1}},
            {"$limit": top},
            {"$project": {"missing": 0}},
        ]

    def normalise(self, value: Any) -> Any:
        """Map the server's empty substring for a missing date back to null."""
        return None if self.prefix is not None and value == "" else value


def leaf_values(value: Any, path: list[str]) -> list[Any]:
    """Every value at a dotted path, walking into lists as MongoDB does."""
    if not path:
        return value if isinstance(value, list) else [value]
    if isinstance(value, list):
        return [found for item in value for found in leaf_values(item, path)]
    if isinstance(value, dict) and path[0] in value:
        return leaf_values(value[path[0]], path[1:])
    return []


def describe_tag(tag: Any) -> dict[str, Any]:
    """The glossary title and kind of a tag."""
    info = glossary.tag_info(str(tag))
    return {"title": info["title"], "kind": info["kind"]}


# The one list of facets: the `facet` parameter's names (service.schemas.query.FACET_NAMES)
# and, with their help, its description in openapi.yaml (tests/test_parameters.py).
FACETS: tuple[Facet, ...] = (
    Facet(
        "tags",
        "tags",
        "the TAGS, each with its glossary `title` and `kind`",
        many=True,
        describe=describe_tag,
    ),
    Facet("classification", "classification", "the normalised classification"),
    Facet("year", "created", "the year created", prefix=4),
    Facet("month", "created", "the month created (`2009-06`)", prefix=7),
    Facet("origin", "origin", "the origin"),
    Facet(
        "participants",
        "participants.name",
        "the names of the people who took part (a name once per cable)",
        many=True,
    ),
    Facet(
        "persons",
        "participants.name",
        "the names of participants and mentioned people together (a name once per cable"
        " naming it in either list)",
        many=True,
        also=("mentioned.name",),
    ),
)
FACETS_BY_NAME = {facet.name: facet for facet in FACETS}


def by_frequency(counts: Counter[Any]) -> list[tuple[Any, int]]:
    """A facet's (value, count) pairs, most frequent first, then null last, then by value: the
    order facets are shown and cut in, on every engine."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, str(item[0])))


def top_values(facet: Facet, counts: Counter[Any], limit: int) -> dict[str, Any]:
    """The most frequent values (ties by value), described, and whether more were left out."""
    ordered = by_frequency(counts)
    values = []
    for value, count in ordered[:limit]:
        entry = {"value": value, "count": count}
        if facet.describe is not None and value is not None:
            entry.update(facet.describe(value))
        values.append(entry)
    return {"values": values, "truncated": len(ordered) > limit}
