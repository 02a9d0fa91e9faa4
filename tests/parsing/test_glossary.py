"""The TAGS glossary and routing indicators, on codes written in real cables."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.parsing.glossary import (
    glossary,
    is_known_tag,
    place_names,
    routing_name,
    split_glued_tags,
    tag_info,
)

KINDS = {"geographic", "subject", "program", "organization", "person"}


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        # the seed: TAGS KZ, PGOV, PREL
        ("KZ", {"kind": "geographic", "title": "Kazakhstan", "corrected": None}),
        ("PGOV", {"kind": "subject", "title": "Internal Governmental Affairs", "corrected": None}),
        ("pgov", {"tag": "PGOV", "kind": "subject", "corrected": None}),
        ("IZ", {"kind": "geographic", "title": "Iraq"}),  # 03ANKARA4230
        ("KDEM", {"kind": "program"}),  # 06MANAGUA1002
        ("EUN", {"kind": "organization"}),  # 00THEHAGUE1695
        # known misspellings carry the right code
        ("RU", {"kind": "geographic", "title": "Russia", "corrected": "RS"}),  # issue 2
        ("POGOV", {"kind": "subject", "corrected": "PGOV"}),  # issue 2
        ("PGGV", {"kind": "subject", "corrected": "PGOV"}),  # 08SECTION01GF02BISHIEK21
        ("IQ", {"kind": "geographic", "corrected": "IZ"}),  # 07BAGHDAD3895
        # person and other non-standard tags
        ("BIDEN, JOSEPH", {"kind": "person", "title": "Joseph Biden"}),  # 09SANTIAGO324
        (
            "STEINBERG,  JAMES B.",
            {"tag": "STEINBERG, JAMES B.", "kind": "person"},
        ),  # 09SINGAPORE529
        ("ZANU-PF", {"kind": "organization"}),  # 00HARARE5461
        ("HUMAN RIGHTS", {"kind": "subject"}),  # 02ROME1196
        # codes missing from the State lists, known from corpus TAGS lines
        ("ECIN", {"kind": "subject", "title": None}),  # 09USEUBRUSSELS948
        ("FTAA", {"kind": "organization"}),  # 03BRASILIA2231
        # unknown codes get a kind by shape
        ("AB", {"kind": "geographic", "title": None, "corrected": None}),  # no such code
        ("KQQQ", {"kind": "program", "title": None}),
        ("EQQQ", {"kind": "subject", "title": None}),
        ("KALOUDIS, NICK", {"kind": "person", "title": None}),  # 1974ATHENS03099_b
        ("QQQQQQ", {"kind": "organization", "title": None}),
    ],
)
def test_tag_info(tag: str, expected: dict[str, Any]) -> None:
    info = tag_info(tag)
    assert set(info) == {"tag", "kind", "title", "corrected"}
    assert {key: info[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("token", "split"),
    [
        ("ETRDEINVECINPGOVCS", ["ETRD", "EINV", "ECIN", "PGOV", "CS"]),  # issue 2
        ("VTPREL", ["VT", "PREL"]),  # 01VATICAN3507
        ("IZPREL", ["IZ", "PREL"]),  # 03ROME2045
        ("ITPHUM", ["IT", "PHUM"]),  # 02ROME1196
        ("ITPGOV", ["IT", "PGOV"]),  # 02ROME3639
        ("PHUMBA", ["PHUM", "BA"]),  # 08ECTION01OF02MANAMA492
        ("MASSMNUC", ["MASS", "MNUC"]),  # 08BRASILIA93
        ("prelpgov", ["PREL", "PGOV"]),
        ("PGOV", None),  # one known code: nothing to split
        ("POLITICS", None),  # 02ROME3639: PO LI TI CS would be four country codes
        ("FREEDOM", None),  # 03ROME2045: no split at all
        ("COUNTER", None),  # 05SANAA923: CO UNTER has no subject or program code
        ("ECONOMICS", None),  # 04BRUSSELS1868
        ("KZ PGOV", None),  # not one token
        ("", None),
    ],
)
def test_split_glued_tags(token: str, split: list[str] | None) -> None:
    assert split_glued_tags(token) == split


@pytest.mark.parametrize(
    ("code", "known"),
    [
        ("PREL", True),  # the seed
        ("prel", True),
        ("RU", True),  # a misspelling the glossary corrects
        ("CLINTON, HILLARY", True),  # tags_nonstandard.csv
        (" clinton,\n HILLARY ", True),  # normalized before the lookup
        ("TERRORISM", True),  # 05SANAA923
        ("MDC", True),  # 00HARARE5461
        ("AB", False),
        ("BRUSSELS", False),  # 04BRUSSELS1868 wrote its station in the TAGS line
    ],
)
def test_is_known_tag(code: str, known: bool) -> None:
    assert is_known_tag(code) is known


@pytest.mark.parametrize(
    ("indicator", "name"),
    [
        ("RUEHC", "DEPT OF STATE WASHINGTON DC"),  # the seed's TO line
        ("RUEHAK", "AMEMBASSY ANKARA"),  # the seed's first INFO recipient
        ("ruehak ", "AMEMBASSY ANKARA"),
        ("RUEHDIR", "IRAN RPO DUBAI"),  # swapped with RUEHNAG in the 2010 book
        ("RUEHNAG", "AMCONSUL NAGOYA"),
        ("RUEHPL", "AMEMBASSY PORT LOUIS"),  # 06PORTLOUIS752
        ("RUEHQT", "AMEMBASSY QUITO"),  # the book's "QUINTO"
        ("RUEHUNV", "USMISSION UNVIE VIENNA"),  # 09UNVIEVIENNA285
        ("RHEHNSC", "WHITE HOUSE NATIONAL SECURITY COUNCIL WASHINGTON DC"),
        ("RHEHAAA", "WHITE HOUSE COMMUNICATIONS CENTER WASHINGTON DC"),  # the seed's INFO
        ("RHFJAAQ", "NAVCOMTELSTA JACKSONVILLE FL"),  # a "RHFJAAA THRU RHFJAAZ" range
        ("RHBVAKS", "COMUSNAVCENT"),  # seen in cable headers only
        ("RUEHZZZ", None),
        ("", None),
    ],
)
def test_routing_name(indicator: str, name: str | None) -> None:
    assert routing_name(indicator) == name


@pytest.mark.parametrize(
    ("indicator", "year", "name"),
    [
        ("RUEHTA", 2006, "AMEMBASSY ALMATY"),  # the seed 06ALMATY1457: DE RUEHTA, FM ALMATY
        ("RUEHTA", 2007, "AMEMBASSY ALMATY"),  # routing_observed.csv: ALMATY until 2007
        ("RUEHTA", 2008, "AMEMBASSY ASTANA"),  # 08ASTANA338: RUEHTA/AMEMBASSY ASTANA
        ("RUEHTA", None, "AMEMBASSY ASTANA"),  # no year: the 2010 book
        ("RUEHAK", 2006, "AMEMBASSY ANKARA"),  # no dated name: the book
    ],
)
def test_routing_name_in_the_cables_year(indicator: str, year: int | None, name: str) -> None:
    assert routing_name(indicator, year=year) == name


def test_glossary_lists_every_code_once_with_a_kind() -> None:
    entries = glossary()
    codes = [entry["tag"] for entry in entries]
    assert len(codes) == len(set(codes))
    # 1,094 State Department rows (two codes in two kinds) plus non-standard tags
    assert len(entries) >= 1_092 + 50
    assert {entry["kind"] for entry in entries} == KINDS
    titled = [entry for entry in entries if entry["title"]]
    assert len(titled) >= len(entries) - 20


def test_place_names_hold_countries_and_the_us_side() -> None:
    names = place_names()
    assert {"kazakhstan", "united kingdom", "china", "u s", "united states"} <= names
    assert "ambassador" not in names


@settings(deadline=None)  # no timing in tests: first calls load the tables
@given(st.text())
def test_any_text_gives_a_tag_description_without_error(text: str) -> None:
    info = tag_info(text)
    assert info["kind"] in KINDS
    split = split_glued_tags(text)
    assert split is None or "".join(split) == text.strip().upper()
    assert routing_name(text) is None or isinstance(routing_name(text), str)


def test_huge_inputs_complete() -> None:
    assert split_glued_tags("PREL" * 250_000) is None  # no glued TAGS line is that long
    assert tag_info("A" * 1_000_000)["kind"] == "organization"
