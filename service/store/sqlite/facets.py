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

from service.query.facets import Facet
from service.store.sqlite.compile import Sql
from service.store.sqlite.schema import BOTH_FIELDS

# Facets read from a column of `cables` (a prefix of it), or from cable_values.
FACET_COLUMNS = {"classification": "c.classification", "origin": "c.origin", "created": "c.created"}
# The index holding a facet's column (and the rowid): far fewer pages than the rows of `cables`.
FACET_INDEXES = {"classification": "cables_classification", "created": "cables_created"}


def facets_sql(facets: list[Facet], matches: Sql | None) -> Sql:
    """One statement giving (facet index, value, count) rows over the cables whose numbers
    `matches` selects (every cable when None); a value's counts add up (a value may come in
    several rows, the `persons.both` ones negative)."""
    filtered = matches is not None
    parts: list[Sql] = []
    for index, facet in enumerate(facets):
        if not facet.many:
            parts.append(_column_counts(index, facet, filtered))
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


def _column_counts(index: int, facet: Facet, filtered: bool) -> Sql:
    """Counts of a column of `cables` (or of its first characters), read from the narrow
    index that holds it where there is one rather than from the wide rows."""
    column = FACET_COLUMNS[facet.field]
    if facet.prefix is not None:
        column = f"substr({column}, 1, {int(facet.prefix)})"
    source = (
        f"cables c INDEXED BY {FACET_INDEXES[facet.field]}"
        if facet.field in FACET_INDEXES
        else "cables c"
    )
    where = " WHERE c.n IN m" if filtered else ""
    return f"SELECT {index}, {column}, count(*) FROM {source}{where} GROUP BY 2", []


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
