"""The MongoDB engine's writes, versions, re-parse and lifecycle (reads: `reads.py`).

Adding is decided per batch with one `find` on the batch's ids (service.store.decide); the
writes go in one unordered `bulk_write`. `_id` is the reference id, so an insert that loses a
race with a concurrent upload fails with a duplicate key and is decided again against the
winner, and a replacement only lands on the text (`sha256`) it was decided against. Only the
public pymongo API is used, so mongomock runs the same code as a real server.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pymongo import InsertOne, ReadPreference, ReplaceOne, UpdateOne
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, WriteConcernError

from service.ingest.entries import (
    INVALID,
    NOT_DURABLE,
    REPLACED,
    TEXT_DIGEST_KEY,
    Entry,
    Outcome,
)
from service.store import decide, transfer
from service.store.errors import ChangedConcurrently, WriteNotDurable
from service.store.lean import full_document, lean_document
from service.store.mongo import lifecycle
from service.store.mongo.checks import first_refusal
from service.store.mongo.derived import (
    FOLDED,
    FOLDED_KEYS,
    derived_fields,
    with_derived,
    without_derived,
)
from service.store.mongo.driver import (
    NOT_DURABLE_REASON,
    read_pref_mode,
    run_bulk,
    translate_driver_errors,
)
from service.store.mongo.indexes import OBSOLETE_INDEXES, indexes_for
from service.store.mongo.reads import MongoReads
from service.store.reparse import KEPT_FIELDS

DUPLICATE_KEY = 11000
MAX_ATTEMPTS = 3  # decisions retried after losing a race, before reporting a conflict
_DECISION_PROJECTION = {"_id": 0, "reference_id": 1, "sha256": 1, TEXT_DIGEST_KEY: 1}
_PUBLIC_PROJECTION = dict.fromkeys((*decide.HIDDEN_FIELDS, FOLDED), 0)


class MongoTransfer:
    """`cables export` and `cables import` on MongoDB (service.store.transfer)."""

    cables: Any
    versions: Any
    raw_inputs: Any

    def dump(self) -> Iterator[transfer.Record]:
        """Every raw input, cable and version, in `_id` order, fetched in batches."""
        for raw in self.raw_inputs.find({}, sort=[("_id", 1)]).batch_size(500):
            data = bytes(raw["data"]) if raw.get("data") is not None else None
            yield transfer.raw_record(raw["_id"], raw.get("text") or "", data)
        for document in self.cables.find({}, sort=[("_id", 1)]).batch_size(500):
            if "raw" in document or "raw_bytes" in document:  # kept inside by older versions
                data = document.get("raw_bytes")
                yield transfer.raw_record(
                    document["sha256"], document.get("raw") or "", bytes(data) if data else None
                )
            document = full_document(without_derived(_without_raw(document)))
            document.pop("_id", None)
            yield {"kind": transfer.CABLE, "document": document}
        for version in self.versions.find({}, sort=[("_id", 1)]).batch_size(500):
            version = without_derived(_without_raw(version))
            yield {"kind": transfer.VERSION, "document": full_document(version)}

    def load(self, records: Iterator[transfer.Record]) -> transfer.LoadReport:
        """Store the records of an export."""
        report = transfer.LoadReport()
        for record in records:
            kind = record["kind"]
            if kind == transfer.RAW:
                self.raw_inputs.update_one(
                    {"_id": record["sha256"]},
                    {"$setOnInsert": {"text": record.get("text") or "",
                                      "data": transfer.raw_data(record)}},
                    upsert=True,
                )  # fmt: skip
                report.counts["raw inputs"] += 1
            elif kind == transfer.CABLE:
                self._load_cable(record["document"], report)
            else:
                with contextlib.suppress(DuplicateKeyError):  # a version kept already
                    self.versions.insert_one(lean_document(_without_raw(record["document"])))
                report.counts["versions"] += 1
        return report

    def _load_cable(self, document: dict[str, Any], report: transfer.LoadReport) -> None:
        reference_id = document["reference_id"]
        try:
            self.cables.insert_one({"_id": reference_id, **stored_form(document)})
            report.counts["cables created"] += 1
        except DuplicateKeyError:
            stored = self.cables.find_one({"_id": reference_id}, {"sha256": 1})
            digest = stored.get("sha256") if stored is not None else None
            report.taken(reference_id, digest, document.get("sha256"))


@translate_driver_errors
class MongoStore(MongoTransfer, MongoReads):
    """Cables in a MongoDB database (`cables`, `cable_versions`)."""

    engine = "mongodb"

    def __init__(
        self,
        db: Database[dict[str, Any]],
        *,
        text_index: bool,
        shared: bool = True,
        analytics_read_preference: str = "",
        totals_seconds: float = 0,
    ) -> None:
        # Writes and every read that decides one (existence, same text, versions) go to the
        # primary whatever the URI says: a secondary may not hold the write just made. Only
        # exports and facets, where a slightly stale answer is harmless, follow the URI's
        # readPreference or MONGO_ANALYTICS_READ_PREFERENCE (service.store.mongo.reads).
        primary = db.with_options(read_preference=ReadPreference.PRIMARY)
        analytics = db
        if analytics_read_preference:
            analytics = db.with_options(read_preference=read_pref_mode(analytics_read_preference))
        # totals_seconds: how long whole-collection counts are kept (open_store: a real server)
        super().__init__(
            primary["cables"],
            text_index=text_index,
            analytics=analytics["cables"],
            totals_seconds=totals_seconds,
        )
        self.db = primary
        self.shared = shared  # False for mongomock: a database in this process only
        self.versions = primary["cable_versions"]
        self.raw_inputs = primary["raw_inputs"]  # each raw input once, by its sha256

    def ensure_indexes(self) -> None:
        """Build the indexes that are missing (`cables migrate`, the commands that write in
        bulk, an in-process store at boot); those present are left as they are."""
        self.migrate()

    def migrate(self) -> list[str]:
        """Build the missing indexes, after dropping those they replace; the names built
        (service.store.mongo.lifecycle)."""
        self.drop_obsolete()
        built = lifecycle.build_missing(self.cables, indexes_for(text_index=self.text_index))
        return built + lifecycle.build_missing(self.versions, lifecycle.VERSION_INDEXES)

    def drop_obsolete(self) -> list[str]:
        """Drop the indexes of earlier versions (OBSOLETE_INDEXES: single-field prefixes, the
        English text index, which must go before its successor is built, one text index per
        collection); the names dropped."""
        return lifecycle.drop_present(self.cables, OBSOLETE_INDEXES)

    def index_report(self) -> lifecycle.IndexReport:
        """Which wanted indexes are present, missing, building or different (nothing built)."""
        report = lifecycle.check(self.cables, indexes_for(text_index=self.text_index))
        report.add(lifecycle.check(self.versions, lifecycle.VERSION_INDEXES))
        return report

    def readiness(self) -> dict[str, Any]:
        """Whether the store answers and holds its indexes, built (none missing or building)."""
        try:
            self.db.command("ping")
            report = self.index_report()
        except Exception as error:  # any driver failure means "not ready"
            return {"ready": False, "detail": f"store unreachable: {error}", "engine": self.engine}
        problems = report.problems()
        if not report.complete:
            detail = f"{problems}; run `cables migrate`"
            return {"ready": False, "detail": detail, "engine": self.engine}
        return {"ready": True, "detail": problems or "ok", "engine": self.engine}

    def close(self) -> None:
        """Close the client (before a fork, or at the end of a command)."""
        self.db.client.close()

    # Writes

    def add_many(self, entries: list[Entry], *, replace: bool = False) -> list[Outcome]:
        """Add parsed cables; one outcome per entry, in order."""
        outcomes: list[Outcome | None] = [None] * len(entries)
        for round_ in decide.rounds(entries):
            decided = self._add_round([entries[i] for i in round_], replace, attempt=1)
            for index, outcome in zip(round_, decided, strict=True):
                outcomes[index] = outcome
        return [outcome for outcome in outcomes if outcome is not None]

    def _add_round(self, entries: list[Entry], replace: bool, attempt: int) -> list[Outcome]:
        """Decide and write entries with distinct ids; retry the ones that lost a race.

        Every document is checked before any is written (service.store.mongo.checks); a
        replaced document is kept as a version only once its replacement has landed, so no
        version ever names a text that was never stored (the price: a process killed between
        the two writes loses that one version; the old code's price was versions of texts
        never stored, and replacements deleted unversioned)."""
        existing = self._existing([entry.reference_id for entry in entries], full=replace)
        now = decide.now()
        outcomes: list[Outcome] = []
        writes: list[decide.Write] = []
        old_versions: dict[int, dict[str, Any]] = {}
        for entry in entries:
            stored = existing.get(entry.reference_id)
            sha256 = stored.get("sha256") if stored else None
            text = stored.get(TEXT_DIGEST_KEY) if stored else None
            outcome, write = decide.decide(entry, sha256, stored is not None, replace, now, text)
            outcomes.append(outcome)
            if write is not None:
                writes.append(decide.Write(len(outcomes) - 1, *write))
            if outcome.outcome == REPLACED and stored is not None:
                old_versions[len(outcomes) - 1] = decide.version_of(stored, now, entry.sha256)
        for planned in writes:  # the raw input apart, texts of the body as spans
            planned.document = stored_form(planned.document)
        refused = self._refused(writes, entries, old_versions)
        writes = [planned for planned in writes if planned.entry not in refused]
        raws = run_bulk(self.raw_inputs, _raw_writes([entries[w.entry] for w in writes]))
        lost, failed, written = self._write(writes, entries)
        refused.update(failed)
        landed = [index for index in old_versions if index in written.indexes]
        versions = self._save_versions([old_versions[index] for index in landed])
        unconfirmed = raws.concern or written.concern or versions
        for index in written.indexes if unconfirmed else ():
            reason = NOT_DURABLE_REASON.format(unconfirmed)
            refused[index] = Outcome(INVALID, entries[index].reference_id, reason, NOT_DURABLE)
        for index, refusal in refused.items():
            outcomes[index] = refusal
        if lost:
            self._redecide(lost, entries, outcomes, replace, attempt)
        return outcomes

    @staticmethod
    def _refused(
        writes: list[decide.Write], entries: list[Entry], versions: dict[int, dict[str, Any]]
    ) -> dict[int, Outcome]:
        """The writes that must not reach the driver (a lone surrogate, over 16 MiB: the
        cable, its raw input or the version it would leave), by entry index, as outcomes."""
        refused: dict[int, Outcome] = {}
        for planned in writes:
            entry = entries[planned.entry]
            checked = [(planned.document, "the document"), (_raw_input(entry), "the raw input")]
            if planned.entry in versions:
                checked.append((versions[planned.entry], "the version of the stored text"))
            kept = "nothing was stored" if planned.replaces is None else "the stored text is kept"
            found = first_refusal(entry.reference_id, checked, kept)
            if found is not None:
                refused[planned.entry] = found
        return refused

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
                    "conflict", entries[index].reference_id, "changed concurrently; try again"
                )
            return
        retried = self._add_round([entries[i] for i in lost], replace, attempt + 1)
        for index, outcome in zip(lost, retried, strict=True):
            outcomes[index] = outcome

    def _existing(self, reference_ids: list[str], *, full: bool) -> dict[str, dict[str, Any]]:
        """The stored documents (or just their digests) for these ids, in one find."""
        projection = None if full else _DECISION_PROJECTION
        found = self.cables.find({"_id": {"$in": reference_ids}}, projection)
        return {document["reference_id"]: document for document in found}

    def digests(self, reference_ids: list[str]) -> dict[str, str]:
        """The stored sha256 of each of these ids that is stored, in one find."""
        stored = self._existing(reference_ids, full=False)
        return {reference_id: doc.get("sha256", "") for reference_id, doc in stored.items()}

    def _write(
        self, writes: list[decide.Write], entries: list[Entry]
    ) -> tuple[list[int], dict[int, Outcome], Written]:
        """Run the writes: the entries that lost a race (to decide again), those the server
        refused (a duplicate key aside), with the reason, and those written."""
        operations = [
            InsertOne(write.document)
            if write.replaces is None
            else ReplaceOne(
                {"_id": write.document["_id"], "sha256": write.replaces}, write.document
            )
            for write in writes
        ]
        replacements = sum(write.replaces is not None for write in writes)
        result = run_bulk(self.cables, operations)
        failed: set[int] = set()
        refused: dict[int, Outcome] = {}
        for position, problem in result.errors.items():
            index = writes[position].entry
            if problem.get("code") == DUPLICATE_KEY:
                failed.add(index)
            else:
                reason = f"the store refused it: {problem.get('errmsg')}"
                refused[index] = Outcome(INVALID, entries[index].reference_id, reason)
        if result.matched < replacements:
            failed |= self._missed_replacements(writes, entries) - set(refused)
        done = [w.entry for w in writes if w.entry not in failed and w.entry not in refused]
        return sorted(failed), refused, Written(done, result.concern)

    def _missed_replacements(self, writes: list[decide.Write], entries: list[Entry]) -> set[int]:
        """Replacements whose old text had changed under them (another writer came first)."""
        replaced = [write.entry for write in writes if write.replaces is not None]
        stored = self._existing([entries[index].reference_id for index in replaced], full=False)
        return {
            index
            for index in replaced
            if stored.get(entries[index].reference_id, {}).get("sha256") != entries[index].sha256
        }

    def _with_raw(self, documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Whole documents: raw input joined back (kept inside by older versions of the
        service, else from raw_inputs) and texts made whole from their spans."""
        wanted = [d.get("sha256") for d in documents if "raw" not in d and "raw_bytes" not in d]
        found = {raw["_id"]: raw for raw in self.raw_inputs.find({"_id": {"$in": wanted}})}
        for document in documents:
            raw = found.get(document.get("sha256"))
            if raw is not None:
                document["raw"] = raw.get("text") or ""
                if raw.get("data") is not None:
                    document["raw_bytes"] = bytes(raw["data"])
            full_document(document)
        return documents

    def _save_versions(self, versions: list[dict[str, Any]]) -> str | None:
        """Keep superseded documents (a version already kept, same id and digest, is
        skipped); the write concern error, if any."""
        result = run_bulk(self.versions, [InsertOne(version) for version in versions])
        if any(problem.get("code") != DUPLICATE_KEY for problem in result.errors.values()):
            raise RuntimeError(f"a version could not be kept: {list(result.errors.values())}")
        return result.concern

    def delete(self, reference_id: str) -> bool:
        """Delete a cable, keeping it among the versions; False when there was none.

        The delete lands only on the text just read (`sha256`): a replacement written in
        between is read again, never deleted unversioned; the version is kept once the delete
        has landed."""
        for _ in range(MAX_ATTEMPTS):
            document = self.cables.find_one({"_id": reference_id}, {"raw": 0, "raw_bytes": 0})
            if document is None:
                return False
            version = decide.version_of(document, decide.now(), None)
            same_text = {"_id": reference_id, "sha256": document.get("sha256")}
            try:
                deleted = self.cables.delete_one(same_text).deleted_count
            except WriteConcernError:  # applied on the primary: keep its text, then say so
                self._save_versions([version])
                raise
            if deleted:
                concern = self._save_versions([version])
                if concern:
                    raise WriteNotDurable(NOT_DURABLE_REASON.format(concern))
                return True
        raise ChangedConcurrently(f"{reference_id} changed concurrently; try again")

    # Single-cable reads and versions

    def get(self, reference_id: str) -> dict[str, Any] | None:
        """The stored document as the API shows it (no raw text, no Mongo id)."""
        found = self.cables.find_one({"_id": reference_id}, _PUBLIC_PROJECTION)
        return None if found is None else full_document(found)

    def get_raw(self, reference_id: str) -> tuple[bytes, str] | None:
        """The original upload's bytes and content type (with a charset when it is known)."""
        found = self._raw_document(reference_id)
        return None if found is None else decide.raw_of(found)

    def get_raw_text(self, reference_id: str) -> str | None:
        """The original upload as the text it was parsed from, or None."""
        found = self._raw_document(reference_id)
        return None if found is None else found.get("raw")

    def _raw_document(self, reference_id: str) -> dict[str, Any] | None:
        """A cable's keys that say what was uploaded, its raw input joined back."""
        projection = {"raw": 1, "raw_bytes": 1, "source": 1, "sha256": 1}
        found = self.cables.find_one({"_id": reference_id}, projection)
        return None if found is None else self._with_raw([found])[0]

    def versions_of(self, reference_id: str) -> list[dict[str, Any]]:
        """Superseded versions of a cable, oldest first, without their raw text."""
        found = self.versions.find({"reference_id": reference_id}, _PUBLIC_PROJECTION)
        versions = [full_document(version) for version in found]
        return sorted(versions, key=lambda version: version["superseded_at"])

    def count(self) -> int:
        """How many cables are stored."""
        return self.cables.estimated_document_count()

    # Re-parse (service.store.reparse)

    @staticmethod
    def _selection(current: str, everything: bool) -> dict[str, Any]:
        """Every cable, or those not parsed by `current`."""
        return {} if everything else {"parser_version": {"$ne": current}}

    def count_candidates(self, current: str, *, everything: bool = False) -> int:
        """How many cables a re-parse would visit."""
        return self.cables.count_documents(self._selection(current, everything))

    def candidates(
        self, current: str, *, batch_size: int, everything: bool = False, after: str | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """Whole stored documents (raw text included), in `_id` order, a batch at a time."""
        selection = self._selection(current, everything)
        while True:
            query = dict(selection)
            if after is not None:
                query["_id"] = {"$gt": after}
            batch = list(self.cables.find(query, sort=[("_id", 1)], limit=batch_size))
            if not batch:
                return
            after = batch[-1]["_id"]
            self._fill_folded(batch)
            yield self._with_raw([without_derived(document) for document in batch])

    def _fill_folded(self, documents: list[dict[str, Any]]) -> None:
        """Give the documents stored before the folded copies existed (or before some of them
        did) their copies, so `cables reparse --all` fills every one, whatever the parser
        answers."""
        missing = [
            document
            for document in documents
            if not set(FOLDED_KEYS) <= set(document.get(FOLDED) or {})
        ]
        if missing:
            self.cables.bulk_write(
                [
                    UpdateOne(
                        {"_id": document["_id"], "sha256": document.get("sha256")},
                        {"$set": derived_fields(full_document(dict(document)))},
                    )
                    for document in missing
                ],
                ordered=False,
            )

    def replace_parsed(self, stored: dict[str, Any], document: dict[str, Any]) -> bool:
        """The parser's new output over the stored parsed fields, if the text is unchanged."""
        lean = stored_form(document)
        new = {key: value for key, value in lean.items() if key not in KEPT_FIELDS}
        gone = {
            key: ""
            for key in stored
            if key not in new and key not in KEPT_FIELDS and key not in RAW_FIELDS
        }
        update: dict[str, Any] = {"$set": new}
        if gone:
            update["$unset"] = gone
        same_text = {"_id": stored["_id"], "sha256": stored.get("sha256")}
        return self.cables.update_one(same_text, update).matched_count == 1

    def mark_parsed(self, stored: list[dict[str, Any]], version: str) -> int:
        """Set only `parser_version` on these cables; how many were marked."""
        if not stored:
            return 0
        ids = [document["_id"] for document in stored]
        result = self.cables.update_many(
            {"_id": {"$in": ids}}, {"$set": {"parser_version": version}}
        )
        return result.matched_count


RAW_FIELDS = ("raw", "raw_bytes")


def stored_form(document: dict[str, Any]) -> dict[str, Any]:
    """A document as the cables collection stores it: the raw input apart (raw_inputs),
    texts of the body as spans, the folded copies the queries match on (derived.py)."""
    return with_derived(lean_document(_without_raw(document)))


@dataclass
class Written:
    """The entries (by index) whose write landed, and the write concern error, if any."""

    indexes: list[int]
    concern: str | None


def _raw_input(entry: Entry) -> dict[str, Any]:
    """The raw_inputs document of an entry: its input kept once per digest."""
    return {"_id": entry.sha256, "text": entry.document.get("raw") or "", "data": entry.raw}


def _raw_writes(entries: list[Entry]) -> list[UpdateOne]:
    """Keep each entry's raw input once per digest (an identical upload shares it)."""
    writes = []
    for entry in entries:
        raw = _raw_input(entry)
        fields = {"text": raw["text"], "data": raw["data"]}
        writes.append(UpdateOne({"_id": raw["_id"]}, {"$setOnInsert": fields}, upsert=True))
    return writes


def _without_raw(document: dict[str, Any]) -> dict[str, Any]:
    """A document without its raw input (kept in raw_inputs)."""
    return {key: value for key, value in document.items() if key not in RAW_FIELDS}
