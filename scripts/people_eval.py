#!/usr/bin/env python3
"""How well the parser reads people, against the hand-read cables.

Reads tests/data/corpus/expected/participants.jsonl (40 corpus cables read by hand; its README
says how) and prints three rates, the ones tests/parsing/test_narrative.py holds to its floors:

* recall of the participants other than signer and Classified By, found among `participants`
  by surname (what `participant=<surname>` matches);
* precision of the participants the parser reads from lists and the narrative;
* recall of everyone named, found among `participants` + `mentioned`;
* and, with no floor (the labels list the people a reader noticed, not every name), the share
  of `mentioned` that the labels name at all: places and organisations read as people lower it.

    scripts/people_eval.py              # the three rates
    scripts/people_eval.py -v           # and, a cable a line, what was missed or wrong
    scripts/people_eval.py 09PARIS762   # one cable: its participants and mentioned in full
    scripts/people_eval.py --labels L.jsonl --dir D   # another hand-read set (a held-out one):
                                                      # labels in the same form, cables in D
                                                      # (or in the corpus) named
                                                      # <reference id>.<any extension>
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.parsing import parse_cable  # noqa: E402

LABELS = ROOT / "tests" / "data" / "corpus" / "expected" / "participants.jsonl"
CABLES = ROOT / "tests" / "data" / "corpus" / "cables"


def folded(text: str) -> list[str]:
    """Case- and accent-folded words, as search_words are made."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", " ", bare.casefold()).split()


def holds(person: dict[str, Any], surname: str) -> bool:
    """Whether a person's name holds every folded word of a surname."""
    return all(word in person["search_words"] for word in folded(surname))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cables", nargs="*", help="reference ids to show in full")
    parser.add_argument("-v", "--verbose", action="store_true", help="a line per cable")
    parser.add_argument("--labels", type=Path, default=LABELS, help="hand-read labels (JSONL)")
    parser.add_argument(
        "--dir",
        type=Path,
        action="append",
        default=[],
        help="where the labelled cables' files are (again for more; the corpus is always read)",
    )
    args = parser.parse_args()
    files = {path.stem: path for folder in [CABLES, *args.dir] for path in folder.iterdir()}
    totals = {"found": 0, "wanted": 0, "right": 0, "given": 0, "named": 0, "people": 0}
    totals |= {"known": 0, "mentioned": 0}
    for line in args.labels.read_text("utf-8").splitlines():
        label = json.loads(line)
        reference_id = label["reference_id"]
        if args.cables and reference_id not in args.cables:
            continue
        document = parse_cable(files[reference_id].read_bytes())
        taking_part, mentioned = document["participants"], document["mentioned"]
        wanted = [p for p in label["participants"] if p["how"] != "wrote"]
        missed = [
            w["surname"] for w in wanted if not any(holds(p, w["surname"]) for p in taking_part)
        ]
        given = [p for p in taking_part if set(p["sources"]) - {"signer", "classified_by"}]
        wrong = [
            p["name"]
            for p in given
            if not any(holds(p, w["surname"]) for w in label["participants"])
        ]
        people = label["participants"] + label["mentioned"]
        unnamed = [
            w["surname"]
            for w in people
            if not any(holds(p, w["surname"]) for p in taking_part + mentioned)
        ]
        totals["found"] += len(wanted) - len(missed)
        totals["wanted"] += len(wanted)
        totals["right"] += len(given) - len(wrong)
        totals["given"] += len(given)
        totals["named"] += len(people) - len(unnamed)
        totals["people"] += len(people)
        strangers = [
            p["name"] for p in mentioned if not any(holds(p, w["surname"]) for w in people)
        ]
        totals["known"] += len(mentioned) - len(strangers)
        totals["mentioned"] += len(mentioned)
        if args.verbose or args.cables:
            print(f"{reference_id}: missed {missed} wrong {wrong} not named {unnamed}")
            print(f"   mentioned but not labelled: {strangers}")
        if args.cables:
            for p in taking_part:
                print(f"   took part: {p['name']} | {p['role']} | {p['how']} {p['sources']}")
            for p in mentioned:
                print(f"   mentioned: {p['name']} | {p['role']}")
    if not totals["wanted"]:
        print("no labelled cable chosen")
        return 1
    print(
        f"participants: recall {totals['found']}/{totals['wanted']}"
        f" = {totals['found'] / totals['wanted']:.1%},"
        f" precision {totals['right']}/{totals['given']}"
        f" = {totals['right'] / max(totals['given'], 1):.1%};"
        f" everyone named: {totals['named']}/{totals['people']}"
        f" = {totals['named'] / totals['people']:.1%};"
        f" mentioned that the labels name: {totals['known']}/{totals['mentioned']}"
        f" = {totals['known'] / max(totals['mentioned'], 1):.1%}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
