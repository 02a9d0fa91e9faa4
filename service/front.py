"""The buffering front of the server's worker (service.server): it reads each request, head and
body, off the worker's event loop, and only a request that has fully arrived takes a thread.

`RequestScanner` tells from the bytes received so far whether one HTTP/1.1 request is complete
(head, then a Content-Length or chunked body); `FrontSocket` wraps a client socket so that the
thread that handles the request reads the buffered bytes first, then the socket itself with a
deadline. Neither knows gunicorn: service.server wires them into its worker.
"""

from __future__ import annotations

import socket
import tempfile
import time
from typing import IO, Any

HEAD_END = b"\r\n\r\n"
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
SPOOL_MEMORY_BYTES = 256 * 1024  # a buffered request moves to a temporary file past this
MAX_CHUNK_LINE = 4096  # a chunk-size line (with extensions) longer than this is not scanned

PROBE_PATHS = (b"/health", b"/ready")
# What the scanner has seen of one request.
HEAD, BODY, DONE, PASS = "head", "body", "done", "pass"


class RequestScanner:
    """Follows one request's bytes: `state` is HEAD, BODY, DONE (all of it arrived) or PASS (it
    cannot be judged here, malformed or too large: the thread's HTTP parser decides)."""

    def __init__(self, max_head: int, max_body: int) -> None:
        self.max_head = max_head
        self.max_body = max_body
        self.state = HEAD
        self.head = bytearray()
        self.received = 0  # bytes of the request so far, head included
        self.body_received = 0
        self.expects_continue = False
        self.request_line = b""
        self._remaining = 0  # Content-Length bytes still to come, or of the current chunk
        self._chunked = False
        self._chunk_phase = "size"  # size, data, data-end, trailer
        self._line = bytearray()

    def wanted(self, default: int) -> int:
        """How many bytes to read next: never past the end of a Content-Length body, so that
        a pipelined next request stays on the socket."""
        if self.state == BODY and not self._chunked:
            return max(1, min(default, self._remaining))
        return default

    def feed(self, data: bytes) -> None:
        """Take the next bytes of the request."""
        self.received += len(data)
        if self.state == HEAD:
            self.head += data
            end = self.head.find(HEAD_END)
            if end < 0:
                if len(self.head) > self.max_head:
                    self.state = PASS
                return
            rest = bytes(self.head[end + len(HEAD_END) :])
            del self.head[end + len(HEAD_END) :]
            self._read_head(bytes(self.head[:end]))
            data = rest
        if self.state == BODY and data:
            self.body_received += len(data)
            if self.body_received > self.max_body:
                self.state = PASS
            elif self._chunked:
                self._scan_chunks(data)
            else:
                self._remaining -= len(data)
                if self._remaining <= 0:
                    self.state = DONE

    def _read_head(self, head: bytes) -> None:
        """The framing of the body the head announces."""
        lines = head.split(b"\r\n")
        request_line, fields = lines[0], lines[1:]
        self.request_line = request_line
        lengths: set[bytes] = set()
        for line in fields:
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                lengths.add(value)
            elif name == b"transfer-encoding":
                self._chunked = self._chunked or b"chunked" in value
            elif name == b"expect" and value == b"100-continue":
                self.expects_continue = request_line.endswith(b"HTTP/1.1")
        if self._chunked and lengths or len(lengths) > 1:
            self.state = PASS  # ambiguous framing: the HTTP parser refuses it
        elif self._chunked:
            self.state = BODY
        elif lengths:
            length = lengths.pop()
            if not length.isdigit() or int(length) > self.max_body:
                self.state = PASS  # the application answers 400 or 413 without the body
            elif int(length) == 0:
                self.state = DONE
            else:
                self._remaining = int(length)
                self.state = BODY
        else:
            self.state = DONE

    def _scan_chunks(self, data: bytes) -> None:
        """Follow chunked framing (RFC 9112 7.1) until the last chunk and its trailers."""
        view = memoryview(data)
        while view and self.state == BODY:
            if self._chunk_phase == "data":
                taken = min(self._remaining, len(view))
                self._remaining -= taken
                view = view[taken:]
                if self._remaining == 0:
                    self._chunk_phase = "data-end"
                continue
            end = bytes(view).find(b"\n")
            if end < 0:
                self._line += view
                view = view[len(view) :]
                if len(self._line) > MAX_CHUNK_LINE:
                    self.state = PASS
                continue
            self._line += view[: end + 1]
            view = view[end + 1 :]
            line = bytes(self._line).strip()
            self._line.clear()
            self._end_of_line(line)

    def _end_of_line(self, line: bytes) -> None:
        """A whole line of chunked framing: a chunk size, the end of a chunk, or a trailer."""
        if self._chunk_phase == "size":
            size = line.split(b";", 1)[0].strip()
            try:
                self._remaining = int(size, 16)
            except ValueError:
                self.state = PASS  # a bad chunk size: the HTTP parser says 400
                return
            self._chunk_phase = "trailer" if self._remaining == 0 else "data"
        elif self._chunk_phase == "data-end":
            self._chunk_phase = "size"
            if line:
                self.state = PASS  # a chunk longer than its size said
        elif not line:  # the blank line after the trailers ends the body
            self.state = DONE


