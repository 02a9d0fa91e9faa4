"""`cables import`: read an export of `cables export` (NDJSON) into the store the settings
name, whichever engine it is: how to move from the embedded file to MongoDB."""

from __future__ import annotations

import argparse
import sys

from service.config import load_settings
from service.store.transfer import read_records


def command_import(args: argparse.Namespace) -> int:
    """Load the export; print the counts; 1 when a cable was in conflict or a line was bad."""
    from service.store import open_store

    store = open_store(load_settings())
    store.ensure_indexes()
    try:
        if str(args.input) == "-":
            report = store.load(read_records(sys.stdin))
        else:
            with args.input.open(encoding="utf-8") as stream:
                report = store.load(read_records(stream))
    except ValueError as error:
        raise SystemExit(f"cables import: {args.input}: {error}") from None
    for name, count in report.counts.items():
        print(f"{name:>20} {count:,}")
    for reference_id in report.conflicts:
        print(f"conflict: {reference_id}: another text is stored under this id; left as it is")
    return 1 if report.conflicts else 0
