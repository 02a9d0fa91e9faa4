"""The SQLite engine's writes, versions, re-parse and lifecycle (reads: `reads.py`).

Every write is one transaction (`BEGIN IMMEDIATE`): a batch is decided and written under the
database's write lock, so concurrent uploads, in threads or in other gunicorn workers, are
decided one after the other and never race. The raw input goes to `raw_inputs` once per
digest; a replaced or deleted cable is first copied to `cable_versions`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from service.ingest.entries import INVALID, REPLACED, TEXT_DIGEST_KEY, Entry, Outcome
from service.store import decide, transfer
from service.store.lean import full_document, lean_document
from service.store.reparse import KEPT_FIELDS
from service.store.sqlite.connections import Database
from service.store.sqlite.reads import SQLiteReads
from service.store.sqlite.schema import (
    DDL,
    INSERT_CABLE,
    MIGRATIONS,
    REWRITES,
    SCHEMA_VERSION,
    cable_row,
    document_of,
    dumps,
    needs_dictionary,
    pack,
    pack_raw,
    people_rows,
    stored_dictionary,
    unpack,
    unpack_raw,
    value_rows,
    word_rows,
)

Document = dict[str, Any]
_FULL_ROW = (
    "SELECT c.*, r.text AS raw_text, r.data AS raw_data FROM cables c"
    " LEFT JOIN raw_inputs r ON r.sha256 = c.sha256"
)
# A cable's row with its raw input's packed text (the dictionary of its body and header).
_ROW = "SELECT c.*, r.text AS raw_text FROM cables c LEFT JOIN raw_inputs r ON r.sha256 = c.sha256"


class SQLiteTransfer:
    """`cables export` and `cables import` on SQLite (service.store.transfer)."""

    database: Database

    def dump(self) -> Iterator[transfer.Record]:
        """Every raw input, cable and version, a batch at a time."""
        for sha256, text, data in self._batches(
            "SELECT sha256, text, data FROM raw_inputs WHERE sha256 > ? ORDER BY sha256", 0
        ):
            unpacked, original = unpack_raw(text, data)
            yield transfer.raw_record(sha256, unpacked, original)
        for row in self._batches(
            f"{_ROW} WHERE c.reference_id > ? ORDER BY c.reference_id",
            "reference_id",
        ):
            yield {"kind": transfer.CABLE, "document": document_of(row)}
        for _, document in self._batches(
            "SELECT id, document FROM cable_versions WHERE id > ? ORDER BY id", 0
        ):
            yield {"kind": transfer.VERSION, "document": full_document(_loads(document))}

    def _batches(self, sql: str, key: int | str) -> Iterator[Any]:
        """The rows of a keyset query (`... WHERE key > ? ORDER BY key`), 500 at a time."""
        after = ""
        while True:
            with self.database.reading() as connection:
                cursor = connection.cursor()
                cursor.row_factory = sqlite3.Row
                rows = cursor.execute(sql + " LIMIT 500", [after]).fetchall()
            if not rows:
                return
            yield from rows
            after = rows[-1][key]

    def load(self, records: Iterator[transfer.Record]) -> transfer.LoadReport:
        """Store the records of an export, a transaction per 500."""
        report = transfer.LoadReport()
        batch: list[transfer.Record] = []
        for record in records:
            batch.append(record)
            if len(batch) == 500:
                self._load_batch(batch, report)
                batch = []
        self._load_batch(batch, report)
        return report

    def _load_batch(self, batch: list[transfer.Record], report: transfer.LoadReport) -> None:
        with self.database.writing() as connection:
            for record in batch:
                kind = record["kind"]
                if kind == transfer.RAW:
                    packed = pack_raw(str(record.get("text") or ""), transfer.raw_data(record))
                    connection.execute(
                        "INSERT OR IGNORE INTO raw_inputs (sha256, text, data) VALUES (?, ?, ?)",
                        [record["sha256"], *packed],
                    )
                    report.counts["raw inputs"] += 1
                elif kind == transfer.CABLE:
                    _load_cable(connection, record["document"], report)
                else:
                    _save_version(connection, record["document"])
                    report.counts["versions"] += 1


def _load_cable(
    connection: sqlite3.Connection, document: Document, report: transfer.LoadReport
) -> None:
    """Store an exported cable unless its id is taken (same text: unchanged; else conflict)."""
    reference_id = document["reference_id"]
    stored = _digests(connection, [reference_id]).get(reference_id)
    if stored is None:
        _insert(connection, _encodable(cable_row(document)), document)
        report.counts["cables created"] += 1
    else:
        report.taken(reference_id, stored, document.get("sha256"))


class SQLiteStore(SQLiteTransfer, SQLiteReads):
    """Cables in one SQLite database file (or in memory)."""

    engine = "sqlite"

    def __init__(self, path: str) -> None:
        super().__init__(Database(path))
        self.path = path
        self.shared = not self.database.memory
        self.ensure_indexes()  # the database is created on first use

    def ensure_indexes(self) -> None:
        """Create the tables and indexes that are missing and bring an older file up to
        SCHEMA_VERSION; safe on every start (and in several workers at once)."""
        self.database.connection().executescript(DDL)  # each statement IF NOT EXISTS
        with self.database.writing() as connection:
            version = int(connection.execute("PRAGMA user_version").fetchone()[0])
            fresh = not connection.execute("SELECT 1 FROM cables LIMIT 1").fetchone()
            if version < SCHEMA_VERSION and not fresh:
                for step in range(version + 1, SCHEMA_VERSION + 1):
                    for sql, params in MIGRATIONS.get(step, []):
                        connection.execute(sql, params)
                    for rewrite in REWRITES.get(step, []):
                        rewrite(connection)
            if version != SCHEMA_VERSION:
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def readiness(self) -> dict[str, Any]:
        """Whether the database answers and holds its tables."""
        try:
            with self.database.reading() as connection:
                found = connection.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name IN ('cables', 'cable_text')"
                ).fetchone()[0]
        except sqlite3.Error as error:
            return {"ready": False, "detail": f"store unreachable: {error}"}
        return {"ready": found == 2, "detail": "ok", "engine": self.engine}

    def close(self) -> None:
        """Close this thread's connection."""
        self.database.close()

    # Writes

    def add_many(self, entries: list[Entry], *, replace: bool = False) -> list[Outcome]:
        """Add parsed cables in one transaction; one outcome per entry, in order."""
        outcomes: list[Outcome | None] = [None] * len(entries)
        with self.database.writing() as connection:
            for round_ in decide.rounds(entries):
                decided = self._add_round(connection, [entries[i] for i in round_], replace)
                for index, outcome in zip(round_, decided, strict=True):
                    outcomes[index] = outcome
        return [outcome for outcome in outcomes if outcome is not None]

    def _add_round(
        self, connection: sqlite3.Connection, entries: list[Entry], replace: bool
    ) -> list[Outcome]:
        """Decide and write entries with distinct ids (under the write transaction)."""
        stored = _digests(connection, [entry.reference_id for entry in entries])
        now = decide.now()
        outcomes: list[Outcome] = []
        for entry in entries:
            reference_id = entry.reference_id
            old = None  # the stored document, read when another upload meets it
            if reference_id in stored and stored[reference_id] != entry.sha256:
                # the same text in another form (line ends...) is unchanged; a replace keeps
                # the old document as a version (without its raw input, which stays apart)
                old = _full_document(connection, reference_id, raw=False)
            text = old.get(TEXT_DIGEST_KEY) if old else None
            outcome, write = decide.decide(
                entry, stored.get(reference_id), reference_id in stored, replace, now, text
            )
            if write is not None:
                document = write[0]
                try:
                    row = _encodable(cable_row(document))
                except UnicodeEncodeError:
                    reason = "the text holds characters that cannot be stored (lone surrogates)"
                    outcomes.append(Outcome(INVALID, reference_id, reason))
                    continue
                if outcome.outcome == REPLACED:
                    if old is not None:
                        _save_version(connection, decide.version_of(old, now, entry.sha256))
                    _delete(connection, reference_id)
                _put_raw(connection, entry)
                _insert(connection, row, document)
            outcomes.append(outcome)
        return outcomes

    def digests(self, reference_ids: list[str]) -> dict[str, str]:
        """The stored sha256 of each of these ids that is stored."""
        with self.database.reading() as connection:
            return _digests(connection, reference_ids)

    def delete(self, reference_id: str) -> bool:
        """Delete a cable, keeping it among the versions; False when there was none."""
        with self.database.writing() as connection:
            old = _full_document(connection, reference_id)
            if old is None:
                return False
            _save_version(connection, decide.version_of(old, decide.now(), None))
            _delete(connection, reference_id)
        return True

    # Single-cable reads and versions

    def get(self, reference_id: str) -> Document | None:
        """The stored document as the API shows it."""
        with self.database.reading() as connection:
            document = _full_document(connection, reference_id, raw=False)
        return None if document is None else decide.public(document)

    def get_raw(self, reference_id: str) -> tuple[bytes, str] | None:
        """The original upload's bytes and content type (with a charset when it is known)."""
        with self.database.reading() as connection:
            document = _full_document(connection, reference_id)
        return None if document is None else decide.raw_of(document)

    def get_raw_text(self, reference_id: str) -> str | None:
        """The original upload as the text it was parsed from, or None."""
        with self.database.reading() as connection:
            document = _full_document(connection, reference_id)
        return None if document is None else document.get("raw")

    def versions_of(self, reference_id: str) -> list[Document]:
        """Superseded versions of a cable, oldest first, without their raw text."""
        with self.database.reading() as connection:
            rows = connection.execute(
                "SELECT document FROM cable_versions WHERE reference_id = ?"
                " ORDER BY superseded_at, rowid",
                [reference_id],
            ).fetchall()
        return [decide.public(full_document(_loads(row[0]))) for row in rows]

    def count(self) -> int:
        """How many cables are stored."""
        with self.database.reading() as connection:
            return int(connection.execute("SELECT count(*) FROM cables").fetchone()[0])

    # Re-parse (service.store.reparse)

    def count_candidates(self, current: str, *, everything: bool = False) -> int:
        """How many cables a re-parse would visit."""
        where = "1" if everything else "parser_version IS NOT ?"
        with self.database.reading() as connection:
            sql = f"SELECT count(*) FROM cables WHERE {where}"
            return int(connection.execute(sql, [] if everything else [current]).fetchone()[0])

    def candidates(
        self, current: str, *, batch_size: int, everything: bool = False, after: str | None = None
    ) -> Iterator[list[Document]]:
        """Whole stored documents (raw text included), in reference id order, by batches."""
        while True:
            conditions = ["1" if everything else "c.parser_version IS NOT ?"]
            params: list[Any] = [] if everything else [current]
            if after is not None:
                conditions.append("c.reference_id > ?")
                params.append(after)
            sql = f"{_FULL_ROW} WHERE {' AND '.join(conditions)} ORDER BY c.reference_id LIMIT ?"
            with self.database.reading() as connection:
                cursor = connection.cursor()
                cursor.row_factory = sqlite3.Row
                rows = cursor.execute(sql, [*params, batch_size]).fetchall()
            if not rows:
                return
            batch = [_with_raw(row) for row in rows]
            after = batch[-1]["reference_id"]
            yield batch

    def replace_parsed(self, stored: Document, document: Document) -> bool:
        """The parser's new output over the stored parsed fields, if the text is unchanged."""
        reference_id = stored["reference_id"]
        with self.database.writing() as connection:
            current = _full_document(connection, reference_id, raw=False)
            if current is None or current.get("sha256") != stored.get("sha256"):
                return False
            kept = {key: value for key, value in current.items() if key in KEPT_FIELDS}
            new = {key: value for key, value in document.items() if key not in KEPT_FIELDS}
            replacement = {**kept, **new}
            row = _encodable(cable_row(replacement))
            _delete(connection, reference_id)
            _insert(connection, row, replacement)
        return True

    def mark_parsed(self, stored: list[Document], version: str) -> int:
        """Set only `parser_version` on these cables; how many were marked."""
        if not stored:
            return 0
        ids = [document["reference_id"] for document in stored]
        marked = 0
        with self.database.writing() as connection:
            rows = connection.execute(
                "SELECT n, document FROM cables"
                f" WHERE reference_id IN ({', '.join('?' * len(ids))})",
                ids,
            ).fetchall()
            for n, packed in rows:
                document = _loads(unpack(packed) or "{}")
                document["parser_version"] = version
                connection.execute(
                    "UPDATE cables SET parser_version = ?, document = ? WHERE n = ?",
                    [version, pack(dumps(document)), n],
                )
                marked += 1
        return marked


