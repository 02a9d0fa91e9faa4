"""Fields read from the telegram body, on real snippets cut from the corpus (tests/data/corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.parsing import fields
from service.parsing.fields import blocks, paragraphs, references, scan, signer
from service.parsing.text import normalize_newlines, remove_page_markers

DATA = Path(__file__).resolve().parents[1] / "data"
SEED = DATA / "seed" / "06ALMATY1457.txt"
TELEGRAMS = sorted((DATA / "corpus" / "cables").glob("*.txt"))


@pytest.fixture(scope="module")
def seed_body() -> str:
    """The seed cable's telegram, from its first classification line on."""
    text = remove_page_markers(normalize_newlines(SEED.read_text("utf-8")))
    return text[text.index("C O N F I D E N T I A L SECTION 01") :]


# --- TAGS --------------------------------------------------------------------------------------

TAGS_CASES = [
    # 06ALMATY1457 (the seed)
    ("TAGS: KZ PGOV PREL\nSUBJECT: KAZAKHSTAN: A/S BOUCHER", ["KZ", "PGOV", "PREL"]),
    # 00HARARE5461: comma separated, no colon, organization tag with a hyphen
    (
        "TAGS PGOV, PINS, ZI, MDC, ZANU-PF \n\nSUBJECT:  ZANU-PF",
        ["PGOV", "PINS", "ZI", "MDC", "ZANU-PF"],
    ),
    # 09SANTIAGO324: person tag written as words after OVIP, wrapped onto the next line
    (
        "TAGS: OVIP BIDEN JOSEPH PREL ECON PGOV SOCI UK PK\nAF\nSUBJECT: VICE PRESIDENT",
        ["OVIP", "BIDEN, JOSEPH", "PREL", "ECON", "PGOV", "SOCI", "UK", "PK", "AF"],
    ),
    # 09SINGAPORE529: person tag in parentheses
    (
        "TAGS OVIP (STEINBERG, JAMES B.), PREL, MNUC, ECON, SN, CH, \nKN \nSUBJECT: DEPUTY",
        ["OVIP", "STEINBERG, JAMES B.", "PREL", "MNUC", "ECON", "SN", "CH", "KN"],
    ),
    # 09BEIJING2963: lower case, wrapped after a trailing comma
    (
        "Tags: ovip (steinberg, james b.), prel, parm, pgov, econ,\netra, mnuc, marr, ch, jp, kn, "
        "ks, ir\nSubject: deputy secretary",
        [
            "OVIP",
            "STEINBERG, JAMES B.",
            "PREL",
            "PARM",
            "PGOV",
            "ECON",
            "ETRA",
            "MNUC",
            "MARR",
            "CH",
            "JP",
            "KN",
            "KS",
            "IR",
        ],
    ),
    # 09BEIRUT818: the wrapped line the Cablegate page's tag links miss
    (
        "TAGS: PREL PGOV PINR PTER MASS MARR MOPPS LE SY IR\nPK, AF \nSUBJECT: LEBANON",
        ["PREL", "PGOV", "PINR", "PTER", "MASS", "MARR", "MOPPS", "LE", "SY", "IR", "PK", "AF"],
    ),
    # 08BRASILIA93: glued codes
    ("TAGS: MASSMNUC NPT PARM PREL\nSUBJECT: BRAZIL'S", ["MASS", "MNUC", "NPT", "PARM", "PREL"]),
    # 02ROME1196: duplicates dropped, glued IT+PHUM split, a multi-word tag kept whole
    (
        "TAGS PHUM, OPRC, OPRC, OPRC, OPRC, IT, ITPHUM, ITPHUM, ITPHUM, HUMAN RIGHTS \nSUBJECT: AS",
        ["PHUM", "OPRC", "IT", "HUMAN RIGHTS"],
    ),
    # 08BRASILIA236: TAGS on the E.O. line, repeated on the next line
    (
        "E.O. 12958: DECL: 02/14/2018 TAGS: BR PREL MARR\nBR, PREL, MARR \nSUBJECT: AMBASSADOR'S",
        ["BR", "PREL", "MARR"],
    ),
    # 02ANKARA8305: a flattened header, TAGS then a paragraph on the same line
    (
        "ANKARA 008305S/CT FOR REAPE.O. 12958: DECL: 11/14/2012 TAGS: PTER TU\n\n¶1. (U)",
        ["PTER", "TU"],
    ),
    # 07PARIS159: "(PRIMARY TAG)" in the correction caption is not the TAGS line
    (
        "C O R R E C T E D C O P Y (PRIMARY TAG) \n \nE.O. 12958: DECL: 01/16/2017 \n"
        "TAGS: KDEM LE PGOV PREL FR IR\nSUBJECT: FRANCE",
        ["KDEM", "LE", "PGOV", "PREL", "FR", "IR"],
    ),
    # the examples: a person tag in parentheses after codes, a glued run of codes
    ("TAGS: KPAO, OVIP (BIDEN, JOSEPH)\nSUBJECT: X", ["KPAO", "OVIP", "BIDEN, JOSEPH"]),
    ("TAGS: ETRDEINVECINPGOVCS\nSUBJECT: X", ["ETRD", "EINV", "ECIN", "PGOV", "CS"]),
    # a letter whose lower case is longer ("İ") must not shift where the keyword is found
    ("DEPT FOR İSTANBUL \nTAGS: PREL TU\nSUBJECT: X", ["PREL", "TU"]),
    # 09CAIRO1639 kind of text: no TAGS line at all
    ("SUBJECT: PLEASE CANCEL THIS MESSAGE\n\n1. Cable was sent in error.", []),
]


@pytest.mark.parametrize(("text", "expected"), TAGS_CASES)
def test_parse_tags(text: str, expected: list[str]) -> None:
    assert fields.parse_tags(text) == expected


def test_tag_details_and_keys_correct_misspellings_and_persons() -> None:
    # 00TASHKENT4223 writes RU for Russia, whose code is RS; 09SANTIAGO324 has a person tag.
    tags = ["PREL", "RU", "BIDEN, JOSEPH"]
    details = fields.tag_details(tags)
    assert [d["kind"] for d in details] == ["subject", "geographic", "person"]
    assert details[1]["corrected"] == "RS"
    assert fields.tag_keys(tags) == ["PREL", "RU", "RS", "BIDEN, JOSEPH", "OVIP"]


# --- SUBJECT -----------------------------------------------------------------------------------

