"""Participants, on participant lists, signers and TAGS from real cables."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.parsing.participants import (
    make_participant,
    merge_participants,
    parse_participant_lists,
    parse_participants,
    participant_from_name,
    participant_from_tag,
)

DATA = Path(__file__).parent.parent / "data"
SEED = DATA / "seed" / "06ALMATY1457.txt"
CABLES = DATA / "corpus" / "cables"
TAG = re.compile(r"<[^>]+>")

# Running text, commas without a space, "and" inside an affiliation (06ALMATY1457, the seed).
SEED_LIST = """2. (SBU) Meeting Participants: SCA A/S Richard Boucher,
Senior Advisor Caitlin Hayden, Ambassador Ordway, USAID
Democracy Officer Sean Roberts, Energy Officer Jim Loveland
(Notetaker),Tolegen Zhukeyev (For a Just Kazakhstan),
Galymzhan Zhakiyanov (For a Just Kazakhstan),Bulat Abilov
(For a Just Kazakhstan and True Ak Zhol),and Alikhan
Baymenov (Ak Zhol).

Analyzing the Sarsenbaiuly Murder
"""
# One per line, "Name, Title" wrapped over two lines, side headings (09SANTIAGO324).
SANTIAGO_LIST = """2.  (U) Participants:

U.S.
Joseph Biden, Vice President
Antony Blinken, National Security Advisor to the
Vice President
Brian Harris (notetaker), Political/Economic
Officer, U.S. Embassy Guatemala City

United Kingdom
Gordon Brown, Prime Minister
Thomas Fletcher, Private Secretary to the Prime
Minister

3.  (C) Summary:  During a bilateral meeting on the margins
"""
# Honorifics, an unnamed "The Secretary", a qualified notetaker (09PARTO41305).
PARTO_LIST = """2. (U) Participants:

U.S.
The Secretary
Deputy Secretary Lew
A/S Fried
Ms. Abedin, Deputy Chief of Staff to the Secretary
Mr. Falls (Embassy Notetaker)

NETHERLANDS
FM Verhagen
"""
# "--" bullets with wrapped lines, two lists, an underlined heading after them (09TELAVIV2500).
TELAVIV_LISTS = """2. (SBU) Israeli Participants:

-- Brigadier General (res) Pinchas Buchris, MOD Director
General
-- Major General (ret) Amos Gilad, MOD Political-Military
Chief
-- COL Shimon Arad, IDF J5

U.S. Participants:

-- Andrew Shapiro, Assistant Secretary of State, Bureau of
Political-Military Affairs
-- COL Richard Burgess, Defense Attache, U.S. Embassy Tel Aviv

Qualitative Military Edge
-------------------------
"""
# Items separated by blank lines, "(Head of Delegation)" wrapped (10STATE17263).
STATE_DELEGATION = """76. (SBU) U.S. Delegation:

Vann H. Van Diepen, Acting Assistant Secretary, ISN
(Head of Delegation)

Frank Rose, Deputy Assistant Secretary, VCI

Dimitry Zarechnak, Interpreter

77. (SBU) Russian Delegation:

Vladimir Nazarov, Deputy Secretary of Russia's Security
Council (Head of Delegation)

Vadim Sergeev, Interpreter, Russian Embassy
CLINTON

NNNN
"""
# A list flattened onto one line per side (10ADDISABABA163).
ADDIS_LIST = """2. (SBU) Participants:
U.S. Under Secretary Otero Assistant Secretary Carson NSC Senior Director for African \
Affairs Michelle Gavin PolOff Skye Justice (notetaker)
Ethiopia Prime Minister Meles Zenawi Special Assistant Gebretensae Gebremichael

Summary
"""
# A list inside parentheses, in prose, with line-end backslashes (07BERN881).
BERN_LIST = """reaction to our messages.  (Meeting Participants:  Poloff \\
accompanied CDA as notetaker.  FM Calmy-Rey, also \\
concurrently the Swiss Federal President, was joined by \\
Yvonne Baumann, Head of the MFA's Western Hemisphere \\
Division, and by Jean-Daniel Praz, Deputy Head of the MFA's \\
Nonproliferation and Arms Control Division.)  End summary. \\
"""
# "Also present were", cut at the end of its sentence (08SANTODOMINGO1371).
SANTO_DOMINGO_PRESENT = """and Chief Legal Counsel D. Edward Wilson . Also present were
DCM Bullen, EconChief, PAO, EconOff and FCSO. The meeting
followed a July 31, 2008 meeting between the company and WHA
Assistant Secretary Shannon (ref A).
"""
# A redacted participant and a lower-case side heading (09BEIJING2963).
BEIJING_LIST = """2. (SBU) Participants:

