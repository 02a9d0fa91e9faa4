"""Streaming readers: a request body or a path in, one `Item` per cable out.

Every reader is a generator over a byte stream, so a bulk upload is read as it is consumed
and at most one batch of items is ever held. Archives that need seeking (zip) and files
posted in multipart bodies are spooled to a temporary file that stays in memory only while
small. Names inside archives are labels for reports only: nothing is ever written under
them, so `../../etc/passwd` is harmless.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import posixpath
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from werkzeug.sansio.multipart import (
    Data,
    Epilogue,
    Field,
    File,
    MultipartDecoder,
    NeedData,
    State,
)

from service.ingest.csv_dump import _ROW_START, read_cables_csv
from service.ingest.items import Item, bounded_lines, broken
from service.schemas.cables import load_cable_body

CHUNK_BYTES = 64 * 1024
SPOOL_MEMORY_BYTES = 8 * 1024 * 1024  # a spooled part or archive moves to disk past this
JSON_OVERHEAD = 2  # a JSON line may escape its text to twice the cable's size
MULTIPART_BUFFER_BYTES = 1024 * 1024  # bytes held while looking for a boundary or a part's end
_TAR_MAGIC_OFFSET = 257


@dataclass(frozen=True, slots=True)
class Limits:
    """How large one cable may be, and how deep archives may nest."""

    max_cable_bytes: int
    max_depth: int = 2


Reader = Callable[[IO[bytes], str | None, Limits, int], Iterator[Item]]


def read_single_cable(
    stream: IO[bytes], name: str | None, limits: Limits, depth: int = 0
) -> Iterator[Item]:
    """One file holding one cable (any format the parser knows)."""
    data = stream.read(limits.max_cable_bytes + 1)
    if len(data) > limits.max_cable_bytes:
        yield broken(f"cable larger than {limits.max_cable_bytes} bytes", name=name)
        return
    yield Item(data=data, name=name, media_type=media_type_for_name(name))


def read_csv(stream: IO[bytes], name: str | None, limits: Limits, depth: int = 0) -> Iterator[Item]:
    """A Cablegate cables.csv dump."""
    return read_cables_csv(stream, name=name, max_row_bytes=limits.max_cable_bytes)


def read_ndjson(
    stream: IO[bytes], name: str | None, limits: Limits, depth: int = 0
) -> Iterator[Item]:
    """One JSON object `{"text": ..., "metadata": {...}}` per line."""
    max_line = limits.max_cable_bytes * JSON_OVERHEAD
    number = 1
    for line in bounded_lines(stream, max_line):
        here = number
        number += line.endswith(b"\n")
        if len(line) > max_line:
            yield broken(f"line longer than {max_line} bytes", name=name, line=here)
            continue
        if line.strip():
            yield _ndjson_item(line, name, here, limits)


def _ndjson_item(line: bytes, name: str | None, number: int, limits: Limits) -> Item:
    """The cable on one NDJSON line, or a broken item saying what is wrong."""
    try:
        value = json.loads(line)
    except ValueError as error:
        return broken(f"not JSON: {error}", name=name, line=number)
    except RecursionError:  # json.loads recurses once per nesting level
        return broken("not JSON: nested too deeply", name=name, line=number)
    return json_value_item(value, name, number, limits)


def json_value_item(value: Any, name: str | None, number: int, limits: Limits) -> Item:
    """The cable of one decoded `{"text": ..., "metadata": ...}` object (an NDJSON line, an
    element of a JSON array), or a broken item saying what is wrong."""
    body, problems = load_cable_body(value)
    if body is None:
        return broken(f"not a cable object: {problems}", name=name, line=number)
    item = Item(
        data=body["text"],
        name=body.get("name") or name,
        line=number,
        metadata=body.get("metadata"),
    )
    if item.size > limits.max_cable_bytes:
        return broken(f"cable larger than {limits.max_cable_bytes} bytes", name=name, line=number)
    return item


def read_zip(stream: IO[bytes], name: str | None, limits: Limits, depth: int = 0) -> Iterator[Item]:
    """A .zip of cable files (and of csv/ndjson files)."""
    with _seekable(stream) as seekable:
        try:
            archive = zipfile.ZipFile(seekable)
        except zipfile.BadZipFile as error:
            yield broken(f"not a zip archive: {error}", name=name)
            return
        with archive:
            overlap = _overlapping(archive.infolist())
            if overlap:
                yield broken(f"zip entries overlap ({overlap}): a zip bomb, not read", name=name)
                return
            for info in archive.infolist():
                member = _member_name(name, info.filename)
                if info.is_dir() or _is_hidden(info.filename):
                    continue
                try:
                    with archive.open(info) as member_stream:
                        yield from read_file(member_stream, member, limits, depth + 1)
                except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as error:
                    yield broken(f"unreadable zip member: {error}", name=member)


def _overlapping(infos: list[zipfile.ZipInfo]) -> str | None:
    """Two entries whose data overlap, named, else None. Python's zipfile does not check: 120
    entries pointing at one 5 MB member unpack to 600 MB from a 30 KB file."""
    previous: zipfile.ZipInfo | None = None
    end = 0
    for info in sorted(infos, key=lambda entry: entry.header_offset):
        if previous is not None and info.header_offset < end:
            return f"{previous.filename!r} and {info.filename!r}"
        # a local header is at least 30 bytes, then the name and the compressed data
        end = info.header_offset + 30 + info.compress_size
        previous = info
    return None


def read_tar(stream: IO[bytes], name: str | None, limits: Limits, depth: int = 0) -> Iterator[Item]:
    """A tar archive, plain or compressed (gzip, bzip2, xz), read as a stream."""
    try:
        archive = tarfile.open(fileobj=stream, mode="r|*")  # noqa: SIM115 (closed below)
    except tarfile.TarError as error:
        yield broken(f"not a tar archive: {error}", name=name)
        return
    with archive:
        try:
            for info in archive:
                member = _member_name(name, info.name)
                if info.isdir() or _is_hidden(info.name):
                    continue
                if not info.isfile():
                    yield broken("not a regular file (link or device): skipped", name=member)
                    continue
                member_stream = archive.extractfile(info)
                if member_stream is not None:
                    yield from read_file(member_stream, member, limits, depth + 1)
        except (tarfile.TarError, EOFError, OSError) as error:
            yield broken(f"tar archive cut short: {error}", name=name)


def read_gzip(
    stream: IO[bytes], name: str | None, limits: Limits, depth: int = 0
) -> Iterator[Item]:
    """A gzip body: a .tar.gz, or a gzipped csv, ndjson or single cable, told by content."""
    unzipped = io.BufferedReader(gzip.GzipFile(fileobj=stream, mode="rb"), CHUNK_BYTES)
    try:
        head = unzipped.peek(_TAR_MAGIC_OFFSET + 8)
    except (OSError, EOFError) as error:
        yield broken(f"not a gzip stream: {error}", name=name)
        return
    try:
        yield from _sniff(head)(unzipped, name, limits, depth)
    except (OSError, EOFError) as error:  # gzip.BadGzipFile is an OSError
        yield broken(f"gzip stream cut short: {error}", name=name)


def _sniff(head: bytes) -> Reader:
    """Which reader suits a decompressed stream starting with `head`."""
    if head[_TAR_MAGIC_OFFSET : _TAR_MAGIC_OFFSET + 5] == b"ustar":
        return read_tar
    if _ROW_START.match(head):
        return read_csv
    if head.lstrip().startswith(b'{"'):
        return read_ndjson
    return read_single_cable


class BrokenBody(ValueError):
    """A bulk body whose framing breaks mid-way; the items read before it are whole."""


def read_multipart(
    stream: IO[bytes], boundary: bytes, limits: Limits, max_parts: int | None = None
) -> Iterator[Item]:
    """multipart/form-data: every part (file or field) is a file of cables, read in turn; a
    part is read once it is whole, so a body that breaks keeps the parts before the break and
    raises BrokenBody naming the part. At most MULTIPART_BUFFER_BYTES wait for a boundary or
    for the end of a part's headers."""
    decoder = MultipartDecoder(boundary, max_form_memory_size=None, max_parts=max_parts)
    part: Field | File | None = None
    spool: IO[bytes] | None = None
    number = 0  # of the part being read
    while True:
        chunk = stream.read(CHUNK_BYTES)
        decoder.receive_data(chunk or None)
        try:
            event = decoder.next_event()
            while not isinstance(event, Epilogue | NeedData):
                if isinstance(event, Field | File):
                    part, spool = event, _spool()
                elif isinstance(event, Data) and spool is not None and part is not None:
                    spool.write(event.data)
                    if not event.more_data:
                        spool.seek(0)
                        with spool:
                            media_type = part.headers.get("Content-Type", "").split(";")[0]
                            yield from read_file(spool, _part_name(part), limits, 0, media_type)
                        spool, number = None, number + 1
                event = decoder.next_event()
        except ValueError as error:  # no Content-Disposition, headers not UTF-8, an early end
            reading = part if spool is not None else None
            if not chunk:
                raise BrokenBody(_no_boundary(number, reading, None)) from error
            raise BrokenBody(f"part {number + 1}: {error}") from error
        if isinstance(event, Epilogue):
            return
        reading = part if spool is not None else None  # a part whose data has begun
        if decoder.state == State.EPILOGUE:
            del decoder.buffer[:]  # after the closing boundary: nothing to keep
        elif len(decoder.buffer) > MULTIPART_BUFFER_BYTES:
            raise BrokenBody(_no_boundary(number, reading, MULTIPART_BUFFER_BYTES))
        if not chunk:  # the body ended before its closing boundary
            raise BrokenBody(_no_boundary(number, reading, None))


