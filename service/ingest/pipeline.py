"""Items in, stored cables and a report out: parse each item once, store a batch at a time."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from service.ingest.entries import INVALID, OUTCOMES, UNCHANGED, Entry, Outcome, make_entry
from service.ingest.items import Item, lone_surrogate

log = logging.getLogger(__name__)
# What a canonical reference id is made of (06ALMATY1457, 1974ATHENS02959_b): the store's key
# and a URL segment, so nothing else (dots, slashes, operators) is ever stored under one.
SURROGATE_REASON = "a lone UTF-16 surrogate (not a character; a JSON \\ud800 escape alone)"
STORABLE_REFERENCE_ID = re.compile(r"[0-9]{2}[0-9A-Z]{2,62}(?:_[A-Za-z])?")

Parse = Callable[..., dict[str, Any]]


class BulkStore(Protocol):
    """What ingestion needs of a store (CableStore, or a counting one for benchmarks)."""

    def add_many(self, entries: list[Entry], *, replace: bool = False) -> list[Outcome]: ...


@dataclass
class BulkReport:
    """Counts per outcome, and one line for every item that was not created."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    items: list[dict[str, Any]] = field(default_factory=list)
    max_items: int | None = None  # list at most this many items; count the rest
    omitted: int = 0

    def record(self, item: Item, outcome: Outcome) -> None:
        """Count one item's outcome, listing it unless it was created (or the list is full)."""
        self.counts[outcome.outcome] += 1
        if outcome.outcome == "created":
            return
        if self.max_items is not None and len(self.items) >= self.max_items:
            self.omitted += 1
        else:
            self.items.append(
                {
                    "outcome": outcome.outcome,
                    "reason": outcome.reason,
                    "reference_id": outcome.reference_id,
                    **item.where(),
                }
            )

    @property
    def total(self) -> int:
        """How many items were read."""
        return sum(self.counts.values())

    def as_json(self) -> dict[str, Any]:
        """The bulk response body."""
        body: dict[str, Any] = {"counts": {**self.counts, "total": self.total}, "items": self.items}
        if self.omitted:
            body["items_omitted"] = self.omitted
        return body


def ingest(
    items: Iterable[Item],
    store: BulkStore,
    *,
    batch_size: int,
    replace: bool = False,
    parse: Parse | None = None,
    processes: int = 1,
    on_batch: Callable[[BulkReport, int], None] | None = None,
    batch_bytes: int | None = None,
    report_items: int | None = None,
) -> BulkReport:
    """Parse and store every item, a batch at a time; one bad item never stops the rest.

    A batch holds at most `batch_size` items and ends once it holds `batch_bytes` bytes of
    cables. With `processes` > 1 the batches are parsed by that many worker processes, the
    next batch parsing while the previous one is stored: at most two batches are held. The
    report lists at most `report_items` items that were not created (all when None).
    """
    report = BulkReport(max_items=report_items)
    pending: tuple[list[Item], dict[int, Outcome], Finish] | None = None
    for batch in batches(items, batch_size, batch_bytes):
        known = already_stored(batch, store)
        todo = [item for item in batch if id(item) not in known]
        if processes > 1 and parse is None:
            finish = _start_parallel(todo, processes)
        else:
            finish = _start_serial(todo, parse or _default_parser())
        if pending is not None:
            _store_batch(*pending, store, replace, report, on_batch)
        pending = (batch, known, finish)
    if pending is not None:
        _store_batch(*pending, store, replace, report, on_batch)
    return report


# Parsing a batch, started now and finished when called: the results of `todo`, in order.
Finish = Callable[[], list[Entry | Outcome]]


def _start_serial(todo: list[Item], parse: Parse) -> Finish:
    """Parse in this thread, when the results are asked for."""
    return lambda: [parse_item(item, parse) for item in todo]


def _start_parallel(todo: list[Item], processes: int) -> Finish:
    """Parse in worker processes, starting now."""
    from service.ingest.parallel import results, submit_batch

    jobs = submit_batch(todo, processes)

    def finish() -> list[Entry | Outcome]:
        parsed = results(jobs)
        return [_result_of(item, parsed.get(index)) for index, item in enumerate(todo)]

    return finish


def _result_of(item: Item, parsed: tuple[str, Any] | None) -> Entry | Outcome:
    """A worker's answer for one item as an entry, or the invalid outcome."""
    known_id = (item.metadata or {}).get("reference_id")
    if item.data is None or parsed is None:
        return Outcome(INVALID, known_id, item.error)
    kind, value = parsed
    if kind == "ok":
        return _entry_of(item, value)
    if kind == "crash":
        log.error("parser failed on %s line %s: %s", item.name, item.line, value)
    return Outcome(INVALID, known_id, value)


