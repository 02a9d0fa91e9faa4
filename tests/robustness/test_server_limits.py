"""`cables serve` under gunicorn on 127.0.0.1: oversized request lines, headers and bodies are
refused, and slow clients cannot hold the service's threads."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest
from gunicorn_served import (
    AUTH,
    BODY_TIMEOUT,
    CLOSE,
    HEADER_TIMEOUT,
    MAX_CABLE_BYTES,
    exchange,
    get,
    problem_of,
    read_all,
    send_cut,
    serving,
    status_of,
    upload_head,
)
from hostile import SEED, WRITE_TOKEN, corpus_texts, fresh_parse

from service.server import SERVER_LIMITS

THREADS = 2
IDLE_CLIENTS = 200
TRICKLING_CLIENTS = 8
HEALTH_WITHIN = 1.0  # seconds /health may take while slow clients wait


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    """`cables serve` with 2 threads, for the module."""
    with serving(THREADS) as port:
        yield port


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


def timed_health(port: int) -> float:
    """Seconds /health took to answer 200 on a new connection."""
    started = time.monotonic()
    raw = b"GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    assert status_of(exchange(port, raw, timeout=5)) == 200
    return time.monotonic() - started


def trickle_while_checking_health(port: int, tricklers: list[socket.socket], data: bytes) -> None:
    """Send `data` a byte at a time on every trickling connection, four bytes a second, for
    less than the server's deadlines, and require /health to answer within a second throughout."""
    ends = time.monotonic() + min(HEADER_TIMEOUT, BODY_TIMEOUT) - 1
    position = 0
    while time.monotonic() < ends:
        for connection in tricklers:
            connection.sendall(data[position : position + 1])
        position += 1
        assert timed_health(port) < HEALTH_WITHIN
        time.sleep(0.25)


@pytest.fixture(scope="module")
def container() -> Iterator[int]:
    """gunicorn as the container runs it (service/gunicorn_conf.py), 2 threads."""
    with serving(THREADS, kind="container") as port:
        yield port


@pytest.mark.parametrize("how", ["cables-serve", "container"])
def test_idle_and_trickling_connections_leave_health_answering(request, how):
    server = request.getfixturevalue("server" if how == "cables-serve" else "container")
    idle = [socket.create_connection(("127.0.0.1", server)) for _ in range(IDLE_CLIENTS)]
    tricklers = [socket.create_connection(("127.0.0.1", server)) for _ in range(TRICKLING_CLIENTS)]
    try:
        assert timed_health(server) < HEALTH_WITHIN
        trickle_while_checking_health(server, tricklers, b"GET /health HTTP/1.1\r\nX-Slow: " * 9)
        for connection in tricklers:  # past the head deadline: 408 problem+json, closed
            connection.settimeout(HEADER_TIMEOUT + 5)
            answer = read_all(connection)
            assert status_of(answer) == 408
            assert b"application/problem+json" in answer
        for connection in idle:  # clients that never sent a byte are closed, unanswered
            connection.settimeout(HEADER_TIMEOUT + 5)
            assert read_all(connection) == b""
        assert timed_health(server) < HEALTH_WITHIN
    finally:
        for connection in idle + tricklers:
            connection.close()


def test_trickling_bodies_leave_health_answering_and_get_408(server):
    seed = SEED.read_bytes()
    tricklers = [stall(server, upload_head(len(seed))) for _ in range(TRICKLING_CLIENTS)]
    try:
        trickle_while_checking_health(server, tricklers, seed)
        for connection in tricklers:  # past the body deadline: 408, nothing stored
            connection.settimeout(BODY_TIMEOUT + 10)
            answer = read_all(connection)
            assert status_of(answer) == 408, answer[:300]
            assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["status"] == 408
    finally:
        for connection in tricklers:
            connection.close()
    assert status_of(get(server, "/cables/06ALMATY1457")) == 404


