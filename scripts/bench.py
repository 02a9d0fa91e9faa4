#!/usr/bin/env python3
"""Benchmarks of issue 6: parsing, HTTP and CLI ingestion, memory, queries, scaling.

    .venv/bin/python scripts/bench.py            # full: 1,000 / 10,000 / 100,000 cables
    .venv/bin/python scripts/bench.py --quick    # a smaller version, under a minute
    .venv/bin/python scripts/bench.py --sizes 1000,10000 --only parse,http,query
    .venv/bin/python scripts/bench.py --sizes 100000 --only query --database big.db

With --database the queries are asked of an SQLite file loaded beforehand (say by `cables
ingest cables-100000-seed6.csv --processes 2`, the generated corpus of that size and this
script's seed, kept in --work): no HTTP upload first, the file served as it is and kept.

Prints one markdown table: the median, min and max of the runs of every measurement, with
the machine, the store measured (the embedded SQLite store, a fresh database file per server;
the MongoDB engine on mongomock with MONGO_URI=mongomock://; or MONGO_URI's server), the date
and the command. Servers run under gunicorn on 127.0.0.1 on a free port; no other traffic.
Exit status 1 when a measurement could not run (its row says why).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import resource
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
CORPUS = ROOT / "tests" / "data" / "corpus"
VENV_BIN = Path(sys.executable).parent
sys.path[:0] = [str(ROOT), str(SCRIPTS)]

import bench_datasette  # noqa: E402  (a sibling script, found through sys.path above)
import make_corpus  # noqa: E402  (another)
from bench_parse import interpreter  # noqa: E402  (another)

HOST = "127.0.0.1"
WRITE_TOKEN = "bench-write-token"
SEED = 6
CLIENTS = 8  # concurrent clients for the requests/s figure
SERVER_START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 3_600.0
MB = 1_000_000
CPU_NOTE = "per CPU second: what the rate would be on an idle core"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The worst case for `q`: one term and 19 excluded words.
WORST_TEXT_QUERY = (
    "government -kazakhstan -almaty -oil -gas -election -democracy -opposition -nuclear -party"
    " -foreign -economy -media -court -human -rights -assistance -military -iran -iraq"
)
CREATED_LINE = re.compile(r"^\s*created\s+([\d,]+)\s*$", re.M)  # the CLI's summary line


@dataclass(frozen=True)
class Plan:
    """How big and how many: the full run or the quick one."""

    sizes: list[int]
    runs: int
    parse_generated: int
    query_requests: int  # per filter and run
    rps_requests: int  # per client and run
    cli_processes: tuple[int, ...]  # `cables ingest --processes` values to measure
    groups: set[str]
    database: Path | None = None  # an SQLite file loaded beforehand, to query as it is
    peer: bool = False  # also the Datasette peer on the same cables (with database)


FULL = Plan([1_000, 10_000, 100_000], 5, 10_000, 20, 25, (1, os.cpu_count() or 1), set())
QUICK = Plan([200], 3, 200, 5, 5, (1,), set())
GROUPS = ("parse", "http", "memory", "cli", "query")
TARGETS = {
    "parse cables/s": ">= 1,500",
    "HTTP ingest cables/s": ">= 1,000",
    "ingest peak RSS MB (discarding store)": "< 300 at 100,000",
    "query tag p50 ms": "< 100 at 10,000",
}


@dataclass
class Row:
    """One line of the table: a measurement's values over the runs, or why it failed."""

    measurement: str
    cables: str
    unit: str
    values: list[float] = field(default_factory=list)
    error: str | None = None
    note: str = ""

    def cells(self) -> list[str]:
        """The markdown cells."""
        target = TARGETS.get(f"{self.measurement} {self.unit}", "")
        if self.error:
            return [
                self.measurement,
                self.cables,
                self.unit,
                "FAILED",
                "",
                "",
                "",
                target,
                self.error,
            ]
        values = self.values
        figures = [statistics.median(values), min(values), max(values)]
        return [
            self.measurement,
            self.cables,
            self.unit,
            *(number(value) for value in figures),
            str(len(values)),
            target,
            self.note,
        ]


