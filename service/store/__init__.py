"""The store package owns every MongoDB call: writes in `core`, reads in `queries`."""

from service.store.core import CableStore, get_store, open_store

__all__ = ["CableStore", "get_store", "open_store"]
