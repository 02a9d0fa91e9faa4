#!/usr/bin/env python3
"""Snapshot the parser's output, then check that a change (a speed-up, a refactor) keeps it.

    .venv/bin/python scripts/parse_snapshot.py write /tmp/before.json   # before the change
    .venv/bin/python scripts/parse_snapshot.py check /tmp/before.json   # after: 1 on a diff
    .venv/bin/python scripts/parse_snapshot.py write /tmp/s.json --extra /tmp/generated
    .venv/bin/python scripts/parse_snapshot.py write /tmp/s.json --mutations 2000

Inputs: every file of the test corpus (each in its own form, and its telegram text alone, as
`scripts/bench_parse.py` times it), the seed, the sample cables, every row of the corpus
`cables.csv`, the files of any `--extra` folder (e.g. `scripts/make_corpus.py` output), and
`--mutations` damaged copies of the corpus files (seeded, so that write and check see the same
ones: spans cut, copied or cut off, field keywords and odd bytes inserted), which reach the
parser's rarer paths. The snapshot keeps each whole document (JSON), so `check` names the
fields that changed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from bench_parse import bare_telegrams, cablegate_pages  # noqa: E402

from service.ingest.csv_dump import read_cables_csv  # noqa: E402
from service.parsing import CableParseError, parse_cable  # noqa: E402

DATA = ROOT / "tests" / "data"
SHOWN_DIFFERENCES = 10
MUTATION_SEED = 20261128
MAX_EDITS_PER_MUTATION = 8
MAX_SPAN = 300
# What a mutation inserts: line breaks and spaces of every kind, a Cablegate anchor, a curly
# quote, bytes that are not UTF-8 or not text, markings and the openings of header fields.
INSERTED_PIECES = (
    b"\n",
    b"  ",
    b"\t",
    b"\r\n",
    b"\xc2\xb6",
    "\u2019".encode(),
    b"\xff",
    b"\x00",
    b"(C) ",
    b"1. ",
    b"TAGS: ",
    b"SUBJECT: ",
    b"REF: A. 06STATE123",
    b"Classified By: ",
    b"SUMMARY: ",
    b"END COMMENT",
    b"E.O. 12958: DECL: ",
)


def inputs(extra: list[Path]) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """(name, data, parse_cable keywords) of every input, in a stable order."""
    folders = [DATA / "corpus" / "cables", DATA / "seed", ROOT / "samples", *extra]
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                yield f"{folder.name}/{path.name}", path.read_bytes(), {}
    for index, telegram in enumerate(bare_telegrams(cablegate_pages())):
        yield f"telegram/{index}", telegram, {"format": "telegram"}
    with (DATA / "corpus" / "csv" / "cables_sample.csv").open("rb") as stream:
        rows = read_cables_csv(stream, name="cables_sample.csv", max_row_bytes=10**8)
        for index, item in enumerate(rows):
            if item.data is not None:
                keywords = {"format": item.format, "metadata": item.metadata}
                yield f"csv/{index}", item.data, keywords


def mutations(count: int) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """count damaged copies of the corpus files, the same ones on every run."""
    rng = random.Random(MUTATION_SEED)
    folder = DATA / "corpus" / "cables"
    originals = [path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()]
    for index in range(count):
        data = bytearray(rng.choice(originals))
        for _ in range(rng.randint(1, MAX_EDITS_PER_MUTATION)):
            mutate(data, rng)
        yield f"mutation/{index}", bytes(data), {}


def mutate(data: bytearray, rng: random.Random) -> None:
    """One edit in place: cut a span, insert a piece, copy a span elsewhere, or cut the end off."""
    at = rng.randrange(len(data) + 1)
    kind = rng.random()
    if kind < 0.3:
        del data[at : at + rng.randint(1, MAX_SPAN)]
    elif kind < 0.6:
        data[at:at] = rng.choice(INSERTED_PIECES)
    elif kind < 0.8:
        source = rng.randrange(len(data) + 1)
        data[at:at] = data[source : source + rng.randint(1, MAX_SPAN)]
    else:
        del data[at:]


def parse_all(extra: list[Path], mutation_count: int = 0) -> dict[str, Any]:
    """Each input's document, or the CableParseError message it raised."""
    documents: dict[str, Any] = {}
    for name, data, keywords in chain(inputs(extra), mutations(mutation_count)):
        try:
            documents[name] = parse_cable(data, **keywords)
        except CableParseError as error:
            documents[name] = {"CableParseError": str(error)}
    return json.loads(json.dumps(documents, default=str))  # as the snapshot file holds them


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The keys whose values differ between two documents."""
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))


def main() -> int:
    """Write or check a snapshot; exit 1 when a check finds a difference."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("write", "check"))
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--extra", type=Path, action="append", default=[], help="more cables")
    parser.add_argument("--mutations", type=int, default=0, help="damaged copies of the corpus")
    options = parser.parse_args()
    documents = parse_all(options.extra, options.mutations)
    if options.action == "write":
        options.snapshot.write_text(json.dumps(documents))
        print(f"{len(documents)} documents written to {options.snapshot}")
        return 0
    expected = json.loads(options.snapshot.read_text())
    differing = [name for name in expected if documents.get(name) != expected[name]]
    for name in differing[:SHOWN_DIFFERENCES]:
        fields = changed_fields(expected[name], documents.get(name) or {})
        print(f"{name}: {', '.join(fields) or 'missing'}")
    print(f"{len(expected) - len(differing)}/{len(expected)} documents identical")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
