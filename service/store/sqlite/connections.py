"""Connections to the SQLite database: one per thread and process for a file (WAL lets
several gunicorn workers and their threads read while one writes), one shared under a lock
for `:memory:` (a second connection would see another, empty, database)."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from service.store.errors import StoreUnavailable
from service.store.sqlite.schema import WORDS_FUNCTION, folded_words_json

MEMORY = ":memory:"
BUSY_TIMEOUT_MS = 10_000  # how long a writer waits for another before giving up (503)


class Database:
    """The database file (or memory) and its connections."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.memory = path == MEMORY
        self._local = threading.local()
        self._lock = threading.RLock()
        self._shared: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path,
            isolation_level=None,  # transactions are begun explicitly (reading, writing)
            check_same_thread=not self.memory,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not self.memory:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")  # durable at checkpoints in WAL
        connection.execute("PRAGMA cache_size = -65536")  # 64 MiB of pages per connection
        connection.execute("PRAGMA temp_store = MEMORY")
        connection.create_function(WORDS_FUNCTION, 1, folded_words_json, deterministic=True)
        return connection

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (a fresh one after a fork)."""
        if self.memory:
            if self._shared is None:
                self._shared = self._open()
            return self._shared
        pid = os.getpid()
        if getattr(self._local, "pid", None) != pid:
            self._local.connection = self._open()
            self._local.pid = pid
        connection: sqlite3.Connection = self._local.connection
        return connection

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one read transaction (one snapshot for the whole read)."""
        with self._lock if self.memory else _nothing():
            connection = self.connection()
            if connection.in_transaction:  # a read inside a write: the same transaction
                yield connection
                return
            _run(connection, "BEGIN")
            try:
                yield connection
            finally:
                connection.execute("COMMIT")

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one write transaction, committed at the end (rolled back on
        an error); writers queue for up to BUSY_TIMEOUT_MS, then StoreUnavailable."""
        with self._lock if self.memory else _nothing():
            connection = self.connection()
            _run(connection, "BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            _run(connection, "COMMIT")

    def close(self) -> None:
        """Close this thread's connection (the shared one for memory)."""
        connection = self._shared if self.memory else getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
        self._shared = None
        self._local = threading.local()


def _run(connection: sqlite3.Connection, statement: str) -> None:
    """Run a transaction statement; a database busy past the timeout is StoreUnavailable."""
    try:
        connection.execute(statement)
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise StoreUnavailable(f"the database is busy: {error}") from error
        raise


@contextmanager
def _nothing() -> Iterator[None]:
    yield