SUBJECT_CASES = [
    # 06ALMATY1457: wrapped over two lines
    (
        "SUBJECT: KAZAKHSTAN: A/S BOUCHER DISCUSSES DEMOCRATIZATION\nCOMMISSION WITH POLITICAL "
        "OPPOSITION\n\nClassified By: AMBASSADOR JOHN ORDWAY",
        "KAZAKHSTAN: A/S BOUCHER DISCUSSES DEMOCRATIZATION COMMISSION WITH POLITICAL OPPOSITION",
        None,
    ),
    # 08ABUJA320: a leading marking with a caveat
    (
        "SUBJECT: (S/NF) NIGERIA: KANO BUSINESSMAN ALLEGES YAR'ADUA\nCORRUPTION\n\nREF: 07 ABUJA",
        "NIGERIA: KANO BUSINESSMAN ALLEGES YAR'ADUA CORRUPTION",
        "S/NF",
    ),
    # 08BERLIN643: lower case marking
    (
        "Subject: (s) germany requests information concerning\niranian procurement of "
        "xxxxxxxxxxxx test chamber\n\nRef: a. 07 state 75839",
        "germany requests information concerning iranian procurement of xxxxxxxxxxxx test chamber",
        "S",
    ),
    # 90CAPETOWN97: SUBJ: spelling
    (
        "SUBJ: ESSA MOOSA TALKS ABOUT MANDELA AND OTHER TOPICS\n\n1. ",
        "ESSA MOOSA TALKS ABOUT MANDELA AND OTHER TOPICS",
        None,
    ),
    # 03BRASILIA2231: Classified By on the same line
    (
        "SUBJECT: BRAZIL'S ARSLANIAN: FTAA COMPROMISE POSSIBLE Classified By: Janice Fair",
        "BRAZIL'S ARSLANIAN: FTAA COMPROMISE POSSIBLE",
        None,
    ),
    # 06MINSK641: a page marker right after the subject
    (
        "SUBJECT: BELARUS’ TOP 50 OLIGARCHS \nMINSK 00000641 001.3 OF 005\nClassified By: AMB",
        "BELARUS’ TOP 50 OLIGARCHS",
        None,
    ),
    # 09ISLAMABAD3037: the site's date line after the wrapped subject
    (
        "SUBJECT: BALOCH REQUEST UNHCR FACILITATE MOVEMENT OF \nBRAHMDAGH BUGTI TO IRELAND\n"
        "Friday, 18 December 2009, 11:04\nS E C R E T SECTION 01 OF 02 ISLAMABAD 003037",
        "BALOCH REQUEST UNHCR FACILITATE MOVEMENT OF BRAHMDAGH BUGTI TO IRELAND",
        None,
    ),
    # 08TRIPOLI220: no SUBJECT line (cablemap expects no subject)
    ("TAGS: PGOV PREL PHUM PINR LY\n\nCLASSIFIED BY: Chris Stevens, CDA", None, None),
]


@pytest.mark.parametrize(("text", "subject", "marking"), SUBJECT_CASES)
def test_parse_subject(text: str, subject: str | None, marking: str | None) -> None:
    assert fields.parse_subject(text) == subject
    assert fields.parse_subject_marking(text) == marking


# --- REFERENCES --------------------------------------------------------------------------------


def cable(ref_id: str | None, bullet: str | None, text: str) -> dict[str, str | None]:
    """An expected cable reference."""
    return {"kind": "cable", "id": ref_id, "bullet": bullet, "text": text}


def other(kind: str, bullet: str | None, text: str) -> dict[str, str | None]:
    """An expected non-cable reference."""
    return {"kind": kind, "id": None, "bullet": bullet, "text": text}


