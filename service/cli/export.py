"""`cables export`: every stored cable (documents, raw inputs, versions) as NDJSON, to a file
or standard output (service.store.transfer says what the records are)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from service.cli.common import DONE
from service.config import load_settings
from service.store.transfer import write_records

EXAMPLES = """
\b
Examples:
  cables export -o cables.ndjson                 # the embedded store (data/cables.db)
  MONGO_URI=mongodb://db:27017 cables import cables.ndjson   # into MongoDB
"""


@click.command("export", short_help="Every stored cable as NDJSON.", epilog=EXAMPLES)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), help="File to write (default: stdout)."
)
def export_command(output: Path | None) -> int:
    """Write every stored cable (documents, raw inputs, versions) as NDJSON, to read back into
    any store with `cables import`; say on stderr how many records went out."""
    from service.store import open_store

    store = open_store(load_settings())
    if output is None or str(output) == "-":
        count = write_records(store.dump(), sys.stdout)
    else:
        with output.open("w", encoding="utf-8") as stream:
            count = write_records(store.dump(), stream)
    click.echo(f"exported {count:,} records", err=True)
    return DONE
