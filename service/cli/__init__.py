"""`cables`: ingest files into the store (directly or through a running service), parse one
file, or serve the API with gunicorn.

    cables ingest PATH... [--url URL --token T] [--rejects FILE] [--replace]
    cables reparse [--all] [--after REFERENCE_ID] [--batch-size N]
    cables parse FILE [--format FORMAT]
    cables export [--output FILE]
    cables import FILE
    cables serve [--host 127.0.0.1 --port 8080 --workers N --threads N --load DIR... --samples]

`ingest` exits 1 when any item was rejected (invalid or conflict), 0 otherwise; `reparse`
exits 1 when any stored cable failed to re-parse, 130 when interrupted (run it again to
continue).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from service.cli.export import command_export
from service.cli.importing import command_import
from service.cli.ingest import command_ingest
from service.cli.parse import command_parse
from service.cli.reparse import command_reparse
from service.cli.serve import command_serve


def build_parser() -> argparse.ArgumentParser:
    """The `cables` command line."""
    parser = argparse.ArgumentParser(prog="cables", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    ingest_cmd = commands.add_parser("ingest", help="load files, folders, cables.csv, archives")
    ingest_cmd.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest_cmd.add_argument(
        "--url", help="a running service (else straight into the store: EMBEDDED_DB or MONGO_URI)"
    )
    ingest_cmd.add_argument("--token", help="write token for --url")
    ingest_cmd.add_argument("--rejects", type=Path, help="write rejected items here (JSON lines)")
    ingest_cmd.add_argument("--replace", action="store_true", help="replace differing texts")
    ingest_cmd.add_argument("--batch-size", type=int, help="cables per batch (BULK_BATCH_SIZE)")
    ingest_cmd.add_argument(
        "--processes", type=int, default=1, help="parser processes in direct mode (default 1)"
    )
    ingest_cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    ingest_cmd.set_defaults(run=command_ingest)

    reparse_cmd = commands.add_parser("reparse", help="re-parse cables an older parser read")
    reparse_cmd.add_argument("--all", action="store_true", help="every cable, whatever its version")
    reparse_cmd.add_argument("--after", metavar="ID", help="start after this id (resume --all)")
    reparse_cmd.add_argument("--batch-size", type=int, help="cables per batch (BULK_BATCH_SIZE)")
    reparse_cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    reparse_cmd.set_defaults(run=command_reparse)

    parse_cmd = commands.add_parser("parse", help="print one file's document as JSON")
    parse_cmd.add_argument("file", type=Path, metavar="FILE")
    parse_cmd.add_argument("--format", default="auto", help="force an input form")
    parse_cmd.set_defaults(run=command_parse)

    export_cmd = commands.add_parser("export", help="every stored cable as NDJSON")
    export_cmd.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    export_cmd.set_defaults(run=command_export)

    import_cmd = commands.add_parser("import", help="read an export into the store")
    import_cmd.add_argument("input", type=Path, metavar="FILE", help="an export, or - for stdin")
    import_cmd.set_defaults(run=command_import)

    serve_cmd = commands.add_parser("serve", help="serve the API with gunicorn")
    serve_cmd.add_argument("--host", help="bind address (HOST, default 127.0.0.1)")
    serve_cmd.add_argument("--port", type=int, help="port (PORT, default 8080)")
    serve_cmd.add_argument("--workers", type=int, help="processes (WORKERS)")
    serve_cmd.add_argument("--threads", type=int, help="threads per worker (THREADS)")
    serve_cmd.add_argument(
        "--load", type=Path, action="append", default=[], metavar="DIR", help="ingest at start-up"
    )
    serve_cmd.add_argument(
        "--samples", action="store_true", help="ingest the sample cables shipped with the service"
    )
    serve_cmd.set_defaults(run=command_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `cables` command; its exit status."""
    args = build_parser().parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