def _store_batch(
    batch: list[Item],
    known: dict[int, Outcome],
    finish: Finish,
    store: BulkStore,
    replace: bool,
    report: BulkReport,
    on_batch: Callable[[BulkReport, int], None] | None,
) -> None:
    """Store a parsed batch and record every item's outcome, in upload order."""
    results = iter(finish())
    decided: list[tuple[Item, Entry | Outcome]] = [
        (item, known[id(item)] if id(item) in known else next(results)) for item in batch
    ]
    entries = [result for _, result in decided if isinstance(result, Entry)]
    stored = iter(store.add_many(entries, replace=replace))
    for item, result in decided:
        report.record(item, next(stored) if isinstance(result, Entry) else result)
    if on_batch is not None:
        on_batch(report, len(batch))


def already_stored(batch: list[Item], store: BulkStore) -> dict[int, Outcome]:
    """Items whose id (known before parsing, as in cables.csv) holds this very text already.

    Re-uploading a dump then costs one find per batch instead of parsing every row again.
    Keyed by id(item). A store without `digests` (a counting benchmark store) skips this.
    """
    digests = getattr(store, "digests", None)
    candidates = {
        id(item): (_canonical_id(item.metadata["reference_id"]), raw_digest(item.data))
        for item in batch
        if item.data is not None and item.metadata and item.metadata.get("reference_id")
    }
    if digests is None or not candidates:
        return {}
    stored = digests(sorted({reference_id for reference_id, _ in candidates.values()}))
    return {
        key: Outcome(UNCHANGED, reference_id, "identical to the stored cable")
        for key, (reference_id, digest) in candidates.items()
        if stored.get(reference_id) == digest
    }


def raw_digest(data: bytes | str) -> str:
    """sha256 of the raw input, as the parser computes it (UTF-8 for text)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def _canonical_id(reference_id: Any) -> str:
    """The canonical form of an id given beside the text."""
    from service.parsing import canonicalize_reference_id

    return canonicalize_reference_id(str(reference_id)) or str(reference_id)


def parse_item(item: Item, parse: Parse) -> Entry | Outcome:
    """An item parsed into an entry, or the invalid outcome saying why it is not a cable."""
    from service.parsing import CableParseError

    known_id = (item.metadata or {}).get("reference_id")
    if item.data is None:
        return Outcome(INVALID, known_id, item.error)
    where = lone_surrogate(item.data) or lone_surrogate(item.metadata or {}, "metadata")
    if where:
        return Outcome(INVALID, known_id, f"{SURROGATE_REASON}: {where}")
    try:
        document = parse(item.data, format=item.format, metadata=item.metadata)
    except CableParseError as error:
        return Outcome(INVALID, known_id, str(error))
    except Exception as error:  # a parser bug on one item must not lose the others
        log.exception("parser failed on %s line %s", item.name, item.line)
        return Outcome(INVALID, known_id, f"parser failed: {type(error).__name__}")
    return _entry_of(item, document)


def _entry_of(item: Item, document: dict[str, Any]) -> Entry | Outcome:
    """A parsed document as a store entry; a document without an id is no cable."""
    known_id = (item.metadata or {}).get("reference_id")
    if not document.get("reference_id"):
        return Outcome(INVALID, known_id, "not a cable: no reference id found")
    if not STORABLE_REFERENCE_ID.fullmatch(str(document["reference_id"])):
        reason = f"not a cable: {document['reference_id']!r} is not a reference id"
        return Outcome(INVALID, known_id, reason)
    where = lone_surrogate(document, "document")
    if where:  # a cable file in JSON form may carry one into any field
        return Outcome(INVALID, known_id, f"{SURROGATE_REASON}: {where}")
    source = {"file": item.name, "line": item.line}
    return make_entry(document, item.data, item.media_type, source, item.metadata)


def batches(items: Iterable[Any], size: int, max_bytes: int | None = None) -> Iterator[list[Any]]:
    """Consecutive lists of at most `size` items, each ending once its items' `size` adds up to
    `max_bytes`: the unit held in memory at once."""
    batch: list[Any] = []
    held = 0
    for item in items:
        batch.append(item)
        held += getattr(item, "size", 0) if max_bytes else 0
        if len(batch) >= size or (max_bytes and held >= max_bytes):
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def _default_parser() -> Parse:
    """service.parsing.parse_cable, imported when first needed."""
    from service.parsing import parse_cable

    return parse_cable
