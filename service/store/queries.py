"""Every read the query API makes: pages, counts, export, facets, look-ups.

The filters arrive already built (service.query.filters); this module runs them, with one of
two engines of the same interface:

- `MongoReads`, for a real server: `count_documents`, a keyset `find` of the sort keys of the
  next `limit + 1` matches (answerable from the compound sort indexes), then the shown fields
  of those cables by reference id; facets by one `$facet` aggregation.
- `MemoryReads`, for the embedded store: mongomock walks the filter for every document and
  deep-copies every match (seconds at 10,000 cables), so this engine compiles the filter to a
  Python predicate (service.query.matcher), scans the stored documents once without copying,
  sorts the matches' keys in Python and copies only the fields of the cables it returns.

Both give the same answers; tests/api run the corpus through both.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from pymongo.collection import Collection

from service.query import cursor as cursors
from service.query.facets import Facet, count_documents
from service.query.matcher import compile_query
from service.store.core import CableStore

EXPORT_BATCH_SIZE = 500
TEXT_SCORE = {"$meta": "textScore"}

Document = dict[str, Any]


@dataclass
class Page:
    """One page of matches, the total, and the cursor state of the next page (or None)."""

    items: list[Document]
    total: int
    next_state: dict[str, Any] | None


def projection_of(fields: Iterable[str]) -> dict[str, Any]:
    """An inclusion projection of the fields, never MongoDB's _id."""
    return {"_id": 0, **dict.fromkeys(fields, 1)}


class Reads(Protocol):
    """What an engine answers."""

    def count(self, query: Document) -> int: ...

    def page(
        self, query: Document, sort: str, limit: int, fields: list[str], state: dict[str, Any]
    ) -> Page: ...

    def export(self, query: Document, sort: str, fields: list[str]) -> Iterator[Document]: ...

    def by_ids(self, ids: list[str], fields: list[str]) -> dict[str, Document]: ...

    def count_values(self, query: Document, facets: list[Facet]) -> dict[str, Counter[Any]]: ...


class MongoReads:
    """Reads through the driver: what a real MongoDB server answers with its indexes."""

    def __init__(self, cables: Collection[Document]) -> None:
        self.cables = cables

    def count(self, query: Document) -> int:
        """How many cables match."""
        return self.cables.count_documents(query)

    def page(
        self, query: Document, sort: str, limit: int, fields: list[str], state: dict[str, Any]
    ) -> Page:
        """The page after the cursor state: sort keys first, then the shown fields."""
        if sort == "relevance":
            keys = self._ranked_keys(query, limit, state.get("o", 0))
        else:
            keys = self._sorted_keys(query, sort, limit, state.get("k"))
        shown = keys[:limit]
        found = self.by_ids([key["reference_id"] for key in shown], fields)
        items = [
            _with_score(found[key["reference_id"]], key)
            for key in shown
            if key["reference_id"] in found
        ]
        next_state = _next_state(sort, shown, state) if len(keys) > limit else None
        return Page(items, self.count(query), next_state)

    def _sorted_keys(
        self, query: Document, sort: str, limit: int, after: list[Any] | None
    ) -> list[Document]:
        """Sort keys of the next limit + 1 matches after the key `after`."""
        spec = cursors.SORTS[sort]
        if after is not None:
            query = _and(query, cursors.after_clause(sort, after))
        found = self.cables.find(query, projection_of(field for field, _ in spec), sort=spec)
        return list(found.limit(limit + 1))

    def _ranked_keys(self, query: Document, limit: int, offset: int) -> list[Document]:
        """Reference ids and text scores of the next limit + 1 matches by relevance."""
        projection = {"_id": 0, "reference_id": 1, "score": TEXT_SCORE}
        sort = [("score", TEXT_SCORE), ("reference_id", 1)]
        found = self.cables.find(query, projection, sort=sort, skip=offset)
        return list(found.limit(limit + 1))

    def export(self, query: Document, sort: str, fields: list[str]) -> Iterator[Document]:
        """Every match in `sort` order, fetched in batches."""
        found = self.cables.find(query, projection_of(fields), sort=cursors.SORTS[sort])
        yield from found.batch_size(EXPORT_BATCH_SIZE)

    def by_ids(self, ids: list[str], fields: list[str]) -> dict[str, Document]:
        """The stored cables among `ids`, by reference id (which is always included)."""
        if not ids:
            return {}
        wanted = projection_of(["reference_id", *fields])
        found = self.cables.find({"reference_id": {"$in": ids}}, wanted)
        return {document["reference_id"]: document for document in found}

    def count_values(self, query: Document, facets: list[Facet]) -> dict[str, Counter[Any]]:
        """Every value count of each facet over the matches, in one aggregation."""
        pipeline: list[Document] = [{"$match": query}] if query else []
        pipeline.append({"$facet": {facet.name: facet.stages() for facet in facets}})
        result: Document = next(iter(self.cables.aggregate(pipeline)), {})
        counts: dict[str, Counter[Any]] = {}
        for facet in facets:
            counter: Counter[Any] = Counter()
            for row in result.get(facet.name, []):
                counter[facet.normalise(row["_id"])] += row["count"]
            counts[facet.name] = counter
        return counts