def _digests(connection: sqlite3.Connection, reference_ids: list[str]) -> dict[str, str]:
    """The stored sha256 of each stored id among these."""
    found: dict[str, str] = {}
    for start in range(0, len(reference_ids), 500):
        batch = reference_ids[start : start + 500]
        sql = (
            "SELECT reference_id, sha256 FROM cables"
            f" WHERE reference_id IN ({', '.join('?' * len(batch))})"
        )
        found.update(connection.execute(sql, batch).fetchall())
    return found


def _encodable(row: dict[str, Any]) -> dict[str, Any]:
    """The row, once every text in it is known to be storable as UTF-8 (else the error)."""
    for value in row.values():
        if isinstance(value, str):
            value.encode("utf-8")
    return row


def _insert(connection: sqlite3.Connection, row: dict[str, Any], document: Document) -> None:
    """Insert a cable's row, its words in the full-text index, its value and people rows.
    Body and header are packed against the raw input stored under the cable's digest, when
    there is one (schema.raw_dictionary): they hold mostly its words."""
    found = connection.execute(
        "SELECT text FROM raw_inputs WHERE sha256 = ?", [row["sha256"]]
    ).fetchone()
    dictionary = stored_dictionary(found[0]) if found else None
    if dictionary:
        row = {
            **row,
            "body": pack(document.get("body"), dictionary),
            "header": pack(document.get("header"), dictionary),
        }
    n = connection.execute(INSERT_CABLE, row).lastrowid
    connection.execute(
        "INSERT INTO cable_text (rowid, subject, body) VALUES (?, ?, ?)",
        [n, document.get("subject"), document.get("body")],
    )
    connection.executemany(
        "INSERT INTO cable_values (field, value, n) VALUES (?, ?, ?)",
        [(field, value, n) for field, value in value_rows(document)],
    )
    connection.executemany(
        "INSERT INTO cable_people (list, kind, value, person, n) VALUES (?, ?, ?, ?, ?)",
        [(*person, n) for person in (*people_rows(document), *word_rows(document))],
    )


