"""Re-parse stored cables with the running parser (`cables reparse`).

Each cable is parsed again from what was stored of its upload: `raw_bytes` when the upload
was not UTF-8, else `raw`, with the side metadata it came with (`input_metadata`, kept since
it is stored; for a cables.csv row stored before, the columns are read back from the
document), through the ingestion pipeline's own `parse_item`. The outcome of each:

- `changed`: the output differs; its parsed fields are rewritten (no new version is kept:
  the text is the same);
- `unchanged`: the output is the same; only `parser_version` is set, so that the next run
  skips it (the document is not rewritten);
- `failed`: it no longer parses, or parses to another reference id; left as it is;
- `skipped`: parsed by a newer parser than the running one; left as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from service.ingest.entries import Entry
from service.ingest.items import Item
from service.ingest.pipeline import Parse, parse_item
from service.store.protocols import Reparsing
from service.store.reparse import KEPT_FIELDS, is_older

log = logging.getLogger(__name__)

CHANGED, UNCHANGED, FAILED, SKIPPED = "changed", "unchanged", "failed", "skipped"
REPARSE_OUTCOMES = (CHANGED, UNCHANGED, FAILED, SKIPPED)
# Keys that say nothing about the output itself.
_NOT_COMPARED = KEPT_FIELDS | {"parser_version"}


@dataclass
class ReparseReport:
    """Counts per outcome, the failures with their reasons, and the last id visited."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPARSE_OUTCOMES, 0))
    failures: list[dict[str, Any]] = field(default_factory=list)
    last_id: str | None = None

    @property
    def total(self) -> int:
        """How many cables were visited."""
        return sum(self.counts.values())


def reparse(
    store: Reparsing,
    *,
    batch_size: int,
    everything: bool = False,
    after: str | None = None,
    parse: Parse | None = None,
    on_batch: Callable[[ReparseReport, int], None] | None = None,
) -> ReparseReport:
    """Re-parse every stored cable older than the running parser (`everything`: all of them),
    a batch at a time, after the id `after`; `on_batch` is called after each batch is stored."""
    from service.parsing import PARSER_VERSION, parse_cable

    parse = parse or parse_cable
    reparsing = store
    report = ReparseReport()
    batches = reparsing.candidates(
        PARSER_VERSION, batch_size=batch_size, everything=everything, after=after
    )
    for batch in batches:
        unchanged: list[dict[str, Any]] = []
        for stored in batch:
            outcome, reason = _reparse_one(stored, parse, reparsing, everything, PARSER_VERSION)
            report.counts[outcome] += 1
            if outcome == UNCHANGED:
                unchanged.append(stored)
            elif outcome == FAILED:
                report.failures.append({"reference_id": stored["_id"], "reason": reason})
                log.warning("cannot re-parse %s: %s", stored["_id"], reason)
        outdated = [doc for doc in unchanged if doc.get("parser_version") != PARSER_VERSION]
        reparsing.mark_parsed(outdated, PARSER_VERSION)
        report.last_id = batch[-1]["_id"]
        if on_batch is not None:
            on_batch(report, len(batch))
    return report


def _reparse_one(
    stored: dict[str, Any], parse: Parse, reparsing: Reparsing, everything: bool, current: str
) -> tuple[str, str | None]:
    """Re-parse one stored document and store the result: (outcome, reason of a failure)."""
    if not everything and not is_older(stored.get("parser_version"), current):
        return SKIPPED, None
    result = parse_item(item_of(stored), parse)
    if not isinstance(result, Entry):
        return FAILED, result.reason
    document = result.document
    if document["reference_id"] != stored["reference_id"]:
        return FAILED, f"it now parses to another reference id, {document['reference_id']}"
    if _output(document) == _output(stored):
        return UNCHANGED, None
    if not reparsing.replace_parsed(stored, document):
        return FAILED, "its text was replaced or deleted meanwhile"
    return CHANGED, None


def item_of(stored: dict[str, Any]) -> Item:
    """The stored upload as the pipeline's item: its bytes, form and side metadata."""
    source = stored.get("source") or {}
    data = stored.get("raw_bytes")
    return Item(
        data=bytes(data) if data is not None else stored.get("raw") or "",
        name=source.get("file"),
        line=source.get("line"),
        media_type=source.get("media_type") or "text/plain",
        metadata=stored.get("input_metadata") or _csv_metadata(stored),
        format="csv-row" if stored.get("format") == "csv-row" else "auto",
    )


def _csv_metadata(stored: dict[str, Any]) -> dict[str, Any] | None:
    """A cables.csv row's columns, read back from a document stored without its metadata
    (before `input_metadata` was kept): the text alone lacks them. None for other forms,
    whose metadata is in the text itself."""
    if stored.get("format") != "csv-row":
        return None
    cited = [ref.get("id") for ref in stored.get("references") or [] if ref.get("kind") == "cable"]
    return {
        "reference_id": stored.get("reference_id"),
        "created": stored.get("created"),
        "origin": stored.get("origin"),
        "classification": stored.get("classification"),
        "references": [cable_id for cable_id in cited if cable_id],
    }


def _output(document: dict[str, Any]) -> dict[str, Any]:
    """What the parser produced, as stored (lists for tuples), without the store's keys."""
    return {key: _plain(value) for key, value in document.items() if key not in _NOT_COMPARED}


def _plain(value: Any) -> Any:
    """A value as it comes back from the store: tuples as lists, all the way down."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
