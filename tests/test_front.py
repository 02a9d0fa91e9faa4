"""The server's buffering front: when one request has fully arrived (service/front.py)."""

from __future__ import annotations

import socket

import pytest

from service.front import BODY, CONTINUE, DONE, HEAD, PASS, FrontSocket, RequestScanner

MAX_HEAD = 1000
MAX_BODY = 100


def scan(*pieces: bytes) -> RequestScanner:
    """A scanner fed the pieces in turn."""
    scanner = RequestScanner(MAX_HEAD, MAX_BODY)
    for piece in pieces:
        scanner.feed(piece)
    return scanner


def test_a_head_without_a_body_is_done_only_once_it_ends():
    assert scan(b"GET / HTTP/1.1\r\nHost: t\r\n").state == HEAD
    assert scan(b"GET / HTTP/1.1\r\nHost: t\r\n", b"\r\n").state == DONE


def test_a_content_length_body_is_done_at_its_length_and_reads_stop_there():
    scanner = scan(b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n1234")
    assert scanner.state == BODY
    assert scanner.wanted(65536) == 6  # a pipelined next request stays on the socket
    scanner.feed(b"567890")
    assert scanner.state == DONE


@pytest.mark.parametrize(
    "pieces",
    [
        [b"3\r\nabc\r\n0\r\n\r\n"],
        [b"3\r", b"\nab", b"c\r\n", b"0;ext=1\r\nTrailer: x\r\n", b"\r\n"],
    ],
)
def test_a_chunked_body_is_done_after_its_last_chunk_and_trailers(pieces):
    head = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert scan(head, *pieces[:-1]).state == BODY
    assert scan(head, *pieces).state == DONE


@pytest.mark.parametrize(
    "raw",
    [
        b"POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n",  # over the body limit
        b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n",
        b"GET / HTTP/1.1\r\nX: " + b"a" * MAX_HEAD,
    ],
    ids=[
        "too-large",
        "bad-length",
        "two-lengths",
        "length-and-chunked",
        "bad-chunk-size",
        "chunk-too-long",
        "head-too-large",
    ],
)
def test_what_the_front_cannot_judge_goes_to_the_http_parser(raw):
    assert scan(raw).state == PASS


def test_expect_100_continue_is_seen_on_http_1_1_only():
    head = b"POST / %s\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
    assert scan(head % b"HTTP/1.1").expects_continue
    assert not scan(head % b"HTTP/1.0").expects_continue


def test_the_front_socket_reads_the_buffer_first_and_sends_100_continue_once():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        front = FrontSocket(ours, client_timeout=1)
        front.new_spool().write(b"buffered")
        front.spool.seek(0)  # type: ignore[union-attr]
        theirs.sendall(b"live")
        assert front.recv(100) == b"buffered"
        assert front.recv(100) == b"live"
        front.continue_sent = True
        assert front.send(CONTINUE) == len(CONTINUE)  # not sent a second time
        front.send(b"answer")
        assert theirs.recv(100) == b"answer"


def test_a_read_past_the_deadline_times_out_at_once():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        front = FrontSocket(ours, client_timeout=30)
        front.deadline = 0.0
        with pytest.raises(TimeoutError):
            front.recv(10)
