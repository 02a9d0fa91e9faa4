"""`cables`: ingest files into the store (directly or through a running service), re-parse
stored cables, parse one file, export and import the store, build its indexes (migrate), or
serve the API with gunicorn.
Built on click (which Flask ships); every command has --help with examples.

Exit statuses (service.cli.common): 0 everything stored, 1 some items rejected (or failed to
re-parse), 2 a wrong command line, 3 could not run (missing path, refused connection, 401),
130 interrupted.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from service.cli.common import INTERRUPTED
from service.cli.export import export_command
from service.cli.importing import import_command
from service.cli.ingest import ingest_command
from service.cli.migrate import migrate_command
from service.cli.parse import parse_command
from service.cli.reparse import reparse_command
from service.cli.serve import serve_command

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT, epilog="Run `cables COMMAND --help` for its examples.")
@click.version_option(package_name="cable-archive", prog_name="cables")
def cli() -> None:
    """Ingest, re-parse, parse and serve US diplomatic cables.

    \b
    Examples:
      cables parse samples/06ALMATY1457.txt --fields reference_id,subject
      cables ingest cables.csv --url http://127.0.0.1:8080 --token "$TOKEN"
      cables serve --samples

    Exit status: 0 everything stored, 1 some items rejected, 2 a wrong command line,
    3 could not run (missing path, refused connection, 401), 130 interrupted.
    """


for command in (
    ingest_command,
    reparse_command,
    parse_command,
    export_command,
    import_command,
    migrate_command,
    serve_command,
):
    cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `cables` command; its exit status (the console script exits with it)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        status = cli.main(args=args, prog_name="cables", standalone_mode=False)
    except click.ClickException as error:  # usage (2) and could-not-run (3) errors
        error.show()
        return error.exit_code
    except click.Abort:  # Ctrl-C outside a command's own handling
        click.echo("cables: interrupted", err=True)
        return INTERRUPTED
    # `--help` and `--version` return None; a command returns its status.
    return status if isinstance(status, int) else 0


if __name__ == "__main__":
    sys.exit(main())
