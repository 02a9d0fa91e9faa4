"""Facet counts on every engine where a cable names one person in both people lists (the
`persons` facet counts such a name once per cable), and an older SQLite file brought up to
the schema that these counts read."""

from __future__ import annotations

import sqlite3

from test_core import CABLES, entry_for, seed_bytes, store  # noqa: F401 (fixture)

from service.query.conditions import EVERYTHING, Equals
from service.query.facets import FACETS_BY_NAME
from service.store import open_store
from service.store.sqlite.schema import SCHEMA_VERSION

PEOPLE = [FACETS_BY_NAME["participants"], FACETS_BY_NAME["persons"]]


def _person(name: str) -> dict:
    return {"name": name, "search_key": name.lower(), "search_words": name.lower().split()}


def _both_lists_entries():
    """The seed cable naming "Ann Both" as participant and as mentioned, and another cable
    naming her as mentioned only."""
    first = entry_for(seed_bytes())
    first.document["participants"] = [_person("Ann Both"), _person("Pat Only")]
    first.document["mentioned"] = [_person("Ann Both"), _person("Kim Told")]
    second = entry_for((CABLES / "07KINGSTON382.txt").read_bytes())
    second.document["participants"] = []
    second.document["mentioned"] = [_person("Ann Both")]
    return first, second


def test_a_name_in_both_lists_counts_once_per_cable_in_persons(store):  # noqa: F811
    first, second = _both_lists_entries()
    store.add_many([first, second])
    counts = store.count_values(EVERYTHING, PEOPLE)
    assert counts["participants"] == {"Ann Both": 1, "Pat Only": 1}
    assert counts["persons"] == {"Ann Both": 2, "Pat Only": 1, "Kim Told": 1}
    only_first = Equals("tag_keys", ("KZ",))  # the first cable only
    filtered = store.count_values(only_first, PEOPLE)
    assert filtered["persons"] == {"Ann Both": 1, "Pat Only": 1, "Kim Told": 1}


def test_an_older_sqlite_file_gets_the_rows_of_names_in_both_lists(tmp_path):
    path = str(tmp_path / "cables.db")
    first, second = _both_lists_entries()
    older = open_store({"EMBEDDED_DB": path})
    older.add_many([first, second])
    older.close()
    with sqlite3.connect(path) as connection:  # as a version 1 file holds it
        connection.execute("DELETE FROM cable_values WHERE field = 'persons.both'")
        connection.execute("PRAGMA user_version = 1")
    connection.close()
    reopened = open_store({"EMBEDDED_DB": path})
    assert reopened.count_values(EVERYTHING, PEOPLE)["persons"]["Ann Both"] == 2
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    connection.close()
    reopened.close()


def test_no_facet_asked_counts_nothing(store):  # noqa: F811
    # /facets?facet= asks for none: an empty answer, not a statement SQLite cannot parse
    store.add_many([entry_for(seed_bytes())])
    for query in (EVERYTHING, Equals("tag_keys", ("KZ",)), Equals("origin", ("0",))):
        assert store.count_values(query, []) == {}
        assert store.count_values(query, [], top=3) == {}
