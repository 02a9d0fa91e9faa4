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

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Final

from service.parsing import narrative_signs as signs
from service.parsing import narrative_words as vocab
from service.parsing.names import words
from service.parsing.narrative_names import may_be_surname, stronger, surname
from service.parsing.narrative_reader import MAX_SENTENCE, Person, Reader
from service.parsing.narrative_runs import clear_caches as clear_run_caches

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
# (Written to start with one character set, so that the regex engine skips to the candidates
# in C: " \x00 " is matched from its NUL.)
_SENTENCE_END: Final = re.compile(r"[.!?\x00](?:(?<= \x00) |(?<=[.!?])[\"')\]]* )")
_BLANK_LINE: Final = re.compile(r"\n[ \t]*\n")
_ABBREVIATIONS: Final = words(
    """
    mr mrs ms dr gen lt col maj capt sgt adm sen rep gov amb st jr sr no vs messrs mme prof
    rev cmdr brig pres dept govt u.s u.k u.n e.u a.s u.s.g p.m a.m
    """
)
_LONGEST_ABBREVIATION: Final = max(map(len, _ABBREVIATIONS))

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
    # NUL: a paragraph break; a backslash ending a line is a continuation mark of some copies
    flat = " ".join(_BLANK_LINE.sub(" \x00 ", text.replace("\\\n", "\n")).split())
    found, start, taken = [], 0, -1
    for end in _SENTENCE_END.finditer(flat):
        mark = end.group()[0]
        if mark == "\x00" and end.start() == taken:
            continue  # the blank before it closed the match before ("etc. \x00 ")
        taken = end.end()
        if mark == ".":
            word = flat[max(start, end.start() - 12) : end.start()]
            word = word[word.rfind(" ") + 1 :]
            # a word longer than every abbreviation, with nothing to strip, is none (most)
            if len(word) <= _LONGEST_ABBREVIATION or word[:1] in "(\"'":
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
    # Counted by deleting bytes of the Latin-1 text, a hundredth of the cost of findall's
    # lists; other characters (curly quotes, Cyrillic) become "?", and only when they could
    # turn the answer (as letters) are the letters counted again.
    raw = sample.encode("latin-1", "replace")
    lower = len(raw.translate(None, _NOT_LOWER_BYTES))
    letters = len(raw.translate(None, _NOT_LETTER_BYTES))
    others = raw.count(b"?") - sample.count("?")
    if others and letters <= lower * 50 < letters + others:
        letters = len(_LETTERS.findall(sample))
    return letters > 0 and lower * 50 < letters


# The Latin-1 bytes that _LOWER_LETTERS and _LETTERS do not match.
_NOT_LOWER_BYTES: Final = bytes(b for b in range(256) if not _LOWER_LETTERS.match(chr(b)))
_NOT_LETTER_BYTES: Final = bytes(b for b in range(256) if not _LETTERS.match(chr(b)))


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
# The same on lower-cased text, with a literal start the regex engine finds in C; the case of
# the words after is checked on the text itself (_unnamed_offices).
_UNNAMED_OFFICE_LOWERED: Final = re.compile(
    r"the (?<!\wthe )("
    + "|".join(sorted(map(re.escape, _OFFICE_OF_ALIAS), key=len, reverse=True))
    + r")\b"
)
_NAME_AFTER: Final = re.compile(r" [A-Z][a-z]")
_UNNAMED_OFFICE: Final = re.compile(
    r"(?i)\bthe ("
    + "|".join(sorted(map(re.escape, _OFFICE_OF_ALIAS), key=len, reverse=True))
    + r")\b(?-i:(?! [A-Z][a-z]))"
)


@functools.lru_cache(maxsize=4096)
def office_of(title: str | None) -> str | None:
    """The US office a title holds ("Ambassador" -> "ambassador", "CDA" -> "charge"); kept for
    each title, as the same titles recur in every cable ("Foreign Minister")."""
    if not title:
        return None
    lowered = " ".join(title.lower().split())
    for alias, office in _ALIAS_PATTERNS:
        if alias.search(lowered):
            return office
    return None


