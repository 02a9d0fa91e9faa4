"""Reference ids, station codes and origin names, on ids and FM lines from real cables."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.parsing.reference_ids import (
    _edit_distance,
    _within_one_edit,
    canonicalize_reference_id,
    make_reference_id,
    nearest_station,
    origin_for_sender,
    origin_for_station,
    station_for_sender,
)

CORPUS = Path(__file__).parent.parent / "data" / "corpus"
CANONICAL_SHAPE = re.compile(r"^(?:\d{2}[A-Z]+[1-9]\d*|\d{4}[A-Z]+\d+(?:_[a-z])?)$")
# An FM line of the routing header: an upper-case address ("FM AMEMBASSY ALMATY").
FM_LINE = re.compile(r"^FM[ \t]+([A-Z][A-Z /.,()-]*?)[ \t]*$", re.MULTILINE)
SERIAL_OR_YEAR = re.compile(r"^\d+|\d+(?:_[a-z])?$")


def index_rows() -> list[dict[str, str]]:
    """The corpus INDEX: one row per file, with the source's own metadata."""
    with (CORPUS / "INDEX.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def station_of(canonical: str) -> str:
    """The station code of a canonical id ("06ALMATY1457" -> "ALMATY")."""
    return SERIAL_OR_YEAR.sub("", canonical)


def is_plusd(canonical: str) -> bool:
    """Whether a canonical id is PlusD's, with a 4-digit year."""
    return canonical[:4].isdigit()


def cable_text(file_name: str) -> str:
    """A corpus file as plain text: HTML newlines and entities decoded, CRLF made LF."""
    raw = (CORPUS / "cables" / file_name).read_bytes().decode("utf-8", errors="replace")
    return html.unescape(raw.replace("&#x000A;", "\n")).replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("08SCTION02OF02SAOPAULO335", "08SAOPAULO335"),  # 08SCTION02OF02SAOPAULO335 (INDEX)
        ("09SECTION02OF03QRIPOLI583", "09TRIPOLI583"),  # 09SECTION02OF03QRIPOLI583 (INDEX)
        ("08SECTION01GF02BISHIEK21", "08BISHKEK21"),  # 08SECTION01GF02BISHIEK21 (INDEX)
        ("08ECTION01OF02MANAMA492", "08MANAMA492"),  # 08ECTION01OF02MANAMA492 (INDEX)
        ("09SECTION01OF03SANJOSE525", "09SANJOSE525"),  # 09SECTION01OF03SANJOSE525 (INDEX)
        ("09EFTOLONDON2618", "09LONDON2618"),  # 09EFTOLONDON2618 (INDEX)
        ("7575LIBREVILLE1895", "75LIBREVILLE1895"),  # SOURCES.md: the doubled-year id
        ("06SECSTATE123", "06STATE123"),  # issue 2: SECSTATE is the FM name of STATE
        ("06ALMATY1457", "06ALMATY1457"),  # the seed, already canonical
        ("06almaty001457", "06ALMATY1457"),  # the seed's section line serial "001457"
        ("06 ALMATY 1457", "06ALMATY1457"),  # spaced as in REF lines
        ("06-ALMATY-1457", "06ALMATY1457"),
        ("09USUNNEWYORK306", "09USUNNEWYORK306"),  # 09USUNNEWYORK306.html
        ("09UNVIEVIENNA285", "09UNVIEVIENNA285"),  # 09UNVIEVIENNA285.txt
        ("1973STATE097844_b", "1973STATE097844_b"),  # PlusD keeps its 4-digit canonical id
        ("1974ATHENS02959_B", "1974ATHENS02959_b"),  # 1974ATHENS02959_b.html, upper-cased
        ("not an id", "NOTANID"),  # no id shape: cleaned, not invented
        # issue 15, ids as real cables misspell them (cablemap's c14n cases name the cables)
        ("06SECTIKN01OF03MINSK1223", "06MINSK1223"),  # garbled section prefix
        ("08SECTION01F03BEIRUT1568", "08BEIRUT1568"),  # section prefix missing "O"
        ("09SIFIEDABUJA1673", "09ABUJA1673"),  # tail of "CLASSIFIED" glued on
        ("85NOFORNMOGADISHU1643", "85MOGADISHU1643"),  # caption glued on
        ("09AMEMBASSYHANOI1246", "09HANOI1246"),  # addressee kind glued on
        ("90STATE255577TOSEC140323", "90STATE255577"),  # TOSEC number after the serial
        ("06MADRID002583ZFR2585", "06MADRID2583"),  # suffix after the serial
        ("10USDOCWASHDC12", "10USDOC12"),  # Washington agency with its city
        ("03SECDEFWASH12", "03SECDEF12"),
        ("08HALIF1234", "08HALIFAX1234"),  # cut short: the one station it starts
        ("02USDA12", "02USDAFAS12"),
        ("06MILSK1226", "06MINSK1226"),  # one letter wrong in a 5-letter station
        ("09BEIRT96", "09BEIRUT96"),  # one letter lost
        ("01WELLINGOTN12", "01WELLINGTON12"),  # two letters swapped
        ("03SECTATE12", "03STATE12"),  # a misspelling of the alias SECSTATE
        ("03HAGUE12", "03THEHAGUE12"),  # short names of posts
        ("07USEU2", "07USEUBRUSSELS2"),
        ("07PAP12", "07PORTAUPRINCE12"),
        ("09ALMATY12", "09ALMATY12"),  # a real station is never repaired into another
        ("09KYIV12", "09KYIV12"),
        ("09KIEV12", "09KIEV12"),
    ],
)
def test_canonicalize_reference_id(written: str, canonical: str) -> None:
    assert canonicalize_reference_id(written) == canonical


