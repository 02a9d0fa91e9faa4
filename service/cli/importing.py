"""`cables import`: read an export of `cables export` (NDJSON) into the store the settings
name, whichever engine it is: how to move from the embedded file to MongoDB."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from service.cli.common import DONE, REJECTED, CommandFailed
from service.config import load_settings
from service.store.transfer import read_records

EXAMPLES = """
\b
Examples:
  MONGO_URI=mongodb://db:27017 cables import cables.ndjson
  cables export | EMBEDDED_DB=copy.db cables import -
"""


@click.command("import", short_help="Read an export into the store.", epilog=EXAMPLES)
@click.argument("input_", metavar="FILE", type=click.Path(path_type=Path))
def import_command(input_: Path) -> int:
    """Load an export of `cables export` (or - for stdin) into the store; print the counts.

    Exit status: 0 all loaded, 1 a cable was in conflict (another text stored under its id:
    left as it is), 3 the file is missing or not an export.
    """
    from service.store import open_store

    if str(input_) != "-" and not input_.exists():
        raise CommandFailed(f"cables import: {input_}: no such file")
    store = open_store(load_settings())
    store.ensure_indexes()
    try:
        if str(input_) == "-":
            report = store.load(read_records(sys.stdin))
        else:
            with input_.open(encoding="utf-8") as stream:
                report = store.load(read_records(stream))
    except ValueError as error:
        raise CommandFailed(f"cables import: {input_}: {error}") from None
    for name, count in report.counts.items():
        click.echo(f"{name:>20} {count:,}")
    for reference_id in report.conflicts:
        click.echo(f"conflict: {reference_id}: another text is stored under this id; left as it is")
    return REJECTED if report.conflicts else DONE
