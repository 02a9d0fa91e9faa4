"""The Flask glue of the store: the app's store, opened once by the app factory."""

from __future__ import annotations

from flask import current_app

from service.store import Store
from service.store.queries import CableQueries


def get_store() -> Store:
    """The store of the current app."""
    store: Store = current_app.extensions["store"]
    return store


def get_queries() -> CableQueries:
    """The read queries of the current app's store."""
    return CableQueries(get_store())
