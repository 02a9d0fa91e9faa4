"""`cables ingest`: files, folders, cables.csv and archives into the store (the SQLite file
EMBEDDED_DB, or MONGO_URI's MongoDB; parsed here), or through a running service (`--url`,
service.cli.client), with a progress bar."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm

from service.cli.client import http_requests, merge, sender
from service.config import load_settings
from service.ingest import BulkReport, Limits, ingest, read_paths
from service.ingest.entries import CONFLICT, INVALID, OUTCOMES
from service.ingest.readers import files_under

REJECTED = (INVALID, CONFLICT)


class CountingReader(io.RawIOBase):
    """A file whose bytes read are counted, for the progress estimate."""

    def __init__(self, stream: IO[bytes], counter: list[int]) -> None:
        self._stream = stream
        self._counter = counter

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._stream.seekable()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        self._counter[0] += len(data)
        return len(data)


class Progress:
    """A tqdm bar over items whose total is estimated from the bytes read so far."""

    def __init__(self, total_bytes: int, enabled: bool) -> None:
        self.total_bytes = max(total_bytes, 1)
        self.bytes_read = [0]
        self.bar = tqdm(unit="cable", dynamic_ncols=True, disable=not enabled, file=sys.stderr)

    def advance(self, report: BulkReport, items: int) -> None:
        """Count a batch; re-estimate the total (hence the ETA) from the share of bytes read."""
        done = report.total
        share = min(self.bytes_read[0] / self.total_bytes, 1.0)
        if share > 0:
            self.bar.total = max(done, round(done / share))
        self.bar.update(items)
        self.bar.set_postfix({key: report.counts[key] for key in OUTCOMES if report.counts[key]})

    def close(self) -> None:
        """Finish the bar."""
        self.bar.close()


def ingest_direct(
    args: argparse.Namespace, settings: dict[str, Any], progress: Progress
) -> BulkReport:
    """Parse locally and write straight into the store the settings name."""
    from service.store import open_store

    store = open_store(settings)
    store.ensure_indexes()
    batch_size = args.batch_size or settings["BULK_BATCH_SIZE"]
    return ingest_paths(
        args.paths, store, settings, batch_size, args.replace, progress, args.processes
    )


def ingest_paths(
    paths: Sequence[Path],
    store: Any,
    settings: dict[str, Any],
    batch_size: int,
    replace: bool = False,
    progress: Progress | None = None,
    processes: int = 1,
) -> BulkReport:
    """Parse every cable under the paths into the store, a batch at a time."""
    counter = progress.bytes_read if progress else [0]
    items = read_paths(
        paths,
        Limits(settings["MAX_CABLE_BYTES"]),
        lambda raw: io.BufferedReader(CountingReader(raw, counter)),
    )
    on_batch = progress.advance if progress else None
    return ingest(
        items,
        store,
        batch_size=batch_size,
        replace=replace,
        processes=processes,
        on_batch=on_batch,
    )


def ingest_http(args: argparse.Namespace, progress: Progress) -> BulkReport:
    """Send the files to a running service: containers whole, cable files in multipart batches."""
    report = BulkReport()
    send = sender(args.url.rstrip("/"), args.token, args.replace)
    for body, media_type, size in http_requests(args.paths):
        response = send(body, media_type)
        merge(report, response)
        progress.bytes_read[0] += size
        progress.advance(report, response["counts"].get("total", 0))
    return report


def summary(report: Any, outcomes: Sequence[str] = OUTCOMES) -> str:
    """One line per outcome (of an ingest, or a re-parse), then the total."""
    lines = [f"{outcome:>10}  {report.counts[outcome]:>9,}" for outcome in outcomes]
    return "\n".join([*lines, f"{'total':>10}  {report.total:>9,}"])


def write_rejects(report: BulkReport, path: Path) -> int:
    """Write the rejected items (invalid, conflict) as JSON lines; how many there were."""
    rejected = [item for item in report.items if item["outcome"] in REJECTED]
    with path.open("w", encoding="utf-8") as out:
        for item in rejected:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return len(rejected)


def command_ingest(args: argparse.Namespace) -> int:
    """`cables ingest`."""
    settings = load_settings()
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        raise SystemExit(f"cables ingest: no such file or folder: {', '.join(missing)}")
    total_bytes = sum(file.stat().st_size for path in args.paths for file in files_under(path))
    progress = Progress(total_bytes, enabled=not args.quiet)
    try:
        if args.url:
            report = ingest_http(args, progress)
        else:
            report = ingest_direct(args, settings, progress)
    finally:
        progress.close()
    print(summary(report))
    if args.rejects:
        count = write_rejects(report, args.rejects)
        print(f"{count} rejected item(s) written to {args.rejects}")
    return 1 if any(report.counts[outcome] for outcome in REJECTED) else 0
