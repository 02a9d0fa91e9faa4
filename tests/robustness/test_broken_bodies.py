"""Broken multipart bodies against `cables serve`: a 400 problem naming the part, the complete
parts before the break kept, and memory bounded while a boundary does not come."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from gunicorn_served import AUTH, exchange, get, problem_of, serving, status_of
from hostile import corpus_texts, fresh_parse

from service.ingest.readers import (
    CHUNK_BYTES,
    MULTIPART_BUFFER_BYTES,
    BrokenBody,
    Limits,
    read_multipart,
)

BOUNDARY = b"b0undary"
MEDIA_TYPE = "multipart/form-data; boundary=b0undary"


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    with serving() as port:
        yield port


def part(name: str, data: bytes, disposition: bool = True) -> bytes:
    """One part of a multipart body, its closing CRLF included."""
    head = f'Content-Disposition: form-data; name="{name}"; filename="{name}.txt"\r\n'
    return (
        b"--"
        + BOUNDARY
        + b"\r\n"
        + (head.encode() if disposition else b"")
        + b"\r\n"
        + data
        + b"\r\n"
    )


def post(port: int, body: bytes) -> bytes:
    """POST a multipart body to /cables."""
    head = (
        f"POST /cables HTTP/1.1\r\nHost: t\r\n{AUTH}Content-Type: {MEDIA_TYPE}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    return exchange(port, head + body)


def two_cables() -> tuple[bytes, list[str]]:
    """Two complete parts holding real cables, and their reference ids."""
    texts = corpus_texts(2)
    body = b"".join(part(f"c{n}", text.encode()) for n, text in enumerate(texts))
    return body, [fresh_parse(text)["reference_id"] for text in texts]


def delete(port: int, reference_id: str) -> int:
    raw = f"DELETE /cables/{reference_id} HTTP/1.1\r\nHost: t\r\n{AUTH}Connection: close\r\n\r\n"
    return status_of(exchange(port, raw.encode()))


@pytest.mark.parametrize(
    ("broken", "named"),
    [
        (part("c2", b"never ends").removesuffix(b"\r\n"), "part 3 ('c2.txt') never ends"),
        (part("c2", b"no disposition", disposition=False) + b"--b0undary--\r\n", "part 3"),
        (
            b'--b0undary\r\nContent-Disposition: form-data; name="\xff\xfe"\r\n\r\nx\r\n'
            b"--b0undary--\r\n",
            "part 3",
        ),
    ],
    ids=["part-never-ends", "no-content-disposition", "header-not-utf8"],
)
def test_a_broken_part_is_400_naming_it_and_the_parts_before_are_kept(server, broken, named):
    complete, ids = two_cables()
    answer = post(server, complete + broken)
    assert status_of(answer) == 400, answer[:400]
    problem = problem_of(answer)
    assert named in problem["detail"]
    assert problem["errors"][0]["counts"]["created"] == 2
    assert problem["errors"][0]["cut"] == "malformed"
    assert [status_of(get(server, f"/cables/{ref}")) for ref in ids] == [200, 200]
    assert [delete(server, ref) for ref in ids] == [204, 204]


def test_a_body_without_its_boundary_is_400(server):
    answer = post(server, b"no boundary here\r\n" * 1000)
    assert status_of(answer) == 400, answer[:400]
    assert "no multipart boundary" in problem_of(answer)["detail"]


class Endless(io.RawIOBase):
    """`prefix`, then `size` bytes of x, made as they are read; counts what was read."""

    def __init__(self, prefix: bytes, size: int) -> None:
        self.prefix = prefix
        self.left = size
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.prefix:
            count = min(len(buffer), len(self.prefix))
            buffer[:count] = self.prefix[:count]
            self.prefix = self.prefix[count:]
        else:
            count = min(len(buffer), self.left)
            buffer[:count] = b"x" * count
            self.left -= count
        self.read_bytes += count
        return count


@pytest.mark.parametrize(
    "prefix",
    [b"", b"--b0undary\r\nContent-Disposition: form-data; name="],
    ids=["no-boundary", "headers-never-end"],
)
def test_a_boundary_that_never_comes_is_refused_after_a_bounded_read(prefix):
    stream = Endless(prefix, 300 * 1024 * 1024)
    with pytest.raises(BrokenBody, match="within"):
        list(read_multipart(io.BufferedReader(stream, CHUNK_BYTES), BOUNDARY, Limits(5_000_000)))
    assert stream.read_bytes <= MULTIPART_BUFFER_BYTES + 2 * CHUNK_BYTES
