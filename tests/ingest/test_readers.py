"""Streaming readers on real cables: csv, ndjson, zip, tar.gz, gzip, multipart, folders."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from service.ingest import Limits, read_file, read_multipart, read_paths
from service.ingest.readers import read_csv, read_gzip, read_ndjson, read_tar, read_zip

DATA = Path(__file__).parents[1] / "data"
CABLES = DATA / "corpus" / "cables"
BROKEN_CSV = DATA / "ingest" / "cables_broken_row.csv"
LIMITS = Limits(max_cable_bytes=5 * 1024 * 1024)
CSV_IDS = [
    "66BUENOSAIRES2481",
    "72TEHRAN1164",
    "06NEWDELHI5237",
    "07KINGSTON382",
    "07BOGOTA1165",
    "09UNVIEVIENNA281",
    "09USEUBRUSSELS948",
]
SOME_FILES = ["07BERN881.html", "09PARIS997.txt", "08MADRID174.json"]


def cable_bytes(name: str) -> bytes:
    """A corpus file's bytes."""
    return (CABLES / name).read_bytes()


def existing(names: list[str]) -> list[str]:
    """The names among `names` that the corpus holds (it must hold most of them)."""
    found = [name for name in names if (CABLES / name).exists()]
    assert len(found) >= 3, "the test corpus lacks the files these tests use"
    return found


def csv_items(data: bytes, max_bytes: int = LIMITS.max_cable_bytes) -> list:
    """Every item of a cables.csv body."""
    return list(read_csv(io.BytesIO(data), "cables.csv", Limits(max_bytes), 0))


# cables.csv


def test_csv_broken_row_in_the_middle_is_reported_by_line_and_the_rest_go_in():
    items = csv_items(BROKEN_CSV.read_bytes())
    good = [item for item in items if item.error is None]
    bad = [item for item in items if item.error is not None]
    assert [item.metadata["reference_id"] for item in good] == CSV_IDS
    assert [(item.line, item.name) for item in bad] == [(341, "cables.csv")]
    assert "malformed CSV row" in bad[0].error


@pytest.mark.parametrize("reference_id", ["66BUENOSAIRES2481", "72TEHRAN1164"])
def test_csv_row_text_is_header_newline_content_with_escapes_undone(reference_id):
    # SOURCES.md: these corpus files were derived from the real rows exactly this way.
    items = {
        item.metadata["reference_id"]: item
        for item in csv_items(BROKEN_CSV.read_bytes())
        if item.metadata
    }
    expected = cable_bytes(f"{reference_id}.txt").decode("utf-8")
    assert items[reference_id].data.rstrip("\n") == expected.rstrip("\n")
    assert '\\"' not in items[reference_id].data


def test_csv_row_columns_become_metadata():
    first = csv_items(BROKEN_CSV.read_bytes())[0]
    assert first.format == "csv-row"
    assert first.line == 1
    assert first.metadata == {
        "reference_id": "66BUENOSAIRES2481",
        "created": "1966-12-28T18:48:00Z",
        "origin": "Embassy Buenos Aires",
        "classification": "UNCLASSIFIED",
        "references": ["66STATE106206"],
        "row": "1",
    }


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (b'"9","13/45/2009 10:00","09X1","o","c","","h","c"\n', "bad date"),
        (b'"9","1/2/2009 10:00","09X1","o","c","h","c"\n', "expected 8 quoted fields, found 7"),
        (b'"9","1/2/2009 10:00","09X1","o","c","","h","never closed\n', "malformed CSV row"),
    ],
)
def test_csv_bad_rows(row, error):
    good = b'"1","1/2/2009 10:00","09A1","o","c","","h","text"\n'
    items = csv_items(good + row + good.replace(b"09A1", b"09A2"))
    assert [item.error is None for item in items] == [True, False, True]
    assert error in items[1].error
    assert items[1].line == 2


