"""`cables`: ingest files into the store (directly or through a running service), parse one
file, or serve the API with gunicorn.

    cables ingest PATH... [--url URL --token T] [--rejects FILE] [--replace]
    cables reparse [--all] [--after REFERENCE_ID] [--batch-size N]
    cables parse FILE [--format FORMAT]
    cables serve [--host 127.0.0.1 --port 8080 --workers N --threads N --load DIR...]

`ingest` exits 1 when any item was rejected (invalid or conflict), 0 otherwise; `reparse`
exits 1 when any stored cable failed to re-parse, 130 when interrupted (run it again to
continue).
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker
from tqdm import tqdm

from service.cli_reparse import command_reparse
from service.config import load_settings
from service.ingest import BulkReport, Limits, ingest, read_file
from service.ingest.readers import (
    Reader,
    files_under,
    media_type_for_name,
    read_csv,
    read_gzip,
    read_ndjson,
    read_single_cable,
    read_tar,
    read_zip,
    reader_for_name,
)
from service.store.core import CONFLICT, INVALID, OUTCOMES

log = logging.getLogger("service.cli")
REJECTED = (INVALID, CONFLICT)
HTTP_BATCH_FILES = 200  # cable files per multipart request
HTTP_BATCH_BYTES = 16 * 1024 * 1024
HTTP_TIMEOUT_SECONDS = 3600
HTTP_ATTEMPTS = 5  # sends of one request, the first included, while it gets 429 or 503
RETRIED_STATUSES = frozenset({429, 503})
MAX_RETRY_WAIT_SECONDS = 120.0
# Files sent whole through --url, by the reader their name calls for.
WHOLE_FILE_MEDIA_TYPES: dict[Reader, str] = {
    read_csv: "text/csv",
    read_ndjson: "application/x-ndjson",
    read_zip: "application/zip",
    read_tar: "application/x-tar",
    read_gzip: "application/gzip",
}


# --- ingest ---------------------------------------------------------------------------------


class CountingReader(io.RawIOBase):
    """A file whose bytes read are counted, for the progress estimate."""

    def __init__(self, stream: IO[bytes], counter: list[int]) -> None:
        self._stream = stream
        self._counter = counter

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._stream.seekable()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        self._counter[0] += len(data)
        return len(data)


class Progress:
    """A tqdm bar over items whose total is estimated from the bytes read so far."""

    def __init__(self, total_bytes: int, enabled: bool) -> None:
        self.total_bytes = max(total_bytes, 1)
        self.bytes_read = [0]
        self.bar = tqdm(unit="cable", dynamic_ncols=True, disable=not enabled, file=sys.stderr)

    def advance(self, report: BulkReport, items: int) -> None:
        """Count a batch; re-estimate the total (hence the ETA) from the share of bytes read."""
        done = report.total
        share = min(self.bytes_read[0] / self.total_bytes, 1.0)
        if share > 0:
            self.bar.total = max(done, round(done / share))
        self.bar.update(items)
        self.bar.set_postfix({key: report.counts[key] for key in OUTCOMES if report.counts[key]})

    def close(self) -> None:
        """Finish the bar."""
        self.bar.close()


def local_items(paths: Sequence[Path], limits: Limits, counter: list[int]) -> Iterator[Any]:
    """Every cable under the paths, the bytes read counted."""
    for path in paths:
        for file in files_under(path):
            with file.open("rb") as raw:
                stream = io.BufferedReader(CountingReader(raw, counter))
                yield from read_file(stream, str(file), limits)


def ingest_direct(
    args: argparse.Namespace, settings: dict[str, Any], progress: Progress
) -> BulkReport:
    """Parse locally and write straight into MONGO_URI's store."""
    from service.store import open_store

    store = open_store(settings["MONGO_URI"], settings["MONGO_DB"])
    store.ensure_indexes()
    batch_size = args.batch_size or settings["BULK_BATCH_SIZE"]
    return ingest_paths(
        args.paths, store, settings, batch_size, args.replace, progress, args.processes
    )


def ingest_paths(
    paths: Sequence[Path],
    store: Any,
    settings: dict[str, Any],
    batch_size: int,
    replace: bool = False,
    progress: Progress | None = None,
    processes: int = 1,
) -> BulkReport:
    """Parse every cable under the paths into the store, a batch at a time."""
    counter = progress.bytes_read if progress else [0]
    items = local_items(paths, Limits(settings["MAX_CABLE_BYTES"]), counter)
    on_batch = progress.advance if progress else None
    return ingest(
        items,
        store,
        batch_size=batch_size,
        replace=replace,
        processes=processes,
        on_batch=on_batch,
    )


def ingest_http(args: argparse.Namespace, progress: Progress) -> BulkReport:
    """Send the files to a running service: containers whole, cable files in multipart batches."""
    report = BulkReport()
    send = _sender(args.url.rstrip("/"), args.token, args.replace)
    for body, media_type, size in http_requests(args.paths):
        response = send(body, media_type)
        merge(report, response)
        progress.bytes_read[0] += size
        progress.advance(report, response["counts"].get("total", 0))
    return report


