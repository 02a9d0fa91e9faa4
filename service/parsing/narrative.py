"""People read from a cable's narrative: who took part in what it reports, and who it names.

The body after its header lines is cut into sentences and words. A person is a run of
capitalised words after a title ("Interior Minister Rafael Filizzola", "FM KAMILOV"), after an
honorific ("Mr. Fred Turner"), or of two or more words one of which is no English word
("Jean-David Levitte"); a lone word counts when it is the surname of a person already named or
when it speaks ("Karimov observed"). In all-caps text (cables before about 2005) the dictionary
alone tells name words from others.

Each time a person is named, the words around say how they took part: the subject of a speech
verb in a cable that reports a meeting met US officials; "met with X", "a meeting with X" met;
"accompanied by X" attended; "demarched X" was briefed; a speaker at a conference or press
event spoke. A person with no such sign is only mentioned. Quotes from the press are no sign.

This module cuts the narrative and drives the reading; narrative_reader.py reads the names of a
sentence, narrative_signs.py what the words around them say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from service.parsing import narrative_signs as signs
from service.parsing.names import words
from service.parsing.narrative_reader import Person, Reader, stronger

# Where the narrative starts: the first numbered paragraph, else after the header lines.
_FIRST_PARAGRAPH: Final = re.compile(r"(?m)^[ \t]*(?:¶[ \t]*)?1[ \t]*\.[ \t]*(?=[(A-Za-z])")
_HEADER_LINE: Final = re.compile(
    r"(?im)^[ \t]*(?:SUBJ(?:ECT)?|REF(?:S|TEL|TELS)?|TAGS|E\.\s?O\.|CLASSIFIED\s+BY|REASONS?)\b.*$"
)
HEADER_LIMIT: Final = 6000
# Lines that are no narrative: REF lines, "NSC FOR SMITH" routing, the classification line.
_NOT_NARRATIVE_LINE: Final = re.compile(
    r"(?m)^[ \t]*(?:(?i:REF(?:S|TEL|TELS)?\s*[:.]|CLASSIFIED\s+BY)|[A-Z/]{2,}[ \t]+FOR[ \t]+[A-Z]"
    r"(?![a-z])).*$"
)
# A sentence ends at . ! or ? followed by a blank, or at a blank line.
_SENTENCE_END: Final = re.compile(r"[.!?][\"')\]]* | \x00 ")
_BLANK_LINE: Final = re.compile(r"\n[ \t]*\n")
_ABBREVIATIONS: Final = words(
    """
    mr mrs ms dr gen lt col maj capt sgt adm sen rep gov amb st jr sr no vs messrs mme prof
    rev cmdr brig pres dept govt u.s u.k u.n e.u a.s u.s.g p.m a.m
    """
)

NARRATIVE_LIMIT: Final = 100_000  # characters of the body read for people
CASE_SAMPLE: Final = 4_000


def narrative_zone(body: str) -> str:
    """The body from its first numbered paragraph, else after its header lines."""
    first = _FIRST_PARAGRAPH.search(body)
    if first:
        start = first.start()
    else:
        start = 0
        for line in _HEADER_LINE.finditer(body, 0, HEADER_LIMIT):
            start = line.end()
    return _NOT_NARRATIVE_LINE.sub("", body[start:])


def sentences(text: str) -> list[str]:
    """Sentences of running text, lines joined; abbreviations and initials end none."""
    flat = " ".join(_BLANK_LINE.sub(" \x00 ", text).split())  # NUL: a paragraph break
    found, start = [], 0
    for end in _SENTENCE_END.finditer(flat):
        if end.group()[0] == ".":
            word = flat[max(start, end.start() - 12) : end.start()].rsplit(" ", 1)[-1]
            word = word.lower().lstrip("(\"'")
            if word in _ABBREVIATIONS or len(word) == 1:
                continue  # "Mr. Turner", "John E. Herbst"
        found.append(flat[start : end.end()].strip(" \x00"))
        start = end.end()
    found.append(flat[start:].strip(" \x00"))
    return [sentence for sentence in found if sentence]


_LOWER_LETTERS: Final = re.compile(r"[a-z\u00df-\u00ff]")
_LETTERS: Final = re.compile(r"[^\W\d_]")


def _is_caps_text(text: str) -> bool:
    """Whether a text is written in capitals (fewer than 2% lower-case letters in its first
    CASE_SAMPLE characters, which decide as well as the whole)."""
    sample = text[:CASE_SAMPLE]
    lower = len(_LOWER_LETTERS.findall(sample))
    if lower > len(sample) // 50:
        return False  # enough lower case whatever the letters are
    letters = len(_LETTERS.findall(sample))
    return letters > 0 and lower * 50 < letters


_SUBJECT_MEETING: Final = re.compile(
    r"(?i)\b(?:meet|meets|meeting|met|discuss(?:es|ed)?|talks?|calls?\s+on|call|visits?|"
    r"lunch|dinner|tells|told|demarche|briefs?|conversation|consultations)\b"
)
# A cable that reviews the press: the people it quotes spoke to the press, not to us.
_PRESS_REVIEW: Final = re.compile(
    r"(?i)\b(?:press|media|editorials?|round-?up|op-?eds?|newspapers?)\b"
)
_SUBJECT_WORD: Final = re.compile(r"[^\W\d_][\w'’\-]*")


@dataclass(slots=True)
class Reading:
    """What the narrative says of people: who it names, and which US offices took part in its
    meetings without a name ("told the Ambassador")."""

    people: list[Person]
    offices: set[str]


# US offices, as a cable names them without a name ("the Ambassador"), by the word a signer's or
# Classified By official's title uses for them.
OFFICES: Final = {
    "ambassador": ("ambassador", "amb"),
    "charge": ("charge", "chargé", "cda", "charge d'affaires", "chargé d'affaires"),
    "dcm": ("dcm", "deputy chief of mission"),
    "consul general": ("consul general", "congen", "cg", "principal officer"),
    "polcouns": ("polcouns", "political counselor", "pol counselor"),
    "econcouns": ("econcouns", "economic counselor", "econ counselor"),
    "polchief": ("polchief", "political chief", "pol chief"),
    "econchief": ("econchief", "economic chief", "econ chief"),
    "poloff": ("poloff", "political officer", "pol officer"),
    "econoff": ("econoff", "economic officer", "econ officer"),
}
_OFFICE_OF_ALIAS: Final = {
    alias: office for office, aliases in OFFICES.items() for alias in aliases
}
# Each alias as a whole word, in the order office_of tries them.
_ALIAS_PATTERNS: Final = tuple(
    (re.compile(r"\b" + re.escape(alias) + r"\b"), office)
    for alias, office in _OFFICE_OF_ALIAS.items()
)
_UNNAMED_OFFICE: Final = re.compile(
    r"(?i)\bthe ("
    + "|".join(sorted(map(re.escape, _OFFICE_OF_ALIAS), key=len, reverse=True))
    + r")\b(?-i:(?! [A-Z][a-z]))"
)


def office_of(title: str | None) -> str | None:
    """The US office a title holds ("Ambassador" -> "ambassador", "CDA" -> "charge")."""
    if not title:
        return None
    lowered = " ".join(title.lower().split())
    for alias, office in _ALIAS_PATTERNS:
        if alias.search(lowered):
            return office
    return None


def read_people(body: str, subject: str | None = None) -> list[Person]:
    """The people named in a cable's narrative (read_narrative's)."""
    return read_narrative(body, subject).people


def read_narrative(body: str, subject: str | None = None, offices: bool = False) -> Reading:
    """The people named in a cable's narrative, each once, with how they took part (None:
    only mentioned); with `offices`, also the US offices that took part in its meetings
    unnamed. A person the subject line names beside a meeting word met ("DNI BLAIR'S
    MEETING WITH PRESIDENT CALDERON")."""
    text = narrative_zone(body[:NARRATIVE_LIMIT])
    press_review = bool(subject and _PRESS_REVIEW.search(subject))
    all_sentences = sentences(text)
    meeting_cable = False
    for sentence in [] if press_review else all_sentences:
        lowered = sentence.lower()
        found = signs.sentence_words(lowered)
        if signs.meeting(lowered, found) and signs.us_side(lowered, found):
            meeting_cable = True
            break
    reader = Reader(_is_caps_text(text))
    took_part: set[str] = set()
    for sentence in all_sentences:
        if reader.caps or _LOWER_LETTERS.search(sentence):
            reader.read_sentence(sentence, meeting_cable)  # not an all-caps heading
        if offices and meeting_cable:
            took_part |= _offices_met(sentence)
    reader.resolve_singles()
    if subject and _SUBJECT_MEETING.search(subject):
        words = {word.lower().removesuffix("'s") for word in _SUBJECT_WORD.findall(subject)}
        for person in reader.people:
            if person.words[-1].lower() in words:
                person.how = stronger(person.how, "met")
    return Reading(reader.people, took_part)


def _offices_met(sentence: str) -> set[str]:
    """The US offices a sentence shows in a meeting without a name ("X told the Ambassador")."""
    found = {
        _OFFICE_OF_ALIAS[match.group(1).lower()] for match in _UNNAMED_OFFICE.finditer(sentence)
    }
    if found:
        lowered = sentence.lower()
        said = signs.sentence_words(lowered)
        if not signs.meeting(lowered, said) and said.isdisjoint(_OFFICE_ACTS):
            return set()
    return found


# What an unnamed official does in a meeting beside meeting words: speaks, delivers, presses.
_OFFICE_ACTS: Final = signs.SPEECH_VERBS | words("delivered pressed raised reiterated presented")
