"""A Python client of the cable archive service (requests underneath).

    from service.client import Client

    archive = Client("http://127.0.0.1:8080", token="...")
    for cable in archive.cables(tag="KZ", date_from="2006-01-01", fields=["subject"]):
        print(cable["reference_id"], cable["subject"])
    report = archive.upload("cables.csv", progress=lambda sent, total: ...)

`cables()` walks every page; `upload()` sends a container file (cables.csv, NDJSON, zip, tar)
whole and streamed, with a progress callback by bytes sent, and cable files in multipart
batches. A 429 or 503 is waited out as its Retry-After says (at most ATTEMPTS sends). Any other
refusal raises a ServiceError subclass carrying the problem document; a service that cannot be
reached raises ConnectionFailed.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import requests

from service.ingest.entries import OUTCOMES
from service.ingest.readers import (
    READER_MEDIA_TYPES,
    files_under,
    media_type_for_name,
    read_single_cable,
    reader_for_name,
)

ATTEMPTS = 5  # sends of one request, the first included, while it gets 429 or 503
RETRIED_STATUSES = frozenset({429, 503})
MAX_RETRY_WAIT_SECONDS = 120.0
TIMEOUT_SECONDS = 3600.0  # a whole cables.csv takes minutes to ingest
SYSTEM_REASON = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")
PAGE_SIZE = 500  # the service's largest page
BATCH_FILES = 200  # cable files per multipart request
BATCH_BYTES = 16 * 1024 * 1024

Progress = Callable[[int, int], None]  # (bytes sent so far, bytes to send in all)


class ServiceError(Exception):
    """The service refused a request: its status and problem document (RFC 9457)."""

    def __init__(self, status: int | None, problem: dict[str, Any], url: str = "") -> None:
        self.status = status
        self.problem = problem
        self.url = url
        self.title = str(problem.get("title") or "")
        self.detail = str(problem.get("detail") or "")
        self.errors: list[Any] = list(problem.get("errors") or [])
        super().__init__(f"{url} answered {status} {self.title}: {self.detail}".strip())


class ConnectionFailed(ServiceError):
    """The service could not be reached (refused, unknown host, timed out)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(None, {"title": "Connection failed", "detail": reason}, url)
        self.args = (f"could not reach {url}: {reason}",)


class BadRequest(ServiceError):
    """400: a parameter or the body is malformed (`errors` names each bad parameter)."""


class Unauthorized(ServiceError):
    """401 or 403: the token is missing or wrong."""


class NotFound(ServiceError):
    """404: no such cable."""


class Conflict(ServiceError):
    """409: another text is stored under that reference id; upload with replace=True."""


class TooLarge(ServiceError):
    """413: larger than the service's MAX_CABLE_BYTES or MAX_UPLOAD_BYTES."""


class NotACable(ServiceError):
    """415 or 422: not a media type the service reads, or not a cable."""


class RateLimited(ServiceError):
    """429, still after the retries."""


class Unavailable(ServiceError):
    """503 (the service's store is away), still after the retries."""


