"""The dev set (tests/data/dev): 1,573 Cablegate cables parsed as bare telegrams, compared with
what their pages state: reference id, created (date and hour), classification, origin, TAGS
and subject, as tests/parsing/test_corpus.py compares the corpus. Each field must agree in at
least REQUIRED_AGREEMENT of the cables; every remaining disagreement is listed, with its reason,
in tests/data/dev/disagreements.csv (run pytest with -s to see the rates).
"""

from __future__ import annotations

import csv
import json
import lzma
import re
from pathlib import Path
from typing import Any

import pytest
from reports import report
from test_corpus import COMPARISONS, Agreement, Comparison

from service.parsing import parse_cable

DEV = Path(__file__).parents[1] / "data" / "dev"
REQUIRED_AGREEMENT = 0.995
# Partial extracts carry no date-time group: their text cannot tell the year, hence the id.
PARTIAL_EXTRACT = "This record is a partial extract of the original cable"
WITHOUT_DATE_TIME_GROUP = ("reference_id", "created")
LEADING_MARKING = re.compile(r"^\(\s*[A-Z/ ]{1,12}\)\s*")


def subject_comparison(document: dict[str, Any], row: dict[str, Any]) -> tuple[Any, Any, bool]:
    """Subjects agree, blanks and case aside, the page's leading marking ("(C)") left out: the
    contract gives it apart, as subject_classification."""
    expected = row["subject"]
    if expected is not None:
        expected = " ".join(LEADING_MARKING.sub("", expected).split()) or None
    parsed = document["subject"]
    parsed = " ".join(parsed.split()) if parsed else None
    return parsed, expected, (parsed or "").upper() == (expected or "").upper()


DEV_COMPARISONS: dict[str, Comparison] = {**COMPARISONS, "subject": subject_comparison}


def dev_cables(path: Path = DEV / "cables.jsonl.xz") -> list[dict[str, Any]]:
    """The dev set's cables (a .jsonl file, or one xz-compressed)."""
    data = lzma.decompress(path.read_bytes()) if path.suffix == ".xz" else path.read_bytes()
    # (split at line feeds only: a raw copy may hold U+2028 inside its strings)
    return [json.loads(line) for line in data.decode("utf-8").split("\n") if line.strip()]


def page_row(cable: dict[str, Any]) -> dict[str, Any]:
    """A cable's page metadata as test_corpus's comparisons read an INDEX row."""
    return {
        "form": "cablegate-html",
        "reference_id": cable["reference_id"],
        "created": cable["created"] + ":00",
        "classification": cable["classification"],
        "origin": cable["origin"],
        "tags": " ".join(cable["tags"]),
        "subject": cable["subject"],
    }


def measure_dev(cables: list[dict[str, Any]]) -> dict[str, Agreement]:
    """Agreement of each field over the cables, each telegram_text parsed as a bare telegram."""
    agreements = {name: Agreement(name) for name in DEV_COMPARISONS}
    for cable in cables:
        document = parse_cable(cable["telegram_text"], format="telegram")
        row = page_row(cable)
        partial = PARTIAL_EXTRACT in cable["telegram_text"]
        for name, compare in DEV_COMPARISONS.items():
            if partial and name in WITHOUT_DATE_TIME_GROUP:
                continue
            outcome = compare(document, row)
            if outcome is not None:
                agreements[name].add(cable["reference_id"], *outcome)
    return agreements


def listed_disagreements() -> dict[tuple[str, str], str]:
    """(reference id, field) -> reason, from disagreements.csv."""
    text = (DEV / "disagreements.csv").read_text("utf-8")
    return {
        (row["reference_id"], row["field"]): row["reason"]
        for row in csv.DictReader(text.splitlines())
    }


@pytest.fixture(scope="module")
def agreements() -> dict[str, Agreement]:
    return measure_dev(dev_cables())


def test_dev_set_is_whole() -> None:
    cables = dev_cables()
    assert len(cables) == 1573
    assert len({cable["reference_id"] for cable in cables}) == 1573


@pytest.mark.parametrize("name", list(DEV_COMPARISONS))
def test_each_field_agrees_with_the_pages(agreements: dict[str, Agreement], name: str) -> None:
    agreement = agreements[name]
    report(f"dev set {name:15} {agreement.agreed:5}/{agreement.total:<5} {agreement.rate:7.2%}")
    assert agreement.rate >= REQUIRED_AGREEMENT, agreement.report("dev")


def test_every_disagreement_is_listed_with_its_reason(agreements: dict[str, Agreement]) -> None:
    listed = listed_disagreements()
    found = {
        (reference_id, name): (parsed, expected)
        for name, agreement in agreements.items()
        for reference_id, parsed, expected in agreement.misses
    }
    unlisted = {key: value for key, value in found.items() if key not in listed}
    assert not unlisted, f"disagreements not in disagreements.csv: {unlisted}"
    stale = sorted(set(listed) - set(found))
    assert not stale, f"listed in disagreements.csv but agreeing now: {stale}"
    assert all(reason.strip() for reason in listed.values())


def test_raw_cables_csv_rows_yield_their_banner() -> None:
    """06BERN1686 and 08BUENOSAIRES1706 hold raw cables.csv rows (tab-separated with lines
    ending in a backslash; comma-separated with quoted columns): the banner inside is read."""
    cables = {cable["reference_id"]: cable for cable in dev_cables()}
    bern = parse_cable(cables["06BERN1686"]["telegram_text"], format="telegram")
    assert (bern["classification"], bern["reference_id"]) == ("CONFIDENTIAL", "06BERN1686")
    buenos_aires = parse_cable(cables["08BUENOSAIRES1706"]["telegram_text"], format="telegram")
    assert buenos_aires["classification"] == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert buenos_aires["reference_id"] == "08BUENOSAIRES1706"
    for document in (bern, buenos_aires):
        codes = {item["code"] for item in document["warnings"]}
        assert "no_classification" not in codes and "classification_from_routing" not in codes
