"""The memory of one bulk upload is bounded (issue 17 item 6): zip entries that overlap are
refused, a batch ends at BULK_BATCH_BYTES, and MAX_UNPACKED_BYTES stops an upload with 413
and a report of what was stored. The figures measured on the worker are in
docs/robustness.md (scripts/upload_memory.py)."""

from __future__ import annotations

import io
import json
import struct
import zipfile

from hostile import SEED, WRITE, assert_problem, corpus_texts, fresh_parse, make_app, stored_ids

from service.ingest.items import Item
from service.ingest.pipeline import batches

CENTRAL_RECORD = b"PK\x01\x02"
END_RECORD = b"PK\x05\x06"


def overlapping_zip(member: bytes, copies: int) -> bytes:
    """A zip whose central directory lists one member `copies` times, every entry pointing at
    the same data: small on the wire, `copies` times the member unpacked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cable.txt", member)
    data = buffer.getvalue()
    end = data.rindex(END_RECORD)
    directory_size, directory_offset = struct.unpack("<II", data[end + 12 : end + 20])
    record = data[directory_offset : directory_offset + directory_size]
    assert record.startswith(CENTRAL_RECORD)
    directory = record * copies
    end_record = (
        data[end : end + 8]
        + struct.pack("<HHII", copies, copies, len(directory), directory_offset)
        + data[end + 20 :]
    )
    return data[:directory_offset] + directory + end_record


def test_zip_entries_that_overlap_are_refused_unread():
    app = make_app()
    body = overlapping_zip(SEED.read_bytes(), 120)
    assert len(zipfile.ZipFile(io.BytesIO(body)).infolist()) == 120  # zipfile would read them all
    response = app.test_client().post(
        "/cables", data=body, headers={**WRITE, "Content-Type": "application/zip"}
    )
    report = response.get_json()
    assert response.status_code == 200, report
    assert report["counts"] == {**report["counts"], "created": 0, "invalid": 1, "total": 1}
    assert "overlap" in report["items"][0]["reason"]
    assert stored_ids(app) == set()


def test_a_zip_whose_entries_do_not_overlap_is_read_whole():
    app = make_app()
    buffer = io.BytesIO()
    texts = corpus_texts(3)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, text in enumerate(texts):
            archive.writestr(f"c{number}.txt", text)
    response = app.test_client().post(
        "/cables", data=buffer.getvalue(), headers={**WRITE, "Content-Type": "application/zip"}
    )
    assert response.get_json()["counts"]["created"] == 3


def test_a_batch_ends_at_its_byte_bound():
    items = [Item(data=b"x" * 10) for _ in range(7)]
    assert [len(batch) for batch in batches(items, 100, max_bytes=25)] == [3, 3, 1]
    assert [len(batch) for batch in batches(items, 3)] == [3, 3, 1]


def ndjson(texts: list[str]) -> bytes:
    return b"".join(json.dumps({"text": text}).encode() + b"\n" for text in texts)


def test_bulk_batches_hold_at_most_bulk_batch_bytes():
    app = make_app(BULK_BATCH_BYTES=1)
    store = app.extensions["store"]
    stored_per_call: list[int] = []
    add_many = store.add_many

    def counting(entries, **options):  # type: ignore[no-untyped-def]
        stored_per_call.append(len(entries))
        return add_many(entries, **options)

    store.add_many = counting
    response = app.test_client().post(
        "/cables",
        data=ndjson(corpus_texts(4)),
        headers={**WRITE, "Content-Type": "application/x-ndjson"},
    )
    assert response.get_json()["counts"]["created"] == 4
    assert stored_per_call == [1, 1, 1, 1]


def test_an_upload_over_max_unpacked_bytes_is_413_with_what_was_stored():
    texts = corpus_texts(4)
    limit = sum(len(text.encode()) for text in texts[:2]) + 1
    app = make_app(MAX_UNPACKED_BYTES=limit)
    response = app.test_client().post(
        "/cables", data=ndjson(texts), headers={**WRITE, "Content-Type": "application/x-ndjson"}
    )
    problem = assert_problem(response, 413)
    assert "MAX_UNPACKED_BYTES" in problem["detail"]
    assert problem["errors"][0]["counts"]["created"] == 2
    assert problem["errors"][0]["cut"] == "too large"
    assert stored_ids(app) == {fresh_parse(text)["reference_id"] for text in texts[:2]}
