"""`cables ingest`: files, folders, cables.csv and archives into the store (the SQLite file
EMBEDDED_DB, or MONGO_URI's MongoDB; parsed here), or through a running service (`--url`,
service.client), with a progress bar, a summary naming the first rejects, and a JSON report
on request."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import click
from tqdm import tqdm

from service.cli.common import (
    DONE,
    REJECTED,
    CommandFailed,
    cli_reason,
)
from service.config import load_settings
from service.ingest import BulkReport, Limits, ingest, read_paths
from service.ingest.entries import CONFLICT, INVALID, OUTCOMES
from service.ingest.readers import files_under

REJECTED_OUTCOMES = (INVALID, CONFLICT)
REJECTS_SHOWN = 5  # rejects named under the summary; --rejects FILE writes them all


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
    paths: Sequence[Path],
    settings: dict[str, Any],
    progress: Progress,
    *,
    batch_size: int | None,
    replace: bool,
    processes: int,
) -> BulkReport:
    """Parse locally and write straight into the store the settings name."""
    from pymongo.errors import PyMongoError

    from service.store import open_store
    from service.store.errors import StoreError

    try:
        store = open_store(settings)
        store.ensure_indexes()
        return ingest_paths(
            paths,
            store,
            settings,
            batch_size or settings["BULK_BATCH_SIZE"],
            replace,
            progress,
            processes,
        )
    except (PyMongoError, StoreError) as error:  # the server is away, the file locked
        raise CommandFailed(f"cables ingest: the store failed: {error}") from None


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


def ingest_http(
    paths: Sequence[Path], url: str, token: str | None, replace: bool, quiet: bool
) -> BulkReport:
    """Send the files to a running service (service.client): containers whole, streamed,
    cable files in multipart batches; the bar counts the bytes sent."""
    from service.client import Client, ServiceError

    total = sum(file.stat().st_size for path in paths for file in files_under(path))
    bar = tqdm(
        total=total,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        dynamic_ncols=True,
        disable=quiet,
        file=sys.stderr,
    )

    def sent(done: int, _total: int) -> None:
        bar.update(done - bar.n)

    try:
        result = Client(url, token).upload(paths, replace=replace, progress=sent)
    except ServiceError as error:
        raise CommandFailed(f"cables ingest: {error}") from None
    finally:
        bar.close()
    report = BulkReport()
    report.counts.update({key: result["counts"].get(key, 0) for key in OUTCOMES})
    report.items.extend(result["items"])
    return report


def summary(report: Any, outcomes: Sequence[str] = OUTCOMES) -> str:
    """One line per outcome (of an ingest, or a re-parse), then the total."""
    lines = [f"{outcome:>10}  {report.counts[outcome]:>9,}" for outcome in outcomes]
    return "\n".join([*lines, f"{'total':>10}  {report.total:>9,}"])


def rejected_items(report: BulkReport) -> list[dict[str, Any]]:
    """The items rejected (invalid, conflict), in the order read."""
    return [item for item in report.items if item["outcome"] in REJECTED_OUTCOMES]


def rejects_preview(report: BulkReport, rejects_file: Path | None) -> str:
    """The first rejects, one line each, and where the rest are (or would be) written."""
    rejected = rejected_items(report)
    if not rejected:
        return ""
    lines = [f"rejected {len(rejected):,}:"]
    for item in rejected[:REJECTS_SHOWN]:
        where = item["file"] or "(request body)"
        if item["line"]:
            where += f":{item['line']}"
        lines.append(f"  {item['outcome']:<8} {where}: {item['reason']}")
    if rejects_file:
        lines.append(f"{len(rejected)} rejected item(s) written to {rejects_file}")
    elif len(rejected) > REJECTS_SHOWN:
        more = len(rejected) - REJECTS_SHOWN
        lines.append(f"  ... and {more:,} more: --rejects FILE writes them all as JSON lines")
    else:
        lines.append("  (--rejects FILE writes them as JSON lines)")
    return "\n".join(lines)


def write_rejects(report: BulkReport, path: Path) -> int:
    """Write the rejected items (invalid, conflict) as JSON lines; how many there were."""
    rejected = rejected_items(report)
    with path.open("w", encoding="utf-8") as out:
        for item in rejected:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return len(rejected)


def announce_destination(url: str | None, settings: dict[str, Any]) -> None:
    """Say on stderr, before anything is read, where the cables go; loudly when nowhere lasting
    (an in-memory store lives only as long as this command). With --url, the command line says."""
    if url:
        return  # the command line names the place
    from service.store import store_place

    place, lasting = store_place(settings)
    if not lasting:
        click.secho(
            f"cables ingest: the cables go into {place}, which is gone when this command ends. "
            "Leave EMBEDDED_DB unset (data/cables.db) or set MONGO_URI to keep them, or send "
            "them to a running service with --url URL --token TOKEN.",
            err=True,
            fg="yellow",
            bold=True,
        )
    else:
        click.echo(f"cables ingest: storing into {place}", err=True)


def check_paths(paths: Sequence[Path], rejects: Path | None) -> None:
    """Refuse, before any work, paths that do not exist and a rejects file with no folder."""
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise CommandFailed(f"cables ingest: no such file or folder: {', '.join(missing)}")
    if rejects and not rejects.resolve().parent.is_dir():
        raise CommandFailed(f"cables ingest: no folder for the rejects file: {rejects}")


EXAMPLES = """
\b
Examples:
  cables ingest cables.csv                        # into the store (data/cables.db), parsed here
  cables ingest cables/ --processes 2 --rejects rejects.ndjson
  cables ingest cables.csv --url http://127.0.0.1:8080 --token "$TOKEN"
  cables ingest dump.zip --url "$URL" --token "$TOKEN" --replace --json > report.json
