"""The SQLite engine's word rows of the FM line and of each recipient (`sender=` and
`recipient=` as words, issue 19 item 9): written with every cable, and filled in by the
schema migration in a file written before them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from test_core import entry_for, seed_bytes

from service.query.filters import build_query, parse_filters
from service.store import open_store
from service.store.queries import CableQueries
from service.store.sqlite.schema import SCHEMA_VERSION

QUERIES = [
    ({"sender": ["almaty"]}, 1),
    ({"sender": ["amembassy alm"]}, 1),
    ({"sender": ["embassy"]}, 0),
    ({"recipient": ["secstate wash"]}, 1),
    ({"recipient": ["secstate ankara"]}, 0),  # words of two recipients
    ({"recipient": ["dept of energy"]}, 1),
]


def counts(path: str) -> list[int]:
    store = open_store({"EMBEDDED_DB": path})
    try:
        queries = CableQueries(store)
        return [queries.count(build_query(parse_filters(query))) for query, _ in QUERIES]
    finally:
        store.close()


def word_rows(path: str) -> list[tuple[str, str, int]]:
    with sqlite3.connect(path) as connection:
        found = connection.execute(
            "SELECT list, value, person FROM cable_people"
            " WHERE list IN ('sender', 'recipients') ORDER BY 1, 3, 2"
        ).fetchall()
    connection.close()
    return found


def test_the_words_of_the_sender_and_of_each_recipient_are_looked_up(tmp_path: Path) -> None:
    path = str(tmp_path / "cables.db")
    store = open_store({"EMBEDDED_DB": path})
    store.add_many([entry_for(seed_bytes())])
    store.close()
    rows = word_rows(path)
    assert ("sender", "almaty", 0) in rows and ("sender", "amembassy", 0) in rows
    recipients = {person for name, _, person in rows if name == "recipients"}
    assert len(recipients) == 12  # TO SECSTATE WASHDC, INFO eleven more
    assert counts(path) == [expected for _, expected in QUERIES]


def test_an_older_sqlite_file_gets_its_word_rows(tmp_path: Path) -> None:
    path = str(tmp_path / "cables.db")
    store = open_store({"EMBEDDED_DB": path})
    store.add_many([entry_for(seed_bytes())])
    store.close()
    written = word_rows(path)
    with sqlite3.connect(path) as connection:  # as a version 2 file holds it
        connection.execute("DELETE FROM cable_people WHERE list IN ('sender', 'recipients')")
        connection.execute("PRAGMA user_version = 2")
    connection.close()
    assert not word_rows(path)
    assert counts(path) == [expected for _, expected in QUERIES]  # opening migrates
    migrated = word_rows(path)
    # the same words of the same lines (a recipient's number may differ: names in value order)
    assert sorted((name, word) for name, word, _ in migrated) == sorted(
        (name, word) for name, word, _ in written
    )
    assert len({p for n, _, p in migrated if n == "recipients"}) == 12
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    connection.close()
