"""The MongoDB engine's reads: pages, counts, export, facets, look-ups by id.

A page is a keyset `find` of the sort keys of the next `limit + 1` matches (answerable from
the compound sort indexes), then the shown fields of those cables by id; the total is one
`count_documents` per listing (service.store.queries counts on the first page only); facets
are one aggregation each.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar, cast

from pymongo.collection import Collection
from pymongo.cursor import Cursor

from service.query import cursor as cursors
from service.query.conditions import Condition
from service.query.facets import Facet
from service.query.people import NameCount, prefixes_clause
from service.store.lean import full_document, needs_body
from service.store.mongo import names
from service.store.mongo.compile import compile_filter
from service.store.protocols import Page

EXPORT_BATCH_SIZE = 500
FACET_BATCH = 1000  # value groups per batch of an aggregation's cursor
# How long a worker keeps the whole collection's facet counts (/stats, /tags) on a real server.
TOTALS_SECONDS = 30.0
TEXT_SCORE = {"$meta": "textScore"}
T = TypeVar("T")

Document = dict[str, Any]


def projection_of(fields: Iterable[str]) -> dict[str, Any]:
    """An inclusion projection of the fields, never MongoDB's _id."""
    return {"_id": 0, **dict.fromkeys(fields, 1)}


class MongoReads:
    """Reads through the driver: what a MongoDB server answers with its indexes."""

    def __init__(
        self,
        cables: Collection[Document],
        *,
        text_index: bool,
        analytics: Collection[Document] | None = None,
        totals_seconds: float = 0,
    ) -> None:
        self.cables = cables
        # Exports and facets read here: the same collection, with the read preference that
        # may send them to a secondary (service.store.mongo.store); everything else: cables.
        self.analytics = cables if analytics is None else analytics
        self.text_index = text_index
        self.scores = text_index  # $text gives a score; the regex form of `q` does not
        # Whole-collection facet counts kept this long (0: never kept), per worker process.
        self.totals_seconds = totals_seconds
        self._totals: dict[tuple[Any, ...], tuple[float, Any]] = {}
        self._counting = threading.Lock()

    def _filter(self, condition: Condition) -> Document:
        return compile_filter(condition, text_index=self.text_index)

    def count_matching(self, query: Condition) -> int:
        """How many cables match."""
        return self.cables.count_documents(self._filter(query))

    def page(
        self, query: Condition, sort: str, limit: int, fields: list[str], state: dict[str, Any]
    ) -> Page:
        """The page after the cursor state: sort keys first, then the shown fields."""
        compiled = self._filter(query)
        if sort == "relevance":
            keys = self._ranked_keys(compiled, limit, state.get("o", 0))
        else:
            keys = self._sorted_keys(compiled, sort, limit, state.get("k"))
        shown = keys[:limit]
        found = self.by_ids([key["reference_id"] for key in shown], fields)
        items = [
            _with_score(found[key["reference_id"]], key)
            for key in shown
            if key["reference_id"] in found
        ]
        next_state = _next_state(sort, shown, state) if len(keys) > limit else None
        return Page(items, None, next_state)  # the total: counted once by the query layer

    def _sorted_keys(
        self, query: Document, sort: str, limit: int, after: list[Any] | None
    ) -> list[Document]:
        """Sort keys of the next limit + 1 matches after the key `after`."""
        return list(self.sorted_cursor(query, sort, limit, after))

    def sorted_cursor(
        self, query: Document, sort: str, limit: int, after: list[Any] | None
    ) -> Cursor[Document]:
        """The find of a sorted page's keys (tests/query/test_plans.py explains it)."""
        spec = cursors.SORTS[sort]
        if after is not None:
            query = _and(query, after_clause(sort, after))
        found = self.cables.find(query, projection_of(field for field, _ in spec), sort=spec)
        return found.limit(limit + 1)

    def _ranked_keys(self, query: Document, limit: int, offset: int) -> list[Document]:
        """Reference ids and text scores of the next limit + 1 matches by relevance."""
        return list(self.ranked_cursor(query, limit, offset))

    def ranked_cursor(self, query: Document, limit: int, offset: int) -> Cursor[Document]:
        """The find of a relevance page's keys (tests/query/test_plans.py explains it)."""
        projection = {"_id": 0, "reference_id": 1, "score": TEXT_SCORE}
        sort = [("score", TEXT_SCORE), ("reference_id", 1)]
        return self.cables.find(query, projection, sort=sort, skip=offset).limit(limit + 1)

    def export(self, query: Condition, sort: str, fields: list[str]) -> Iterator[Document]:
        """Every match in `sort` order, fetched in batches."""
        found = self.analytics.find(
            self._filter(query), projection_of(_reading(fields)), sort=cursors.SORTS[sort]
        )
        for document in found.batch_size(EXPORT_BATCH_SIZE):
            yield _shown(document, fields)

    def by_ids(self, ids: list[str], fields: list[str]) -> dict[str, Document]:
        """The stored cables among `ids`, by reference id (which is always included)."""
        if not ids:
            return {}
        shown = ["reference_id", *fields]
        found = self.cables.find({"_id": {"$in": ids}}, projection_of(_reading(shown)))
        return {document["reference_id"]: _shown(document, shown) for document in found}

    def count_values(
        self, query: Condition, facets: list[Facet], top: int | None = None
    ) -> dict[str, Counter[Any]]:
        """Every value count of each facet over the matches (or the `top` most frequent): one
        aggregation per facet, its groups streamed back in batches (no `$facet`, whose single
        result document is capped at 16 MB), spilling to disk past the 100 MB stage limit.
        Whole-collection counts (/stats, /tags) are kept for `totals_seconds`."""
        compiled = self._filter(query)

        def count() -> dict[str, Counter[Any]]:
            return {facet.name: self._facet_counts(compiled, facet, top) for facet in facets}

        if compiled:
            return count()
        counts = self._kept(("values", tuple(facet.name for facet in facets), top), count)
        return {name: Counter(counter) for name, counter in counts.items()}

    def count_names(self, prefixes: list[str], top: int) -> tuple[list[NameCount], int]:
        """The `top` names starting with every prefix and how many match, filtered and grouped
        on the server (service.store.mongo.names): two aggregations, the first sending back
        `top` rows, the second one number. Without prefixes (every name: a whole-collection
        count) kept for `totals_seconds`, as /stats is."""
        grouped = names.grouped_names(self._filter(prefixes_clause(prefixes)), prefixes)

        def count() -> tuple[list[NameCount], int]:
            shown = self._aggregate([*grouped, *names.top_stages(top)])
            counted = list(self._aggregate([*grouped, names.COUNT_STAGE]))
            return [names.name_count(row) for row in shown], counted[0]["names"] if counted else 0

        if prefixes:
            return count()
        found, total = self._kept(("names", top), count)
        return list(found), total

    def _kept(self, key: tuple[Any, ...], count: Callable[[], T]) -> T:
        """A whole-collection count, computed at most once per `totals_seconds` in this
        process (never kept when totals_seconds is 0)."""
        if self.totals_seconds <= 0:
            return count()
        kept = self._totals.get(key)
        if kept is not None and kept[0] > time.monotonic():
            return cast(T, kept[1])
        with self._counting:  # one thread of the process counts; the others wait for it
            kept = self._totals.get(key)
            if kept is not None and kept[0] > time.monotonic():
                return cast(T, kept[1])
            value = count()
            self._totals[key] = (time.monotonic() + self.totals_seconds, value)
            return value

    def _aggregate(self, pipeline: list[Document]) -> Iterator[Document]:
        """An aggregation on the analytics collection, streamed, spilling to disk if need be."""
        return iter(self.analytics.aggregate(pipeline, allowDiskUse=True, batchSize=FACET_BATCH))

    def _facet_counts(self, compiled: Document, facet: Facet, top: int | None) -> Counter[Any]:
        """One facet's value counts over the matches of a compiled filter."""
        counter: Counter[Any] = Counter()
        pipeline = facet_pipeline(compiled, facet, top)
        for row in self._aggregate(pipeline):
            counter[facet.normalise(row["_id"])] += row["count"]
        return counter