def test_a_single_body_cut_short_is_400_stores_nothing_and_its_retry_is_201(server):
    seed = SEED.read_bytes()
    answer = send_cut(server, upload_head(len(seed)) + seed[: len(seed) // 2])
    assert status_of(answer) == 400, answer[:300]
    assert "cut short" in problem_of(answer)["detail"]
    assert status_of(get(server, "/cables/06ALMATY1457")) == 404
    assert status_of(get(server, "/cables/06ALMATY1457/raw")) == 404
    whole = exchange(server, upload_head(len(seed)).replace(b"\r\n\r\n", CLOSE) + seed)
    assert status_of(whole) == 201, whole[:300]
    delete = f"DELETE /cables/06ALMATY1457 HTTP/1.1\r\nHost: t\r\n{AUTH}Connection: close\r\n\r\n"
    assert status_of(exchange(server, delete.encode())) == 204


def test_a_bulk_body_cut_short_keeps_the_whole_cables_and_says_it_was_cut(server):
    texts = [text for text in corpus_texts(12) if len(text) < MAX_CABLE_BYTES][:3]
    lines = [json.dumps({"text": text}).encode() + b"\n" for text in texts]
    body = b"".join(lines)
    cut_at = len(lines[0]) + len(lines[1]) + len(lines[2]) // 2
    answer = send_cut(server, upload_head(len(body), "application/x-ndjson") + body[:cut_at])
    assert status_of(answer) == 400, answer[:300]
    problem = problem_of(answer)
    assert "cut short" in problem["detail"]
    assert problem["errors"][0]["counts"]["created"] == 2
    ids = [fresh_parse(text)["reference_id"] for text in texts]
    assert [status_of(get(server, f"/cables/{ref}")) for ref in ids] == [200, 200, 404]
    for reference_id in ids[:2]:
        delete = (
            f"DELETE /cables/{reference_id} HTTP/1.1\r\nHost: t\r\n{AUTH}Connection: close\r\n\r\n"
        )
        assert status_of(exchange(server, delete.encode())) == 204


def chunked(path: str, chunks: list[bytes]) -> bytes:
    """A chunked POST of text/plain, the chunks framed as given (raw, so they may lie)."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: t\r\n{AUTH}Content-Type: text/plain\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ).encode()
    return head + b"".join(chunks)


def chunk(data: bytes) -> bytes:
    """One well-formed chunk."""
    return b"%x\r\n%s\r\n" % (len(data), data)


@pytest.mark.parametrize("path", ["/cables", "/parse"])
def test_a_chunked_body_over_the_cable_limit_is_413(server, path):
    piece = b"x" * 10_000
    raw = chunked(path, [chunk(piece)] * (MAX_CABLE_BYTES // len(piece) + 2) + [b"0\r\n\r\n"])
    answer = exchange(server, raw)
    assert status_of(answer) == 413, answer[:300]
    assert problem_of(answer)["status"] == 413


@pytest.mark.parametrize(
    "chunks",
    [[b"zz\r\nabc\r\n0\r\n\r\n"], [b"3\r\nabcdef\r\n0\r\n\r\n"]],
    ids=["size-not-hex", "chunk-longer-than-said"],
)
def test_a_malformed_chunked_body_is_400(server, chunks):
    answer = exchange(server, chunked("/cables", chunks))
    assert status_of(answer) == 400, answer[:300]
    assert problem_of(answer)["detail"]
    assert status_of(get(server, "/health")) == 200


def test_health_answers_while_every_thread_is_busy(server):
    # Bulk uploads of real cables keep both threads parsing for seconds; /health has a thread
    # of its own (before: it waited for one of them).
    texts = corpus_texts(400)[40:]  # not the cables the other tests store and look for
    body = b"".join(json.dumps({"text": text}).encode() + b"\n" for text in texts)
    head = upload_head(len(body), "application/x-ndjson").replace(b"\r\n\r\n", CLOSE)
    busy = [stall(server, head + body) for _ in range(THREADS + 1)]
    try:
        time.sleep(1)  # the bodies are in, the threads parsing
        timings = [timed_health(server) for _ in range(4)]
        answers = [read_all(connection) for connection in busy]
    finally:
        for connection in busy:
            connection.close()
    assert all(status_of(answer) == 200 for answer in answers)
    assert max(timings) < HEALTH_WITHIN, timings


def test_a_bulk_body_that_stops_coming_is_408_with_the_whole_cables_kept(server):
    texts = [text for text in corpus_texts(30) if len(text) < MAX_CABLE_BYTES][20:23]
    lines = [json.dumps({"text": text}).encode() + b"\n" for text in texts]
    body = b"".join(lines)
    sent = len(lines[0]) + len(lines[1]) + 10
    connection = stall(server, upload_head(len(body), "application/x-ndjson") + body[:sent])
    try:
        connection.settimeout(BODY_TIMEOUT + 10)
        answer = read_all(connection)  # silent past the body deadline
    finally:
        connection.close()
    assert status_of(answer) == 408, answer[:300]
    problem = problem_of(answer)
    assert problem["errors"][0]["cut"] == "timed out"
    assert problem["errors"][0]["counts"]["created"] == 2
    ids = [fresh_parse(text)["reference_id"] for text in texts]
    assert [status_of(get(server, f"/cables/{ref}")) for ref in ids] == [200, 200, 404]
