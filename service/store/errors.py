"""Errors a store raises whatever its engine (the API maps each to its status, in
service/errors.py); none of them names a driver."""

from __future__ import annotations


class StoreError(RuntimeError):
    """Any of the store's own errors below (a command that could not finish catches this)."""


class StoreUnavailable(StoreError):
    """The store cannot answer now (a database file locked past its timeout, no MongoDB server
    selectable...); temporary."""


class StoreTimeout(StoreError):
    """An operation ran past the store's time limit (MONGO_TIMEOUT_MS) and was ended."""


class WriteNotDurable(StoreError):
    """A write was applied but not acknowledged by the write concern (a majority write that
    timed out...): it may not survive a failover, so it is never reported as done."""


class ChangedConcurrently(StoreError):
    """Other writers kept changing the cable under this operation; try again."""
