#!/usr/bin/env python3
"""Parser speed (issue 2, "Speed"): cables/s and MB/s on the real corpus, on one core.

    .venv/bin/python scripts/bench_parse.py                 # >= 5 s of work per set, 5 runs
    .venv/bin/python scripts/bench_parse.py --seconds 1 --runs 3
    .venv/bin/python scripts/bench_parse.py --cpu 0         # pin the process to CPU 0

Sets: the Cablegate pages of tests/data/corpus/cables (*.html), and bare telegrams: the raw
telegram files plus each page's telegram text (header and body blocks, no HTML). Each run parses
its set in a loop until it has used `--seconds` of CPU time; the median run is printed: cables
and MB per CPU second (min and max too), and cables per wall-clock second (the machine is
shared, so CPU time is the one-core measure). Each pass over a set starts with the narrative
reader's kept answers forgotten (clear_caches of service/parsing/narrative.py: what a run of
words makes of itself, and other answers kept from cable to cable), so that a pass costs what
reading its cables for the first time costs and no pass reuses the one before. Then the
worst-case inputs of the issue (a 1 MB single line, 100,000 blank lines, ...) are timed once
each and must finish in under a CPU second: exit status 1 otherwise.
Targets (issue 2): 1,500 Cablegate pages/s and 3,000 bare telegrams/s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service.parsing import CableParseError, parse_cable  # noqa: E402
from service.parsing.fields import scan  # noqa: E402
from service.parsing.formats import extract  # noqa: E402
from service.parsing.narrative import clear_caches  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus" / "cables"
TARGETS = {"cablegate pages": 1500, "bare telegrams": 3000}
WORST_CASE_LIMIT_SECONDS = 1.0
MEGABYTE = 1_000_000
CABLE_OPENING = (
    "VZCZCXRO0096\nP 210416Z APR 06\nFM AMEMBASSY ALMATY\nTO RUEHC/SECSTATE WASHDC\n"
    "C O N F I D E N T I A L ALMATY 001457\nTAGS: KZ PGOV\nSUBJECT: X\n1. (C) "
)


def _word(number: int) -> str:
    """A capitalised word of letters only, a different one for every number ("Baaaa")."""
    letters = "".join(chr(ord("a") + number // 26**place % 26) for place in range(4))
    return "B" + letters


WORST_CASES = {
    "1 MB single line": "x" * MEGABYTE,
    "1 MB single line in a cable": CABLE_OPENING + "word " * (MEGABYTE // 5),
    "100,000 blank lines": "\n" * 100_000,
    "100,000 blank lines in a cable": CABLE_OPENING + "\n" * 100_000,
    "1 MB banner line in a cable": CABLE_OPENING + "C O N F I D E N T I A L " * (MEGABYTE // 24),
    "1 MB of FM lines in a cable": CABLE_OPENING + "FM AMEMBASSY X\n" * (MEGABYTE // 15),
    "1 MB of distinct speakers in a cable": CABLE_OPENING
    + "".join(f"Minister {_word(n)} {_word(n + 7)} told the Ambassador. " for n in range(22_000)),
    "1 MB of namesakes in a cable": CABLE_OPENING
    + "".join(f"{_word(n)} Smith met Smith. " for n in range(MEGABYTE // 22)),
}


def cablegate_pages() -> list[bytes]:
    """The corpus's Cablegate pages, as bytes."""
    return [path.read_bytes() for path in sorted(CORPUS.glob("*.html")) if "_b." not in path.name]


def bare_telegrams(pages: list[bytes]) -> list[bytes]:
    """Raw telegram files, plus the telegram text of every page (extracted before timing)."""
    telegrams = [path.read_bytes() for path in sorted(CORPUS.glob("*.txt"))]
    for page in pages:
        extracted = extract(page.decode("utf-8"), "cablegate-html")
        telegrams.append(f"{extracted.header or ''}\n{extracted.telegram}".encode())
    return telegrams


def one_run(items: list[bytes], seconds: float, format: str) -> tuple[float, float, float]:
    """Parse the items in a loop for at least `seconds` of CPU time.

    Returns cables per CPU second, MB per CPU second and cables per wall-clock second: the
    machine is shared, so CPU time is the measure of one core's speed; wall time is shown too.
    """
    cables = 0
    size = 0
    cpu_started = time.process_time()
    wall_started = time.perf_counter()
    cpu = 0.0
    while cpu < seconds:
        clear_caches()  # each pass reads its cables as new ones (see the module's docstring)
        for item in items:
            parse_cable(item, format=format)
        cables += len(items)
        size += sum(len(item) for item in items)
        cpu = time.process_time() - cpu_started
    wall = time.perf_counter() - wall_started
    return cables / cpu, size / cpu / MEGABYTE, cables / wall