def http_requests(paths: Sequence[Path]) -> Iterator[tuple[Any, str, int]]:
    """(body, media type, bytes) per request: a container file whole, else batches of files."""
    batch: list[Path] = []
    batch_bytes = 0
    for path in paths:
        for file in files_under(path):
            reader = reader_for_name(file.name)
            size = file.stat().st_size
            if reader is not read_single_cable:
                yield file.open("rb"), WHOLE_FILE_MEDIA_TYPES[reader], size
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


def _sender(url: str, token: str | None, replace: bool) -> Callable[[Any, str], dict[str, Any]]:
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
                    problem = error.read().decode("utf-8", "replace")
                    wait = retry_after(error)
                    if wait is None or attempt == HTTP_ATTEMPTS:
                        message = f"cables ingest: {target} answered {error.code}: {problem}"
                        raise SystemExit(message) from None
                    log.warning("%s answered %s; retrying in %s s", target, error.code, wait)
                    pause(wait)
            raise AssertionError("unreachable: the last attempt returns or exits")
        finally:
            if not isinstance(body, bytes):
                body.close()

    return send


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


def summary(report: Any, outcomes: Sequence[str] = OUTCOMES) -> str:
    """One line per outcome (of an ingest, or a re-parse), then the total."""
    lines = [f"{outcome:>10}  {report.counts[outcome]:>9,}" for outcome in outcomes]
    return "\n".join([*lines, f"{'total':>10}  {report.total:>9,}"])


def write_rejects(report: BulkReport, path: Path) -> int:
    """Write the rejected items (invalid, conflict) as JSON lines; how many there were."""
    rejected = [item for item in report.items if item["outcome"] in REJECTED]
    with path.open("w", encoding="utf-8") as out:
        for item in rejected:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return len(rejected)


def command_ingest(args: argparse.Namespace) -> int:
    """`cables ingest`."""
    settings = load_settings()
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        raise SystemExit(f"cables ingest: no such file or folder: {', '.join(missing)}")
    total_bytes = sum(file.stat().st_size for path in args.paths for file in files_under(path))
    progress = Progress(total_bytes, enabled=not args.quiet)
    try:
        if args.url:
            report = ingest_http(args, progress)
        else:
            report = ingest_direct(args, settings, progress)
    finally:
        progress.close()
    print(summary(report))
    if args.rejects:
        count = write_rejects(report, args.rejects)
        print(f"{count} rejected item(s) written to {args.rejects}")
    return 1 if any(report.counts[outcome] for outcome in REJECTED) else 0


# --- parse ----------------------------------------------------------------------------------


def command_parse(args: argparse.Namespace) -> int:
    """`cables parse`: print the document of one file as JSON."""
    from service.parsing import CableParseError, parse_cable

    try:
        document = parse_cable(args.file.read_bytes(), format=args.format)
    except CableParseError as error:
        print(f"cables parse: {args.file}: not a cable: {error}", file=sys.stderr)
        return 1
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


# --- serve ----------------------------------------------------------------------------------


# gunicorn limits that keep one slow or oversized client from holding the service; each is
# explained in docs/robustness.md. Larger than gunicorn's defaults only where a long search
# URL needs it.
SERVER_LIMITS: dict[str, Any] = {
    "worker_class": "service.cli.SlowClientSafeWorker",
    "timeout": 120,  # a worker silent this long (a stuck main loop) is killed and replaced
    "graceful_timeout": 30,  # on restart or shutdown, requests in flight get this long
    "keepalive": 5,  # an idle kept-alive connection is closed after this many seconds
    "worker_connections": 1000,  # open connections per worker; more wait in the backlog
    "limit_request_line": 8190,  # longest request line (method, URL, version), in bytes
    "limit_request_fields": 100,  # most header fields in one request
    "limit_request_field_size": 8190,  # longest header field, in bytes
    # gunicorn 27's control socket lives at one path per user: two servers on one machine
    # (a replica beside another, a test beside `scripts/serve`) would fight over it.
    "control_socket_disable": True,
}
CLIENT_TIMEOUT_SECONDS = 30  # a client silent this long while sending or reading is dropped


class SlowClientSafeWorker(ThreadWorker):
    """gunicorn's gthread worker with a timeout on every read and write of a client socket.

    gthread waits for a connection's first bytes off-thread, but once a request has begun a
    thread reads it with a blocking socket and no timeout: a client sending its headers or
    body a byte now and then would hold that thread forever. Here each socket operation
    gives up after `client_timeout` seconds of silence and the connection is closed.
    """

    client_timeout: float = CLIENT_TIMEOUT_SECONDS

    def handle(self, conn: Any) -> Any:
        """Handle a request on `conn` with its socket's timeout set once it is set up."""
        init = conn.init

        def init_with_timeout() -> None:
            init()
            conn.sock.settimeout(self.client_timeout)

        conn.init = init_with_timeout
        try:
            return super().handle(conn)
        finally:
            conn.init = init


