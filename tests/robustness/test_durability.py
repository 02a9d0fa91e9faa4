"""Nothing lost under load and faults: concurrent uploads of the same cables, a bulk upload
whose connection drops, a store that goes away mid-request, replaces and deletes."""

from __future__ import annotations

import http.client
import json
import random
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import mongomock
import pytest
from hostile import (
    CABLES,
    MEDIA_TYPES,
    SEED,
    WRITE,
    WRITE_TOKEN,
    assert_problem,
    corpus_texts,
    fresh_parse,
    make_app,
    shown,
    stored_ids,
)
from pymongo.errors import ServerSelectionTimeoutError
from werkzeug.serving import make_server

from service.store.mongo.store import MongoStore

CLIENTS = 8
ROUNDS = 2
MULTIPART_BATCH = 40
SINGLE_OUTCOMES = {201, 200, 409}
BULK_OUTCOMES = {"created", "unchanged", "conflict"}


# --- a real HTTP server on 127.0.0.1 ---


class Served:
    """The app served over HTTP by a threaded server on 127.0.0.1; knows when requests end."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.finished = threading.Semaphore(0)
        self.server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """The app, signalling each finished request (the body is built before it returns)."""
        try:
            return self.app(environ, start_response)
        finally:
            self.finished.release()

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """One request on a new connection: status and JSON body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            connection.close()


@pytest.fixture
def served() -> Iterator[Served]:
    server = Served(make_app())
    server.thread.start()
    yield server
    server.server.shutdown()
    server.thread.join()


