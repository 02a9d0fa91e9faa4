"""Parsing a batch on several cores: parsing costs far more than reading or storing a cable.

The worker processes are started with `forkserver`, not forked from the server: a threaded
gunicorn worker must not fork (another thread may hold a lock the child would inherit). One
pool per process is created on first use and reused by every upload.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from service.ingest.items import Item

_pools: dict[int, ProcessPoolExecutor] = {}
_pools_lock = threading.Lock()

# What a worker sends back for one item: ("ok", document) or ("invalid"/"crash", reason).
Parsed = tuple[str, Any]


def parse_in_worker(data: bytes | str, format: str, metadata: dict[str, Any] | None) -> Parsed:
    """Parse one cable in a worker process; errors come back as values, never raised."""
    from service.parsing import CableParseError, parse_cable

    try:
        return "ok", parse_cable(data, format=format, metadata=metadata)
    except CableParseError as error:
        return "invalid", str(error)
    except Exception as error:  # a parser bug on one item must not lose the others
        return "crash", f"parser failed: {type(error).__name__}"


def parse_chunk(chunk: list[tuple[Any, str, dict[str, Any] | None]]) -> list[Parsed]:
    """Parse several items in one round trip to a worker."""
    return [parse_in_worker(data, format, metadata) for data, format, metadata in chunk]


def pool(processes: int) -> ProcessPoolExecutor:
    """This process's pool of `processes` parser workers, started on first use."""
    with _pools_lock:
        if processes not in _pools:
            context = multiprocessing.get_context("forkserver")
            _pools[processes] = ProcessPoolExecutor(processes, mp_context=context)
        return _pools[processes]


def submit_batch(items: list[Item], processes: int) -> list[tuple[list[int], Future[Any]]]:
    """Start parsing the batch's parseable items in `processes` chunks; join with `results`."""
    parseable = [index for index, item in enumerate(items) if item.data is not None]
    size = max(1, -(-len(parseable) // (processes * 2)))  # two chunks per worker: balance
    jobs = []
    executor = pool(processes)
    for start in range(0, len(parseable), size):
        indexes = parseable[start : start + size]
        chunk = [(items[i].data, items[i].format, items[i].metadata) for i in indexes]
        jobs.append((indexes, executor.submit(parse_chunk, chunk)))
    return jobs


def results(jobs: list[tuple[list[int], Future[Any]]]) -> dict[int, Parsed]:
    """Wait for a submitted batch: item index -> what its worker sent back."""
    parsed: dict[int, Parsed] = {}
    for indexes, future in jobs:
        parsed.update(zip(indexes, future.result(), strict=True))
    return parsed


def shutdown() -> None:
    """Stop every pool of this process (tests, clean exits)."""
    with _pools_lock:
        for executor in _pools.values():
            executor.shutdown(cancel_futures=True)
        _pools.clear()
