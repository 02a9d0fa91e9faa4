"""`cables migrate`: build the store's indexes (MongoDB) or create and upgrade its schema
(SQLite), and say what was built. The container's entrypoint runs it before gunicorn; a
worker's boot only checks (service.store.migrate)."""

from __future__ import annotations

import click

from service.cli.common import DONE, REJECTED, CommandFailed
from service.config import load_settings

EXAMPLES = """
\b
Examples:
  MONGO_URI=mongodb://db1,db2,db3/?replicaSet=rs0 cables migrate
  cables migrate                     # the embedded store: data/cables.db (EMBEDDED_DB)
"""


@click.command("migrate", short_help="Build the store's indexes.", epilog=EXAMPLES)
def migrate_command() -> int:
    """Build the indexes the store lacks (MongoDB: with no time limit, as a text index on a
    large collection takes long; SQLite: create or upgrade the schema); print what was built
    and what is present.

    Exit status: 0 every index built, 1 an index is still building or differs from the
    service's (left as it is: drop it and run again), 3 the store could not be reached.
    """
    from service.store.errors import StoreError
    from service.store.migrate import migrate

    try:
        migration = migrate(load_settings())
    except (StoreError, ValueError) as error:
        raise CommandFailed(f"cables migrate: {error}") from None
    for line in migration.lines:
        click.echo(line)
    return DONE if migration.complete else REJECTED
