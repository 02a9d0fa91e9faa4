"""`cables serve` under gunicorn on 127.0.0.1 for the tests that need the real server, and raw
HTTP over a socket to talk to it (requests that lie about their bodies, stall, or are cut)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hostile import WRITE_TOKEN

ROOT = Path(__file__).resolve().parents[2]
CLIENT_TIMEOUT = 2  # seconds of silence before the server drops a client (30 in production)
HEADER_TIMEOUT = 5  # seconds for a whole request head (20 in production)
BODY_TIMEOUT = 4  # seconds for a body after its head (30 in production)
AUTH = f"Authorization: Bearer {WRITE_TOKEN}\r\n"
CLOSE = b"\r\nConnection: close\r\n\r\n"
MAX_CABLE_BYTES = 100_000
STARTUP_ATTEMPTS = 600  # polls of /health, 0.1 s apart, before giving up on the server
# Short deadlines, so that a test need not wait 30 s.
SHORT_DEADLINES = (
    "import sys; from service.server import SlowClientSafeWorker; "
    f"SlowClientSafeWorker.client_timeout = {CLIENT_TIMEOUT}; "
    f"SlowClientSafeWorker.header_timeout = {HEADER_TIMEOUT}; "
    f"SlowClientSafeWorker.body_timeout = {BODY_TIMEOUT}; "
)
# `cables serve`, as scripts/serve runs it.
SERVE = SHORT_DEADLINES + "from service.cli import main; sys.exit(main(sys.argv[1:]))"
# gunicorn with the container's configuration (the Dockerfile's command).
CONTAINER = (
    SHORT_DEADLINES + "from gunicorn.app.wsgiapp import run; sys.argv[0] = 'gunicorn'; run()"
)


def command(kind: str, port: int, threads: int) -> list[str]:
    """The command line of a server: `cables serve`, or the container's gunicorn."""
    if kind == "container":
        config = ["-c", "python:service.gunicorn_conf", "--bind", f"127.0.0.1:{port}"]
        return [
            sys.executable,
            "-c",
            CONTAINER,
            *config,
            "--threads",
            str(threads),
            "service:create_app()",
        ]
    return [sys.executable, "-c", SERVE, "serve", "--port", str(port), "--threads", str(threads)]


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def exchange(port: int, raw: bytes, timeout: float = 60) -> bytes:
    """Send raw bytes on a new connection; everything the server answers until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(raw)
        return read_all(connection)


def read_all(connection: socket.socket) -> bytes:
    """Read until the server closes the connection (a reset counts as closed)."""
    chunks = []
    try:
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    except ConnectionResetError:
        pass
    return b"".join(chunks)


def status_of(response: bytes) -> int:
    """The status code of a raw HTTP response."""
    return int(response.split(b" ", 2)[1])


def get(port: int, path: str) -> bytes:
    """A plain GET that closes its connection."""
    return exchange(port, f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())


@contextmanager
def serving(threads: int = 2, kind: str = "serve") -> Iterator[int]:
    """`cables serve` (or with `kind="container"` the container's gunicorn) in a process of
    its own, with `threads` threads; its port."""
    port = free_port()
    env = {
        **os.environ,
        "MONGO_URI": "",
        "API_TOKENS": WRITE_TOKEN,
        "MAX_CABLE_BYTES": str(MAX_CABLE_BYTES),
        "RATE_LIMIT": "off",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        command(kind, port, threads),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the worker is stopped with it
    )
    try:
        for _ in range(STARTUP_ATTEMPTS):
            try:
                if status_of(get(port, "/health")) == 200:
                    break
            except (OSError, IndexError, ValueError):
                time.sleep(0.1)
        else:
            pytest.fail(f"the server ({kind}) did not answer /health")
        yield port
    finally:
        os.killpg(process.pid, signal.SIGINT)  # quick shutdown of master and worker
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def send_cut(port: int, raw: bytes) -> bytes:
    """Send `raw` (a request whose body is shorter than its Content-Length), close the sending
    side, and read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(raw)
        connection.shutdown(socket.SHUT_WR)
        return read_all(connection)


def problem_of(response: bytes) -> dict[str, Any]:
    """The problem+json body of a raw response."""
    assert b"application/problem+json" in response.split(b"\r\n\r\n", 1)[0]
    body: dict[str, Any] = json.loads(response.split(b"\r\n\r\n", 1)[1])
    assert body["status"] == status_of(response)
    return body


def upload_head(length: int, media_type: str = "text/plain") -> bytes:
    """The head of a POST /cables with a body of `length` bytes."""
    return (
        f"POST /cables HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {WRITE_TOKEN}\r\n"
        f"Content-Type: {media_type}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()
