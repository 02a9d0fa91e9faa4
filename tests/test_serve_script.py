"""scripts/serve: starts gunicorn with the samples loaded, and fails in one line when it cannot."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVE = ROOT / "scripts" / "serve"
SAMPLES = ROOT / "samples"
HOST = "127.0.0.1"
TOKEN = "serve-script-token"
BANNER_END = "Stop with Ctrl-C."
# Generous bounds for a shared 2-core machine; they stop a hung test, they measure nothing.
START_ATTEMPTS = 400
ATTEMPT_PAUSE_SECONDS = 0.3
STOP_WAIT_SECONDS = 60


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Whether a server could bind the port."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
        return True


def get_json(url: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> dict:
    """GET (or POST with `data`) and decode the JSON answer."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def wait_until_healthy(url: str, process: subprocess.Popen) -> None:
    """Poll /health until it answers; fail if the script exits first."""
    for _ in range(START_ATTEMPTS):
        assert process.poll() is None, "scripts/serve exited during start-up"
        try:
            get_json(f"{url}/health")
            return
        except OSError:
            time.sleep(ATTEMPT_PAUSE_SECONDS)
    pytest.fail("scripts/serve never answered /health")


def environment(**overrides: str) -> dict[str, str]:
    """The test's environment without store or token settings, plus `overrides`."""
    env = {k: v for k, v in os.environ.items() if k not in ("MONGO_URI", "API_TOKENS")}
    return {**env, **overrides}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """scripts/serve running on a free port with a known token; stopped afterwards."""
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [str(SERVE)],
            cwd=ROOT,
            env=environment(PORT=str(port), API_TOKENS=f"{TOKEN},second-token"),
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            start_new_session=True,  # its own process group, so cleanup reaches gunicorn too
        )
    try:
        yield f"http://{HOST}:{port}", process, log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=STOP_WAIT_SECONDS)
        if process.stdout:
            process.stdout.close()


def test_serve_loads_the_samples_prints_how_to_use_it_and_stops(served):
    url, process, log = served
    wait_until_healthy(url, process)
    assert process.stdout is not None
    banner = []
    for line in process.stdout:
        banner.append(line)
        if BANNER_END in line:
            break
    text = "".join(banner)
    assert url in text
    assert f"Write token for this run: {TOKEN}\n" in text  # the first of API_TOKENS
    assert f"  export URL={url} TOKEN={TOKEN}\n" in text  # ready to paste
    assert text.count("curl ") == 3
    # Run as a user pastes them, after the export line (where curl is installed: a fresh
    # machine may lack it, and the rest of this test does not need it).
    for command in banner_commands(text) if shutil.which("curl") else []:
        shown = subprocess.run(
            ["bash", "-c", command],
            env={**os.environ, "URL": url, "TOKEN": TOKEN},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert shown.returncode == 0 and shown.stdout, (command, shown.stderr)
        if "-X POST" in command:  # the example upload prints its status, not 22 KB of JSON
            assert shown.stdout.strip() == "200", shown.stdout[:200]

    listing = get_json(f"{url}/cables?limit=1")
    assert listing["total"] == len(list(SAMPLES.iterdir()))
    seed = (SAMPLES / "06ALMATY1457.txt").read_bytes()
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}
    assert get_json(f"{url}/cables", headers, seed)["reference_id"] == "06ALMATY1457"

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=STOP_WAIT_SECONDS) == 0
    port = int(url.rsplit(":", 1)[1])
    assert port_is_free(port), "gunicorn outlived scripts/serve"
    logged = log.read_text()
    assert " INFO service.cli: loaded at start-up: " in logged
    assert "WARNING service.cli: loaded" not in logged


def banner_commands(text: str) -> list[str]:
    """The example commands of the banner, continuation lines joined."""
    commands = text.split("Try:\n", 1)[1].split(BANNER_END, 1)[0].replace("\\\n", " ")
    return [line.strip() for line in commands.splitlines() if line.strip().startswith("curl ")]


def run_serve(**env: str) -> subprocess.CompletedProcess[str]:
    """Run scripts/serve expecting it to refuse to start."""
    return subprocess.run(
        [str(SERVE)],
        cwd=ROOT,
        env=environment(**env),
        capture_output=True,
        text=True,
        timeout=STOP_WAIT_SECONDS,
    )


def test_port_taken_is_one_line():
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_serve(PORT=str(port))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert f"port {port}" in result.stderr and "taken" in result.stderr
    assert "Traceback" not in result.stderr


def test_old_python_is_one_line(tmp_path):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    fake_python = fake_bin / "python3"
    fake_python.write_text("#!/bin/sh\necho 'Python 3.8.10'\nexit 1\n")
    fake_python.chmod(fake_python.stat().st_mode | stat.S_IXUSR)
    result = run_serve(PYTHON="python3.11-missing", PATH=f"{fake_bin}:{os.environ['PATH']}")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "needs Python 3.11" in result.stderr


def serve_once(database: Path, log: Path, upload: bytes | None = None) -> tuple[str, int]:
    """Start scripts/serve on `database`, optionally upload a cable, stop it: (its banner,
    the number of cables it served)."""
    port = free_port()
    url = f"http://{HOST}:{port}"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [str(SERVE)],
            cwd=ROOT,
            env=environment(PORT=str(port), API_TOKENS=TOKEN, EMBEDDED_DB=str(database)),
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            start_new_session=True,
        )
    try:
        wait_until_healthy(url, process)
        assert process.stdout is not None
        banner = []
        for line in process.stdout:
            banner.append(line)
            if BANNER_END in line:
                break
        if upload is not None:
            headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}
            get_json(f"{url}/cables", headers, upload)
        total = get_json(f"{url}/cables?limit=1")["total"]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=STOP_WAIT_SECONDS)
        if process.stdout:
            process.stdout.close()
    return "".join(banner), total


def test_serve_keeps_its_cables_between_runs_and_loads_the_samples_once(tmp_path):
    database = tmp_path / "data" / "cables.db"
    samples = len(list(SAMPLES.iterdir()))
    other = (ROOT / "tests" / "data" / "corpus" / "cables" / "06NEWDELHI5135.txt").read_bytes()
    first, total = serve_once(database, tmp_path / "first.log", upload=other)
    assert f"the embedded SQLite file {database}, new" in first and total == samples + 1
    assert "loaded at start-up" in (tmp_path / "first.log").read_text()
    again, total = serve_once(database, tmp_path / "again.log")
    assert "as the last run left it" in again and total == samples + 1  # the upload kept
    assert "loaded at start-up" not in (tmp_path / "again.log").read_text()
