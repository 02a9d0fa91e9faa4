"""Property tests: any input gives a document or CableParseError, never another exception."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.parsing import CableParseError, parse_cable

DATA = Path(__file__).parents[1] / "data"
REAL_CABLES = [
    DATA / "seed" / "06ALMATY1457.txt",
    DATA / "corpus" / "cables" / "07BERN881.html",  # holds raw cables.csv rows
    DATA / "corpus" / "cables" / "1974ATHENS03099_b.html",  # PlusD page
    DATA / "corpus" / "cables" / "06NEWDELHI5237.txt",  # cp1252, CRLF
    DATA / "corpus" / "cables" / "08MOSCOW3343.json",  # JSONP
]
# Fragments of cable syntax, so that random text often reaches the deeper parsing code.
CABLE_WORDS = [
    "VZCZCXRO0096\n",
    "DE RUEHTA #1457/01 1110416\n",
    "P 210416Z APR 06\n",
    "FM AMEMBASSY ALMATY\n",
    "TO RUEHC/SECSTATE WASHDC PRIORITY 5023\n",
    "INFO ",
    "XMT ",
    "C O N F I D E N T I A L SECTION 01 OF 03 ALMATY 001457\n",
    "UNCLAS E F T O ",
    "ALMATY 00001457 002 OF 003\n",
    "PAGE 02 HARARE 05461 01 OF 02 271458Z",
    "SIPDIS\n",
    "NOFORN\n",
    "E.O. 12958: DECL: 04/19/2015\n",
    "TAGS: KZ PGOV PREL\n",
    "SUBJECT: (C) A SUBJECT\n",
    "REF: A. STATE 12345\n",
    "Classified By: AMBASSADOR JOHN ORDWAY FOR REASONS 1.4(B) and (D)\n",
    "1. (C) Summary: text. End Summary.\n",
    "Participants: A/S Richard Boucher, Ambassador Ordway\n",
    "<table class='cable'><td>x</td></table><pre>",
    "</pre>",
    '{"items": [{"id": "06ALMATY1457", "text": "',
    "cablegrab(",
    "&#x000A;",
    "\t",
    "\r\n",
    "\n\n\n",
    "ORDWAY\n",
]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parses_or_refuses(data: str | bytes, **options: Any) -> dict[str, Any] | None:
    """parse_cable's document, or None when it raised CableParseError; any other error fails."""
    try:
        document = parse_cable(data, **options)
    except CableParseError as error:
        assert str(error)
        return None
    assert isinstance(document["warnings"], list)
    assert isinstance(document["body"], str)
    return document


@SETTINGS
@given(st.text())
def test_any_text(text: str) -> None:
    parses_or_refuses(text)


@SETTINGS
@given(st.binary())
def test_any_bytes(data: bytes) -> None:
    parses_or_refuses(data)


@SETTINGS
@given(st.lists(st.sampled_from(CABLE_WORDS) | st.text(max_size=20), max_size=40))
def test_any_mix_of_cable_syntax(pieces: list[str]) -> None:
    parses_or_refuses("".join(pieces))


@SETTINGS
@given(
    st.sampled_from(REAL_CABLES),
    st.lists(
        st.tuples(
            st.sampled_from(["delete", "duplicate", "insert", "truncate", "flip"]),
            st.floats(0, 1),
            st.floats(0, 1),
            st.binary(max_size=30),
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_mutated_real_cables(path: Path, mutations: list[tuple[str, float, float, bytes]]) -> None:
    data = bytearray(path.read_bytes())
    for operation, start_share, length_share, payload in mutations:
        start = int(start_share * len(data))
        end = min(len(data), start + int(length_share * 2000))
        if operation == "delete":
            del data[start:end]
        elif operation == "duplicate":
            data[start:start] = data[start:end]
        elif operation == "insert":
            data[start:start] = payload
        elif operation == "truncate":
            del data[start:]
        elif data:
            data[min(start, len(data) - 1)] ^= 0xFF
    parses_or_refuses(bytes(data))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children)
    ),
    max_leaves=8,
)
METADATA_KEYS = ["reference_id", "created", "released", "origin", "classification", "references"]


