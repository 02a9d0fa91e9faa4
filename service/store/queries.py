"""Read queries over any store: the sort actually used, pages without the sort fields fetched
only for the cursor, and their total counted once. The engines answer through
service.store.protocols.

`total` means the same on every engine: the number of matches when the first page was read,
carried by the cursor to the next pages (with the digest of the query it counted, so a cursor
replayed with other filters is counted again); with no filter at all, the store's count of
cables (MongoDB answers it from collection metadata, not a scan).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

from service.query import cursor as cursors
from service.query.conditions import EVERYTHING, Condition
from service.query.facets import Facet
from service.query.people import NameCount
from service.store.protocols import Document, Page, Store

RAW_FIELD = "raw"


class CableQueries:
    """Read queries on a store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def scores(self) -> bool:
        """Whether full-text matches are ranked by this store."""
        return self.store.scores

    def effective_sort(self, sort: str) -> str:
        """The sort actually used: relevance needs text scores, else the default order."""
        return cursors.DEFAULT_SORT if sort == "relevance" and not self.scores else sort

    def count(self, query: Condition) -> int:
        """How many cables match (no filter: how many are stored)."""
        return self.store.count() if query == EVERYTHING else self.store.count_matching(query)

    def page(
        self,
        query: Condition,
        *,
        sort: str,
        limit: int,
        fields: list[str],
        state: dict[str, Any] | None = None,
    ) -> Page:
        """The page of `limit` matches after the cursor `state` in `sort` order, the total
        (counted on the first page, carried by the cursor after it) and the next state."""
        state = state or {}
        sort_fields = [field for field, _ in cursors.SORTS[sort]]
        wanted = list(dict.fromkeys([*fields, *sort_fields]))
        position: dict[str, Any] = {key: state[key] for key in ("k", "o") if key in state}
        page = self.store.page(query, sort, limit, wanted, position)
        page.items = [_strip(document, fields, sort_fields) for document in page.items]
        digest = query_digest(query)
        if state.get("q") == digest:
            page.total = state["t"]
        elif page.total is None:  # not counted by the store on the way
            page.total = self.count(query)
        if page.next_state is not None:
            if page.next_state.get("o", 0) > cursors.MAX_OFFSET:
                page.next_state = None  # relevance pages end at MAX_OFFSET matches
            else:
                page.next_state = {**page.next_state, "t": page.total, "q": digest}
        return page

    def export(self, query: Condition, *, sort: str, fields: list[str]) -> Iterator[Document]:
        """Every match in `sort` order (relevance exports in the default order); `raw`, kept
        apart from the documents, read for each cable when asked for (NDJSON exports)."""
        sort = cursors.DEFAULT_SORT if sort == "relevance" else sort
        if RAW_FIELD not in fields:
            return self.store.export(query, sort, fields)
        shown = [field for field in fields if field != RAW_FIELD]
        return self._with_raw(self.store.export(query, sort, shown))

    def _with_raw(self, documents: Iterator[Document]) -> Iterator[Document]:
        """The documents, each with the text it was parsed from."""
        for document in documents:
            document[RAW_FIELD] = self.store.get_raw_text(document["reference_id"])
            yield document

    def get(self, reference_id: str, fields: list[str]) -> Document | None:
        """One cable's fields, or None."""
        return self.store.by_ids([reference_id], fields).get(reference_id)

    def by_ids(self, ids: list[str], fields: list[str]) -> dict[str, Document]:
        """The stored cables among `ids`, by reference id."""
        return self.store.by_ids(ids, fields)

    def count_values(
        self, query: Condition, facets: list[Facet], top: int | None = None
    ) -> dict[str, Counter[Any]]:
        """Every value count of each facet over the matches, or only the `top` most frequent
        (top_values's order; ask one more than shown to know whether more were left out)."""
        return self.store.count_values(query, facets, top)

    def count_names(self, prefixes: list[str], top: int) -> tuple[list[NameCount], int]:
        """The `top` names starting with every prefix, most often named first, and how many
        names match (see Facets.count_names)."""
        return self.store.count_names(prefixes, top)


def query_digest(query: Condition) -> str:
    """A short digest of a query's condition tree (literals only, so its repr is stable)."""
    return hashlib.sha256(repr(query).encode()).hexdigest()[:16]


def _strip(document: Document, fields: list[str], sort_fields: list[str]) -> Document:
    """Remove sort fields fetched only for the cursor."""
    for field in sort_fields:
        if field not in fields and field != "score":
            document.pop(field, None)
    return document
