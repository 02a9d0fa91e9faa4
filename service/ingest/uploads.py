"""HTTP uploads: a request body becomes one item (single cable) or a stream of items (bulk)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any, cast

from flask import Request
from gunicorn.http.errors import NoMoreData, ParseException
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

from service.errors import APIError
from service.ingest.entries import Entry, Outcome
from service.ingest.items import Item
from service.ingest.json_array import read_json_array
from service.ingest.pipeline import parse_item
from service.ingest.readers import (
    BULK_READERS,
    CHUNK_BYTES,
    JSON_OVERHEAD,
    MULTIPART_MEDIA_TYPE,
    BrokenBody,
    Limits,
    read_multipart,
)
from service.schemas.cables import field_errors, is_wrapper, load_cable_body

JSON_MEDIA_TYPE = "application/json"
JSON_BLANK = b" \t\r\n"
SINGLE_MEDIA_TYPES = frozenset({"text/plain", "text/html", JSON_MEDIA_TYPE})
# JSONP: a callback name, then the JSON in parentheses; the parser reads it as a cable file.
JSONP = re.compile(rb"\s*[A-Za-z_$][\w$.]{0,63}\s*\(")


def is_single(request: Request) -> bool:
    """Whether the body is one cable (else a bulk upload, or an unsupported type)."""
    return request.mimetype in SINGLE_MEDIA_TYPES


def opens_json_array(request: Request, max_upload_bytes: int, max_cable_bytes: int) -> bool:
    """Whether an application/json body is an array: a bulk upload of `{text, metadata}`
    objects (read under MAX_UPLOAD_BYTES), rather than one cable. To know, the body stream is
    opened under the bulk limit and its first byte that is not blank looked at; one cable's
    body is then read here, at most its own limit (413 past it), for single_item."""
    if request.mimetype != JSON_MEDIA_TYPE:
        return False
    request.max_content_length = max_upload_bytes
    stream = io.BufferedReader(cast(io.RawIOBase, request.stream), CHUNK_BYTES)
    while (head := stream.peek(1)[:CHUNK_BYTES]) and not head.lstrip(JSON_BLANK):
        stream.read(len(head))  # blanks before the value: JSON ignores them
    if head.lstrip(JSON_BLANK).startswith(b"["):
        request.__dict__["stream"] = stream  # Request.stream is a cached property
        return True
    limit = max_cable_bytes * JSON_OVERHEAD
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise RequestEntityTooLarge()
    request.__dict__["stream"] = io.BytesIO(body)
    return False


def is_bulk(request: Request) -> bool:
    """Whether the body is a bulk upload this service reads."""
    return request.mimetype in BULK_READERS or request.mimetype == MULTIPART_MEDIA_TYPE


def unsupported(request: Request) -> APIError:
    """415, listing what is accepted."""
    accepted = sorted(SINGLE_MEDIA_TYPES | set(BULK_READERS) | {MULTIPART_MEDIA_TYPE})
    return APIError(
        415,
        f"Unsupported media type {request.mimetype or '(none)'!r}.",
        errors=[{"accepted": accepted}],
    )


def single_item(request: Request, max_cable_bytes: int) -> Item:
    """The one cable of a text/plain, text/html or application/json body (413 when too big)."""
    if not is_single(request):
        raise unsupported(request)
    is_json = request.mimetype == JSON_MEDIA_TYPE
    limit = max_cable_bytes * (JSON_OVERHEAD if is_json else 1)
    # One byte more than allowed: werkzeug stops a chunked body at the limit without a word,
    # so a body that reaches limit + 1 is known to be too large.
    request.max_content_length = limit + 1
    body = request.get_data(cache=False)
    if len(body) > limit:
        raise RequestEntityTooLarge()
    if request.content_length is not None and len(body) < request.content_length:
        # gunicorn ends a body early when the client hangs up: never store a part of a cable
        raise ClientDisconnected()
    if not is_json:
        return Item(data=body, media_type=request.mimetype)
    item = _json_item(body)
    if item.size > max_cable_bytes:
        raise APIError(413, f"The cable is larger than MAX_CABLE_BYTES ({max_cable_bytes}).")
    return item


def _json_item(body: bytes) -> Item:
    """A `{"text": ..., "metadata": ...}` body, or a cable file in JSON form (cablesearch)."""
    if JSONP.match(body):  # a cablesearch.org file as saved: `cablegrab({...})`
        return Item(data=body, media_type=JSON_MEDIA_TYPE)
    try:
        value: Any = json.loads(body)
    except ValueError as error:
        raise APIError(400, f"The body is not valid JSON: {error}") from error
    except RecursionError as error:  # json.loads recurses once per nesting level
        raise APIError(400, "The body is not valid JSON: nested too deeply.") from error
    if not is_wrapper(value):
        return Item(data=body, media_type=JSON_MEDIA_TYPE)
    loaded, problems = load_cable_body(value)
    if loaded is None:
        raise APIError(422, "The JSON body is not a cable.", errors=field_errors(problems))
    return Item(data=loaded["text"], name=loaded.get("name"), metadata=loaded.get("metadata"))


def parse_single(item: Item) -> Entry:
    """Parse one uploaded cable; 422 with the parser's reason when it is not a cable."""
    result = parse_item(item, _parse_cable)
    if isinstance(result, Outcome):
        detail = result.reason or "not a cable"
        raise APIError(422, detail, errors=[{"reference_id": result.reference_id}])
    return result


