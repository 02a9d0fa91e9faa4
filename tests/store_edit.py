"""Reading and editing stored documents behind a store's back, on either engine: tests set up
states (an older parser's output, a text changed meanwhile) that the API would never write."""

from __future__ import annotations

from typing import Any

from service.store import Store
from service.store.mongo.store import MongoStore
from service.store.sqlite import store as sqlite_store
from service.store.sqlite.schema import cable_row, pack_raw


def stored(store: Store) -> dict[str, dict[str, Any]]:
    """Every stored document, whole (raw input included), by id."""
    batches = store.candidates("", batch_size=1000, everything=True)
    return {document["_id"]: document for batch in batches for document in batch}


def find_one(store: Store, reference_id: str) -> dict[str, Any] | None:
    """One stored document, whole."""
    return stored(store).get(reference_id)


def update(
    store: Store,
    reference_ids: list[str] | None = None,
    set_: dict[str, Any] | None = None,
    unset: tuple[str, ...] = (),
) -> None:
    """Set and remove keys of the stored documents (all of them when `reference_ids` is None),
    as MongoDB's update_many would."""
    set_ = set_ or {}
    if isinstance(store, MongoStore):
        selection = {} if reference_ids is None else {"_id": {"$in": reference_ids}}
        change: dict[str, Any] = {"$set": set_} if set_ else {}
        if unset:
            change["$unset"] = dict.fromkeys(unset, "")
        store.cables.update_many(selection, change)
        return
    assert isinstance(store, sqlite_store.SQLiteStore)
    ids = list(stored(store)) if reference_ids is None else reference_ids
    with store.database.writing() as connection:
        for reference_id in ids:
            document = sqlite_store._full_document(connection, reference_id, raw=False)
            if document is None:
                continue
            # deleted before its raw input changes: its body is packed against that input
            sqlite_store._delete(connection, reference_id)
            if "raw" in set_ or "raw_bytes" in unset:
                raw = set_.get("raw")
                packed = [pack_raw(raw, None)[0]] if raw is not None else []
                connection.execute(
                    "UPDATE raw_inputs SET data = NULL"
                    + (", text = ?" if raw is not None else "")
                    + " WHERE sha256 = ?",
                    [*packed, document["sha256"]],
                )
            document.update({k: v for k, v in set_.items() if k not in ("raw", "raw_bytes")})
            for key in unset:
                document.pop(key, None)
            sqlite_store._insert(connection, cable_row(document), document)


def version_count(store: Store) -> int:
    """How many superseded versions are kept."""
    if isinstance(store, MongoStore):
        return store.versions.count_documents({})
    assert isinstance(store, sqlite_store.SQLiteStore)
    with store.database.reading() as connection:
        return int(connection.execute("SELECT count(*) FROM cable_versions").fetchone()[0])
