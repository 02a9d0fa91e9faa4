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
