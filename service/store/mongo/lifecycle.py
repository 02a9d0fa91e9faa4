"""When the MongoDB engine's indexes are built and how they are checked (the list of them is
service.store.mongo.indexes).

`cables migrate` builds what is missing (a text index on a large collection takes long: never
at a worker's boot, which would outlast gunicorn's timeout or fail during an election). A
worker's boot and `/ready` only look: each index is present, missing, still building, or
present under its name with other keys or options (left as it is: reported, never dropped,
and never a reason for boot to fail).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pymongo import IndexModel
from pymongo.errors import OperationFailure

from service.store.mongo.indexes import IndexSpec

# The superseded texts of a cable, found by reference id, oldest first.
VERSION_INDEXES: list[IndexSpec] = [
    (
        [("reference_id", 1), ("superseded_at", 1)],
        {"name": "reference_id_1_superseded_at_1"},
    ),
]
# Options whose difference changes what an index does; others (background...) do not count.
_COMPARED_OPTIONS = ("unique", "sparse", "weights", "partialFilterExpression")


@dataclass
class IndexReport:
    """The state of the wanted indexes of some collections, by `collection.index` name."""

    present: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    building: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)  # "name: why"

    @property
    def complete(self) -> bool:
        """Every wanted index is built (a differing one exists and serves, if not ideally)."""
        return not self.missing and not self.building

    def add(self, other: IndexReport) -> None:
        """Merge another collection's report into this one."""
        self.present += other.present
        self.missing += other.missing
        self.building += other.building
        self.differing += other.differing

    def problems(self) -> str:
        """What is missing, building or different, in one line ("" when nothing)."""
        parts = [
            f"{label}: {', '.join(names)}"
            for label, names in (
                ("missing indexes", self.missing),
                ("indexes still building", self.building),
                ("indexes that differ from the service's", self.differing),
            )
            if names
        ]
        return "; ".join(parts)


def stored_indexes(collection: Any) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """The collection's index documents by name, and the names of those still building.

    `listIndexes` with `includeBuildUUIDs` (MongoDB 4.4+) lists builds in progress too, as
    `{spec, buildUUID}`; where the server (a mongos, an old server) or mongomock does not take
    it, the plain listing is used, which shows finished indexes only.
    """
    try:
        reply = collection.database.command(
            {"listIndexes": collection.name, "includeBuildUUIDs": True}
        )
        rows = reply["cursor"]["firstBatch"]
    except (OperationFailure, NotImplementedError, KeyError, TypeError):
        rows = list(collection.list_indexes())
    stored: dict[str, dict[str, Any]] = {}
    building: set[str] = set()
    for row in rows:
        spec = row.get("spec", row)
        stored[spec["name"]] = dict(spec)
        if "buildUUID" in row:
            building.add(spec["name"])
    return stored, building


def check(collection: Any, specs: list[IndexSpec]) -> IndexReport:
    """The state of each wanted index of the collection (nothing is changed)."""
    stored, building = stored_indexes(collection)
    report = IndexReport()
    for keys, options in specs:
        name = options["name"]
        label = f"{collection.name}.{name}"
        if name not in stored:
            report.missing.append(label)
        elif name in building:
            report.building.append(label)
        else:
            report.present.append(label)
            why = _difference(stored[name], keys, options)
            if why:
                report.differing.append(f"{label} ({why})")
    return report


def build_missing(collection: Any, specs: list[IndexSpec]) -> list[str]:
    """Build the wanted indexes the collection lacks (by name); the names built. An index
    present under a wanted name with other keys or options is left as it is."""
    stored, _ = stored_indexes(collection)
    wanted = [(keys, options) for keys, options in specs if options["name"] not in stored]
    if not wanted:
        return []
    collection.create_indexes([IndexModel(keys, **options) for keys, options in wanted])
    return [f"{collection.name}.{options['name']}" for _, options in wanted]


def drop_present(collection: Any, names: tuple[str, ...]) -> list[str]:
    """Drop those of the named indexes the collection holds (indexes of earlier versions
    that the wanted set replaces); the names dropped."""
    stored, _ = stored_indexes(collection)
    dropped = []
    for name in names:
        if name in stored:
            collection.drop_index(name)
            dropped.append(f"{collection.name}.{name}")
    return dropped


def _difference(
    stored: dict[str, Any], keys: list[tuple[str, Any]], options: dict[str, Any]
) -> str:
    """How a stored index differs from its specification, or ""."""
    if "textIndexVersion" in stored:  # a text index stores its keys as _fts/_ftsx
        stored_fields = set(stored.get("weights", {}))
        if stored_fields != {field for field, kind in keys if kind == "text"}:
            return f"text fields {sorted(stored_fields)}"
    elif list(stored.get("key", {}).items()) != [(field, kind) for field, kind in keys]:
        return f"keys {dict(stored.get('key', {}))}"
    for option in _COMPARED_OPTIONS:
        if option == "weights" and "textIndexVersion" not in stored:
            continue
        have, wanted = stored.get(option), options.get(option)
        if have != wanted and (have or wanted):  # absent and false alike are "not set"
            return f"{option} {have!r}, wanted {wanted!r}"
    return ""
