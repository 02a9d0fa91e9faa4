"""The real corpus: every file parses, and the parsed fields agree with the sources' own metadata.

Ground truth is what each source states beside the cable text (tests/data/corpus/SOURCES.md):
the Cablegate page's table, the PlusD fields, the cablesearch JSON fields and the cables.csv
columns, all copied into INDEX.csv; for raw telegrams only the file name gives the id. Two
agreements are measured and printed (run pytest with -s to see them):

- document: the document as the service stores it, parsed from the whole file;
- text only: the Cablegate pages' telegram text alone (header and body <pre> blocks, no table),
  which checks what the parser reads from the cable itself.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from reports import report

from service.parsing import canonicalize_reference_id, parse_cable
from service.parsing.formats import extract

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
INDEX_ROWS = list(csv.DictReader((CORPUS / "INDEX.csv").read_text("utf-8").splitlines()))
FILES = sorted((CORPUS / "cables").iterdir())
EXPECTED_SUBJECTS = sorted((CORPUS / "expected" / "cablemap-subject").glob("*.txt"))
REQUIRED_AGREEMENT = 0.99

# Pages whose body is another cable's text (their own section line names it): the text cannot
# agree with the table, so the text-only measure leaves them out.
FOREIGN_TEXT = {
    "09CHISINAU694.html": "body is 09ULAANBAATAR234",
    "09HAVANA132.html": "body is MOSCOW 000512",
    "88BAGHDAD28.html": "body is a STATE cable of 2008 (STATE 068250)",
}
# Pages that say their header is lost ("partial extract"): no date-time group, so no year.
PARTIAL_EXTRACT = "This record is a partial extract of the original cable"
# Source date formats, as INDEX.csv copies them from each source.
SOURCE_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y %b %d, %H:%M (%A)", "%m/%d/%Y %H:%M")
TAG_WORD = re.compile(r"[A-Z0-9']+")


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_every_corpus_file_parses(path: Path) -> None:
    document = parse_cable(path.read_bytes())
    assert document["reference_id"]
    assert document["body"].strip()


def test_index_lists_every_file() -> None:
    assert sorted(row["file"] for row in INDEX_ROWS) == [path.name for path in FILES]


# --- expected values from the sources -------------------------------------------------------


def expected_hour(value: str) -> str | None:
    """A source's created date as 'YYYY-MM-DDTHH' (minutes are wrong on most pages)."""
    for pattern in SOURCE_DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), pattern).strftime("%Y-%m-%dT%H")
        except ValueError:
            continue
    return None


def expected_classification(value: str) -> str:
    """PlusD writes 'CONFIDENTIAL (current: UNCLASSIFIED)': the original one is the cable's."""
    return value.split(" (current:", 1)[0].strip()


def expected_tags(row: dict[str, str]) -> list[str]:
    """The source's TAGS: Cablegate's tag links, or PlusD's 'CODE - title | CODE - title'."""
    if row["form"] == "plusd-html":
        return [part.split(" - ", 1)[0].strip() for part in row["tags"].split(" | ")]
    return row["tags"].split()


def tag_words(tags: list[str]) -> set[str]:
    """Every word of every tag ('BIDEN, JOSEPH' -> BIDEN, JOSEPH; 'ZANU-PF' -> ZANU, PF)."""
    return {word for tag in tags for word in TAG_WORD.findall(tag)}


def tags_agree(parsed: list[str], source: list[str]) -> bool:
    """Every source tag is found in the parsed ones, allowing for the links' known flaws.

    The site split person TAGS and hyphenated codes into words, and linked glued codes as one
    ("MASSMNUC"); it missed codes on wrapped TAGS lines, so parsed extras are not held against
    the parser (the cable text decides). A source tag counts as found when it is a parsed tag,
    a word of one, or two parsed tags glued together.
    """
    if source and not parsed:
        return False
    words = tag_words(parsed)
    glued = {first + second for first in parsed for second in parsed}
    joined = {"".join(TAG_WORD.findall(tag)) for tag in parsed}
    source_joined = "".join(source)
    return all(
        tag in parsed
        or tag in words
        or tag in glued
        or any(whole in source_joined and tag in whole for whole in joined)
        for tag in source
    )


# --- agreement bookkeeping -------------------------------------------------------------------


