"""The MongoDB engine's dealings with the driver: one `bulk_write` read into what happened to
each operation, the driver's exceptions turned into the store's own (service.store.errors, so
that nothing above the store names pymongo), and read preferences by their setting's name.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pymongo import ReadPreference
from pymongo.errors import (
    BulkWriteError,
    ConnectionFailure,
    ExecutionTimeout,
    NetworkTimeout,
    PyMongoError,
    ServerSelectionTimeoutError,
    WriteConcernError,
)

from service.store.errors import StoreTimeout, StoreUnavailable, WriteNotDurable

NOT_DURABLE_REASON = (
    "written, but the write concern did not acknowledge it ({}): it may not be durable; "
    "upload it again to check"
)


@dataclass
class BulkResult:
    """What one unordered bulk_write did: how many replacements matched, the operations the
    server refused (by index: their error document), and the write concern error, if any
    (then every operation not refused was applied but may not be durable)."""

    matched: int = 0
    errors: dict[int, dict[str, Any]] = field(default_factory=dict)
    concern: str | None = None


def run_bulk(collection: Any, operations: list[Any]) -> BulkResult:
    """Run the operations unordered; refused operations and write concern errors are read
    from the driver's BulkWriteError, never raised."""
    if not operations:
        return BulkResult()
    try:
        return BulkResult(matched=collection.bulk_write(operations, ordered=False).matched_count)
    except BulkWriteError as error:
        details = error.details
        concern = details.get("writeConcernErrors") or []
        return BulkResult(
            matched=details.get("nMatched", 0),
            errors={problem["index"]: problem for problem in details.get("writeErrors", [])},
            concern=concern_message(concern[0]) if concern else None,
        )


def concern_message(problem: Mapping[str, Any]) -> str:
    """A write concern error in a few words."""
    return str(problem.get("errmsg") or problem.get("codeName") or "write concern error")


def store_error(error: PyMongoError) -> Exception:
    """The store's own error for a driver error (the error itself when it has none)."""
    if isinstance(error, WriteConcernError):
        return WriteNotDurable(NOT_DURABLE_REASON.format(concern_message(error.details or {})))
    if isinstance(error, ServerSelectionTimeoutError):  # no server to send it to
        return StoreUnavailable(f"no MongoDB server available: {error}")
    if isinstance(error, ExecutionTimeout | NetworkTimeout) or error.timeout:
        return StoreTimeout(f"the operation ran past its time limit: {error}")
    if isinstance(error, ConnectionFailure):
        return StoreUnavailable(f"MongoDB unreachable: {error}")
    return error


F = TypeVar("F", bound=Callable[..., Any])


def translating(method: F) -> F:
    """The method, raising the store's errors for the driver's (generators too, while they are
    iterated)."""
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def generator(*args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from method(*args, **kwargs)
            except PyMongoError as error:
                raise store_error(error) from error

        return generator  # type: ignore[return-value]

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except PyMongoError as error:
            raise store_error(error) from error

    return wrapper  # type: ignore[return-value]


C = TypeVar("C", bound=type)


def translate_driver_errors(cls: C) -> C:
    """Wrap every public method of the class (inherited ones too) with `translating`."""
    for name in dir(cls):
        if name.startswith("_"):
            continue
        member = inspect.getattr_static(cls, name)
        if inspect.isfunction(member):  # static methods are pure helpers: no driver call
            setattr(cls, name, translating(member))
    return cls


READ_PREFERENCES = {
    "primary": ReadPreference.PRIMARY,
    "primaryPreferred": ReadPreference.PRIMARY_PREFERRED,
    "secondary": ReadPreference.SECONDARY,
    "secondaryPreferred": ReadPreference.SECONDARY_PREFERRED,
    "nearest": ReadPreference.NEAREST,
}


def read_pref_mode(name: str) -> Any:
    """The read preference a setting names (MongoDB's own spelling); ValueError otherwise."""
    if name not in READ_PREFERENCES:
        raise ValueError(f"MONGO_ANALYTICS_READ_PREFERENCE must be one of {list(READ_PREFERENCES)}")
    return READ_PREFERENCES[name]
