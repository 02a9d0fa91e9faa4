"""Input forms and text clean-up: detection, extraction, decoding, page markers, banners."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.parsing import CableParseError, parse_cable
from service.parsing.formats import detect_format, extract, html_to_text
from service.parsing.text import (
    SPACED_BANNER,
    closed_banner,
    decode,
    normalize_newlines,
    normalize_telegram,
    remove_page_markers,
    replacement_warnings,
    tidy_body,
)

CORPUS = Path(__file__).parents[1] / "data" / "corpus" / "cables"
SEED = Path(__file__).parents[1] / "data" / "seed" / "06ALMATY1457.txt"

DETECTED = [
    (SEED, "plusd-text"),
    (CORPUS / "07BERN881.html", "cablegate-html"),
    (CORPUS / "1974ATHENS03099_b.html", "plusd-html"),
    (CORPUS / "06NEWDELHI5237.txt", "telegram"),
    (CORPUS / "66BUENOSAIRES2481.txt", "telegram"),  # a csv row's text, no metadata with it
    (CORPUS / "08MADRID174.json", "cablesearch-json"),
    (CORPUS / "08MOSCOW3343.json", "cablesearch-json"),  # JSONP: cablegrab({...})
]


@pytest.mark.parametrize(("path", "expected"), DETECTED, ids=[p.name for p, _ in DETECTED])
def test_detect_format_of_real_files(path: Path, expected: str) -> None:
    text, _ = decode(path.read_bytes())
    assert detect_format(normalize_newlines(text)) == expected


def test_metadata_makes_a_telegram_a_csv_row() -> None:
    assert detect_format("FM AMEMBASSY ROME\nTO SECSTATE WASHDC", {"origin": "Embassy Rome"}) == (
        "csv-row"
    )


def test_forced_format_wins_over_detection() -> None:
    text = SEED.read_text("utf-8")
    assert parse_cable(text, format="telegram")["format"] == "telegram"


def test_cablegate_table_and_pre_blocks() -> None:
    page = (CORPUS / "08REYKJAVIK195.html").read_text("utf-8")
    extracted = extract(page)
    assert extracted.metadata["reference_id"] == "08REYKJAVIK195"
    assert extracted.metadata["classification"] == "CONFIDENTIAL"
    assert extracted.metadata["origin"] == "Embassy Reykjavik"
    assert extracted.header is not None and extracted.header.startswith("VZCZC")
    # entities decoded and the paragraph links stripped
    assert "&#x000A;" not in extracted.telegram and "<a " not in extracted.telegram
    assert "\n" in extracted.telegram


def test_cablegate_tag_links_in_either_quotes() -> None:
    page = (
        "<table class='cable'><tr><td>09X1</td></tr></table><pre>FM A</pre><pre>TAGS: "
        "<a href='/tag/PGOV_0.html'>PGOV</a> <a href=\"/tag/KZ_0.html\">KZ</a> "
        "<a href='/tags/XX_0.html'>XX</a> <a title='/tag/YY_0.html'>YY</a></pre>"
    )
    extracted = extract(page, "cablegate-html")
    assert extracted.metadata["page_tags"] == ["PGOV", "KZ"]
    assert extracted.telegram == "TAGS: PGOV KZ XX YY"


def test_cablegate_classification_is_the_link_text_not_its_title() -> None:
    # 07BERN881: <a href='/classification/3_0.html' title='confidential'>SECRET</a>
    page = (CORPUS / "07BERN881.html").read_text("utf-8")
    assert extract(page).metadata["classification"] == "SECRET"


def test_csv_dump_inside_a_page_keeps_this_cables_row() -> None:
    # 07BERN881's body block holds raw cables.csv rows: its own, then 07TBILISI2290's.
    document = parse_cable((CORPUS / "07BERN881.html").read_bytes())
    assert document["reference_id"] == "07BERN881"
    assert "TBILISI" not in document["body"]
    assert document["body"].startswith("S E C R E T SECTION 01 OF 02 BERN 000881")
    assert document["signer"] == "CARTER"
    assert "csv_dump_in_page" in {warning["code"] for warning in document["warnings"]}


def test_plusd_html_fields() -> None:
    document = parse_cable((CORPUS / "1974ATHENS03099_b.html").read_bytes())
    assert document["format"] == "plusd-html"
    assert document["created"] == "1974-05-23T15:15:00Z"
    assert document["classification"] == "CONFIDENTIAL"  # the original one, not "current"
    assert document["origin"] == "Greece Athens"
    assert document["subject"] == "ARRESTS OF KALOUDIS AND AMBATIELOS"
    # the text's TAGS line, then the person TAGS of PlusD's own TAGS field
    assert document["tags"] == ["PINS", "GR", "KALOUDIS, NICK", "AMBATIELOS, ANTHONY"]
    assert document["sender"] == "AMEMBASSY ATHENS"


def test_plusd_text_fields() -> None:
    extracted = extract(normalize_newlines(SEED.read_text("utf-8")))
    assert extracted.metadata["title"] == "KAZAKHSTAN: A/S BOUCHER DISCUSSES DEMOCRATIZATION"
    assert extracted.metadata["created"] == "2006-04-21 04:16:00"
    assert extracted.telegram.startswith("VZCZCXRO0096")


# The JSON dates copy Cablegate's wrong minutes (hour mod 12: "17:05", "06:06"); the
# date-time groups (151739Z FEB 08, 190643Z NOV 08) give the real ones.
CABLESEARCH = [
    ("08MADRID174.json", "08MADRID174", "2008-02-15T17:39:00Z", "Embassy Madrid"),
    ("08MOSCOW3343.json", "08MOSCOW3343", "2008-11-19T06:43:00Z", "Embassy Moscow"),
]


@pytest.mark.parametrize(("name", "reference_id", "created", "origin"), CABLESEARCH)
def test_cablesearch_json(name: str, reference_id: str, created: str, origin: str) -> None:
    document = parse_cable((CORPUS / name).read_bytes())
    assert document["format"] == "cablesearch-json"
    assert (document["reference_id"], document["created"], document["origin"]) == (
        reference_id,
        created,
        origin,
    )
    assert document["classification"] == "CONFIDENTIAL"
    assert not document["body"].startswith(("Wednesday", "Friday"))  # the press date line


def test_cables_csv_row_text_and_columns() -> None:
    text = (CORPUS / "72TEHRAN1164.txt").read_text("utf-8")
    columns = {
        "reference_id": "72TEHRAN1164",
        "created": "2/25/1972 9:30",
        "origin": "Embassy Tehran",
        "classification": "UNCLASSIFIED",
        "references": "72MOSCOW1603|72TEHRAN1091|72TEHRAN263",
    }
    document = parse_cable(text, metadata=columns)
    assert document["format"] == "csv-row"
    assert document["created"] == "1972-02-25T09:30:00Z"  # the csv's real minutes
    cited = [reference["id"] for reference in document["references"]]
    assert {"72MOSCOW1603", "72TEHRAN1091", "72TEHRAN263"} <= set(cited)


def test_cables_csv_columns_printed_above_the_telegram() -> None:
    # 09MEXICO160's body starts with its cables.csv row, one field per line.
    document = parse_cable((CORPUS / "09MEXICO160.html").read_bytes())
    assert document["reference_id"] == "09MEXICO160"
    assert not document["body"].startswith("188166")
    assert document["transmission_id"] == "VZCZCXRO1912"


def test_raw_telegram_in_cp1252_with_crlf() -> None:
    raw = (CORPUS / "06NEWDELHI5237.txt").read_bytes()
    assert b"\r\n" in raw
    document = parse_cable(raw)
    assert document["reference_id"] == "06NEWDELHI5237"
    assert document["created"] == "2006-07-26T08:35:00Z"
    assert "\r" not in document["body"]
    assert "decoded_as_cp1252" in {warning["code"] for warning in document["warnings"]}


HTML_TEXT = [
    ("A&#x000A;B", "A\nB"),
    ("A&#x000A;&amp;B&#x000A;&lt;", "A\n&B\n<"),  # other entities after the line breaks
    ("AT&T&#x000A;&notice", "AT&T\n¬ice"),  # bare "&": html.unescape's legacy names apply
    ("<a id='par1' href='#par1'>¶</a>1. (C) Text", "¶1. (C) Text"),
    ("&quot;quoted&quot; &amp; &#39;single&#39;", "\"quoted\" & 'single'"),
    ("&amp;lt; stays an escaped entity", "&lt; stays an escaped entity"),
    ("caf&eacute; &#233;", "café é"),
    ("<!-- a comment -->kept", "kept"),
]


@pytest.mark.parametrize(("fragment", "expected"), HTML_TEXT)
def test_html_to_text(fragment: str, expected: str) -> None:
    assert html_to_text(fragment) == expected


DECODED = [
    # (bytes, text, warning codes)
    ("UTF-8 ¶".encode(), "UTF-8 ¶", []),
    (b"cp1252 \xb6 pilcrow", "cp1252 ¶ pilcrow", ["decoded_as_cp1252"]),  # the telegram-txt files
    (b"latin-1 only \x81", "latin-1 only \x81", ["decoded_as_latin1"]),  # 0x81 undefined in cp1252
]


@pytest.mark.parametrize(("data", "text", "codes"), DECODED)
def test_decode(data: bytes, text: str, codes: list[str]) -> None:
    decoded, warnings = decode(data)
    assert decoded == text
    assert [warning["code"] for warning in warnings] == codes


def test_replacement_characters_are_warned() -> None:
    assert replacement_warnings("lost \ufffd\ufffd bytes")[0]["code"] == "decoded_with_replacement"
    assert replacement_warnings("clean") == []


def test_binary_bytes_are_not_a_cable() -> None:
    with pytest.raises(CableParseError, match="binary"):
        decode(b"\x00\x01\x02PK\x03\x04" * 100)


NEWLINES = [
    ("a\r\nb\rc", "a\nb\nc"),
    ("no\xa0break", "no break"),
    ("page\fbreak", "page\nbreak"),
]


@pytest.mark.parametrize(("text", "expected"), NEWLINES)
def test_normalize_newlines(text: str, expected: str) -> None:
    assert normalize_newlines(text) == expected


PAGE_MARKERS = [
    # (cable, text with a marker, text without it)
    (
        "06ALMATY1457",
        "greater opposition\n\nALMATY 00001457 002 OF 003\n\n\nrepresentation",
        "greater opposition\n\n\n\nrepresentation",
    ),
    (
        "08MADRID174",
        "REF: A\n\nMADRID 00000174 001.2 OF 002\n\nClassified",
        "REF: A\n\n\nClassified",
    ),
    ("07BERN881", "by \n \nBERN 00000881  002 OF 002 \n \nlike-minded", "by \n \n \nlike-minded"),
    ("USUN NEW YORK", "x\nUSUN NEW YO 00000123 002 OF 004\ny", "x\ny"),
    ("marker on the last line", "text\nALMATY 00001457 003 OF 003", "text\n"),
    (
        "00HARARE5461 (old PAGE header)",
        "THEY REALIZE  CONFIDENTIAL\nPAGE 03 HARARE 05461 01 OF 02 271458Z THAT THE MDC",
        "THEY REALIZE  \nTHAT THE MDC",
    ),
    ("prose with OF", "one OF the 12345678 cases 001 OF 002 here", None),
    ("press copy, lower case", "a\nberlin 00001068 002 of 003\nb", "a\nb"),
    ("F at the very start", "F 1\nOF 2", None),
    (
        "old PAGE header below a banner line and blank lines",
        "ISSUE.\nSECRET   \n\n  PAGE 02 ROME 05149 01 OF 02 131611Z\nTEXT",
        "ISSUE.\n\n\nTEXT",
    ),
    (
        "old PAGE header: the banner's blank lines reach 20 characters at most",
        "X SECRET\n" + " " * 21 + "PAGE 02 ROME 05149 131611Z\nY",
        "X SECRET\n" + " " * 21 + "\n\nY",
    ),
    (
        "two old PAGE headers, the second below a banner",
        "A PAGE 02 ROME 05149 131611Z B\nCONFIDENTIAL\nPAGE 03 ROME 05149 131611Z C",
        "A \nB\n\nC",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [row[1:] for row in PAGE_MARKERS], ids=[row[0] for row in PAGE_MARKERS]
)
def test_remove_page_markers(text: str, expected: str | None) -> None:
    assert remove_page_markers(text) == (text if expected is None else expected)


BANNERS = [
    ("C O N F I D E N T I A L SECTION 01 OF 03", "CONFIDENTIAL SECTION 01 OF 03"),
    ("S E C R E T STATE 000123", "SECRET STATE 000123"),
    ("S e c r e t berlin 001068", "SECRET berlin 001068"),  # 08BERLIN1068, press copy
    ("SS E C R E T SECTION 01", "SECRET SECTION 01"),  # 09PARIS381
    ("UNCLAS E F T O LONDON", "UNCLAS EFTO LONDON"),
    ("S E C R E TARY", "S E C R E TARY"),  # not a banner when a letter follows
]


@pytest.mark.parametrize(("line", "expected"), BANNERS)
def test_spaced_banner_closed_up(line: str, expected: str) -> None:
    assert SPACED_BANNER.sub(closed_banner, line) == expected


def test_tabs_are_expanded_in_the_telegram() -> None:
    assert normalize_telegram("TAGS:\tKZ\tPGOV\r\n") == "TAGS:   KZ      PGOV\n"


def test_tidy_body() -> None:
    assert tidy_body("\n\nline one   \n\n\n\n\nline two\t\n\n") == "line one\n\nline two"


def test_repeated_section_header_is_dropped_once() -> None:
    # The seed repeats its opening block (classification line to Classified By).
    document = parse_cable(SEED.read_bytes())
    assert document["body"].count("Classified By: AMBASSADOR JOHN ORDWAY") == 1


def test_truncated_plusd_text_keeps_the_values_it_has() -> None:
    # found by hypothesis: the label block cut off after two values
    document = parse_cable("Identifier\nCreated\nClassification\nOrigin\n06ALMATY1457\n2006-04-21")
    assert document["reference_id"] == "06ALMATY1457"
    assert document["created"] == "2006-04-21T00:00:00Z"