ERRORS_BY_STATUS: dict[int, type[ServiceError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Unauthorized,
    404: NotFound,
    409: Conflict,
    413: TooLarge,
    415: NotACable,
    422: NotACable,
    429: RateLimited,
    503: Unavailable,
}


def pause(seconds: float) -> None:
    """Wait before sending again (a function of its own, so that tests need not wait)."""
    time.sleep(seconds)


class Client:
    """The service at `url`; `token` for writes (and for reads when READ_TOKENS is set)."""

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: float = TIMEOUT_SECONDS,
        session: requests.Session | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    # Reads

    def cables(self, *, page_size: int = PAGE_SIZE, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every cable matching the filters (GET /cables parameters: tag=["KZ", "PGOV"],
        date_from=date(2006, 1, 1), participant="boucher", fields=["subject"]...), page by
        page, following `next` to the last page."""
        body = self._json("GET", "/cables", params={**filters, "limit": page_size})
        while True:
            yield from body["items"]
            if not body["next"]:
                return
            body = self._json("GET", body["next"])

    def cable(self, reference_id: str) -> dict[str, Any]:
        """One cable's document (NotFound when it is not stored)."""
        return self._json("GET", f"/cables/{reference_id}")

    def raw(self, reference_id: str) -> bytes:
        """One cable's original upload, as it was sent."""
        return self._send("GET", f"/cables/{reference_id}/raw").content

    def facets(self, *names: str, limit: int | None = None, **filters: Any) -> dict[str, Any]:
        """Counts by facet (tags, classification, year, month, origin, participants, persons;
        all when none is named) of the cables matching the filters."""
        params: dict[str, Any] = {**filters, "facet": list(names) or None, "facet_limit": limit}
        return self._json("GET", "/facets", params=params)

    # Writes

    def parse(self, path_or_text: str | os.PathLike[str]) -> dict[str, Any]:
        """The document the service parses out of a file (a path) or a text, storing nothing."""
        if isinstance(path_or_text, os.PathLike) or _names_a_file(path_or_text):
            path = Path(path_or_text)
            data: bytes = path.read_bytes()
            media_type = media_type_for_name(path.name)
        else:
            data, media_type = str(path_or_text).encode("utf-8"), "text/plain"
        return self._json("POST", "/parse", data=data, headers={"Content-Type": media_type})

    def upload(
        self,
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        replace: bool = False,
        progress: Progress | None = None,
    ) -> dict[str, Any]:
        """Store files, folders, cables.csv dumps, NDJSON and archives: a container file goes
        whole, streamed (`progress(sent, total)` as its bytes go out), cable files in multipart
        batches. The merged report: `counts` per outcome and `items` not simply created."""
        chosen = [Path(paths)] if isinstance(paths, (str, os.PathLike)) else list(map(Path, paths))
        missing = [str(path) for path in chosen if not path.exists()]
        if missing:
            raise FileNotFoundError(f"no such file or folder: {', '.join(missing)}")
        files = [file for path in chosen for file in files_under(path)]
        total = sum(file.stat().st_size for file in files)
        report: dict[str, Any] = {"counts": dict.fromkeys([*OUTCOMES, "total"], 0), "items": []}
        sent = 0

        def advance(size: int) -> None:
            nonlocal sent
            sent += size
            if progress:
                progress(sent, total)

        params = {"replace": "true"} if replace else None
        for batch in _batches(files):
            if len(batch) == 1 and reader_for_name(batch[0].name) is not read_single_cable:
                result = self._send_file(batch[0], params, advance)
                for item in result["items"]:  # the service saw a body, not a file: name it
                    item["file"] = item["file"] or str(batch[0])
            else:
                result = self._send_batch(batch, params)
                advance(sum(file.stat().st_size for file in batch))
            for outcome, count in result["counts"].items():
                report["counts"][outcome] = report["counts"].get(outcome, 0) + count
            report["items"].extend(result["items"])
        return report

    def _send_file(
        self, file: Path, params: dict[str, str] | None, advance: Callable[[int], None]
    ) -> dict[str, Any]:
        """One container file as the request body, streamed; counted as it is read."""
        media_type = READER_MEDIA_TYPES[reader_for_name(file.name)]

        def body() -> _CountedFile:  # each attempt sends the file from its start
            return _CountedFile(file, advance)

        headers = {"Content-Type": media_type}
        return self._json("POST", "/cables", params=params, body=body, headers=headers)

    def _send_batch(self, batch: list[Path], params: dict[str, str] | None) -> dict[str, Any]:
        """Cable files as one multipart/form-data request, each part named by its path."""
        with ExitStack() as opened:
            parts = [
                ("files", (str(file), opened.enter_context(file.open("rb")), _media_type(file)))
                for file in batch
            ]
            return self._json("POST", "/cables", params=params, files=parts)

    # Sending

    def _json(self, method: str, path: str, **options: Any) -> Any:
        """The decoded JSON answer of a request."""
        return self._send(method, path, **options).json()

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        data: bytes | None = None,
        body: Callable[[], _CountedFile] | None = None,
        files: Sequence[tuple[str, tuple[str, IO[bytes], str]]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        """Send, waiting out 429 and 503 as Retry-After says; raise a ServiceError on refusal.
        `body` opens a streamed body afresh for each attempt; `files` are rewound."""
        url = self.url + path
        for attempt in range(1, ATTEMPTS + 1):
            for _, (_, handle, _) in files or ():
                handle.seek(0)
            stream = body() if body else None
            try:
                response = self.session.request(
                    method,
                    url,
                    params=_query(params or {}),
                    data=stream if stream is not None else data,
                    files=files,
                    headers=headers,
                    timeout=self.timeout,
                )
            except requests.Timeout:
                raise ConnectionFailed(url, f"no answer within {self.timeout:g} s") from None
            except requests.ConnectionError as error:
                raise ConnectionFailed(url, _reason(error)) from None
            finally:
                if stream is not None:
                    stream.close()
            if response.ok:
                return response
            wait = _retry_after(response)
            if wait is None or attempt == ATTEMPTS:
                raise _error_of(response)
            pause(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")


class _CountedFile:
    """A file sent as a request body whose reads report the bytes sent; its length is known,
    so that requests sends a Content-Length rather than chunks."""

    def __init__(self, path: Path, advance: Callable[[int], None]) -> None:
        self._file = path.open("rb")
        self._size = path.stat().st_size
        self._advance = advance

    def __len__(self) -> int:
        return self._size

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self._advance(len(data))
        return data

    def close(self) -> None:
        self._file.close()


def _batches(files: list[Path]) -> Iterator[list[Path]]:
    """A container file alone, else cable files by BATCH_FILES or BATCH_BYTES."""
    batch: list[Path] = []
    size = 0
    for file in files:
        length = file.stat().st_size
        if reader_for_name(file.name) is not read_single_cable:
            if batch:
                yield batch
                batch, size = [], 0
            yield [file]
            continue
        if batch and (len(batch) >= BATCH_FILES or size + length > BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(file)
        size += length
    if batch:
        yield batch


def _media_type(file: Path) -> str:
    """The media type of a cable file, by its name."""
    return media_type_for_name(file.name)


def _names_a_file(text: str) -> bool:
    """Whether a string is a path to a file rather than a cable's text."""
    return "\n" not in text and len(text) < 4096 and Path(text).is_file()


def _query(params: dict[str, Any]) -> list[tuple[str, str]]:
    """Query pairs: lists repeated, dates ISO, booleans true/false, None left out."""
    pairs = []
    for name, value in params.items():
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        for item in values:
            if item is None:
                continue
            if isinstance(item, bool):
                item = "true" if item else "false"
            elif isinstance(item, (date, datetime)):
                item = item.isoformat()
            pairs.append((name, str(item)))
    return pairs


def _retry_after(response: requests.Response) -> float | None:
    """Seconds to wait before sending again, for the answers worth retrying (429, 503)."""
    if response.status_code not in RETRIED_STATUSES:
        return None
    try:
        seconds = float(response.headers.get("Retry-After") or 1)
    except ValueError:  # an HTTP date: wait the longest we would anyway
        seconds = MAX_RETRY_WAIT_SECONDS
    return min(max(seconds, 0.0), MAX_RETRY_WAIT_SECONDS)


def _error_of(response: requests.Response) -> ServiceError:
    """The typed error of a refusal, with its problem document (or the body as its detail)."""
    try:
        problem = response.json()
    except ValueError:
        problem = None
    if not isinstance(problem, dict):
        text = " ".join(response.text.split())[:500]
        problem = {"title": response.reason or "", "detail": text, "status": response.status_code}
    kind = ERRORS_BY_STATUS.get(response.status_code, ServiceError)
    return kind(response.status_code, problem, response.url)


def _reason(error: requests.ConnectionError) -> str:
    """A connection failure in a few words: the system's reason ("Connection refused") when
    the message of urllib3's nested exceptions carries one."""
    text = str(error)
    found = SYSTEM_REASON.search(text)
    return found.group(1) if found else text
