"""gunicorn's worker settings, shared by `cables serve` (service.cli.serve) and the container
(service/gunicorn_conf.py): limits that keep one slow or oversized client from holding the
service, and a worker that drops clients gone silent. docs/robustness.md explains each value."""

from __future__ import annotations

from typing import Any

from gunicorn.workers.gthread import ThreadWorker

# Larger than gunicorn's defaults only where a long search URL needs it.
SERVER_LIMITS: dict[str, Any] = {
    "worker_class": "service.server.SlowClientSafeWorker",
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
