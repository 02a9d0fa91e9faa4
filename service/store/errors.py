"""Errors a store raises whatever its engine."""

from __future__ import annotations


class StoreUnavailable(RuntimeError):
    """The store cannot answer now (a database file locked past its timeout...); temporary."""