def number(value: float) -> str:
    """A figure with sensible precision."""
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


# ---------------------------------------------------------------- the machine and the store


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_total_gb() -> float:
    """Installed RAM in GB."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024 / 1e9
    return 0.0


def store_measured() -> str:
    """Which store the servers use: MONGO_URI's host (no credentials), or the embedded one."""
    uri = os.environ.get("MONGO_URI", "")
    if not uri:
        return "embedded SQLite (a fresh database file per server, WAL; MONGO_URI unset)"
    if uri.startswith("mongomock://"):
        return "the MongoDB engine on mongomock (in-process; MONGO_URI=mongomock://)"
    parsed = urllib.parse.urlsplit(uri)
    return f"MongoDB at {parsed.scheme}://{parsed.hostname}:{parsed.port or 27017}"


def preamble(command: str) -> list[str]:
    """The lines above the table."""
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return [
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {os.cpu_count()} cores, {cpu_model()}, {memory_total_gb():.1f} GB RAM, "
        f"Python {platform.python_version()}, load average at start {load}",
        f"- interpreter: {interpreter()}",
        f"- store: {store_measured()}",
        "- server: gunicorn, 1 worker, 8 threads, 127.0.0.1",
        f"- command: `{command}`",
    ]


# ---------------------------------------------------------------- corpora


def generated_csv(work: Path, n: int) -> Path:
    """A cables.csv of n generated cables, made once per size and seed."""
    path = work / f"cables-{n}-seed{SEED}.csv"
    if not path.exists():
        partial = path.with_suffix(".partial")
        with partial.open("w", encoding="utf-8", newline="") as handle:
            make_corpus.write_csv(make_corpus.generate(n, SEED, CORPUS), handle)
        partial.rename(path)
    return path


def csv_items(path: Path) -> list[Any]:
    """The items the service's own reader makes of a cables.csv."""
    from service.ingest.csv_dump import read_cables_csv

    with path.open("rb") as stream:
        return list(read_cables_csv(stream, name=path.name, max_row_bytes=5 * 1024 * 1024))


def real_cables() -> list[bytes]:
    """Every real corpus file, as uploaded."""
    return [path.read_bytes() for path in sorted((CORPUS / "cables").iterdir())]


# ---------------------------------------------------------------- parsing


@contextmanager
def one_core() -> Iterator[None]:
    """Pin this process to one CPU while measuring, then restore."""
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def measure_parsing(label: str, inputs: list[tuple[Any, dict[str, Any]]], runs: int) -> list[Row]:
    """Cables/s and MB/s of parse_cable over `inputs` (data, keyword arguments)."""
    from service.parsing import parse_cable

    size = sum(len(data if isinstance(data, bytes) else data.encode()) for data, _ in inputs)
    rates, throughputs, cpu_rates = [], [], []
    with one_core():
        for _ in range(runs):
            start, cpu_start = time.perf_counter(), time.process_time()
            for data, options in inputs:
                parse_cable(data, **options)
            elapsed = time.perf_counter() - start
            rates.append(len(inputs) / elapsed)
            throughputs.append(size / MB / elapsed)
            cpu_rates.append(len(inputs) / (time.process_time() - cpu_start))
    cables = f"{len(inputs):,} {label}"
    return [
        Row("parse", cables, "cables/s", rates, note="one core, wall clock"),
        Row("parse", cables, "MB/s", throughputs, note=f"{size / MB:.1f} MB per run"),
        Row("parse", cables, "cables/CPU-s", cpu_rates, note=CPU_NOTE),
    ]


def bench_parsing(plan: Plan, work: Path) -> list[Row]:
    """Parsing the real corpus and generated cables."""
    from service.parsing import CableParseError, parse_cable

    real: list[tuple[Any, dict[str, Any]]] = []
    for data in real_cables():
        try:
            parse_cable(data)
            real.append((data, {}))
        except CableParseError:
            continue  # a file the parser refuses would not measure parsing
    items = csv_items(generated_csv(work, plan.parse_generated))
    generated = [(item.data, {"format": item.format, "metadata": item.metadata}) for item in items]
    return [
        *measure_parsing("real", real, plan.runs),
        *measure_parsing("generated", generated, plan.runs),
    ]


