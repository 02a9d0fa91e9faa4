"""`cables reparse`: re-parse the stored cables that an older parser read (see
service.ingest.reparse), with a progress bar and a summary; --all re-parses every cable."""

from __future__ import annotations

import json
import sys

import click
from tqdm import tqdm

from service.cli.common import DONE, INTERRUPTED, REJECTED, CommandFailed
from service.cli.ingest import summary
from service.config import load_settings
from service.ingest.reparse import REPARSE_OUTCOMES, ReparseReport, reparse

EXAMPLES = """
\b
Examples:
  cables reparse                       # the cables an older parser read
  cables reparse --all                 # every cable, whatever its parser version
  cables reparse --all --after 07BERN881   # resume an interrupted --all
  cables reparse --json --quiet > reparse.json
"""


@click.command("reparse", short_help="Re-parse cables an older parser read.", epilog=EXAMPLES)
@click.option("--all", "everything", is_flag=True, help="Every cable, whatever its version.")
@click.option("--after", metavar="ID", help="Start after this reference id (resume --all).")
@click.option(
    "--batch-size", type=click.IntRange(min=1), help="Cables per batch (BULK_BATCH_SIZE)."
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts and failures as JSON.")
def reparse_command(
    everything: bool, after: str | None, batch_size: int | None, quiet: bool, as_json: bool
) -> int:
    """Parse again, from their stored text, the cables of the store.

    Exit status: 0 all re-parsed, 1 some failed (listed), 3 the store could not be reached,
    130 interrupted (the batches done are saved: run it again to continue).
    """
    from pymongo.errors import PyMongoError

    from service.store.errors import StoreError

    try:
        return run_reparse(everything, after, batch_size, quiet, as_json)
    except (PyMongoError, StoreError) as error:
        raise CommandFailed(f"cables reparse: the store failed: {error}") from None


def run_reparse(
    everything: bool, after: str | None, batch_size: int | None, quiet: bool, as_json: bool
) -> int:
    """Re-parse, print the counts and the failures; 1 when any failed, 130 when interrupted."""
    from service.parsing import PARSER_VERSION
    from service.store import open_store

    settings = load_settings()
    store = open_store(settings)
    store.ensure_indexes()  # a database older than the parser may lack newer indexes
    total = store.count_candidates(PARSER_VERSION, everything=everything)
    bar = tqdm(total=total, unit="cable", dynamic_ncols=True, disable=quiet, file=sys.stderr)
    latest = ReparseReport()

    def advance(report: ReparseReport, items: int) -> None:
        nonlocal latest
        latest = report
        bar.update(items)
        bar.set_postfix({key: value for key, value in report.counts.items() if value})

    try:
        latest = reparse(
            store,
            batch_size=batch_size or settings["BULK_BATCH_SIZE"],
            everything=everything,
            after=after,
            on_batch=advance,
        )
    except KeyboardInterrupt:
        bar.close()
        report(latest, as_json)
        again = f" --all --after {latest.last_id}" if everything and latest.last_id else ""
        click.echo(
            f"interrupted; the batches counted above are saved: run `cables reparse{again}`",
            err=as_json,
        )
        return INTERRUPTED
    bar.close()
    report(latest, as_json)
    return REJECTED if latest.counts["failed"] else DONE


def report(latest: ReparseReport, as_json: bool) -> None:
    """The counts then the failures, as lines or as one JSON object."""
    if as_json:
        counts = {**latest.counts, "total": latest.total}
        body = {"counts": counts, "failures": latest.failures, "last_id": latest.last_id}
        click.echo(json.dumps(body, ensure_ascii=False))
        return
    click.echo(summary(latest, REPARSE_OUTCOMES))
    for failure in latest.failures:
        click.echo(f"failed: {failure['reference_id']}: {failure['reason']}")
