"""The SQL that counts facet values (service.query.facets) over the matching cables.

All the facets of a request are one statement: the matching cables are found once (a
materialised `m`), then each facet is a GROUP BY over them, the parts joined by UNION ALL
and told apart by the facet's index in the first column. A list facet reads its field's rows
of cable_values in the order of its key, so grouped by value without sorting, and keeps
those of matching cables. A facet over two list fields (`persons`: a name once per cable naming
it in either list) is the counts of each field less the rows of the names a cable has in
both (schema.BOTH_FIELDS), which spares the DISTINCT over every (name, cable) pair that made
it the slowest facet.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from service.query.facets import Facet
from service.store.sqlite.compile import Sql
from service.store.sqlite.schema import BOTH_FIELDS

# Facets read from a column of `cables` (a prefix of it), or from cable_values.
FACET_COLUMNS = {"classification": "c.classification", "origin": "c.origin", "created": "c.created"}
# Over the matches, the single-valued facets are counted together, from one pass over an index
# that holds their columns (schema: cables_facets), far fewer pages than the rows of `cables`:
# a row per combination (classification, month, origin), COMBINED, shared out in Python.
COMBINED = -1
COMBINED_PREFIX = 7  # the longest prefix of `created` a facet counts (month)
# Over every cable, each column in the order of an index that holds it (no sort but origin's).
WHOLE_INDEXES = {
    "classification": "cables_classification",
    "created": "cables_created",
    "origin": "cables_facets",
}


def facets_sql(facets: list[Facet], matches: Sql | None) -> Sql:
    """One statement giving (facet index, value, count) rows over the cables whose numbers
    `matches` selects (every cable when None); a value's counts add up (a value may come in
    several rows, the `persons.both` ones negative)."""
    filtered = matches is not None
    parts: list[Sql] = []
    if filtered and any(not facet.many for facet in facets):
        parts.append(_combined_counts())
    for index, facet in enumerate(facets):
        if not facet.many:
            if not filtered:
                parts.append(_column_counts(index, facet))
        elif f"{facet.name}.both" in BOTH_FIELDS:
            parts.extend(_value_counts(index, field, filtered) for field in facet.fields)
            parts.append(_value_counts(index, f"{facet.name}.both", filtered, sign="-"))
        elif len(facet.fields) == 1:
            parts.append(_value_counts(index, facet.field, filtered))
        else:
            parts.append(_distinct_counts(index, facet.fields, filtered))
    sql = " UNION ALL ".join(part for part, _ in parts)
    part_params = [value for _, values in parts for value in values]
    if matches is None:
        return sql, part_params
    return f"WITH m(n) AS MATERIALIZED ({matches[0]}) {sql}", [*matches[1], *part_params]


def _column_counts(index: int, facet: Facet) -> Sql:
    """Counts of a column over every cable, in the order of an index that holds it."""
    column = FACET_COLUMNS[facet.field]
    if facet.prefix is not None:
        column = f"substr({column}, 1, {int(facet.prefix)})"
    source = f"cables c INDEXED BY {WHOLE_INDEXES[facet.field]}"
    return f"SELECT {index}, {column}, count(*) FROM {source} GROUP BY 2", []


def _combined_counts() -> Sql:
    """Counts of each combination of the single-valued facets' columns over the matches (see
    share_combined)."""
    columns = ", ".join(
        f"substr({column}, 1, {COMBINED_PREFIX})" if field == "created" else column
        for field, column in FACET_COLUMNS.items()
    )
    return (
        f"SELECT {COMBINED}, json_array({columns}), count(*) FROM cables c"
        f" INDEXED BY cables_facets WHERE c.n IN m GROUP BY {columns}",
        [],
    )


def share_combined(facets: list[Facet], combination: str) -> Iterator[tuple[int, Any]]:
    """(facet index, value) of each single-valued facet for a combination row's values."""
    values = dict(zip(FACET_COLUMNS, json.loads(combination), strict=True))
    for index, facet in enumerate(facets):
        if facet.many:
            continue
        value = values[facet.field]
        if facet.prefix is not None and isinstance(value, str):
            value = value[: facet.prefix]
        yield index, value


def _value_counts(index: int, field: str, filtered: bool, sign: str = "") -> Sql:
    """Counts of a list field's values (each stored once per cable), read in value order
    from the key of cable_values (no sorting), each row's cable looked up among the matches."""
    where = " AND n IN m" if filtered else ""
    sql = (
        f"SELECT {index}, value, {sign}count(*) FROM cable_values"
        f" WHERE field = ?{where} GROUP BY value"
    )
    return sql, [field]


def _distinct_counts(index: int, fields: tuple[str, ...], filtered: bool) -> Sql:
    """Counts of the values of several list fields, a value once per cable."""
    marks = ", ".join("?" * len(fields))
    where = " AND v.n IN m" if filtered else ""
    sql = (
        f"SELECT {index}, v.value, count(DISTINCT v.n) FROM cable_values v"
        f" WHERE v.field IN ({marks}){where} GROUP BY v.value"
    )
    return sql, list(fields)
