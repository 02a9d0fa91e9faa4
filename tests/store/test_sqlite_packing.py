"""The SQLite engine packs a cable's body and header against its raw input (zlib's preset
dictionary), so that the file does not hold the raw input's words twice, and still reads
bodies packed without it (files written before)."""

from __future__ import annotations

import sqlite3

from test_core import entry_for, seed_bytes

from service.parsing import parse_cable
from service.store import open_store
from service.store.sqlite.schema import needs_dictionary, pack


def test_body_and_header_are_packed_against_the_raw_input_and_read_back(tmp_path):
    path = str(tmp_path / "cables.db")
    store = open_store({"EMBEDDED_DB": path})
    store.add_many([entry_for(seed_bytes())])
    parsed = parse_cable(seed_bytes())
    with sqlite3.connect(path) as connection:
        body, header = connection.execute("SELECT body, header FROM cables").fetchone()
    connection.close()
    assert needs_dictionary(body) and needs_dictionary(header)
    assert len(body) < len(pack(parsed["body"]) or b"") / 3  # mostly the raw input's words
    document = store.get("06ALMATY1457")
    assert document is not None
    assert (document["body"], document["header"]) == (parsed["body"], parsed["header"])
    assert store.delete("06ALMATY1457")  # the full-text words removed from the same text
    assert store.count() == 0


def test_a_body_packed_without_a_dictionary_still_reads(tmp_path):
    path = str(tmp_path / "cables.db")
    store = open_store({"EMBEDDED_DB": path})
    store.add_many([entry_for(seed_bytes())])
    parsed = parse_cable(seed_bytes())
    with sqlite3.connect(path) as connection:  # as the engine wrote it before
        connection.execute(
            "UPDATE cables SET body = ?, header = ?",
            [pack(parsed["body"]), pack(parsed["header"])],
        )
    connection.close()
    document = store.get("06ALMATY1457")
    assert document is not None and document["body"] == parsed["body"]
    assert store.by_ids(["06ALMATY1457"], ["paragraphs"])["06ALMATY1457"]["paragraphs"]
    assert store.delete("06ALMATY1457")