REFERENCE_CASES = [
    # the example: the citing cable's year and station complete the id
    (
        "REF: A. ALMATY 1234 B. 05 STATE 123\n\nClassified By: AMBASSADOR JOHN ORDWAY",
        "06ALMATY1457",
        [cable("06ALMATY1234", "A", "ALMATY 1234"), cable("05STATE123", "B", "05 STATE 123")],
    ),
    # 66BUENOSAIRES2481: semicolon separated, an airgram that is not a telegram
    (
        "REF: STATE 106206 CIRCULAR; STATE CA-3400 NOV 2, 1966 \n \n \n1.  PRESS REPORTS",
        "66BUENOSAIRES2481",
        [
            cable("66STATE106206", None, "STATE 106206 CIRCULAR"),
            other("other", None, "STATE CA-3400 NOV 2, 1966"),
        ],
    ),
    # 03BRASILIA698: "A)" bullets, SECSTATE for STATE, two-digit years
    (
        "REF: A) SECSTATE 43420 \nB) 02 BRASILIA 1869 \nC) 02 SAO PAULO 268 \n\n¶1. Summary.",
        "03BRASILIA698",
        [
            cable("03STATE43420", "A", "SECSTATE 43420"),
            cable("02BRASILIA1869", "B", "02 BRASILIA 1869"),
            cable("02SAOPAULO268", "C", "02 SAO PAULO 268"),
        ],
    ),
    # 07BERN881: "¶B." bullets (Cablegate anchors) and an e-mail
    (
        "REF: A. STATE 124823 \n \n     ¶B. GUHA-CARTER E-MAIL (07SEP07) \n     ¶C. BERN 860 \n"
        " \nClassified By: Charg d'Affaires",
        "07BERN881",
        [
            cable("07STATE124823", "A", "STATE 124823"),
            other("email", "B", "GUHA-CARTER E-MAIL (07SEP07)"),
            cable("07BERN860", "C", "BERN 860"),
        ],
    ),
    # 90BAGHDAD4397: "(A)" bullets and telcons wrapped over a line
    (
        "REF: (A) STATE 253201 (B) WILSON/MACK\nTELECON (C) WILSON/CHARLES TELECON\n\n\n1. (C)",
        "90BAGHDAD4397",
        [
            cable("90STATE253201", "A", "STATE 253201"),
            other("telcon", "B", "WILSON/MACK TELECON"),
            other("telcon", "C", "WILSON/CHARLES TELECON"),
        ],
    ),
    # 08BRASILIA429: doubled bullets and a report
    (
        "REF: A. A) BRASILIA 236 B. B) OSD REPORT DTG 251847Z MAR 08 C. C) BRASILIA 175 \n"
        "Classified By: Ambassador Clifford Sobel.",
        "08BRASILIA429",
        [
            cable("08BRASILIA236", "A", "BRASILIA 236"),
            other("report", "B", "OSD REPORT DTG 251847Z MAR 08"),
            cable("08BRASILIA175", "C", "BRASILIA 175"),
        ],
    ),
    # 10SHENYANG5: year glued to the station; 09UNVIEVIENNA279's short station form
    (
        "REF: A. 10SHENYANG 003  B. 09SHENYANG 167\nClassified By: Consul General",
        "10SHENYANG5",
        [
            cable("10SHENYANG3", "A", "10SHENYANG 003"),
            cable("09SHENYANG167", "B", "09SHENYANG 167"),
        ],
    ),
    (
        "REF: A. UNVIE 109 \n     ¶B. UNVIE 201 \n \n¶1. (SBU) Summary:",
        "09UNVIEVIENNA279",
        [cable("09UNVIEVIENNA109", "A", "UNVIE 109"), cable("09UNVIEVIENNA201", "B", "UNVIE 201")],
    ),
    # "UNVIE 109" is the Vienna mission's cable whoever cites it (a 2009 STATE cable here)
    (
        "REF: UNVIE 109\n\n1. (U) text",
        "09STATE1234",
        [cable("09UNVIEVIENNA109", None, "UNVIE 109")],
    ),
    # 07ISLAMABAD5288: two cables in one bullet; 2005 written with four digits (06BUCHAREST576)
    (
        "REF: A. ISLAMABAD 5266 ISLAMABAD 4817  B. 2005 BUCHAREST 2550\n\nClassified By: Anne",
        "07ISLAMABAD5288",
        [
            cable("07ISLAMABAD5266", "A", "ISLAMABAD 5266"),
            cable("07ISLAMABAD4817", "A", "ISLAMABAD 4817"),
            cable("05BUCHAREST2550", "B", "2005 BUCHAREST 2550"),
        ],
    ),
    # 09MALABO13-like memcon, and a reference without the citing id: no year, no id
    (
        "REF: A. MEMCON OF MARCH 3  B. STATE 1234\n\n1. (C) text",
        None,
        [other("memcon", "A", "MEMCON OF MARCH 3"), cable(None, "B", "STATE 1234")],
    ),
    # 09ABUDHABI754: "REF A ... REF B" bullets without punctuation
    (
        "REF A SECRETARY'S LETTER TO MBZ ON PUMA HELICOPTERS \nREF B SECSTATE 76108\n\n"
        "Classified By: Ambassador Richard G. Olson",
        "09ABUDHABI754",
        [
            other("letter", "A", "SECRETARY'S LETTER TO MBZ ON PUMA HELICOPTERS"),
            cable("09STATE76108", "B", "SECSTATE 76108"),
        ],
    ),
    # 08HELSINKI374: the first paragraph follows the REF line without a number
    (
        "SUBJECT: FINNISH COMMENTS REF: STATE 86108 (SBU)\nPoloff delivered GAERC points to MFA",
        "08HELSINKI374",
        [cable("08STATE86108", None, "STATE 86108")],
    ),
    # the "REFS: (A) 06 ALMATY 1234", cited by a 2007 cable
    (
        "REFS: (A) 06 ALMATY 1234 (B) ALMATY 1300\n\nClassified By: x",
        "07ALMATY5",
        [cable("06ALMATY1234", "A", "06 ALMATY 1234"), cable("07ALMATY1300", "B", "ALMATY 1300")],
    ),
    # 08LONDON2766: "REF" inside the caption line, without a colon
    (
        "UNCLAS LONDON 002766\n\nSENSITIVE SIPDIS REF LONDON 01170\n\nE.O. 12598: N/A",
        "08LONDON2766",
        [cable("08LONDON1170", None, "LONDON 01170")],
    ),
    # 09ISTANBUL399: Cablegate's "¶B." inside a parenthesis is no bullet; "(B)" is
    (
        "REF: A. (A) ISTANBUL 279 (NODIS\n¶B. NOTAL) (B) ISTANBUL 336 (C) ISTANBUL 394\n\n"
        "Classified By: Deputy Principal Officer Win Dayton; Reason 1.5 (d)",
        "09ISTANBUL399",
        [
            cable("09ISTANBUL279", "A", "ISTANBUL 279 (NODIS B. NOTAL)"),
            cable("09ISTANBUL336", "B", "ISTANBUL 336"),
            cable("09ISTANBUL394", "C", "ISTANBUL 394"),
        ],
    ),
    # an unclosed parenthesis does not hide the bullets after it
    (
        "REF: A. STATE 12 (NOTAL B. STATE 34\n\n1. (C) text",
        "09ISTANBUL399",
        [cable("09STATE12", "A", "STATE 12 (NOTAL"), cable("09STATE34", "B", "STATE 34")],
    ),
    # 06ALMATY1457: no REF line
    ("SUBJECT: KAZAKHSTAN\n\nClassified By: AMBASSADOR JOHN ORDWAY", "06ALMATY1457", []),
]


@pytest.mark.parametrize(("text", "reference_id", "expected"), REFERENCE_CASES)
def test_parse_references(text: str, reference_id: str | None, expected: list[dict]) -> None:
    assert fields.parse_references(text, reference_id=reference_id) == expected


def test_misspelled_station_in_reference_is_corrected() -> None:
    # 06SANJOSE2734: "C) SAN JSE 1955" in a list that starts at A
    text = "REF: A. STATE 19152 B. SAN JOSE 2223 (EXDIS) C. SAN JSE 1955\n\nClassified By: x"
    ids = [ref["id"] for ref in fields.parse_references(text, reference_id="06SANJOSE2734")]
    assert ids == ["06STATE19152", "06SANJOSE2223", "06SANJOSE1955"]


REF_KEYWORD_TEXTS = [
    "SUBJECT: TALKS\n\nREF: A. STATE 1234 B. ALMATY 55",
    "SIPDIS\n  \u00b6 REF ALMATY 1234\n",
    "the preferred reference, REFTELS: STATE 1",
    "Refs: (A) 08 LONDON 12",
    "REF" + " " * 90 + ":",
    "(REF A) ... SENSITIVE SIPDIS REF LONDON 01170",
    "reference " * 30 + "\nREF: STATE 5",
    "xREF: STATE 5 Ref STATE 6 rEF: 7",
]


@pytest.mark.parametrize("text", REF_KEYWORD_TEXTS)
def test_screened_reference_keyword_finds_what_the_plain_search_finds(text: str) -> None:
    for start in range(0, len(text), 5):  # every alignment of the keyword windows
        plain = scan.find(references._REF_KEYWORD, scan.Body(text[start:]), "ref")
        screened = references._reference_keyword(scan.Body(text[start:]))
        assert (screened and screened.span()) == (plain and plain.span())


# --- CLASSIFIED BY -----------------------------------------------------------------------------

