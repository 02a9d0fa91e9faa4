"""scripts/bench_parse.py runs both sets and the worst cases, naming what it measured.

Timings are not checked (speed is measured by running the script, never in tests): only that
a short run prints a rate for each set and a time for each worst case, says which interpreter
and which parser build it measured, and exits 0.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "bench_parse.py"
HANG_GUARD_SECONDS = 300  # not a timing assertion: only stops a hung run from hanging CI
SETS = ("cablegate pages", "bare telegrams")


def script_module() -> ModuleType:
    """The script loaded as a module, for the names of its worst cases."""
    spec = importlib.util.spec_from_file_location("bench_parse", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


WORST_CASES = tuple(script_module().WORST_CASES)
# "| bare telegrams | 417 | 2,865 (2,662-3,160) | 21.0 | 2,864 | 3,000 | NOT met |"
SET_ROW = (
    r"\| {name} \| (\d+) \| [\d,]+ \([\d,]+-[\d,]+\) \| [\d.]+ \| [\d,]+ \| [\d,]+ "
    r"\| (met|NOT met) \|"
)


@pytest.fixture(scope="module")
def short_run() -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(SCRIPT), "--seconds", "0.01", "--runs", "1"]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=HANG_GUARD_SECONDS, cwd=ROOT
    )


def test_short_run_succeeds_and_names_interpreter_and_build(
    short_run: subprocess.CompletedProcess[str],
) -> None:
    assert short_run.returncode == 0, short_run.stdout + short_run.stderr[-3000:]
    interpreter = f"interpreter: {os.path.realpath(sys.executable)}, Python "
    assert interpreter in short_run.stdout
    assert re.search(r"interpreter: .*, (shared|static) libpython$", short_run.stdout, re.M)
    # the tests run the repository's plain-Python parser
    assert "parser build: plain Python" in short_run.stdout


@pytest.mark.parametrize("name", SETS)
def test_each_set_has_a_rate_row(short_run: subprocess.CompletedProcess[str], name: str) -> None:
    row = re.search(SET_ROW.format(name=name), short_run.stdout)
    assert row, short_run.stdout
    assert int(row.group(1)) > 300  # the corpus's pages, or its telegrams


@pytest.mark.parametrize("name", WORST_CASES)
def test_each_worst_case_is_timed(short_run: subprocess.CompletedProcess[str], name: str) -> None:
    assert re.search(
        rf"^\| {re.escape(name)} \| \d+\.\d{{3}} \| (document|CableParseError) \|$",
        short_run.stdout,
        re.M,
    ), short_run.stdout
