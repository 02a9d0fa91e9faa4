"""`cables serve`: the API under gunicorn, with the worker settings of service.server."""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from pathlib import Path

from flask import Flask
from gunicorn.app.base import BaseApplication

from service.cli.ingest import ingest_paths
from service.config import load_settings
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
        from service.store import open_store

        self.settings = load_settings()
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
        log.warning("loaded at start-up: %s", json.dumps(report.counts))
        if not self.private:
            store.close()


def command_serve(args: argparse.Namespace) -> int:
    """`cables serve`: run the API under gunicorn."""
    settings = load_settings()
    application = ServiceApplication(
        host=args.host or settings["HOST"],
        port=args.port or settings["PORT"],
        workers=args.workers or settings["WORKERS"],
        threads=args.threads or settings["THREADS"],
        load=[*args.load, *([samples_path()] if args.samples else [])],
    )
    application.run()
    return 0