def facet_pipeline(compiled: Document, facet: Facet, top: int | None = None) -> list[Document]:
    """The aggregation counting one facet over the matches of a compiled filter (the `top`
    most frequent values only, when given)."""
    stages = [*([{"$match": compiled}] if compiled else []), *facet.stages()]
    return stages if top is None else [*stages, *facet.top_stages(top)]


def _reading(fields: list[str]) -> list[str]:
    """The fields to read to show these: the body too when texts are spans into it."""
    return [*fields, "body"] if needs_body(fields) else fields


def _shown(document: Document, fields: list[str]) -> Document:
    """A read document as shown: texts made whole, the body only when asked for."""
    if "body" in document and needs_body(fields):
        full_document(document)
        if "body" not in fields:
            del document["body"]
    return document


def _with_score(document: Document, key: Document) -> Document:
    """The document with its text score, when ranked."""
    if "score" in key:
        document["score"] = key["score"]
    return document


def _next_state(sort: str, shown: list[Document], state: dict[str, Any]) -> dict[str, Any]:
    """The cursor state of the page after `shown`."""
    if sort == "relevance":
        return {"o": state.get("o", 0) + len(shown)}
    return {"k": cursors.key_of(shown[-1], sort)}


def _and(*clauses: Document) -> Document:
    """The AND of the non-empty clauses."""
    present = [clause for clause in clauses if clause]
    if not present:
        return {}
    return present[0] if len(present) == 1 else {"$and": present}


def after_clause(sort: str, key: list[Any]) -> dict[str, Any]:
    """The filter for documents strictly after `key` in `sort` order.

    The sort fields are strings; a missing or null value sorts before every string in MongoDB,
    so ascending it comes first and descending last.
    """
    fields = cursors.SORTS[sort]
    alternatives: list[dict[str, Any]] = []
    equal: dict[str, Any] = {}
    for (field, direction), value in zip(fields, key, strict=True):
        beyond = _beyond(field, direction, value)
        if beyond is not None:
            alternatives.append({**equal, **beyond})
        equal[field] = value
    if not alternatives:
        return {"reference_id": {"$in": []}}  # nothing lies after the very last key
    return alternatives[0] if len(alternatives) == 1 else {"$or": alternatives}


def _beyond(field: str, direction: int, value: Any) -> dict[str, Any] | None:
    """Documents whose `field` lies strictly beyond `value` in `direction`, or None."""
    if value is None:
        return {field: {"$type": "string"}} if direction > 0 else None
    if direction > 0:
        return {field: {"$gt": value}}
    return {"$or": [{field: {"$lt": value}}, {field: None}]}
