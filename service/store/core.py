"""The store: every MongoDB write (and single-cable read) the service makes lives here.

A cable is one document per reference id (unique index). Adding is decided per batch with
one `find` on the batch's ids: a new id is inserted, the same text (sha256) is a no-op, a
different text is a conflict unless the caller replaces it, and a replaced or deleted
document is first copied to `cable_versions`, so nothing stored is ever lost. The writes go
in one unordered `bulk_write`; an insert that loses a race with a concurrent upload (a
duplicate key) is decided again against the winner, never a 500.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from pymongo import InsertOne, ReplaceOne
from pymongo.database import Database
from pymongo.errors import BulkWriteError

from service.ingest.entries import (
    CONFLICT,
    CREATED,
    INVALID,
    REPLACED,
    TEXT_DIGEST_KEY,
    UNCHANGED,
    Entry,
    Outcome,
)
from service.store.indexes import indexes_for

EMBEDDED_SCHEMES = ("", "mongomock://")
DUPLICATE_KEY = 11000
MAX_ATTEMPTS = 3  # decisions retried after losing a race, before reporting a conflict

# Stored alongside the document but never shown as part of it (`input_metadata`: what an
# upload gave beside the text, such as a cables.csv row's columns, kept for re-parsing).
HIDDEN_FIELDS = ("_id", "raw", "raw_bytes", "input_metadata", TEXT_DIGEST_KEY)
_PUBLIC_PROJECTION = dict.fromkeys(HIDDEN_FIELDS, 0)
_DECISION_PROJECTION = {"_id": 0, "reference_id": 1, "sha256": 1, TEXT_DIGEST_KEY: 1}


@dataclass(slots=True)
class Write:
    """One document to write for the entry at `entry` in its round."""

    entry: int
    document: dict[str, Any]
    replaces: str | None  # the stored digest this document replaces; None: a new cable


class CableStore:
    """Cables in MongoDB (or the embedded mongomock store)."""

    def __init__(self, db: Database, *, embedded: bool) -> None:
        self.db = db
        self.embedded = embedded
        self.cables = db["cables"]
        self.versions = db["cable_versions"]
        # The embedded store decides and writes under one lock (mongomock is not safe for
        # concurrent writers, and is written by key). A real server needs no lock: the
        # unique `_id` (the reference id) decides races, and the loser decides again.
        self._write_lock: AbstractContextManager[Any] = (
            threading.Lock() if embedded else nullcontext()
        )

    def ensure_indexes(self) -> None:
        """Create every index the queries need; safe to call on every start."""
        for keys, options in indexes_for(embedded=self.embedded):
            if self.embedded:
                # mongomock checks a unique index by scanning every document on each insert
                # (quadratic ingestion); here `_id` is the reference id, unique by itself,
                # and the embedded store's writes are serialised by its lock.
                options = {key: value for key, value in options.items() if key != "unique"}
            self.cables.create_index(keys, **options)
        self.versions.create_index(
            [("reference_id", 1), ("superseded_at", 1)], name="reference_id_1_superseded_at_1"
        )

    def readiness(self) -> dict[str, Any]:
        """Whether the store answers and holds its indexes."""
        try:
            self.db.command("ping")
            names = set(self.cables.index_information())
        except Exception as error:  # any driver failure means "not ready"
            return {"ready": False, "detail": f"store unreachable: {error}"}
        return {"ready": "reference_id_1" in names, "detail": "ok", "embedded": self.embedded}

    # Writes

    def add_many(self, entries: list[Entry], *, replace: bool = False) -> list[Outcome]:
        """Add parsed cables; one outcome per entry, in order.

        An id repeated within the batch is decided after its first occurrence is written,
        so that the second copy is compared with the first.
        """
        outcomes: list[Outcome | None] = [None] * len(entries)
        for round_ in _rounds(entries):
            decided = self._add_round([entries[i] for i in round_], replace, attempt=1)
            for index, outcome in zip(round_, decided, strict=True):
                outcomes[index] = outcome
        return [outcome for outcome in outcomes if outcome is not None]

    def _add_round(self, entries: list[Entry], replace: bool, attempt: int) -> list[Outcome]:
        """Decide and write entries with distinct ids; retry the ones that lost a race."""
        with self._write_lock:
            existing = self._existing([entry.reference_id for entry in entries], full=replace)
            now = _now()
            outcomes: list[Outcome] = []
            writes: list[Write] = []
            old_versions: list[dict[str, Any]] = []
            for entry in entries:
                outcome, write = _decide(entry, existing.get(entry.reference_id), replace, now)
                outcomes.append(outcome)
                if write is not None:
                    writes.append(Write(len(outcomes) - 1, *write))
                if outcome.outcome == REPLACED:
                    old_versions.append(
                        _version_of(existing[entry.reference_id], now, entry.sha256)
                    )
            self._save_versions(old_versions)
            lost, refused = self._write(writes, entries)
        for index, reason in refused.items():
            outcomes[index] = Outcome(INVALID, entries[index].reference_id, reason)
        if lost:
            self._redecide(lost, entries, outcomes, replace, attempt)
        return outcomes

    def _redecide(
        self,
        lost: list[int],
        entries: list[Entry],
        outcomes: list[Outcome],
        replace: bool,
        attempt: int,
    ) -> None:
        """Decide again the entries whose write lost a race, against the winner."""
        if attempt >= MAX_ATTEMPTS:
            for index in lost:
                outcomes[index] = Outcome(
                    CONFLICT, entries[index].reference_id, "changed concurrently; try again"
                )
            return
        retried = self._add_round([entries[i] for i in lost], replace, attempt + 1)
        for index, outcome in zip(lost, retried, strict=True):
            outcomes[index] = outcome

    def _existing(self, reference_ids: list[str], *, full: bool) -> dict[str, dict[str, Any]]:
        """The stored documents (or just their digests) for these ids, in one find."""
        if self.embedded:
            return self._existing_embedded(reference_ids, full=full)
        projection = None if full else _DECISION_PROJECTION
        found = self.cables.find({"_id": {"$in": reference_ids}}, projection)
        return {document["reference_id"]: document for document in found}

    def _existing_embedded(self, reference_ids: list[str], *, full: bool) -> dict[str, Any]:
        """`_existing` by key: mongomock's find scans every document, its store is a dict."""
        found = {}
        for reference_id in reference_ids:
            document = self._stored_by_key(reference_id)
            if document is not None:
                found[reference_id] = (
                    copy.deepcopy(document)
                    if full
                    else {key: document.get(key) for key in _DECISION_PROJECTION if key != "_id"}
                )
        return found

    def _stored_by_key(self, reference_id: str) -> dict[str, Any] | None:
        """The embedded store's document for an id, read by key (not a copy: do not change it).

        mongomock 4.3 keeps a collection's documents in a dict keyed by `_id`, which is the
        reference id here; tests/store/test_core.py checks this stays true.
        """
        documents: Any = self.cables._store  # mongomock's CollectionStore
        try:
            document: dict[str, Any] = documents[reference_id]
        except KeyError:
            return None
        return document

    def digests(self, reference_ids: list[str]) -> dict[str, str]:
        """The stored sha256 of each of these ids that is stored, in one find."""
        stored = self._existing(reference_ids, full=False)
        return {reference_id: doc.get("sha256", "") for reference_id, doc in stored.items()}

    def _write(self, writes: list[Write], entries: list[Entry]) -> tuple[list[int], dict[int, str]]:
        """Run the writes: the entries that lost a race (to decide again), and those the
        server refused (a document over its size limit...), with the reason."""
        if not writes:
            return [], {}
        if self.embedded:
            return self._write_embedded(writes), {}
        operations = [
            InsertOne(write.document)
            if write.replaces is None
            else ReplaceOne(
                {"_id": write.document["_id"], "sha256": write.replaces}, write.document
            )
            for write in writes
        ]
        replacements = sum(write.replaces is not None for write in writes)
        failed: set[int] = set()
        refused: dict[int, str] = {}
        try:
            replaced = self.cables.bulk_write(operations, ordered=False).matched_count
        except BulkWriteError as error:
            for problem in error.details.get("writeErrors", []):
                index = writes[problem["index"]].entry
                if problem.get("code") == DUPLICATE_KEY:
                    failed.add(index)
                else:
                    refused[index] = f"the store refused it: {problem.get('errmsg')}"
            replaced = error.details.get("nMatched", 0)
        if replaced < replacements:
            failed |= self._missed_replacements(writes, entries) - set(refused)
        return sorted(failed), refused

    def _write_embedded(self, writes: list[Write]) -> list[int]:
        """Store by key, under the write lock (held): mongomock's insert deep-copies each
        document and scans for duplicates; these documents are fresh and the lock decides."""
        documents: Any = self.cables._store  # mongomock's CollectionStore
        for write in writes:
            documents[write.document["_id"]] = write.document
        return []

    def _missed_replacements(self, writes: list[Write], entries: list[Entry]) -> set[int]:
        """Replacements whose old text had changed under them (another writer came first)."""
        replaced = [write.entry for write in writes if write.replaces is not None]
        stored = self._existing([entries[index].reference_id for index in replaced], full=False)
        return {
            index
            for index in replaced
            if stored.get(entries[index].reference_id, {}).get("sha256") != entries[index].sha256
        }

    def _save_versions(self, versions: list[dict[str, Any]]) -> None:
        """Keep superseded documents; a version already kept (same id and digest) is skipped."""
        if not versions:
            return
        try:
            self.versions.insert_many(versions, ordered=False)
        except BulkWriteError as error:
            if any(p.get("code") != DUPLICATE_KEY for p in error.details.get("writeErrors", [])):
                raise

    def delete(self, reference_id: str) -> bool:
        """Delete a cable, keeping it in `cable_versions`; False when there was none."""
        with self._write_lock:
            document = self._find_one(reference_id, None)
            if document is None:
                return False
            self._save_versions([_version_of(document, _now(), None)])
            self.cables.delete_one({"_id": reference_id})
        return True

    # Single-cable reads

    def get(self, reference_id: str) -> dict[str, Any] | None:
        """The stored document as the API shows it (no raw text, no Mongo id)."""
        return self._find_one(reference_id, _PUBLIC_PROJECTION)

    def get_raw(self, reference_id: str) -> tuple[bytes, str] | None:
        """The original upload's bytes and content type (with a charset when it is known)."""
        found = self._find_one(reference_id, {"raw": 1, "raw_bytes": 1, "source": 1})
        if found is None:
            return None
        media_type = (found.get("source") or {}).get("media_type") or "text/plain"
        if found.get("raw_bytes") is not None:  # as uploaded, in whatever charset it came
            return bytes(found["raw_bytes"]), media_type
        return (found.get("raw") or "").encode("utf-8"), f"{media_type}; charset=utf-8"

    def _find_one(
        self, reference_id: str, projection: dict[str, int] | None
    ) -> dict[str, Any] | None:
        """One stored document by id, projected (a copy)."""
        if not self.embedded:
            return self.cables.find_one({"_id": reference_id}, projection)
        document = self._stored_by_key(reference_id)
        if document is None:
            return None
        return copy.deepcopy(_apply_projection(document, projection))

    def versions_of(self, reference_id: str) -> list[dict[str, Any]]:
        """Superseded versions of a cable, oldest first, without their raw text."""
        found = self.versions.find({"reference_id": reference_id}, _PUBLIC_PROJECTION)
        return sorted(found, key=lambda version: version["superseded_at"])

    def count(self) -> int:
        """How many cables are stored."""
        return self.cables.estimated_document_count()