def test_csv_row_larger_than_the_limit_is_refused_without_being_held():
    big = b'"1","1/2/2009 10:00","09A1","o","c","","h","' + b"x\n" * 5000 + b'"\n'
    small = b'"2","1/2/2009 10:00","09A2","o","c","","h","t"\n'
    items = csv_items(big + small, max_bytes=1000)
    assert "larger than 1000 bytes" in items[0].error
    assert items[1].metadata["reference_id"] == "09A2"
    assert items[1].line == 5002


def test_csv_text_before_the_first_row_is_one_invalid_item():
    good = b'"1","1/2/2009 10:00","09A1","o","c","","h","text"\n'
    items = csv_items(b"id,date,reference\n" + good)
    assert [(item.error is None, item.line) for item in items] == [(False, 1), (True, 2)]


def test_csv_blank_lines_between_rows_are_harmless():
    good = b'"1","1/2/2009 10:00","09A1","o","c","","h","text"\n'
    items = csv_items(good + b"\n\n" + good.replace(b"09A1", b"09A2"))
    assert [(item.error, item.line) for item in items] == [(None, 1), (None, 4)]


def test_csv_cp1252_row_is_decoded():
    row = '"1","1/2/2009 10:00","09A1","o","c","","h","\u00b6 para"\n'.encode("cp1252")
    assert csv_items(row)[0].data == "h\n\u00b6 para"


# NDJSON


def test_ndjson_lines_are_items_and_bad_lines_are_reported_by_number():
    lines = [
        json.dumps({"text": "cable one", "metadata": {"reference_id": "09A1"}}),
        "",
        "{not json",
        json.dumps({"txt": "wrong key"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "cable two", "name": "two.txt"}),
    ]
    body = "\n".join(lines).encode()
    items = list(read_ndjson(io.BytesIO(body), "up.ndjson", LIMITS, 0))
    assert [(item.line, item.error is None) for item in items] == [
        (1, True),
        (3, False),
        (4, False),
        (5, False),
        (6, True),
    ]
    assert items[0].metadata == {"reference_id": "09A1"}
    assert items[-1].name == "two.txt"
    assert "not JSON" in items[1].error
    assert "text" in items[2].error


# Archives


def zip_of(members: dict[str, bytes]) -> bytes:
    """A zip archive holding `members`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tar_gz_of(members: dict[str, bytes], symlink: str | None = None) -> bytes:
    """A .tar.gz holding `members` (and a symlink, when named)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        if symlink:
            link = tarfile.TarInfo(symlink)
            link.type = tarfile.SYMTYPE
            link.linkname = "/etc/passwd"
            archive.addfile(link)
    return buffer.getvalue()


