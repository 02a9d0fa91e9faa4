"""Moving every stored cable between stores: NDJSON records, one per line, that any engine
writes (`Store.dump`) and reads (`Store.load`).

    {"kind": "raw", "sha256": ..., "text": ..., "data": base64 or null}   an input, once
    {"kind": "cable", "document": {...}}     a stored document, whole, without its raw input
    {"kind": "version", "document": {...}}   a superseded document, with its `_id`

Raw inputs come first, then cables, then versions, so that a cable read back finds its input.
A cable already stored with the same text is left as it is (unchanged); with another text it
is left too and counted as a conflict (export the other store's versions to keep both).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

RAW, CABLE, VERSION = "raw", "cable", "version"
KINDS = (RAW, CABLE, VERSION)
Record = dict[str, Any]


def raw_record(sha256: str, text: str, data: bytes | None) -> Record:
    """The record of one raw input."""
    encoded = base64.b64encode(data).decode("ascii") if data is not None else None
    return {"kind": RAW, "sha256": sha256, "text": text, "data": encoded}


def raw_data(record: Record) -> bytes | None:
    """A raw record's bytes as uploaded, when they are not its text in UTF-8."""
    data = record.get("data")
    return base64.b64decode(data) if isinstance(data, str) else None


def write_records(records: Iterable[Record], stream: IO[str]) -> int:
    """Write records as NDJSON (lone surrogates escaped, so every line is valid UTF-8)."""
    count = 0
    for record in records:
        stream.write(json.dumps(record, separators=(",", ":")) + "\n")
        count += 1
    return count


def read_records(stream: IO[str]) -> Iterator[Record]:
    """The records of an NDJSON export; ValueError naming the line of a bad one."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"line {number}: not JSON ({error.msg})") from None
        if not isinstance(record, dict) or record.get("kind") not in KINDS:
            raise ValueError(f"line {number}: not a record of a cables export")
        yield record


@dataclass
class LoadReport:
    """What loading records did, per kind."""

    counts: dict[str, int] = field(
        default_factory=lambda: {
            "raw inputs": 0,
            "cables created": 0,
            "cables unchanged": 0,
            "cables in conflict": 0,
            "versions": 0,
        }
    )
    conflicts: list[str] = field(default_factory=list)

    def taken(self, reference_id: str, stored_sha256: str | None, sha256: str | None) -> None:
        """Count an exported cable whose id is stored already: the same text is unchanged,
        another is a conflict (left as it is, named)."""
        if stored_sha256 is not None and stored_sha256 == sha256:
            self.counts["cables unchanged"] += 1
        else:
            self.counts["cables in conflict"] += 1
            self.conflicts.append(reference_id)
