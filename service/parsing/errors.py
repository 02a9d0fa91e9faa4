"""The parser's one exception."""

from __future__ import annotations


class CableParseError(ValueError):
    """The input is not a cable at all (empty, binary, or without any cable structure)."""