def clear_caches() -> None:
    """Forget every answer the reader keeps from cable to cable (the runs' readings, the
    offices of titles, the lone words that may be surnames): for measuring the reading of
    cables never seen before."""
    clear_run_caches()
    may_be_surname.cache_clear()
    office_of.cache_clear()


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
    cut = [signs.Sentence(sentence[:MAX_SENTENCE]) for sentence in all_sentences]
    meeting_cable = False
    first_with_us = len(all_sentences)  # the first sentence showing US officials in a meeting
    for index, (sentence, read) in enumerate(
        zip([] if press_review else all_sentences, cut, strict=False)
    ):
        lowered, found = _words(sentence, read)
        whole = len(sentence) == len(read.text)  # then its reading shares the answers
        if read.us_side if whole else vocab.us_side(lowered, found):
            if read.meeting if whole else vocab.meeting(lowered, found):
                first_with_us = min(first_with_us, index)
                meeting_cable = True
                break
            if first_with_us > index and vocab.talking(found):
                first_with_us = index  # US officials talking with someone, not yet a meeting
    reader = Reader(_is_caps_text(text))
    paragraphs = _paragraph_numbers(all_sentences)
    opened = paragraphs[first_with_us] if first_with_us < len(all_sentences) else len(cut)
    for sentence, read, paragraph in zip(all_sentences, cut, paragraphs, strict=True):
        read.after_us = paragraph >= opened
        read.meeting_cable = meeting_cable
        read.caps = reader.caps
        if reader.caps or _LOWER_LETTERS.search(sentence):
            reader.read_sentence(read)  # not an all-caps heading
    took_part: set[str] = set()
    if offices and meeting_cable:
        took_part = _offices_met(all_sentences, cut)
    reader.resolve_singles()
    if subject and _SUBJECT_MEETING.search(subject):
        words = {word.lower().removesuffix("'s") for word in _SUBJECT_WORD.findall(subject)}
        for person in reader.people:
            if surname(person.words) in words:
                person.how = stronger(person.how, "met")
    return Reading(reader.people, took_part)


def _paragraph_numbers(all_sentences: list[str]) -> list[int]:
    """The number of the paragraph each sentence stands in: a sentence opening with a
    paragraph marking or number ("2. (C)", "(SBU)", "3.") opens the next."""
    numbers: list[int] = []
    number = 0
    for sentence in all_sentences:
        if numbers and vocab.PARAGRAPH_START.match(sentence):
            number += 1
        numbers.append(number)
    return numbers


def _words(sentence: str, read: signs.Sentence) -> tuple[str, frozenset[str]]:
    """A whole sentence lower-cased and its words (those of its reading when it is whole)."""
    if len(sentence) == len(read.text):
        return read.words()
    lowered = sentence.lower()
    return lowered, vocab.sentence_words(lowered)


def _offices_met(all_sentences: list[str], cut: list[signs.Sentence]) -> set[str]:
    """The US offices the sentences show in a meeting without a name ("X told the
    Ambassador"). One search over the sentences joined (by line breaks, which end no match
    differently from a sentence's end) finds every sentence's candidates at once."""
    joined = "\n".join(all_sentences)
    starts, start = [], 0
    for sentence in all_sentences:
        starts.append(start)
        start += len(sentence) + 1
    by_sentence: dict[int, set[str]] = {}
    for start, alias in _unnamed_offices(joined):
        index = bisect.bisect_right(starts, start) - 1
        by_sentence.setdefault(index, set()).add(_OFFICE_OF_ALIAS[alias])
    took_part: set[str] = set()
    for index, found in by_sentence.items():
        lowered, said = _words(all_sentences[index], cut[index])
        whole = len(all_sentences[index]) == len(cut[index].text)
        shows_meeting = cut[index].meeting if whole else vocab.meeting(lowered, said)
        if shows_meeting or not said.isdisjoint(_OFFICE_ACTS):
            took_part |= found
    return took_part


def _unnamed_offices(text: str) -> list[tuple[int, str]]:
    """Where text names a US office without a name ("the Ambassador", not "the Ambassador
    Smith"), and the office's alias in lower case (the matches of _UNNAMED_OFFICE)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # lower-casing changed the offsets ("İ")
        return [(match.start(), match.group(1).lower()) for match in _UNNAMED_OFFICE.finditer(text)]
    return [
        (match.start(), match.group(1))
        for match in _UNNAMED_OFFICE_LOWERED.finditer(lowered)
        if not _NAME_AFTER.match(text, match.end())
    ]


# What an unnamed official does in a meeting beside meeting words: speaks, delivers, presses.
_OFFICE_ACTS: Final = vocab.SPEECH_VERBS | words("delivered pressed raised reiterated presented")