# ---------------------------------------------------------------- servers


def free_port() -> int:
    """A port nobody listens on, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A gunicorn process serving the app on 127.0.0.1."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path
    database: Path  # the SQLite file, when the embedded store serves

    def database_bytes(self) -> int:
        """The SQLite database's size on disk, its write-ahead log included."""
        files = [self.database, *self.database.parent.glob(self.database.name + "-*")]
        return sum(path.stat().st_size for path in files if path.exists())

    def connection(self) -> http.client.HTTPConnection:
        """A new keep-alive connection."""
        return http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)

    def worker_pids(self) -> list[int]:
        """The gunicorn worker processes (the master's children)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def cpu_seconds(self) -> float:
        """User + system CPU time of the master, its workers and their children so far."""
        total, pending = 0.0, [self.process.pid]
        while pending:
            pid = pending.pop()
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue  # the process ended meanwhile
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
            pending += [int(child) for child in children]
        return total

    def peak_rss_mb(self) -> float:
        """The largest peak resident set (VmHWM) of the workers, in MB."""
        peaks = [0.0]
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) * 1024 / MB)
        return max(peaks)


@contextmanager
def serving(
    work: Path, app: str = "service:create_app()", database: Path | None = None
) -> Iterator[Server]:
    """Run gunicorn with `app` until the block ends; it must answer /health in time. Its
    SQLite file is a fresh one, deleted at the end, unless `database` names one to serve."""
    port = free_port()
    log = work / f"server-{port}.log"
    command = [
        str(VENV_BIN / "gunicorn"),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        "1",  # the embedded store lives in one process
        "--threads",
        "8",
        "--timeout",
        str(int(REQUEST_TIMEOUT)),
        "--no-control-socket",  # its default path is shared by every gunicorn on the machine
        "--pythonpath",
        f"{ROOT},{SCRIPTS}",
        app,
    ]
    # RATE_LIMIT off: the benchmark measures throughput, which a per-client limit would cap
    given = database is not None
    database = database if database is not None else work / f"bench-{port}.db"
    environment = {
        **os.environ,
        "API_TOKENS": WRITE_TOKEN,
        "LOG_LEVEL": "WARNING",
        "RATE_LIMIT": "off",
        "EMBEDDED_DB": str(database),  # a fresh SQLite file (when MONGO_URI is unset)
    }
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=output, env=environment)
    server = Server(process, port, log, database)
    try:
        wait_until_up(server)
        yield server
        log.unlink(missing_ok=True)  # kept only when something went wrong
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for leftover in (database, *database.parent.glob(database.name + "-*")):
            if not given:
                leftover.unlink(missing_ok=True)


def wait_until_up(server: Server) -> None:
    """Poll /health until it answers 200; fail with the server log otherwise."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            status, _ = request(server.connection(), "GET", "/health")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    tail = server.log.read_text(errors="replace")[-1500:]
    raise RuntimeError(f"server did not start: {tail}")