class MemoryReads:
    """Reads of the embedded store by one uncopied scan with a compiled predicate."""

    def __init__(self, cables: Collection[Document]) -> None:
        self.cables = cables

    def _stored(self) -> list[Document]:
        """The stored documents themselves (read only!), skipping mongomock's deep copies."""
        backing = getattr(self.cables, "_store", None)
        stored = getattr(backing, "_documents", None)
        lock = getattr(backing, "_rwlock", None)
        if stored is None or lock is None:  # not the mongomock we know: the public, copying API
            return list(self.cables.find({}))
        with lock.reader():  # as mongomock's own reads, so a concurrent write cannot interleave
            return list(stored.values())

    def matches(self, query: Document) -> list[Document]:
        """The stored documents matching `query`."""
        test = compile_query(query)
        return [document for document in self._stored() if test(document)]

    def count(self, query: Document) -> int:
        """How many cables match."""
        return len(self.matches(query))

    def page(
        self, query: Document, sort: str, limit: int, fields: list[str], state: dict[str, Any]
    ) -> Page:
        """The page after the cursor state, from one scan."""
        found = self.matches(query)
        ordered = _sorted(found, sort)
        after = state.get("k")
        if after is not None:
            ordered = _after(ordered, sort, after)
        shown = ordered[:limit]
        next_state = _next_state(sort, shown, state) if len(ordered) > limit else None
        return Page([_copy_fields(document, fields) for document in shown], len(found), next_state)

    def export(self, query: Document, sort: str, fields: list[str]) -> Iterator[Document]:
        """Every match in `sort` order, copied one at a time."""
        for document in _sorted(self.matches(query), sort):
            yield _copy_fields(document, fields)

    def by_ids(self, ids: list[str], fields: list[str]) -> dict[str, Document]:
        """The stored cables among `ids`, by reference id (which is always included)."""
        wanted = set(ids)
        return {
            document["reference_id"]: _copy_fields(document, ["reference_id", *fields])
            for document in self._stored()
            if document.get("reference_id") in wanted
        }

    def count_values(self, query: Document, facets: list[Facet]) -> dict[str, Counter[Any]]:
        """Every value count of each facet over the matches."""
        return count_documents(facets, self.matches(query))


def _sort_value(value: Any) -> str:
    """MongoDB order for the (string) sort fields: null or missing first, as the empty string."""
    return value if isinstance(value, str) else ""


def _sort_key(sort: str) -> Callable[[Document], tuple[Any, ...]]:
    """The Python sort key of a sort order (every field of a sort runs one direction)."""
    fields = [field for field, _ in cursors.SORTS[sort]]
    if len(fields) == 2:
        first, second = fields
        return lambda document: (
            document.get(first) or "",
            document.get(second) or "",
        )
    return lambda document: tuple(_sort_value(document.get(field)) for field in fields)


def _descending(sort: str) -> bool:
    """Whether the sort runs high to low."""
    return cursors.SORTS[sort][0][1] < 0


def _sorted(documents: list[Document], sort: str) -> list[Document]:
    """Documents in sort order."""
    return sorted(documents, key=_sort_key(sort), reverse=_descending(sort))


def _after(ordered: list[Document], sort: str, after: list[Any]) -> list[Document]:
    """The documents strictly after the cursor key."""
    key = _sort_key(sort)
    last = tuple(_sort_value(value) for value in after)
    if _descending(sort):
        return [document for document in ordered if key(document) < last]
    return [document for document in ordered if key(document) > last]


def _copy_fields(document: Document, fields: list[str]) -> Document:
    """A copy of the listed top-level fields."""
    return {field: copy.deepcopy(document[field]) for field in fields if field in document}


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


class CableQueries:
    """Read queries on a CableStore, through the engine that suits it."""

    def __init__(self, store: CableStore, *, engine: str | None = None) -> None:
        self.store = store
        chosen = engine or ("memory" if store.embedded else "mongo")
        self.reads: Reads = (
            MemoryReads(store.cables) if chosen == "memory" else MongoReads(store.cables)
        )

    @property
    def scores(self) -> bool:
        """Whether full-text matches are ranked ($text exists on real servers only)."""
        return not self.store.embedded

    def effective_sort(self, sort: str) -> str:
        """The sort actually used: relevance needs text scores, else the default order."""
        return cursors.DEFAULT_SORT if sort == "relevance" and not self.scores else sort

    def count(self, query: Document) -> int:
        """How many cables match."""
        return self.reads.count(query)

    def page(
        self,
        query: Document,
        *,
        sort: str,
        limit: int,
        fields: list[str],
        state: dict[str, Any] | None = None,
    ) -> Page:
        """The page of `limit` matches after the cursor `state` in `sort` order."""
        sort_fields = [field for field, _ in cursors.SORTS[sort]]
        wanted = list(dict.fromkeys([*fields, *sort_fields]))
        page = self.reads.page(query, sort, limit, wanted, state or {})
        page.items = [_strip(document, fields, sort_fields) for document in page.items]
        return page

    def export(self, query: Document, *, sort: str, fields: list[str]) -> Iterator[Document]:
        """Every match in `sort` order (relevance exports in the default order)."""
        sort = cursors.DEFAULT_SORT if sort == "relevance" else sort
        return self.reads.export(query, sort, fields)

    def get(self, reference_id: str, fields: list[str]) -> Document | None:
        """One cable's fields, or None."""
        return self.reads.by_ids([reference_id], fields).get(reference_id)

    def by_ids(self, ids: list[str], fields: list[str]) -> dict[str, Document]:
        """The stored cables among `ids`, by reference id."""
        return self.reads.by_ids(ids, fields)

    def count_values(self, query: Document, facets: list[Facet]) -> dict[str, Counter[Any]]:
        """Every value count of each facet over the matches."""
        return self.reads.count_values(query, facets)


def _strip(document: Document, fields: list[str], sort_fields: list[str]) -> Document:
    """Remove sort fields fetched only for the cursor."""
    for field in sort_fields:
        if field not in fields:
            document.pop(field, None)
    return document