United states
Deputy Secretary Steinberg
Laura Stone (notetaker)

China
xxxxx

Summary
"""
# An all-caps cable: "Also present were" with unnamed people after a named one (90BAGHDAD4237).
BAGHDAD_PRESENT = """3. AMBASSADOR WAS SUMMONED BY PRESIDENT
SADDAM HUSAYN AT NOON JULY 25. ALSO PRESENT
WERE FONMIN AZIZ, THE PRESIDENT'S OFFICE
DIRECTOR, TWO NOTETAKERS, AND THE IRAQI
INTERPRETER.

4. SADDAM, WHOSE MANNER WAS CORDIAL,
"""
# "not in attendance" is no list (09UNVIEVIENNA285).
NOT_ATTENDING = """meeting.  Countries not in attendance were: Kyrgyz Republic (no
report), Tajikistan (submitted report and answered questions),
"""
# "Name, Title" lines flattened into one (09SINGAPORE529): after each comma the title of the
# name before it, then the next name.
SINGAPORE_ONE_LINE = """2. (SBU) Participants:
United States
-------------
The Deputy Secretary Glyn T. Davies, EAP Acting Assistant Secretary Daniel L. Shields, CDA \
(Notetaker)

3. (S) SUMMARY: Deputy Secretary Steinberg used his meeting
"""
# An all-caps list (constructed, in the form of the seed's list): roles in proper case,
# acronyms kept.
CAPS_LIST = """1. (C) PARTICIPANTS:

AMBASSADOR JOHN ORDWAY
POLITICAL OFFICER JAMES SMITH (NOTETAKER)
DCM MARK ASQUINO

2. (C) TEXT
"""
# A redacted official (10ASUNCION97).
REDACTED_PRESENT = "Also present were the Ambassador and DEA Country AttachC)XXXXXXXXXXXX."
# A heading underlined with dashes, a side in a numbered paragraph, one person a line, a name
# wrapped after its honorific, "al-" names, someone unnamed (09DAMASCUS179).
DAMASCUS_HEADING = """than originally anticipated. END COMMENT.

-------------
Participants
-------------

¶22. (SBU) U.S.A.:
Senator Benjamin Cardin (D-MD)

Charge d'Affaires Maura Connelly
Mr. Fred Turner, Chief of Staff, CSCE
Notetaker Anthony Deaton

Syrian Arab Republic:
President Bashar al-Asad
Foreign Minister Walid al-Muallim
Presidential Advisor for Political and Media Affairs Dr.
Bouthaina Shaaban
Unidentified female notetaker
"""
# Side headings with colons under "Participants included:", the Burmese honorific "U", a
# wrapped ministry, a two-line underlined heading after the list (09RANGOON536).
RANGOON_SIDES = """House in Nay Pyi Taw, Burma. Participants included:

Codel Webb:

Senator Jim Webb
Senate Professional Staff Member Marta Mclellan Ross

Burma:

General Thein Sein, Prime Minister
Col. Thurein Zaw, Deputy Minister, Ministry of National
Planning and Economic Development
U Ye Lwin (notetaker)

Visit, Meeting with Head of State Can Enhance Bilateral
Relationship
---------------------------------------------- -----------

¶3. (C) PM Thein Sein greeted Senator Webb warmly, noting he
"""
# A heading without a colon, "in ... Meeting", sides as lines of their own (06BOGOTA10294).
BOGOTA_HEADING = """¶2. (U)  Participants in Holguin Meeting

U.S.

Under Secretary Burns
NSC - Dan Tomlinson
Political Officer David M. Zimov (notetaker)

COLOMBIA

Foreign Minister Maria Consuelo Araujo
U.S. and Canada Desk Chief Patricia Cortes

=======
Summary
=======
"""
# Records (a name line, then its role lines), a side label, a heading without a colon over
# "--" bullets (06TRIPOLI498).
TRIPOLI_RECORDS = """---------
Participants in the Meeting:
---------

¶10.  (U)  Libyan Participants:

Dr. Mohamed M. Sharif
Chairman of the National Committee for Bioethics and
Biosafety,
Head of the BTRC

Mr. Muftah Al-Hemali A. Ali
Member of the LNCBB
The General Administration for International Organizations

Dr. Abdalgader Saleh Ali
Member of LNCBB
Faculty of Science
Sabha University
Dr. Abdussalam A. Masaud Amara
Member of LNCBB

