"""What ingestion hands the store and what it gets back: a parsed cable on its way in (`Entry`)
and what adding it did (`Outcome`, one of `OUTCOMES`). Every writer of cables speaks these:
the upload endpoint, bulk ingestion, `cables reparse`, and any store (`BulkStore`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

CREATED, UNCHANGED, REPLACED, CONFLICT, INVALID = (
    "created",
    "unchanged",
    "replaced",
    "conflict",
    "invalid",
)
OUTCOMES = (CREATED, UNCHANGED, REPLACED, CONFLICT, INVALID)


@dataclass(slots=True)
class Entry:
    """A parsed cable on its way into the store."""

    document: dict[str, Any]
    raw: bytes | None  # the uploaded bytes, kept when they are not `document["raw"]` in UTF-8
    media_type: str
    source: dict[str, Any]  # {"file", "line", "media_type"}
    metadata: dict[str, Any] | None = None  # given beside the text (parse_cable's metadata=)

    @property
    def reference_id(self) -> str:
        """The cable's canonical reference id."""
        return str(self.document["reference_id"])

    @property
    def sha256(self) -> str:
        """The digest of the uploaded bytes: equal digests mean an identical upload."""
        return str(self.document["sha256"])


@dataclass(slots=True)
class Outcome:
    """What adding one cable did."""

    outcome: str
    reference_id: str | None
    reason: str | None = None


def make_entry(
    document: dict[str, Any],
    raw: bytes | str | None,
    media_type: str,
    source: dict[str, Any],
    metadata: dict[str, Any] | None = None,
) -> Entry:
    """An entry for a parsed document, keeping the original bytes only when they differ, and
    the metadata it was parsed with."""
    text = document.get("raw") or ""
    encoded = text.encode("utf-8", "surrogatepass")
    original = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if not document.get("sha256"):
        document["sha256"] = hashlib.sha256(original or encoded).hexdigest()
    keep = original if original is not None and original != encoded else None
    return Entry(document, keep, media_type, {**source, "media_type": media_type}, metadata or None)