def bulk_items(request: Request, limits: Limits, max_upload_bytes: int) -> Iterator[Item]:
    """Stream the items of a bulk body (413 once it passes MAX_UPLOAD_BYTES)."""
    if not is_bulk(request) and request.mimetype != JSON_MEDIA_TYPE:
        raise unsupported(request)
    request.max_content_length = max_upload_bytes
    whole = WholeBody(request.stream, request.content_length)
    stream = io.BufferedReader(cast(io.RawIOBase, whole), CHUNK_BYTES)
    if request.mimetype == JSON_MEDIA_TYPE:  # an array: opens_json_array said so
        return read_json_array(stream, None, limits, 0)
    if request.mimetype == MULTIPART_MEDIA_TYPE:
        boundary = request.mimetype_params.get("boundary")
        if not boundary:
            raise APIError(400, "multipart/form-data needs a boundary parameter.")
        return read_multipart(stream, boundary.encode("latin-1"), limits)
    return BULK_READERS[request.mimetype](stream, None, limits, 0)


class WholeBody(io.RawIOBase):
    """A request body that raises ClientDisconnected at its end when it is shorter than its
    Content-Length: gunicorn ends such a body quietly when the client hangs up."""

    def __init__(self, stream: IO[bytes], length: int | None) -> None:
        self.stream = stream
        self.length = length
        self.read_so_far = 0
        self.stalled: BaseException | None = None  # the timeout met, raised after the rest

    def readable(self) -> bool:
        """A body is read, never written."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Fill `buffer` from the body; at its end, check that it was all there. When the body
        stops coming, what arrived before is read first, then the timeout is raised."""
        try:
            data = self.stream.read(len(buffer))
        except CUT_SHORT as error:
            if self.stalled is not None or why_cut(error) != TIMED_OUT:
                raise
            self.stalled = error
            data = self.stream.read(len(buffer))  # the server now says the body ended
        if not data and self.stalled is not None:
            raise self.stalled
        if not data and self.length is not None and self.read_so_far < self.length:
            raise ClientDisconnected()
        buffer[: len(data)] = data
        self.read_so_far += len(data)
        return len(data)


# A request body that ends before its announced length, or stops coming: the client went away
# (werkzeug's ClientDisconnected, gunicorn's NoMoreData, a reset or a socket timeout), or its
# chunked framing broke (gunicorn's ParseException: a bad chunk size, a chunk too long).
CUT_SHORT: tuple[type[BaseException], ...] = (
    ClientDisconnected,
    NoMoreData,
    ConnectionError,
    TimeoutError,
    ParseException,
    BrokenBody,
)
# Why a body stopped, as the problem says it.
CUT, TIMED_OUT, MALFORMED, TOO_LARGE = "cut short", "timed out", "malformed", "too large"