CLASSIFIED_BY_CASES = [
    # 06ALMATY1457
    (
        "Classified By: AMBASSADOR JOHN ORDWAY FOR REASONS 1.4(B) and (D)\n\n1. (C)",
        {"name": "John Ordway", "title": "Ambassador", "reasons": ["1.4(b)", "1.4(d)"]},
    ),
    # 08TRIPOLI220: name first, then the title
    (
        "CLASSIFIED BY: Chris Stevens, CDA, Embassy Tripoli, Dept of State. REASON: 1.4 (b), (d)\n",
        {"name": "Chris Stevens", "title": "CDA", "reasons": ["1.4(b)", "1.4(d)"]},
    ),
    # the example of a title before the name and letters without parentheses
    (
        "Classified by Political Counselor Ted Tanoue, reasons 1.4 b/d\n\n",
        {"name": "Ted Tanoue", "title": "Political Counselor", "reasons": ["1.4(b)", "1.4(d)"]},
    ),
    # 07BERN881: reasons wrapped onto the next line
    (
        "Classified By: Charg d'Affaires a.i. Leigh Carter; reasons 1.4(b) and ( \nd). \n \n",
        {"name": "Leigh Carter", "title": "Charg d'Affaires a.i.", "reasons": ["1.4(b)", "1.4(d)"]},
    ),
    # 10ATHENS57: flattened, the first paragraph follows on the same line
    (
        "CLASSIFIED BY: Daniel V. Speckhard, Ambassador, State, EXEC; REASON: 1.4(B), (C), (D)"
        "  1.  (C)  \n\nSUMMARY: During",
        {
            "name": "Daniel V. Speckhard",
            "title": "Ambassador",
            "reasons": ["1.4(b)", "1.4(c)", "1.4(d)"],
        },
    ),
    # 05CAIRO5924: capitals, an initial glued to the surname
    (
        "Classified By: CHARGE STUART E.JONES, REASONS 1.5 B AND D \n\n",
        {"name": "Stuart E. Jones", "title": "Charge", "reasons": ["1.5(b)", "1.5(d)"]},
    ),
    # 08LAGOS368: a two-word title
    (
        "Classified By: Consul General Donna M. Blair for reasons 1.4 (B) and (D)\n\n",
        {"name": "Donna M. Blair", "title": "Consul General", "reasons": ["1.4(b)", "1.4(d)"]},
    ),
    # 03THEHAGUE1865: keyword repeated and "REASONS" broken by the wrap
    (
        "Classified By: CLASSIFIED BY CHARGE D'AFFAIRES DANNY R. RUSSEL FOR REAS \n"
        "ONS 1.5 (B AND D)"
        "\n\n",
        {"name": "Danny R. Russel", "title": "Charge D'Affaires", "reasons": ["1.5(b)", "1.5(d)"]},
    ),
    # 02ANKARA8305: inside paragraph 1
    (
        "¶1. (U) CLASSIFIED BY DCM ROBERT S. DEUTSCH; REASONS 1.5 (B) AND (D).  \n\n",
        {"name": "Robert S. Deutsch", "title": "DCM", "reasons": ["1.5(b)", "1.5(d)"]},
    ),
    # 01STATE176819: the title is the part after the name, wrapped
    (
        "(U) CLASSIFIED BY: CHRISTINA B. ROCCA, ASSISTANT SECRETARY \nFOR SOUTH ASIAN AFFAIRS; "
        "REASON: 1.5 (B AND D). \n",
        {
            "name": "Christina B. Rocca",
            "title": "Assistant Secretary for South Asian Affairs",
            "reasons": ["1.5(b)", "1.5(d)"],
        },
    ),
    # 09STATE132349: the section number after a blank line
    (
        "Classified By: ELISSA G. PITTERLE, DIRECTOR, INR/OPS. REASON: \n\n1.4(C).\n\n1. (C)",
        {"name": "Elissa G. Pitterle", "title": "Director", "reasons": ["1.4(c)"]},
    ),
    # 66BUENOSAIRES2481: "DECLASSIFIED BY NARA" is not a classifying official
    ("E.O. 12958: DECL: DECLASSIFIED BY NARA 09/02/2009 \nTAGS: EFIS, PBTS, AR", None),
]


@pytest.mark.parametrize(("text", "expected"), CLASSIFIED_BY_CASES)
def test_parse_classified_by(text: str, expected: dict | None) -> None:
    assert fields.parse_classified_by(text) == expected


# --- DECLASSIFICATION --------------------------------------------------------------------------

DECLASSIFICATION_CASES = [
    # 06ALMATY1457
    ("E.O. 12958: DECL: 04/19/2015\nTAGS: KZ PGOV PREL", "12958", "2015-04-19", None),
    # 08LONDON2766: N/A and an E.O. typo kept as written
    ("E.O. 12598: N/A \n\nTAGS: ECON KTFN UK", "12598", None, None),
    # 01PRETORIA1173: "EO" without dots
    ("EO 12958 DECL: 02/22/2011 \nTAGS PREL, PGOV, SF", "12958", "2011-02-22", None),
    # 09SAOPAULO663: year first
    ("E.O. 12958: DECL: 2019/12/08 \nTAGS: PGOV", "12958", "2019-12-08", None),
    # 09PESHAWAR2: one-digit month and day, TAGS on the same line
    ("E.O. 12958: DECL: 1/3/2019 TAGS: PTER MOPS", "12958", "2019-01-03", None),
    # 1973STATE097844_b: spaced "E. O." and "N/ A"
    ("E. O. 11652:  N/ A\nTAGS:   SPOP  IT", "11652", None, None),
    # PlusD-era rule rather than a date
    ("E.O. 12356: DECL:OADR\nTAGS: PREL", "12356", None, "OADR"),
    # 66BUENOSAIRES2481: declassified text kept as written
    (
        "E.O. 12958: DECL: DECLASSIFIED BY NARA 09/02/2009 \nTAGS: EFIS",
        "12958",
        None,
        "DECLASSIFIED BY NARA 09/02/2009",
    ),
    # the DECL rules that are not dates
    ("E.O. 12958: DECL: X1\nTAGS: PREL", "12958", None, "X1"),
    ("E.O. 12958: DECL: 1.6X6\nTAGS: PREL", "12958", None, "1.6X6"),
    # no E.O. line
    ("TAGS: PREL\nSUBJECT: X", None, None, None),
    # what the E.O. search reads with it, and what it leaves to the text after the E.O.
    ("E.O. 12958: DECLASSIFY ON:\t07/27/16\nTAGS: PREL", "12958", "2016-07-27", None),
    ("E.O. 12958: DECL: 13/27/2016\nTAGS: PREL", "12958", None, "13/27/2016"),
    ("E.O. 12958: DECL:\n07/27/2016\nTAGS: PREL", "12958", None, None),
    ("E.O. 12958: DECL: ON 07/27/2016", "12958", None, "ON 07/27/2016"),
    ("E.O. 12958: DECL:" + " " * 200 + "07/27/2016", "12958", None, None),
    ("E.O. 12958: DECL:\xa007/27/2016 TAGS: PREL", "12958", "2016-07-27", None),
]


@pytest.mark.parametrize(("text", "order", "date", "raw"), DECLASSIFICATION_CASES)
def test_parse_declassification(
    text: str, order: str | None, date: str | None, raw: str | None
) -> None:
    assert fields.parse_declassification(text) == {
        "executive_order": order,
        "declassify_on": date,
        "declassification": raw,
    }


# --- SUMMARY and COMMENT -----------------------------------------------------------------------

