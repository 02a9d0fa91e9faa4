"""What every reader yields: one item per cable found in an upload, broken or not."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any


@dataclass(slots=True)
class Item:
    """One cable as read from an upload, before parsing.

    `data` is None when the item was broken at read time; `error` then says why. `name` is
    the file (or archive member) it came from and `line` the line where it starts, so
    that a rejected item can be found again.
    """

    data: bytes | str | None
    name: str | None = None
    line: int | None = None
    media_type: str = "text/plain"
    metadata: dict[str, Any] | None = None
    format: str = "auto"
    error: str | None = None

    @property
    def size(self) -> int:
        """Length of the data in bytes (UTF-8 for text)."""
        if self.data is None:
            return 0
        if isinstance(self.data, bytes):
            return len(self.data)
        return len(self.data.encode("utf-8", "surrogatepass"))

    def where(self) -> dict[str, Any]:
        """The item's file name and line number, for reports."""
        return {"file": self.name, "line": self.line}


def broken(error: str, *, name: str | None = None, line: int | None = None) -> Item:
    """An item that could not be read; it is reported as invalid, never parsed."""
    return Item(data=None, name=name, line=line, error=error)


def bounded_lines(stream: IO[bytes], limit: int) -> Iterator[bytes]:
    """The stream's lines, a line longer than `limit` coming in pieces: memory stays bounded."""
    return iter(lambda: stream.readline(limit + 1), b"")


# A UTF-16 surrogate alone in a Python string: JSON's "\ud800" decodes to one. It cannot be
# encoded as UTF-8, so a stored one breaks /raw, the exports and any real MongoDB write.
_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(value: Any, path: str = "") -> str | None:
    """Where the first lone surrogate in a string, list or mapping is (`text at character 12`,
    `metadata.subject at character 3`), else None."""
    if isinstance(value, str):
        found = _SURROGATE.search(value)
        return f"{path or 'text'} at character {found.start()}" if found else None
    if isinstance(value, dict):
        for key, inner in value.items():
            where = lone_surrogate(str(key), f"{path}.key" if path else "key")
            where = where or lone_surrogate(inner, f"{path}.{key}" if path else str(key))
            if where:
                return where
    elif isinstance(value, list | tuple):
        for index, inner in enumerate(value):
            where = lone_surrogate(inner, f"{path}[{index}]")
            if where:
                return where
    return None