@SETTINGS
@given(st.dictionaries(st.sampled_from(METADATA_KEYS) | st.text(max_size=10), JSON_VALUES))
def test_any_metadata_beside_a_real_telegram(metadata: dict[str, Any]) -> None:
    telegram = REAL_CABLES[0].read_text("utf-8").split("pdf how-to read a cable", 1)[-1]
    parses_or_refuses(telegram, metadata=metadata)


@pytest.mark.parametrize("path", REAL_CABLES, ids=[path.name for path in REAL_CABLES])
@pytest.mark.parametrize(
    "format",
    ["plusd-text", "cablegate-html", "plusd-html", "telegram", "csv-row", "cablesearch-json"],
)
def test_every_forced_format_on_every_form(path: Path, format: str) -> None:
    parses_or_refuses(path.read_bytes(), format=format)


MEGABYTE = 1_000_000
# Inputs built to make a backtracking regex explode; each must simply complete.
PATHOLOGICAL = {
    "1 MB single line": "x" * MEGABYTE,
    "100,000 blank lines": "\n" * 100_000,
    "100,000 blank lines after a banner": "SECRET STATE 000123\n" + "\n" * 100_000,
    "1 MB of spaces on one line": "TAGS:" + " " * MEGABYTE,
    "1 MB banner line": "C O N F I D E N T I A L " * (MEGABYTE // 24),
    "1 MB of 'FM ' lines": "FM AMEMBASSY X\n" * (MEGABYTE // 15),
    "1 MB of address lines": "TO RUEHC/SECSTATE WASHDC PRIORITY 5023\n" * (MEGABYTE // 40),
    "1 MB of page-marker-like text": "ALMATY 00001457 002 OF " * (MEGABYTE // 23),
    "1 MB of old page headers": "PAGE 02 HARARE 05461 01 OF 02 " * (MEGABYTE // 30),
    "1 MB of digits": "1" * MEGABYTE,
    "1 MB of '<pre' without end": "<table class='cable'>" + "<pre" * (MEGABYTE // 4),
    "1 MB of entities": "<pre>" + "&#x000A;&amp;" * (MEGABYTE // 13) + "</pre>",
    "1 MB of unclosed comments in a page": "<table class='cable'></table><pre>x</pre><pre>"
    + "<!--" * (MEGABYTE // 4)
    + "</pre>",
    "1 MB of unclosed PlusD fields": '<div class="s_key">' * (MEGABYTE // 19),
    "a classification line padded with 1 MB of spaces": "SECRET" + " " * MEGABYTE + "x\n",
    "an FM line padded with 1 MB of spaces": "FM AMEMBASSY X" + " " * MEGABYTE + "y\nTO Z\n",
    "an address line padded with 1 MB of spaces": "FM X\nTO A" + " " * MEGABYTE + "B\n",
    "1 MB one-line telegram": "UNCLAS STATE 000123 TAGS: PREL SUBJECT: X "
    + "word " * (MEGABYTE // 5),
}


# The same payloads behind a cable opening, so that every field parser runs over them.
CABLE_OPENING = "VZCZCXRO0096\nP 210416Z APR 06\nFM AMEMBASSY ALMATY\nTO RUEHC/SECSTATE WASHDC\n"
CABLE_OPENING += "C O N F I D E N T I A L ALMATY 001457\nTAGS: KZ PGOV\nSUBJECT: X\n1. (C) "


@pytest.mark.parametrize("opening", ["", CABLE_OPENING], ids=["bare", "in a cable"])
@pytest.mark.parametrize("text", list(PATHOLOGICAL.values()), ids=list(PATHOLOGICAL))
def test_pathological_input_completes(opening: str, text: str) -> None:
    parses_or_refuses(opening + text)