class OneWay(io.RawIOBase):
    """A stream that cannot seek, like a request body."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_zip_members_by_name_with_traversal_names_harmless(tmp_path, monkeypatch):
    names = existing(SOME_FILES)
    members = {f"cables/{name}": cable_bytes(name) for name in names}
    members["../../escape.txt"] = b"not a cable"
    members["__MACOSX/._x.html"] = b"resource fork"
    members["dump.csv"] = BROKEN_CSV.read_bytes()
    monkeypatch.chdir(tmp_path)
    stream = io.BufferedReader(OneWay(zip_of(members)))
    items = list(read_zip(stream, "up.zip", LIMITS, 0))
    assert list(tmp_path.iterdir()) == []  # nothing was extracted anywhere
    named = [item.name for item in items if not item.name.endswith("dump.csv")]
    assert named == [f"up.zip!cables/{name}" for name in names] + ["up.zip!escape.txt"]
    assert [item.media_type for item in items[: len(names)]] == [
        {".html": "text/html", ".txt": "text/plain", ".json": "application/json"}[Path(n).suffix]
        for n in names
    ]
    assert items[0].data == cable_bytes(names[0])
    csv_rows = [item for item in items if item.name == "up.zip!dump.csv"]
    assert len(csv_rows) == 8
    assert [item.line for item in csv_rows if item.error] == [341]


def test_tar_gz_is_read_as_a_stream_and_links_are_refused():
    names = existing(SOME_FILES)
    body = tar_gz_of({name: cable_bytes(name) for name in names}, symlink="link.txt")
    items = list(read_tar(io.BufferedReader(OneWay(body)), "up.tar.gz", LIMITS, 0))
    assert [item.name for item in items] == [f"up.tar.gz!{n}" for n in names] + [
        "up.tar.gz!link.txt"
    ]
    assert [item.data for item in items[:-1]] == [cable_bytes(name) for name in names]
    assert "not a regular file" in items[-1].error


@pytest.mark.parametrize(
    ("payload", "expected_count"),
    [
        (BROKEN_CSV.read_bytes(), 8),  # gzipped csv
        (b'{"text": "a"}\n{"text": "b"}\n', 2),  # gzipped ndjson
        (b"one telegram\nTAGS: PREL\n", 1),  # gzipped single cable
    ],
)
def test_gzip_body_is_told_by_its_content(payload, expected_count):
    items = list(read_gzip(io.BytesIO(gzip.compress(payload)), None, LIMITS, 0))
    assert len(items) == expected_count
    assert sum(item.error is not None for item in items) == (1 if expected_count == 8 else 0)


def test_gzip_of_a_tar_reads_its_members():
    names = existing(SOME_FILES)
    body = tar_gz_of({name: cable_bytes(name) for name in names})
    items = list(read_gzip(io.BytesIO(body), None, LIMITS, 0))
    assert [item.data for item in items] == [cable_bytes(name) for name in names]


@pytest.mark.parametrize(
    ("reader", "body"),
    [(read_zip, b"PK\x03\x04 broken"), (read_tar, b"not a tar at all" * 40), (read_gzip, b"nope")],
)
def test_corrupt_archives_become_one_invalid_item(reader, body):
    items = list(reader(io.BytesIO(body), "bad", LIMITS, 0))
    assert len(items) == 1
    assert items[0].error


def test_nested_archives_stop_at_the_depth_limit():
    inner = zip_of({"a.txt": b"x"})
    outer = zip_of({"inner.zip": inner, "deeper.zip": zip_of({"inner.zip": inner})})
    items = list(read_file(io.BytesIO(outer), "outer.zip", Limits(1000, max_depth=2)))
    assert [(item.name, item.error is None) for item in items] == [
        ("outer.zip!inner.zip!a.txt", True),
        ("outer.zip!deeper.zip!inner.zip", False),
    ]


def test_single_file_larger_than_the_limit_is_refused():
    items = list(read_file(io.BytesIO(b"x" * 101), "big.txt", Limits(100)))
    assert items[0].data is None
    assert "larger than 100 bytes" in items[0].error


# multipart/form-data and folders


def test_multipart_parts_are_read_in_turn():
    names = existing(SOME_FILES)
    files = {
        f"file{index}": FileStorage(io.BytesIO(cable_bytes(name)), filename=name)
        for index, name in enumerate(names)
    }
    files["dump"] = FileStorage(io.BytesIO(BROKEN_CSV.read_bytes()), filename="dump.csv")
    boundary, body = encode_multipart(files)
    items = list(read_multipart(io.BytesIO(body), boundary.encode(), LIMITS))
    assert [item.data for item in items[: len(names)]] == [cable_bytes(name) for name in names]
    assert [item.name for item in items[: len(names)]] == names
    assert len(items) == len(names) + 8
    assert [item.line for item in items if item.error] == [341]


def test_folders_are_walked_in_order_skipping_hidden_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_bytes(b"two")
    (tmp_path / "1.txt").write_bytes(b"one")
    (tmp_path / ".hidden").write_bytes(b"no")
    (tmp_path / "dump.csv").write_bytes(BROKEN_CSV.read_bytes())
    items = list(read_paths([tmp_path], LIMITS))
    assert [Path(item.name).name for item in items[:1]] == ["1.txt"]
    assert items[-1].data == b"two"
    assert len(items) == 10


def test_multipart_part_media_type_chooses_the_reader_when_its_name_does_not():
    dump = FileStorage(
        io.BytesIO(BROKEN_CSV.read_bytes()), filename="export", content_type="text/csv"
    )
    boundary, body = encode_multipart({"dump": dump})
    items = list(read_multipart(io.BytesIO(body), boundary.encode(), LIMITS))
    assert len(items) == 8
    assert [item.line for item in items if item.error] == [341]