SUMMARY_CASES = [
    # 08LONDON2766: inline in paragraph 1, no blank line before paragraph 2
    (
        "1.(SBU) Summary: The UK Court of Appeals supported the asset-freezing\nregime. End "
        "Summary\n\n2.(SBU) Six months after",
        "The UK Court of Appeals supported the asset-freezing regime.",
    ),
    # 07BERN881: a heading, then paragraph 1 with its number and marking removed
    (
        "------- \nSUMMARY \n------- \n \n¶1. (S) Per instructions in reftel A, CDA met FM \n"
        "Calmy-Rey.  End summary. \n \n--------- \nIRAN/IAEA",
        "Per instructions in reftel A, CDA met FM Calmy-Rey.",
    ),
    # 96ANKARA12278: "END SUMMARY" with no start marker
    (
        "¶2. (C) ALONG WITH THE GROWING ELECTORAL STRENGTH OF \nREFAH.  END SUMMARY \n \n¶3. (C)",
        "ALONG WITH THE GROWING ELECTORAL STRENGTH OF REFAH.",
    ),
    # two paragraphs kept apart (the shape of 03ROME2045)
    (
        "¶1. (C) SUMMARY: ITALY ANSWERED THE CALL.\n\n¶2. (C) LOGISTICAL SUPPORT WAS "
        "OUTSTANDING. END SUMMARY.\n\n¶3. (C) NEXT",
        "ITALY ANSWERED THE CALL.\n\nLOGISTICAL SUPPORT WAS OUTSTANDING.",
    ),
    # no end marker: the summary is its paragraph
    (
        "¶1. (C) Summary: Sao Paulo offers unique possibilities.\n\n¶2. (C) The visit",
        "Sao Paulo offers unique possibilities.",
    ),
    # "SUMMARY AND COMMENT:" and "Begin Summary" openings
    (
        "1. (C) SUMMARY AND COMMENT: The talks went well.\nEND SUMMARY AND COMMENT.\n\n2. (C) X",
        "The talks went well.",
    ),
    (
        "1. (C) Begin Summary. The talks went well. End Summary.\n\n2. (C) Next",
        "The talks went well.",
    ),
    # "summary" inside a sentence is not a summary
    ("2. This cable contains a brief summary of the regional governors.", None),
]


@pytest.mark.parametrize(("text", "expected"), SUMMARY_CASES)
def test_parse_summary(text: str, expected: str | None) -> None:
    assert fields.parse_summary(text) == expected


COMMENT_CASES = [
    # 00HARARE5461: inline comment in parentheses
    (
        "SWEETEN THE DEAL. (COMMENT: THE BRITISH HIGH COMMISSION HERE SCOFFED\nAT THE VERY IDEA. "
        "END COMMENT.)",
        "THE BRITISH HIGH COMMISSION HERE SCOFFED AT THE VERY IDEA.",
    ),
    # 07TBILISI-style paragraph comment ending "End \ncomment."
    (
        "8. (SBU) Comment: Strengthening of the institution of\nregional governors may help.\nEnd "
        "\ncomment. \nTEFFT",
        "Strengthening of the institution of regional governors may help.",
    ),
    # 03ANKARA4230: an inline comment without an end marker loses its closing parenthesis
    (
        '"Kirkuk has been liberated today." (Comment: with the \nimplication that this confirmed '
        "an anti-Turkish intent.) \n \n \n¶4. (C) Next",
        "with the implication that this confirmed an anti-Turkish intent.",
    ),
    # 06BERN141: the marker repeated under a COMMENT heading
    (
        "Comment -------  \n\n13.(C) Comment: Despite being somewhat shaken by attacks in London"
        "\nand Madrid.\n\n14.(C) Next",
        "Despite being somewhat shaken by attacks in London and Madrid.",
    ),
    # 03COLOMBO189: a bare heading after a blank line
    (
        "¶11. (C) I share his concern.\n\nComment \n\n¶12.  (C) Sen is an old-school, Nehruvian "
        "Indian diplomat.\n\n¶13. (C) Next",
        "Sen is an old-school, Nehruvian Indian diplomat.",
    ),
    # 09KABUL3161: a "Comment" heading right under the paragraph before it; the next
    # heading and its underline ("Bio notes") are not part of the comment
    (
        "¶6. (S) The agenda is to include an accounting of ISAF air incursions.\nComment\n\n"
        "¶7. (S) The November 17 BFM will be one among several opportunities.\n\n"
        "Bio notes\n-------\n¶8. (S) Next",
        "The November 17 BFM will be one among several opportunities.",
    ),
    # 09PARIS1040: the last word of a wrapped subject is no heading
    (
        "SUBJECT: WEST AFRICA: FRENCH MFA OFFICIAL'S JULY 30\nCOMMENTS\n\nREF: PARIS 997\n\n"
        "¶1. (C) Summary: text.",
        None,
    ),
    # 02ROME1196: "FOR CLARIFICATION OR COMMENT.)" is not a comment
    ("HAVE NOT CONTACTED US FOR CLARIFICATION OR COMMENT.) WE EMPHASIZED", None),
]


@pytest.mark.parametrize(("text", "expected"), COMMENT_CASES)
def test_parse_comment(text: str, expected: str | None) -> None:
    assert fields.parse_comment(text) == expected


# The marker search screens each keyword window with a byte hint before the marker pattern is
# tried (blocks._find_marker): it must find what the plain windowed search (scan.find)
# finds, on every spelling the patterns allow, the letters that match beyond Latin-1 included.
MARKER_TEXTS = [
    "¶1. (C) Summary: The talks. End Summary.\n\n¶2. (C) Next",
    "1. (C) SUMMARY AND COMMENT: The talks.\nEND SUMMARY AND COMMENT.",
    "1. (C) Begin Summary. The talks. End  of\nsummary.",
    "the talks.  Comment: They went well. End\ncomment.",
    "COMMENT\n-------\n\n1. (C) Comment: The talks",
    "(Comment: The talks.) -- summary - next",
    "\u017fummary: the talks. end \u017fummary. Comment\u017f: x. end\u2003comment\u017f",
    "summary and \u0130ntroduction: the talks. end\u2003summary",
    "a brief summary of the talks; comments from the minister",
    "comment" + " " * 70 + ":",
    "summary " * 40 + "\nSummary: late",
]


@pytest.mark.parametrize("text", MARKER_TEXTS)
def test_screened_marker_search_finds_what_the_plain_search_finds(text: str) -> None:
    body = scan.Body(text)
    for markers in (blocks._SUMMARY_MARKERS, blocks._COMMENT_MARKERS):
        for end_marker, pattern in ((False, markers.start), (True, markers.end)):
            for start in range(0, len(text), 7):
                plain = scan.find(pattern, body, markers.keyword, start)
                screened = blocks._find_marker(body, markers, end_marker=end_marker, start=start)
                assert (screened and screened.span()) == (plain and plain.span())


# --- SIGNER ------------------------------------------------------------------------------------

