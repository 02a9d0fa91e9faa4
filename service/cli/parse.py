"""`cables parse FILE`: print one file's document as JSON (without `raw` unless asked for)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from service.cli.common import DONE, REJECTED, CommandFailed
from service.parsing.formats import FORMATS

HIDDEN_BY_DEFAULT = ("raw",)  # the input itself: the file the user already has

EXAMPLES = """
\b
Examples:
  cables parse samples/06ALMATY1457.txt
  cables parse 07BERN881.html --fields reference_id,subject,tags
  cables parse row.csv --format csv-row --fields reference_id,raw
"""


def split_fields(
    _context: click.Context, _parameter: click.Parameter, value: str | None
) -> list[str] | None:
    """`--fields a,b` as a list of names."""
    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise click.BadParameter("name at least one key, as in --fields reference_id,subject")
    return names


@click.command("parse", short_help="Print one file's document as JSON.", epilog=EXAMPLES)
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "format_",
    type=click.Choice(["auto", *FORMATS]),
    default="auto",
    show_default=True,
    help="Force an input form (docs/document.md describes them).",
)
@click.option(
    "--fields",
    callback=split_fields,
    metavar="A,B",
    help="Print only these keys (`raw`, the input text, only when named here).",
)
def parse_command(file: Path, format_: str, fields: list[str] | None) -> int:
    """Parse FILE and print its document as JSON.

    Exit status: 0 parsed, 1 not a cable (the reason on stderr), 2 an unknown key in
    --fields or format, 3 the file could not be read.
    """
    from service.parsing import CableParseError, parse_cable

    try:
        data = file.read_bytes()
    except OSError as error:
        raise CommandFailed(f"cables parse: {file}: {error.strerror or error}") from None
    try:
        document = parse_cable(data, format=format_)
    except CableParseError as error:
        click.echo(f"cables parse: {file}: not a cable: {error}", err=True)
        return REJECTED
    if fields is None:
        shown = {key: value for key, value in document.items() if key not in HIDDEN_BY_DEFAULT}
    else:
        unknown = [name for name in fields if name not in document]
        if unknown:
            known = ", ".join(sorted(document))
            message = f"unknown key(s) {', '.join(unknown)}; the document has: {known}"
            raise click.BadParameter(message, param_hint="--fields")
        shown = {name: document[name] for name in fields}
    click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
    return DONE