def request(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    """One request on a connection; the status and the body."""
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.read()


def upload_csv(server: Server, path: Path) -> tuple[float, dict[str, Any]]:
    """POST a cables.csv; the seconds it took and the response body."""
    headers = {
        "Content-Type": "text/csv",
        "Content-Length": str(path.stat().st_size),
        "Authorization": f"Bearer {WRITE_TOKEN}",
    }
    connection = server.connection()
    with path.open("rb") as body:
        start = time.perf_counter()
        status, payload = request(connection, "POST", "/cables", body, headers)
        elapsed = time.perf_counter() - start
    connection.close()
    if status >= 300:
        raise RuntimeError(f"POST /cables answered {status}: {payload[:300]!r}")
    return elapsed, json.loads(payload)


def created_count(report: dict[str, Any]) -> int:
    """How many cables a bulk report says were created."""
    counts = report.get("counts", report)
    return int(counts.get("created", 0))


# ---------------------------------------------------------------- ingestion and memory


def bench_loaded(plan: Plan, work: Path, n: int) -> list[Row]:
    """Queries, memory and file size of an SQLite file loaded beforehand (plan.database)."""
    assert plan.database is not None
    path = generated_csv(work, n)
    label = f"{n:,}"
    with serving(work, database=plan.database) as server:
        start_rss = server.peak_rss_mb()
        rows = bench_queries(plan, server, path, n)
        peak = server.peak_rss_mb()
        ratio = server.database_bytes() / text_bytes(path)
    return [
        Row("server peak RSS", label, "MB", [start_rss], note="after start"),
        Row("server peak RSS", label, "MB", [peak], note="after the queries"),
        Row("database file / cables' text", label, "x", [ratio], note=str(plan.database.name)),
        *rows,
        *(guarded(lambda: bench_peer(plan, work, path, n), "peer", label) if plan.peer else []),
    ]


def bench_peer(plan: Plan, work: Path, path: Path, n: int) -> list[Row]:
    """The same questions of Datasette over a sqlite-utils database of the same cables."""
    assert plan.database is not None
    peer_db = bench_datasette.build(work, plan.database, n)
    participant = urllib.parse.unquote(query_paths(path)["participant"].split("=", 1)[1])
    label = f"{n:,}"
    port = free_port()
    rows: list[Row] = []
    with bench_datasette.serving(work, peer_db, port) as process:
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)

        def get(query: str) -> tuple[int, bytes]:
            return request(connection, "GET", query)

        def probe(query: str) -> tuple[int, bytes]:
            once = http.client.HTTPConnection(HOST, port, timeout=10)
            try:
                return request(once, "GET", query)
            finally:
                once.close()

        bench_datasette.wait_until_up(probe, process)
        for name, query in bench_datasette.queries(participant).items():
            status, payload = get(query)  # the warm-up
            if status != 200:
                rows.append(Row(f"peer query {name}", label, "ms", error=f"{status}"))
                continue
            note = f"{bench_datasette.found(payload):,} match"
            rows += latency_rows(plan, connection, query, f"peer query {name}", label, note)
        connection.close()
        peak = bench_datasette.peak_rss_mb(process.pid)
    note = bench_datasette.environment_note()
    return [Row("peer peak RSS", label, "MB", [peak], note=note), *rows]


def bench_http(plan: Plan, work: Path, n: int) -> list[Row]:
    """CSV bulk upload through gunicorn; then queries against the last loaded server."""
    path = generated_csv(work, n)
    label = f"{n:,}"
    rates, cpu_rates, peaks, sizes = [], [], [], []
    rows: list[Row] = []
    for run in range(plan.runs):
        with serving(work) as server:
            cpu_start = server.cpu_seconds()
            elapsed, report = upload_csv(server, path)
            cpu_rates.append(n / max(server.cpu_seconds() - cpu_start, 1e-3))
            if created_count(report) != n:
                raise RuntimeError(f"expected {n} created, report says {report.get('counts')}")
            rates.append(n / elapsed)
            peaks.append(server.peak_rss_mb())
            if server.database.exists():  # the SQLite file against the cables' text
                sizes.append(server.database_bytes() / text_bytes(path))
            if run == plan.runs - 1 and "query" in plan.groups:
                rows += guarded(lambda: bench_queries(plan, server, path, n), "query", label)
                peaks[-1] = max(peaks[-1], server.peak_rss_mb())  # the queries' too
    file_rows = [Row("database file / cables' text", label, "x", sizes)] if sizes else []
    return [
        Row("HTTP ingest", label, "cables/s", rates, note="CSV bulk upload"),
        Row("HTTP ingest", label, "cables/CPU-s", cpu_rates, note="server CPU time"),
        Row("server peak RSS", label, "MB", peaks, note="storing, then querying"),
        *file_rows,
        *rows,
    ]


