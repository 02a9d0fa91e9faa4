"""Bad input through the HTTP API: a clear 4xx problem (or a per-item outcome in bulk), never a
500, and nothing wrong stored."""

from __future__ import annotations

import gzip
import io
import json
import struct
import tarfile
import zipfile
import zlib

import pytest
from hostile import (
    CABLES,
    CSV_SAMPLE,
    PROBLEM,
    SEED,
    WRITE,
    assert_problem,
    fresh_parse,
    make_app,
    shown,
    stored_ids,
)
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

SINGLE_TYPES = ["text/plain", "text/html", "application/json"]
BULK_TYPES = [
    "text/csv",
    "application/x-ndjson",
    "application/zip",
    "application/gzip",
    "application/x-tar",
    "multipart/form-data; boundary=robust",
]
HTML_CABLE = CABLES / "07BERN881.html"
BIG = 50 * 1024 * 1024  # past MAX_CABLE_BYTES (5 MiB) ten times over


@pytest.fixture
def app():
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


def png() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def zipped(members: dict[str, bytes]) -> bytes:
    """A zip archive of the members, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def bulk(client, body: bytes, media_type: str) -> dict:
    """POST a bulk body; the report, after checking it is one."""
    response = client.post("/cables", data=body, content_type=media_type, headers=WRITE)
    assert response.status_code == 200, response.get_data()[:500]
    report = response.get_json()
    assert report["counts"]["total"] == sum(
        count for outcome, count in report["counts"].items() if outcome != "total"
    )
    return report


# --- empty bodies ------------------------------------------------------------------------------


@pytest.mark.parametrize("media_type", SINGLE_TYPES)
@pytest.mark.parametrize("path", ["/cables", "/parse"])
def test_an_empty_single_body_is_a_client_error(client, app, path, media_type):
    response = client.post(path, data=b"", content_type=media_type, headers=WRITE)
    assert_problem(response, 400, 422)
    assert stored_ids(app) == set()


@pytest.mark.parametrize("media_type", BULK_TYPES)
def test_an_empty_bulk_body_creates_nothing(client, app, media_type):
    report = bulk(client, b"", media_type)
    assert report["counts"]["created"] == 0
    assert all(item["outcome"] == "invalid" for item in report["items"])
    assert stored_ids(app) == set()


def test_a_body_without_a_media_type_is_415(client, app):
    response = client.post("/cables", data=SEED.read_bytes(), headers=WRITE)
    assert_problem(response, 415)
    assert stored_ids(app) == set()


# --- binary files and archives -----------------------------------------------------------------


@pytest.mark.parametrize("media_type", ["text/plain", "text/html"])
def test_a_png_sent_as_text_is_not_a_cable(client, app, media_type):
    response = client.post("/cables", data=png(), content_type=media_type, headers=WRITE)
    assert "binary" in assert_problem(response, 422)["detail"]
    assert stored_ids(app) == set()


def test_a_png_as_itself_is_an_unsupported_media_type(client):
    response = client.post("/cables", data=png(), content_type="image/png", headers=WRITE)
    assert "image/png" in assert_problem(response, 415)["detail"]


def test_an_archive_member_expanding_past_the_limit_is_refused_and_the_rest_stored(client, app):
    body = zipped(
        {
            "bomb.txt": b" " * BIG,
            "empty.txt": b"",
            "07BERN881.html": HTML_CABLE.read_bytes(),
        }
    )
    assert len(body) < BIG // 100  # it is the expansion, not the upload, that is large
    report = bulk(client, body, "application/zip")
    assert report["counts"]["created"] == 1
    reasons = {item["file"]: item["reason"] for item in report["items"]}
    assert "larger than" in reasons["bomb.txt"]
    assert "empty" in reasons["empty.txt"]
    assert stored_ids(app) == {"07BERN881"}


def test_a_gzip_bomb_is_read_no_further_than_the_limit(client, app):
    report = bulk(client, gzip.compress(b"A" * BIG), "application/gzip")
    assert report["counts"] == {**report["counts"], "created": 0, "invalid": 1}
    assert "larger than" in report["items"][0]["reason"]
    assert stored_ids(app) == set()


def test_archives_nested_past_the_depth_limit_are_not_opened(client, app):
    inner = zipped({"07BERN881.html": HTML_CABLE.read_bytes()})
    for level in range(4):
        inner = zipped({f"level{level}.zip": inner})
    report = bulk(client, inner, "application/zip")
    assert report["counts"]["created"] == 0
    assert "nested too deep" in report["items"][0]["reason"]
    assert stored_ids(app) == set()


@pytest.mark.parametrize("media_type", ["application/zip", "application/gzip", "application/x-tar"])
def test_an_archive_that_is_not_one_is_reported(client, app, media_type):
    report = bulk(client, SEED.read_bytes(), media_type)
    assert report["counts"]["created"] == 0
    assert stored_ids(app) == set()


def test_a_truncated_zip_is_reported_not_a_500(client, app):
    body = zipped({"07BERN881.html": HTML_CABLE.read_bytes(), "seed.txt": SEED.read_bytes()})
    report = bulk(client, body[: len(body) // 2], "application/zip")
    assert report["counts"]["created"] == 0
    assert report["counts"]["invalid"] >= 1


# --- path traversal inside archives ------------------------------------------------------------


@pytest.mark.parametrize(
    "member", ["../../etc/passwd", "/etc/passwd", "..\\..\\windows\\win.ini", "a/../../../b.txt"]
)
def test_traversal_names_in_a_zip_are_labels_only(client, app, member, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # anything written relative to the cwd would land here
    report = bulk(client, zipped({member: SEED.read_bytes()}), "application/zip")
    assert report["counts"]["created"] == 1
    label = app.extensions["store"].get("06ALMATY1457")["source"]["file"]
    assert ".." not in label.split("/") and not label.startswith("/")
    assert list(tmp_path.iterdir()) == []


def test_links_and_traversal_names_in_a_tar_are_never_followed(client, app):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        link = tarfile.TarInfo("passwd")
        link.type, link.linkname = tarfile.SYMTYPE, "../../../../etc/passwd"
        archive.addfile(link)
        hard = tarfile.TarInfo("shadow")
        hard.type, hard.linkname = tarfile.LNKTYPE, "/etc/shadow"
        archive.addfile(hard)
        seed = SEED.read_bytes()
        cable = tarfile.TarInfo("../../06ALMATY1457.txt")
        cable.size = len(seed)
        archive.addfile(cable, io.BytesIO(seed))
    report = bulk(client, buffer.getvalue(), "application/gzip")
    assert report["counts"]["created"] == 1
    skipped = [item for item in report["items"] if "link" in (item["reason"] or "")]
    assert {item["file"] for item in skipped} == {"passwd", "shadow"}
    assert stored_ids(app) == {"06ALMATY1457"}


# --- text that is not a cable, truncated cables --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Dear all, lunch moved to noon.",
        "<html><body><p>Hello</p></body></html>",
        '{"id": 1, "name": "not a cable"}',
        "\n\n   \t\n",
        "SUBJECT: nothing else",
        "A" * (1024 * 1024),  # a 1 MB single line
    ],
    ids=["note", "html-page", "json-object", "whitespace", "subject-only", "1MB-line"],
)
@pytest.mark.parametrize("media_type", ["text/plain", "text/html"])
def test_text_that_is_not_a_cable_is_422(client, app, text, media_type):
    response = client.post("/cables", data=text, content_type=media_type, headers=WRITE)
    assert_problem(response, 422)
    assert stored_ids(app) == set()


def section_prefixes(text: str) -> list[str]:
    """The text cut at every section boundary (each blank line), shortest first."""
    parts = text.split("\n\n")
    return ["\n\n".join(parts[:count]) for count in range(1, len(parts))]


def test_a_cable_cut_at_every_section_boundary_is_stored_as_parsed_or_refused(client, app):
    prefixes = section_prefixes(SEED.read_text(encoding="utf-8"))
    assert len(prefixes) > 20
    first_stored: dict[str, str] = {}
    for prefix in prefixes:
        response = client.post("/cables", data=prefix, content_type="text/plain", headers=WRITE)
        assert response.status_code in (201, 409, 422), response.get_data()[:300]
        if response.status_code == 201:
            first_stored.setdefault(response.get_json()["reference_id"], prefix)
        else:
            assert response.mimetype == PROBLEM
    assert first_stored, "no prefix of the seed cable was taken for a cable"
    for reference_id, prefix in first_stored.items():
        assert shown(app.extensions["store"].get(reference_id)) == fresh_parse(prefix)


@pytest.mark.parametrize("prefix", section_prefixes(SEED.read_text(encoding="utf-8")))
def test_parse_of_a_truncated_cable_is_a_document_or_422(client, prefix):
    response = client.post("/parse", data=prefix, content_type="text/plain")
    if response.status_code == 200:
        assert response.get_json() == fresh_parse(prefix)
    else:
        assert_problem(response, 422)


# --- wrong and lying Content-Type ----------------------------------------------------------------


def test_a_cable_sent_as_json_is_a_400(client, app):
    response = client.post(
        "/cables", data=SEED.read_bytes(), content_type="application/json", headers=WRITE
    )
    assert "JSON" in assert_problem(response, 400)["detail"]
    assert stored_ids(app) == set()


@pytest.mark.parametrize("media_type", ["text/csv", "application/x-ndjson", "application/zip"])
def test_a_cable_sent_as_a_bulk_type_is_reported_not_stored(client, app, media_type):
    report = bulk(client, SEED.read_bytes(), media_type)
    assert report["counts"]["created"] == 0
    assert stored_ids(app) == set()


def test_a_zip_sent_as_text_is_binary(client, app):
    body = zipped({"seed.txt": SEED.read_bytes()})
    response = client.post("/cables", data=body, content_type="text/plain", headers=WRITE)
    assert_problem(response, 422)
    assert stored_ids(app) == set()


@pytest.mark.parametrize(
    "media_type", ["text/plain", "text/plain; charset=utf-16", "text/html; charset=latin-1"]
)
def test_a_page_under_another_text_type_is_parsed_by_its_content(client, app, media_type):
    data = HTML_CABLE.read_bytes()
    response = client.post("/cables", data=data, content_type=media_type, headers=WRITE)
    assert response.status_code == 201
    assert shown(response.get_json()) == fresh_parse(data)


# --- encodings ---------------------------------------------------------------------------------


def test_invalid_utf8_is_decoded_with_a_warning_and_stored_as_parsed(client, app):
    data = SEED.read_bytes().replace(b"Boucher", b"Bou\xff\xfe\xc3cher", 1)
    response = client.post("/cables", data=data, content_type="text/plain", headers=WRITE)
    assert response.status_code == 201
    document = response.get_json()
    assert document["warnings"], "a lossy decoding must be announced"
    assert shown(document) == fresh_parse(data)
    raw = client.get("/cables/06ALMATY1457/raw")
    assert raw.get_data() == data  # the bytes as uploaded, undecodable ones included


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_a_cable_with_a_byte_order_mark_is_read_as_text(client, encoding):
    text = SEED.read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    response = client.post("/cables", data=data, content_type="text/plain", headers=WRITE)
    assert response.status_code == 201, response.get_data()[:300]
    document = response.get_json()
    expected = fresh_parse(text)
    for key in ("reference_id", "created", "classification", "subject", "tags", "summary"):
        assert document[key] == expected[key]


# --- CSV -----------------------------------------------------------------------------------------


def csv_rows() -> list[bytes]:
    """The two real rows of the cables.csv sample."""
    data = CSV_SAMPLE.read_bytes()
    second = data.index(b'\n"2","') + 1
    return [data[:second], data[second:]]


def test_broken_csv_rows_are_reported_one_by_one_and_the_good_rows_stored(client, app):
    first, second = csv_rows()
    unbalanced = second.replace(b'"Embassy Tehran",', b'"Embassy Tehran,', 1)
    extra = second.replace(b'"UNCLASSIFIED",', b'"UNCLASSIFIED","EXTRA",', 1)
    missing = second.replace(b'"Embassy Tehran",', b"", 1)
    huge = second.replace(b'"UNCLASSIFIED",', b'"' + b"X" * BIG + b'",', 1)
    assert len({unbalanced, extra, missing, huge, second}) == 5  # every mutation took effect
    body = b"".join([first, unbalanced, extra, missing, huge, second])
    report = bulk(client, body, "text/csv")
    assert report["counts"]["created"] == 2
    assert report["counts"]["invalid"] == 4
    assert [item["line"] for item in report["items"]] == sorted(
        item["line"] for item in report["items"]
    )
    assert stored_ids(app) == {"66BUENOSAIRES2481", "72TEHRAN1164"}


# --- NDJSON and JSON -----------------------------------------------------------------------------


def deep(levels: int) -> str:
    """JSON nested `levels` deep."""
    return "[" * levels + "]" * levels


def test_broken_ndjson_lines_are_reported_one_by_one(client, app):
    seed = SEED.read_text(encoding="utf-8")
    page = HTML_CABLE.read_text(encoding="utf-8")
    lines = [
        json.dumps({"text": seed}),
        '{"text": "cut off in the mid',
        "[1, 2, 3]",
        json.dumps({"text": 5}),
        json.dumps({"text": seed, "metadata": {"reference_id": {"$gt": ""}}}),
        deep(100_000),
        "\xff\xfe not json",
        json.dumps({"text": page}),
    ]
    report = bulk(
        client, "\n".join(lines).encode("utf-8", "surrogateescape"), "application/x-ndjson"
    )
    assert report["counts"]["created"] == 2
    assert report["counts"]["invalid"] == 6
    assert [item["line"] for item in report["items"]] == [2, 3, 4, 5, 6, 7]
    assert stored_ids(app) == {"06ALMATY1457", "07BERN881"}


@pytest.mark.parametrize(
    "body",
    [
        {"text": 5},
        {"text": ["a", "b"]},
        {"text": None},
        {"text": ""},
        {"text": {"$gt": ""}},
        {"text": "x", "metadata": "not an object"},
        {"text": "x", "metadata": [1, 2]},
        {"text": "x", "name": 12},
        {"metadata": {}},
        "a string",
        12,
        None,
    ],
    ids=repr,
)
def test_json_of_the_wrong_shape_is_a_client_error(client, app, body):
    response = client.post(
        "/cables", data=json.dumps(body), content_type="application/json", headers=WRITE
    )
    assert_problem(response, 400, 422)
    assert stored_ids(app) == set()


@pytest.mark.parametrize(
    "metadata",
    [
        {"reference_id": {"$gt": ""}},
        {"reference_id": ["06ALMATY1457"]},
        {"reference_id": 6},
        {"created": {"$where": "1"}},
        {"origin": ["Embassy Almaty"]},
        {"references": [{"$ne": None}]},
        {"reference_id": "../../etc/passwd"},
        {"reference_id": "$where"},
    ],
    ids=repr,
)
def test_metadata_of_the_wrong_type_or_form_stores_nothing(client, app, metadata):
    body = {"text": SEED.read_text(encoding="utf-8"), "metadata": metadata}
    response = client.post("/cables", json=body, headers=WRITE)
    assert_problem(response, 422)
    assert stored_ids(app) == set()


@pytest.mark.parametrize("levels", [1_000, 100_000])
@pytest.mark.parametrize("where", ["top", "metadata"])
def test_deeply_nested_json_is_a_client_error(client, app, levels, where):
    nested = deep(levels)
    body = nested if where == "top" else '{"text": "x", "metadata": {"a": ' + nested + "}}"
    response = client.post("/cables", data=body, content_type="application/json", headers=WRITE)
    if where == "top":  # a JSON array is a bulk upload (issue 18): one invalid item, said why
        assert response.status_code == 200
        (item,) = response.get_json()["items"]
        assert (item["outcome"], item["reason"]) == ("invalid", "not JSON: nested too deeply")
    else:
        assert_problem(response, 400, 422)
    assert stored_ids(app) == set()


def test_an_empty_json_array_is_an_empty_bulk_upload(client, app):
    response = client.post("/cables", data="[]", content_type="application/json", headers=WRITE)
    assert response.status_code == 200
    assert response.get_json()["counts"]["total"] == 0
    assert stored_ids(app) == set()


# --- multipart ---------------------------------------------------------------------------------


def test_multipart_parts_that_are_not_cables_are_reported_per_part(client, app):
    parts = {
        "a": FileStorage(io.BytesIO(png()), filename="image.png"),
        "b": FileStorage(io.BytesIO(b""), filename="empty.txt"),
        "c": FileStorage(io.BytesIO(SEED.read_bytes()), filename="../../06ALMATY1457.txt"),
        "d": FileStorage(io.BytesIO(deep(100_000).encode()), filename="deep.ndjson"),
    }
    boundary, body = encode_multipart(parts)
    report = bulk(client, body, f"multipart/form-data; boundary={boundary}")
    assert report["counts"]["created"] == 1
    assert report["counts"]["invalid"] == 3
    assert stored_ids(app) == {"06ALMATY1457"}


def test_a_multipart_body_without_a_boundary_is_400(client):
    response = client.post(
        "/cables", data=b"--x\r\n", content_type="multipart/form-data", headers=WRITE
    )
    assert_problem(response, 400)


# --- reference ids in URLs -----------------------------------------------------------------------

ODD_IDS = [
    "..",
    ".",
    "%2E%2E",
    "..%2F..%2Fetc%2Fpasswd",
    "06ALMATY1457%2F..%2F..",
    "a%00b",
    "%E2%80%AE%F0%9F%98%80",
    "%C3%84%C3%96%C3%9C",
    "06ALMATY1457.json",
    "*",
    "%24gt",
    "%7B%22%24ne%22%3Anull%7D",
    "x" * 5000,
    "%FF%FE",
]


@pytest.mark.parametrize("reference_id", ODD_IDS)
@pytest.mark.parametrize("suffix", ["", "/raw", "/references"])
def test_odd_reference_ids_in_urls_are_404(client, app, reference_id, suffix):
    client.post("/cables", data=SEED.read_bytes(), content_type="text/plain", headers=WRITE)
    response = client.get(f"/cables/{reference_id}{suffix}")
    assert_problem(response, 400, 404)


@pytest.mark.parametrize("reference_id", ODD_IDS)
def test_nothing_cites_an_odd_reference_id(client, app, reference_id):
    # cited-by answers for ids that are not stored too, so an odd id is a 4xx or no cable
    client.post("/cables", data=SEED.read_bytes(), content_type="text/plain", headers=WRITE)
    response = client.get(f"/cables/{reference_id}/cited-by")
    if response.status_code == 200:
        assert response.get_json()["items"] == []
    else:
        assert_problem(response, 400, 404)


@pytest.mark.parametrize("reference_id", ODD_IDS)
def test_deleting_an_odd_reference_id_deletes_nothing(client, app, reference_id):
    client.post("/cables", data=SEED.read_bytes(), content_type="text/plain", headers=WRITE)
    response = client.delete(f"/cables/{reference_id}", headers=WRITE)
    assert_problem(response, 400, 404, 405)
    assert stored_ids(app) == {"06ALMATY1457"}