def _delete(connection: sqlite3.Connection, reference_id: str) -> None:
    """Delete a cable's row, its words from the full-text index (which needs the text it was
    given) and, by trigger, its value and people rows."""
    row = connection.execute(
        "SELECT c.n, c.subject, c.body, r.text FROM cables c"
        " LEFT JOIN raw_inputs r ON r.sha256 = c.sha256 WHERE c.reference_id = ?",
        [reference_id],
    ).fetchone()
    if row is None:
        return
    n, subject, body, packed_raw = row
    dictionary = stored_dictionary(packed_raw) if body and needs_dictionary(body) else None
    connection.execute(
        "INSERT INTO cable_text (cable_text, rowid, subject, body) VALUES ('delete', ?, ?, ?)",
        [n, subject, unpack(body, dictionary)],
    )
    connection.execute("DELETE FROM cables WHERE n = ?", [n])


def _put_raw(connection: sqlite3.Connection, entry: Entry) -> None:
    """Keep the raw input once per digest."""
    connection.execute(
        "INSERT OR IGNORE INTO raw_inputs (sha256, text, data) VALUES (?, ?, ?)",
        [entry.sha256, *pack_raw(entry.document.get("raw") or "", entry.raw)],
    )


def _full_document(
    connection: sqlite3.Connection, reference_id: str, *, raw: bool = True
) -> Document | None:
    """The whole stored document (with its raw input unless `raw` is False), or None."""
    cursor = connection.cursor()
    cursor.row_factory = sqlite3.Row
    sql = _FULL_ROW if raw else _ROW
    row = cursor.execute(f"{sql} WHERE c.reference_id = ?", [reference_id]).fetchone()
    if row is None:
        return None
    return _with_raw(row) if raw else document_of(row)


def _with_raw(row: sqlite3.Row) -> Document:
    """A full row's document with `_id`, `raw` and, when kept, `raw_bytes`."""
    document = {"_id": row["reference_id"], **document_of(row)}
    if row["raw_text"] is not None:
        document["raw"], data = unpack_raw(row["raw_text"], row["raw_data"])
        if data is not None:
            document["raw_bytes"] = data
    return document


def _save_version(connection: sqlite3.Connection, version: Document) -> None:
    """Keep a superseded document (its raw input stays in raw_inputs); once per digest."""
    kept = lean_document(
        {key: value for key, value in version.items() if key not in ("raw", "raw_bytes")}
    )
    connection.execute(
        "INSERT OR IGNORE INTO cable_versions (id, reference_id, superseded_at, document)"
        " VALUES (?, ?, ?, ?)",
        [version["_id"], version["reference_id"], version["superseded_at"], dumps(kept)],
    )


def _loads(text: str) -> Document:
    import json

    loaded: Document = json.loads(text)
    return loaded
