"""`cables reparse`: stored cables parsed by an older parser are parsed again from their stored
text, through the CLI as an operator runs it, on both engines."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from cli_output import summary_counts
from store_edit import find_one, stored, update, version_count

import service.store
from service.cli import main
from service.cli.ingest import ingest_paths
from service.config import load_settings
from service.ingest import reparse as reparse_module
from service.ingest.reparse import item_of
from service.parsing import PARSER_VERSION, parse_cable
from service.store import Store, open_store
from service.store.mongo.store import MongoStore
from service.store.reparse import is_older, version_key
from service.store.sqlite.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CSV_SAMPLE = ROOT / "tests" / "data" / "corpus" / "csv" / "cables_sample.csv"
OLD = "0.9.0"
# Cables the "old parser" read differently: a stale subject, no `mentioned`, a key since dropped.
STALE = ("06ALMATY1457", "09BERLIN1296", "10LONDON86")


@pytest.fixture(params=["sqlite", "mongomock"])
def store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The samples and a cables.csv, ingested, then made to look parsed by parser 0.9.0;
    `cables reparse` opens this store (SQLite, or the MongoDB engine on mongomock)."""
    if request.param == "sqlite":
        opened = open_store({"EMBEDDED_DB": ":memory:"})
    else:
        opened = open_store({"MONGO_URI": "mongomock://", "MONGO_DB": "reparse_test"})
    opened.ensure_indexes()
    # Two rows of the CSV are also samples: the rows come first and stay (2 + 42 cables).
    report = ingest_paths([CSV_SAMPLE, SAMPLES], opened, load_settings(), batch_size=10)
    assert report.counts["created"] == 44
    update(opened, None, {"parser_version": OLD})
    update(opened, list(STALE), {"subject": "stale", "dropped_key": 1}, ("mentioned",))
    monkeypatch.setattr(service.store, "open_store", lambda *args, **kwargs: opened)
    return opened


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The ids each kind of write was given: whole parsed fields, or parser_version alone."""
    seen: dict[str, list[str]] = {"replaced": [], "marked": []}
    for engine in (SQLiteStore, MongoStore):
        replace, mark = engine.replace_parsed, engine.mark_parsed

        def spy_replace(
            self: Any, old: dict[str, Any], new: dict[str, Any], replace=replace
        ) -> bool:
            seen["replaced"].append(old["_id"])
            return replace(self, old, new)

        def spy_mark(
            self: Any, documents: list[dict[str, Any]], version: str, mark: Any = mark
        ) -> int:
            seen["marked"] += [document["_id"] for document in documents]
            return mark(self, documents, version)

        monkeypatch.setattr(engine, "replace_parsed", spy_replace)
        monkeypatch.setattr(engine, "mark_parsed", spy_mark)
    return seen


def test_reparse_rewrites_what_changed_and_only_versions_the_rest(
    store: Store, writes: dict[str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    before = stored(store)
    assert main(["reparse", "--quiet", "--batch-size", "4"]) == 0
    total = len(before)
    assert summary_counts(capsys.readouterr().out) == {
        "changed": 3, "unchanged": total - 3, "failed": 0, "skipped": 0, "total": total
    }  # fmt: skip
    after = stored(store)
    assert sorted(writes["replaced"]) == sorted(STALE)
    assert sorted(writes["marked"]) == sorted(set(before) - set(STALE))
    for reference_id in STALE:
        fresh = parse_cable(item_of(before[reference_id]).data or "")
        document = after[reference_id]
        assert document["subject"] == fresh["subject"] != "stale"
        assert document["mentioned"] == fresh["mentioned"] and "dropped_key" not in document
        for kept in ("ingested_at", "source", "sha256", "raw", "_id"):
            assert document[kept] == before[reference_id][kept]
    for reference_id in set(before) - set(STALE):  # not rewritten: only the version moved
        assert after[reference_id] == {**before[reference_id], "parser_version": PARSER_VERSION}
    assert version_count(store) == 0  # the same text: no version kept


def test_a_second_run_has_nothing_left_to_do(store: Store, capsys) -> None:
    assert main(["reparse", "--quiet"]) == 0
    capsys.readouterr()
    before = stored(store)
    assert main(["reparse", "--quiet"]) == 0
    assert summary_counts(capsys.readouterr().out)["total"] == 0
    assert stored(store) == before


def test_all_reparses_every_cable_whatever_its_version(
    store: Store, writes: dict[str, list[str]], capsys
) -> None:
    assert main(["reparse", "--quiet"]) == 0
    writes["replaced"].clear()
    writes["marked"].clear()
    capsys.readouterr()
    assert main(["reparse", "--quiet", "--all", "--batch-size", "7"]) == 0
    counts = summary_counts(capsys.readouterr().out)
    assert counts["unchanged"] == counts["total"] == store.count()
    assert writes == {"replaced": [], "marked": []}  # the same output, the same version


def test_a_cable_that_no_longer_parses_is_reported_and_left_alone(store: Store, capsys) -> None:
    update(store, ["09BERLIN1296"], {"raw": "Lunch moved to noon."}, ("raw_bytes",))
    before = find_one(store, "09BERLIN1296")
    assert main(["reparse", "--quiet"]) == 1
    output = capsys.readouterr().out
    assert summary_counts(output)["failed"] == 1 and "failed: 09BERLIN1296:" in output
    assert find_one(store, "09BERLIN1296") == before


def test_versions_compare_as_numbers(store: Store, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    assert version_key("1.10.0") > version_key("1.9.2") > version_key(None) == ()
    assert is_older("1.9.0", "1.10.0") and not is_older("1.10.0", "1.10.0")
    monkeypatch.setattr("service.parsing.PARSER_VERSION", "1.10.0")
    update(store, None, {"parser_version": "1.10.0"})
    versions = {"06ALMATY1457": "1.9.0", "09BERLIN1296": "1.11.0", "10LONDON86": "2.0"}
    for reference_id, version in versions.items():
        update(store, [reference_id], {"parser_version": version})
    assert main(["reparse", "--quiet"]) == 0
    counts = summary_counts(capsys.readouterr().out)
    assert (counts["changed"], counts["skipped"], counts["total"]) == (1, 2, 3)  # 1.9 < 1.10
    assert find_one(store, "09BERLIN1296")["subject"] == "stale"  # newer: kept


def test_an_interrupted_run_continues_where_it_stopped(
    store: Store, writes: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    calls = []
    parse_item = reparse_module.parse_item

    def interrupted_after_the_first_batch(item: Any, parse: Any) -> Any:
        calls.append(item)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return parse_item(item, parse)

    monkeypatch.setattr(reparse_module, "parse_item", interrupted_after_the_first_batch)
    assert main(["reparse", "--quiet", "--batch-size", "1"]) == 130
    first = capsys.readouterr().out
    assert summary_counts(first)["total"] == 1 and "interrupted" in first
    done = writes["replaced"] + writes["marked"]
    assert done == ["00HARARE6677"]  # the first id; its batch is saved

    monkeypatch.setattr(reparse_module, "parse_item", parse_item)
    assert main(["reparse", "--quiet", "--batch-size", "5"]) == 0
    counts = summary_counts(capsys.readouterr().out)
    assert counts["total"] == store.count() - 1 and counts["changed"] == 3
    assert sorted(writes["replaced"] + writes["marked"]) == sorted(stored(store))  # each once
    assert all(doc["parser_version"] == PARSER_VERSION for doc in stored(store).values())


def test_an_interrupted_all_run_says_where_to_continue(
    store: Store, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    parse_item = reparse_module.parse_item
    calls = []

    def interrupted(item: Any, parse: Any) -> Any:
        calls.append(item)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return parse_item(item, parse)

    monkeypatch.setattr(reparse_module, "parse_item", interrupted)
    assert main(["reparse", "--quiet", "--all", "--batch-size", "2"]) == 130
    assert "`cables reparse --all --after 01VATICAN1261`" in capsys.readouterr().out
    monkeypatch.setattr(reparse_module, "parse_item", parse_item)
    assert main(["reparse", "--quiet", "--all", "--after", "01VATICAN1261"]) == 0
    assert summary_counts(capsys.readouterr().out)["total"] == store.count() - 2


def test_csv_rows_are_reparsed_with_their_columns(store: Store) -> None:
    rows = [row for row in stored(store).values() if row.get("format") == "csv-row"]
    assert rows and all(row["input_metadata"]["reference_id"] for row in rows)
    assert all("input_metadata" not in store.get(row["_id"]) for row in rows)  # never shown
    for row in rows:  # stored before input_metadata was kept: the columns are read back
        older = {key: value for key, value in row.items() if key != "input_metadata"}
        again = reparse_module.parse_item(item_of(older), parse_cable)
        fresh = reparse_module.parse_item(item_of(copy.deepcopy(row)), parse_cable)
        for result in (again, fresh):
            assert result.document["origin"] == row["origin"]  # type: ignore[union-attr]
            assert result.document["created"] == row["created"]  # type: ignore[union-attr]
            assert result.document["references"] == row["references"]  # type: ignore[union-attr]


def test_a_text_replaced_meanwhile_is_not_overwritten(store: Store) -> None:
    seen = find_one(store, "06ALMATY1457")
    assert seen is not None
    update(store, ["06ALMATY1457"], {"sha256": "another text"})
    assert not store.replace_parsed(seen, {**seen, "subject": "re-parsed"})
    assert store.get("06ALMATY1457")["subject"] == "stale"
    assert store.replace_parsed(
        {**seen, "sha256": "another text"}, {**seen, "subject": "re-parsed"}
    )
    assert store.get("06ALMATY1457")["subject"] == "re-parsed"
