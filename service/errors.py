"""One error shape for the whole API: RFC 9457 problem details (application/problem+json)."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g, json
from pymongo.errors import ConnectionFailure
from werkzeug.exceptions import HTTPException

from service.query.errors import ParameterError

PROBLEM_MEDIA_TYPE = "application/problem+json"


class APIError(Exception):
    """An error the API reports to the client as problem+json."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        type_: str = "about:blank",
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title
        self.errors = errors or []
        self.headers = headers or {}
        self.type = type_

    def response(self) -> Response:
        """The problem+json response, with the request id when there is one."""
        from http import HTTPStatus

        body: dict[str, Any] = {
            "type": self.type,
            "title": self.title or HTTPStatus(self.status).phrase,
            "status": self.status,
            "detail": self.detail,
            "errors": self.errors,
        }
        request_id = g.get("request_id") if g else None
        if request_id:
            body["request_id"] = request_id
        response = Response(json.dumps(body), status=self.status, mimetype=PROBLEM_MEDIA_TYPE)
        response.headers.update(self.headers)
        return response


def bad_parameter(name: str, message: str, *more: tuple[str, str]) -> APIError:
    """The 400 for a bad query, path or form parameter: one `{parameter, message}` entry in
    `errors` for it and for each further (name, message) pair; openapi.yaml's ParameterError."""
    entries = [(name, message), *more]
    errors = [{"parameter": parameter, "message": text} for parameter, text in entries]
    if more:
        detail = "Invalid parameters " + ", ".join(repr(parameter) for parameter, _ in entries)
    else:
        detail = f"Invalid parameter {name!r}: {message}"
    return APIError(400, detail + ".", errors=errors)


# The status of a single upload the store refused (Outcome.refusal of an INVALID outcome,
# service.ingest.entries): too large for the store, or written but maybe not durable; any
# other refusal (a text the store cannot encode...) is a 422 like any other non-cable.
REFUSAL_STATUS = {"too_large": 413, "not_durable": 503}
RETRY_AFTER = {"Retry-After": "5"}


def refused_upload(reference_id: str | None, reason: str | None, refusal: str | None) -> APIError:
    """The problem for a single upload the store refused, naming why (a limit, durability)."""
    status = REFUSAL_STATUS.get(refusal or "", 422)
    return APIError(
        status,
        reason or "The store refused the cable.",
        errors=[{"reference_id": reference_id}],
        headers=RETRY_AFTER if status == 503 else None,
    )


def problem(status: int, detail: str, **details: Any) -> Response:
    """Build a problem+json response (the keywords are APIError's)."""
    return APIError(status, detail, **details).response()


def register_error_handlers(app: Flask) -> None:
    """Turn every error, ours and Flask's, into problem+json."""
    from service.store.errors import (  # the store package imports ingestion
        ChangedConcurrently,
        StoreTimeout,
        StoreUnavailable,
        WriteNotDurable,
    )

    @app.errorhandler(APIError)
    def _api_error(error: APIError) -> Response:
        return error.response()

    @app.errorhandler(ParameterError)
    def _parameter_error(error: ParameterError) -> Response:
        # The query layer's plain error: the parameter it names is answered with a 400.
        return bad_parameter(error.name, error.reason).response()

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        status = error.code or 500
        headers = {}
        if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
            headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        return problem(status, error.description or "", headers=headers)

    @app.errorhandler(ConnectionFailure)
    @app.errorhandler(StoreUnavailable)
    def _store_unavailable(error: Exception) -> Response:
        # A down or unreachable store (MongoDB away, SQLite file locked too long) is
        # temporary: say so, and when to try again.
        app.logger.error("store unavailable: %s", error)
        return problem(503, "The store is unavailable; try again shortly.", headers=RETRY_AFTER)

    @app.errorhandler(StoreTimeout)
    def _store_timeout(error: StoreTimeout) -> Response:
        # An operation that ran past the store's time limit was ended (MONGO_TIMEOUT_MS).
        app.logger.error("store timeout: %s", error)
        detail = "The store did not answer within its time limit; narrow the query or retry."
        return problem(504, detail)

    @app.errorhandler(WriteNotDurable)
    def _not_durable(error: WriteNotDurable) -> Response:
        # Applied on the primary, not acknowledged by the write concern: never a success.
        app.logger.error("write not acknowledged by the write concern: %s", error)
        detail = f"The write may not be durable: {error}"
        return problem(503, detail, headers=RETRY_AFTER)

    @app.errorhandler(ChangedConcurrently)
    def _changed(error: ChangedConcurrently) -> Response:
        return problem(409, str(error))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        app.logger.exception("unhandled error")
        return problem(500, "The server failed to handle this request; it has been logged.")
