"""`cables reparse`: re-parse the stored cables that an older parser read (see
service.ingest.reparse), with a progress bar and a summary; --all re-parses every cable."""

from __future__ import annotations

import argparse
import sys

from tqdm import tqdm

from service.cli.ingest import summary
from service.config import load_settings
from service.ingest.reparse import REPARSE_OUTCOMES, ReparseReport, reparse

INTERRUPTED = 130  # the shell's status for a command stopped by Ctrl-C


def command_reparse(args: argparse.Namespace) -> int:
    """Re-parse, print the counts and the failures; 1 when any failed, 130 when interrupted."""
    from service.parsing import PARSER_VERSION
    from service.store import open_store

    settings = load_settings()
    store = open_store(settings)
    store.ensure_indexes()  # a database older than the parser may lack newer indexes
    total = store.count_candidates(PARSER_VERSION, everything=args.all)
    bar = tqdm(total=total, unit="cable", dynamic_ncols=True, disable=args.quiet, file=sys.stderr)
    latest = ReparseReport()

    def advance(report: ReparseReport, items: int) -> None:
        nonlocal latest
        latest = report
        bar.update(items)
        bar.set_postfix({key: value for key, value in report.counts.items() if value})

    try:
        latest = reparse(
            store,
            batch_size=args.batch_size or settings["BULK_BATCH_SIZE"],
            everything=args.all,
            after=args.after,
            on_batch=advance,
        )
    except KeyboardInterrupt:
        bar.close()
        print(summary(latest, REPARSE_OUTCOMES))
        again = f" --all --after {latest.last_id}" if args.all and latest.last_id else ""
        print(f"interrupted; the batches counted above are saved: run `cables reparse{again}`")
        return INTERRUPTED
    bar.close()
    print(summary(latest, REPARSE_OUTCOMES))
    for failure in latest.failures:
        print(f"failed: {failure['reference_id']}: {failure['reason']}")
    return 1 if latest.counts["failed"] else 0
