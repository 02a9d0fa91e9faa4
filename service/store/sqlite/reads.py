"""The SQLite engine's reads: pages (keyset on the sort columns, or FTS5 rank), counts,
export, facets, look-ups by id."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from typing import Any

from service.query import conditions as c
from service.query import cursor as cursors
from service.query.facets import FACETS_BY_NAME, Facet, by_frequency
from service.query.people import NameCount, matching_names, prefixes_clause
from service.store.protocols import Page
from service.store.sqlite.compile import Sql, compile_where, distinct, match_expression, row_set
from service.store.sqlite.connections import Database
from service.store.sqlite.facets import COMBINED, facets_sql, share_combined
from service.store.sqlite.schema import JSON_COLUMNS, TEXT_COLUMNS, WHOLE_FIELDS, document_of

EXPORT_BATCH_SIZE = 500
# Above this many matches of its look-ups, a page tests them cable by cable along an index
# (of its sort when the condition is look-ups alone).
WALK_INDEX_ABOVE = 500
SORT_INDEXES = {"-created": "cables_created", "created": "cables_created"}
# Relevance: BM25 over the FTS5 columns, a subject word counting as five of the body.
RANK = "bm25(cable_text, 5.0, 1.0)"

NAME_FACETS = [FACETS_BY_NAME["participants"], FACETS_BY_NAME["persons"]]

Document = dict[str, Any]


class SQLiteReads:
    """Reads of the SQLite database."""

    scores = True  # FTS5 ranks full-text matches

    def __init__(self, database: Database) -> None:
        self.database = database

    def count_matching(self, query: c.Condition) -> int:
        """How many cables match."""
        with self.database.reading() as connection:
            return _count(connection, query)

    def page(
        self, query: c.Condition, sort: str, limit: int, fields: list[str], state: dict[str, Any]
    ) -> Page:
        """The page after the cursor state, the number of matches when it was counted on the
        way (else None: service.store.queries counts it), and the next state."""
        total: int | None = None
        with self.database.reading() as connection:
            if sort == "relevance":
                keys = self._ranked(connection, query, limit, state.get("o", 0))
            else:
                # look-ups matching many cables are tested cable by cable along an index of
                # `cables` (the sort's, or one a column condition picks), which stops after a
                # page, rather than listed whole first. A condition of look-ups alone is
                # counted whole from the side tables (the page's total: counted once); the
                # look-ups of others only as far as the choice needs.
                lookups_only = row_set(query) is not None
                total = _count(connection, query) if lookups_only else None
                many = total > WALK_INDEX_ABOVE if total is not None else _many(connection, query)
                where, params = compile_where(query, probe=many)
                order_index = SORT_INDEXES.get(sort) if many and lookups_only else None
                keys = self._sorted(
                    connection, where, params, sort, limit, state.get("k"), order_index
                )
            shown = keys[:limit]
            found = self._by_ids(connection, [key["reference_id"] for key in shown], fields)
        items = []
        for key in shown:
            document = found.get(key["reference_id"])
            if document is not None:
                if "score" in key:
                    document["score"] = key["score"]
                items.append(document)
        next_state: dict[str, Any] | None = None
        if len(keys) > limit and sort == "relevance":
            next_state = {"o": state.get("o", 0) + len(shown)}
        elif len(keys) > limit:
            next_state = {"k": [shown[-1][field] for field, _ in cursors.SORTS[sort]]}
        return Page(items, total, next_state)

    def _sorted(
        self,
        connection: sqlite3.Connection,
        where: str,
        params: list[Any],
        sort: str,
        limit: int,
        after: list[Any] | None,
        order_index: str | None = None,
    ) -> list[Document]:
        """The sort keys of the next `limit + 1` matches after the key `after` (read along
        `order_index` when given)."""
        spec = cursors.SORTS[sort]
        columns = ", ".join(f"c.{field}" for field, _ in spec)
        order = ", ".join(f"c.{field} {'DESC' if way < 0 else 'ASC'}" for field, way in spec)
        if after is not None:
            beyond, more = after_condition(sort, after)
            where, params = f"({where}) AND ({beyond})", [*params, *more]
        source = f"cables c INDEXED BY {order_index}" if order_index else "cables c"
        sql = f"SELECT {columns} FROM {source} WHERE {where} ORDER BY {order} LIMIT ?"
        rows = connection.execute(sql, [*params, limit + 1]).fetchall()
        return [dict(zip([field for field, _ in spec], row, strict=True)) for row in rows]

    def _ranked(
        self, connection: sqlite3.Connection, query: c.Condition, limit: int, offset: int
    ) -> list[Document]:
        """Reference ids and scores of the next `limit + 1` matches by relevance. The matches
        are ranked in the full-text index alone (`s`); only those scoring at least as high as
        the last one asked for (`cut`: it and every tie with it, so the order by score, then
        reference id, is the whole order's) are joined to `cables` for their reference ids
        and the other conditions. With `q` alone that is a page of rows, not every match:
        joining 22,669 matches of one word to their wide rows took longer than ranking them."""
        text, rest = _split_full_text(query)
        if text is None:
            raise ValueError("relevance needs a full-text condition")
        where, params = compile_where(rest)
        ranked = f"SELECT rowid AS n, -{RANK} AS score FROM cable_text WHERE cable_text MATCH ?"
        if where == "1":
            scored = (
                f"WITH s AS MATERIALIZED ({ranked}),"
                " cut(score) AS (SELECT score FROM s ORDER BY score DESC LIMIT 1 OFFSET ?)"
                " SELECT c.reference_id, s.score FROM s JOIN cables c ON c.n = s.n"
                " WHERE s.score >= coalesce((SELECT score FROM cut), -1e308)"
            )
            arguments = [match_expression(text.query), offset + limit]
        else:  # the other conditions first: the cut would count cables they leave out
            scored = (
                f"SELECT c.reference_id, s.score FROM ({ranked}) AS s"
                f" JOIN cables c ON c.n = s.n WHERE {where}"
            )
            arguments = [match_expression(text.query), *params]
        sql = f"{scored} ORDER BY s.score DESC, c.reference_id ASC LIMIT ? OFFSET ?"
        rows = connection.execute(sql, [*arguments, limit + 1, offset]).fetchall()
        return [{"reference_id": row[0], "score": row[1]} for row in rows]

    def export(self, query: c.Condition, sort: str, fields: list[str]) -> Iterator[Document]:
        """Every match in `sort` order: the ids first, then the cables a batch at a time."""
        where, params = compile_where(query)
        order = ", ".join(
            f"c.{field} {'DESC' if way < 0 else 'ASC'}" for field, way in cursors.SORTS[sort]
        )
        with self.database.reading() as connection:
            sql = f"SELECT c.reference_id FROM cables c WHERE {where} ORDER BY {order}"
            ids = [row[0] for row in connection.execute(sql, params)]
        for start in range(0, len(ids), EXPORT_BATCH_SIZE):
            batch = ids[start : start + EXPORT_BATCH_SIZE]
            found = self.by_ids(batch, fields)
            for reference_id in batch:
                if reference_id in found:  # deleted since the ids were read: left out
                    yield found[reference_id]

    def by_ids(self, ids: list[str], fields: list[str]) -> dict[str, Document]:
        """The stored cables among `ids`, by reference id (which is always included)."""
        if not ids:
            return {}
        with self.database.reading() as connection:
            return self._by_ids(connection, ids, fields)

    def _by_ids(
        self, connection: sqlite3.Connection, ids: list[str], fields: list[str]
    ) -> dict[str, Document]:
        if not ids:
            return {}
        wanted = ["reference_id", *fields]
        # the paragraphs are spans of the body (summary and comment are whole: WHOLE_FIELDS)
        read = [*wanted, "body"] if "paragraphs" in wanted else wanted
        columns = ["document", *(f for f in (*TEXT_COLUMNS, *JSON_COLUMNS) if f in read)]
        if "body" in columns or "header" in columns:  # packed against the raw input
            columns.append(
                "(SELECT r.text FROM raw_inputs r WHERE r.sha256 = cables.sha256) AS raw_text"
            )
        found: dict[str, Document] = {}
        for start in range(0, len(ids), EXPORT_BATCH_SIZE):
            batch = ids[start : start + EXPORT_BATCH_SIZE]
            sql = (
                f"SELECT {', '.join(columns)} FROM cables"
                f" WHERE reference_id IN ({', '.join('?' * len(batch))})"
            )
            cursor = connection.cursor()
            cursor.row_factory = sqlite3.Row
            rows = cursor.execute(sql, batch).fetchall()
            for row in rows:
                document = document_of(row)
                if "body" not in read:
                    document = self._with_spans_made_whole(connection, document)
                found[document["reference_id"]] = {
                    field: document[field] for field in wanted if field in document
                }
        return found

    def _with_spans_made_whole(
        self, connection: sqlite3.Connection, document: Document
    ) -> Document:
        """A document read without its body whose summary or comment is still a span (a row
        written by code older than schema version 4 into a newer file): read again whole."""
        if not any(isinstance(document.get(field), dict) for field in WHOLE_FIELDS):
            return document
        fields = ["paragraphs", *WHOLE_FIELDS]  # the body read
        found = self._by_ids(connection, [document["reference_id"]], fields)
        whole = found.get(document["reference_id"], {})
        return {**document, **{k: whole[k] for k in WHOLE_FIELDS if k in whole}}

    def count_values(
        self, query: c.Condition, facets: list[Facet], top: int | None = None
    ) -> dict[str, Counter[Any]]:
        """Every value count of each facet over the matches (or the `top` most frequent, in
        top_values's order: count, null last, value): one statement for all of them, the
        matching cables found once (service.store.sqlite.facets)."""
        if not facets:
            return {}
        sql, all_params = facets_sql(facets, _matches(query))
        counts: dict[str, Counter[Any]] = {facet.name: Counter() for facet in facets}
        with self.database.reading() as connection:
            for index, value, count in connection.execute(sql, all_params):
                if index == COMBINED:
                    for shared, column in share_combined(facets, value):
                        counts[facets[shared].name][column] += count
                else:
                    counts[facets[index].name][value] += count
        if top is not None:
            counts = {name: _top(counter, top) for name, counter in counts.items()}
        return counts

    def count_names(self, prefixes: list[str], top: int) -> tuple[list[NameCount], int]:
        """The `top` names starting with every prefix and how many match: the names of the
        cables the people word index finds (both people facets in one statement), filtered by
        their words in this process (no server to ship them from)."""
        counts = self.count_values(prefixes_clause(prefixes), NAME_FACETS)
        found = matching_names(counts["participants"], counts["persons"], prefixes)
        return found[:top], len(found)


def _top(counter: Counter[Any], top: int) -> Counter[Any]:
    """The `top` most frequent values of a count, in top_values's order."""
    return Counter(dict(by_frequency(counter)[:top]))


def _count(connection: sqlite3.Connection, query: c.Condition) -> int:
    """How many cables match: from the look-ups alone when they decide (row_set)."""
    found = row_set(query)
    if found is not None:
        counted = "count(*)" if distinct(query) else "count(DISTINCT n)"
        sql, params = f"SELECT {counted} FROM ({found[0]})", found[1]
    else:
        where, params = compile_where(query)
        sql = f"SELECT count(*) FROM cables c WHERE {where}"
    return int(connection.execute(sql, params).fetchone()[0])


def _many(connection: sqlite3.Connection, query: c.Condition) -> bool:
    """Whether the look-ups ANDed in the condition match more than WALK_INDEX_ABOVE cables:
    counted only that far, from the side tables."""
    found = None
    if isinstance(query, c.AllOf):
        looked = [child for child in query.children if row_set(child) is not None]
        found = row_set(c.AllOf(tuple(looked))) if looked else None
    if found is None:
        return False
    sql = f"SELECT count(*) FROM (SELECT 1 FROM ({found[0]}) LIMIT ?)"
    return int(connection.execute(sql, [*found[1], WALK_INDEX_ABOVE + 1]).fetchone()[0]) > (
        WALK_INDEX_ABOVE
    )


def _matches(query: c.Condition) -> Sql | None:
    """The numbers of the matching cables (None: every cable)."""
    found = row_set(query)
    if found is not None:
        return found
    where, params = compile_where(query)
    return None if where == "1" else (f"SELECT c.n FROM cables c WHERE {where}", params)


def _split_full_text(condition: c.Condition) -> tuple[c.FullText | None, c.Condition]:
    """The `q` condition every match must meet (the condition itself or one ANDed in it),
    and the rest of the condition (EVERYTHING when there is none)."""
    if isinstance(condition, c.FullText):
        return condition, c.EVERYTHING
    if isinstance(condition, c.AllOf):
        for index, child in enumerate(condition.children):
            text, rest = _split_full_text(child)
            if text is not None:
                others = condition.children[:index] + condition.children[index + 1 :]
                return text, c.all_of(*others, rest)
    return None, condition


def after_condition(sort: str, key: list[Any]) -> Sql:
    """Cables strictly after `key` in `sort` order; a null sort value comes first ascending
    and last descending, as in MongoDB."""
    alternatives: list[Sql] = []
    equal: list[Sql] = []
    for (field, direction), value in zip(cursors.SORTS[sort], key, strict=True):
        column = f"c.{field}"
        beyond: Sql | None
        if value is None:
            beyond = (f"{column} IS NOT NULL", []) if direction > 0 else None
        elif direction > 0:
            beyond = (f"{column} > ?", [value])
        else:
            beyond = (f"({column} < ? OR {column} IS NULL)", [value])
        if beyond is not None:
            parts = [*equal, beyond]
            alternatives.append(
                (" AND ".join(sql for sql, _ in parts), [v for _, p in parts for v in p])
            )
        equal.append((f"{column} IS NULL", []) if value is None else (f"{column} = ?", [value]))
    if not alternatives:
        return "0", []
    sql = " OR ".join(f"({part})" for part, _ in alternatives)
    return sql, [value for _, params in alternatives for value in params]
