"""People from the narrative: participants with how they took part, and everyone mentioned.

The rates are measured on the 40 hand-read corpus cables of
tests/data/corpus/expected/participants.jsonl (its README says how they were read). Issue 14
asks for 85% participant recall, 90% precision and 90% of everyone named; the floors below are
what the parser reaches today, so that no change makes it worse unnoticed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from reports import report

from service.parsing import parse_cable
from service.parsing.narrative import read_people, sentences

DATA = Path(__file__).parents[1] / "data"
LABELS = DATA / "corpus" / "expected" / "participants.jsonl"
CABLES = DATA / "corpus" / "cables"
SEED = DATA / "seed" / "06ALMATY1457.txt"

RECALL_FLOOR = 0.85
PRECISION_FLOOR = 0.90
NAMED_FLOOR = 0.90


def _folded(text: str) -> list[str]:
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", " ", bare.casefold()).split()


def _holds(person: dict[str, Any], surname: str) -> bool:
    """What participant=<surname> matches: every folded word of the surname in the name."""
    return all(word in person["search_words"] for word in _folded(surname))


# Cables labelled blind after the reader was written (tests/data/people-heldout/README.md): the
# issue's floors are not met there. These are regression guards a few points under the rates
# measured when they were added (docs/benchmarks/2026-12-07-people-heldout.md), not the issue's.
HELD_OUT = DATA / "people-heldout"
HELD_OUT_FLOORS = {"recall": 0.79, "precision": 0.78, "named": 0.88}


def _rates(
    labels: Path = LABELS, *cable_dirs: Path
) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """(found, wanted) participants, (right, given) participants, (found, wanted) named."""
    files = {path.stem: path for folder in cable_dirs or (CABLES,) for path in folder.iterdir()}
    recall = [0, 0]
    precision = [0, 0]
    named = [0, 0]
    for line in labels.read_text("utf-8").splitlines():
        label = json.loads(line)
        document = parse_cable(files[label["reference_id"]].read_bytes())
        taking_part = document["participants"]
        everyone = taking_part + document["mentioned"]
        wanted = [p for p in label["participants"] if p["how"] != "wrote"]
        recall[0] += sum(any(_holds(p, w["surname"]) for p in taking_part) for w in wanted)
        recall[1] += len(wanted)
        given = [p for p in taking_part if set(p["sources"]) - {"signer", "classified_by"}]
        precision[0] += sum(
            any(_holds(p, w["surname"]) for w in label["participants"]) for p in given
        )
        precision[1] += len(given)
        people = label["participants"] + label["mentioned"]
        named[0] += sum(any(_holds(p, w["surname"]) for p in everyone) for w in people)
        named[1] += len(people)
    return (recall[0], recall[1]), (precision[0], precision[1]), (named[0], named[1])


def test_hand_read_rates() -> None:
    recall, precision, named = _rates()
    report(
        f"participants: recall {recall[0]}/{recall[1]} = {recall[0] / recall[1]:.1%},"
        f" precision {precision[0]}/{precision[1]} = {precision[0] / precision[1]:.1%};"
        f" everyone named: {named[0]}/{named[1]} = {named[0] / named[1]:.1%}"
    )
    assert recall[0] / recall[1] >= RECALL_FLOOR
    assert precision[0] / precision[1] >= PRECISION_FLOOR
    assert named[0] / named[1] >= NAMED_FLOOR


def test_held_out_rates() -> None:
    totals = [[0, 0], [0, 0], [0, 0]]
    for batch in sorted(HELD_OUT.glob("batch*")):
        for total, rate in zip(
            totals, _rates(batch / "labels.jsonl", CABLES, batch / "cables"), strict=True
        ):
            total[0] += rate[0]
            total[1] += rate[1]
    (recall, precision, named) = totals
    report(
        f"held-out participants: recall {recall[0]}/{recall[1]} = {recall[0] / recall[1]:.1%},"
        f" precision {precision[0]}/{precision[1]} = {precision[0] / precision[1]:.1%};"
        f" everyone named: {named[0]}/{named[1]} = {named[0] / named[1]:.1%}"
    )
    assert recall[1] > 500  # the eight batches were read
    assert recall[0] / recall[1] >= HELD_OUT_FLOORS["recall"]
    assert precision[0] / precision[1] >= HELD_OUT_FLOORS["precision"]
    assert named[0] / named[1] >= HELD_OUT_FLOORS["named"]


# (cable the sentence comes from or is modelled on, text, {name: how}; None: mentioned)
NARRATIVE = [
    (
        "10ASUNCION97",
        "1. (S/NF) Interior Minister Rafael Filizzola told the Ambassador February 10 that the"
        " GOP would soon roll out a new program. Filizzola said President Lugo had approved it.",
        {"Rafael Filizzola": "met", "Lugo": None},
    ),
    (
        "03THEHAGUE3067",
        "1. (C) Dutch Political Director Hugo Siblesz told Amb Sobel on December 15 that the"
        " failure of the EU Council matters. Siblesz said the French were trying to claw back.",
        {"Hugo Siblesz": "met", "Sobel": "met"},
    ),
    (
        "07BAGHDAD3895",
        "1. (C) The British officials met with the Ambassador. Among those present on the U.S."
        " side at various briefings were Ambassador"
        " Crocker, MNF-I Commanding General Petraeus, and Special Advisor David Pearce.",
        {"Crocker": "attended", "Petraeus": "attended", "David Pearce": "attended"},
    ),
    (
        "09MEXICO3061",
        "1. (S/NF) Summary. DNI Dennis Blair met with President Calderon for about forty"
        " minutes at the Presidential Palace on October 19.",
        {"Dennis Blair": "met", "Calderon": "met"},
    ),
    (
        "09HAVANA132",
        "5. (C) The Ambassador met experts on May 5. 6. (C) Andrey Kortunov of the Eurasia"
        " Foundation agreed with the Ambassador, noting"
        " that the leadership kept its carrots and sticks.",
        {"Andrey Kortunov": "met"},
    ),
    (
        "00TASHKENT4223",
        "2. (C) PRESIDENT KARIMOV TOLD THE AMBASSADOR THAT FM KAMILOV WOULD FOLLOW UP."
        " KARIMOV SAID PUTIN HAD CALLED HIM.",
        {"Karimov": "met", "Kamilov": None, "Putin": None},
    ),
    (
        "08HELSINKI374",
        "3. (C) She added that Sarkozy, Putin and Medvedev were in a closed door meeting at"
        " the time of the demarche.",
        {"Sarkozy": None, "Putin": None, "Medvedev": None},
    ),
    (
        "quoted press (made up)",
        "2. (U) President Nazarbayev told the press on Monday that reforms would continue."
        " The Ambassador met Foreign Minister Tazhin later that day.",
        {"Nazarbayev": None, "Tazhin": "met"},
    ),
    (
        "06SAOPAULO465",
        "2. (C) Former Governor Luiz Antonio Fleury Filho told Poloff that the party would"
        " grow. Fleury said the PTB had no candidate of its own.",
        {"Luiz Antonio Fleury Filho": "met"},
    ),
    (
        "09NAIROBI1830 (places named like people, in a series)",
        "3. (C) The money moved through Mombasa, Kisumu and Nakuru, and on to Congo and Wyoming.",
        {},
    ),
    (
        "06SAOPAULO465 (places of more than one word)",
        "4. (SBU) Farmers in Minas Gerais and Mato Grosso do Sul complained to Rio Grande"
        " authorities.",
        {},
    ),
    (
        "surnames that are also places (made up)",
        "5. (C) She added that Kennedy, Rodriguez and Santos were named in the report.",
        {"Kennedy": None, "Rodriguez": None, "Santos": None},
    ),
    (
        "09SANJOSE727 (a surname that is also an English word)",
        "2. (C) President Oscar Arias told the Ambassador that Laura Chinchilla would run. The"
        " Kyoto Protocol was ratified.",
        {"Oscar Arias": "met", "Laura Chinchilla": None},
    ),
    (
        "peoples, faiths, feasts and institutions (made up)",
        "3. (C) Peruvian, Bavarian and Mennonite groups met before Easter, and the Kremlin and"
        " the Bundestag were told. The Costa Rican said nothing.",
        {},
    ),
    (
        "08BRASILIA987 (a list after a group's noun; a particle and ranks in other languages)",
        "1. (C) On July 8 Poloff had a meeting with Brazilian Air Force generals, Tenente"
        " Brigadeiro Paulo Roberto Rohrig de Britto (the number two general) and Colonel Roque"
        " to discuss the program. General Britto said the law is the law.",
        {"Paulo Roberto Rohrig de Britto": "met", "Roque": "met"},
    ),
    (
        "08JERUSALEM1498 (a group's noun followed by no names)",
        "1. (S) PA commanders told PolOff August 11 that they had a positive meeting with IDF"
        " commanders in Jenin on August 11.",
        {},
    ),
    (
        "09CAIRO2355 (a title word after a particle is a surname)",
        "2. (C) Mohamed El Mullah told us that Egypt may be willing to act. El Mullah said the"
        " meetings in Kampala failed.",
        {"Mohamed El Mullah": "met"},
    ),
    (
        "10BOGOTA227 (told us, after someone else's words)",
        "3. (C) The Minister said the GOC plans to move ahead, though ICRC country director"
        " Christophe Beney told us on February 8 that he fears a delay.",
        {"Christophe Beney": "met"},
    ),
    (
        "09LONDON2769 (gave a US official a read-out)",
        "2. (C) FCO Desk Officer Jacqueline Richards gave Poloff a read-out of the visit.",
        {"Jacqueline Richards": "met"},
    ),
    (
        "09MANAMA639 (said to a US official)",
        "4. (C) Wifaq MP Jasim Husain confirmed to poloff on October 28 that naturalization"
        " would top the agenda. Robert Rogers explained to Poloffs that the PM decides.",
        {"Jasim Husain": "met", "Robert Rogers": "met"},
    ),
    (
        "07LIMA3659 (lone words in a meeting's list: NGOs as often as people)",
        "1. (SBU) On May 5 Poloff met with Senator Carlos Reutemann, Proetica and Conectas.",
        {"Carlos Reutemann": "met", "Proetica": None, "Conectas": None},
    ),
    (
        "08MANAGUA281 (the first part of a two-part surname, alone)",
        "1. (C) We met this morning with Colombian Ambassador Antonio Gonzalez Castano. Gonzalez"
        " said he had been instructed to close his Embassy.",
        {"Antonio Gonzalez Castano": "met"},
    ),
    (
        "08TRIPOLI442 (a particle joined by a hyphen inside a run)",
        "1. (C) The Ambassador met Egyptian officials. Asad might have bilateral meetings with"
        " Muammar al-Qadhafi.",
        {"Muammar al-Qadhafi": None},
    ),
    (
        "09BOGOTA688, 09NAIROBI1083 (an article before one word: an institution)",
        "1. (C) The Ambassador met officials. The Fiscalia continued its investigation. The Waki"
        " Report, however, was rubbish, he said.",
        {},
    ),
    (
        "07MANAMA968 (a ruler called by title and first name)",
        "2. (C) Foreign Minister Sheikh Khalid bin Ahmed Al-Khalifa told the Ambassador that"
        " he would go on. Later, Sheikh Khalid stressed the importance of communication.",
        {"Khalid bin Ahmed Al-Khalifa": "met"},
    ),
    (
        "90BAGHDAD4237 (a speaker inside another's words, in capitals)",
        "3. THE AMBASSADOR MET SADDAM HUSAYN ON JULY 25. HUSAYN SAID, I BEGGED SHAYKH ZAYID"
        " TO UNDERSTAND OUR PROBLEMS, AND ZAYID SAID JUST WAIT.",
        {"Saddam Husayn": "met", "Zayid": None},
    ),
    (
        "07BERN158 (a series of names that opens the sentence joined the meeting)",
        "2. (C) The Ambassador met State Secretary Ambuehl on February 15. Swiss DFA Americas Desk"
        " officials Yvonne Baumann and Anna Keller, as well as Embassy Poloff, joined the meeting.",
        {"Ambuehl": "met", "Yvonne Baumann": "attended", "Anna Keller": "attended"},
    ),
    (
        "08SANJOSE517 (a US office named by its acronym)",
        "1. SUMMARY: On June 10, REO met with Ministry of Environment officials Jenny Asch and"
        " Eugenia Arguedas to review the U.S. IWC demarche.",
        {"Jenny Asch": "met", "Eugenia Arguedas": "met"},
    ),
    (
        "07MANAMA1010 (a series of names received a US official)",
        "2. (U) Bahrain's King Hamad, his son Crown Prince Salman, and Foreign Minister Khalid"
        " bin Ahmad al Khalifa received visiting Ambassador Crocker in Manama.",
        {"Hamad": "met", "Salman": "met", "Khalid bin Ahmad al Khalifa": "met", "Crocker": "met"},
    ),
    (
        "05THEHAGUE2136, 02ROME1725 (others' meetings: a name or 'his' before them)",
        "2. (C) The Dutch Justice Minister told the Ambassador on July 30 that, in addition to"
        " the Bot and Balkenende meetings with Chavez, he plans to travel. The Ambassador met"
        " the PM just after he returned from his meetings with President Putin.",
        {"Balkenende": None, "Chavez": None, "Putin": None},
    ),
    (
        "08THEHAGUE684 (another country's ambassador)",
        "2. (U) The Ambassador met officials on August 12. Frans Timmermans issued a statement."
        " Timmermans met with Georgia's ambassador to discuss the matter.",
        {"Frans Timmermans": None},
    ),
    (
        "09NAIROBI1293 (people close to those named)",
        "3. (C) I recently met with interlocutors close to Kibaki and Odinga to press our message.",
        {"Kibaki": None, "Odinga": None},
    ),
    (
        "07MANAMA1010, 09LONDON1745 (a person named by what is theirs)",
        "3. (C) The Ambassador met the FM, who said the Maliki government must act and that the"
        " Obama administration had helped. Students at Jawaharlal Nehru University agreed.",
        {"Maliki": None, "Obama": None},
    ),
    (
        "08TASHKENT1072, 09BOGOTA3404 (said to a named US official; AmEmb's offices)",
        "2. (C) On September 9, XXXXXXXXXXXX confirmed to Ambassador Norland that the visas"
        " came.\n2. (SBU) On October 15, 2009 AmEmb Bogota's consular Fraud Prevention Unit (FPU)"
        " met with the head of the passport office at the Colombian Ministry of Foreign Affairs"
        " (MFA), Mauricio Acero. Acero requested the meeting to alert FPU to a fraud trend.",
        {"Norland": "met", "Mauricio Acero": "met"},
    ),
    (
        "06BRASILIA1670 (an earlier meeting, told in the pluperfect)",
        "4. (C) Poloff met Patriota on August 3. Patriota said he had discussed this with"
        " Secretary Rice, and he did not read the U.S. position as a limit.",
        {"Patriota": "met", "Rice": None},
    ),
    (
        "10CAIRO179 (meetings asked for, not held)",
        "2. (C) We have also requested meetings with President Hosni Mubarak and Foreign"
        " Minister Ahmed Aboul Gheit.",
        {"Hosni Mubarak": None, "Ahmed Aboul Gheit": None},
    ),
    (
        "07BERN158 (a call looked forward to)",
        "8. (C) The Ambassador met Ambuehl on February 15. Finally, Ambuehl said that he looked"
        " forward to his telephone call with Under Secretary Nick Burns later that day.",
        {"Ambuehl": "met", "Nick Burns": None},
    ),
    (
        "09KABUL3714 (whose the conversation is tells nothing)",
        "6. (SBU) In his November 15 conversation with Ambassador Wayne, Minister Shahrani said"
        " that 14 governors had been identified.",
        {"Wayne": "met", "Shahrani": "met"},
    ),
    (
        "not people (made up)",
        "2. (C) The Foreign Minister told the Ambassador that XXXXXXXXXXXX and the Iranian"
        " Embassy in Tehran had met with the Commission.",
        {},
    ),
]


@pytest.mark.parametrize(("cable", "text", "expected"), NARRATIVE, ids=[n[0] for n in NARRATIVE])
def test_read_people(cable: str, text: str, expected: dict[str, str | None]) -> None:
    subject = "DNI BLAIR'S MEETING WITH PRESIDENT CALDERON" if cable == "09MEXICO3061" else None
    found = {" ".join(p.words).title(): p.how for p in read_people(text, subject)}
    assert {name.title(): how for name, how in expected.items()} == found


def test_sentences_keep_initials_and_abbreviations() -> None:
    text = "Mr. John E. Herbst met Dr. Smith in the U.S. embassy. He left. Then"
    assert sentences(text) == [
        "Mr. John E. Herbst met Dr. Smith in the U.S. embassy.",
        "He left.",
        "Then",
    ]


def test_seed_keeps_its_participants_and_says_how() -> None:
    """The seed's participants are those of docs/document.md, each with how they took part."""
    document = parse_cable(SEED.read_bytes())
    how = {p["name"]: p["how"] for p in document["participants"]}
    assert list(how) == [
        "Richard Boucher",
        "Caitlin Hayden",
        "John Ordway",
        "Sean Roberts",
        "Jim Loveland",
        "Tolegen Zhukeyev",
        "Galymzhan Zhakiyanov",
        "Bulat Abilov",
        "Alikhan Baymenov",
    ]
    assert how["Richard Boucher"] == how["John Ordway"] == "met"
    assert {how[name] for name in list(how)[5:]} == {"met"}  # the opposition leaders
    assert how["Caitlin Hayden"] == "listed"
    mentioned = {p["name"] for p in document["mentioned"]}
    assert "Altynbek Sarsenbaiuly" in mentioned
    assert not mentioned & set(how)