SIGNER_CASES = [
    # 06ALMATY1457: after a cleared-by paragraph
    ("12. (U) A/S Boucher has cleared this cable.\nORDWAY", "ORDWAY"),
    # 09STATE-style signer with the trailer lines of a raw telegram
    ("REPORTING IN RESPONSE TO THE ABOVE QUESTIONS. \nCLINTON\n\nNNNN", "CLINTON"),
    # a raw telegram's BT and serial lines
    ("THE SECRETARY WILL SEE HIM.\nRICE\nBT\n#1457\nNNNN", "RICE"),
    # 10BRUSSELS4-style: signer in mixed case after END COMMENT
    ("Ambassador to the U.S. END COMMENT.\nFANNIN\n", "FANNIN"),
    # 07MOSCOW-style two-word surname
    ("Post has not received a response from the GOI. \nVAN VOORST\n", "VAN VOORST"),
    # 10ANKARA-style: the classified-website trailer after the signer
    (
        "NATO and even with the U.S.\nJEFFREY\n“Visit Ankara's Classified Web Site at http://x”",
        "JEFFREY",
    ),
    # 09PANAMA-style: a page marker after the signer
    ("continue to reiterate our concerns.\nPEKALA\n\nPARIS 00001040  003 OF 003\n", "PEKALA"),
    # "End Text." closes the text; the signer comes after it
    ("DEMARCHE POINTS. End Text. \nSYMINGTON\n", "SYMINGTON"),
    # the trailers after the name: END TEXT before it, BT, the serial and NNNN after it
    ("THE TEXT FOLLOWS.\nEND TEXT.\nRICE\nBT\n#1457\nNNNN", "RICE"),
    ("14. Embassy Kabul cleared this message.\nMCCULLOUGH", "MCCULLOUGH"),
    # 07KINGSTON482: a three-letter signer
    ("alleviate poverty on the island. \nHEG\n", "HEG"),
    # 08REYKJAVIK173 and 08BERLIN643: a lower-case particle, a suffix
    ("member. \nvan Voorst\n", "van Voorst"),
    ("in responding to the questions posed in the German nonpaper.\nTimken jr\n", "Timken jr"),
    # 06BRIDGETOWN2164: the last word of a wrapped sentence is not a signer
    ("BRIDGETOWN APPRECIATES TRINIDAD'S \nASSISTANCE.", None),
    # 09SECTION02OF03QRIPOLI583: the text runs into the marker of a missing section; the
    # heading above the last paragraph is no signer
    (
        "decide.\n\nREGIONAL ISSUES\n\n9.(S/NF) While Libya's regional focus at present seems"
        " to have concentrated primarily on its pan-African agenda, Qadhafi has skillfully"
        " leveraged the AU Chairmanship. *********************** * Missing Section 003 *"
        " ***********************",
        None,
    ),
    # 10TRIPOLI106 and 08LONDON2814: flattened pages glue the signer to the last sentence
    (
        "DCM, POL/ECON, RAO, PAO, DAO, RSO, and CONS attended. No new names were submitted. CRETZ",
        "CRETZ",
    ),
    ("POC for NODEL Sanders is Warren Chane, Economic Officer.  XXXXXXXXXXXX TUTTLE", "TUTTLE"),
    # ... but not to a sentence in capitals, nor as a trailer word
    ("THE AMBASSADOR WILL ATTEND. RICE WILL NOT.", None),
    ("The meeting ended at noon. SIPDIS", None),
    # a heading (underlined) is not a signer
    ("the peace process.\nRegional Issues\n---------------\n", None),
    # a text that ends in a sentence has no signer
    ("The Secretary expressed interest in the May 2004 Forum.", None),
    ("END COMMENT.\n", None),
]


@pytest.mark.parametrize(("text", "expected"), SIGNER_CASES)
def test_parse_signer(text: str, expected: str | None) -> None:
    assert fields.parse_signer(text) == expected


# The tail is read in place (fields.parse_signer): its first line may be cut by TAIL_LIMIT.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x" * (signer.TAIL_LIMIT - 6) + "\nORDWAY", "ORDWAY"),
        ("text text.\n" + "ORDWAY" + "\n" * (signer.TAIL_LIMIT - 7), "ORDWAY"),
        ("ORDWAY" + "\n" * signer.TAIL_LIMIT, None),
        # the line above is cut where the tail starts: empty, then a comma closing a clause
        ("for the talks,\nASSISTANCE." + "\n" * (signer.TAIL_LIMIT - 12), "ASSISTANCE"),
        ("for the talks,\nASSISTANCE." + "\n" * (signer.TAIL_LIMIT - 13), None),
    ],
)
def test_parse_signer_at_the_tail_limit(text: str, expected: str | None) -> None:
    assert fields.parse_signer(text) == expected


# --- PARAGRAPHS --------------------------------------------------------------------------------

PARAGRAPH_CASES = [
    # 06ALMATY1457: markings C and SBU, section heading dropped from paragraph 1
    (
        "1. (C) Summary: A/S Boucher discussed ways\nto improve.\n\nAnalyzing the Murder\n"
        "--------------\n\n\n2. (SBU) Meeting Participants: SCA A/S Richard Boucher.",
        [
            (1, "C", 2, "Summary: A/S Boucher discussed ways to improve."),
            (2, "SBU", 0, "Meeting Participants: SCA A/S Richard Boucher."),
        ],
    ),
    # 08LONDON2766: no space before the marking
    (
        "1.(SBU) Summary: The UK Court.\n\n2.(SBU) Six months after.",
        [(1, "SBU", 0, "Summary: The UK Court."), (2, "SBU", 0, "Six months after.")],
    ),
    # 08ABUJA320: (S/NF); 09STATE132349: (C/NF)
    (
        "¶1. (S/NF) Summary: Kano businessman.\n¶2. (C/NF) Bio notes.",
        [(1, "S/NF", 3, "Summary: Kano businessman."), (2, "C/NF", 2, "Bio notes.")],
    ),
    # the "2.(SBU)" and "3. (S/NF)"
    (
        "2.(SBU) Text two.\n3. (S/NF) Text three.",
        [(2, "SBU", 0, "Text two."), (3, "S/NF", 3, "Text three.")],
    ),
    # 66BUENOSAIRES2481: un-marked paragraphs
    (
        "1.  PRESS REPORTS CONFIRM.\n\n2.  NAVATT STATES.",
        [(1, None, None, "PRESS REPORTS CONFIRM."), (2, None, None, "NAVATT STATES.")],
    ),
    # 08BERLIN643: lower case marking
    (
        "¶1. (u) this is an action request.\n\n¶2. (S) On May 13.",
        [(1, "U", 0, "this is an action request."), (2, "S", 3, "On May 13.")],
    ),
    # 07TBILISI2290: the "¶2006." of a year broken onto its own line is not paragraph 2006
    (
        "4. (U) Appointed in November\n¶2006.\n\n5. (U) Next.",
        [(4, "U", 0, "Appointed in November 2006."), (5, "U", 0, "Next.")],
    ),
]


