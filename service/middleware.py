"""Cross-cutting request handling: request ids, one access-log line per request, CORS for reads."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from flask import Flask, Response, g, request
from flask_cors import CORS
from werkzeug.middleware.proxy_fix import ProxyFix

REQUEST_ID_HEADER = "X-Request-ID"
# A client's id is echoed into headers and logs, so only a short, plain token is trusted.
CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
READ_METHODS = ["GET", "HEAD", "OPTIONS"]
# Headers a browser-based tool may read from a cross-origin response.
EXPOSED_HEADERS = [
    REQUEST_ID_HEADER,
    "Location",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
]
ALLOWED_REQUEST_HEADERS = ["Authorization", "Content-Type", "Accept", REQUEST_ID_HEADER]
ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "request_id", "remote_addr")
SERVICE_LOGGER = "service"
ACCESS_LOGGER = "service.access"

access_log = logging.getLogger(ACCESS_LOGGER)


class JSONFormatter(logging.Formatter):
    """One JSON object per log record, with the access fields when the record has them."""

    def format(self, record: logging.LogRecord) -> str:
        """Render `record` as a JSON line."""
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in ACCESS_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
FORMATTERS = {"text": lambda: logging.Formatter(TEXT_FORMAT), "json": JSONFormatter}


class StderrHandler(logging.StreamHandler):
    """Writes to the current sys.stderr, looked up at each record (test capture swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        """Write the record to sys.stderr as it is now."""
        self.stream = sys.stderr
        super().emit(record)


def configure_logging(log_format: str, level: str) -> None:
    """Give the service's loggers one stderr handler, JSON or text; safe to call repeatedly."""
    make_formatter = FORMATTERS.get(log_format.lower())
    if make_formatter is None:
        raise ValueError(f"LOG_FORMAT={log_format!r} is not one of {', '.join(FORMATTERS)}")
    if not isinstance(logging.getLevelName(level.upper()), int):
        raise ValueError(f"LOG_LEVEL={level!r} is not a logging level (DEBUG, INFO, WARNING...)")
    logger = logging.getLogger(SERVICE_LOGGER)
    for handler in [h for h in logger.handlers if isinstance(h, StderrHandler)]:
        logger.removeHandler(handler)
    handler = StderrHandler()
    handler.setFormatter(make_formatter())
    logger.addHandler(handler)
    logger.setLevel(level.upper())


# Control characters (a %0A in a path) would start a forged line in a text log.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(value: str) -> str:
    """`value` with each control character written as an escape (`\\n`, `\\x1b`)."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], value)


def request_id_from(header_value: str | None) -> str:
    """The client's request id when it is a plain token, else a fresh one."""
    if header_value and CLIENT_REQUEST_ID.fullmatch(header_value):
        return header_value
    return uuid.uuid4().hex


def start_request() -> None:
    """Stamp the request with its id and start time."""
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    g.request_started = time.perf_counter()


def finish_request(response: Response) -> Response:
    """Echo the request id and write the access-log line."""
    request_id = g.get("request_id") or request_id_from(None)
    response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 2) if started else None
    fields = {
        "method": printable(request.method),
        "path": printable(request.path),
        "status": response.status_code,
        "duration_ms": duration_ms,
        "request_id": request_id,
        "remote_addr": printable(request.remote_addr or ""),
    }
    access_log.info(
        "%s %s %s %sms request_id=%s",
        fields["method"],
        fields["path"],
        response.status_code,
        duration_ms,
        request_id,
        extra=fields,
    )
    return response


def cors_origins(setting: str) -> list[str] | str | None:
    """CORS_ORIGINS as flask-cors wants it: "*", a list of origins, or None when `off`."""
    value = setting.strip()
    if value.lower() in ("off", "none"):
        return None
    if value == "*":
        return "*"
    return [origin.strip() for origin in value.split(",") if origin.strip()]


def init_middleware(app: Flask) -> None:
    """Wire request ids, access logging and CORS into `app`."""
    configure_logging(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        # Behind a load balancer the peer is the balancer: take the client's address and scheme
        # from the headers the trusted proxies add, so logs and per-client limits see clients.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    # First of all before-request hooks, whenever the others are added: a rate limit or auth
    # refusal raised in a later hook still carries the request id.
    app.before_request_funcs.setdefault(None, []).insert(0, start_request)
    app.after_request(finish_request)
    origins = cors_origins(app.config["CORS_ORIGINS"])
    if origins is not None:
        # Reads only: a preflight for POST or DELETE is not granted, so browsers cannot write.
        CORS(
            app,
            origins=origins,
            methods=READ_METHODS,
            allow_headers=ALLOWED_REQUEST_HEADERS,
            expose_headers=EXPOSED_HEADERS,
            max_age=600,
        )
