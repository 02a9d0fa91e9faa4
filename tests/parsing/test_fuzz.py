"""Fuzzing the parser with mutated real cables (every corpus file): lines dropped, duplicated,
shuffled, bytes flipped, metadata made up. Each input gives a well-formed document or a
CableParseError; through POST /parse, a document or a 422 problem, never a 500.

The example counts are bounded and the runs derandomised, so the suite stays fast and stable;
tests/parsing/test_properties.py covers arbitrary text and bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service import create_app
from service.ingest.pipeline import STORABLE_REFERENCE_ID
from service.parsing import CableParseError, parse_cable

CORPUS = sorted((Path(__file__).parents[1] / "data" / "corpus" / "cables").iterdir())
FIXED_KEYS = (
    "reference_id",
    "created",
    "classification",
    "origin",
    "subject",
    "tags",
    "to",
    "info",
    "excluded",
    "declassify_on",
    "classified_by",
    "references",
    "summary",
    "paragraphs",
    "signer",
    "participants",
    "warnings",
)
# Examples per property: bounded for the suite; FUZZ_EXAMPLES=5000 for a long run by hand.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 150)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MEDIA_TYPES = {".html": "text/html", ".txt": "text/plain", ".json": "application/json"}


def document_or_refusal(data: bytes | str, **options: Any) -> dict[str, Any] | None:
    """The parser's document after checking its shape, or None for a CableParseError."""
    try:
        document = parse_cable(data, **options)
    except CableParseError as error:
        assert str(error), "a refusal must say why"
        return None
    for key in FIXED_KEYS:
        assert key in document, key
    json.dumps(document)  # JSON-ready, as the store and the API need it
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    assert document["sha256"] == hashlib.sha256(raw).hexdigest()
    reference_id = document["reference_id"]
    assert reference_id is None or isinstance(reference_id, str)
    return document


LINE_MUTATIONS = ["drop", "duplicate", "shuffle", "swap", "blank", "flip"]


def mutate_lines(data: bytes, mutations: list[tuple[str, int, int]], seed: int) -> bytes:
    """Apply line-level mutations (and byte flips) to a cable's bytes."""
    lines = data.split(b"\n")
    shuffler = random.Random(seed)
    for operation, first, count in mutations:
        if not lines:
            break
        start = first % len(lines)
        end = min(len(lines), start + 1 + count)
        if operation == "drop":
            del lines[start:end]
        elif operation == "duplicate":
            lines[start:start] = lines[start:end]
        elif operation == "shuffle":
            block = lines[start:end]
            shuffler.shuffle(block)
            lines[start:end] = block
        elif operation == "swap":
            other = (first * 7 + count) % len(lines)
            lines[start], lines[other] = lines[other], lines[start]
        elif operation == "blank":
            lines[start:end] = [b""] * (end - start)
        elif lines[start]:
            line = bytearray(lines[start])
            line[count % len(line)] ^= 1 << (first % 8)
            lines[start] = bytes(line)
    return b"\n".join(lines)


mutation_lists = st.lists(
    st.tuples(
        st.sampled_from(LINE_MUTATIONS),
        st.integers(0, 10_000),
        st.integers(0, 40),
    ),
    min_size=1,
    max_size=8,
)


@FUZZ
@given(st.sampled_from(CORPUS), mutation_lists, st.integers(0, 2**16))
def test_line_mutations_of_real_cables(path: Path, mutations, seed: int) -> None:
    document_or_refusal(mutate_lines(path.read_bytes(), mutations, seed))


@FUZZ
@given(st.sampled_from(CORPUS), st.integers(0, 2**16))
def test_a_real_cable_with_its_lines_in_any_order(path: Path, seed: int) -> None:
    lines = path.read_bytes().split(b"\n")
    random.Random(seed).shuffle(lines)
    document_or_refusal(b"\n".join(lines))


@FUZZ
@given(st.sampled_from(CORPUS), st.lists(st.integers(0, 10**9), min_size=1, max_size=64))
def test_bytes_flipped_anywhere_in_a_real_cable(path: Path, positions: list[int]) -> None:
    data = bytearray(path.read_bytes())
    for position in positions:
        data[position % len(data)] ^= 0x80 | (position % 127)
    document_or_refusal(bytes(data))


metadata_values = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from(["06ALMATY1457", "1/2/2006 3:04", "2006-04-21 04:16:00", "SECRET", "../x"]),
)
metadata = st.dictionaries(
    st.sampled_from(["reference_id", "created", "released", "classification", "origin", "subject"]),
    metadata_values,
    max_size=6,
)


@FUZZ
@given(st.sampled_from(CORPUS), metadata)
def test_any_metadata_beside_a_real_cable(path: Path, given_metadata: dict[str, Any]) -> None:
    document = document_or_refusal(path.read_bytes(), metadata=given_metadata)
    if document is not None and document["reference_id"] is not None:
        assert "\n" not in document["reference_id"]


@FUZZ
@given(st.sampled_from(CORPUS))
def test_parsing_is_deterministic(path: Path) -> None:
    data = path.read_bytes()
    assert document_or_refusal(data) == document_or_refusal(data)


def test_every_real_cable_gets_a_storable_reference_id() -> None:
    for path in CORPUS:
        document = document_or_refusal(path.read_bytes())
        assert document is not None, path.name
        assert STORABLE_REFERENCE_ID.fullmatch(document["reference_id"]), path.name


@pytest.fixture(scope="module")
def parse_client():
    """A client of an app whose /parse is public (no store writes)."""
    app = create_app({"TESTING": True, "EMBEDDED_DB": ":memory:"})
    return app.test_client()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.sampled_from(CORPUS), mutation_lists, st.integers(0, 2**16))
def test_mutated_cables_through_the_api_are_a_document_or_422(
    parse_client, path: Path, mutations, seed: int
) -> None:
    data = mutate_lines(path.read_bytes(), mutations, seed)
    response = parse_client.post("/parse", data=data, content_type=MEDIA_TYPES[path.suffix])
    assert response.status_code in (200, 400, 422), response.get_data()[:300]
    if response.status_code != 200:
        assert response.mimetype == "application/problem+json"


@pytest.fixture(scope="module")
def write_client():
    """A client of an app that stores what it is sent (write token `fuzz`)."""
    app = create_app({"TESTING": True, "EMBEDDED_DB": ":memory:", "API_TOKENS": "fuzz"})
    return app.test_client()


any_metadata = st.dictionaries(
    st.sampled_from(["reference_id", "created", "classification", "origin", "references", "x"]),
    st.one_of(metadata_values, st.integers(), st.lists(st.text(max_size=10), max_size=3)),
    max_size=5,
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.sampled_from(CORPUS), any_metadata)
def test_whatever_metadata_comes_with_an_upload_only_reference_ids_are_stored(
    write_client, path: Path, given_metadata: dict[str, Any]
) -> None:
    body = {"text": path.read_text(encoding="utf-8", errors="replace"), "metadata": given_metadata}
    response = write_client.post("/cables", json=body, headers={"Authorization": "Bearer fuzz"})
    if response.status_code in (200, 201):
        assert STORABLE_REFERENCE_ID.fullmatch(response.get_json()["reference_id"])
    else:
        assert response.status_code in (409, 422), response.get_data()[:300]
        assert response.mimetype == "application/problem+json"
