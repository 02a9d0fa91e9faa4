"""Bulk POST /cables: every media type, per-item outcomes, a broken row never blocking the rest."""

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

from service import create_app

DATA = Path(__file__).parents[1] / "data"
CABLES = DATA / "corpus" / "cables"
BROKEN_CSV = DATA / "ingest" / "cables_broken_row.csv"
WRITE_TOKEN = "test-write-token"  # the write token of tests/conftest.py's app
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
FILES = ["07BERN881.html", "08MADRID174.json", "09PARIS997.txt", "72TEHRAN1164.html"]
NOT_A_CABLE = b"Dear all, the meeting moved to Tuesday."


def file_bytes() -> dict[str, bytes]:
    """Real cable files, by name."""
    return {name: (CABLES / name).read_bytes() for name in FILES}


def multipart_body() -> tuple[bytes, str]:
    """The files plus one that is not a cable, as multipart/form-data."""
    parts = {
        f"f{index}": FileStorage(io.BytesIO(data), filename=name)
        for index, (name, data) in enumerate(file_bytes().items())
    }
    parts["junk"] = FileStorage(io.BytesIO(NOT_A_CABLE), filename="note.txt")
    boundary, body = encode_multipart(parts)
    return body, f"multipart/form-data; boundary={boundary}"


def zip_body() -> tuple[bytes, str]:
    """The files plus one that is not a cable, zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in file_bytes().items():
            archive.writestr(f"dump/{name}", data)
        archive.writestr("dump/note.txt", NOT_A_CABLE)
    return buffer.getvalue(), "application/zip"


def tar_gz_body() -> tuple[bytes, str]:
    """The files plus one that is not a cable, as a .tar.gz."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in [*file_bytes().items(), ("note.txt", NOT_A_CABLE)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue(), "application/gzip"


def ndjson_body() -> tuple[bytes, str]:
    """The text files plus one that is not a cable and one bad line, as NDJSON."""
    lines = [
        json.dumps({"text": data.decode("cp1252"), "name": name})
        for name, data in file_bytes().items()
    ]
    lines.append(json.dumps({"text": NOT_A_CABLE.decode(), "name": "note.txt"}))
    return "\n".join(lines).encode(), "application/x-ndjson"


BODIES = {
    "multipart": multipart_body,
    "zip": zip_body,
    "tar.gz": tar_gz_body,
    "ndjson": ndjson_body,
}


def post(client, body, media_type, query=""):
    """POST /cables with the write token."""
    return client.post(f"/cables{query}", data=body, content_type=media_type, headers=AUTH)


def counts(created=0, unchanged=0, replaced=0, conflict=0, invalid=0):
    """A counts object, total included."""
    found = {
        "created": created,
        "unchanged": unchanged,
        "replaced": replaced,
        "conflict": conflict,
        "invalid": invalid,
    }
    return {**found, "total": sum(found.values())}


@pytest.mark.parametrize("kind", BODIES)
def test_each_bulk_type_stores_good_items_and_reports_the_bad_one(client, kind):
    body, media_type = BODIES[kind]()
    response = post(client, body, media_type)
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["counts"] == counts(created=len(FILES), invalid=1)
    [bad] = report["items"]
    assert bad["outcome"] == "invalid"
    assert "no cable structure" in bad["reason"]
    assert bad["file"].endswith("note.txt") or bad["line"] == len(FILES) + 1
    assert client.get("/cables/09PARIS997").status_code == 200


def test_csv_with_a_broken_row_in_the_middle(client):
    response = post(client, BROKEN_CSV.read_bytes(), "text/csv")
    report = response.get_json()
    assert report["counts"] == counts(created=7, invalid=1)
    [bad] = report["items"]
    assert (bad["outcome"], bad["line"]) == ("invalid", 341)
    assert bad["reference_id"] is None  # the row never parsed, so its id is unknown
    stored = client.get("/cables/09USEUBRUSSELS948").get_json()  # the row after the broken one
    assert stored["source"] == {"file": None, "line": 670, "media_type": "text/csv"}
    assert stored["created"] == "2009-07-08T15:35:00Z"


