"""Bearer tokens: API_TOKENS may write; reads are public unless READ_TOKENS is set.

Writes need a token even when API_TOKENS is empty (then nobody may write): an archive that
anyone can overwrite by forgetting a setting is worse than one that refuses uploads.
A write token also reads. Tokens are compared in constant time (hmac.compare_digest).
"""

from __future__ import annotations

import functools
import hmac
import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, request

from service.config import split_tokens
from service.errors import APIError

REALM = "cables"
_BEARER = re.compile(r"^Bearer[ \t]+(\S+)[ \t]*$", re.IGNORECASE)

View = TypeVar("View", bound=Callable[..., Any])


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    match = _BEARER.match(header or "")
    return match.group(1) if match else None


def token_matches(token: str, allowed: list[str]) -> bool:
    """Whether `token` is one of `allowed`, comparing with every one in constant time."""
    given = token.encode("utf-8")
    found = False
    for candidate in allowed:
        found |= hmac.compare_digest(given, candidate.encode("utf-8"))
    return found


def _tokens(setting: str) -> list[str]:
    """The tokens of one setting of the current app."""
    return split_tokens(str(current_app.config.get(setting) or ""))


def check_write() -> None:
    """Refuse the request (401) unless it carries a write token."""
    _check(_tokens("API_TOKENS"), "writing needs a token from API_TOKENS")


def check_read() -> None:
    """Refuse the request (401) when READ_TOKENS is set and it carries no read or write token."""
    read_tokens = _tokens("READ_TOKENS")
    if read_tokens:
        _check(read_tokens + _tokens("API_TOKENS"), "reading needs a token from READ_TOKENS")


def _check(allowed: list[str], need: str) -> None:
    """401 with a WWW-Authenticate challenge unless the request's token is allowed."""
    token = bearer_token(request.headers.get("Authorization"))
    if token is not None and token_matches(token, allowed):
        return
    if token is None:
        detail, challenge = f"Missing bearer token: {need}.", f'Bearer realm="{REALM}"'
    else:
        detail = f"Invalid bearer token: {need}."
        challenge = f'Bearer realm="{REALM}", error="invalid_token"'
    raise APIError(401, detail, headers={"WWW-Authenticate": challenge})


# Blueprints whose reads stay public whatever READ_TOKENS says: probes and the API docs.
PUBLIC_BLUEPRINTS = frozenset({"health", "docs", "index"})
READ_METHODS = frozenset({"GET", "HEAD"})


def guard_reads() -> None:
    """An app-wide before-request hook: every read of a non-public resource needs a read
    token when READ_TOKENS is set (the listing and search resources included). Requests that
    match no route go on to their 404; OPTIONS (CORS preflight) is never challenged."""
    if request.method not in READ_METHODS or request.endpoint is None:
        return
    if request.blueprint in PUBLIC_BLUEPRINTS or request.endpoint == "static":
        return
    check_read()


def _requiring(check: Callable[[], None]) -> Callable[[View], View]:
    """A view decorator that runs `check` (which raises 401) before the view."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            check()
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


# For a view that changes the store.
write_required = _requiring(check_write)
# For a view that reads the store (public unless READ_TOKENS is set).
read_required = _requiring(check_read)
