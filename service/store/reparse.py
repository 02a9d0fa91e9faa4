"""What `cables reparse` needs of a store (the `Reparsing` protocol of service.store.protocols)
and the rules every engine follows for it.

Candidates are read in reference id order, a batch at a time, each batch starting after the
last id of the one before: a run interrupted anywhere is continued by running it again (the
cables done carry the current `parser_version` and are no longer selected) or, with
`everything`, by starting after the last id done. A re-parse is the same text read again, not
a new text: nothing goes to the versions, `sha256`, `raw_bytes`, `ingested_at`, `source` and
`input_metadata` stay, and the write only lands if the stored text (its `sha256`) is still
the one that was re-parsed.
"""

from __future__ import annotations

import re
from typing import Any

# Stored keys a re-parse keeps: the store's own and the identity of the text.
KEPT_FIELDS = frozenset(
    {"_id", "reference_id", "sha256", "raw_bytes", "ingested_at", "source", "input_metadata"}
    | {"text_sha256"}  # service.ingest.entries.TEXT_DIGEST_KEY: the same text, the same digest
)
_NUMBER = re.compile(r"\d+")


def version_key(version: Any) -> tuple[int, ...]:
    """A parser version as numbers to compare ("1.10.0" > "1.9.2"); () when there is none,
    which is older than every version."""
    return tuple(int(part) for part in _NUMBER.findall(version)) if isinstance(version, str) else ()


def is_older(version: Any, current: str) -> bool:
    """Whether a stored `parser_version` is older than `current`."""
    return version_key(version) < version_key(current)
