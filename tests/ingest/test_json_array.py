"""A bulk upload as one JSON array of `{text, metadata}` objects: read one element at a time,
whatever the reads' sizes; POST /cables takes it as a bulk upload (issue 18 item 3)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.ingest import json_array
from service.ingest.json_array import read_json_array
from service.ingest.readers import Limits

SEED = Path(__file__).parents[2] / "samples" / "06ALMATY1457.txt"
AUTH = {"Authorization": "Bearer test-write-token"}  # tests/conftest.py's write token
LIMITS = Limits(max_cable_bytes=100_000)


class Trickle(io.RawIOBase):
    """A stream answering each read with at most `step` bytes, as a slow network does."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = io.BytesIO(data)
        self._step = step

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._data.read(min(self._step, size if size >= 0 else self._step))


def items_of(data: bytes, step: int = 1 << 20) -> list:
    return list(read_json_array(Trickle(data, step), None, LIMITS))  # type: ignore[arg-type]


objects = st.lists(
    st.fixed_dictionaries(
        {"text": st.text(min_size=1, max_size=50)},
        optional={"metadata": st.dictionaries(st.sampled_from(["origin", "created"]), st.text())},
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(values=objects, step=st.integers(1, 40), indent=st.sampled_from([None, 0, 2]))
def test_every_element_comes_out_whatever_the_reads(values, step, indent):
    data = json.dumps(values, indent=indent, ensure_ascii=False).encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_array, "CHUNK_BYTES", 7)  # reads far smaller than an element
        items = items_of(data, step)
    assert [(item.data, item.metadata, item.line) for item in items] == [
        (value["text"], value.get("metadata"), number) for number, value in enumerate(values, 1)
    ]


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        (b'[{"text": "a"}, ', "ends before the array does"),
        (b'[{"text": "a"} {"text": "b"}]', "expected , or ]"),
        (b'[{"text": "a"}] x', "text after the closing ]"),
        (b'[{"text": "a"}, {"text": "b', "Unterminated string"),
    ],
)
def test_a_body_that_stops_being_an_array_ends_with_one_invalid_item(body, complaint):
    *good, last = items_of(body)
    assert [item.data for item in good] == ["a"]
    assert last.error and complaint in last.error and last.line == 2


def test_an_element_past_the_limit_is_refused_without_reading_on():
    big = json.dumps([{"text": "x" * 300_000}, {"text": "y"}]).encode()
    (item,) = items_of(big, step=4096)
    assert "longer than 200000 characters" in (item.error or "")


def test_a_number_split_across_reads_is_one_element(monkeypatch):
    monkeypatch.setattr(json_array, "CHUNK_BYTES", 1)
    (item,) = items_of(b"[12345]", step=1)
    assert "expected a JSON object" in (item.error or "")


def test_post_cables_takes_a_json_array_as_a_bulk_upload(client):
    seed = SEED.read_text(encoding="utf-8")
    body = [{"text": seed, "metadata": {"origin": "Embassy Almaty"}}, {"text": "Lunch at noon."}]
    response = client.post("/cables", json=body, headers=AUTH)
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["counts"]["created"] == 1 and report["counts"]["invalid"] == 1
    assert report["items"][0]["line"] == 2
    assert client.get("/cables/06ALMATY1457").get_json()["origin"] == "Embassy Almaty"
    again = client.post("/cables", json=body[:1], headers=AUTH).get_json()
    assert again["counts"]["unchanged"] == 1


def test_post_cables_still_takes_one_json_cable_after_blanks(client):
    data = b"  \n" + json.dumps({"text": SEED.read_text(encoding="utf-8")}).encode()
    response = client.post("/cables", data=data, content_type="application/json", headers=AUTH)
    assert response.status_code == 201
    assert response.get_json()["reference_id"] == "06ALMATY1457"


def test_one_json_cable_past_its_limit_is_413(app):
    app.config["MAX_CABLE_BYTES"] = 1000
    client = app.test_client()
    data = json.dumps({"text": "x" * 3000}).encode()
    response = client.post("/cables", data=data, content_type="application/json", headers=AUTH)
    assert response.status_code == 413
    assert "MAX_CABLE_BYTES" in response.get_json()["detail"]
