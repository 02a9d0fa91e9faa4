#!/usr/bin/env python3
"""The worker's memory under the bulk uploads of issue 17 item 6, measured on the worker process.

    .venv/bin/python scripts/upload_memory.py            # both uploads, 3 rounds each
    .venv/bin/python scripts/upload_memory.py --rounds 1 --only overlap

Each round starts gunicorn with the service's worker settings (service/gunicorn_conf.py, one
worker, 2 threads, 127.0.0.1, a free port) serving the discard store (--store discard, the
default: the upload's own memory) or the embedded one (--store embedded: it keeps every cable in
the worker, so the data's memory adds to it), reads the worker's
peak resident memory (VmHWM in /proc/<worker>/status) once it answers /health, posts one upload
and reads the peak again. Uploads: `overlap`, a zip whose 120 central directory entries all
point at one 5 MB cable (about 30 KB); `distinct`, a zip of 60 distinct 5 MB cables. Prints a
markdown table of the worker's peak before and after, and the answer's status and counts.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import platform
import random
import signal
import socket
import statistics
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "data" / "seed" / "06ALMATY1457.txt"
TOKEN = "upload-memory-token"
CABLE_BYTES = 5 * 1024 * 1024
SERVE = "import sys; from service.cli import main; sys.exit(main(sys.argv[1:]))"
WORDS = ["the", "embassy", "minister", "said", "government", "election", "reform", "party"]
# The app gunicorn serves: the embedded store keeps every cable in the worker, so its memory
# grows with the data; the discard store (scripts/discard_store.py) shows the upload's own.
APPS = {"discard": "discard_store:create_app()", "embedded": "service:create_app()"}


def big_cable(number: int) -> bytes:
    """The seed cable with its serial changed to `number` and its body padded to 5 MB."""
    seed = SEED.read_text()
    rng = random.Random(number)
    paragraphs = []
    size = len(seed)
    while size < CABLE_BYTES - 1000:
        paragraph = f"{len(paragraphs) + 1}. " + " ".join(rng.choice(WORDS) for _ in range(60))
        paragraphs.append(paragraph + "\n\n")
        size += len(paragraph) + 2
    middle = seed.index("Summary") if "Summary" in seed else len(seed) // 2
    text = seed[:middle] + "".join(paragraphs) + seed[middle:]
    return text.replace("1457", f"{number:04d}").encode()


def overlap_zip(copies: int = 120) -> bytes:
    """One 5 MB member listed `copies` times in the central directory, all at one offset."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cable.txt", big_cable(1457))
    data = buffer.getvalue()
    end = data.rindex(b"PK\x05\x06")
    size, offset = struct.unpack("<II", data[end + 12 : end + 20])
    directory = data[offset : offset + size] * copies
    tail = struct.pack("<HHII", copies, copies, len(directory), offset) + data[end + 20 :]
    return data[:offset] + directory + data[end : end + 8] + tail


def distinct_zip(count: int = 60) -> bytes:
    """`count` different 5 MB cables."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(count):
            archive.writestr(f"c{number}.txt", big_cable(2000 + number))
    return buffer.getvalue()


UPLOADS = {"overlap": overlap_zip, "distinct": distinct_zip}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def peak_kib(pid: int) -> int:
    """The process's peak resident memory so far, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def worker_of(master: int) -> int:
    """The gunicorn worker: the master's one child."""
    for _ in range(300):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("no worker")


def request(port: int, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/zip"}
    try:
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def one_round(body: bytes, store: str) -> tuple[int, int, int, str]:
    """Peak KiB before and after the upload, its status, and its counts."""
    port = free_port()
    env = {**os.environ, "MONGO_URI": "", "API_TOKENS": TOKEN, "RATE_LIMIT": "off"}
    gunicorn = ["-m", "gunicorn", "-c", "python:service.gunicorn_conf", "--pythonpath", "scripts"]
    where = ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"]
    process = subprocess.Popen(
        [sys.executable, *gunicorn, *where, APPS[store]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(600):
            try:
                if request(port, "GET", "/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        worker = worker_of(process.pid)
        before = peak_kib(worker)
        status, answer = request(port, "POST", "/cables", body)
        after = peak_kib(worker)
        document = json.loads(answer)
        counts = document.get("counts") or (document.get("errors") or [{}])[0].get("counts")
        return before, after, status, json.dumps(counts)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=sorted(UPLOADS), action="append")
    parser.add_argument("--store", choices=sorted(APPS), default="discard")
    args = parser.parse_args()
    print(f"Machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"Date: {when}; rounds: {args.rounds}; store: {args.store}\n")
    print("| upload | body | worker peak before (MiB) | peak after (MiB, median (range)) |", end="")
    print(" status | counts |")
    print("|---|---|---|---|---|---|")
    for name in args.only or sorted(UPLOADS):
        body = UPLOADS[name]()
        results = [one_round(body, args.store) for _ in range(args.rounds)]
        before = statistics.median(r[0] for r in results) / 1024
        after = [r[1] / 1024 for r in results]
        spread = f"{statistics.median(after):.0f} ({min(after):.0f}-{max(after):.0f})"
        print(
            f"| {name} | {len(body) / 1024:.0f} KiB | {before:.0f} | {spread} | "
            f"{results[0][2]} | {results[0][3]} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