def test_every_corpus_id_canonicalizes_to_a_known_station_and_is_stable() -> None:
    for row in index_rows():
        canonical = canonicalize_reference_id(row["reference_id"])
        assert CANONICAL_SHAPE.match(canonical), row["reference_id"]
        assert canonicalize_reference_id(canonical) == canonical
        assert nearest_station(station_of(canonical)) == station_of(canonical), canonical


@pytest.mark.parametrize(
    ("year", "station", "serial", "expected"),
    [
        (2006, "ALMATY", "001457", "06ALMATY1457"),  # the seed's "ALMATY 001457"
        ("2006", "SECSTATE", 123, "06STATE123"),
        ("06", "STATE", "123456", "06STATE123456"),
        (2009, "USUN NEW YORK", "306", "09USUNNEWYORK306"),  # 09USUNNEWYORK306
        (2009, "SAO PAULO", 663, "09SAOPAULO663"),  # 09SAOPAULO663
        (2000, "HARARE", "005461", "00HARARE5461"),  # 00HARARE5461
        (1972, "TEHRAN", 1164, "72TEHRAN1164"),  # 72TEHRAN1164 (cables.csv row)
        (2009, "QRIPOLI", 583, "09TRIPOLI583"),  # a misspelled station is corrected
        (2009, "UNVIE", "109", "09UNVIEVIENNA109"),  # 09UNVIEVIENNA279's "UNVIE 109"
    ],
)
def test_make_reference_id(year: int | str, station: str, serial: int | str, expected: str) -> None:
    assert make_reference_id(year, station, serial) == expected


@pytest.mark.parametrize(
    ("word", "station"),
    [
        ("QRIPOLI", "TRIPOLI"),  # 09SECTION02OF03QRIPOLI583
        ("BISHIEK", "BISHKEK"),  # 08SECTION01GF02BISHIEK21
        ("ALMATY", "ALMATY"),
        ("secstate", "STATE"),
        ("EFTOLONDON", "LONDON"),  # 09EFTOLONDON2618
        ("DAMASCCUS", "DAMASCUS"),  # cablemap's known typo
        ("USUN NEW YORK", "USUNNEWYORK"),
        ("UNVIE", "UNVIEVIENNA"),  # 09UNVIEVIENNA279's "REF: A. UNVIE 109"
        ("PARIS", "PARIS"),
        ("PARIZ", None),  # too short to trust one typo in five letters
        ("ROME", "ROME"),
        ("EMAIL", None),  # REF lines hold words that are no station
        ("TELCON", None),
        ("KABUL3423", None),
        ("", None),
    ],
)
def test_nearest_station(word: str, station: str | None) -> None:
    assert nearest_station(word) == station


@pytest.mark.parametrize(
    ("fm_line", "origin", "station"),
    [
        ("AMEMBASSY ALMATY", "Embassy Almaty", "ALMATY"),  # the seed (issue 2)
        ("AMCONSUL SAO PAULO", "Consulate Sao Paulo", "SAOPAULO"),  # 09SAOPAULO487
        ("SECSTATE WASHDC", "Secretary of State", "STATE"),  # 10STATE284
        ("USMISSION USNATO", "Mission USNATO", "USNATO"),  # 08USNATO275
        ("USMISSION USUN NEW YORK", "USUN New York", "USUNNEWYORK"),  # 08USUNNEWYORK1130
        ("USMISSION UNVIE VIENNA", "UNVIE", "UNVIEVIENNA"),  # 09UNVIEVIENNA285
        ("USMISSION GENEVA", "US Mission Geneva", "GENEVA"),  # 09GENEVA203
        ("USEU BRUSSELS", "USEU Brussels", "BRUSSELS"),  # 09USEUBRUSSELS948
        ("USINT HAVANA", "US Interests Section Havana", "HAVANA"),  # 09HAVANA132
        ("AIT TAIPEI", "American Institute Taiwan, Taipei", "AITTAIPEI"),  # 09AITTAIPEI975
        ("RPO DUBAI", "Iran RPO Dubai", "RPODUBAI"),  # 08RPODUBAI56
        ("REO BASRAH", "REO Basrah", "BASRAH"),  # 10BASRAH1
        ("USDEL SECRETARY//EUROPE//", "US Delegation, Secretary", "PARTO"),  # 09PARTO41305
        ("AMEMBASSY PORT AU PRINCE", "Embassy Port Au Prince", "PORTAUPRINCE"),
        ("FM AMEMBASSY NEW DELHI", "Embassy New Delhi", "NEWDELHI"),  # 06NEWDELHI5135
        ("AMEMBASSY  TEHRAN ", "Embassy Tehran", "TEHRAN"),  # 73TEHRAN2077, extra spaces
        ("", None, None),
    ],
)
def test_origin_and_station_for_sender(
    fm_line: str, origin: str | None, station: str | None
) -> None:
    assert origin_for_sender(fm_line) == origin
    assert station_for_sender(fm_line) == station


