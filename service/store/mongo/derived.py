"""Folded copies stored beside a MongoDB document, for index-friendly and exact matching.

`derived_fields(document)` is the one function computing them; the write path calls it for
every document it stores (adding, replacing, re-parsing, importing). They live under one key,
`folded`, never shown by the API:

- `folded.origin`: the value lower-cased, as the SQLite engine's `origin_folded` column
  holds it ("" when the cable has none, so that only documents stored without the copies lie
  in the index's null range);
- `folded.sender_words`: the FM line's folded words (service.query.fulltext.words), each
  once, matched by equality and by an anchored prefix (`^alm`) in an index;
- `folded.recipient_words`: each TO and INFO recipient once, as `{w: its folded words}`, so
  that the words of one `recipient` value are looked for in one recipient (`$elemMatch`);
- `folded.text`: `[subject, body]`, each as its folded words (service.query.fulltext.words)
  joined by single spaces and padded with one space at each end, so a term of `q` is found
  exactly where ` word word ` is a substring: whole words, in a row, whatever separated them
  in the text (line breaks, punctuation), case and accents folded.

Documents stored before these copies existed (no `folded` key, or one without the word copies)
are matched by regular expressions on the fields themselves (service.store.mongo.compile) until
`cables reparse --all` rewrites every document through this function.
"""

from __future__ import annotations

from typing import Any

from service.query import fulltext
from service.query.facets import leaf_values

FOLDED = "folded"
# Filter fields (as service.query.clauses names them) -> the folded copy they are matched on:
# equal to the lower-cased value (Folded), or holding its words (Words: the copy, and the key
# of each element holding one line's words when the copy is a list of lines).
FOLDED_COPIES: dict[tuple[str, ...], str] = {("origin",): f"{FOLDED}.origin"}
WORD_COPIES: dict[tuple[str, ...], tuple[str, str | None]] = {
    ("sender",): (f"{FOLDED}.sender_words", None),
    ("to.name", "info.name"): (f"{FOLDED}.recipient_words", "w"),
}
TEXT = f"{FOLDED}.text"
# The keys of `folded` every document written now has: one missing means an older document.
FOLDED_KEYS = ("origin", "sender_words", "recipient_words", "text")


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
        tuple(line_words(name))
        for field in ("to.name", "info.name")
        for name in leaf_values(document, field.split("."))
    ]
    texts = [document.get(field) for field in fulltext.TEXT_FIELDS]
    return {
        FOLDED: {
            "origin": folded("origin"),
            "sender_words": line_words(document.get("sender")),
            "recipient_words": [{"w": list(words)} for words in dict.fromkeys(recipients) if words],
            "text": [text_line(text) if isinstance(text, str) else " " for text in texts],
        }
    }


def line_words(value: Any) -> list[str]:
    """A line's folded words, each once (none for a missing value)."""
    return list(dict.fromkeys(fulltext.words(value))) if isinstance(value, str) else []


def with_derived(document: dict[str, Any]) -> dict[str, Any]:
    """The document with its folded copies (a new dict)."""
    return {**document, **derived_fields(document)}


def without_derived(document: dict[str, Any]) -> dict[str, Any]:
    """The document without its folded copies (as exports and versions hold it)."""
    document.pop(FOLDED, None)
    return document
