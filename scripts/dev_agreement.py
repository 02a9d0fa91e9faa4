#!/usr/bin/env python3
"""Agreement of bare-telegram parses with the page metadata of the dev set (a measurement).

Reads the dev set (tests/data/dev/cables.jsonl.xz, a copy of ../shared/corpus/dev/cables.jsonl:
1,573 Cablegate cables with their pages' metadata), parses every `telegram_text` with
format="telegram" and compares reference id, created (date and hour), classification, origin,
TAGS and subject as tests/parsing/test_dev_set.py does. Prints one line per field and, with
--misses N, the first N disagreements of each field.

    scripts/dev_agreement.py [--dev PATH] [--misses N] [--field NAME]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "parsing"))

from test_dev_set import DEV, dev_cables, measure_dev  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEV / "cables.jsonl.xz")
    parser.add_argument("--misses", type=int, default=0)
    parser.add_argument("--field")
    args = parser.parse_args()
    for name, agreement in measure_dev(dev_cables(args.dev)).items():
        if args.field and name != args.field:
            continue
        print(f"{name:15} {agreement.agreed:5}/{agreement.total:<5} {agreement.rate:7.2%}")
        for reference_id, got, want in agreement.misses[: args.misses]:
            print(f"    {reference_id}: {got!r}\n    {' ' * len(reference_id)}  {want!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