# Cables that never number their paragraphs: the blocks after the header, number None.
UNNUMBERED_PARAGRAPH_CASES = [
    # 07SANJOSE48: one paragraph after the REF line, then the signer
    (
        "UNCLAS SAN JOSE 000048\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: EAGR ETRD\n"
        "SUBJECT: RESPONSE TO REQUEST REGARDING TOBACCO ADVOCACY\n\nREF: State 000957\n\n"
        "Per reftel request, this confirms that post has not engaged in any\ntobacco advocacy"
        " activities since January 2004.\n\nLANGDALE",
        [
            (
                None,
                None,
                None,
                "Per reftel request, this confirms that post has not engaged in any"
                " tobacco advocacy activities since January 2004.",
            )
        ],
    ),
    # 09USEUBRUSSELS1177: a wrapped subject, then blocks with headings of their own
    (
        "E.O. 12958: N/A\nTAGS: OTRA AORC CTM SCCC\n\nSUBJECT: World Customs Organization"
        " (WCO) Establishment of\nCounterfeiting and Piracy (CAP) Group\n\nSUMMARY: The WCO"
        " Council recently\napproved the group.\n\nBACKGROUND:\n\nSince the June 2007"
        " Council sessions.\n\nMurray",
        [
            (None, None, None, "SUMMARY: The WCO Council recently approved the group."),
            (None, None, None, "BACKGROUND:"),
            (None, None, None, "Since the June 2007 Council sessions."),
        ],
    ),
    # 08HELSINKI374: the header on two flattened lines, the text marked "(SBU)" on the next
    (
        "UNCLAS HELSINKI 000374 SENSITIVE SIPDIS E.O. 12958: N/A TAGS: PGOV PREL GG RU FI\n"
        "SUBJECT: FINNISH COMMENTS ON AUGUST 13 GEORGIA GAERC REF: STATE 86108\n"
        "(SBU) Poloff delivered GAERC points to MFA Deputy Director Anu Laamanen.",
        [(None, "SBU", 0, "Poloff delivered GAERC points to MFA Deputy Director Anu Laamanen.")],
    ),
    # 03THEHAGUE1865: the marking before the number; a heading between two rules goes
    (
        "SUBJECT: A/S JONES IN THE HAGUE\n\nClassified By: Ambassador Clifford Sobel\n\n"
        "(C) 1. In a visit to The Hague, July 15-16, A/S Jones met\nwith senior officials.\n\n"
        "--------------------------------\nTransatlantic Relations and Iraq\n"
        "--------------------------------\n\n(C)4. In separate meetings.\n\nSOBEL",
        [
            (
                1,
                "C",
                2,
                "In a visit to The Hague, July 15-16, A/S Jones met with senior officials.",
            ),
            (4, "C", 2, "In separate meetings."),
        ],
    ),
    # a fragment without header fields is not known to hold paragraphs
    ("The Secretary expressed interest in the May 2004 Forum.", []),
]


@pytest.mark.parametrize(("text", "expected"), UNNUMBERED_PARAGRAPH_CASES)
def test_unnumbered_paragraphs(text: str, expected: list[tuple]) -> None:
    found = fields.parse_paragraphs(text)
    assert [(p["number"], p["classification"], p["level"], p["text"]) for p in found] == expected


@pytest.mark.parametrize(("text", "expected"), PARAGRAPH_CASES)
def test_parse_paragraphs(text: str, expected: list[tuple]) -> None:
    found = fields.parse_paragraphs(text)
    assert [(p["number"], p["classification"], p["level"], p["text"]) for p in found] == expected


# Paragraph starts are found after line breaks by regex and at "¶" marks by str.find
# (paragraphs._paragraph_matches): the same starts as the pattern's own finditer.
@pytest.mark.parametrize(
    "text",
    [
        "\n¶1. (C) First.\n\n¶2. (S) Second.",
        "\n \t¶1. (C) First. ¶2.(SBU) Flattened. ¶ 3. Third\n4. Fourth",
        "¶1. Opening the text\n¶¶2. doubled mark",
        "\nx¶1. (C) glued\n\ufffd2. lost mark ¶ no number",
    ],
)
def test_paragraph_matches_are_the_patterns_own(text: str) -> None:
    expected = [match.span() for match in paragraphs._PARAGRAPH.finditer(text)]
    assert [match.span() for match in paragraphs._paragraph_matches(text)] == expected


# A trailing heading is matched at the last line break but one (paragraphs._trailing_heading):
# what the pattern's search over the paragraph's tail finds.
@pytest.mark.parametrize(
    "body",
    [
        "Text.\n\nBio notes\n---------",
        "Text.\nBio notes\n=========",
        "Text.\n" + "H" * 80 + "\n---",
        "Text.\n" + "H" * 81 + "\n---",
        "Text.\n\n\n- - -",
        "x" * 300 + "\nHeading\n----",
        "x" * 300 + "\n" + "H" * 80 + "\n" + "-" * 160,
        "Heading\n---",
        "\nHeading\n---",
        "no line break ---",
    ],
)
def test_trailing_heading_is_the_patterns_own(body: str) -> None:
    found = paragraphs._TRAILING_HEADING.search(body, max(0, len(body) - paragraphs.HEADING_TAIL))
    heading = paragraphs._trailing_heading(body)
    assert (heading and heading.span()) == (found and found.span())


# --- HANDLING and OFFICE DISTRIBUTION ----------------------------------------------------------