def _no_boundary(number: int, part: Field | File | None, within: int | None) -> str:
    """What is missing when a boundary does not come."""
    where = f" within {within} bytes" if within else ""
    if part is not None:
        return f"part {number + 1} ({_part_name(part)!r}) never ends: no boundary follows it{where}"
    if number == 0:
        return f"no multipart boundary found{where}"
    return f"part {number + 1}: its headers never end{where}"


def _part_name(part: Field | File) -> str:
    """A part's file name, else its field name."""
    return (getattr(part, "filename", None) or part.name or "part").strip()


# File name endings -> reader; longest first so that `.tar.gz` wins over `.gz`.
NAME_READERS: tuple[tuple[str, Reader], ...] = (
    (".tar.gz", read_tar),
    (".tar.bz2", read_tar),
    (".tar.xz", read_tar),
    (".tgz", read_tar),
    (".tar", read_tar),
    (".zip", read_zip),
    (".gz", read_gzip),
    (".csv", read_csv),
    (".ndjson", read_ndjson),
    (".jsonl", read_ndjson),
)
ARCHIVE_READERS = frozenset({read_tar, read_zip, read_gzip})

# Media types of bulk bodies -> reader (multipart has its own entry point).
BULK_READERS: dict[str, Reader] = {
    "text/csv": read_csv,
    "application/csv": read_csv,
    "application/x-ndjson": read_ndjson,
    "application/ndjson": read_ndjson,
    "application/jsonl": read_ndjson,
    "application/zip": read_zip,
    "application/x-zip-compressed": read_zip,
    "application/x-tar": read_tar,
    "application/x-gtar": read_tar,
    "application/x-compressed-tar": read_tar,
    "application/gzip": read_gzip,
    "application/x-gzip": read_gzip,
}
MULTIPART_MEDIA_TYPE = "multipart/form-data"
# Reader -> the media type to send a whole file as: the first of BULK_READERS naming it.
READER_MEDIA_TYPES: dict[Reader, str] = {
    reader: media_type for media_type, reader in reversed(BULK_READERS.items())
}