def _decide(
    entry: Entry, stored: dict[str, Any] | None, replace: bool, now: str
) -> tuple[Outcome, tuple[dict[str, Any], str | None] | None]:
    """The outcome of adding `entry` over what is stored, and the write it needs:
    (document, the stored digest it replaces or None for an insert)."""
    reference_id = entry.reference_id
    if stored is None:
        return Outcome(CREATED, reference_id), (_stored_form(entry, now), None)
    if stored.get("sha256") == entry.sha256:
        return Outcome(UNCHANGED, reference_id, "identical to the stored cable"), None
    if stored.get(TEXT_DIGEST_KEY) == entry.text_sha256:
        same = "the same text as the stored cable (line ends, encoding or trailing spaces aside)"
        return Outcome(UNCHANGED, reference_id, same), None
    if not replace:
        reason = "another text is stored under this reference id; add ?replace=true to replace it"
        return Outcome(CONFLICT, reference_id, reason), None
    replaced = Outcome(REPLACED, reference_id, "the previous text is kept in cable_versions")
    return replaced, (_stored_form(entry, now), str(stored.get("sha256")))


def _stored_form(entry: Entry, now: str) -> dict[str, Any]:
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


def _apply_projection(
    document: dict[str, Any], projection: dict[str, int] | None
) -> dict[str, Any]:
    """A MongoDB projection (all exclusions, or all inclusions) applied to a document."""
    if not projection:
        return document
    if any(projection.values()):
        wanted = {key for key, keep in projection.items() if keep} | {"_id"}
        return {key: value for key, value in document.items() if key in wanted}
    return {key: value for key, value in document.items() if key not in projection}