¶11.  (U)  UK Participants

--Dr. Peter Biggins, UK TSCC Bio-Subcommittee CoChair
--Dr. Lorna Miller, Defence Science and Technology Laboratory,
Porton Down
"""
# Sub-headings by agency under each delegation (09STATE81957).
STATE_AGENCIES = """¶31. (S/NF) Delegation List

U.S. Delegation:
DOS
Steven Costner (Deputy Director, PM/WRA), Co-Head of U.S.
Delegation
Ann Ganzer (Acting DAS, ISN)

CIA/CTC
Eric Arnett

Russian Delegation:
MOD
Col. Oleg Skabara, Head of Delegation

Russian Embassy
Alexei Markov
CLINTON
"""
# "U.S. side:" over action items is no list (09STATE81957).
SIDE_ACTION_ITEMS = """the next meeting:

U.S. side:

¶1. On Eritrea/Somalia, the U.S. will seek authorization to
release photographic evidence of Russian MANPADS diversion.
"""
# The list starts on the heading's line, runs across a page break (the blank line where the
# page marker was) flattened into one line, with "Brazil:" inside it (07BRASILIA370).
BRASILIA_FLATTENED = """¶12. (U) Participants Under Secretary R. Nicholas Burns

Ambassador Clifford Sobel Assistant Secretary Thomas A. Shannon Political Counselor Dennis \
Hearne Brazil: Minister Celso Amorim Ambassador Maria Luiza Viotti Counselor Joao Tabajara Jr. \
Secretary Ricardo Ayrosa SIPDIS

SOBEL
"""
# An underlined heading, "Title Name" and "Name, title" in lower case (09BEIJING1634).
BEIJING_HEADING = """strong enough to destroy it.

Participants
------------

Charge Dan Piccuta
Joe Donovan, U.S. Consul General Hong Kong
Jim Brown, interpreter

XXXXXXXXXXXX
PICCUTA
"""
# Headings over prose are no list: the narrative reads them (09PARIS762, 06MEXICO6569).
PARIS_PROSE = """End summary.

Participants
------------

¶2. (S/NF) Jean-David Levitte was accompanied by Damien Loras, French Presidency Adviser for \
the Americas.

POTUS-Sarkozy Bilat
"""
MEXICO_PROSE = """meeting with AMLO.

Other PRD attendees
-------------------

¶6.  (U) Also sharing the stage with AMLO were current Mexico
City Mayor Alejandro Encinas and Mayor-elect Marcelo Ebrard.
"""
# A numbered list (constructed, in the form of the seed's cable).
NUMBERED_LIST = """2. (C) Participants:

1. Ambassador John Ordway
2. Deputy Foreign Minister Kairat Umarov
3. Poloff Jane Doe (notetaker)

3. (C) The Ambassador opened the meeting by noting that
"""
# "U.S. side:" and "Kazakh side:" as inline lists (constructed, in the form of the seed's cable).
KAZAKH_SIDES = """¶2. (SBU) U.S. side: Ambassador John Ordway, DCM Kevin Milas.
Kazakh side: Deputy Foreign Minister Kairat Umarov, Ambassador Yerzhan Kazykhanov.
"""
# Running text with sides inside it ("U.S:", "Bahrain:") and "Dr." that ends no sentence
# (09MANAMA456, shortened).
MANAMA_INLINE_SIDES = """1.(U) Participants: U.S: Ambassador Adam Ereli, Rachel Graaf, \
PAO (notetaker) Bahrain: Dr. Nizar Al Baharna, Minister of State for Foreign Affairs

2.(C) Summary: On July 28, Crown Prince Salman met with CENTCOM CG David Petraeus.
"""
# Indented "--" bullets, an item ending "; and", the side in the label (09SANJOSE602).
SANJOSE_DELEGATION = """¶9. (U) Zelaya's delegation:

 -- Aristides Mejia, Vice President and former Minister of
Defense;
 -- Milton Jimenez, former Foreign Minister; and
 -- Enrique Flores Lanza, Secretary of the Presidency.
