"""The ingestion pipeline: parse each item once, skip parsing what is already stored."""

from __future__ import annotations

import io
from pathlib import Path

from service.ingest import Limits, ingest
from service.ingest.parallel import shutdown
from service.ingest.readers import read_csv
from service.parsing import CableParseError, parse_cable
from service.store import open_store

BROKEN_CSV = Path(__file__).parents[1] / "data" / "ingest" / "cables_broken_row.csv"
LIMITS = Limits(max_cable_bytes=5 * 1024 * 1024)


class CountingParser:
    """parse_cable, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, data, **options):
        self.calls += 1
        return parse_cable(data, **options)


def rows(data: bytes) -> list:
    """The items of a cables.csv body."""
    return list(read_csv(io.BytesIO(data), "cables.csv", LIMITS, 0))


def test_each_item_is_parsed_once_and_a_reupload_not_at_all():
    store = open_store({"EMBEDDED_DB": ":memory:"})
    store.ensure_indexes()
    parser = CountingParser()
    first = ingest(rows(BROKEN_CSV.read_bytes()), store, batch_size=3, parse=parser)
    assert (first.counts["created"], parser.calls) == (7, 7)
    second = ingest(rows(BROKEN_CSV.read_bytes()), store, batch_size=3, parse=parser)
    assert second.counts["unchanged"] == 7
    assert parser.calls == 7  # identical rows were recognised by id and digest, unparsed


def test_a_changed_row_is_parsed_and_reported_as_a_conflict():
    store = open_store({"EMBEDDED_DB": ":memory:"})
    store.ensure_indexes()
    ingest(rows(BROKEN_CSV.read_bytes()), store, batch_size=100)
    changed = BROKEN_CSV.read_bytes().replace(b"PRESS REPORTS", b"PRESS ACCOUNTS", 1)
    parser = CountingParser()
    report = ingest(rows(changed), store, batch_size=100, parse=parser)
    assert parser.calls == 1
    assert report.counts["conflict"] == 1
    assert [item["reference_id"] for item in report.items if item["outcome"] == "conflict"] == [
        "66BUENOSAIRES2481"
    ]


def test_a_parser_crash_on_one_item_does_not_lose_the_others():
    store = open_store({"EMBEDDED_DB": ":memory:"})
    store.ensure_indexes()

    def fragile(data, **options):
        if "72TEHRAN1164" in str(options.get("metadata")):
            raise KeyError("parser bug")
        if "KINGSTON" in str(options.get("metadata")):
            raise CableParseError("not a cable after all")
        return parse_cable(data, **options)

    report = ingest(rows(BROKEN_CSV.read_bytes()), store, batch_size=2, parse=fragile)
    assert report.counts["created"] == 5
    reasons = {item["reference_id"]: item["reason"] for item in report.items}
    assert reasons["72TEHRAN1164"] == "parser failed: KeyError"
    assert reasons["07KINGSTON382"] == "not a cable after all"


def test_parsing_in_worker_processes_gives_the_same_outcomes():
    serial_store = open_store({"EMBEDDED_DB": ":memory:"})
    parallel_store = open_store({"EMBEDDED_DB": ":memory:"})
    try:
        serial = ingest(rows(BROKEN_CSV.read_bytes()), serial_store, batch_size=3)
        parallel = ingest(rows(BROKEN_CSV.read_bytes()), parallel_store, batch_size=3, processes=2)
    finally:
        shutdown()
    assert parallel.as_json() == serial.as_json()
    for reference_id in ("66BUENOSAIRES2481", "09USEUBRUSSELS948"):
        document = parallel_store.get(reference_id)
        expected = serial_store.get(reference_id)
        assert {**document, "ingested_at": None} == {**expected, "ingested_at": None}
