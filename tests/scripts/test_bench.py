"""scripts/bench.py --quick runs every measurement and prints one table (timings not checked)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "bench.py"
HANG_GUARD_SECONDS = 900  # not a timing assertion: only stops a hung server from hanging CI
MEASUREMENTS = [
    ("parse", "cables/s"),
    ("parse", "MB/s"),
    ("parse", "cables/CPU-s"),
    ("HTTP ingest", "cables/s"),
    ("HTTP ingest", "cables/CPU-s"),
    ("ingest peak RSS", "MB (discarding store)"),
    ("CLI direct ingest", "cables/s"),
    ("CLI direct ingest", "cables/CPU-s"),
    ("query tag", "p50 ms"),
    ("query tag", "p95 ms"),
    ("query date range", "p50 ms"),
    ("query participant", "p50 ms"),
    ("query classification", "p50 ms"),
    ("query combined", "p50 ms"),
    ("query full text", "p50 ms"),
    ("query full text, 1 term 19 excluded", "p50 ms"),
    ("query facets", "p50 ms"),
    ("query facets, unfiltered", "p50 ms"),
    ("server peak RSS", "MB"),
    ("database file / cables' text", "x"),
    ("query one cable by id", "p50 ms"),
    ("query tag", "requests/s, 8 clients"),
]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    work = tmp_path_factory.mktemp("bench")
    command = [sys.executable, str(SCRIPT), "--quick", "--work", str(work)]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=HANG_GUARD_SECONDS, cwd=ROOT
    )


def table_rows(output: str) -> list[list[str]]:
    """The cells of every markdown table row below the header."""
    lines = [line for line in output.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def test_quick_run_succeeds_and_names_machine_and_store(
    quick_run: subprocess.CompletedProcess[str],
) -> None:
    assert quick_run.returncode == 0, quick_run.stdout + quick_run.stderr[-3000:]
    assert "- machine: " in quick_run.stdout
    assert f"- interpreter: {os.path.realpath(sys.executable)}, Python " in quick_run.stdout
    assert "- store: embedded" in quick_run.stdout
    assert "| measurement | cables | unit | median | min | max | runs |" in quick_run.stdout


@pytest.mark.parametrize(("measurement", "unit"), MEASUREMENTS)
def test_quick_run_reports_a_figure_for(
    quick_run: subprocess.CompletedProcess[str], measurement: str, unit: str
) -> None:
    found = [
        row for row in table_rows(quick_run.stdout) if row[0] == measurement and row[2] == unit
    ]
    assert found, f"no row for {measurement} ({unit}):\n{quick_run.stdout}"
    for row in found:
        median, low, high = (float(cell.replace(",", "")) for cell in row[3:6])
        assert 0 < low <= median <= high
        assert int(row[6]) >= 3
