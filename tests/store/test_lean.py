"""Lean documents: texts of the body stored as spans come back exactly as parsed, and a
stored cable holds its body text about once."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from service.ingest.entries import make_entry
from service.parsing import parse_cable
from service.store import open_store
from service.store.lean import SPAN, full_document, lean_document
from service.store.sqlite.schema import SCHEMA_VERSION, WHOLE_FIELDS, dumps, pack, unpack

CABLES = Path(__file__).parents[1] / "data" / "corpus" / "cables"


def test_every_corpus_document_comes_back_as_parsed_and_most_texts_are_spans() -> None:
    texts = spans = 0
    for path in sorted(CABLES.iterdir()):
        parsed = parse_cable(path.read_bytes())
        lean = json.loads(json.dumps(lean_document(parsed)))
        for paragraph in lean.get("paragraphs") or []:
            texts += 1
            spans += SPAN in paragraph
        assert full_document(lean) == json.loads(json.dumps(parsed)), path.name
    assert spans / texts > 0.95


def test_a_stored_cable_is_at_most_twice_its_body_on_the_corpus(tmp_path) -> None:
    # Summed over the corpus: what the cables table holds per cable (document JSON, paragraphs,
    # subject, header, body) against the body text; the raw input is apart, once per digest.
    path = str(tmp_path / "lean.db")
    store = open_store({"EMBEDDED_DB": path})
    entries = []
    for file in sorted(CABLES.iterdir()):
        data = file.read_bytes()
        entries.append(make_entry(parse_cable(data), data, "text/plain", {"file": file.name}))
    store.add_many(entries)
    with sqlite3.connect(path) as connection:
        columns = ("document", "paragraphs", "subject", "header", "body")
        size = " + ".join(f"coalesce(length(CAST({column} AS BLOB)), 0)" for column in columns)
        stored = connection.execute(f"SELECT sum({size}) FROM cables").fetchone()[0]
    body = sum(len((entry.document.get("body") or "").encode()) for entry in entries)
    assert stored <= 2 * body, stored / body


def _stored_with_spans(path: str) -> tuple[list, dict[str, dict]]:
    """The corpus in a SQLite file, and the stored cables whose summary or comment the body
    holds (lean_document makes them spans), by reference id."""
    store = open_store({"EMBEDDED_DB": path})
    entries = []
    for file in sorted(CABLES.iterdir()):
        data = file.read_bytes()
        entries.append(make_entry(parse_cable(data), data, "text/plain", {"file": file.name}))
    store.add_many(entries)
    stored = [store.get(reference_id) for reference_id in {e.reference_id for e in entries}]
    store.close()
    spanned = {  # as stored: of two inputs of one cable, the first is kept
        document["reference_id"]: document
        for document in stored
        if document is not None
        and any(isinstance(lean_document(document).get(f), dict) for f in WHOLE_FIELDS)
    }
    assert len(spanned) > 3
    return entries, spanned


def _stored_documents(path: str) -> dict[str, dict]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT reference_id, document FROM cables").fetchall()
    connection.close()
    return {reference_id: json.loads(unpack(packed)) for reference_id, packed in rows}


def test_sqlite_keeps_summary_and_comment_whole_so_a_listing_reads_no_body(tmp_path) -> None:
    path = str(tmp_path / "whole.db")
    _, spanned = _stored_with_spans(path)
    stored = _stored_documents(path)
    store = open_store({"EMBEDDED_DB": path})
    found = store.by_ids(list(spanned), ["summary", "comment", "subject"])
    for reference_id, parsed in spanned.items():
        for field in WHOLE_FIELDS:
            assert stored[reference_id].get(field) == parsed.get(field)
            assert found[reference_id].get(field) == parsed.get(field)
    store.close()


def test_an_older_sqlite_file_gets_its_spans_of_summary_and_comment_made_whole(tmp_path) -> None:
    path = str(tmp_path / "older.db")
    _, spanned = _stored_with_spans(path)
    body_of = {}
    with sqlite3.connect(path) as connection:  # as a version 2 file holds them: spans
        for reference_id, parsed in spanned.items():
            (packed,) = connection.execute(
                "SELECT document FROM cables WHERE reference_id = ?", [reference_id]
            ).fetchone()
            document = json.loads(unpack(packed))
            lean = lean_document(parsed)
            document.update({f: lean[f] for f in WHOLE_FIELDS if f in lean})
            connection.execute(
                "UPDATE cables SET document = ? WHERE reference_id = ?",
                [pack(dumps(document)), reference_id],
            )
            body_of[reference_id] = parsed.get("body")
        connection.execute("PRAGMA user_version = 2")
    connection.close()
    assert any(
        isinstance(document.get(field), dict)
        for document in _stored_documents(path).values()
        for field in WHOLE_FIELDS
    )
    reopened = open_store({"EMBEDDED_DB": path})  # brought up to version 4
    found = reopened.by_ids(list(spanned), ["summary", "comment"])
    stored = _stored_documents(path)
    for reference_id, parsed in spanned.items():
        for field in WHOLE_FIELDS:
            assert stored[reference_id].get(field) == parsed.get(field)
            assert found[reference_id].get(field) == parsed.get(field)
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    connection.close()
    reopened.close()


def test_a_span_written_into_a_newer_file_is_still_shown_whole(tmp_path) -> None:
    # a row written by older code into a version 4 file (a rolling upgrade): made whole on read
    path = str(tmp_path / "mixed.db")
    _, spanned = _stored_with_spans(path)
    reference_id, parsed = next(iter(spanned.items()))
    with sqlite3.connect(path) as connection:
        (packed,) = connection.execute(
            "SELECT document FROM cables WHERE reference_id = ?", [reference_id]
        ).fetchone()
        document = json.loads(unpack(packed))
        lean = lean_document(parsed)
        document.update({f: lean[f] for f in WHOLE_FIELDS if f in lean})
        connection.execute(
            "UPDATE cables SET document = ? WHERE reference_id = ?",
            [pack(dumps(document)), reference_id],
        )
    connection.close()
    store = open_store({"EMBEDDED_DB": path})
    found = store.by_ids([reference_id], ["summary", "comment"])[reference_id]
    assert {f: found.get(f) for f in WHOLE_FIELDS} == {f: parsed.get(f) for f in WHOLE_FIELDS}
    store.close()
