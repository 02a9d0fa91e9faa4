#!/usr/bin/env python3
"""Agreement of bare-telegram parses with the page metadata of the dev set (a measurement).

Reads ../shared/corpus/dev/cables.jsonl (1,573 Cablegate cables with their pages' metadata;
too large for tests/data), parses every `telegram_text` with format="telegram" and compares
reference id, created (date and hour), classification, origin, TAGS and subject as
tests/parsing/test_corpus.py does. Prints one line per field and, with --misses N, the first N
disagreements of each field.

    scripts/dev_agreement.py [--dev PATH] [--misses N] [--field NAME]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "parsing"))

from test_corpus import COMPARISONS, Agreement  # noqa: E402

from service.parsing import parse_cable  # noqa: E402

DEFAULT_DEV = ROOT.parent / "shared" / "corpus" / "dev" / "cables.jsonl"
PARTIAL_EXTRACT = "This record is a partial extract of the original cable"
LEADING_MARKING = re.compile(r"^\(\s*[A-Z/ ]{1,12}\)\s*")


def subject_comparison(document: dict[str, Any], row: dict[str, Any]) -> tuple[Any, Any, bool]:
    """Subjects agree, whitespace and case aside, the page's leading marking left out."""
    expected = row["subject"]
    if expected is not None:
        expected = " ".join(LEADING_MARKING.sub("", expected).split()) or None
    parsed = document["subject"]
    parsed = " ".join(parsed.split()) if parsed else None
    agrees = (parsed or "").upper() == (expected or "").upper()
    return parsed, expected, agrees


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--misses", type=int, default=0)
    parser.add_argument("--field")
    args = parser.parse_args()
    comparisons = {**COMPARISONS, "subject": subject_comparison}
    agreements = {name: Agreement(name) for name in comparisons}
    for line in args.dev.read_text("utf-8").split("\n"):
        if not line.strip():
            continue
        cable = json.loads(line)
        row = {
            "form": "cablegate-html",
            "reference_id": cable["reference_id"],
            "created": cable["created"] + ":00",
            "classification": cable["classification"],
            "origin": cable["origin"],
            "tags": " ".join(cable["tags"]),
            "subject": cable["subject"],
        }
        document = parse_cable(cable["telegram_text"], format="telegram")
        partial = PARTIAL_EXTRACT in cable["telegram_text"]
        for name, compare in comparisons.items():
            if partial and name in ("reference_id", "created"):
                continue  # no date-time group, hence no year
            outcome = compare(document, row)
            if outcome is not None:
                agreements[name].add(cable["reference_id"], *outcome)
    for name, agreement in agreements.items():
        if args.field and name != args.field:
            continue
        print(f"{name:15} {agreement.agreed:5}/{agreement.total:<5} {agreement.rate:7.2%}")
        for reference_id, got, want in agreement.misses[: args.misses]:
            print(f"    {reference_id}: {got!r}\n    {' ' * len(reference_id)}  {want!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