def why_cut(error: BaseException) -> str:
    """CUT, TIMED_OUT or MALFORMED for an error raised while reading a body (werkzeug wraps a
    socket timeout or a framing error in ClientDisconnected: the cause tells)."""
    causes = (error, error.__cause__, error.__context__)
    if any(isinstance(cause, TimeoutError) for cause in causes):
        return TIMED_OUT
    if any(isinstance(cause, ParseException | BrokenBody) for cause in causes):
        return MALFORMED
    return CUT


def body_problem(error: BaseException) -> APIError:
    """408 for a body that stopped coming, 400 for one cut short or badly framed."""
    why = why_cut(error)
    if why == TIMED_OUT:
        return APIError(408, "The client stopped sending its body; nothing was stored. Try again.")
    if why == MALFORMED:
        return APIError(
            400, f"The body's chunked encoding is malformed ({error}); nothing was stored."
        )
    return APIError(
        400, "The body was cut short before its end; nothing was stored. Send it again."
    )


@dataclass
class Cut:
    """Whether a bulk body was cut short (and why), and how many items were read before."""

    short: bool = False
    items_read: int = 0
    why: str = CUT
    detail: str = ""  # what broke, for a malformed body


def until_cut(items: Iterator[Item], cut: Cut) -> Iterator[Item]:
    """The items of a bulk body up to where it was cut short: the complete ones read before a
    dropped connection are still stored (a partial one never is), and `cut` says so."""
    try:
        for item in items:
            cut.items_read += 1
            yield item
    except CUT_SHORT as error:
        cut.short = True
        cut.why = why_cut(error)
        cut.detail = str(error) if isinstance(error, BrokenBody | ParseException) else ""


def within(items: Iterator[Item], max_bytes: int, cut: Cut) -> Iterator[Item]:
    """The items of one upload until their cables add up to more than `max_bytes`
    (MAX_UNPACKED_BYTES: archives unpack to far more than they weigh); `cut` says so."""
    total = 0
    for item in items:
        total += item.size
        if total > max_bytes:
            cut.short, cut.why = True, TOO_LARGE
            cut.detail = f"its cables add up to more than MAX_UNPACKED_BYTES ({max_bytes} bytes)"
            return
        yield item


def cut_short(cut: Cut, counts: dict[str, int]) -> APIError:
    """400 (408 when it stopped coming) for a bulk body cut short: what was read is stored;
    sending it all again completes it."""
    reason = {
        CUT: "was cut short",
        TIMED_OUT: "stopped coming",
        MALFORMED: "is malformed",
        TOO_LARGE: "was stopped",
    }
    what = f" ({cut.detail})" if cut.detail else ""
    entry: dict[str, Any] = {"counts": counts, "cut": cut.why}
    if cut.detail:
        entry["message"] = cut.detail
    return APIError(
        {TIMED_OUT: 408, TOO_LARGE: 413}.get(cut.why, 400),
        f"The upload {reason[cut.why]}{what} after {cut.items_read} item(s); the cables among "
        "them are stored. Send the whole upload again: what is stored comes back as unchanged.",
        errors=[entry],
    )


def _parse_cable(data: Any, **options: Any) -> dict[str, Any]:
    """service.parsing.parse_cable, imported late: the parser package is heavy."""
    from service.parsing import parse_cable

    return parse_cable(data, **options)


@contextmanager
def size_limit(setting: str, limit: int) -> Iterator[None]:
    """Say which limit a too large body passed (413), or that it stopped coming (408); for a bulk
    body streamed without a Content-Length the limit is met mid-way, after earlier batches."""
    try:
        yield
    except RequestEntityTooLarge as error:
        raise APIError(413, f"The body is larger than {setting} ({limit} bytes).") from error
    except CUT_SHORT as error:  # cut, silent past the server's deadline, or badly framed
        raise body_problem(error) from error
