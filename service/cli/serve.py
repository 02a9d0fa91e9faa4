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

log = logging.getLogger("service.cli")


class ServiceApplication(BaseApplication):
    """gunicorn running the service; on the embedded store, one worker with threads.

    With `load`, the folders are ingested once at start-up, in the master process: on the
    embedded store the loaded app is then forked into the worker, so a restarted worker gets
    the loaded cables back (uploads since start-up live only in the worker that took them).
    """

    def __init__(
        self, *, host: str, port: int, workers: int, threads: int, load: Sequence[Path] = ()
    ) -> None:
        self.settings = load_settings()
        self.embedded = is_embedded(self.settings["MONGO_URI"])
        if self.embedded and workers > 1:
            log.warning("the embedded store lives in one process: serving with 1 worker")
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
            self._load_at_start(list(load))

    def load_config(self) -> None:
        """Hand our options to gunicorn."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        """The WSGI app: the one loaded at start-up, else a new one (in the worker)."""
        from service import create_app

        return self.app or create_app()

    def _load_at_start(self, paths: list[Path]) -> None:
        """Ingest the folders before serving."""
        from service import create_app
        from service.store import open_store

        if self.embedded:
            self.app = create_app()
            store = self.app.extensions["store"]
        else:  # a client of its own, closed before gunicorn forks
            store = open_store(self.settings["MONGO_URI"], self.settings["MONGO_DB"])
            store.ensure_indexes()
        report = ingest_paths(paths, store, self.settings, self.settings["BULK_BATCH_SIZE"])
        log.warning("loaded at start-up: %s", json.dumps(report.counts))
        if not self.embedded:
            store.db.client.close()


def is_embedded(uri: str) -> bool:
    """Whether MONGO_URI names the embedded in-process store."""
    return not uri or uri.startswith("mongomock://")


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