def _version_of(document: dict[str, Any], now: str, superseded_by: str | None) -> dict[str, Any]:
    """A superseded document as kept in `cable_versions`, keyed by its id and digest."""
    version = {key: value for key, value in document.items() if key != "_id"}
    version["_id"] = f"{document['reference_id']}@{document.get('sha256')}"
    version["superseded_at"] = now
    version["superseded_by"] = superseded_by  # the new digest, or None when deleted
    return version


def _rounds(entries: list[Entry]) -> Iterator[list[int]]:
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


def _now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def open_store(uri: str, db_name: str, *, logger: logging.Logger | None = None) -> CableStore:
    """Open the store named by `uri`; empty or mongomock:// is the in-process store."""
    if uri.startswith(EMBEDDED_SCHEMES[1]) or not uri:
        import mongomock

        (logger or logging.getLogger(__name__)).warning(
            "MONGO_URI is not set: using the embedded in-memory store; data is lost on exit"
        )
        return CableStore(mongomock.MongoClient()[db_name], embedded=True)
    from pymongo import MongoClient

    client: MongoClient[dict[str, Any]] = MongoClient(
        uri, connect=False, tz_aware=True, serverSelectionTimeoutMS=5000
    )
    return CableStore(client[db_name], embedded=False)


def get_store() -> CableStore:
    """The store of the current app."""
    store: CableStore = current_app.extensions["store"]
    return store
