#!/usr/bin/env python3
"""People reading, before and after: an in-process A/B of two parsers, cable by cable.

    .venv/bin/python scripts/bench_people.py /tmp/base                 # a checkout of main
    .venv/bin/python scripts/bench_people.py /tmp/base --extra DIR --rounds 3

The parser of another checkout (BEFORE: its service/parsing, copied to a temporary package and
imported beside this tree's) and this tree's parser read the same cables in turn, one cable at a
time, so that both sides see the same load on a shared machine; each side's CPU time (the
thread's, not the wall clock) is summed over the set. Two entries are timed: parse_cable (the
whole parse of a bare telegram) and read_narrative (the people reading of issue 14, on the
body the parser found). Sets: the bare telegrams of scripts/bench_parse.py, and with --extra a
folder of telegram files (*.txt). Each round starts with the kept answers of the narrative
reader forgotten (clear_caches of service/parsing/narrative.py), as an ingestion of new cables
would: a round shares them only from one cable to the next. Prints per round and set the
milliseconds per cable of each side and their ratio (after / before).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_parse import bare_telegrams, cablegate_pages, load_average  # noqa: E402

from service.parsing import parse_cable  # noqa: E402
from service.parsing.narrative import clear_caches, read_narrative  # noqa: E402

BEFORE_PACKAGE = "before_service"


def import_before(checkout: Path, into: Path) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """parse_cable and read_narrative of another checkout's parser, from a copy of its
    service/parsing renamed to before_service.parsing (so that both parsers are imported)."""
    package = into / BEFORE_PACKAGE
    shutil.copytree(
        checkout / "service" / "parsing",
        package / "parsing",
        ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyc"),
    )
    (package / "__init__.py").write_text("")
    for module in package.rglob("*.py"):
        text = module.read_text("utf-8")
        module.write_text(re.sub(r"\bservice\.parsing\b", f"{BEFORE_PACKAGE}.parsing", text))
    sys.path.insert(0, str(into))
    before_parsing = __import__(f"{BEFORE_PACKAGE}.parsing.narrative", fromlist=["x"])
    before_package = sys.modules[f"{BEFORE_PACKAGE}.parsing"]
    return before_package.parse_cable, before_parsing.read_narrative


def forget_before() -> None:
    """Forget the before parser's kept answers too, where it keeps any."""
    narrative = sys.modules.get(f"{BEFORE_PACKAGE}.parsing.narrative")
    if narrative is not None and hasattr(narrative, "clear_caches"):
        narrative.clear_caches()


def one_round(
    before: Callable[..., Any], after: Callable[..., Any], calls: list[tuple[tuple, dict]]
) -> tuple[float, float]:
    """CPU seconds of each side over the calls, the two sides taking turns on each."""
    clock = time.thread_time
    forget_before()
    clear_caches()
    spent_before = spent_after = 0.0
    for args, keywords in calls:
        started = clock()
        before(*args, **keywords)
        middle = clock()
        after(*args, **keywords)
        spent_after += clock() - middle
        spent_before += middle - started
    return spent_before, spent_after


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="a checkout of the parser to compare with")
    parser.add_argument("--extra", type=Path, help="a folder of telegram files (*.txt)")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    sets = {"bare telegrams": bare_telegrams(cablegate_pages())}
    if options.extra:
        sets[f"telegrams of {options.extra.name}"] = [
            path.read_bytes() for path in sorted(options.extra.glob("*.txt"))
        ]
    print(f"load average {load_average()}, {os.cpu_count()} CPUs, CPU time per cable\n")
    print("| set | cables | entry | round | before ms | after ms | after / before |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        before_parse, before_read = import_before(options.before.resolve(), Path(folder))
        for name, items in sets.items():
            documents = [parse_cable(item, format="telegram") for item in items]
            entries = {
                "parse_cable": (
                    before_parse,
                    parse_cable,
                    [((item,), {"format": "telegram"}) for item in items],
                ),
                "read_narrative": (
                    before_read,
                    read_narrative,
                    [
                        ((document.get("body") or "", document.get("subject")), {"offices": True})
                        for document in documents
                    ],
                ),
            }
            for entry, (before, after, calls) in entries.items():
                for number in range(1, options.rounds + 1):
                    spent_before, spent_after = one_round(before, after, calls)
                    print(
                        f"| {name} | {len(items)} | {entry} | {number} "
                        f"| {spent_before / len(items) * 1000:.3f} "
                        f"| {spent_after / len(items) * 1000:.3f} "
                        f"| {spent_after / spent_before:.3f} |",
                        flush=True,
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
