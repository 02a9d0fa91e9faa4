"""What adding cables does, whatever the engine: the decision per entry and the stored forms.

A cable is one document per reference id. A new id is inserted, the same text (sha256) is a
no-op, a different text is a conflict unless the caller replaces it, and a replaced or deleted
document is first kept as a version, so nothing stored is ever lost. An id repeated within a
batch is decided after its first occurrence is written (`rounds`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from service.ingest.entries import (
    CONFLICT,
    CREATED,
    REPLACED,
    TEXT_DIGEST_KEY,
    UNCHANGED,
    Entry,
    Outcome,
)

# Stored alongside the document but never shown as part of it (`input_metadata`: what an
# upload gave beside the text, such as a cables.csv row's columns, kept for re-parsing).
# `text_sha256`: the digest of the normalised text, by which the same cable in another form
# (line ends, encoding, trailing spaces) is unchanged.
HIDDEN_FIELDS = ("_id", "raw", "raw_bytes", "input_metadata", TEXT_DIGEST_KEY)


@dataclass(slots=True)
class Write:
    """One document to write for the entry at `entry` in its round."""

    entry: int
    document: dict[str, Any]
    replaces: str | None  # the stored digest this document replaces; None: a new cable


def decide(
    entry: Entry,
    stored_sha256: str | None,
    exists: bool,
    replace: bool,
    now: str,
    stored_text: str | None = None,
) -> tuple[Outcome, tuple[dict[str, Any], str | None] | None]:
    """The outcome of adding `entry` over what is stored (its digest, and the digest of its
    normalised text when known), and the write it needs: (document, the stored digest it
    replaces or None for an insert)."""
    reference_id = entry.reference_id
    if not exists:
        return Outcome(CREATED, reference_id), (stored_form(entry, now), None)
    if stored_sha256 == entry.sha256:
        return Outcome(UNCHANGED, reference_id, "identical to the stored cable"), None
    if stored_text is not None and stored_text == entry.text_sha256:
        same = "the same text as the stored cable (line ends, encoding or trailing spaces aside)"
        return Outcome(UNCHANGED, reference_id, same), None
    if not replace:
        reason = "another text is stored under this reference id; add ?replace=true to replace it"
        return Outcome(CONFLICT, reference_id, reason), None
    replaced = Outcome(REPLACED, reference_id, "the previous text is kept in cable_versions")
    return replaced, (stored_form(entry, now), str(stored_sha256))


def stored_form(entry: Entry, now: str) -> dict[str, Any]:
    """The document as stored: the parser's keys plus the ingestion keys."""
    stored = {
        "_id": entry.reference_id,  # the natural key: unique on any server, found by key
        **entry.document,
        "ingested_at": now,
        "source": entry.source,
        TEXT_DIGEST_KEY: entry.text_sha256,  # the same cable in another form is unchanged
    }
    if entry.raw is not None:
        stored["raw_bytes"] = entry.raw
    if entry.metadata:
        stored["input_metadata"] = entry.metadata
    return stored


def version_of(document: dict[str, Any], now: str, superseded_by: str | None) -> dict[str, Any]:
    """A superseded document as kept among the versions, keyed by its id and digest."""
    version = {key: value for key, value in document.items() if key != "_id"}
    version["_id"] = f"{document['reference_id']}@{document.get('sha256')}"
    version["superseded_at"] = now
    version["superseded_by"] = superseded_by  # the new digest, or None when deleted
    return version


def public(document: dict[str, Any]) -> dict[str, Any]:
    """A stored document as the API shows it."""
    return {key: value for key, value in document.items() if key not in HIDDEN_FIELDS}


def rounds(entries: list[Entry]) -> Iterator[list[int]]:
    """Entry indexes split so that each round holds an id at most once, in upload order."""
    pending = list(range(len(entries)))
    while pending:
        seen: set[str] = set()
        round_: list[int] = []
        later: list[int] = []
        for index in pending:
            reference_id = entries[index].reference_id
            (later if reference_id in seen else round_).append(index)
            seen.add(reference_id)
        yield round_
        pending = later


def now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def raw_of(document: dict[str, Any]) -> tuple[bytes, str]:
    """The original upload's bytes and content type (with a charset when it is known)."""
    media_type = (document.get("source") or {}).get("media_type") or "text/plain"
    if document.get("raw_bytes") is not None:  # as uploaded, in whatever charset it came
        return bytes(document["raw_bytes"]), media_type
    return (document.get("raw") or "").encode("utf-8", "surrogatepass"), (
        f"{media_type}; charset=utf-8"
    )