@dataclass
class Agreement:
    """Agreement of one field with its source, and the disagreeing files."""

    field: str
    agreed: int = 0
    total: int = 0
    misses: list[tuple[str, Any, Any]] = field(default_factory=list)

    def add(self, name: str, parsed: Any, expected: Any, agrees: bool) -> None:
        """Count one comparison."""
        self.total += 1
        if agrees:
            self.agreed += 1
        else:
            self.misses.append((name, parsed, expected))

    @property
    def rate(self) -> float:
        """Share of comparisons that agree."""
        return self.agreed / self.total if self.total else 1.0

    def report(self, label: str) -> str:
        """One printed line, with the first disagreements."""
        misses = "; ".join(f"{name}: {got!r} != {want!r}" for name, got, want in self.misses[:4])
        return (
            f"{label:10} {self.field:15} {self.agreed:4}/{self.total:<4} {self.rate:7.2%}  {misses}"
        )


Comparison = Callable[[dict[str, Any], dict[str, str]], tuple[Any, Any, bool] | None]


def compare_reference_id(document: dict[str, Any], row: dict[str, str]) -> tuple[Any, Any, bool]:
    """Canonical ids agree."""
    expected = canonicalize_reference_id(row["reference_id"])
    return document["reference_id"], expected, document["reference_id"] == expected


def compare_created(document: dict[str, Any], row: dict[str, str]) -> tuple[Any, Any, bool] | None:
    """Date and hour agree (when the source gives a date)."""
    expected = expected_hour(row["created"]) if row["created"] else None
    if expected is None:
        return None
    parsed = (document["created"] or "")[:13]
    return parsed, expected, parsed == expected


def compare_classification(
    document: dict[str, Any], row: dict[str, str]
) -> tuple[Any, Any, bool] | None:
    """Cablegate labels agree (when the source gives one)."""
    if not row["classification"]:
        return None
    expected = expected_classification(row["classification"])
    return document["classification"], expected, document["classification"] == expected


def compare_origin(document: dict[str, Any], row: dict[str, str]) -> tuple[Any, Any, bool] | None:
    """Origins agree (when the source gives one)."""
    if not row["origin"]:
        return None
    return document["origin"], row["origin"], document["origin"] == row["origin"]


def compare_tags(document: dict[str, Any], row: dict[str, str]) -> tuple[Any, Any, bool] | None:
    """TAGS agree, allowing for the tag links' flaws (when the source lists TAGS)."""
    if not row["tags"]:
        return None
    expected = expected_tags(row)
    return document["tags"], expected, tags_agree(document["tags"], expected)


COMPARISONS: dict[str, Comparison] = {
    "reference_id": compare_reference_id,
    "created": compare_created,
    "classification": compare_classification,
    "origin": compare_origin,
    "tags": compare_tags,
}


def measure(documents: dict[str, tuple[dict[str, Any], dict[str, str]]]) -> list[Agreement]:
    """Agreement of every compared field over the given documents and their INDEX rows."""
    agreements = {name: Agreement(name) for name in COMPARISONS}
    for name, (document, row) in documents.items():
        for field_name, compare in COMPARISONS.items():
            outcome = compare(document, row)
            if outcome is not None:
                agreements[field_name].add(name, *outcome)
    return list(agreements.values())


@pytest.fixture(scope="module")
def document_agreements() -> dict[str, Agreement]:
    """Agreement of the stored documents (whole files parsed) with the sources."""
    documents = {
        row["file"]: (parse_cable((CORPUS / "cables" / row["file"]).read_bytes()), row)
        for row in INDEX_ROWS
    }
    return {agreement.field: agreement for agreement in measure(documents)}


def text_only_document(row: dict[str, str]) -> dict[str, Any]:
    """A Cablegate page's telegram (header and body blocks) parsed as a bare telegram."""
    page = (CORPUS / "cables" / row["file"]).read_text("utf-8")
    extracted = extract(page, "cablegate-html")
    return parse_cable(f"{extracted.header or ''}\n{extracted.telegram}", format="telegram")


@pytest.fixture(scope="module")
def text_agreements() -> dict[str, Agreement]:
    """Agreement of the Cablegate pages' text alone with their tables."""
    documents: dict[str, tuple[dict[str, Any], dict[str, str]]] = {}
    headerless: set[str] = set()
    for row in INDEX_ROWS:
        if row["form"] != "cablegate-html" or row["file"] in FOREIGN_TEXT:
            continue
        documents[row["file"]] = (text_only_document(row), row)
        page_head = (CORPUS / "cables" / row["file"]).read_text("utf-8")
        if PARTIAL_EXTRACT in page_head:
            headerless.add(row["file"])
    with_header = {name: pair for name, pair in documents.items() if name not in headerless}
    agreements = {a.field: a for a in measure(documents)}
    # Without a header there is no date-time group, hence no year: id and date need one.
    for agreement in measure(with_header)[:2]:
        agreements[agreement.field] = agreement
    return agreements