"""


def corpus_text(path: Path) -> str:
    """A corpus file as plain text: HTML newlines, tags and entities decoded, LF endings."""
    raw = path.read_bytes().decode("utf-8", errors="replace").replace("&#x000A;", "\n")
    return html.unescape(TAG.sub("", raw)).replace("\r\n", "\n")


def brief(participants: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """(name, role, affiliation, note) of each participant."""
    return [(p["name"], p["role"], p["affiliation"], p["note"]) for p in participants]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            SEED_LIST,
            [
                ("Richard Boucher", "SCA A/S", None, None),
                ("Caitlin Hayden", "Senior Advisor", None, None),
                ("Ordway", "Ambassador", None, None),
                ("Sean Roberts", "USAID Democracy Officer", None, None),
                ("Jim Loveland", "Energy Officer", None, "Notetaker"),
                ("Tolegen Zhukeyev", None, "For a Just Kazakhstan", None),
                ("Galymzhan Zhakiyanov", None, "For a Just Kazakhstan", None),
                ("Bulat Abilov", None, "For a Just Kazakhstan and True Ak Zhol", None),
                ("Alikhan Baymenov", None, "Ak Zhol", None),
            ],
        ),
        (
            SANTIAGO_LIST,
            [
                ("Joseph Biden", "Vice President", "U.S.", None),
                ("Antony Blinken", "National Security Advisor to the Vice President", "U.S.", None),
                (
                    "Brian Harris",
                    "Political/Economic Officer, U.S. Embassy Guatemala City",
                    "U.S.",
                    "Notetaker",
                ),
                ("Gordon Brown", "Prime Minister", "United Kingdom", None),
                (
                    "Thomas Fletcher",
                    "Private Secretary to the Prime Minister",
                    "United Kingdom",
                    None,
                ),
            ],
        ),
        (
            PARTO_LIST,
            [
                ("Lew", "Deputy Secretary", "U.S.", None),
                ("Fried", "A/S", "U.S.", None),
                ("Abedin", "Deputy Chief of Staff to the Secretary", "U.S.", None),
                ("Falls", None, "U.S.", "Embassy Notetaker"),
                ("Verhagen", "FM", "NETHERLANDS", None),
            ],
        ),
        (
            TELAVIV_LISTS,
            [
                (
                    "Pinchas Buchris",
                    "Brigadier General (res), MOD Director General",
                    "Israeli",
                    None,
                ),
                (
                    "Amos Gilad",
                    "Major General (ret), MOD Political-Military Chief",
                    "Israeli",
                    None,
                ),
                ("Shimon Arad", "COL, IDF J5", "Israeli", None),
                (
                    "Andrew Shapiro",
                    "Assistant Secretary of State, Bureau of Political-Military Affairs",
                    "U.S.",
                    None,
                ),
                ("Richard Burgess", "COL, Defense Attache, U.S. Embassy Tel Aviv", "U.S.", None),
            ],
        ),
        (
            STATE_DELEGATION,
            [
                (
                    "Vann H. Van Diepen",
                    "Acting Assistant Secretary, ISN",
                    "U.S.",
                    "Head of Delegation",
                ),
                ("Frank Rose", "Deputy Assistant Secretary, VCI", "U.S.", None),
                ("Dimitry Zarechnak", "Interpreter", "U.S.", None),
                (
                    "Vladimir Nazarov",
                    "Deputy Secretary of Russia's Security Council",
                    "Russian",
                    "Head of Delegation",
                ),
                ("Vadim Sergeev", "Interpreter, Russian Embassy", "Russian", None),
            ],
        ),
        (
            ADDIS_LIST,
            [
                ("Otero", "U.S. Under Secretary", None, None),
                ("Carson", "Assistant Secretary", None, None),
                ("Michelle Gavin", "NSC Senior Director for African Affairs", None, None),
                ("Skye Justice", "PolOff", None, "Notetaker"),
                ("Meles Zenawi", "Ethiopia Prime Minister", None, None),
                ("Gebretensae Gebremichael", "Special Assistant", None, None),
            ],
        ),
        (
            BERN_LIST,
            [
                ("Calmy-Rey", "FM", None, None),
                ("Yvonne Baumann", "Head of the MFA's Western Hemisphere Division", None, None),
                (
                    "Jean-Daniel Praz",
                    "Deputy Head of the MFA's Nonproliferation and Arms Control Division",
                    None,
                    None,
                ),
            ],
        ),
        (SANTO_DOMINGO_PRESENT, [("Bullen", "DCM", None, None)]),
        (BAGHDAD_PRESENT, [("Aziz", "FONMIN", None, None)]),
        (
            # 10STATE17263 as an all-caps cable would write it: roles in proper case, acronyms kept
            STATE_DELEGATION.upper(),
            [
                (
                    "Vann H. Van Diepen",
                    "Acting Assistant Secretary, ISN",
                    "U.S.",
                    "Head of delegation",
                ),
                ("Frank Rose", "Deputy Assistant Secretary, VCI", "U.S.", None),
                ("Dimitry Zarechnak", "Interpreter", "U.S.", None),
                (
                    "Vladimir Nazarov",
                    "Deputy Secretary of Russia's Security Council",
                    "RUSSIAN",
                    "Head of delegation",
                ),
                ("Vadim Sergeev", "Interpreter, Russian Embassy", "RUSSIAN", None),
            ],
        ),
        (
            BEIJING_LIST,
            [
                ("Steinberg", "Deputy Secretary", None, None),
                ("Laura Stone", None, None, "Notetaker"),
            ],
        ),
        (
            SINGAPORE_ONE_LINE,
            [
                ("Glyn T. Davies", "EAP Acting Assistant Secretary", "United States", None),
                ("Daniel L. Shields", "CDA", "United States", "Notetaker"),
            ],
        ),
        (
            CAPS_LIST,
            [
                ("John Ordway", "Ambassador", None, None),
                ("James Smith", "Political Officer", None, "Notetaker"),
                ("Mark Asquino", "DCM", None, None),
            ],
        ),
        (NOT_ATTENDING, []),
        # "Attendees" and "in attendance" are found by one scan for "attend".
        (
            "2. (C) Attendees: Ambassador John Ordway, DCM Mark Asquino.\n",
            [("John Ordway", "Ambassador", None, None), ("Mark Asquino", "DCM", None, None)],
        ),
        (
            "2. Also in attendance were Deputy Minister Ivan Petrov and Poloff Jane Doe"
            " (notetaker).\n",
            [
                ("Ivan Petrov", "Deputy Minister", None, None),
                ("Jane Doe", "Poloff", None, "Notetaker"),
            ],
        ),
        (REDACTED_PRESENT, []),
        ("", []),
    ],
)
def test_parse_participant_lists(text: str, expected: list[tuple[Any, ...]]) -> None:
    assert brief(parse_participant_lists(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            DAMASCUS_HEADING,
            [
                ("Benjamin Cardin", "Senator", "D-MD", None),
                ("Maura Connelly", "Charge d'Affaires", "U.S.A.", None),
                ("Fred Turner", "Chief of Staff, CSCE", "U.S.A.", None),
                ("Anthony Deaton", "Notetaker", "U.S.A.", None),
                ("Bashar al-Asad", "President", "Syrian Arab Republic", None),
                ("Walid al-Muallim", "Foreign Minister", "Syrian Arab Republic", None),
                (
                    "Bouthaina Shaaban",
                    "Presidential Advisor for Political and Media Affairs",
                    "Syrian Arab Republic",
                    None,
                ),
            ],
            id="09DAMASCUS179-damascus_heading",
        ),
        pytest.param(
            RANGOON_SIDES,
            [
                ("Jim Webb", "Senator", "Codel Webb", None),
                ("Marta Mclellan Ross", "Senate Professional Staff Member", "Codel Webb", None),
                ("Thein Sein", "General, Prime Minister", "Burma", None),
                (
                    "Thurein Zaw",
                    "Col., Deputy Minister, Ministry of National Planning and Economic Development",
                    "Burma",
                    None,
                ),
                ("Ye Lwin", None, "Burma", "Notetaker"),
            ],
            id="09RANGOON536-rangoon_sides",
        ),
        pytest.param(
            BOGOTA_HEADING,
            [
                ("Burns", "Under Secretary", "U.S.", None),
                ("Dan Tomlinson", "NSC", "U.S.", None),
                ("David M. Zimov", "Political Officer", "U.S.", "Notetaker"),
                ("Maria Consuelo Araujo", "Foreign Minister", "COLOMBIA", None),
                ("Patricia Cortes", "U.S. and Canada Desk Chief", "COLOMBIA", None),
            ],
            id="06BOGOTA10294-bogota_heading",
        ),
        pytest.param(
            TRIPOLI_RECORDS,
            [
                (
                    "Mohamed M. Sharif",
                    "Chairman of the National Committee for Bioethics and Biosafety,"
                    " Head of the BTRC",
                    "Libyan",
                    None,
                ),
                (
                    "Muftah Al-Hemali A. Ali",
                    "Member of the LNCBB, The General Administration for International"
                    " Organizations",
                    "Libyan",
                    None,
                ),
                (
                    "Abdalgader Saleh Ali",
                    "Member of LNCBB, Faculty of Science, Sabha University",
                    "Libyan",
                    None,
                ),
                ("Abdussalam A. Masaud Amara", "Member of LNCBB", "Libyan", None),
                ("Peter Biggins", "UK TSCC Bio-Subcommittee CoChair", "UK", None),
                (
                    "Lorna Miller",
                    "Defence Science and Technology Laboratory, Porton Down",
                    "UK",
                    None,
                ),
            ],
            id="06TRIPOLI498-tripoli_records",
        ),
        pytest.param(
            STATE_AGENCIES,
            [
                ("Steven Costner", "Co-Head of U.S. Delegation", "Deputy Director, PM/WRA", None),
                ("Ann Ganzer", None, "Acting DAS, ISN", None),
                ("Eric Arnett", None, "CIA/CTC", None),
                ("Oleg Skabara", "Col., Head of Delegation", "MOD", None),
                ("Alexei Markov", None, "Russian Embassy", None),
            ],
            id="09STATE81957-state_agencies",
        ),
        pytest.param(
            SIDE_ACTION_ITEMS,
            [],
            id="09STATE81957-side_action_items",
        ),
        pytest.param(
            BRASILIA_FLATTENED,
            [
                ("R. Nicholas Burns", "Under Secretary", None, None),
                ("Clifford Sobel", "Ambassador", None, None),
                ("Thomas A. Shannon", "Assistant Secretary", None, None),
                ("Dennis Hearne", "Political Counselor", None, None),
                ("Celso Amorim", "Minister", "Brazil", None),
                ("Maria Luiza Viotti", "Ambassador", "Brazil", None),
                ("Joao Tabajara Jr", "Counselor", "Brazil", None),
                ("Ricardo Ayrosa", "Secretary", "Brazil", None),
            ],
            id="07BRASILIA370-brasilia_flattened",
        ),
        pytest.param(
            BEIJING_HEADING,
            [
                ("Dan Piccuta", "Charge", None, None),
                ("Joe Donovan", "U.S. Consul General Hong Kong", None, None),
                ("Jim Brown", "interpreter", None, None),
            ],
            id="09BEIJING1634-beijing_heading",
        ),
        pytest.param(
            PARIS_PROSE,
            [],
            id="09PARIS762-paris_prose",
        ),
        pytest.param(
            MEXICO_PROSE,
            [],
            id="06MEXICO6569-mexico_prose",
        ),
        pytest.param(
            NUMBERED_LIST,
            [
                ("John Ordway", "Ambassador", None, None),
                ("Kairat Umarov", "Deputy Foreign Minister", None, None),
                ("Jane Doe", "Poloff", None, "Notetaker"),
            ],
            id="constructed-numbered_list",
        ),
        pytest.param(
            KAZAKH_SIDES,
            [
                ("John Ordway", "Ambassador", "U.S.", None),
                ("Kevin Milas", "DCM", "U.S.", None),
                ("Kairat Umarov", "Deputy Foreign Minister", "Kazakh", None),
                ("Yerzhan Kazykhanov", "Ambassador", "Kazakh", None),
            ],
            id="constructed-kazakh_sides",
        ),
        pytest.param(
            SANJOSE_DELEGATION,
            [
                ("Aristides Mejia", "Minister of Defense", "Zelaya's", None),
                ("Milton Jimenez", "Foreign Minister", "Zelaya's", None),
                ("Enrique Flores Lanza", "Secretary of the Presidency", "Zelaya's", None),
            ],
            id="09SANJOSE602-sanjose_delegation",
        ),
        pytest.param(
            MANAMA_INLINE_SIDES,
            [
                ("Adam Ereli", "Ambassador", "U.S", None),
                ("Rachel Graaf", None, "U.S", None),
                ("Nizar Al Baharna", "Minister of State for Foreign Affairs", "Bahrain", None),
            ],
            id="09MANAMA456-manama_inline_sides",
        ),
    ],
)
def test_list_layouts(text: str, expected: list[tuple[Any, ...]]) -> None:
    """Lists in every layout (issue 14 item 2), each row named by the cable it comes from."""
    assert brief(parse_participant_lists(text)) == expected


def test_seed_participants_exactly() -> None:
    """Issue 2's "The seed, exactly": Ordway once, from the list, Classified By and signer."""
    participants = parse_participants(SEED.read_text(encoding="utf-8"))
    assert brief(participants) == [
        ("Richard Boucher", "SCA A/S", None, None),
        ("Caitlin Hayden", "Senior Advisor", None, None),
        ("John Ordway", "Ambassador", None, None),
        ("Sean Roberts", "USAID Democracy Officer", None, None),
        ("Jim Loveland", "Energy Officer", None, "Notetaker"),
        ("Tolegen Zhukeyev", None, "For a Just Kazakhstan", None),
        ("Galymzhan Zhakiyanov", None, "For a Just Kazakhstan", None),
        ("Bulat Abilov", None, "For a Just Kazakhstan and True Ak Zhol", None),
        ("Alikhan Baymenov", None, "Ak Zhol", None),
    ]
    ordway = participants[2]
    assert ordway["sources"] == ["participants", "classified_by", "signer"]
    assert ordway["search_key"] == "john ordway"
    assert ordway["search_words"] == ["john", "ordway"]
    assert all(p["sources"] == ["participants"] for p in participants if p is not ordway)


