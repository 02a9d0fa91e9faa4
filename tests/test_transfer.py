"""`cables export` and `cables import`: every stored cable, raw input and version moves
between engines and comes back the same."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from service.cli import main
from service.cli.ingest import ingest_paths
from service.config import load_settings
from service.ingest.entries import make_entry
from service.parsing import parse_cable
from service.query.conditions import EVERYTHING
from service.query.filters import build_query, parse_filters
from service.store import Store, open_store
from service.store.queries import CableQueries
from service.store.transfer import read_records, write_records

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CP1252 = ROOT / "tests" / "data" / "corpus" / "cables" / "07KINGSTON382.txt"
SEED = SAMPLES / "06ALMATY1457.txt"
SETTINGS = {
    "sqlite": {"EMBEDDED_DB": ":memory:"},
    "mongomock": {"MONGO_URI": "mongomock://", "MONGO_DB": "transfer"},
}


def loaded(engine: str) -> Store:
    """The samples, a cp1252 telegram, and the seed replaced once (a version kept)."""
    store = open_store(SETTINGS[engine])
    store.ensure_indexes()
    ingest_paths([SAMPLES, CP1252], store, load_settings(), batch_size=10)
    edited = SEED.read_bytes() + b"\nCORRECTED COPY.\n"
    store.add_many(
        [make_entry(parse_cable(edited), edited, "text/plain", {"file": "x"})], replace=True
    )
    return store


def everything_of(store: Store) -> dict[str, object]:
    """What a store shows of every cable: documents, raw inputs, versions, and a few queries."""
    queries = CableQueries(store)
    ids = sorted(
        d["reference_id"] for d in queries.export(EVERYTHING, sort="reference_id", fields=[])
    )
    return {
        "documents": {reference_id: store.get(reference_id) for reference_id in ids},
        "raw": {reference_id: store.get_raw(reference_id) for reference_id in ids},
        "versions": {reference_id: store.versions_of(reference_id) for reference_id in ids},
        "tag": queries.page(
            build_query(parse_filters({"tag": ["PREL"]})),
            sort="-created",
            limit=50,
            fields=["reference_id"],
        ).items,
        "q": queries.count(build_query(parse_filters({"q": ["nuclear -iran"]}))),
    }


def moved(source: Store, engine: str) -> Store:
    """A fresh store of the engine loaded with the source's export, through NDJSON text."""
    text = io.StringIO()
    write_records(source.dump(), text)
    target = open_store(
        SETTINGS[engine] if engine == "sqlite" else {**SETTINGS[engine], "MONGO_DB": "moved"}
    )
    target.ensure_indexes()
    report = target.load(read_records(io.StringIO(text.getvalue())))
    assert report.counts["cables in conflict"] == 0
    return target


@pytest.mark.parametrize(("source", "target"), [("sqlite", "mongomock"), ("mongomock", "sqlite")])
def test_an_export_imported_into_the_other_engine_answers_the_same(
    source: str, target: str
) -> None:
    original = loaded(source)
    expected = everything_of(original)
    assert expected["versions"]["06ALMATY1457"]  # type: ignore[index]
    assert expected["raw"]["07KINGSTON382"][1] == "text/plain"  # type: ignore[index]  # cp1252 bytes
    copy = moved(original, target)
    assert everything_of(copy) == expected
    again = copy.load(
        read_records(io.StringIO("".join(json.dumps(r) + "\n" for r in original.dump())))
    )
    assert (
        again.counts["cables created"] == 0 and again.counts["cables unchanged"] == original.count()
    )


def test_the_cli_moves_a_database_file_into_another(tmp_path, monkeypatch, capsys) -> None:
    first, second, dump = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "cables.ndjson"
    monkeypatch.setenv("EMBEDDED_DB", str(first))
    store = open_store(load_settings())
    ingest_paths([SAMPLES], store, load_settings(), batch_size=10)
    store.close()
    assert main(["export", "--output", str(dump)]) == 0
    assert "exported" in capsys.readouterr().err
    monkeypatch.setenv("EMBEDDED_DB", str(second))
    assert main(["import", str(dump)]) == 0
    assert f"cables created {len(list(SAMPLES.iterdir())):,}" in " ".join(
        capsys.readouterr().out.split()
    )
    assert open_store(load_settings()).count() == len(list(SAMPLES.iterdir()))
    assert main(["import", str(dump)]) == 0  # again: every cable unchanged
    assert "cables created 0" in " ".join(capsys.readouterr().out.split())


def test_a_file_that_is_no_export_is_refused_naming_the_line(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.ndjson"
    bad.write_text('{"kind": "raw", "sha256": "x", "text": "t", "data": null}\nnot json\n')
    assert main(["import", str(bad)]) == 3  # could not run: one line, no traceback
    assert "line 2" in capsys.readouterr().err
