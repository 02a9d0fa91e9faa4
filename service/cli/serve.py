"""`cables serve`: the API under gunicorn, with the worker settings of service.server."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import click
from flask import Flask
from gunicorn.app.base import BaseApplication

from service.cli.common import DONE, CommandFailed
from service.cli.ingest import ingest_paths
from service.config import load_settings
from service.middleware import configure_logging
from service.server import SERVER_LIMITS
from service.shipped import samples_path
from service.store.protocols import Store

log = logging.getLogger("service.cli")


class ServiceApplication(BaseApplication):
    """gunicorn running the service, its workers sharing the store (the SQLite file or the
    MongoDB server).

    With `load`, the folders are ingested once at start-up, in the master process, before
    gunicorn forks the workers; cables already stored with the same text are left as they
    are, so a restart loads nothing twice. A store that lives in one process (`:memory:`)
    is loaded into the app the single worker then inherits.
    """

    def __init__(
        self, *, host: str, port: int, workers: int, threads: int, load: Sequence[Path] = ()
    ) -> None:
        self.settings = load_settings()
        # The service's log lines (this one's start-up lines included) at LOG_LEVEL, as the
        # app will log them.
        configure_logging(self.settings["LOG_FORMAT"], self.settings["LOG_LEVEL"])
        from service.store import open_store

        store = open_store(self.settings)
        self.private = not store.shared
        if self.private and workers > 1:
            log.warning("the store lives in this process only: serving with 1 worker")
            workers = 1
        self.options = {
            **SERVER_LIMITS,
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
        }
        self.app: Flask | None = None
        super().__init__()
        if load:
            self._load_at_start(list(load), store)
        elif not self.private:
            store.close()

    def load_config(self) -> None:
        """Hand our options to gunicorn."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        """The WSGI app: the one loaded at start-up, else a new one (in the worker)."""
        from service import create_app

        return self.app or create_app()

    def _load_at_start(self, paths: list[Path], store: Store) -> None:
        """Ingest the folders before serving."""
        from service import create_app

        if self.private:  # the worker inherits this app and its store
            self.app = create_app({"STORE": store})
        else:  # its own connection, closed before gunicorn forks
            store.ensure_indexes()
        report = ingest_paths(paths, store, self.settings, self.settings["BULK_BATCH_SIZE"])
        log.info("loaded at start-up: %s", json.dumps(report.counts))
        if not self.private:
            store.close()


EXAMPLES = """
\b
Examples:
  cables serve --samples                      # http://127.0.0.1:8080, the sample cables loaded
  cables serve --port 8081 --load cables/
  MONGO_URI=mongodb://127.0.0.1:27017 cables serve --host 0.0.0.0 --workers 4
"""


@click.command("serve", short_help="Serve the API with gunicorn.", epilog=EXAMPLES)
@click.option("--host", help="Bind address (HOST, default 127.0.0.1).")
@click.option("--port", type=click.IntRange(0, 65535), help="Port (PORT, default 8080).")
@click.option(
    "--workers", type=click.IntRange(min=1), help="Processes (WORKERS; 1 on an in-memory store)."
)
@click.option("--threads", type=click.IntRange(min=1), help="Threads per worker (THREADS).")
@click.option(
    "--load",
    "load",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Ingest these files or folders at start-up (repeatable).",
)
@click.option("--samples", is_flag=True, help="Ingest the sample cables shipped with the service.")
def serve_command(
    host: str | None,
    port: int | None,
    workers: int | None,
    threads: int | None,
    load: tuple[Path, ...],
    samples: bool,
) -> int:
    """Serve the API under gunicorn (settings from the environment, options first)."""
    missing = [str(path) for path in load if not path.exists()]
    if missing:
        raise CommandFailed(f"cables serve: no such file or folder: {', '.join(missing)}")
    settings = load_settings()
    application = ServiceApplication(
        host=host or settings["HOST"],
        port=port or settings["PORT"],
        workers=workers or settings["WORKERS"],
        threads=threads or settings["THREADS"],
        load=[*load, *([samples_path()] if samples else [])],
    )
    application.run()
    return DONE