def text_bytes(path: Path) -> int:
    """The UTF-8 size of the cables' text in a generated cables.csv (its items' data)."""
    from service.ingest.csv_dump import read_cables_csv

    total = 0
    with path.open("rb") as stream:
        for item in read_cables_csv(stream, name=path.name, max_row_bytes=5 * 1024 * 1024):
            data = item.data
            total += len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    return total


def bench_memory(plan: Plan, work: Path, n: int) -> list[Row]:
    """Peak RSS of the ingestion path: the service with a store that counts and discards."""
    path = generated_csv(work, n)
    peaks, rates = [], []
    for _ in range(plan.runs):
        with serving(work, app="discard_store:create_app()") as server:
            elapsed, report = upload_csv(server, path)
            if created_count(report) != n:
                raise RuntimeError(f"expected {n} counted, report says {report.get('counts')}")
            peaks.append(server.peak_rss_mb())
            rates.append(n / elapsed)
    return [
        Row("ingest peak RSS", f"{n:,}", "MB (discarding store)", peaks, note="gunicorn worker"),
        Row("HTTP ingest, discarding store", f"{n:,}", "cables/s", rates),
    ]


def children_cpu_seconds() -> float:
    """User + system CPU time of the finished child processes of this one."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_cli(plan: Plan, work: Path, n: int) -> list[Row]:
    """`cables ingest PATH` in direct mode (no --url): the whole command, start-up included."""
    path = generated_csv(work, n)
    rows = []
    for processes in plan.cli_processes:
        command = [str(VENV_BIN / "cables"), "ingest", "--quiet", "--processes", str(processes)]
        rates, cpu_rates = [], []
        for _ in range(plan.runs):
            start, cpu_start = time.perf_counter(), children_cpu_seconds()
            done = subprocess.run([*command, str(path)], capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            cpu_rates.append(n / max(children_cpu_seconds() - cpu_start, 1e-3))
            created = CREATED_LINE.search(done.stdout)
            if done.returncode != 0 or not created or int(created.group(1).replace(",", "")) != n:
                raise RuntimeError(
                    f"{shlex.join(command)} exited {done.returncode}: {done.stdout[-200:]!r}"
                    f" {done.stderr[-300:]!r}"
                )
            rates.append(n / elapsed)
        note = f"--processes {processes}, process start included"
        rows.append(Row("CLI direct ingest", f"{n:,}", "cables/s", rates, note=note))
        if processes == 1:  # pool processes are the forkserver's children: not counted here
            rows.append(Row("CLI direct ingest", f"{n:,}", "cables/CPU-s", cpu_rates, note=note))
    return rows


# ---------------------------------------------------------------- queries


def query_paths(path: Path) -> dict[str, str]:
    """One request per filter, with values taken from the loaded corpus so that they match."""
    from service.parsing import parse_cable

    items = csv_items_head(path, 200)
    reference_id = items[len(items) // 2].metadata["reference_id"]
    participant = next(
        person["name"]
        for item in items
        for person in parse_cable(item.data, format=item.format, metadata=item.metadata)[
            "participants"
        ]
        if "participants" in person["sources"]
    )
    return {
        "tag": "/cables?tag=PGOV",
        "date range": "/cables?date_from=2007-01-01&date_to=2007-06-30",
        "participant": "/cables?participant=" + urllib.parse.quote(participant),
        "classification": "/cables?classification=SECRET",
        "combined": "/cables?tag=PREL&classification=CONFIDENTIAL&date_from=2006-01-01"
        "&date_to=2009-12-31",
        "full text": "/cables?q=" + urllib.parse.quote("election"),
        "full text, 1 term 19 excluded": "/cables?q=" + urllib.parse.quote(WORST_TEXT_QUERY),
        "facets": "/facets?tag=PGOV",
        "facets, unfiltered": "/facets?facet=tags&facet=year",
        "one cable by id": f"/cables/{reference_id}",
    }


def csv_items_head(path: Path, count: int) -> list[Any]:
    """The first `count` items of a large cables.csv."""
    from service.ingest.csv_dump import read_cables_csv

    with path.open("rb") as stream:
        items = read_cables_csv(stream, name=path.name, max_row_bytes=5 * 1024 * 1024)
        return [item for _, item in zip(range(count), items, strict=False)]


def latency_rows(
    plan: Plan,
    connection: http.client.HTTPConnection,
    query: str,
    measurement: str,
    label: str,
    note: str,
) -> list[Row]:
    """p50 and p95 of a query's latency, each a run's figure over `plan.query_requests`."""
    p50s, p95s = [], []
    for _ in range(plan.runs):
        latencies = [timed_get(connection, query) for _ in range(plan.query_requests)]
        p50s.append(percentile(latencies, 0.5))
        p95s.append(percentile(latencies, 0.95))
    return [
        Row(measurement, label, "p50 ms", p50s, note=note),
        Row(measurement, label, "p95 ms", p95s, note=note),
    ]


def timed_get(connection: http.client.HTTPConnection, path: str) -> float:
    """Milliseconds for one GET that must answer 200."""
    start = time.perf_counter()
    status, payload = request(connection, "GET", path)
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}: {payload[:200]!r}")
    return elapsed


def matches(connection: http.client.HTTPConnection, path: str) -> int:
    """How many cables a query matches (1 for a single cable); a query matching none fails."""
    status, payload = request(connection, "GET", path)
    body = json.loads(payload) if status == 200 else {}
    found = int(body.get("total", 1 if "reference_id" in body else 0))
    if not found:
        raise RuntimeError(f"GET {path} matched nothing ({status}): not a fair measure")
    return found


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def bench_queries(plan: Plan, server: Server, path: Path, n: int) -> list[Row]:
    """p50 and p95 latency per filter, then requests/s under concurrent clients."""
    label = f"{n:,}"
    rows: list[Row] = []
    connection = server.connection()
    for name, query in query_paths(path).items():
        try:
            found = matches(connection, query)  # also the warm-up: caches, lazy imports
            note = f"{found:,} match"
            rows += latency_rows(plan, connection, query, f"query {name}", label, note)
        except (RuntimeError, OSError) as error:
            rows.append(Row(f"query {name}", label, "ms", error=str(error)[:160]))
            connection.close()
            connection = server.connection()
    connection.close()
    rows += guarded(
        lambda: bench_concurrency(plan, server, "/cables?tag=PGOV", n), "query tag", label
    )
    return rows


def bench_concurrency(plan: Plan, server: Server, query: str, n: int) -> list[Row]:
    """Requests/s with CLIENTS threads, each on its own keep-alive connection."""

    def client() -> int:
        connection = server.connection()
        for _ in range(plan.rps_requests):
            timed_get(connection, query)
        connection.close()
        return plan.rps_requests

    rates = []
    with ThreadPoolExecutor(CLIENTS) as pool:
        for _ in range(plan.runs):
            start = time.perf_counter()
            done = sum(pool.map(lambda _: client(), range(CLIENTS)))
            rates.append(done / (time.perf_counter() - start))
    return [Row("query tag", f"{n:,}", f"requests/s, {CLIENTS} clients", rates)]


# ---------------------------------------------------------------- running it all


def guarded(measure: Callable[[], list[Row]], name: str, cables: str) -> list[Row]:
    """The rows of a measurement, or one failed row saying why it could not run."""
    try:
        return measure()
    except Exception as error:  # any failure is reported in the table, not raised
        message = " ".join(str(error).split())[:200] or type(error).__name__
        return [Row(name, cables, "", error=f"{type(error).__name__}: {message}")]


def run(plan: Plan, work: Path, progress: Callable[[str], None]) -> list[Row]:
    """Every measurement of the plan, in the issue's order."""
    rows: list[Row] = []
    steps: list[tuple[str, str, Callable[[], list[Row]]]] = []
    if "parse" in plan.groups:
        steps.append(("parse", "real + generated", lambda: bench_parsing(plan, work)))
    for n in plan.sizes:
        label = f"{n:,}"
        if plan.database is not None:
            loaded = "queries of a loaded file"
            steps.append((loaded, label, lambda n=n: bench_loaded(plan, work, n)))  # type: ignore[misc]
            continue
        if "http" in plan.groups:
            steps.append(("HTTP ingest", label, lambda n=n: bench_http(plan, work, n)))  # type: ignore[misc]
        if "cli" in plan.groups:
            steps.append(("CLI direct ingest", label, lambda n=n: bench_cli(plan, work, n)))  # type: ignore[misc]
    if "memory" in plan.groups:
        largest = max(plan.sizes)
        steps.append(("ingest peak RSS", f"{largest:,}", lambda: bench_memory(plan, work, largest)))
    for name, cables, measure in steps:
        progress(f"bench: {name} ({cables})")
        started = time.monotonic()
        rows += guarded(measure, name, cables)
        progress(f"bench: {name} ({cables}) took {time.monotonic() - started:.1f} s")
    return rows


