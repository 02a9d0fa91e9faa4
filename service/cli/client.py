"""The HTTP client of `cables ingest --url`: the requests that carry files to a running service
(containers whole, cable files in multipart batches) and their sending, with retries on 429
and 503."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from service.cli.common import CommandFailed
from service.ingest import BulkReport
from service.ingest.entries import OUTCOMES
from service.ingest.readers import (
    READER_MEDIA_TYPES,
    files_under,
    media_type_for_name,
    read_single_cable,
    reader_for_name,
)

log = logging.getLogger("service.cli")
HTTP_BATCH_FILES = 200  # cable files per multipart request
HTTP_BATCH_BYTES = 16 * 1024 * 1024
HTTP_TIMEOUT_SECONDS = 3600
HTTP_ATTEMPTS = 5  # sends of one request, the first included, while it gets 429 or 503
RETRIED_STATUSES = frozenset({429, 503})
MAX_RETRY_WAIT_SECONDS = 120.0


def http_requests(paths: Sequence[Path]) -> Iterator[tuple[Any, str, int]]:
    """(body, media type, bytes) per request: a container file whole, else batches of files."""
    batch: list[Path] = []
    batch_bytes = 0
    for path in paths:
        for file in files_under(path):
            reader = reader_for_name(file.name)
            size = file.stat().st_size
            if reader is not read_single_cable:
                yield file.open("rb"), READER_MEDIA_TYPES[reader], size
                continue
            if batch and (len(batch) >= HTTP_BATCH_FILES or batch_bytes + size > HTTP_BATCH_BYTES):
                yield (*multipart(batch), batch_bytes)
                batch, batch_bytes = [], 0
            batch.append(file)
            batch_bytes += size
    if batch:
        yield (*multipart(batch), batch_bytes)


def multipart(files: list[Path]) -> tuple[bytes, str]:
    """A multipart/form-data body holding the files under their paths."""
    boundary = f"cables-{uuid.uuid4().hex}"
    chunks: list[bytes] = []
    for index, file in enumerate(files):
        name = str(file).replace('"', "%22").replace("\r", " ").replace("\n", " ")
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="f{index}"; '
            f'filename="{name}"\r\nContent-Type: {media_type_for_name(file.name)}\r\n\r\n'.encode()
        )
        chunks.append(file.read_bytes())
        chunks.append(b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def sender(url: str, token: str | None, replace: bool) -> Callable[[Any, str], dict[str, Any]]:
    """A function posting one bulk body to the service and returning its report; a 429 (rate
    limit) or 503 (store away) is waited out as its Retry-After says and the body sent again,
    which is safe: cables already stored come back as unchanged."""
    target = f"{url}/cables" + ("?replace=true" if replace else "")

    def send(body: Any, media_type: str) -> dict[str, Any]:
        headers = {"Content-Type": media_type}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if not isinstance(body, bytes):  # an open file: stream it, its length known
            headers["Content-Length"] = str(Path(body.name).stat().st_size)
        try:
            for attempt in range(1, HTTP_ATTEMPTS + 1):
                if not isinstance(body, bytes):
                    body.seek(0)
                request = urllib.request.Request(target, data=body, headers=headers, method="POST")
                try:
                    with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
                        result: dict[str, Any] = json.load(response)
                        return result
                except urllib.error.HTTPError as error:
                    problem = problem_detail(error.read())
                    wait = retry_after(error)
                    if wait is None or attempt == HTTP_ATTEMPTS:
                        message = f"cables ingest: {target} answered {error.code}: {problem}"
                        raise CommandFailed(message) from None
                    log.warning("%s answered %s; retrying in %s s", target, error.code, wait)
                    pause(wait)
                except (urllib.error.URLError, OSError) as error:  # refused, unknown host
                    reason = getattr(error, "reason", error)
                    message = f"cables ingest: could not reach {target}: {reason}"
                    raise CommandFailed(message) from None
            raise AssertionError("unreachable: the last attempt returns or exits")
        finally:
            if not isinstance(body, bytes):
                body.close()

    return send


def problem_detail(body: bytes) -> str:
    """One line out of an error response: its problem document's detail, else its text."""
    try:
        detail = json.loads(body).get("detail")
    except (ValueError, AttributeError):
        detail = None
    text = str(detail) if detail else body.decode("utf-8", "replace")
    return " ".join(text.split())


def pause(seconds: float) -> None:
    """Wait before sending again (a function of its own, so that tests need not wait)."""
    time.sleep(seconds)


def retry_after(error: urllib.error.HTTPError) -> float | None:
    """Seconds to wait before sending again, for the answers worth retrying (429, 503)."""
    if error.code not in RETRIED_STATUSES:
        return None
    try:
        seconds = float(error.headers.get("Retry-After") or 1)
    except ValueError:  # an HTTP date: wait the longest we would anyway
        seconds = MAX_RETRY_WAIT_SECONDS
    return min(max(seconds, 0.0), MAX_RETRY_WAIT_SECONDS)


def merge(report: BulkReport, response: dict[str, Any]) -> None:
    """Add one bulk response to the running report."""
    for outcome in OUTCOMES:
        report.counts[outcome] += response["counts"].get(outcome, 0)
    report.items.extend(response["items"])