def multipart(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body of named files."""
    boundary = uuid.uuid4().hex
    chunks = []
    for index, (name, data) in enumerate(files):
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="f{index}"; '
            f'filename="{name}"\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def ndjson(texts: list[str]) -> bytes:
    """One `{"text": ...}` line per cable text."""
    return b"".join(json.dumps({"text": text}).encode() + b"\n" for text in texts)


# --- concurrent uploads of the same cables ---


def upload_all(served: Served, files: list[Any], seed: int, bulk: bool) -> list[str]:
    """Upload every file (single requests, or multipart batches), in a shuffled order; the
    outcomes that were not allowed."""
    order = list(files)
    random.Random(seed).shuffle(order)
    bad: list[str] = []
    if not bulk:
        for path in order:
            headers = {**WRITE, "Content-Type": MEDIA_TYPES[path.suffix]}
            status, body = served.request("POST", "/cables", path.read_bytes(), headers)
            if status not in SINGLE_OUTCOMES:
                bad.append(f"{path.name}: {status} {body}")
        return bad
    for start in range(0, len(order), MULTIPART_BATCH):
        batch = [(path.name, path.read_bytes()) for path in order[start : start + MULTIPART_BATCH]]
        body, media_type = multipart(batch)
        status, report = served.request(
            "POST", "/cables", body, {**WRITE, "Content-Type": media_type}
        )
        if status != 200:
            bad.append(f"bulk: {status} {report}")
            continue
        bad.extend(str(item) for item in report["items"] if item["outcome"] not in BULK_OUTCOMES)
    return bad


def test_eight_clients_uploading_the_same_cables_at_once_store_each_exactly_once(served):
    files = sorted(CABLES.iterdir())  # every corpus file: 422 files of 420 cables
    by_id: dict[str, list[bytes]] = {}
    for path in files:
        data = path.read_bytes()
        by_id.setdefault(fresh_parse(data)["reference_id"], []).append(data)
    problems: list[str] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        for round_ in range(ROUNDS):
            found = upload_all(served, files, seed=number * 100 + round_, bulk=number % 2 == 1)
            with lock:
                problems.extend(found)

    threads = [threading.Thread(target=client, args=(number,)) for number in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    store = served.app.extensions["store"]
    assert store.count() == len(by_id) == 420
    for reference_id, forms in by_id.items():
        stored = shown(store.get(reference_id))
        assert stored in [fresh_parse(form) for form in forms], reference_id


# --- a bulk upload whose connection drops halfway ---


def send_and_drop(served: Served, body: bytes, cut_at: int) -> None:
    """Announce the whole body, send `cut_at` bytes of it, and hang up."""
    head = (
        f"POST /cables HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {WRITE_TOKEN}\r\n"
        f"Content-Type: application/x-ndjson\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", served.port), timeout=60) as connection:
        connection.sendall(head + body[:cut_at])
        connection.shutdown(socket.SHUT_WR)
    served.finished.acquire(timeout=120)  # the server has handled what it was sent


@pytest.mark.parametrize("batch_size", [4, 500])
def test_a_dropped_bulk_upload_keeps_the_cables_before_the_drop_and_a_retry_completes_it(
    batch_size,
):
    served = Served(make_app(BULK_BATCH_SIZE=batch_size))
    served.thread.start()
    try:
        texts = corpus_texts(24)
        body = ndjson(texts)
        lines = body.splitlines(keepends=True)
        whole = 15  # lines sent whole; the 16th is cut in its middle
        cut_at = sum(len(line) for line in lines[:whole]) + len(lines[whole]) // 2
        send_and_drop(served, body, cut_at)
        before = {fresh_parse(text)["reference_id"]: text for text in texts[:whole]}
        store = served.app.extensions["store"]
        assert stored_ids(served.app) == set(before)
        for reference_id, text in before.items():
            assert shown(store.get(reference_id)) == fresh_parse(text)
        status, report = served.request(
            "POST", "/cables", body, {**WRITE, "Content-Type": "application/x-ndjson"}
        )
        assert status == 200
        assert report["counts"]["unchanged"] == whole
        assert report["counts"]["created"] == len(texts) - whole
        assert report["counts"]["invalid"] == report["counts"]["conflict"] == 0
        assert [item["line"] for item in report["items"]] == list(range(1, whole + 1))
        assert store.count() == len(texts)
    finally:
        served.server.shutdown()
        served.thread.join()


# --- the store going away mid-request ---


class Switch:
    """Whether the store is reachable; flipped by tests, or by FlakyStore after some batches."""

    def __init__(self) -> None:
        self.down = False
        self.faults = 0

    def check(self) -> None:
        """Fail as pymongo does when no server answers."""
        if self.down:
            self.faults += 1
            raise ServerSelectionTimeoutError("store unreachable (injected)")


class FlakyCollection:
    """A collection whose every use fails while the switch is down."""

    def __init__(self, real: Any, switch: Switch) -> None:
        self._real = real
        self._switch = switch

    def __getattr__(self, name: str) -> Any:
        self._switch.check()
        value = getattr(self._real, name)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            self._switch.check()
            return value(*args, **kwargs)

        return call


class FlakyDatabase:
    """A database handing out flaky collections; `command` (ping) fails while down."""

    def __init__(self, real: Any, switch: Switch) -> None:
        self._real = real
        self._switch = switch

    def __getitem__(self, name: str) -> FlakyCollection:
        return FlakyCollection(self._real[name], self._switch)

    def with_options(self, **options: Any) -> FlakyDatabase:
        """The same flaky database with other options (the engine reads its primary view)."""
        return FlakyDatabase(self._real.with_options(**options), self._switch)

    def __getattr__(self, name: str) -> Any:
        self._switch.check()
        value = getattr(self._real, name)
        if name in ("command", "list_collection_names", "get_collection"):

            def call(*args: Any, **kwargs: Any) -> Any:
                self._switch.check()
                result = value(*args, **kwargs)
                return FlakyCollection(result, self._switch) if name == "get_collection" else result

            return call
        return value


class FlakyStore(MongoStore):
    """The MongoDB engine over a flaky (mongomock) database; it goes down after
    `healthy_batches` writes."""

    def __init__(self, switch: Switch, healthy_batches: int | None = None) -> None:
        database: Any = FlakyDatabase(mongomock.MongoClient()["cables"], switch)
        # mongomock: a database in this process only, so boot builds its indexes.
        super().__init__(database, text_index=False, shared=False)
        self.switch = switch
        self.healthy_batches = healthy_batches

    def add_many(self, entries: list[Any], *, replace: bool = False) -> list[Any]:
        """Write a batch; the store then drops out once the healthy batches are used up."""
        outcomes = super().add_many(entries, replace=replace)
        if self.healthy_batches is not None:
            self.healthy_batches -= 1
            if self.healthy_batches <= 0:
                self.switch.down = True
        return outcomes


def assert_unavailable(response: Any) -> None:
    """503 problem+json saying when to come back."""
    assert_problem(response, 503)
    assert int(response.headers["Retry-After"]) > 0


def test_a_store_lost_mid_upload_gives_503_keeps_whole_batches_and_recovers():
    switch = Switch()
    store = FlakyStore(switch, healthy_batches=2)
    app = make_app(STORE=store, BULK_BATCH_SIZE=5)
    client = app.test_client()
    texts = [SEED.read_text(encoding="utf-8"), *corpus_texts(17)]
    body = ndjson(texts)
    response = client.post("/cables", data=body, content_type="application/x-ndjson", headers=WRITE)
    assert_unavailable(response)
    assert_problem(client.get("/ready"), 503)  # a probe: no Retry-After needed
    assert "unreachable" in client.get("/ready").get_json()["detail"]
    assert_unavailable(client.get("/cables/06ALMATY1457"))
    assert_unavailable(
        client.post("/cables", data=texts[-1], content_type="text/plain", headers=WRITE)
    )
    assert_unavailable(client.delete("/cables/06ALMATY1457", headers=WRITE))

    switch.down = False  # the store comes back: no restart, no reconnect call
    store.healthy_batches = None
    assert client.get("/ready").status_code == 200
    first_batches = {fresh_parse(text)["reference_id"]: text for text in texts[:10]}
    assert stored_ids(app) == set(first_batches)  # two whole batches, nothing half-written
    for reference_id, text in first_batches.items():
        assert shown(store.get(reference_id)) == fresh_parse(text)
    retry = client.post("/cables", data=body, content_type="application/x-ndjson", headers=WRITE)
    assert retry.status_code == 200
    counts = retry.get_json()["counts"]
    assert (counts["unchanged"], counts["created"], counts["invalid"]) == (10, len(texts) - 10, 0)
    assert switch.faults >= 6


@pytest.mark.parametrize(
    "path",
    ["/cables", "/cables?tag=KZ", "/facets", "/stats", "/tags?used=true", "/participants?q=bo"],
)
def test_searches_while_the_store_is_down_are_503_and_work_again_after(path):
    switch = Switch()
    app = make_app(STORE=FlakyStore(switch))
    client = app.test_client()
    assert (
        client.post(
            "/cables", data=SEED.read_bytes(), content_type="text/plain", headers=WRITE
        ).status_code
        == 201
    )
    expected = client.get(path)
    assert expected.status_code == 200
    switch.down = True
    assert_unavailable(client.get(path))
    switch.down = False
    again = client.get(path)
    assert again.status_code == 200
    assert again.get_json() == expected.get_json()


# --- replace keeps every version; only DELETE removes ---


def versions(text: str, count: int) -> list[str]:
    """`count` different texts of one cable."""
    return [text.replace("Boucher", f"Boucher{'!' * number}") for number in range(count)]


def test_replace_keeps_every_earlier_version_and_only_delete_removes():
    app = make_app()
    client = app.test_client()
    store = app.extensions["store"]
    texts = versions(SEED.read_text(encoding="utf-8"), 4)
    assert (
        client.post("/cables", data=texts[0], content_type="text/plain", headers=WRITE).status_code
        == 201
    )
    conflict = client.post("/cables", data=texts[1], content_type="text/plain", headers=WRITE)
    assert_problem(conflict, 409)
    for text in texts[1:]:
        response = client.post(
            "/cables?replace=true", data=text, content_type="text/plain", headers=WRITE
        )
        assert response.status_code == 200
        assert store.count() == 1
    kept = store.versions_of("06ALMATY1457")
    digests = [fresh_parse(text)["sha256"] for text in texts]
    assert [version["sha256"] for version in kept] == digests[:-1]
    assert [version["superseded_by"] for version in kept] == digests[1:]
    for version, text in zip(kept, texts, strict=False):
        assert shown({k: v for k, v in version.items() if not k.startswith("superseded")}) == (
            fresh_parse(text)
        )
    # a bulk replace keeps the version it replaces too
    report = client.post(
        "/cables?replace=true",
        data=ndjson([texts[0]]),
        content_type="application/x-ndjson",
        headers=WRITE,
    ).get_json()
    assert report["counts"]["replaced"] == 1
    assert len(store.versions_of("06ALMATY1457")) == len(texts)
    assert client.delete("/cables/06ALMATY1457", headers=WRITE).status_code == 204
    assert_problem(client.get("/cables/06ALMATY1457"), 404)
    assert store.count() == 0
    # deleted, and every text it ever had is still kept
    assert {version["sha256"] for version in store.versions_of("06ALMATY1457")} == set(digests)
