"""The `cables` command: ingest (direct and through HTTP), parse, serve's gunicorn app."""

from __future__ import annotations

import json
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_output import summary_counts
from werkzeug.serving import make_server

from service import create_app
from service.cli import main
from service.cli.ingest import ingest_paths
from service.cli.serve import ServiceApplication
from service.config import load_settings
from service.store import open_store

DATA = Path(__file__).parent / "data"
CABLES = DATA / "corpus" / "cables"
SEED = DATA / "seed" / "06ALMATY1457.txt"
BROKEN_CSV = DATA / "ingest" / "cables_broken_row.csv"
FILES = ["07BERN881.html", "08MADRID174.json", "09PARIS997.txt"]
TOKEN = "cli-token"


@pytest.fixture
def folder(tmp_path) -> Path:
    """Real cables, a cables.csv with a broken row, and a note that is not a cable."""
    source = tmp_path / "in"
    (source / "pages").mkdir(parents=True)
    for name in FILES:
        shutil.copy(CABLES / name, source / "pages" / name)
    shutil.copy(BROKEN_CSV, source / "cables.csv")
    (source / "note.txt").write_text("Lunch moved to noon.")
    return source


@pytest.fixture
def served() -> Iterator[tuple[str, object]]:
    """The service on 127.0.0.1, a free port, in a thread: its URL and app."""
    app = create_app({"TESTING": True, "EMBEDDED_DB": ":memory:", "API_TOKENS": TOKEN})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    thread.join()


EXPECTED = {"created": 10, "unchanged": 0, "replaced": 0, "conflict": 0, "invalid": 2, "total": 12}


def test_parse_prints_the_document(capsys):
    assert main(["parse", str(SEED)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["reference_id"] == "06ALMATY1457"
    assert document["tags"]


def test_parse_of_a_non_cable_fails_with_the_reason(tmp_path, capsys):
    note = tmp_path / "note.txt"
    note.write_text("Lunch moved to noon.")
    assert main(["parse", str(note)]) == 1
    assert "not a cable" in capsys.readouterr().err


def test_ingest_direct_summarises_and_writes_rejects(folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MONGO_URI", "mongomock://")
    rejects = tmp_path / "rejects.ndjson"
    status = main(["ingest", str(folder), "--rejects", str(rejects), "--batch-size", "3"])
    assert status == 1  # something was rejected
    assert summary_counts(capsys.readouterr().out) == EXPECTED
    lines = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert sorted((Path(item["file"]).name, item["line"]) for item in lines) == [
        ("cables.csv", 341),
        ("note.txt", None),
    ]


def test_ingest_paths_stores_every_cable(folder):
    store = open_store({"EMBEDDED_DB": ":memory:"})
    report = ingest_paths([folder], store, load_settings(), batch_size=4)
    assert report.counts["created"] == 10
    assert store.get("09PARIS997")["source"]["file"].endswith("pages/09PARIS997.txt")
    again = ingest_paths([folder], store, load_settings(), batch_size=4)
    assert again.counts["unchanged"] == 10


def test_ingest_through_a_running_service(folder, served, capsys):
    url, app = served
    status = main(["ingest", str(folder), "--url", url, "--token", TOKEN, "--quiet"])
    assert status == 1
    assert summary_counts(capsys.readouterr().out) == EXPECTED
    store = app.extensions["store"]
    assert store.count() == 10
    page = (CABLES / "07BERN881.html").read_bytes()
    assert store.get_raw("07BERN881") == (page, "text/html; charset=utf-8")


def test_ingest_through_http_with_a_wrong_token_stops_with_the_status(folder, served, capsys):
    url, _ = served
    assert main(["ingest", str(folder), "--url", url, "--token", "wrong", "--quiet"]) == 3
    message = one_line_error(capsys)
    assert message.startswith("cables ingest: ") and "401" in message


def test_ingest_of_a_missing_path_says_so(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "nowhere")]) == 3
    assert "no such file or folder" in one_line_error(capsys)


def test_ingest_to_a_refused_connection_says_so_in_one_line(folder, capsys):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["ingest", str(folder), "--url", f"http://127.0.0.1:{port}", "--quiet"]) == 3
    assert "could not reach" in one_line_error(capsys)


def one_line_error(capsys) -> str:
    """The command's last message on stderr, checked to be one line and no traceback."""
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.endswith("\n"), err
    last = err.splitlines()[-1]
    assert last.startswith("cables "), err
    return last


def test_serve_on_the_embedded_store_loads_into_the_file_its_workers_share(
    folder, monkeypatch, tmp_path, caplog
):
    monkeypatch.delenv("MONGO_URI", raising=False)
    monkeypatch.setenv("EMBEDDED_DB", str(tmp_path / "served.db"))
    application = ServiceApplication(host="127.0.0.1", port=0, workers=4, threads=3, load=[folder])
    assert (application.cfg.workers, application.cfg.threads) == (4, 3)
    assert application.cfg.bind == ["127.0.0.1:0"]
    app = application.load()  # what each worker does: a new app on the same file
    assert app.extensions["store"].count() == 10
    assert app.test_client().get("/cables/09PARIS997").status_code == 200
    with caplog.at_level("INFO", logger="service.cli"):  # "loaded at start-up" is INFO
        ServiceApplication(host="127.0.0.1", port=0, workers=1, threads=1, load=[folder])
    assert '"created": 0' in caplog.text and '"unchanged": 10' in caplog.text  # kept


def test_serve_hands_gunicorn_the_limits_that_keep_slow_clients_out(monkeypatch):
    from service.server import SERVER_LIMITS, SlowClientSafeWorker

    monkeypatch.delenv("MONGO_URI", raising=False)
    application = ServiceApplication(host="127.0.0.1", port=0, workers=1, threads=2)
    for name, value in SERVER_LIMITS.items():
        if name != "worker_class":
            assert getattr(application.cfg, name) == value, name
    assert application.cfg.worker_class is SlowClientSafeWorker


class StoreAwayOnce:
    """A store whose first `add_many` calls fail as when MongoDB is unreachable."""

    def __init__(self, store, failures: int) -> None:
        self.store = store
        self.failures = failures

    def __getattr__(self, name):
        return getattr(self.store, name)

    def add_many(self, entries, *, replace=False):
        if self.failures:
            self.failures -= 1
            from pymongo.errors import ServerSelectionTimeoutError

            raise ServerSelectionTimeoutError("store away (injected)")
        return self.store.add_many(entries, replace=replace)


@pytest.mark.parametrize(("failures", "status"), [(2, 1), (9, None)])
def test_ingest_through_http_waits_out_503s_and_sends_again(
    folder, monkeypatch, capsys, failures, status
):
    from service import client

    waits: list[float] = []
    monkeypatch.setattr(client, "pause", waits.append)
    store = StoreAwayOnce(open_store({"EMBEDDED_DB": ":memory:"}), failures)
    app = create_app({"TESTING": True, "STORE": store, "API_TOKENS": TOKEN, "BULK_BATCH_SIZE": 3})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        args = ["ingest", str(folder), "--url", url, "--token", TOKEN, "--quiet"]
        if status is None:  # the store never comes back: give up after the last attempt
            assert main(args) == 3
            assert "503" in capsys.readouterr().err
            assert len(waits) == client.ATTEMPTS - 1
            return
        assert main(args) == status
    finally:
        server.shutdown()
        thread.join()
    assert summary_counts(capsys.readouterr().out) == EXPECTED
    assert waits == [5.0, 5.0]  # the service's Retry-After
    assert store.count() == 10