"""


@click.command(
    "ingest",
    short_help="Load files, folders, cables.csv and archives.",
    epilog=EXAMPLES,
)
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH..."
)
@click.option("--url", help="A running service to send to (else straight into the store).")
@click.option("--token", help="The write token for --url.")
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write every rejected item here (JSON lines).",
)
@click.option("--replace", is_flag=True, help="Replace stored cables whose text differs.")
@click.option(
    "--batch-size", type=click.IntRange(min=1), help="Cables per batch (BULK_BATCH_SIZE)."
)
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Parser processes in direct mode.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the report as JSON (the API's bulk response: counts and items).",
)
def ingest_command(
    paths: tuple[Path, ...],
    url: str | None,
    token: str | None,
    rejects: Path | None,
    replace: bool,
    batch_size: int | None,
    processes: int,
    quiet: bool,
    as_json: bool,
) -> int:
    """Ingest cables from PATH... (files, folders, cables.csv, zip/tar archives).

    Straight into the store (EMBEDDED_DB's SQLite file, or MONGO_URI; parsed here), or
    through a running service with --url. Exit status: 0 every item stored or unchanged,
    1 some items rejected (invalid or conflict; the first few are named under the summary),
    3 could not run.
    """
    settings = load_settings()
    check_paths(paths, rejects)
    announce_destination(url, settings)
    if url:
        report = ingest_http(paths, url, token, replace, quiet)
    else:
        total_bytes = sum(file.stat().st_size for path in paths for file in files_under(path))
        progress = Progress(total_bytes, enabled=not quiet)
        try:
            report = ingest_direct(
                paths,
                settings,
                progress,
                batch_size=batch_size,
                replace=replace,
                processes=processes,
            )
        finally:
            progress.close()
    for item in report.items:
        item["reason"] = cli_reason(item["reason"])
    if rejects:
        write_rejects(report, rejects)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        click.echo(summary(report))
        preview = rejects_preview(report, rejects)
        if preview:
            click.echo(preview)
    return REJECTED if any(report.counts[outcome] for outcome in REJECTED_OUTCOMES) else DONE