@pytest.mark.parametrize(
    ("name", "display", "search_key"),
    [
        ("Richard Boucher", "Richard Boucher", "richard boucher"),  # the seed
        ("ORDWAY", "Ordway", "ordway"),  # the seed's signer
        ("MCDONALD", "McDonald", "mcdonald"),  # 00HARARE5461's signer
        ("O’NEILL", "O’Neill", "o neill"),  # a curly apostrophe, as a signer's is cased
        ("AL-QADHAFI  MUATASSIM", "Al-Qadhafi Muatassim", "al qadhafi muatassim"),
        ("Tolegen  Zhukeyev", "Tolegen Zhukeyev", "tolegen zhukeyev"),
        ("Jiří Dienstbier", "Jiří Dienstbier", "jiri dienstbier"),  # accents folded
        ("Marco Aurélio Garcia", "Marco Aurélio Garcia", "marco aurelio garcia"),
    ],
)
def test_make_participant(name: str, display: str, search_key: str) -> None:
    participant = make_participant(name, role="Ambassador", source="signer")
    assert participant == {
        "name": display,
        "search_key": search_key,
        "search_words": search_key.split(),
        "role": "Ambassador",
        "affiliation": None,
        "note": None,
        "sources": ["signer"],
        "how": "wrote",
    }


