"""Folded copies stored beside a MongoDB document, for index-friendly and exact matching.

`derived_fields(document)` is the one function computing them; the write path calls it for
every document it stores (adding, replacing, re-parsing, importing). They live under one key,
`folded`, never shown by the API:

- `folded.origin`, `folded.sender`: the value lower-cased, as the SQLite engine's
  `origin_folded`/`sender_folded` columns hold it ("" when the cable has none, so that only
  documents stored without the copies lie in the index's null range);
- `folded.recipients`: every TO and INFO name lower-cased, each once;
- `folded.text`: `[subject, body]`, each as its folded words (service.query.fulltext.words)
  joined by single spaces and padded with one space at each end, so a term of `q` is found
  exactly where ` word word ` is a substring: whole words, in a row, whatever separated them
  in the text (line breaks, punctuation), case and accents folded.

Documents stored before these copies existed have no `folded` key; the compiled filters match
them by the old regular expressions (service.store.mongo.compile) until `cables reparse --all`
rewrites every document through this function.
"""

from __future__ import annotations

from typing import Any

from service.query import fulltext
from service.query.facets import leaf_values

FOLDED = "folded"
# Filter fields (as service.query.clauses names them) -> the folded copy they are matched on.
FOLDED_COPIES: dict[tuple[str, ...], str] = {
    ("origin",): f"{FOLDED}.origin",
    ("sender",): f"{FOLDED}.sender",
    ("to.name", "info.name"): f"{FOLDED}.recipients",
}
TEXT = f"{FOLDED}.text"


def fold_value(value: str) -> str:
    """A metadata value as its folded copy holds it (and as a filter value is compared)."""
    return value.lower()


def text_line(text: str) -> str:
    """A text as its folded words, single spaces between and around them."""
    found = fulltext.words(text)
    return " " + " ".join(found) + " " if found else " "


def term_line(term: str) -> str:
    """A term of `q` as the substring of a text line that finds it."""
    return " " + " ".join(fulltext.words(term)) + " "


def derived_fields(document: dict[str, Any]) -> dict[str, Any]:
    """The folded copies of a document (the parser's output), under `folded`."""

    def folded(field: str) -> str | None:
        value = document.get(field)
        return fold_value(value) if isinstance(value, str) else ""

    recipients = [
        fold_value(name)
        for field in ("to.name", "info.name")
        for name in leaf_values(document, field.split("."))
        if isinstance(name, str)
    ]
    texts = [document.get(field) for field in fulltext.TEXT_FIELDS]
    return {
        FOLDED: {
            "origin": folded("origin"),
            "sender": folded("sender"),
            "recipients": list(dict.fromkeys(recipients)),
            "text": [text_line(text) if isinstance(text, str) else " " for text in texts],
        }
    }


def with_derived(document: dict[str, Any]) -> dict[str, Any]:
    """The document with its folded copies (a new dict)."""
    return {**document, **derived_fields(document)}


def without_derived(document: dict[str, Any]) -> dict[str, Any]:
    """The document without its folded copies (as exports and versions hold it)."""
    document.pop(FOLDED, None)
    return document
