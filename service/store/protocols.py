"""The storage seam: what every engine answers (service.store.mongo, service.store.sqlite).

Callers see only these protocols; `service.store.open_store` picks the engine from the
settings once. Filters arrive as the engine-neutral tree of service.query.conditions, sorts
and cursor states as service.query.cursor defines them, facets as service.query.facets does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from service.ingest.entries import Entry, Outcome
from service.query.conditions import Condition
from service.query.facets import Facet
from service.query.people import NameCount
from service.store.transfer import LoadReport

Document = dict[str, Any]


@dataclass
class Page:
    """One page of matches, the total, and the cursor state of the next page (or None).

    An engine's `page` gives `total` only when it counted the matches on the way (SQLite, for
    a condition of look-ups alone, to choose its plan); else None, and the query layer
    counts them once per listing (service.store.queries)."""

    items: list[Document]
    total: int | None
    next_state: dict[str, Any] | None


class Writes(Protocol):
    """Adding, replacing and deleting cables (superseded texts kept as versions)."""

    def add_many(self, entries: list[Entry], *, replace: bool = False) -> list[Outcome]: ...

    def delete(self, reference_id: str) -> bool: ...


class Reads(Protocol):
    """Single cables and pages of matches."""

    scores: bool  # whether full-text matches carry a relevance score (sort=relevance)

    def get(self, reference_id: str) -> Document | None: ...

    def get_raw(self, reference_id: str) -> tuple[bytes, str] | None: ...

    def get_raw_text(self, reference_id: str) -> str | None: ...

    def digests(self, reference_ids: list[str]) -> dict[str, str]: ...

    def by_ids(self, ids: list[str], fields: list[str]) -> dict[str, Document]: ...

    def page(
        self, query: Condition, sort: str, limit: int, fields: list[str], state: dict[str, Any]
    ) -> Page: ...

    def export(self, query: Condition, sort: str, fields: list[str]) -> Iterator[Document]: ...


class Versions(Protocol):
    """The superseded texts of a cable."""

    def versions_of(self, reference_id: str) -> list[Document]: ...


class Counts(Protocol):
    """How many cables (match)."""

    def count(self) -> int: ...

    def count_matching(self, query: Condition) -> int: ...


class Facets(Protocol):
    """Value counts over the matches: every value, or (`top`) only the `top` most frequent,
    in service.query.facets.top_values's order (count, then null last, then value)."""

    def count_values(
        self, query: Condition, facets: list[Facet], top: int | None = None
    ) -> dict[str, Counter[Any]]: ...

    def count_names(self, prefixes: list[str], top: int) -> tuple[list[NameCount], int]:
        """Autocompletion (GET /participants): the `top` names of participants and mentioned
        people whose folded words start with every prefix (every name without prefixes), in
        service.query.people.name_order, and how many such names there are."""
        ...


class Reparsing(Protocol):
    """The reads and writes of `cables reparse` (see service.store.reparse)."""

    def count_candidates(self, current: str, *, everything: bool = False) -> int: ...

    def candidates(
        self, current: str, *, batch_size: int, everything: bool = False, after: str | None = None
    ) -> Iterator[list[Document]]: ...

    def replace_parsed(self, stored: Document, document: Document) -> bool: ...

    def mark_parsed(self, stored: list[Document], version: str) -> int: ...


class Transfer(Protocol):
    """Every stored cable out as records, and records in (service.store.transfer)."""

    def dump(self) -> Iterator[Document]: ...

    def load(self, records: Iterator[Document]) -> LoadReport: ...


class Store(Writes, Reads, Versions, Counts, Facets, Reparsing, Transfer, Protocol):
    """A whole engine, as opened by service.store.open_store."""

    engine: str  # "sqlite" or "mongodb": for /ready and logs only, never for decisions
    shared: bool  # whether other processes opening the same settings see the same cables

    def ensure_indexes(self) -> None: ...

    def readiness(self) -> dict[str, Any]: ...

    def close(self) -> None: ...
