"""`cables serve` under gunicorn on 127.0.0.1: oversized request lines, headers and bodies are
refused, and slow clients cannot hold the service's threads."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile import SEED, WRITE_TOKEN

from service.server import SERVER_LIMITS

ROOT = Path(__file__).resolve().parents[2]
THREADS = 2
CLIENT_TIMEOUT = 2  # seconds of silence before the server drops a client (30 in production)
MAX_CABLE_BYTES = 100_000
STARTUP_ATTEMPTS = 600  # polls of /health, 0.1 s apart, before giving up on the server
# Starts `cables serve` with a short client timeout, so that the test need not wait 30 s.
SERVE = (
    "import sys; from service.cli import main; from service.server import SlowClientSafeWorker; "
    f"SlowClientSafeWorker.client_timeout = {CLIENT_TIMEOUT}; "
    "sys.exit(main(sys.argv[1:]))"
)


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


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    """`cables serve` in a process of its own; its port."""
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
        [sys.executable, "-c", SERVE, "serve", "--port", str(port), "--threads", str(THREADS)],
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
            pytest.fail("cables serve did not answer /health")
        yield port
    finally:
        os.killpg(process.pid, signal.SIGINT)  # quick shutdown of master and worker
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_serve_sets_every_limit():
    for name in ("timeout", "graceful_timeout", "keepalive", "limit_request_line"):
        assert SERVER_LIMITS[name] > 0
    assert SERVER_LIMITS["worker_class"] == "service.server.SlowClientSafeWorker"


@pytest.mark.parametrize(
    "raw",
    [
        b"GET /cables?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: t\r\n\r\n",
        b"GET /health HTTP/1.1\r\nHost: t\r\n" + b"X-Pad: " + b"b" * 9000 + b"\r\n\r\n",
        b"GET /health HTTP/1.1\r\nHost: t\r\n"
        + b"".join(b"X-H%d: v\r\n" % number for number in range(150))
        + b"\r\n",
    ],
    ids=["request-line", "header-field", "header-count"],
)
def test_oversized_request_heads_are_refused_and_the_service_goes_on(server, raw):
    assert status_of(exchange(server, raw)) in (400, 414, 431)
    assert status_of(get(server, "/health")) == 200


def test_a_body_over_the_cable_limit_is_413_problem_json(server):
    body = b"x" * (MAX_CABLE_BYTES + 1)
    head = (
        f"POST /cables HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {WRITE_TOKEN}\r\n"
        f"Content-Type: text/plain\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    response = exchange(server, head + body)
    assert status_of(response) == 413
    assert b"application/problem+json" in response
    assert json.loads(response.split(b"\r\n\r\n", 1)[1])["status"] == 413


def stall(port: int, raw: bytes) -> socket.socket:
    """A connection that sent `raw` and then goes silent."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=60)
    connection.sendall(raw)
    return connection


def test_slow_clients_cannot_hold_the_service(server):
    seed = SEED.read_bytes()
    body_head = (
        f"POST /cables HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {WRITE_TOKEN}\r\n"
        f"Content-Type: text/plain\r\nContent-Length: {len(seed)}\r\n\r\n"
    ).encode()
    stalled = [stall(server, body_head + seed[:100]) for _ in range(THREADS)]
    stalled.append(stall(server, b"GET /health HTTP/1.1\r\nHost: t\r\n"))
    try:
        # more stalled clients than threads, and the service still answers
        assert status_of(get(server, "/health")) == 200
        for connection in stalled:
            answer = read_all(connection)  # the server hangs up on each silent client
            assert answer == b"" or status_of(answer) in (400, 408)
    finally:
        for connection in stalled:
            connection.close()
    assert status_of(get(server, "/cables/06ALMATY1457")) == 404  # no half upload was stored