# Media types of a single cable, by file name ending.
_NAME_MEDIA_TYPES = ((".html", "text/html"), (".htm", "text/html"), (".json", "application/json"))


def reader_for_name(name: str | None) -> Reader:
    """The reader a file name calls for; anything else is one cable."""
    lowered = (name or "").lower()
    for ending, reader in NAME_READERS:
        if lowered.endswith(ending):
            return reader
    return read_single_cable


def media_type_for_name(name: str | None) -> str:
    """The media type a single cable file's name suggests."""
    lowered = (name or "").lower()
    return next((media for end, media in _NAME_MEDIA_TYPES if lowered.endswith(end)), "text/plain")


def read_file(
    stream: IO[bytes],
    name: str | None,
    limits: Limits,
    depth: int = 0,
    media_type: str | None = None,
) -> Iterator[Item]:
    """Read a file of cables, choosing the reader by its name, else by its media type."""
    reader = reader_for_name(name)
    if reader is read_single_cable and media_type in BULK_READERS:
        reader = BULK_READERS[media_type]
    if reader in ARCHIVE_READERS and depth >= limits.max_depth:
        yield broken("archive nested too deep: not read", name=name)
        return
    yield from reader(stream, name, limits, depth)


def read_paths(
    paths: Sequence[Path],
    limits: Limits,
    wrap: Callable[[IO[bytes]], IO[bytes]] | None = None,
) -> Iterator[Item]:
    """Every cable under the given files and folders, in a stable order; `wrap` may wrap each
    opened file (`cables ingest` counts the bytes read for its progress bar)."""
    for path in paths:
        for file in files_under(path):
            with file.open("rb") as raw:
                yield from read_file(wrap(raw) if wrap else raw, str(file), limits)


def files_under(path: Path) -> Iterator[Path]:
    """The file itself, or a folder's non-hidden files, sorted, recursively."""
    if not path.is_dir():
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file in sorted(f for f in files if not f.startswith(".")):
            yield Path(root) / file


def _seekable(stream: IO[bytes]) -> AbstractContextManager[IO[bytes]]:
    """The stream itself when it can seek (left open), else a spooled copy of it."""
    if stream.seekable():
        return nullcontext(stream)
    spool = _spool()
    while chunk := stream.read(CHUNK_BYTES):
        spool.write(chunk)
    spool.seek(0)
    return spool


def _spool() -> IO[bytes]:
    """A temporary file that stays in memory while small."""
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES, mode="w+b")  # noqa: SIM115


def _member_name(archive: str | None, member: str) -> str:
    """`archive!member`, the member normalised: a label, never a path written to."""
    clean = posixpath.normpath("/" + member.replace("\\", "/")).lstrip("/")
    return f"{archive}!{clean}" if archive else clean


def _is_hidden(member: str) -> bool:
    """macOS resource forks and dot files are not cables."""
    parts = member.replace("\\", "/").split("/")
    return any(part.startswith(".") and part not in (".", "..") for part in parts) or (
        parts[0] == "__MACOSX"
    )