@pytest.mark.parametrize(
    ("text", "role", "expected"),
    [
        ("John Ordway", "Ambassador", ("John Ordway", "Ambassador")),  # the seed, Classified By
        ("ORDWAY", None, ("Ordway", None)),  # the seed's signer
        ("CDA GRIFFITHS", None, ("Griffiths", "CDA")),  # 08QUITO672's signer line
        ("AMBASSADOR CLIFFORD SOBEL", None, ("Clifford Sobel", "Ambassador")),  # 03THEHAGUE3067
        ("TIMKEN JR", None, ("Timken Jr", None)),  # 07BERLIN242
        ("Carol van Voorst", "Amb.", ("Carol van Voorst", "Amb.")),  # 08REYKJAVIK195
    ],
)
def test_participant_from_name(text: str, role: str | None, expected: tuple[Any, ...]) -> None:
    participant = participant_from_name(text, role=role, source="signer")
    assert participant is not None
    assert (participant["name"], participant["role"]) == expected


@pytest.mark.parametrize(
    "text",
    [
        "XXXXXXXXXXXX",  # 04MADRID4687's redacted signer
        "Minister",  # a wrapped title line at the end of 09SANTIAGO324's list
        "China",  # a side heading at the end of 09BEIJING2963's list
        "",
    ],
)
def test_participant_from_name_refuses_what_names_nobody(text: str) -> None:
    assert participant_from_name(text, source="signer") is None


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("BIDEN, JOSEPH", "Joseph Biden"),  # 09SANTIAGO324
        ("STEINBERG, JAMES B.", "James B. Steinberg"),  # 09SINGAPORE529
        ("KALOUDIS, NICK", "Nick Kaloudis"),  # 1974ATHENS03099_b
        ("AL-QADHAFI, MUATASSIM", "Muatassim Al-Qadhafi"),  # tags_nonstandard.csv
        ("PGOV", None),
        ("HUMAN RIGHTS", None),  # 02ROME1196
    ],
)
def test_participant_from_tag(tag: str, name: str | None) -> None:
    participant = participant_from_tag(tag)
    assert (participant["name"] if participant else None) == name
    if participant:
        assert participant["sources"] == ["tag"]


