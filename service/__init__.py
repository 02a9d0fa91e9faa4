"""The cable archive service: a Flask app factory around a pure cable parser and a store
(SQLite embedded, or MongoDB)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from service.config import load_settings
from service.errors import register_error_handlers
from service.middleware import init_middleware


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create the app; settings come from the environment, overridden by `config`.

    `config["STORE"]` injects a ready store object (tests, benchmarks); otherwise one is
    opened from the settings (service.store.open_store: MONGO_URI's MongoDB, else the SQLite
    database EMBEDDED_DB).
    """
    app = Flask(__name__)
    # JSON keys in the order the store and views give them (documents in their stored order,
    # listings in the order of the fields asked for): Flask's default sorting took 6.2 of the
    # 7.9 ms that encoding a listing page of 20 cables cost (docs/benchmarks).
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config.update(load_settings())
    if config:
        app.config.update(config)
    init_middleware(app)  # first, so that start-up logs use the configured format

    from service import store
    from service.store.migrate import check_at_boot

    app.extensions["store"] = app.config.get("STORE") or store.open_store(
        app.config, logger=app.logger
    )
    check_at_boot(app.extensions["store"], app.logger)  # builds nothing on a shared store

    register_error_handlers(app)
    from service.ratelimit import init_rate_limits

    init_rate_limits(app)  # before the blueprints: a flood is refused before auth is checked
    from service.auth import guard_reads

    app.before_request(guard_reads)  # READ_TOKENS guards every read, of every blueprint

    from service.api import BLUEPRINTS

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app
