"""gunicorn's worker settings, shared by `cables serve` (service.cli.serve) and the container
(service/gunicorn_conf.py): limits that keep slow or oversized clients from holding the
service, and a worker that buffers each request before a thread handles it.
docs/robustness.md explains each value and why this worker."""

from __future__ import annotations

import contextlib
import errno
import selectors
import socket
import time
from concurrent import futures
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

from service.config import load_settings
from service.front import CONTINUE, DONE, HEAD, PASS, FrontSocket, RequestScanner, is_probe

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
HEADER_TIMEOUT_SECONDS = 20  # the whole request head must arrive within this of connecting
BODY_TIMEOUT_SECONDS = 30  # the body must arrive within this of the head...
BODY_MIN_RATE = 32 * 1024  # ...plus one second per this many bytes received
READ_BYTES = 64 * 1024
_TIMEOUT_PROBLEM = (
    b'{"type":"about:blank","title":"Request Timeout","status":408,'
    b'"detail":"The request head did not arrive in time.","errors":[]}'
)
TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\nContent-Type: application/problem+json\r\n"
    b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(_TIMEOUT_PROBLEM), _TIMEOUT_PROBLEM)
)


class FrontConn(TConn):
    """A connection whose requests are buffered by the worker's loop before a thread takes them."""

    def __init__(self, cfg: Any, sock: Any, client: Any, server: Any, front: FrontSocket) -> None:
        super().__init__(cfg, front, client, server)
        self.front = front
        self.scanner: RequestScanner | None = None
        self.deadline = 0.0  # when the part of the request now arriving must be in
        self.probe = False  # a /health or /ready request: served by the probe thread
        self.silent_until = 0.0  # when a client silent since its last byte is dropped

    def close(self, graceful: bool = False) -> None:
        """Close without blocking the worker's loop: gthread's graceful close waits up to 2 s
        for the client to hang up; here the write side is shut and what is already there read."""
        if graceful:
            try:
                self.front.raw.shutdown(socket.SHUT_WR)
                self.front.raw.setblocking(False)
                while self.front.raw.recv(READ_BYTES):
                    pass
            except OSError:
                pass
        self.front.close()


