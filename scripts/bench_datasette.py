"""The peer of issue 16: Datasette over SQLite, on the same generated cables as our store.

Used by `scripts/bench.py --peer` (with --database). What researchers build for such a
collection with sqlite-utils: a `cables` table (reference id, created, year, classification,
subject, body, tags as a JSON list) with indexes on created, year and classification, `tags`
and `participants` tables (one row per value, indexed both ways), and an FTS5 index of subject
and body. Datasette serves it on 127.0.0.1 with its time limits raised, so that no query is cut
short. The same questions as our API's are asked of its JSON API, newest first as ours answer.

Datasette and sqlite-utils are installed into a venv of their own under the work folder at
bench time (`pip install`, pinned below), never into the project; the cables are read from our
database file, so that both hold the very same parsed fields.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PINS = ("datasette==0.65.5", "sqlite-utils==4.2.1")
DATABASE_NAME = "peer"  # the URL path of the database in Datasette
START_TIMEOUT = 120.0
SETTINGS = {  # no query cut short, pages of 20 as ours, no facet suggestions (extra queries)
    "sql_time_limit_ms": "600000",
    "facet_time_limit_ms": "600000",
    "default_page_size": "20",
    "suggest_facets": "off",
}

# Run by the peer venv's Python: the NDJSON written by `write_rows` into a sqlite-utils database.
BUILD = """
import json, sys
import sqlite_utils

source, target = sys.argv[1], sys.argv[2]

def rows():
    with open(source, encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)

db = sqlite_utils.Database(target, recreate=True)
db["cables"].insert_all(
    ({k: r[k] for k in ("id", "created", "year", "classification", "subject", "body", "tags")}
     for r in rows()),
    pk="id", batch_size=1000,
)
db["tags"].insert_all(
    ({"cable_id": r["id"], "tag": tag} for r in rows() for tag in r["tags"]), batch_size=5000
)
db["participants"].insert_all(
    ({"cable_id": r["id"], "name": name} for r in rows() for name in r["participants"]),
    batch_size=5000,
)
for columns in (["created"], ["year"], ["classification"]):
    db["cables"].create_index(columns)
for table, value in (("tags", "tag"), ("participants", "name")):
    db[table].create_index([value, "cable_id"])
    db[table].create_index(["cable_id"])
db["cables"].enable_fts(["subject", "body"], fts_version="FTS5")
db.analyze()
"""


def peer_python(work: Path) -> Path:
    """The peer venv's interpreter, made (and Datasette installed) on first use."""
    venv = work / "peer-venv"
    python = venv / "bin" / "python"
    if not (venv / "bin" / "datasette").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", *PINS],
            check=True,
            capture_output=True,
        )
    return python


def write_rows(database: Path, target: Path) -> int:
    """Our stored cables, the fields the peer holds, as NDJSON; how many."""
    from service.query.conditions import EVERYTHING
    from service.store import open_store

    store = open_store({"EMBEDDED_DB": str(database), "MONGO_URI": ""})
    fields = ["created", "classification", "subject", "body", "tags", "participants"]
    count = 0
    with target.open("w", encoding="utf-8") as out:
        for document in store.export(EVERYTHING, "created", fields):
            created = document.get("created")
            row = {
                "id": document["reference_id"],
                "created": created,
                "year": created[:4] if isinstance(created, str) else None,
                "classification": document.get("classification"),
                "subject": document.get("subject"),
                "body": document.get("body"),
                "tags": document.get("tags") or [],
                "participants": sorted(
                    {p["name"] for p in document.get("participants") or [] if p.get("name")}
                ),
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    store.close()
    return count


def build(work: Path, database: Path, n: int) -> Path:
    """The peer database of our file's cables, built once per size."""
    target = work / f"peer-{n}.db"
    if target.exists():
        return target
    python = peer_python(work)
    rows = work / f"peer-{n}.ndjson"
    write_rows(database, rows)
    partial = work / f"peer-{n}.partial.db"
    subprocess.run([str(python), "-c", BUILD, str(rows), str(partial)], check=True)
    rows.unlink()
    partial.rename(target)
    return target


@contextmanager
def serving(work: Path, peer_db: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """Datasette serving the peer database on 127.0.0.1:port until the block ends."""
    served = work / f"{DATABASE_NAME}.db"
    if served.exists() or served.is_symlink():
        served.unlink()
    served.symlink_to(peer_db)  # Datasette names the database after the file
    command = [str(work / "peer-venv" / "bin" / "datasette"), "serve", str(served)]
    command += ["-h", "127.0.0.1", "-p", str(port)]
    for name, value in SETTINGS.items():
        command += ["--setting", name, value]
    log = (work / f"peer-{port}.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=log)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def queries(participant: str) -> dict[str, str]:
    """Our query names (scripts/bench.py) and the same question of Datasette's JSON API."""
    table = f"/{DATABASE_NAME}/cables.json?"
    name = participant.replace("'", "''")
    where = f"id in (select cable_id from participants where name = '{name}')"
    return {
        "date range": table + "created__gte=2007-01-01&created__lt=2007-07-01&_sort_desc=created",
        # ours: the level, SECRET//NOFORN included
        "classification": table + "classification__in=SECRET,SECRET//NOFORN&_sort_desc=created",
        "participant": table + urllib.parse.urlencode({"_where": where, "_sort_desc": "created"}),
        "full text": table + "_search=election&_sort_desc=created",
        "facets, unfiltered": table + "_facet_array=tags&_facet=year&_size=0",
        "tag": table + "tags__arraycontains=PGOV&_sort_desc=created",
    }


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / 1_000_000
    return 0.0


def found(payload: bytes) -> int:
    """How many rows Datasette says match."""
    body: dict[str, Any] = json.loads(payload)
    return int(body.get("filtered_table_rows_count") or len(body.get("rows") or []))


def wait_until_up(get: Callable[[str], tuple[int, bytes]], process: Any) -> None:
    """Poll Datasette until it answers."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"datasette exited {process.returncode}")
        try:
            if get("/-/versions.json")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("datasette did not start")


def environment_note() -> str:
    """Which Datasette ran."""
    return f"Datasette {PINS[0].split('==')[1]}, sqlite-utils {PINS[1].split('==')[1]}" + (
        f", load average {os.getloadavg()[0]:.2f}"
    )