def test_mentioned_leaves_out_routing_ref_lines_redactions_and_titles() -> None:
    text = (
        "NSC FOR SMITH\nREF: STATE 12345 (JONES DEMARCHE)\nSUBJECT: VISIT\n\n"
        "1. (C) The Foreign Minister and XXXXXXXXXXXX discussed the visit of President"
        " Vladimir Putin with the Ambassador.\n"
    )
    document = parse_cable(text.encode())
    names = {p["name"] for p in document["participants"] + document["mentioned"]}
    assert "Vladimir Putin" in names
    assert not {"Smith", "Jones"} & names
    assert not any("X" * 4 in name.upper() or "Minister" in name for name in names)


def test_one_person_once_across_particles_and_first_names() -> None:
    """09DAMASCUS179's layout, made up: "Bashar al-Asad" listed, "President Asad" and
    "President Bashar" in the narrative are one participant; "Walid" beside "Walid al-Muallim"
    is nobody else."""
    text = (
        "SUBJECT: CODEL MEETS ASAD\n\n"
        "1. (C) Participants:\nPresident Bashar al-Asad\nForeign Minister Walid al-Muallim\n\n"
        "2. (C) President Asad told the Ambassador that the talks would go on. President Bashar"
        " also said that Walid would travel.\n"
    )
    from service.parsing.participants import people

    found, mentioned = people(text, [])
    assert [(p["name"], p["how"]) for p in found] == [
        ("Bashar al-Asad", "met"),
        ("Walid al-Muallim", "listed"),
    ]
    assert mentioned == []