def person(name: str, source: str, role: str | None = None) -> dict[str, Any]:
    """A participant from one source."""
    return make_participant(name, role=role, source=source)


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        (  # the seed: the list, Classified By and the signer name one man
            [
                [person("Ordway", "participants", "Ambassador")],
                [person("John Ordway", "classified_by", "Ambassador"), person("ORDWAY", "signer")],
            ],
            [("John Ordway", "Ambassador", ["participants", "classified_by", "signer"])],
        ),
        (  # 09SANTIAGO324: the list and the person TAG
            [[person("Joseph Biden", "participants", "Vice President")], [person("BIDEN", "tag")]],
            [("Joseph Biden", "Vice President", ["participants", "tag"])],
        ),
        (  # 08REYKJAVIK195: a particle belongs to the last name
            [
                [person("Carol van Voorst", "classified_by", "Amb.")],
                [person("VAN VOORST", "signer")],
            ],
            [("Carol van Voorst", "Amb.", ["classified_by", "signer"])],
        ),
        (  # 09PRAGUE589: hyphenated last names
            [
                [person("Mary Thompson-Jones", "classified_by")],
                [person("THOMPSON-JONES", "signer")],
            ],
            [("Mary Thompson-Jones", None, ["classified_by", "signer"])],
        ),
        (  # 09SINGAPORE529: an initial agrees with the first name
            [[person("J. Steinberg", "participants")], [person("James B. Steinberg", "tag")]],
            [("James B. Steinberg", None, ["participants", "tag"])],
        ),
        (  # 00HARARE5461: different people stay apart
            [[person("Earl Irving", "classified_by", "DCM")], [person("MCDONALD", "signer")]],
            [("Earl Irving", "DCM", ["classified_by"]), ("McDonald", None, ["signer"])],
        ),
        (  # same last name, different first names
            [[person("Cheryl Lee", "participants")], [person("Robert Lee", "participants")]],
            [("Cheryl Lee", None, ["participants"]), ("Robert Lee", None, ["participants"])],
        ),
        ([], []),
    ],
)
def test_merge_participants(
    groups: list[list[dict[str, Any]]], expected: list[tuple[Any, ...]]
) -> None:
    merged = merge_participants(*groups)
    assert [(p["name"], p["role"], p["sources"]) for p in merged] == expected


