"""Errors a store raises whatever its engine (the API maps each to its status, in
service/errors.py); none of them names a driver."""

from __future__ import annotations


class StoreUnavailable(RuntimeError):
    """The store cannot answer now (a database file locked past its timeout, no MongoDB server
    selectable...); temporary."""


class StoreTimeout(RuntimeError):
    """An operation ran past the store's time limit (MONGO_TIMEOUT_MS) and was ended."""


class WriteNotDurable(RuntimeError):
    """A write was applied but not acknowledged by the write concern (a majority write that
    timed out...): it may not survive a failover, so it is never reported as done."""


class ChangedConcurrently(RuntimeError):
    """Other writers kept changing the cable under this operation; try again."""
