"""scripts/make_corpus.py: deterministic, the cables.csv layout, ids and REF lines that hold."""

from __future__ import annotations

import csv
import re
import statistics
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from service.ingest.csv_dump import read_cables_csv
from service.parsing import canonicalize_reference_id, parse_cable

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "make_corpus.py"
SAMPLE_CSV = ROOT / "tests" / "data" / "corpus" / "csv" / "cables_sample.csv"
N = 300
SEED = 7
CLASSIFICATIONS = {
    "UNCLASSIFIED",
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    "CONFIDENTIAL",
    "CONFIDENTIAL//NOFORN",
    "SECRET",
    "SECRET//NOFORN",
}
ROW_START = re.compile(r'^"(\d+)","(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})","', re.M)
REFERENCE_ID = re.compile(r"^(\d{2})([A-Z]+?)(\d+)$")

csv.field_size_limit(sys.maxsize)


def make_corpus(out: Path, *, n: int = N, seed: int = SEED, output_format: str = "csv") -> Path:
    """Run the script as a user would."""
    command = [sys.executable, str(SCRIPT), "--n", str(n), "--out", str(out), "--seed", str(seed)]
    subprocess.run([*command, "--format", output_format], check=True, capture_output=True)
    return out


def mysql_quoted(value: str) -> str:
    """A field as MySQL dumps write it (the cables.csv way), independently of the script."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'") + '"'


def read_rows(path: Path) -> list[list[str]]:
    """Every row of a cables.csv, escapes undone."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, escapechar="\\", doublequote=False, strict=True))


@pytest.fixture(scope="module")
def corpus_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("corpus") / "cables.csv")


def test_same_seed_writes_the_same_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    first = make_corpus(tmp_path / "a.csv", n=40, seed=3).read_bytes()
    again = make_corpus(tmp_path / "b.csv", n=40, seed=3).read_bytes()
    other = make_corpus(tmp_path / "c.csv", n=40, seed=4).read_bytes()
    assert first == again
    assert first != other


@pytest.mark.parametrize("path", [SAMPLE_CSV, None], ids=["real sample", "generated"])
def test_every_field_is_quoted_and_escaped_mysql_style(path: Path | None, corpus_csv: Path) -> None:
    # The same rule must rebuild the real cables.csv sample byte for byte and the generated file.
    path = path or corpus_csv
    text = path.read_text(encoding="utf-8")
    rebuilt = "".join(",".join(map(mysql_quoted, row)) + "\n" for row in read_rows(path))
    assert rebuilt == text


def test_rows_are_numbered_dated_and_eight_fields_wide(corpus_csv: Path) -> None:
    text = corpus_csv.read_text(encoding="utf-8")
    starts = ROW_START.findall(text)
    assert [int(start[0]) for start in starts] == list(range(1, N + 1))
    rows = read_rows(corpus_csv)
    assert len(rows) == N
    assert {len(row) for row in rows} == {8}
    dates = [datetime.strptime(row[1], "%m/%d/%Y %H:%M") for row in rows]
    assert dates == sorted(dates)  # like the dump, rows run in date order
    assert {row[4] for row in rows} <= CLASSIFICATIONS


def test_the_service_reads_every_row_back(corpus_csv: Path) -> None:
    rows = read_rows(corpus_csv)
    with corpus_csv.open("rb") as stream:
        items = list(read_cables_csv(stream, name="cables.csv", max_row_bytes=5 * 1024 * 1024))
    assert [item.error for item in items] == [None] * N
    for row, item in zip(rows, items, strict=True):
        document = parse_cable(item.data or "", format=item.format, metadata=item.metadata)
        assert document["reference_id"] == row[2]
        assert document["classification"] == row[4]
        assert document["origin"] == row[3]
        assert document["tags"]
        assert document["subject"]


def test_reference_ids_are_unique_and_carry_the_year_of_their_date(corpus_csv: Path) -> None:
    rows = read_rows(corpus_csv)
    ids = [row[2] for row in rows]
    assert len(set(ids)) == N
    for row in rows:
        match = REFERENCE_ID.match(row[2])
        assert match, row[2]
        assert match.group(1) == row[1].split()[0][-2:]


def test_references_cite_earlier_generated_cables_in_their_ref_line(corpus_csv: Path) -> None:
    rows = read_rows(corpus_csv)
    row_of = {row[2]: int(row[0]) for row in rows}
    citing = [row for row in rows if row[5]]
    assert len(citing) > N // 4
    for row in citing:
        ref_line = next(line for line in row[7].splitlines() if line.startswith("REF:"))
        for cited in row[5].split("|"):
            assert row_of[cited] < int(row[0])
            year, station, serial = REFERENCE_ID.match(cited).groups()  # type: ignore[union-attr]
            assert cited in ref_line or f"{year} {station} {int(serial)}" in ref_line


def test_the_parser_resolves_ref_lines_to_the_cited_ids(corpus_csv: Path) -> None:
    rows = [row for row in read_rows(corpus_csv) if row[5]][:40]
    for row in rows:
        document = parse_cable(f"{row[6]}\n{row[7]}")  # the text alone, no row metadata
        found = {ref["id"] for ref in document["references"] if ref["kind"] == "cable"}
        assert {canonicalize_reference_id(cited) for cited in row[5].split("|")} <= found


def test_classifications_dates_and_lengths_look_like_cablegate(corpus_csv: Path) -> None:
    rows = read_rows(corpus_csv)
    counts = Counter(row[4] for row in rows)
    assert counts.most_common(1)[0][0] == "CONFIDENTIAL"  # 39% of Cablegate
    assert counts["SECRET"] + counts["SECRET//NOFORN"] < N // 5  # 6% of Cablegate
    years = [int(row[1].split()[0].split("/")[2]) for row in rows]
    assert min(years) >= 1966 and max(years) <= 2010
    assert statistics.median(years) >= 2006
    sizes = [len(f"{row[6]}\n{row[7]}".encode()) for row in rows]
    assert min(sizes) >= 1024 and max(sizes) <= 100 * 1024
    assert 3_500 <= statistics.median(sizes) <= 7_000


def test_participant_paragraphs_are_parsed_as_participants(corpus_csv: Path) -> None:
    rows = [row for row in read_rows(corpus_csv) if "Participants:" in row[7]]
    assert len(rows) > N // 10
    for row in rows[:20]:
        document = parse_cable(f"{row[6]}\n{row[7]}")
        assert any("participants" in person["sources"] for person in document["participants"])


def test_files_format_holds_the_same_cables_as_the_csv(tmp_path: Path) -> None:
    rows = read_rows(make_corpus(tmp_path / "cables.csv", n=25))
    folder = make_corpus(tmp_path / "files", n=25, output_format="files")
    assert sorted(path.name for path in folder.iterdir()) == sorted(f"{row[2]}.txt" for row in rows)
    for row in rows:
        assert (folder / f"{row[2]}.txt").read_text(encoding="utf-8") == f"{row[6]}\n{row[7]}"
