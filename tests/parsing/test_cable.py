"""parse_cable: the seed cable field by field (issue 2, "The seed, exactly"), and document shape."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

from service.parsing import CableParseError, parse_cable

DATA = Path(__file__).parents[1] / "data"
SEED = DATA / "seed" / "06ALMATY1457.txt"
DOCUMENT_MD = Path(__file__).parents[2] / "docs" / "document.md"
DOCUMENTED_KEY = re.compile(
    r"^\| `(\w+)`(?: \*\*fixed\*\*)?(?:, `(\w+)`(?: \*\*fixed\*\*)?)? \|", re.M
)


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    """The seed cable, parsed once for every test of this module."""
    return parse_cable(SEED.read_bytes())


SEED_FIELDS = [
    ("reference_id", "06ALMATY1457"),
    ("created", "2006-04-21T04:16:00Z"),
    ("classification", "CONFIDENTIAL"),
    ("classification_level", 2),
    ("caveats", []),
    ("origin", "US Office Almaty"),
    ("station", "ALMATY"),
    ("title", "KAZAKHSTAN: A/S BOUCHER DISCUSSES DEMOCRATIZATION"),
    (
        "subject",
        "KAZAKHSTAN: A/S BOUCHER DISCUSSES DEMOCRATIZATION COMMISSION WITH POLITICAL OPPOSITION",
    ),
    ("subject_classification", None),
    ("tags", ["KZ", "PGOV", "PREL"]),
    ("precedence", "PRIORITY"),
    ("date_time_group", "210416Z APR 06"),
    ("transmission_id", "VZCZCXRO0096"),
    ("sender", "AMEMBASSY ALMATY"),
    ("sender_routing", "RUEHTA"),
    ("sections", 3),
    ("handling", ["SIPDIS"]),
    ("office_distribution", ["DEPT FOR EB/ESC; SCA/PO (MANN); SCA/CEN (MUDGE)"]),
    ("executive_order", "12958"),
    ("declassify_on", "2015-04-19"),
    ("references", []),
    ("signer", "ORDWAY"),
    ("excluded", []),
    ("format", "plusd-text"),
]


@pytest.mark.parametrize(("key", "expected"), SEED_FIELDS, ids=[key for key, _ in SEED_FIELDS])
def test_seed_field(seed: dict[str, Any], key: str, expected: Any) -> None:
    assert seed[key] == expected


def test_seed_to_is_the_secretary(seed: dict[str, Any]) -> None:
    assert seed["to"] == [
        {"routing": "RUEHC", "name": "SECSTATE WASHDC", "precedence": "PRIORITY", "serial": "5023"}
    ]


def test_seed_info_runs_from_ankara_to_energy(seed: dict[str, Any]) -> None:
    info = seed["info"]
    assert len(info) == 11
    assert info[0] == {
        "routing": "RUEHAK",
        "name": "AMEMBASSY ANKARA",
        "precedence": None,
        "serial": "1854",
    }
    assert info[-1] == {
        "routing": "RUEBAAA",
        "name": "DEPT OF ENERGY WASHDC",
        "precedence": None,
        "serial": None,
    }


def test_seed_classified_by(seed: dict[str, Any]) -> None:
    classified_by = seed["classified_by"]
    assert classified_by["name"].upper() == "JOHN ORDWAY"
    assert classified_by["title"].upper() == "AMBASSADOR"
    assert classified_by["reasons"] == ["1.4(b)", "1.4(d)"]


def test_seed_paragraph_markings(seed: dict[str, Any]) -> None:
    markings = [paragraph["classification"] for paragraph in seed["paragraphs"]]
    assert markings == ["C", "SBU", "C", "C", "C", "C", "C", "SBU", "C", "C", "C", "U"]
    assert [paragraph["number"] for paragraph in seed["paragraphs"]] == list(range(1, 13))


def test_seed_summary_bounds(seed: dict[str, Any]) -> None:
    summary = seed["summary"]
    assert summary.startswith("A/S Boucher discussed ways to improve")
    assert summary.endswith("other areas of development.")


PARTICIPANTS = [
    # (name, words the role must hold, words the affiliation must hold)
    ("Richard Boucher", "SCA A/S", None),
    ("Caitlin Hayden", "Senior Advisor", None),
    ("John Ordway", "Ambassador", None),
    ("Sean Roberts", "USAID Democracy Officer", None),
    ("Jim Loveland", "Energy Officer", None),
    ("Tolegen Zhukeyev", None, "For a Just Kazakhstan"),
    ("Galymzhan Zhakiyanov", None, "For a Just Kazakhstan"),
    ("Bulat Abilov", None, "For a Just Kazakhstan and True Ak Zhol"),
    ("Alikhan Baymenov", None, "Ak Zhol"),
]


@pytest.mark.parametrize(("name", "role", "affiliation"), PARTICIPANTS)
def test_seed_participant(
    seed: dict[str, Any], name: str, role: str | None, affiliation: str | None
) -> None:
    found = [p for p in seed["participants"] if p["search_key"] == name.lower()]
    assert len(found) == 1, [p["name"] for p in seed["participants"]]
    if role:
        assert (found[0]["role"] or "").lower() == role.lower()
    if affiliation:
        assert (found[0]["affiliation"] or "").lower() == affiliation.lower()


def test_seed_ordway_is_listed_once_with_every_source(seed: dict[str, Any]) -> None:
    ordway = [p for p in seed["participants"] if "ordway" in p["search_words"]]
    assert len(ordway) == 1
    assert set(ordway[0]["sources"]) == {"participants", "text", "classified_by", "signer"}
    assert ordway[0]["how"] == "met"


def test_seed_body_has_no_header_page_markers_or_repeated_opening(seed: dict[str, Any]) -> None:
    body = seed["body"]
    assert "VZCZC" not in body and "FM AMEMBASSY" not in body
    assert "ALMATY 00001457" not in body
    assert body.count("TAGS: KZ PGOV PREL") == 1
    assert body.startswith("C O N F I D E N T I A L SECTION 01 OF 03 ALMATY 001457")


def test_seed_header_is_the_routing_header(seed: dict[str, Any]) -> None:
    assert seed["header"].startswith("VZCZCXRO0096")
    assert seed["header"].rstrip().endswith("RUEBAAA/DEPT OF ENERGY WASHDC")


def test_seed_provenance(seed: dict[str, Any]) -> None:
    raw = SEED.read_bytes()
    assert seed["sha256"] == hashlib.sha256(raw).hexdigest()
    assert seed["raw"] == raw.decode("utf-8")
    assert seed["parser_version"]
    assert seed["warnings"] == []


def test_str_and_bytes_give_the_same_document() -> None:
    text = SEED.read_text("utf-8")
    assert parse_cable(text) == parse_cable(text.encode("utf-8"))


def test_every_documented_key_is_present(seed: dict[str, Any]) -> None:
    key_table = DOCUMENT_MD.read_text().split("Added by the store", 1)[0]
    documented = {key for pair in DOCUMENTED_KEY.findall(key_table) for key in pair}
    documented.discard("")
    store_keys = {"ingested_at", "source"}
    assert documented - store_keys <= set(seed)
    assert set(seed) <= documented


def bare_telegram() -> str:
    """The seed without its PlusD metadata block: the telegram from VZCZC on."""
    text = SEED.read_text("utf-8")
    return text[text.index("VZCZC") :]


METADATA_WINS = [
    # a cables.csv row passes its columns beside the text; they beat what the text says
    ("reference_id", {"reference_id": "06ALMATY1457"}, "06ALMATY1457"),
    ("created", {"created": "4/21/2006 4:16"}, "2006-04-21T04:16:00Z"),
    ("origin", {"origin": "Embassy Almaty"}, "Embassy Almaty"),
    ("classification", {"classification": "SECRET//NOFORN"}, "SECRET//NOFORN"),
]


@pytest.mark.parametrize(("key", "metadata", "expected"), METADATA_WINS)
def test_metadata_wins_over_text(key: str, metadata: dict[str, str], expected: str) -> None:
    telegram = bare_telegram()
    document = parse_cable(telegram, metadata=metadata)
    assert document["format"] == "csv-row"
    assert document[key] == expected


def test_reference_id_from_fm_and_de_lines_when_the_classification_line_has_none() -> None:
    telegram = bare_telegram().replace(
        "C O N F I D E N T I A L SECTION 01 OF 03 ALMATY 001457", "C O N F I D E N T I A L"
    )
    document = parse_cable(telegram)
    assert document["reference_id"] == "06ALMATY1457"  # AMEMBASSY ALMATY, DE RUEHTA #1457


DE_ROUTING_IN_THE_CABLES_YEAR = [
    # without FM line and station, the DE line's RUEHTA names the sender: ALMATY in 2006
    ("reference_id", "06ALMATY1457"),
    ("origin", "Embassy Almaty"),
    ("sender", None),
    ("sender_routing", "RUEHTA"),
]


@pytest.mark.parametrize(("key", "expected"), DE_ROUTING_IN_THE_CABLES_YEAR)
def test_de_routing_names_the_sender_as_in_the_cables_year(key: str, expected: str) -> None:
    banner = "C O N F I D E N T I A L"
    telegram = (
        bare_telegram()
        .replace("FM AMEMBASSY ALMATY\n", "")
        .replace(f"{banner} SECTION 01 OF 03 ALMATY 001457", banner)
    )
    assert parse_cable(telegram)[key] == expected


def test_csv_references_are_added_when_the_text_lacks_them() -> None:
    telegram = bare_telegram()
    document = parse_cable(telegram, metadata={"references": "06STATE12345|06SECSTATE99"})
    ids = [reference["id"] for reference in document["references"]]
    assert ids == ["06STATE12345", "06STATE99"]


NOT_CABLES = [
    ("empty bytes", b""),
    ("empty text", ""),
    ("whitespace", " \n\t\n "),
    ("binary", bytes(range(256)) * 4),
    ("prose", "Dear reader, this is a letter about the weather and nothing else."),
    ("html without a cable", "<html><body><p>hello</p></body></html>"),
    ("json without items", '{"info": {"response": "OK"}}'),
]


@pytest.mark.parametrize("data", [data for _, data in NOT_CABLES], ids=[n for n, _ in NOT_CABLES])
def test_not_a_cable_raises_cable_parse_error(data: str | bytes) -> None:
    with pytest.raises(CableParseError):
        parse_cable(data)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(CableParseError, match="unknown format"):
        parse_cable(SEED.read_bytes(), format="pdf")


CORPUS = DATA / "corpus" / "cables"
CABLE_DATED_STAMPS = [
    # (telegram, created, body start): the stamp is read, then cut so the banner opens a line
    (
        "Cable dated:2002-11-15T12:40:00S E C R E T ANKARA 008305\nTAGS: PTER TU\nSUBJECT: X\n",
        "2002-11-15T12:40:00Z",
        "S E C R E T ANKARA 008305\nTAGS: PTER TU",
    ),
    (
        "At 10:15: Cable dated: 2002-11-15T12:40:00\nSECRET ANKARA 008305\nTAGS: PTER TU\n",
        "2002-11-15T12:40:00Z",
        "SECRET ANKARA 008305\nTAGS: PTER TU",
    ),
    (  # a date after another label is no stamp
        "Printed:2002-11-15T12:40:00\nSECRET ANKARA 008305\nTAGS: PTER TU\n",
        None,
        "SECRET ANKARA 008305\nTAGS: PTER TU",
    ),
]


@pytest.mark.parametrize(("telegram", "created", "body_start"), CABLE_DATED_STAMPS)
def test_cable_dated_stamp(telegram: str, created: str | None, body_start: str) -> None:
    document = parse_cable(telegram, format="telegram")
    assert document["created"] == created
    assert document["body"].startswith(body_start)


CORPUS_CASES = [
    # (file, key, expected): edge cases of the corpus (see tests/data/corpus/SOURCES.md)
    ("08ECTION01OF02MANAMA492.html", "reference_id", "08MANAMA492"),
    ("08ECTION01OF02MANAMA492.html", "reference_id_as_written", "08ECTION01OF02MANAMA492"),
    ("09SECTION02OF03QRIPOLI583.html", "reference_id", "09TRIPOLI583"),
    ("09SECTION02OF03QRIPOLI583.html", "sections", 3),
    ("09EFTOLONDON2618.html", "reference_id", "09LONDON2618"),
    ("09EFTOLONDON2618.html", "classification", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
    ("09EFTOLONDON2618.html", "caveats", ["FOR OFFICIAL USE ONLY"]),
    ("08SCTION02OF02SAOPAULO335.html", "station", "SAOPAULO"),
    ("08SCTION02OF02SAOPAULO335.html", "origin", "Consulate Sao Paulo"),
    ("06LAPAZ3400.html", "classification", "SECRET//NOFORN"),
    ("06LAPAZ3400.html", "classification_level", 3),
    ("06LAPAZ3400.html", "sections", 5),
    ("66BUENOSAIRES2481.html", "precedence", "PRIORITY"),  # "TO SECSTATE WASHDC PRIORITY"
    ("66BUENOSAIRES2481.html", "date_time_group", "281848Z DEC 66"),
    ("1973STATE097844_b.html", "date_time_group", "221828Z MAY 73"),  # written "221828 Z MAY 73"
    ("1973STATE097844_b.html", "classification", "LIMITED OFFICIAL USE"),
    ("1973STATE097844_b.html", "classification_level", 1),
    ("1973STATE097844_b.html", "sender", "SECSTATE WASHDC"),
    ("03ABUDHABI2641.html", "sender", "AMEMBASSY ABU DHABI"),  # header after a TAGS: preamble
    ("03ABUDHABI2641.html", "precedence", "IMMEDIATE"),
    ("09CAIRO1639.html", "subject", None),  # a ZFR "please cancel" cable has no subject
    (
        "05THEHAGUE789.html",
        "subject",  # preview "... THE NET..." then the whole text
        "SCENESETTER FOR DEPUTY SECRETARY ZOELLICK'S APRIL 1 VISIT TO THE NETHERLANDS",
    ),
    ("09MEXICO160.html", "date_time_group", "212238Z JAN 09"),  # header inside the body block
    ("07BERN881.html", "created", "2007-09-11T09:44:00Z"),  # page says 09:09 (hour mod 12)
]


@pytest.mark.parametrize(
    ("name", "key", "expected"), CORPUS_CASES, ids=[f"{n}-{k}" for n, k, _ in CORPUS_CASES]
)
def test_corpus_edge_case(name: str, key: str, expected: Any) -> None:
    assert parse_cable((CORPUS / name).read_bytes())[key] == expected


WARNED = [
    ("09CAIRO1639.html", "no_subject"),
    ("03THEHAGUE1453.html", "no_routing_header"),  # "This record is a partial extract"
    ("09MEXICO160.html", "csv_fields_in_text"),
    ("06NEWDELHI5237.txt", "decoded_as_cp1252"),
]


@pytest.mark.parametrize(("name", "code"), WARNED)
def test_corpus_warning(name: str, code: str) -> None:
    warnings = parse_cable((CORPUS / name).read_bytes())["warnings"]
    assert code in {warning["code"] for warning in warnings}
