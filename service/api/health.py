"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from service.api.store import get_store
from service.errors import APIError

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> dict[str, Any]:
    """The process is alive."""
    return {"status": "ok"}


@bp.get("/ready")
def ready() -> dict[str, Any]:
    """The store is reachable and its indexes are in place."""
    status = get_store().readiness()
    if not status["ready"]:
        raise APIError(503, status["detail"], errors=[status])
    return status