class SlowClientSafeWorker(ThreadWorker):
    """gunicorn's gthread worker with a buffering front: the loop that accepts connections also
    reads each request, head and body, without blocking, into a buffer (memory, then a
    temporary file); a thread is taken only once the whole request is in, or its deadline has
    passed, or the client closed. Idle and trickling clients cost a socket and a buffer, never a
    thread, so `/health` keeps answering while hundreds of them wait.

    Deadlines per connection: the head within `header_timeout` of connecting (else 408 and
    closed; a client that sent nothing is just closed), the body within `body_timeout` of the
    head plus one second per `body_min_rate` bytes received, and no silence longer than
    `client_timeout` between bytes. A body past its deadline goes to a thread that reads what
    came and then gets a TimeoutError: 408 for a single cable, a bulk report saying it was cut.
    """

    client_timeout: float = CLIENT_TIMEOUT_SECONDS
    header_timeout: float = HEADER_TIMEOUT_SECONDS
    body_timeout: float = BODY_TIMEOUT_SECONDS
    body_min_rate: float = BODY_MIN_RATE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.buffering: set[FrontConn] = set()
        settings = load_settings()
        # Larger bodies go straight to the application, which refuses them (413) unread.
        self.max_body = max(settings["MAX_UPLOAD_BYTES"], 2 * settings["MAX_CABLE_BYTES"])
        self.max_head = self.cfg.limit_request_line + self.cfg.limit_request_fields * (
            self.cfg.limit_request_field_size + 2
        )

    def init_process(self) -> None:
        """Also start the probe thread: /health and /ready answer while every thread of the
        pool is busy (eight slow searches delayed /health by 18 s)."""
        self.probe_pool = futures.ThreadPoolExecutor(max_workers=1)
        super().init_process()

    def enqueue_req(self, conn: Any) -> None:
        """Hand a connection to a thread: the probe thread for a probe, else the pool."""
        pool = self.probe_pool if getattr(conn, "probe", False) else self.tpool
        conn.probe = False  # a request read ahead on the connection is no probe
        done = pool.submit(self.handle, conn)
        done.add_done_callback(lambda fut: self.method_queue.defer(self.finish_request, conn, fut))

    def accept(self, listener: Any) -> None:
        """Accept a connection and start buffering its first request (with TLS configured,
        gthread's own way: the front reads plain HTTP only; TLS ends at a proxy in front)."""
        if self.cfg.is_ssl:
            super().accept(listener)
            return
        try:
            client_sock, client_addr = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        front = FrontSocket(client_sock, self.client_timeout)
        conn = FrontConn(self.cfg, client_sock, client_addr, listener.getsockname(), front)
        self._buffer(conn)

    def on_client_socket_readable(self, conn: Any, client: Any) -> None:
        """A kept-alive connection sends its next request: buffer it."""
        if not isinstance(conn, FrontConn):
            super().on_client_socket_readable(conn, client)
            return
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._buffer(conn)

    def _buffer(self, conn: FrontConn) -> None:
        """Start reading a request on `conn` in the loop."""
        now = time.monotonic()
        conn.scanner = RequestScanner(self.max_head, self.max_body)
        conn.front.new_spool()
        conn.deadline = now + self.header_timeout
        conn.silent_until = now + self.header_timeout
        conn.front.raw.setblocking(False)
        self.buffering.add(conn)
        self.poller.register(conn.front.raw, selectors.EVENT_READ, partial(self._readable, conn))

    def _readable(self, conn: FrontConn, _sock: Any) -> None:
        """Read what the client sent; hand the request to a thread once it is all in."""
        scanner, front = conn.scanner, conn.front
        assert scanner is not None and front.spool is not None
        try:
            data = front.raw.recv(scanner.wanted(READ_BYTES))
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._drop(conn)
            return
        if not data:  # the client closed: a thread tells a cut request from nothing at all
            self._drop(conn) if scanner.received == 0 else self._hand_over(conn)
            return
        front.spool.write(data)
        was_head = scanner.state == HEAD
        scanner.feed(data)
        now = time.monotonic()
        conn.silent_until = now + self.client_timeout
        if was_head and scanner.state != HEAD:  # the head is in: the body's deadline starts
            conn.deadline = now + self.body_timeout
        if scanner.state != HEAD:
            conn.deadline += len(data) / self.body_min_rate
        if scanner.state in (DONE, PASS):
            self._hand_over(conn)
        elif scanner.expects_continue and not front.continue_sent:
            front.continue_sent = True
            self._send_quietly(front, CONTINUE)

    def _hand_over(self, conn: FrontConn, expired: bool = False) -> None:
        """Give the buffered request to a thread; once expired, reads past the buffer fail."""
        self.buffering.discard(conn)
        self.poller.unregister(conn.front.raw)
        conn.front.raw.setblocking(True)
        assert conn.front.spool is not None
        conn.front.spool.seek(0)
        conn.front.deadline = time.monotonic() if expired else None
        conn.data_ready = True  # gthread would otherwise wait for data on the thread
        assert conn.scanner is not None
        conn.probe = conn.scanner.state == DONE and is_probe(conn.scanner.request_line)
        self.enqueue_req(conn)

    def _drop(self, conn: FrontConn, answer: bytes = b"") -> None:
        """Close a connection still being buffered."""
        self.buffering.discard(conn)
        with contextlib.suppress(KeyError, ValueError):
            self.poller.unregister(conn.front.raw)
        if answer:
            self._send_quietly(conn.front, answer)
        self.nr_conns -= 1
        conn.front.close()

    @staticmethod
    def _send_quietly(front: FrontSocket, data: bytes) -> None:
        """A small write that must not block the loop: what does not fit is dropped."""
        with contextlib.suppress(OSError):
            front.raw.send(data)

    def murder_pending(self) -> None:
        """Also enforce the deadlines of requests being buffered (called once a loop)."""
        super().murder_pending()
        now = time.monotonic()
        for conn in [c for c in self.buffering if self._expired(c, now)]:
            assert conn.scanner is not None
            if conn.scanner.received == 0:
                self._drop(conn)  # an idle connection: nothing to answer
            elif conn.scanner.state == HEAD:
                self._drop(conn, TIMEOUT_RESPONSE)
            else:
                self._hand_over(conn, expired=True)

    def _expired(self, conn: FrontConn, now: float) -> bool:
        """Past a deadline, or idle while the worker stops."""
        assert conn.scanner is not None
        idle = conn.scanner.received == 0
        return min(conn.deadline, conn.silent_until) <= now or (idle and not self.alive)

    def _keepalive_after(self, conn: Any, keepalive: bool) -> bool:
        """A connection whose body ran out of time is closed, not drained for the next request."""
        deadline = conn.sock.deadline if isinstance(conn.sock, FrontSocket) else None
        if deadline is not None and deadline <= time.monotonic():
            return False
        return bool(super()._keepalive_after(conn, keepalive))

    def handle(self, conn: Any) -> Any:
        """Handle a buffered request; socket writes give up after `client_timeout` seconds."""
        init = conn.init

        def init_with_timeout() -> None:
            init()
            conn.sock.settimeout(self.client_timeout)

        conn.init = init_with_timeout
        try:
            return super().handle(conn)
        finally:
            conn.init = init
