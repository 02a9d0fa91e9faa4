"""The store's side of `cables reparse`: which stored cables need the running parser, and
writing its output over theirs.

Candidates are read in `_id` (reference id) order, a batch at a time, each batch starting
after the last id of the one before: a run interrupted anywhere is continued by running it
again (the cables done carry the current `parser_version` and are no longer selected) or,
with `everything`, by starting after the last id done. A re-parse is the same text read
again, not a new text: nothing goes to `cable_versions`, `sha256`, `raw_bytes`,
`ingested_at`, `source` and `input_metadata` stay, and the write only lands if the stored
text (its `sha256`) is still the one that was re-parsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from service.store.core import CableStore

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


class ReparseStore:
    """The reads and writes of a re-parse, over one CableStore."""

    def __init__(self, store: CableStore) -> None:
        self.store = store
        self.cables = store.cables

    @staticmethod
    def _selection(current: str, everything: bool) -> dict[str, Any]:
        """Every cable, or those not parsed by `current` (older ones among them; a newer
        version is skipped by the caller: string order is not version order)."""
        return {} if everything else {"parser_version": {"$ne": current}}

    def count_candidates(self, current: str, *, everything: bool = False) -> int:
        """How many cables a run would visit (an upper bound of those it re-parses)."""
        return self.cables.count_documents(self._selection(current, everything))

    def candidates(
        self,
        current: str,
        *,
        batch_size: int,
        everything: bool = False,
        after: str | None = None,
    ) -> Iterator[list[dict[str, Any]]]:
        """Whole stored documents (raw text included) to re-parse, in `_id` order, a batch at
        a time, starting after the id `after`."""
        selection = self._selection(current, everything)
        while True:
            query = dict(selection)
            if after is not None:
                query["_id"] = {"$gt": after}
            batch = list(self.cables.find(query, sort=[("_id", 1)], limit=batch_size))
            if not batch:
                return
            after = batch[-1]["_id"]
            yield batch

    def replace_parsed(self, stored: dict[str, Any], document: dict[str, Any]) -> bool:
        """Put the parser's new output in place of the stored parsed fields (those it no
        longer produces removed), keeping the store's keys; False when the stored text
        changed meanwhile (replaced or deleted by another writer), which is left alone."""
        new = {key: value for key, value in document.items() if key not in KEPT_FIELDS}
        gone = {key: "" for key in stored if key not in new and key not in KEPT_FIELDS}
        update: dict[str, Any] = {"$set": new}
        if gone:
            update["$unset"] = gone
        same_text = {"_id": stored["_id"], "sha256": stored.get("sha256")}
        with self.store._write_lock:
            return self.cables.update_one(same_text, update).matched_count == 1

    def mark_parsed(self, stored: list[dict[str, Any]], version: str) -> int:
        """Set only `parser_version` on cables whose output did not change (so that the next
        run skips them); how many were marked."""
        if not stored:
            return 0
        ids = [document["_id"] for document in stored]
        with self.store._write_lock:
            result = self.cables.update_many(
                {"_id": {"$in": ids}}, {"$set": {"parser_version": version}}
            )
        return result.matched_count