def is_probe(request_line: bytes) -> bool:
    """Whether the request is a health or readiness probe (GET or HEAD /health, /ready)."""
    method, _, rest = request_line.partition(b" ")
    path = rest.partition(b" ")[0].partition(b"?")[0]
    return method in (b"GET", b"HEAD") and path in PROBE_PATHS


class FrontSocket:
    """A client socket whose next reads come from the request buffered by the front, then from
    the socket itself, each waiting at most `client_timeout` and never past the deadline: the
    first read past it raises TimeoutError, later ones return b"" (the end), so that a reader
    that buffers (gunicorn's body readers) can still hand over what arrived in time."""

    def __init__(self, sock: socket.socket, client_timeout: float) -> None:
        self.raw = sock
        self.client_timeout = client_timeout
        self.spool: IO[bytes] | None = None
        self.deadline: float | None = None
        self.continue_sent = False
        self.timed_out = False  # a read met the deadline: later reads see the end

    def new_spool(self) -> IO[bytes]:
        """A buffer for the next request."""
        self.close_spool()
        self.spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)  # noqa: SIM115
        self.continue_sent = False
        self.deadline = None
        self.timed_out = False
        return self.spool

    def close_spool(self) -> None:
        """Forget the buffered request."""
        if self.spool is not None:
            self.spool.close()
            self.spool = None

    def recv(self, size: int) -> bytes:
        """The next buffered bytes, else the socket's, within the timeouts."""
        if self.spool is not None:
            data = self.spool.read(size)
            if data:
                return data
            self.close_spool()
        timeout = self.raw.gettimeout() or self.client_timeout  # a close may ask for less
        if self.deadline is not None:
            timeout = min(timeout, self.deadline - time.monotonic())
            if timeout <= 0 and self.timed_out:
                return b""  # said once: now the end, so that what came before can be read
            if timeout <= 0:
                self.timed_out = True
                raise TimeoutError("the client did not send its request in time")
        self.raw.settimeout(timeout)
        return self.raw.recv(size)

    def send(self, data: bytes, *args: Any) -> int:
        """Send, except a second 100 Continue: the front already sent one."""
        if self.continue_sent and bytes(data) == CONTINUE:
            return len(data)
        return self.raw.send(data, *args)

    def close(self) -> None:
        """Close the socket and drop the buffer."""
        self.close_spool()
        self.raw.close()

    def __getattr__(self, name: str) -> Any:
        """Everything else (sendall, fileno, setblocking, shutdown...) is the socket's."""
        return getattr(self.raw, name)