def table(rows: list[Row]) -> list[str]:
    """The markdown table."""
    head = ["measurement", "cables", "unit", "median", "min", "max", "runs", "target", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a smaller version, under a minute")
    parser.add_argument("--sizes", help="comma-separated corpus sizes (default 1000,10000,100000)")
    parser.add_argument("--runs", type=int, help="runs per measurement (default 5; quick 3)")
    parser.add_argument(
        "--only",
        help=f"comma-separated groups among {','.join(GROUPS)} (query implies http, which loads)",
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/cable-bench"), help="corpora, logs")
    parser.add_argument(
        "--database",
        type=Path,
        help="query this SQLite file, loaded beforehand from the generated corpus of --sizes"
        " (one size), instead of loading one over HTTP",
    )
    parser.add_argument("--requests", type=int, help="requests per query and run (default 20)")
    parser.add_argument(
        "--peer",
        action="store_true",
        help="with --database: the same queries of Datasette over a sqlite-utils database of"
        " the same cables (installed into a venv under --work; see scripts/bench_datasette.py)",
    )
    return parser.parse_args(argv)


def plan_from(args: argparse.Namespace) -> Plan:
    """The plan the options ask for."""
    base = QUICK if args.quick else FULL
    groups = set(args.only.split(",")) if args.only else set(GROUPS)
    unknown = groups - set(GROUPS)
    if unknown:
        raise SystemExit(f"bench: unknown group(s) {', '.join(sorted(unknown))}; known: {GROUPS}")
    if "query" in groups:
        groups.add("http")  # queries are asked of the server that the HTTP ingest step loaded
    sizes = [int(size) for size in args.sizes.split(",")] if args.sizes else base.sizes
    runs = args.runs or base.runs
    if runs < 1 or min(sizes) < 1:
        raise SystemExit("bench: --runs and --sizes must be positive")
    if args.database is not None and (len(sizes) != 1 or not args.database.exists()):
        raise SystemExit("bench: --database needs an existing file and one size in --sizes")
    if args.peer and args.database is None:
        raise SystemExit("bench: --peer needs --database (the cables both are to hold)")
    requests = args.requests or base.query_requests
    if requests < 1:
        raise SystemExit("bench: --requests must be positive")
    return Plan(
        sizes,
        runs,
        base.parse_generated,
        requests,
        base.rps_requests,
        tuple(sorted(set(base.cli_processes))),
        groups,
        args.database,
        args.peer,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the plan and print the table; 1 when any measurement failed."""
    args = parse_args(argv)
    plan = plan_from(args)
    args.work.mkdir(parents=True, exist_ok=True)
    command = shlex.join(["scripts/bench.py", *(sys.argv[1:] if argv is None else argv)])
    header = preamble(command)
    rows = run(plan, args.work, lambda message: print(message, file=sys.stderr, flush=True))
    print("\n".join([*header, "", *table(rows)]))
    return 1 if any(row.error for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
