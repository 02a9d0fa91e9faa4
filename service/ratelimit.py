"""Rate limits per client and per token (Flask-Limiter), announced in RateLimit-* headers.

`RATE_LIMIT` holds one or more limits (`1200/minute;20000/hour`) shared by every API route,
or `off`. A request carrying a known token is counted against that token wherever it comes
from; any other request (no token, or an unknown one: inventing tokens gains no fresh
budget) against its client address. Health probes are never limited.

Counters live in `RATE_LIMIT_STORAGE_URI`; when it is empty, in process memory on the
embedded store and in MongoDB (`MONGO_URI`, database `limits`) otherwise, so that every
worker and replica shares them. When that store fails, each process counts on its own until
it answers again (and a failure of the counting itself lets the request through, logged):
rate limiting must never be what takes the service down.
"""

from __future__ import annotations

import hashlib
import math
import time

from flask import Flask, Response, request
from flask_limiter import Limiter, RateLimitExceeded, RequestLimit

from service.auth import bearer_token, token_matches
from service.config import split_tokens
from service.errors import problem

OFF_VALUES = frozenset({"off", "none", "0", "false", "no"})
MEMORY_STORAGE = "memory://"
COUNTER_STORE_TIMEOUT_MS = 2000
EMBEDDED_SCHEMES = ("", "mongomock://")
# Probes poll all the time and must answer even for a client over its limit.
EXEMPT_BLUEPRINTS = frozenset({"health"})
LIMIT_HEADER, REMAINING_HEADER, RESET_HEADER = (
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
)


def is_off(setting: str) -> bool:
    """Whether RATE_LIMIT switches rate limiting off."""
    return setting.strip().lower() in OFF_VALUES


def storage_uri(config: dict[str, object]) -> str:
    """Where the counters live: the explicit setting, else memory (embedded) or MongoDB."""
    explicit = str(config.get("RATE_LIMIT_STORAGE_URI") or "").strip()
    if explicit:
        return explicit
    mongo_uri = str(config.get("MONGO_URI") or "")
    if mongo_uri.startswith(EMBEDDED_SCHEMES[1]) or not mongo_uri:
        return MEMORY_STORAGE
    return mongo_uri


def _storage_options(uri: str) -> dict[str, str | int]:
    """Options of the counter store's client: a MongoDB that is down is given up on quickly,
    so that a request is not held 30 s (pymongo's default) before falling back."""
    if uri.startswith(("mongodb://", "mongodb+srv://")):
        return {"serverSelectionTimeoutMS": COUNTER_STORE_TIMEOUT_MS}
    return {}


def client_key() -> str:
    """The bucket of this request: its known token (hashed, never stored), else its address."""
    token = bearer_token(request.headers.get("Authorization"))
    if token is not None and token_matches(token, _known_tokens()):
        return "token:" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:32]
    return f"addr:{request.remote_addr or 'unknown'}"


def _known_tokens() -> list[str]:
    """Every write and read token of the current app."""
    from flask import current_app

    config = current_app.config
    return split_tokens(str(config.get("API_TOKENS") or "")) + split_tokens(
        str(config.get("READ_TOKENS") or "")
    )


def _is_exempt() -> bool:
    """Requests never counted: health probes, and CORS preflights."""
    return request.blueprint in EXEMPT_BLUEPRINTS or request.method == "OPTIONS"


def init_rate_limits(app: Flask) -> Limiter | None:
    """Limit every route of `app` by RATE_LIMIT (None when it is `off`)."""
    setting = str(app.config.get("RATE_LIMIT") or "off")
    if is_off(setting):
        return None
    uri = storage_uri(app.config)
    shared = uri != MEMORY_STORAGE
    limiter = Limiter(
        client_key,
        application_limits=[setting],
        application_limits_exempt_when=_is_exempt,
        storage_uri=uri,
        storage_options=_storage_options(uri),
        strategy="fixed-window",
        headers_enabled=False,  # ours below: delta-seconds reset, Retry-After only on 429
        swallow_errors=True,
        # A shared counter store that fails is replaced by per-process counters with the same
        # limits until it answers again (Flask-Limiter checks back with a growing delay).
        in_memory_fallback=[setting] if shared else None,
        key_prefix="cables",
    )
    limiter.init_app(app)
    app.extensions["rate_limiter"] = limiter

    @app.after_request
    def _announce(response: Response) -> Response:
        """RateLimit-* headers on every limited response."""
        current = limiter.current_limit
        if current is not None:
            _add_headers(response, current)
        return response

    @app.errorhandler(RateLimitExceeded)
    def _too_many(error: RateLimitExceeded) -> Response:
        """429 problem+json, saying when to try again."""
        current = limiter.current_limit
        wait = _seconds_to_reset(current) if current is not None else 1
        return problem(
            429,
            f"Rate limit exceeded ({error.description}); retry in {wait} s.",
            errors=[{"limit": str(error.description), "retry_after": wait}],
            headers={"Retry-After": str(wait)},
        )

    return limiter


def _add_headers(response: Response, current: RequestLimit) -> None:
    """The limit, what is left of it, and the seconds until its window resets."""
    try:
        remaining = max(0, current.remaining)
        reset = _seconds_to_reset(current)
    except Exception:  # the counter store failed: no headers rather than no answer
        return
    response.headers[LIMIT_HEADER] = str(current.limit.amount)
    response.headers[REMAINING_HEADER] = str(remaining)
    response.headers[RESET_HEADER] = str(reset)


def _seconds_to_reset(current: RequestLimit) -> int:
    """Whole seconds until the limit's window resets (at least 1)."""
    return max(1, math.ceil(current.reset_at - time.time()))
