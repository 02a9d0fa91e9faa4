"""Settings: every one an environment variable, read when the app is created."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

# name -> (default, converter). The one settings table: README.md and .env.example list the
# same names with the same defaults, and tests/test_config.py holds them to it.
SETTINGS: dict[str, tuple[Any, Any]] = {
    "MONGO_URI": ("", str),  # empty: the embedded SQLite store (EMBEDDED_DB)
    "EMBEDDED_DB": ("data/cables.db", str),  # the SQLite file; ":memory:" keeps nothing
    "MONGO_DB": ("cables", str),
    "MONGO_TIMEOUT_MS": (30_000, int),  # every MongoDB operation's time limit (timeoutMS)
    "MONGO_ANALYTICS_READ_PREFERENCE": ("", str),  # exports and facets; empty: the URI's
    "API_TOKENS": ("", str),
    "READ_TOKENS": ("", str),
    "MAX_CABLE_BYTES": (5 * 1024 * 1024, int),
    "MAX_UPLOAD_BYTES": (2 * 1024 * 1024 * 1024, int),
    "BULK_BATCH_SIZE": (500, int),
    "BULK_BATCH_BYTES": (16 * 1024 * 1024, int),  # a batch also ends at this many cable bytes
    "MAX_UNPACKED_BYTES": (8 * 1024 * 1024 * 1024, int),  # cable bytes read from one upload
    "INGEST_PROCESSES": (1, int),  # parser processes per bulk upload; 1 parses in the request
    "LOG_FORMAT": ("text", str),
    "LOG_LEVEL": ("INFO", str),
    "CORS_ORIGINS": ("*", str),
    "TRUSTED_PROXIES": (0, int),  # proxies in front whose X-Forwarded-For/-Proto to believe
    "RATE_LIMIT": ("1200/minute;20000/hour", str),  # per client or token; "off" disables
    "RATE_LIMIT_STORAGE_URI": ("", str),  # empty: memory (embedded store), else MONGO_URI
    # Server settings: read by `cables serve` and the container's gunicorn command line.
    "HOST": ("127.0.0.1", str),
    "PORT": (8080, int),
    "WORKERS": (1, int),
    "THREADS": (8, int),
}


def load_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read every setting from `environ` (default: the process environment)."""
    environ = os.environ if environ is None else environ
    settings: dict[str, Any] = {}
    for name, (default, convert) in SETTINGS.items():
        raw = environ.get(name)
        if raw is None or raw == "":
            settings[name] = default
            continue
        try:
            settings[name] = convert(raw)
        except ValueError:
            raise ValueError(f"setting {name}={raw!r} is not a valid {convert.__name__}") from None
    return settings


def split_tokens(value: str) -> list[str]:
    """Split a comma-separated token list, dropping blanks."""
    return [token.strip() for token in value.split(",") if token.strip()]