@pytest.mark.parametrize(
    ("station", "plusd", "origin"),
    [
        ("ALMATY", False, "US Office Almaty"),  # the seed's metadata origin
        ("STATE", False, "Secretary of State"),
        ("STATE", True, "Department of State"),  # 1973STATE097844_b (PlusD)
        ("ATHENS", True, "Greece Athens"),  # 1974ATHENS02959_b (PlusD)
        ("ATHENS", False, "Embassy Athens"),
        ("KYIV", False, "Embassy Kyiv"),
        ("KIEV", False, "Embassy Kyiv"),
        ("USEUBRUSSELS", False, "USEU Brussels"),
        ("GENEVA", False, "US Mission Geneva"),
        ("BONN", False, "Embasy Bonn"),  # Cablegate's own spelling
        ("WASHDC", False, None),  # a code with no origin
        ("NOWHERE", False, None),
    ],
)
def test_origin_for_station(station: str, plusd: bool, origin: str | None) -> None:
    assert origin_for_station(station, plusd=plusd) == origin


def test_sender_origins_agree_with_corpus_metadata() -> None:
    """The FM line's origin matches the source's origin field on at least 99% of cables."""
    compared = agreed = 0
    disagreements = []
    for row in index_rows():
        fm_line = FM_LINE.search(cable_text(row["file"]))
        if not row["origin"] or fm_line is None or is_plusd(row["reference_id"]):
            continue  # PlusD names origins its own way ("Greece Athens")
        compared += 1
        origin = origin_for_sender(fm_line.group(1))
        if origin == row["origin"]:
            agreed += 1
        else:
            disagreements.append((row["file"], fm_line.group(1), origin, row["origin"]))
    assert compared >= 300
    assert agreed / compared >= 0.99, disagreements


def test_station_origins_agree_with_corpus_metadata() -> None:
    """The id's station names the source's origin on at least 98% of cables."""
    compared = agreed = 0
    for row in index_rows():
        if not row["origin"]:
            continue
        canonical = canonicalize_reference_id(row["reference_id"])
        origin = origin_for_station(station_of(canonical), plusd=is_plusd(canonical))
        compared += 1
        agreed += origin == row["origin"]
    # BRUSSELS is both "Embassy Brussels" and "USEU Brussels": the id alone cannot tell them.
    assert agreed / compared >= 0.98


@settings(deadline=None)  # no timing in tests: first calls load the tables
@given(st.text())
def test_any_text_gives_a_string_or_none_without_error(text: str) -> None:
    assert isinstance(canonicalize_reference_id(text), str)
    assert nearest_station(text) is None or isinstance(nearest_station(text), str)
    assert origin_for_sender(text) is None or isinstance(origin_for_sender(text), str)
    assert station_for_sender(text) is None or isinstance(station_for_sender(text), str)


def test_huge_inputs_complete() -> None:
    """No pathological backtracking or edit-distance blow-up on a 1 MB word."""
    word = "QRIPOLI" * 150_000
    assert nearest_station(word) is None
    assert canonicalize_reference_id("06" + word + "1") == "06" + word + "1"
    assert origin_for_sender("AMEMBASSY " + "X" * 1_000_000).startswith("Embassy X")


@settings(deadline=None)  # no timing in tests: first calls load the tables
@given(st.text(alphabet="ABCDE", max_size=8), st.text(alphabet="ABCDE", max_size=8))
def test_one_edit_shortcut_agrees_with_edit_distance(left: str, right: str) -> None:
    swapped = any(
        left == right[:i] + right[i + 1] + right[i] + right[i + 2 :] for i in range(len(right) - 1)
    )
    assert _within_one_edit(left, right) == (_edit_distance(left, right, 1) <= 1 or swapped)
