"""The routing header and classification line, one table per field, snippets from real cables."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.parsing import parse_recipients
from service.parsing.header import (
    CLASSIFICATION_LINE,
    DE_LINE,
    DTG_LINE,
    ROUTING_INDICATOR,
    TRANSMISSION_ID,
    after_break,
    dtg_datetime,
    is_routing_indicator,
    parse_classification_line,
    parse_routing,
    search_line,
    split_header,
    split_header_at_fm_and_line,
)
from service.parsing.labels import (
    classification_from_text,
    classification_label,
    normalize_classification,
)


def recipient(
    routing: str | None, name: str, precedence: str | None = None, serial: str | None = None
) -> dict[str, Any]:
    """One expected addressee."""
    return {"routing": routing, "name": name, "precedence": precedence, "serial": serial}


RECIPIENTS = [
    (
        "06ALMATY1457: routing, precedence and serial",
        "FM AMEMBASSY ALMATY\nTO RUEHC/SECSTATE WASHDC PRIORITY 5023\n"
        "INFO RUEHAK/AMEMBASSY ANKARA 1854\nRUEAIIA/CIA WASHDC\n",
        {
            "to": [recipient("RUEHC", "SECSTATE WASHDC", "PRIORITY", "5023")],
            "info": [
                recipient("RUEHAK", "AMEMBASSY ANKARA", None, "1854"),
                recipient("RUEAIIA", "CIA WASHDC"),
            ],
            "excluded": [],
        },
    ),
    (
        "07BERN881: collective and multi-word names with precedence only",
        "TO RUEHC/SECSTATE WASHDC IMMEDIATE 4460\nINFO RUCNMEU/EU INTEREST COLLECTIVE PRIORITY\n"
        "RHEHAAA/NATIONAL SECURITY COUNCIL WASHINGTON DC PRIORITY\n",
        {
            "to": [recipient("RUEHC", "SECSTATE WASHDC", "IMMEDIATE", "4460")],
            "info": [
                recipient("RUCNMEU", "EU INTEREST COLLECTIVE", "PRIORITY"),
                recipient("RHEHAAA", "NATIONAL SECURITY COUNCIL WASHINGTON DC", "PRIORITY"),
            ],
            "excluded": [],
        },
    ),
    (
        "66BUENOSAIRES2481: no routing indicators in 1966",
        "FM AMEMBASSY BUENOS AIRES\nTO SECSTATE WASHDC PRIORITY\nINFO USCINCSO\nCINCLANT\n"
        "UNCLASSIFIED BUENOS AIRES 2481\n",
        {
            "to": [recipient(None, "SECSTATE WASHDC", "PRIORITY")],
            "info": [recipient(None, "USCINCSO"), recipient(None, "CINCLANT")],
            "excluded": [],
        },
    ),
    (
        "XMT exclusions, as in State circulars",
        "FM SECSTATE WASHDC\nTO ALL DIPLOMATIC POSTS COLLECTIVE IMMEDIATE\n"
        "XMT AMEMBASSY TRIPOLI\nAMEMBASSY DAMASCUS\nBT\n",
        {
            "to": [recipient(None, "ALL DIPLOMATIC POSTS COLLECTIVE", "IMMEDIATE")],
            "info": [],
            "excluded": [
                recipient(None, "AMEMBASSY TRIPOLI"),
                recipient(None, "AMEMBASSY DAMASCUS"),
            ],
        },
    ),
    (
        "08MANAMA492: TO glued to the routing indicator",
        "FM AMEMBASSY MANAMA\nTORUEHC/SECSTATE WASHDC PRIORITY 8009\n",
        {
            "to": [recipient("RUEHC", "SECSTATE WASHDC", "PRIORITY", "8009")],
            "info": [],
            "excluded": [],
        },
    ),
    (
        "1974ATHENS03099: the INFO office line above FM is not an addressee",
        "ACTION EUR-25\nINFO  OCT-01  EA-11  ISO-00\nR 231515Z MAY 74\nFM AMEMBASSY ATHENS\n"
        "TO SECSTATE WASHDC 3479\nINFO AMEMBASSY CANBERRA\n",
        {
            "to": [recipient(None, "SECSTATE WASHDC", None, "3479")],
            "info": [recipient(None, "AMEMBASSY CANBERRA")],
            "excluded": [],
        },
    ),
    (
        "09ULAANBAATAR234: TAGS and SUBJECT right below the last addressee",
        "FM AMEMBASSY ULAANBAATAR\nTO SECSTATE WASHDC IMMEDIATE 2981\n"
        "INFO NSC WASHINGTON DC PRIORITY\nTAGS: PREL PGOV\nSUBJECT: MONGOLIA'S CONSULTATIONS\n",
        {
            "to": [recipient(None, "SECSTATE WASHDC", "IMMEDIATE", "2981")],
            "info": [recipient(None, "NSC WASHINGTON DC", "PRIORITY")],
            "excluded": [],
        },
    ),
    (
        "NIACT IMMEDIATE as one precedence; a lone precedence word is a name",
        "FM SECSTATE WASHDC\nTO RUEHAM/AMEMBASSY AMMAN NIACT IMMEDIATE 0042\n"
        "INFO NIACT IMMEDIATE\nRUEHC/IMMEDIATE\n",
        {
            "to": [recipient("RUEHAM", "AMEMBASSY AMMAN", "NIACT IMMEDIATE", "0042")],
            "info": [recipient(None, "NIACT", "IMMEDIATE"), recipient("RUEHC", "IMMEDIATE")],
            "excluded": [],
        },
    ),
    ("no addressees in a body fragment", "1. (C) Summary: nothing here.\n", None),
]


@pytest.mark.parametrize(
    ("text", "expected"), [row[1:] for row in RECIPIENTS], ids=[row[0] for row in RECIPIENTS]
)
def test_parse_recipients(text: str, expected: dict[str, Any] | None) -> None:
    assert parse_recipients(text) == (expected or {"to": [], "info": [], "excluded": []})


ROUTING = [
    # (cable, header fragment, key, expected)
    (
        "06ALMATY1457",
        "VZCZCXRO0096\nPP RUEHDBU\nDE RUEHTA #1457/01 1110416",
        "transmission_id",
        "VZCZCXRO0096",
    ),
    ("06ALMATY1457", "DE RUEHTA #1457/01 1110416\nZNY CCCCC ZZH", "sender_routing", "RUEHTA"),
    ("06ALMATY1457", "P 210416Z APR 06\nFM AMEMBASSY ALMATY", "date_time_group", "210416Z APR 06"),
    ("06ALMATY1457", "P 210416Z APR 06\nFM AMEMBASSY ALMATY", "header_precedence", "PRIORITY"),
    ("06ALMATY1457", "P 210416Z APR 06\nFM AMEMBASSY ALMATY\n", "sender", "AMEMBASSY ALMATY"),
    (
        "66BUENOSAIRES2481",
        "P R 281848Z DEC 66\nFM AMEMBASSY BUENOS AIRES",
        "header_precedence",
        "PRIORITY",
    ),
    ("07BERN881", "O 110944Z SEP 07\nFM AMEMBASSY BERN", "header_precedence", "IMMEDIATE"),
    ("04ANKARA348 (partial extract)", "201247Z Jan 04", "date_time_group", "201247Z JAN 04"),
    ("04ANKARA348 (partial extract)", "201247Z Jan 04", "header_precedence", None),
    ("a fragment without header", "1. (U) Text.", "transmission_id", None),
]


@pytest.mark.parametrize(
    ("header", "key", "expected"),
    [row[1:] for row in ROUTING],
    ids=[f"{r[0]}-{r[2]}" for r in ROUTING],
)
def test_parse_routing(header: str, key: str, expected: str | None) -> None:
    assert parse_routing(header)[key] == expected


DTG_DATES = [
    ("P 210416Z APR 06", "2006-04-21 04:16"),  # 06ALMATY1457
    ("P R 281848Z DEC 66", "1966-12-28 18:48"),  # 66BUENOSAIRES2481: 1900s
    ("R 231515Z MAY 74", "1974-05-23 15:15"),  # 1974ATHENS03099
    ("O 260014Z OCT 09", "2009-10-26 00:14"),  # 09BEIJING2963
    ("R 311200Z FEB 09", None),  # no such day
]


@pytest.mark.parametrize(("line", "expected"), DTG_DATES)
def test_date_time_group_as_datetime(line: str, expected: str | None) -> None:
    parsed = dtg_datetime(parse_routing(line)["dtg_match"])
    assert (parsed.strftime("%Y-%m-%d %H:%M") if parsed else None) == expected


CLASSIFICATION_LINES = [
    # (cable, line, level, sections, station, serial, caveats)
    (
        "06ALMATY1457",
        "C O N F I D E N T I A L SECTION 01 OF 03 ALMATY 001457 ",
        2,
        3,
        "ALMATY",
        "001457",
        [],
    ),
    ("07TBILISI2290", "UNCLAS SECTION 01 OF 06 TBILISI 002290 ", 0, 6, "TBILISI", "002290", []),
    (
        "03THEHAGUE2843",
        "C O N F I D E N T I A L SECTION 01 OF 02 THE HAGUE 002843 ",
        2,
        2,
        "THE HAGUE",
        "002843",
        [],
    ),
    (
        "07NASSAU273",
        "C O N F I D E N T I A L NASSAU 000273 SIPDIS ",
        2,
        None,
        "NASSAU",
        "000273",
        [],
    ),
    ("08BERLIN1068 (press copy)", "S e c r e t berlin 001068", 3, None, "BERLIN", "001068", []),
    ("09PARIS381", "SS E C R E T SECTION 01 OF 02 PARIS 000381 ", 3, 2, "PARIS", "000381", []),
    ("06MANAGUA1002", "UUNCLAS MANAGUA 001002 ", 0, None, "MANAGUA", "001002", []),
    ("07SANAA473", "E C R E T SANAA 000473 ", 3, None, "SANAA", "000473", []),
    (
        "08SCTION02OF02SAOPAULO335",
        "C O N F I D E N T I A L SCTION 02 OF 02 SAO PAULO 000335 ",
        2,
        2,
        "SAO PAULO",
        "000335",
        [],
    ),
    (
        "09SECTION02OF03QRIPOLI583",
        "S E C R E T SECTION 02 OF 03QRIPOLI 000583 ",
        3,
        3,
        "QRIPOLI",
        "000583",
        [],
    ),
    ("UNCLAS E F T O", "UNCLAS E F T O LONDON 002618", 0, None, "LONDON", "002618", ["EFTO"]),
    (
        "10ATHENS57",
        "C O N F I D E N T I A L SECTION 01 OF 02 ATHENS 000057 NOFORN SIPDIS",
        2,
        2,
        "ATHENS",
        "000057",
        ["NOFORN"],
    ),
    ("85BEIRUT1725", "UNCLAS BEIRUT 01725 \\", 0, None, "BEIRUT", "01725", []),
    ("1974ATHENS03099", "C O N F I D E N T I A L ATHENS 3099", 2, None, "ATHENS", "3099", []),
    (
        "08BISHIEK21 (garbled serial)",
        "UNCLAS SECTION 01 GF 02 BISHIEK 00Q021 ",
        0,
        2,
        "BISHIEK",
        None,
        [],
    ),
]


@pytest.mark.parametrize(
    ("line", "level", "sections", "station", "serial", "caveats"),
    [row[1:] for row in CLASSIFICATION_LINES],
    ids=[row[0] for row in CLASSIFICATION_LINES],
)
def test_parse_classification_line(
    line: str,
    level: int,
    sections: int | None,
    station: str | None,
    serial: str | None,
    caveats: list[str],
) -> None:
    parsed = parse_classification_line(f"{line}\n\nSIPDIS\n")
    assert parsed is not None
    found = (parsed["level"], parsed["sections"], parsed["station"], parsed["serial"])
    assert found == (level, sections, station, serial)
    assert parsed["caveats"] == caveats


NOT_CLASSIFICATION_LINES = [
    "Secret talks were held in Geneva on Tuesday.",  # prose starting with a level word
    "Secretary Rice said 2009 would be decisive.",
    "CONFIDENTIALITY AGREEMENT 2009",
]


@pytest.mark.parametrize("line", NOT_CLASSIFICATION_LINES)
def test_prose_is_not_a_classification_line(line: str) -> None:
    assert parse_classification_line(line) is None


NORMALIZED = [
    # (source label, Cablegate label, level, caveats)
    ("CONFIDENTIAL", "CONFIDENTIAL", 2, []),
    ("SECRET//NOFORN", "SECRET//NOFORN", 3, ["NOFORN"]),
    (
        "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
        "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
        0,
        ["FOR OFFICIAL USE ONLY"],
    ),
    ("LIMITED OFFICIAL USE (current: UNCLASSIFIED)", "LIMITED OFFICIAL USE", 1, []),  # PlusD
    ("confidential", "CONFIDENTIAL", 2, []),
    ("UNCLAS", "UNCLASSIFIED", 0, []),
    ("MOST SECRET", None, None, []),
]


@pytest.mark.parametrize(("label", "expected", "level", "caveats"), NORMALIZED)
def test_normalize_classification(
    label: str, expected: str | None, level: int | None, caveats: list[str]
) -> None:
    assert normalize_classification(label) == (expected, level, caveats)


FROM_TEXT = [
    # (cable, classification line, handling captions, expected label)
    (
        "06ALMATY1457",
        "C O N F I D E N T I A L SECTION 01 OF 03 ALMATY 001457",
        ["SIPDIS"],
        "CONFIDENTIAL",
    ),
    (
        "09MEXICO3061",
        "S E C R E T SECTION 01 OF 02 MEXICO 003061",
        ["NOFORN", "SIPDIS"],
        "SECRET//NOFORN",
    ),
    (
        "10ATHENS57",
        "C O N F I D E N T I A L SECTION 01 OF 02 ATHENS 000057 NOFORN SIPDIS",
        [],
        "CONFIDENTIAL//NOFORN",
    ),
    (
        "03THEHAGUE1453",
        "UNCLAS SECTION 01 OF 02 THE HAGUE 001453",
        ["SIPDIS", "SENSITIVE"],
        "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    ),
    ("09EFTOLONDON2618", "UNCLAS E F T O LONDON 002618", [], "UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
    (
        "07TBILISI2290 without its caption",
        "UNCLAS SECTION 01 OF 06 TBILISI 002290",
        ["SIPDIS"],
        "UNCLASSIFIED",
    ),
    (
        "NOFORN means nothing on an unclassified cable",
        "UNCLAS STATE 012345",
        ["NOFORN"],
        "UNCLASSIFIED",
    ),
]


@pytest.mark.parametrize(
    ("line", "handling", "expected"), [row[1:] for row in FROM_TEXT], ids=[r[0] for r in FROM_TEXT]
)
def test_classification_from_banner_and_captions(
    line: str, handling: list[str], expected: str
) -> None:
    parsed = parse_classification_line(line)
    assert parsed is not None
    level, caveats = classification_from_text(parsed, handling)
    assert classification_label(level, caveats) == expected


SPLITS = [
    # (case, telegram, header ends with, body starts with)
    (
        "06ALMATY1457",
        "VZCZCXRO0096\nFM AMEMBASSY ALMATY\nTO RUEHC/SECSTATE WASHDC PRIORITY 5023\n"
        "C O N F I D E N T I A L SECTION 01 OF 03 ALMATY 001457\n\nSIPDIS\n",
        "WASHDC PRIORITY 5023\n",
        "C O N F I D E N T I A L SECTION",
    ),
    (
        "1974ATHENS03099: the banner above the header is not the classification line",
        "CONFIDENTIAL\n\nPAGE 01  ATHENS 03099  231541Z\nR 231515Z MAY 74\nFM AMEMBASSY ATHENS\n"
        "TO SECSTATE WASHDC 3479\n\nC O N F I D E N T I A L ATHENS 3099\n\nE.O. 11652: GDS\n",
        "WASHDC 3479\n\n",
        "C O N F I D E N T I A L ATHENS 3099",
    ),
    (
        "08REYKJAVIK195: an 'FM Gisladottir' line of the text is not the FM line",
        "UNCLAS REYKJAVIK 000195\n\nSIPDIS\n\n1. FM Gisladottir said at the press conference\n"
        "FM Gisladottir said\nthat the MFA will look at it.\n",
        "",
        "UNCLAS REYKJAVIK 000195",
    ),
    (
        "09ULAANBAATAR234: a bare SECRET column line above a second copy of the header",
        "FM AMEMBASSY ULAANBAATAR\nTO SECSTATE WASHDC\n>\n8/13/2009 8:54\nSECRET\n\n"
        "O 130854Z AUG 09\nFM AMEMBASSY ULAANBAATAR\nTO SECSTATE WASHDC IMMEDIATE 2981\n\n"
        "S e c r e t ulaanbaatar 000234\n",
        "IMMEDIATE 2981\n\n",
        "S e c r e t ulaanbaatar 000234",
    ),
    (
        "no classification line: the header ends with the address lines",
        "R 281848Z DEC 66\nFM AMEMBASSY BUENOS AIRES\nTO SECSTATE WASHDC\n\nTEXT FOLLOWS\n",
        "TO SECSTATE WASHDC\n",
        "\nTEXT FOLLOWS",
    ),
]


@pytest.mark.parametrize(
    ("telegram", "header_end", "body_start"),
    [row[1:] for row in SPLITS],
    ids=[r[0] for r in SPLITS],
)
def test_split_header(telegram: str, header_end: str, body_start: str) -> None:
    header, body = split_header(telegram)
    assert header.endswith(header_end)
    assert body.startswith(body_start)
    assert header + body == telegram


@pytest.mark.parametrize(
    "telegram",
    [row[1] for row in SPLITS],
    ids=[r[0] for r in SPLITS],
)
def test_known_classification_line_is_the_one_a_search_finds(telegram: str) -> None:
    header, body, line, _ = split_header_at_fm_and_line(telegram)
    assert (header, body) == split_header(telegram)
    assert parse_classification_line(body, known=line) == parse_classification_line(body)


@pytest.mark.parametrize(
    "telegram",
    [row[1] for row in SPLITS] + ["\n\nFM AMEMBASSY ROME\nTO RUEHC/SECSTATE WASHDC\nHELLO\n"],
)
def test_known_fm_address_gives_the_routing_a_search_gives(telegram: str) -> None:
    header, _, _, fm_address_at = split_header_at_fm_and_line(telegram)
    stripped = header.strip("\n")
    if fm_address_at is not None:
        fm_address_at -= len(header) - len(header.lstrip("\n"))
    known = parse_routing(stripped, fm_address_at=fm_address_at)
    searched = parse_routing(stripped)
    fm_known, fm_searched = known.pop("fm_match"), searched.pop("fm_match")
    assert (fm_known and fm_known.span()) == (fm_searched and fm_searched.span())
    known.pop("dtg_match"), searched.pop("dtg_match")
    assert known == searched


@given(st.text(alphabet="RZENrzA09aQ_ -\u00b2\u00c0/", max_size=10))
def test_is_routing_indicator_is_the_regex(word: str) -> None:
    assert is_routing_indicator(word) == bool(ROUTING_INDICATOR.fullmatch(word))


@pytest.mark.parametrize(
    "body",
    [
        "SECRET ROME 001234\n\nSIPDIS\n",  # another line at the start
        "UNCLAS ROME 001234 NOFORN\n",  # the line, then more on it
        "\nUNCLAS ROME 001234\n",  # the line, but not at the start
    ],
)
def test_known_classification_line_is_not_taken_for_another(body: str) -> None:
    opening = "FM AMEMBASSY ROME\nTO SECSTATE WASHDC\nUNCLAS ROME 001234\n"
    _, _, line, _ = split_header_at_fm_and_line(opening)
    assert line is not None
    assert parse_classification_line(body, known=line) == parse_classification_line(body)


LINE_PATTERNS = (TRANSMISSION_ID, DE_LINE, DTG_LINE, CLASSIFICATION_LINE)


# Lines (and pieces of lines) the line patterns match or nearly match.
HEADER_LINES = (
    "VZCZCXRO0096",
    "  VZCZCABC1",
    "DE RUEHTA #1457/01 1110416",
    "DE RUEHC",
    "P 210416Z APR 06",
    "R 281848Z DEC 66 ZDK",
    "UNCLAS SECTION 01 OF 02 ROME 001234",
    "C O N F I D E N T I A L ALMATY 001457",
    "SECRET",
    "S E C R E T",
    "FM AMEMBASSY ROME",
    "TEXT P 210416Z APR 06 DE RUEHC",
    "",
    " \t",
)


@given(
    st.lists(st.sampled_from(HEADER_LINES) | st.text("VZDEP0 \n", max_size=6), max_size=8),
    st.integers(0, 160),
    st.integers(0, 160),
)
def test_search_line_finds_what_a_search_finds(lines: list[str], start: int, end: int) -> None:
    text = "\n".join(lines)
    for pattern in LINE_PATTERNS:
        expected = pattern.search(text, start, end)
        found = search_line(pattern, after_break(pattern), text, start, end)
        if expected is None:
            assert found is None
        else:
            assert found is not None
            assert (found[0], found[1]) == expected.span()
            assert found[2].groupdict() == expected.groupdict()
            assert found[2].groups() == expected.groups()