HANDLING_CASES = [
    # 06ALMATY1457: SIPDIS written twice
    (
        "C O N F I D E N T I A L SECTION 01 OF 03 ALMATY 001457 \n\nSIPDIS\n\nSIPDIS\n\n"
        "DEPT FOR EB/ESC; SCA/PO (MANN); SCA/CEN (MUDGE)\n\nE.O. 12958: DECL: 04/19/2015",
        ["SIPDIS"],
        ["DEPT FOR EB/ESC; SCA/PO (MANN); SCA/CEN (MUDGE)"],
    ),
    # 07BERN881-style: office line wrapped over two lines
    (
        "S E C R E T SECTION 01 OF 02 BERN 000881 \n \nSIPDIS \n \nSIPDIS \n \nDEPT FOR P "
        "(SGUHA), E, ISN/RA (KKESSLER), IO/T \n(HVONBEHREN), AND EUR/AGS (YSAINT-ANDRE) \n \n"
        "E.O. 12958: DECL: 09/10/2027",
        ["SIPDIS"],
        ["DEPT FOR P (SGUHA), E, ISN/RA (KKESSLER), IO/T (HVONBEHREN), AND EUR/AGS (YSAINT-ANDRE)"],
    ),
    # 03BRASILIA698: SENSITIVE, two office lines one after the other
    (
        "UNCLAS SECTION 01 OF 04 BRASILIA 000698 \n\nSIPDIS \n\nSENSITIVE \n\nDEPT FOR EB/IPC "
        "WILSON \nDEPT PLEASE PASS TO USTR KALVAREZ, DOC LASHLEY \n\nE.O. 12958: N/A ",
        ["SIPDIS", "SENSITIVE"],
        ["DEPT FOR EB/IPC WILSON", "DEPT PLEASE PASS TO USTR KALVAREZ, DOC LASHLEY"],
    ),
    # 09SAOPAULO663: NOFORN, and captions on the classification line (07NASSAU273)
    (
        "C O N F I D E N T I A L SAO PAULO 000663 \n\nSIPDIS \nNOFORN \nFOR SRMC FARAH PANDITH "
        "\n\nE.O. 12958: DECL: 2019/12/08",
        ["SIPDIS", "NOFORN"],
        ["FOR SRMC FARAH PANDITH"],
    ),
    (
        "C O N F I D E N T I A L NASSAU 000273 SIPDIS \n\nSIPDIS\n\nSTATE FOR WHA/CAR RCBUDDEN "
        "\n\nEO 12958 DECL: 02/25/2017",
        ["SIPDIS"],
        ["STATE FOR WHA/CAR RCBUDDEN"],
    ),
    # 00HARARE5461: one addressee per line, each with its FOR
    (
        "C O N F I D E N T I A L SECTION 01 OF 02 HARARE 005461 \n\nSIPDIS \n\nNSC FOR SENIOR "
        "AFRICA DIRECTOR GAYLE SMITH \nLONDON FOR CHARLES GURNEY \nPARIS FOR BISA WILLIAMS \n\n"
        "E.O. 12958: DECL: 09/27/10",
        ["SIPDIS"],
        [
            "NSC FOR SENIOR AFRICA DIRECTOR GAYLE SMITH",
            "LONDON FOR CHARLES GURNEY",
            "PARIS FOR BISA WILLIAMS",
        ],
    ),
    # 02ROME1196: a correction caption is not an office line
    (
        "CONFIDENTIAL ROME 001196 \n\nSIPDIS \n\nC O R R E C T E D C O P Y (ADDED INFO ADDEES)"
        "\n\nDEPARTMENT FOR EUR/WE, EUR/PPD AND DRL \n\nE.O. 12958: DECL: 03/08/12",
        ["SIPDIS"],
        ["DEPARTMENT FOR EUR/WE, EUR/PPD AND DRL"],
    ),
    # 08BERLIN643: lower case caption and offices on one line
    (
        "S e c r e t berlin 000643\n\nSipdis, isn/mtr, eur/ags and eur/pra\n\nE.o. 12958: decl:",
        ["SIPDIS"],
        ["isn/mtr, eur/ags and eur/pra"],
    ),
    # a letter that upper case makes two ("ß"): the zone is searched ignoring case
    (
        "UNCLAS BERN 000123 \n\nSIPDIS \nEYES ONLY\n\nSTRASSE FOR MUELLER, Straße 5\n\n"
        "E.O. 12958: N/A",
        ["SIPDIS", "EYES ONLY"],
        ["STRASSE FOR MUELLER, Straße 5"],
    ),
]


@pytest.mark.parametrize(("text", "handling", "offices"), HANDLING_CASES)
def test_handling_and_office_distribution(
    text: str, handling: list[str], offices: list[str]
) -> None:
    assert fields.parse_handling(text) == handling
    assert fields.parse_office_distribution(text) == offices


# --- whole cables ------------------------------------------------------------------------------


def test_seed_fields(seed_body: str) -> None:
    assert fields.parse_tags(seed_body) == ["KZ", "PGOV", "PREL"]
    assert fields.parse_subject(seed_body) == (
        "KAZAKHSTAN: A/S BOUCHER DISCUSSES DEMOCRATIZATION COMMISSION WITH POLITICAL OPPOSITION"
    )
    assert fields.parse_references(seed_body, reference_id="06ALMATY1457") == []
    assert fields.parse_classified_by(seed_body) == {
        "name": "John Ordway",
        "title": "Ambassador",
        "reasons": ["1.4(b)", "1.4(d)"],
    }
    assert fields.parse_declassification(seed_body)["declassify_on"] == "2015-04-19"
    summary = fields.parse_summary(seed_body)
    assert summary is not None
    assert summary.startswith("A/S Boucher discussed ways to improve")
    assert summary.endswith("other areas of development.")
    assert fields.parse_signer(seed_body) == "ORDWAY"
    paragraphs = fields.parse_paragraphs(seed_body)
    assert [p["classification"] for p in paragraphs] == [
        "C",
        "SBU",
        "C",
        "C",
        "C",
        "C",
        "C",
        "SBU",
        "C",
        "C",
        "C",
        "U",
    ]
    assert paragraphs[-1]["text"] == "A/S Boucher has cleared this cable."
    assert fields.parse_handling(seed_body) == ["SIPDIS"]
    assert fields.parse_office_distribution(seed_body) == [
        "DEPT FOR EB/ESC; SCA/PO (MANN); SCA/CEN (MUDGE)"
    ]


@pytest.mark.parametrize("path", TELEGRAMS, ids=lambda path: path.stem)
def test_raw_telegrams_give_their_header_fields(path: Path) -> None:
    raw = path.read_bytes()
    text = remove_page_markers(normalize_newlines(raw.decode("utf-8", errors="replace")))
    if "TAGS" in text:
        assert fields.parse_tags(text)
    if "SUBJECT:" in text:
        assert fields.parse_subject(text)
    numbers = [p["number"] for p in fields.parse_paragraphs(text)]
    # numbered paragraphs rise; a cable that never numbers them (09USEUBRUSSELS1177) has None
    if None in numbers:
        assert set(numbers) == {None}
    else:
        assert numbers == sorted(set(numbers))
    assert fields.parse_declassification(text)["executive_order"] is not None


PARSERS = [
    fields.parse_tags,
    fields.parse_subject,
    fields.parse_references,
    fields.parse_classified_by,
    fields.parse_declassification,
    fields.parse_summary,
    fields.parse_comment,
    fields.parse_signer,
    fields.parse_paragraphs,
    fields.parse_handling,
    fields.parse_office_distribution,
]


@pytest.mark.parametrize("parser", PARSERS, ids=lambda parser: parser.__name__)
@pytest.mark.parametrize(
    "text",
    [
        "TAGS: " + "A" * 1_000_000,
        "SUBJECT: " + "ab " * 350_000,
        "REF: " + "A. STATE 1 " * 100_000,
        "Classified By: " + "( " * 500_000,
        "1. (C) " + "Summary: " * 100_000,
        "\n" * 100_000,
        " " * 1_000_000 + "END COMMENT",
        "primary " * 150_000,
        "x\nSUMMARY\n" * 100_000,
    ],
    ids=[
        "tags-line",
        "subject-words",
        "refs",
        "classified-parens",
        "summaries",
        "blank",
        "spaces",
        "keyword-words",
        "bare-markers",
    ],
)
def test_pathological_input_completes(parser, text: str) -> None:
    # No timing assertion here: the point is that every pattern returns on megabyte inputs.
    parser(text)