def test_merge_does_not_change_its_inputs() -> None:
    listed = [person("Ordway", "participants", "Ambassador")]
    merge_participants(listed, [person("John Ordway", "classified_by")])
    assert listed[0]["name"] == "Ordway"
    assert listed[0]["sources"] == ["participants"]


@settings(deadline=None)  # no timing in tests: first calls load the tables
@given(st.text())
def test_any_text_gives_participants_without_error(text: str) -> None:
    for participant in parse_participant_lists(text):
        assert participant["name"]
        assert participant["search_words"] == participant["search_key"].split()


@settings(deadline=None)  # no timing in tests: first calls load the tables
@given(
    st.lists(
        st.sampled_from(
            [
                "Participants:",
                "Ambassador Ordway",
                ",",
                "and",
                "(Ak Zhol)",
                "\n",
                "\n\n",
                "--",
                "U.S.",
                "xxxx",
                "Present were",
                ")",
                "(",
            ]
        )
    )
)
def test_list_like_text_gives_participants_without_error(parts: list[str]) -> None:
    for participant in parse_participant_lists(" ".join(parts)):
        assert participant["sources"] == ["participants"]


@pytest.mark.parametrize(
    "text",
    [
        "Participants: " + "Ambassador Ordway, " * 50_000,  # a 1 MB single line
        "Participants:" + "\n" * 100_000 + "Ambassador Ordway",  # 100,000 blank lines
        "Participants:\n" + "Jim Loveland (Notetaker)\n" * 40_000,
        ("Participants: " + "(" * 1_000) * 100,
    ],
)
def test_huge_inputs_complete(text: str) -> None:
    assert isinstance(parse_participant_lists(text), list)


def test_corpus_lists_give_plausible_names() -> None:
    """Over the 422 corpus files: the lists found name people, never titles or places."""
    found = {}
    for path in sorted(CABLES.iterdir()):
        for participant in parse_participant_lists(corpus_text(path)):
            found[(path.name, participant["name"])] = participant
    assert len(found) >= 70  # 79 people in 11 cables' lists when this was written
    cables = {name for name, _person in found}
    assert {"09TELAVIV2500.html", "10STATE17263.html", "09SANTIAGO324.html"} <= cables
    for participant in found.values():
        words = participant["name"].split()
        assert all(word[0].isupper() for word in words if word not in ("de", "van")), participant
        assert participant["name"] not in ("United States", "United Kingdom", "China")
