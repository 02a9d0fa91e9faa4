"""What the `cables` commands share: their exit statuses and the error that ends a command
which could not run (a missing path, a refused connection, a 401) with one line, not a
traceback."""

from __future__ import annotations

from typing import IO, Any

import click

# Exit statuses, the same for every command (README "Command line").
DONE = 0  # everything was stored (parsed, re-parsed)
REJECTED = 1  # the command ran, but some items were rejected (or failed to re-parse)
USAGE = 2  # the command line was wrong (click's own status for usage errors)
COULD_NOT_RUN = 3  # a path, the service or the store could not be reached or refused us
INTERRUPTED = 130  # the shell's status for a command stopped by Ctrl-C

# The reject reason written for the API names its query parameter; on the command line the
# same choice is the --replace flag.
API_REPLACE_HINT = "?replace=true"
CLI_REPLACE_HINT = "--replace"


class CommandFailed(click.ClickException):
    """The command could not run: printed as one line `cables <command>: <why>`, status 3."""

    exit_code = COULD_NOT_RUN

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.format_message(), err=True, file=file)


def cli_reason(reason: str | None) -> str | None:
    """A reject reason as the command line says it (`--replace`, not `?replace=true`)."""
    return reason.replace(API_REPLACE_HINT, CLI_REPLACE_HINT) if reason else reason
