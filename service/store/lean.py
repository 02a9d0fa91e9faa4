"""Lean stored documents: a paragraph's text, the summary and the comment are stored as a span
of the body when the body holds them (the same words in the same order, only white space
between them differing), and made whole again on output. A stored document then holds its
body text once, not two or three times. (The SQLite engine keeps summary and comment whole
beside the spans of the paragraphs, so that a listing never reads the body:
service.store.sqlite.schema.WHOLE_FIELDS.)

`lean_paragraphs` runs at write time and keeps a paragraph's text as it is whenever the span
would not give back exactly that text, so materialising never changes what the parser wrote.
"""

from __future__ import annotations

import re
from typing import Any

SPAN = "span"  # [start, end) of the body, in characters
SPAN_FIELDS = ("summary", "comment")  # texts of the body stored as {"span": [start, end]}
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
_SPACE = re.compile(r"\s+")
MAX_TRIES = 5  # occurrences of a paragraph's first word tried before keeping its text


def from_span(text: str) -> str:
    """A paragraph's text from its span of the body: blocks kept apart by a blank line, the
    white space inside each made one space."""
    if _BLANK_LINE.search(text) is None:  # one block (most paragraphs): a third faster
        return " ".join(text.split())
    blocks = (" ".join(block.split()) for block in _BLANK_LINE.split(text))
    return "\n\n".join(block for block in blocks if block)


def lean_paragraphs(body: str | None, paragraphs: Any) -> Any:
    """The paragraphs to store: each text the body holds replaced by its span."""
    if not body or not isinstance(paragraphs, list):
        return paragraphs
    lean: list[Any] = []
    position = 0
    for paragraph in paragraphs:
        text = paragraph.get("text") if isinstance(paragraph, dict) else None
        span = _span(body, text, position) if isinstance(text, str) and text else None
        if span is None:
            lean.append(paragraph)
            continue
        position = span[1]
        lean.append({**{k: v for k, v in paragraph.items() if k != "text"}, SPAN: list(span)})
    return lean


def _span(body: str, text: str, start: int) -> tuple[int, int] | None:
    """Where the body holds the text from `start` on, if its span gives the text back."""
    words = text.split()
    first = body.find(words[0], start)
    for _ in range(MAX_TRIES):
        if first < 0:
            return None
        end = _words_end(body, words, first)
        if end is not None and from_span(body[first:end]) == text:
            return first, end
        first = body.find(words[0], first + 1)
    return None


def _words_end(body: str, words: list[str], position: int) -> int | None:
    """The end of the words in the body from `position`, white space between them, or None."""
    for index, word in enumerate(words):
        if index:
            space = _SPACE.match(body, position)
            if space is None:
                return None
            position = space.end()
        if not body.startswith(word, position):
            return None
        position += len(word)
    return position


def lean_document(document: dict[str, Any]) -> dict[str, Any]:
    """The document as stored: paragraph texts, summary and comment as spans of the body."""
    body = document.get("body")
    if not isinstance(body, str) or not body:
        return document
    lean = dict(document)
    if "paragraphs" in lean:
        lean["paragraphs"] = lean_paragraphs(body, lean["paragraphs"])
    for field in SPAN_FIELDS:
        text = lean.get(field)
        if isinstance(text, str) and text:
            span = _span(body, text, 0)
            if span is not None:
                lean[field] = {SPAN: list(span)}
    return lean


def full_document(document: dict[str, Any]) -> dict[str, Any]:
    """A stored document as the parser wrote it (its body is needed for the spans)."""
    body = document.get("body")
    if "paragraphs" in document:
        document["paragraphs"] = full_paragraphs(body, document["paragraphs"])
    for field in SPAN_FIELDS:
        value = document.get(field)
        if isinstance(value, dict) and SPAN in value:
            start, end = value[SPAN]
            document[field] = from_span((body or "")[start:end])
    return document


def needs_body(fields: list[str]) -> bool:
    """Whether showing these fields needs the body (spans into it)."""
    return any(field == "paragraphs" or field in SPAN_FIELDS for field in fields)


def full_paragraphs(body: str | None, paragraphs: Any) -> Any:
    """The paragraphs as the parser wrote them, texts made whole from their spans."""
    if not isinstance(paragraphs, list):
        return paragraphs
    full: list[Any] = []
    for paragraph in paragraphs:
        if isinstance(paragraph, dict) and SPAN in paragraph:
            start, end = paragraph[SPAN]
            rest = {key: value for key, value in paragraph.items() if key != SPAN}
            full.append({**rest, "text": from_span((body or "")[start:end])})
        else:
            full.append(paragraph)
    return full
