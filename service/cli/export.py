"""`cables export`: every stored cable (documents, raw inputs, versions) as NDJSON, to a file
or standard output (service.store.transfer says what the records are)."""

from __future__ import annotations

import argparse
import sys

from service.config import load_settings
from service.store.transfer import write_records


def command_export(args: argparse.Namespace) -> int:
    """Write the export; say how many records went out on standard error."""
    from service.store import open_store

    store = open_store(load_settings())
    if args.output is None or str(args.output) == "-":
        count = write_records(store.dump(), sys.stdout)
    else:
        with args.output.open("w", encoding="utf-8") as stream:
            count = write_records(store.dump(), stream)
    print(f"exported {count:,} records", file=sys.stderr)
    return 0
