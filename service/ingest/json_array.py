"""A bulk upload as one JSON array of `{"text": ..., "metadata": {...}}` objects (POST /cables
with application/json whose body is an array), read as a stream like NDJSON."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import IO, Any

from service.ingest.items import Item, broken
from service.ingest.readers import CHUNK_BYTES, JSON_OVERHEAD, Limits, json_value_item


def read_json_array(
    stream: IO[bytes], name: str | None, limits: Limits, depth: int = 0
) -> Iterator[Item]:
    """A JSON array of `{"text": ..., "metadata": {...}}` objects, decoded one element at a
    time (memory holds one element); an item's `line` is its position in the array, from 1.
    A body that stops being JSON ends the upload with one invalid item saying where."""
    elements = _JsonArrayElements(stream, limits.max_cable_bytes * JSON_OVERHEAD)
    number = 0
    try:
        for value in elements:
            number += 1
            yield json_value_item(value, name, number, limits)
    except ValueError as error:
        yield broken(f"not a JSON array of cable objects: {error}", name=name, line=number + 1)
    except RecursionError:
        yield broken("not JSON: nested too deeply", name=name, line=number + 1)


class _JsonArrayElements:
    """The values of a JSON array read from a byte stream in growing chunks: a value is decoded
    once the text holds all of it (json.JSONDecoder.raw_decode), so no more than one value,
    at most `max_value` characters, is held at a time."""

    _BLANK = " \t\r\n"

    def __init__(self, stream: IO[bytes], max_value: int) -> None:
        self._stream = stream
        self._max_value = max_value
        self._decode = codecs.getincrementaldecoder("utf-8")()
        self._text = ""
        self._ended = False

    def _more(self, at_least: int = CHUNK_BYTES) -> bool:
        """Read more text (as much again as is held, for large values); False at the end."""
        if self._ended:
            return False
        data = self._stream.read(max(at_least, CHUNK_BYTES))
        self._ended = not data
        self._text += self._decode.decode(data, final=self._ended)
        return not self._ended or bool(self._text)

    def _next_char(self) -> str:
        """The next character that is not blank, left in the text ("" at the end)."""
        while True:
            self._text = self._text.lstrip(self._BLANK)
            if self._text or not self._more():
                return self._text[:1]

    def __iter__(self) -> Iterator[Any]:
        if self._next_char() != "[":
            raise ValueError("the body does not start with [")
        self._text = self._text[1:]
        if self._next_char() == "]":
            return
        decoder = json.JSONDecoder()
        while True:
            self._next_char()
            while True:
                try:
                    value, end = decoder.raw_decode(self._text)
                except json.JSONDecodeError:
                    if len(self._text) > self._max_value:
                        too_long = f"an element longer than {self._max_value} characters"
                        raise ValueError(too_long) from None
                    if not self._more(len(self._text)):
                        if self._text.strip(self._BLANK):
                            raise
                        raise ValueError("the body ends before the array does") from None
                    continue
                if end < len(self._text) or self._ended:  # a number may go on in the next read
                    break
                self._more()
            self._text = self._text[end:]
            yield value
            separator = self._next_char()
            if separator == "]":
                self._text = self._text[1:]
                if self._next_char():
                    raise ValueError("text after the closing ]")
                return
            if not separator:
                raise ValueError("the body ends before the array does")
            if separator != ",":
                raise ValueError("expected , or ] after an element")
            self._text = self._text[1:]