def test_agreement_table_is_printed(
    document_agreements: dict[str, Agreement],
    text_agreements: dict[str, Agreement],
) -> None:
    """Report the per-field agreement rates (printed after the run, tests/reports.py)."""
    lines = ["", "agreement with the sources' metadata ('document': whole files parsed; 'text"]
    lines.append("only': Cablegate telegram text alone, ids and dates where the header survives)")
    lines += [agreement.report("document") for agreement in document_agreements.values()]
    lines += [agreement.report("text only") for agreement in text_agreements.values()]
    report("\n".join(lines))
    assert len(lines) == 3 + 2 * len(COMPARISONS)


@pytest.mark.parametrize("field_name", list(COMPARISONS))
def test_document_agrees_with_the_sources(
    document_agreements: dict[str, Agreement], field_name: str
) -> None:
    agreement = document_agreements[field_name]
    assert agreement.total > 0
    assert agreement.rate >= REQUIRED_AGREEMENT, agreement.report("document")


@pytest.mark.parametrize("field_name", list(COMPARISONS))
def test_telegram_text_alone_agrees_with_the_pages(
    text_agreements: dict[str, Agreement], field_name: str
) -> None:
    agreement = text_agreements[field_name]
    assert agreement.total > 250
    assert agreement.rate >= REQUIRED_AGREEMENT, agreement.report("text only")


def test_raw_telegrams_give_the_id_of_their_file_name() -> None:
    telegrams = [row for row in INDEX_ROWS if row["form"] == "telegram-txt"]
    assert len(telegrams) == 24
    for row in telegrams:
        document = parse_cable((CORPUS / "cables" / row["file"]).read_bytes())
        assert document["format"] == "telegram"
        assert document["reference_id"] == row["reference_id"]
        assert document["created"] and document["classification"] and document["origin"]


@pytest.mark.parametrize("path", EXPECTED_SUBJECTS, ids=[path.stem for path in EXPECTED_SUBJECTS])
def test_subject_matches_cablemap_expectation(path: Path) -> None:
    expected = path.read_text("utf-8").strip() or None
    document = parse_cable((CORPUS / "cables" / f"{path.stem}.html").read_bytes())
    assert document["subject"] == expected


CROSS_FORM_KEYS = ("reference_id", "classification", "origin", "tags", "subject", "to", "info")


@pytest.mark.parametrize("reference_id", ["66BUENOSAIRES2481", "72TEHRAN1164"])
def test_csv_row_and_cablegate_page_agree(reference_id: str) -> None:
    """The two forms of one cable give the same document fields; the CSV has the real minutes."""
    row_document = parse_cable((CORPUS / "cables" / f"{reference_id}.txt").read_bytes())
    page_document = parse_cable((CORPUS / "cables" / f"{reference_id}.html").read_bytes())
    for key in CROSS_FORM_KEYS:
        assert row_document[key] == page_document[key], key
    assert row_document["created"][:13] == page_document["created"][:13]


def test_raw_csv_lines_parse_as_csv_rows() -> None:
    lines = (CORPUS / "csv" / "cables_sample.csv").read_text("utf-8")
    documents = [parse_cable(line) for line in split_csv_records(lines)]
    assert [d["reference_id"] for d in documents] == ["66BUENOSAIRES2481", "72TEHRAN1164"]
    assert [d["format"] for d in documents] == ["csv-row", "csv-row"]
    assert documents[0]["created"] == "1966-12-28T18:48:00Z"
    cited = {reference["id"] for reference in documents[1]["references"]}
    assert {"72MOSCOW1603", "72TEHRAN1091", "72TEHRAN263"} <= cited


def split_csv_records(text: str) -> list[str]:
    """The sample's records: each starts with '"<row number>","<M/D/YYYY>'."""
    starts = [match.start() for match in re.finditer(r'(?m)^"\d+","\d{1,2}/', text)]
    return [text[start:end] for start, end in zip(starts, [*starts[1:], len(text)], strict=True)]
