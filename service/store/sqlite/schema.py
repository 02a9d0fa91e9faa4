"""The SQLite engine's tables, and a stored document's rows in them.

- `cables`: one row per cable; the filtered and sorted single values as columns (each leading
  an index that ends with the default sort), the text (`subject`, `body`, `header`) apart
  from the rest of the document (JSON, summary and comment whole in it), so a listing never
  reads the text. Body, header, paragraphs and document are zlib-compressed (`pack`), the
  subject is kept plain.
- `cable_values`: one row per value of each list field a filter or facet reads (tags,
  caveats, references...), indexed by (field, value).
- `cable_people`: the search words and sources of each participant and mentioned person,
  indexed by (list, kind, value), so `participant=` and `person=` are index look-ups; and, in
  the same shape, the folded words of the FM line (list `sender`) and of each TO and INFO
  recipient (list `recipients`, one `person` number per recipient), so `sender=` and
  `recipient=` are look-ups of whole words and of a word's beginning (WORD_LISTS).
- `cable_text`: FTS5 over subject and body, contentless (the text is stored once, in
  `cables`): the store adds a cable's words on insert and removes them, from the text it
  held, on delete.
- `raw_inputs`: each uploaded input once, by its SHA-256 (identical uploads share it).
- `cable_versions`: superseded documents, by reference id and digest.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from service.query.facets import FACETS, leaf_values
from service.query.fulltext import words
from service.store.lean import SPAN, SPAN_FIELDS, from_span, full_document, lean_document

# 2: the BOTH_FIELDS rows; 3: the WORD_LISTS rows; 4: summary and comment whole in `document`
# (WHOLE_FIELDS). An older file is brought up to date when opened (MIGRATIONS, REWRITES).
SCHEMA_VERSION = 4
RAW_COMPRESSION = 6  # zlib level: most of level 9's gain at a third of its time
DICTIONARY_BYTES = 32_768  # zlib's window: a longer preset dictionary is not used
TOKENIZER = "unicode61 remove_diacritics 2 tokenchars '_'"  # service.query.fulltext's words

# Single-valued fields filtered on, each a column; `*_folded` hold the lower-cased copy that
# case-insensitive filters compare with.
SCALAR_COLUMNS = (
    "created",
    "classification",
    "classification_level",
    "origin",
    "station",
    "precedence",
    "declassify_on",
    "parser_version",
)
FOLDED_COLUMNS = {"origin": "origin_folded", "sender": "sender_folded"}
# List fields (dotted paths) with a row per value in cable_values; FOLDED_VALUES lower-cased.
VALUE_FIELDS = (
    "tag_keys",
    "tags",
    "caveats",
    "handling",
    "references.id",
    "paragraphs.level",
    "participants.name",
    "mentioned.name",
)
FOLDED_VALUES = ("to.name", "info.name")
# A facet over two list fields counts a value once per cable naming it in either: the values
# a cable has in both get a row of their own (`persons.both`; rarely any), so that the facet
# is the two fields' counts less these, with no DISTINCT over every (value, cable).
BOTH_FIELDS = {f"{facet.name}.both": facet.fields for facet in FACETS if len(facet.fields) == 2}
PEOPLE_LISTS = ("participants", "mentioned")
# Filter fields (as service.query.clauses names them) matched by their words -> the list of
# cable_people holding the words of each of their lines.
WORD_LISTS = {("sender",): "sender", ("to.name", "info.name"): "recipients"}
# The SQL function giving a text's folded words as a JSON array (service.query.fulltext.words),
# registered on every connection (service.store.sqlite.connections) for MIGRATIONS.
WORDS_FUNCTION = "folded_words"
# Texts of the body kept whole in `document` rather than as spans of the body (lean.py): the
# default listing shows them, and reading the body (packed against the raw input) for them
# cost a listing page of 20 cables about a quarter of its reading time (docs/benchmarks).
WHOLE_FIELDS = SPAN_FIELDS
# Kept out of the document JSON: text columns, paragraphs (JSON of their own, read only when
# shown), and the raw input (in raw_inputs).
TEXT_COLUMNS = ("subject", "body", "header")
JSON_COLUMNS = ("paragraphs",)
RAW_FIELDS = ("raw", "raw_bytes")

DDL = f"""
CREATE TABLE IF NOT EXISTS cables (
    n INTEGER PRIMARY KEY,
    reference_id TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    created TEXT,
    classification TEXT,
    classification_level INTEGER,
    origin TEXT,
    origin_folded TEXT,
    station TEXT,
    sender_folded TEXT,
    precedence TEXT,
    declassify_on TEXT,
    parser_version TEXT,
    has_summary INTEGER NOT NULL DEFAULT 0,
    subject TEXT,
    body BLOB,
    header BLOB,
    paragraphs BLOB,
    document BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS cables_created ON cables (created, reference_id);
CREATE INDEX IF NOT EXISTS cables_level ON cables (classification_level, created, reference_id);
CREATE INDEX IF NOT EXISTS cables_classification ON cables (classification, created, reference_id);
CREATE INDEX IF NOT EXISTS cables_origin ON cables (origin_folded, created, reference_id);
CREATE INDEX IF NOT EXISTS cables_station ON cables (station, created, reference_id);
CREATE INDEX IF NOT EXISTS cables_precedence ON cables (precedence, created, reference_id);
CREATE INDEX IF NOT EXISTS cables_declassify_on ON cables (declassify_on);
CREATE INDEX IF NOT EXISTS cables_parser_version ON cables (parser_version);
-- the single-valued facets' columns, counted in one pass (service.store.sqlite.facets)
CREATE INDEX IF NOT EXISTS cables_facets ON cables (classification, created, origin);

CREATE TABLE IF NOT EXISTS cable_values (  -- the key is the look-up index itself
    field TEXT NOT NULL,
    value ANY NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (field, value, n)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cable_values_cable ON cable_values (n);

CREATE TABLE IF NOT EXISTS cable_people (  -- the key is the look-up index itself
    list TEXT NOT NULL,
    kind TEXT NOT NULL,  -- 'w': a search word, 's': a source
    value TEXT NOT NULL,
    n INTEGER NOT NULL,
    person INTEGER NOT NULL,
    PRIMARY KEY (list, kind, value, n, person)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cable_people_cable ON cable_people (n);

CREATE VIRTUAL TABLE IF NOT EXISTS cable_text USING fts5 (
    subject, body, content='', tokenize="{TOKENIZER}"
);
CREATE TRIGGER IF NOT EXISTS cables_deleted AFTER DELETE ON cables BEGIN
    DELETE FROM cable_values WHERE n = old.n;
    DELETE FROM cable_people WHERE n = old.n;
END;

CREATE TABLE IF NOT EXISTS raw_inputs (
    sha256 TEXT PRIMARY KEY,
    text BLOB NOT NULL,  -- the text read, UTF-8 (lone surrogates kept), zlib-compressed
    data BLOB            -- the bytes as uploaded, when not that text in UTF-8, zlib-compressed
);

CREATE TABLE IF NOT EXISTS cable_versions (
    id TEXT PRIMARY KEY,  -- reference_id@sha256
    reference_id TEXT NOT NULL,
    superseded_at TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cable_versions_reference_id
    ON cable_versions (reference_id, superseded_at);
"""
# What a file of an older version needs, by the version it moves to: run once, in one
# transaction, by SQLiteStore.ensure_indexes.
MIGRATIONS = {
    2: [
        (
            "INSERT OR IGNORE INTO cable_values (field, value, n)"
            " SELECT ?, p.value, p.n FROM cable_values p JOIN cable_values q"
            " ON q.field = ? AND q.value = p.value AND q.n = p.n WHERE p.field = ?",
            [both, second, first],
        )
        for both, (first, second) in BOTH_FIELDS.items()
    ],
    3: [
        (
            "INSERT OR IGNORE INTO cable_people (list, kind, value, n, person)"
            f" SELECT 'sender', 'w', j.value, c.n, 0 FROM cables c,"
            f" json_each({WORDS_FUNCTION}(c.sender_folded)) j WHERE c.sender_folded IS NOT NULL",
            [],
        ),
        (  # the lower-cased names of cable_values: the same words as the names themselves
            "INSERT OR IGNORE INTO cable_people (list, kind, value, n, person)"
            " SELECT 'recipients', 'w', j.value, r.n, r.item FROM"
            " (SELECT n, value, row_number() OVER (PARTITION BY n ORDER BY value) AS item"
            "  FROM (SELECT DISTINCT n, value FROM cable_values WHERE field IN (?, ?))) r,"
            f" json_each({WORDS_FUNCTION}(r.value)) j",
            list(FOLDED_VALUES),
        ),
    ],
}


def whole_span_texts(connection: Any) -> None:
    """Version 4: the summary and comment that `document` holds as spans of the body, made
    whole (WHOLE_FIELDS); the body is read only for the rows that have such spans."""
    after = 0
    while True:
        rows = connection.execute(
            "SELECT n, document FROM cables WHERE n > ? ORDER BY n LIMIT 1000", [after]
        ).fetchall()
        if not rows:
            return
        after = rows[-1][0]
        for n, packed in rows:
            document = json.loads(unpack(packed) or "{}")
            spans = [field for field in WHOLE_FIELDS if _is_span(document.get(field))]
            if not spans:
                continue
            body, packed_raw = connection.execute(
                "SELECT c.body, r.text FROM cables c LEFT JOIN raw_inputs r"
                " ON r.sha256 = c.sha256 WHERE c.n = ?",
                [n],
            ).fetchone()
            dictionary = stored_dictionary(packed_raw) if body and needs_dictionary(body) else None
            text = unpack(body, dictionary) or ""
            for field in spans:
                start, end = document[field][SPAN]
                document[field] = from_span(text[start:end])
            connection.execute(
                "UPDATE cables SET document = ? WHERE n = ?", [pack(dumps(document)), n]
            )


def _is_span(value: Any) -> bool:
    return isinstance(value, dict) and SPAN in value


# Rewrites of an older file's rows in Python, by the version they move to (after MIGRATIONS).
REWRITES = {4: [whole_span_texts]}

INSERT_CABLE = """
INSERT INTO cables (reference_id, sha256, created, classification, classification_level,
    origin, origin_folded, station, sender_folded, precedence, declassify_on, parser_version,
    has_summary, subject, body, header, paragraphs, document)
VALUES (:reference_id, :sha256, :created, :classification, :classification_level, :origin,
    :origin_folded, :station, :sender_folded, :precedence, :declassify_on, :parser_version,
    :has_summary, :subject, :body, :header, :paragraphs, :document)
"""


PACKED_COLUMNS = ("body", "header", "paragraphs", "document")


def pack(text: str | None, dictionary: bytes | None = None) -> bytes | None:
    """A text column as stored: UTF-8, zlib-compressed; with the cable's raw input as zlib's
    preset dictionary when one is given (body and header: see `raw_dictionary`)."""
    if text is None:
        return None
    if not dictionary:
        return zlib.compress(text.encode("utf-8"), RAW_COMPRESSION)
    compressor = zlib.compressobj(RAW_COMPRESSION, zdict=dictionary)
    return compressor.compress(text.encode("utf-8")) + compressor.flush()


def unpack(value: bytes | None, dictionary: bytes | None = None) -> str | None:
    """A stored text column back (the dictionary is needed when it was packed with one)."""
    if value is None:
        return None
    if not needs_dictionary(value):
        return zlib.decompress(value).decode("utf-8")
    if dictionary is None:
        raise ValueError("a text column packed against its raw input, read without it")
    decompressor = zlib.decompressobj(zdict=dictionary)
    return (decompressor.decompress(value) + decompressor.flush()).decode("utf-8")


def needs_dictionary(value: bytes) -> bool:
    """Whether a packed column was compressed with a preset dictionary (the FDICT bit of
    the zlib header, RFC 1950)."""
    return len(value) > 1 and bool(value[1] & 0x20)


def raw_dictionary(raw: str | None) -> bytes | None:
    """The preset dictionary of a cable's body and header: the first 32 KiB (zlib's window)
    of its raw input, which holds the same text. The body is then stored as little more than
    the differences (trailing spaces, page breaks), not as a second copy of the raw input's
    words: on 10,000 generated cables the `cables` table went from 63.7 to 32.8 MB and the
    file from 2.66 to 2.23 times the cables' text (docs/benchmarks/2026-12-08-store-100k.md)."""
    if not raw:
        return None
    return raw.encode("utf-8", "surrogatepass")[:DICTIONARY_BYTES]


def stored_dictionary(packed_raw: bytes | None) -> bytes | None:
    """The same dictionary from a raw_inputs row's packed text."""
    if packed_raw is None:
        return None
    decompressor = zlib.decompressobj()
    return decompressor.decompress(packed_raw, DICTIONARY_BYTES)[:DICTIONARY_BYTES] or None


def pack_raw(text: str, data: bytes | None) -> tuple[bytes, bytes | None]:
    """A raw input as raw_inputs keeps it: read only by /raw, re-parse and export, so
    compressed (about a quarter of its size)."""
    packed = zlib.compress(text.encode("utf-8", "surrogatepass"), RAW_COMPRESSION)
    return packed, zlib.compress(data, RAW_COMPRESSION) if data is not None else None


def unpack_raw(text: bytes, data: bytes | None) -> tuple[str, bytes | None]:
    """A raw input back from raw_inputs."""
    unpacked = zlib.decompress(text).decode("utf-8", "surrogatepass")
    return unpacked, zlib.decompress(data) if data is not None else None


def dumps(value: Any) -> str:
    """Compact JSON (non-ASCII as itself)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _scalar(value: Any) -> Any:
    """A column value: strings and numbers as they are, anything else as no value."""
    return value if isinstance(value, str | int | float) and not isinstance(value, bool) else None


def cable_row(document: dict[str, Any], dictionary: bytes | None = None) -> dict[str, Any]:
    """The `cables` row of a stored document (raw input left out: see raw_inputs; texts of
    the body as spans: service.store.lean; body and header packed against `dictionary`, the
    raw input's `raw_dictionary`, when given)."""
    has_summary = int(document.get("summary") not in (None, ""))
    whole = {field: document[field] for field in WHOLE_FIELDS if field in document}
    document = lean_document(document)
    rest = {
        key: whole.get(key, value)
        for key, value in document.items()
        if key not in TEXT_COLUMNS
        and key not in JSON_COLUMNS
        and key not in RAW_FIELDS
        and key != "_id"
    }
    row = {column: _scalar(document.get(column)) for column in SCALAR_COLUMNS}
    for field, column in FOLDED_COLUMNS.items():
        value = document.get(field)
        row[column] = value.lower() if isinstance(value, str) else None
    row.update(
        reference_id=document["reference_id"],
        sha256=document.get("sha256") or "",
        has_summary=has_summary,
        subject=document.get("subject"),
        body=pack(document.get("body"), dictionary),
        header=pack(document.get("header"), dictionary),
        paragraphs=pack(dumps(document["paragraphs"])) if "paragraphs" in document else None,
        document=pack(dumps(rest)),
    )
    return row


def value_rows(document: dict[str, Any]) -> list[tuple[str, Any]]:
    """(field, value) for every list value a filter or facet reads; each value once."""
    rows: list[tuple[str, Any]] = []
    for field in (*VALUE_FIELDS, *FOLDED_VALUES):
        found = leaf_values(document, field.split("."))
        values = [_scalar(value) for value in found]
        if field in FOLDED_VALUES:
            values = [value.lower() if isinstance(value, str) else value for value in values]
        rows.extend((field, value) for value in dict.fromkeys(values) if value is not None)
    for both, fields in BOTH_FIELDS.items():
        first, second = (
            {_scalar(value) for value in leaf_values(document, field.split("."))}
            for field in fields
        )
        rows.extend((both, value) for value in sorted(first & second, key=str) if value is not None)
    return rows


def people_rows(document: dict[str, Any]) -> list[tuple[str, str, str, int]]:
    """(list, kind, value, person index) for every search word and source of each person."""
    rows: list[tuple[str, str, str, int]] = []
    for list_name in PEOPLE_LISTS:
        for index, person in enumerate(document.get(list_name) or []):
            if not isinstance(person, dict):
                continue
            for kind, key in (("w", "search_words"), ("s", "sources")):
                for value in dict.fromkeys(person.get(key) or []):
                    if isinstance(value, str):
                        rows.append((list_name, kind, value, index))
    return rows


def word_rows(document: dict[str, Any]) -> list[tuple[str, str, str, int]]:
    """(list, 'w', word, line number) for every folded word of the FM line and of each TO and
    INFO recipient (a recipient named twice counts once)."""
    lines = {
        "sender": [document.get("sender")],
        "recipients": [
            name
            for field in FOLDED_VALUES
            for name in dict.fromkeys(leaf_values(document, field.split(".")))
        ],
    }
    rows: list[tuple[str, str, str, int]] = []
    for list_name, texts in lines.items():
        found = [tuple(dict.fromkeys(words(text))) for text in texts if isinstance(text, str)]
        for index, line in enumerate(dict.fromkeys(line for line in found if line)):
            rows.extend((list_name, "w", word, index) for word in line)
    return rows


def folded_words_json(text: str | None) -> str:
    """WORDS_FUNCTION: a text's folded words as a JSON array ([] for none)."""
    return json.dumps(words(text) if isinstance(text, str) else [])


def document_of(row: Any) -> dict[str, Any]:
    """A stored document back from its row: `document` with whichever text and JSON columns
    the row holds, texts stored as spans made whole when the row holds the body. A row with
    the body or header holds its raw input's packed text too (`raw_text`: the dictionary
    they were packed against, when they were)."""
    document: dict[str, Any] = json.loads(unpack(row["document"]) or "{}")
    columns = row.keys()
    dictionary = _row_dictionary(row, columns)
    for column in TEXT_COLUMNS:
        if column in columns:
            value = row[column]
            document[column] = unpack(value, dictionary) if column in PACKED_COLUMNS else value
    for column in JSON_COLUMNS:
        if column in columns and row[column] is not None:
            document[column] = json.loads(unpack(row[column]) or "null")
    return full_document(document) if "body" in columns else document


def _row_dictionary(row: Any, columns: list[str]) -> bytes | None:
    """The dictionary the row's body and header were packed against, if they were."""
    packed = [row[column] for column in ("body", "header") if column in columns]
    if not any(value is not None and needs_dictionary(value) for value in packed):
        return None
    return stored_dictionary(row["raw_text"]) if "raw_text" in columns else None