def measure(name: str, items: list[bytes], seconds: float, runs: int, format: str) -> bool:
    """Print the median (min-max) of `runs` runs; whether the median meets the target."""
    for item in items[:20]:  # warm caches (glossary, station tables) outside the timing
        parse_cable(item, format=format)
    results = [one_run(items, seconds, format) for _ in range(runs)]
    rates = [rate for rate, _, _ in results]
    median = statistics.median(rates)
    throughput = statistics.median(mb for _, mb, _ in results)
    wall = statistics.median(wall_rate for _, _, wall_rate in results)
    target = TARGETS[name]
    print(
        f"| {name} | {len(items)} | {median:,.0f} ({min(rates):,.0f}-{max(rates):,.0f}) "
        f"| {throughput:.1f} | {wall:,.0f} | {target:,} | "
        f"{'met' if median >= target else 'NOT met'} |"
    )
    return median >= target


def worst_cases() -> bool:
    """Time each worst-case input once; all must finish under the limit. CPU seconds, as for
    the sets: on a shared machine the wall clock also counts the other processes' turns."""
    print("\n| worst case | CPU seconds | outcome |\n|---|---|---|")
    all_fast = True
    for name, text in WORST_CASES.items():
        started = time.process_time()
        try:
            parse_cable(text)
            outcome = "document"
        except CableParseError:
            outcome = "CableParseError"
        seconds = time.process_time() - started
        all_fast &= seconds < WORST_CASE_LIMIT_SECONDS
        print(f"| {name} | {seconds:.3f} | {outcome} |")
    return all_fast


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (the machine is shared: say how busy it was)."""
    if not hasattr(os, "getloadavg"):
        return "unknown"
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def parser_build() -> str:
    """Which parser is measured: the plain Python source, or the mypyc build of
    scripts/compile_parser.py (run this script from inside its copy to measure that)."""
    if scan.__file__ and scan.__file__.endswith(".so"):
        return "compiled with mypyc (scripts/compile_parser.py)"
    return "plain Python"


def interpreter() -> str:
    """Which Python runs the parser: its binary, and whether it runs on a shared libpython.

    The interpreter's own build counts as much as the parser's: an optimised build (profile-
    guided and link-time optimised, as the official Docker images and Debian's python3.11 are)
    runs the same parser about 15% faster than a default source build such as pyenv's
    (docs/benchmarks/2026-11-28-interpreters.md).
    sysconfig does not reliably record how the running binary was built (Debian's describes
    its shared library, not its static binary), so the binary is named and, on Linux, the
    process's own memory map says whether a libpython is loaded.
    """
    binary = f"{os.path.realpath(sys.executable)}, Python {platform.python_version()}"
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return binary
    linkage = "shared libpython" if "libpython" in maps else "static libpython"
    return f"{binary}, {linkage}"


def main() -> int:
    """Run the benchmark; exit 1 when a worst case takes a second or more."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="work per run and set")
    parser.add_argument("--runs", type=int, default=5, help="runs per set (median printed)")
    parser.add_argument("--cpu", type=int, default=None, help="pin to this CPU (Linux)")
    options = parser.parse_args()
    if options.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {options.cpu})
    pages = cablegate_pages()
    telegrams = bare_telegrams(pages)
    print(
        f"parser benchmark: Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {options.runs} runs of >= {options.seconds:g} s per set, "
        f"load average {load_average()}\n"
        f"interpreter: {interpreter()}\n"
        f"parser build: {parser_build()}\n"
    )
    print(
        "| set | cables | cables per CPU s, median (min-max) | MB per CPU s | cables per wall s "
        "| target | |\n|---|---|---|---|---|---|---|"
    )
    measure("cablegate pages", pages, options.seconds, options.runs, "cablegate-html")
    measure("bare telegrams", telegrams, options.seconds, options.runs, "telegram")
    return 0 if worst_cases() else 1


if __name__ == "__main__":
    sys.exit(main())
