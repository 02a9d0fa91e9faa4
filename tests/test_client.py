"""service.client against a live service on 127.0.0.1: every page walked, one cable, raw,
facets, parse, uploads with progress, and typed errors carrying the problem document."""

from __future__ import annotations

import ast
import io
import shutil
import socket
import threading
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from service import client as client_module
from service import create_app
from service.client import (
    BadRequest,
    Client,
    ConnectionFailed,
    NotACable,
    NotFound,
    RateLimited,
    Unauthorized,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CABLES = ROOT / "tests" / "data" / "corpus" / "cables"
BROKEN_CSV = ROOT / "tests" / "data" / "ingest" / "cables_broken_row.csv"
TOKEN = "client-token"


def serve(config: dict) -> Iterator[str]:
    """The service in a thread on 127.0.0.1, a free port: its URL."""
    app = create_app({"TESTING": True, "MONGO_URI": "mongomock://", **config})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    """A live service holding the sample cables, uploaded through the client."""
    for found in serve({"API_TOKENS": TOKEN}):
        report = Client(found, TOKEN).upload(SAMPLES)
        assert report["counts"]["created"] == len(list(SAMPLES.iterdir()))
        yield found


@pytest.fixture
def archive(url) -> Client:
    return Client(url, TOKEN)


def test_cables_walks_every_page(archive):
    everything = list(archive.cables(page_size=7))
    assert len(everything) == len(list(SAMPLES.iterdir()))
    assert len({cable["reference_id"] for cable in everything}) == len(everything)


def test_cables_takes_lists_dates_and_field_choices(archive):
    found = list(
        archive.cables(tag=["PGOV"], date_from=date(2006, 1, 1), fields=["subject"], page_size=2)
    )
    assert found and all(set(cable) == {"reference_id", "subject"} for cable in found)
    one_request = archive.session.get(
        f"{archive.url}/cables", params={"tag": "PGOV", "date_from": "2006-01-01", "limit": 500}
    ).json()
    assert {cable["reference_id"] for cable in found} == {
        cable["reference_id"] for cable in one_request["items"]
    }


def test_one_cable_and_its_raw_upload(archive):
    cable = archive.cable("06ALMATY1457")
    assert cable["subject"].startswith("KAZAKHSTAN")
    assert archive.raw("06ALMATY1457") == (SAMPLES / "06ALMATY1457.txt").read_bytes()


def test_facets(archive):
    counts = archive.facets("year", "classification", participant="boucher")
    assert set(counts["facets"]) == {"year", "classification"}
    assert counts["total"] >= 1


def test_parse_a_path_or_a_text(archive):
    seed = SAMPLES / "06ALMATY1457.txt"
    assert archive.parse(seed)["reference_id"] == "06ALMATY1457"
    assert archive.parse(str(seed))["reference_id"] == "06ALMATY1457"
    assert archive.parse(seed.read_text(encoding="utf-8"))["reference_id"] == "06ALMATY1457"
    with pytest.raises(NotACable) as refused:
        archive.parse("Lunch moved to noon.")
    assert refused.value.status == 422 and "no cable structure" in refused.value.detail


def test_upload_files_a_csv_and_an_archive_with_progress(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ["07BERN881.html", "09PARIS997.txt"]:
        shutil.copy(CABLES / name, folder / name)
    shutil.copy(BROKEN_CSV, folder / "cables.csv")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("dump/08MADRID174.json", (CABLES / "08MADRID174.json").read_bytes())
    (folder / "more.zip").write_bytes(buffer.getvalue())
    total = sum(path.stat().st_size for path in folder.iterdir())
    seen: list[tuple[int, int]] = []
    for found in serve({"API_TOKENS": TOKEN}):
        report = Client(found, TOKEN).upload(folder, progress=lambda *sent: seen.append(sent))
        again = Client(found, TOKEN).upload([folder / "09PARIS997.txt"])
    assert report["counts"]["created"] == 10 and report["counts"]["invalid"] == 1, report
    (invalid,) = [item for item in report["items"] if item["outcome"] == "invalid"]
    assert (invalid["file"], invalid["line"]) == (str(folder / "cables.csv"), 341)
    assert again["counts"]["unchanged"] == 1
    sent = [done for done, _ in seen]
    assert sent == sorted(sent) and sent[-1] == total and {of for _, of in seen} == {total}
    assert len(seen) > 3  # the cables.csv counted as it is read, not once at the end


def test_errors_are_typed_and_carry_the_problem(archive, url):
    with pytest.raises(NotFound) as missing:
        archive.cable("99NOWHERE1")
    assert missing.value.status == 404 and missing.value.problem["status"] == 404
    with pytest.raises(BadRequest) as bad:
        list(archive.cables(colour="red"))
    assert bad.value.errors[0]["parameter"] == "colour"
    with pytest.raises(Unauthorized):
        Client(url, "wrong").upload(SAMPLES / "06ALMATY1457.txt")
    with pytest.raises(FileNotFoundError):
        archive.upload(SAMPLES / "nowhere.txt")


def test_a_refused_connection_is_connection_failed():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConnectionFailed) as failed:
        Client(f"http://127.0.0.1:{port}").cable("06ALMATY1457")
    assert "Connection refused" in str(failed.value) and failed.value.status is None


def test_rate_limits_are_waited_out_then_raised(monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(client_module, "pause", waits.append)
    for found in serve({"RATE_LIMIT": "2/minute"}):
        limited = Client(found)
        for _ in range(2):
            with pytest.raises(NotFound):
                limited.cable("99NOWHERE1")
        with pytest.raises(RateLimited) as refused:
            limited.cable("99NOWHERE1")
    assert len(waits) == client_module.ATTEMPTS - 1 and all(wait > 0 for wait in waits)
    assert refused.value.problem["status"] == 429


def test_the_readme_example_runs(url, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = readme.split("year by year:\n\n```python\n", 1)[1].split("```", 1)[0]
    exec(code.replace('"http://127.0.0.1:8080"', repr(url)), {})  # the samples' service
    lines = capsys.readouterr().out.splitlines()
    assert "2006 Richard Boucher 1" in lines
    assert ast.literal_eval(lines[-1]) == [{"count": 1, "value": "2006"}]  # keys in any order