class ServiceApplication(BaseApplication):
    """gunicorn running the service; on the embedded store, one worker with threads.

    With `load`, the folders are ingested once at start-up, in the master process: on the
    embedded store the loaded app is then forked into the worker, so a restarted worker gets
    the loaded cables back (uploads since start-up live only in the worker that took them).
    """

    def __init__(
        self, *, host: str, port: int, workers: int, threads: int, load: Sequence[Path] = ()
    ) -> None:
        self.settings = load_settings()
        self.embedded = is_embedded(self.settings["MONGO_URI"])
        if self.embedded and workers > 1:
            log.warning("the embedded store lives in one process: serving with 1 worker")
            workers = 1
        self.options = {
            **SERVER_LIMITS,
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
        }
        self.app: Flask | None = None
        super().__init__()
        if load:
            self._load_at_start(list(load))

    def load_config(self) -> None:
        """Hand our options to gunicorn."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        """The WSGI app: the one loaded at start-up, else a new one (in the worker)."""
        from service import create_app

        return self.app or create_app()

    def _load_at_start(self, paths: list[Path]) -> None:
        """Ingest the folders before serving."""
        from service import create_app
        from service.store import open_store

        if self.embedded:
            self.app = create_app()
            store = self.app.extensions["store"]
        else:  # a client of its own, closed before gunicorn forks
            store = open_store(self.settings["MONGO_URI"], self.settings["MONGO_DB"])
            store.ensure_indexes()
        report = ingest_paths(paths, store, self.settings, self.settings["BULK_BATCH_SIZE"])
        log.warning("loaded at start-up: %s", json.dumps(report.counts))
        if not self.embedded:
            store.db.client.close()


def is_embedded(uri: str) -> bool:
    """Whether MONGO_URI names the embedded in-process store."""
    return not uri or uri.startswith("mongomock://")


def command_serve(args: argparse.Namespace) -> int:
    """`cables serve`: run the API under gunicorn."""
    settings = load_settings()
    application = ServiceApplication(
        host=args.host or settings["HOST"],
        port=args.port or settings["PORT"],
        workers=args.workers or settings["WORKERS"],
        threads=args.threads or settings["THREADS"],
        load=args.load,
    )
    application.run()
    return 0


# --- command line ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The `cables` command line."""
    parser = argparse.ArgumentParser(prog="cables", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    ingest_cmd = commands.add_parser("ingest", help="load files, folders, cables.csv, archives")
    ingest_cmd.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest_cmd.add_argument("--url", help="a running service (else straight into MONGO_URI)")
    ingest_cmd.add_argument("--token", help="write token for --url")
    ingest_cmd.add_argument("--rejects", type=Path, help="write rejected items here (JSON lines)")
    ingest_cmd.add_argument("--replace", action="store_true", help="replace differing texts")
    ingest_cmd.add_argument("--batch-size", type=int, help="cables per batch (BULK_BATCH_SIZE)")
    ingest_cmd.add_argument(
        "--processes", type=int, default=1, help="parser processes in direct mode (default 1)"
    )
    ingest_cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    ingest_cmd.set_defaults(run=command_ingest)

    reparse_cmd = commands.add_parser("reparse", help="re-parse cables an older parser read")
    reparse_cmd.add_argument("--all", action="store_true", help="every cable, whatever its version")
    reparse_cmd.add_argument("--after", metavar="ID", help="start after this id (resume --all)")
    reparse_cmd.add_argument("--batch-size", type=int, help="cables per batch (BULK_BATCH_SIZE)")
    reparse_cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    reparse_cmd.set_defaults(run=command_reparse)

    parse_cmd = commands.add_parser("parse", help="print one file's document as JSON")
    parse_cmd.add_argument("file", type=Path, metavar="FILE")
    parse_cmd.add_argument("--format", default="auto", help="force an input form")
    parse_cmd.set_defaults(run=command_parse)

    serve_cmd = commands.add_parser("serve", help="serve the API with gunicorn")
    serve_cmd.add_argument("--host", help="bind address (HOST, default 127.0.0.1)")
    serve_cmd.add_argument("--port", type=int, help="port (PORT, default 8080)")
    serve_cmd.add_argument("--workers", type=int, help="processes (WORKERS; 1 on embedded store)")
    serve_cmd.add_argument("--threads", type=int, help="threads per worker (THREADS)")
    serve_cmd.add_argument(
        "--load", type=Path, action="append", default=[], metavar="DIR", help="ingest at start-up"
    )
    serve_cmd.set_defaults(run=command_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `cables` command; its exit status."""
    args = build_parser().parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