def test_uploading_the_dump_again_changes_nothing(client):
    post(client, BROKEN_CSV.read_bytes(), "text/csv")
    report = post(client, BROKEN_CSV.read_bytes(), "text/csv").get_json()
    assert report["counts"] == counts(unchanged=7, invalid=1)
    assert {item["outcome"] for item in report["items"]} == {"unchanged", "invalid"}
    assert all(item["reference_id"] for item in report["items"] if item["outcome"] != "invalid")


def test_conflicts_then_replace_in_bulk(client, app):
    body, media_type = zip_body()
    post(client, body, media_type)
    edited = (CABLES / "09PARIS997.txt").read_bytes() + b"\r\nADDENDUM.\r\n"
    parts = {"a": FileStorage(io.BytesIO(edited), filename="09PARIS997.txt")}
    boundary, multipart = encode_multipart(parts)
    media = f"multipart/form-data; boundary={boundary}"
    conflict = post(client, multipart, media).get_json()
    assert conflict["counts"] == counts(conflict=1)
    assert conflict["items"][0]["reference_id"] == "09PARIS997"
    replaced = post(client, multipart, media, query="?replace=true").get_json()
    assert replaced["counts"] == counts(replaced=1)
    assert len(app.extensions["store"].versions_of("09PARIS997")) == 1


def test_small_batches_give_the_same_outcomes():
    app = create_app({"TESTING": True, "API_TOKENS": WRITE_TOKEN, "BULK_BATCH_SIZE": 2})
    client = app.test_client()
    body = BROKEN_CSV.read_bytes()
    doubled = body + body.replace(b'"1","12/28/1966', b'"9","12/28/1966', 1)
    report = post(client, doubled, "text/csv").get_json()
    assert report["counts"] == counts(created=7, unchanged=7, invalid=2)
    assert [item["line"] for item in report["items"] if item["outcome"] == "invalid"] == [
        341,
        341 + body.count(b"\n"),
    ]


def test_gzipped_csv_body(client):
    report = post(client, gzip.compress(BROKEN_CSV.read_bytes()), "application/gzip").get_json()
    assert report["counts"] == counts(created=7, invalid=1)


def test_an_item_over_max_cable_bytes_is_invalid_not_fatal():
    app = create_app({"TESTING": True, "API_TOKENS": WRITE_TOKEN, "MAX_CABLE_BYTES": 20_000})
    body, media_type = zip_body()
    report = post(app.test_client(), body, media_type).get_json()
    too_big = [item for item in report["items"] if "larger than" in (item["reason"] or "")]
    assert [Path(item["file"]).name for item in too_big] == ["07BERN881.html", "72TEHRAN1164.html"]
    assert report["counts"]["created"] == 2


def test_a_body_over_max_upload_bytes_is_413():
    app = create_app({"TESTING": True, "API_TOKENS": WRITE_TOKEN, "MAX_UPLOAD_BYTES": 10_000})
    response = post(app.test_client(), BROKEN_CSV.read_bytes(), "text/csv")
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert "MAX_UPLOAD_BYTES (10000 bytes)" in response.get_json()["detail"]


def test_multipart_without_boundary_is_400(client):
    response = post(client, b"--x--", "multipart/form-data")
    assert response.status_code == 400


def test_multipart_ending_inside_a_part_keeps_the_parts_before(client):
    body, content_type = multipart_body()
    cut = body[: body.rindex(b"Content-Type", 0, body.index(NOT_A_CABLE)) - 60]  # in a part
    response = client.post("/cables", data=cut, content_type=content_type, headers=AUTH)
    # issue 17: a 400 problem naming the broken part, with the report of what was stored
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert "part 5: its headers never end" in problem["detail"]
    assert problem["errors"][0]["counts"]["created"] >= 1
