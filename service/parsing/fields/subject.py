"""SUBJECT: the subject line, wrapped lines joined, and its own marking."""

from __future__ import annotations

import re
from typing import Final

from service.parsing.fields import scan
from service.parsing.reference_ids import is_station

_SUBJECT_KEYWORD: Final = re.compile(r"(?i)(?<![A-Za-z])SUBJ(?:ECT)?[ \t]*:[ \t]*")
# The keyword with its first letter lost, opening a line: "UBJECT: 110 LIBYAN COMPANIES".
_SUBJECT_KEYWORD_CUT: Final = re.compile(r"(?m)^UBJECT[ \t]*:[ \t]*")
# "SUBJ" or "SUBJECT" without colon, in capitals, opening a line: tried where no colon is.
_SUBJECT_KEYWORD_BARE: Final = re.compile(r"SUBJ(?:ECT)?[ \t]*(?:[.\-][ \t]*|[ \t](?=[A-Z(]))")
# The executive orders of classification and declassification: "E.O. 12958" opens the E.O.
# line; "UNDER E.O. 13382" (a sanctions order) is part of a subject.
_CLASSIFICATION_ORDERS: Final = r"(?:12065|12356|12958|13292|13526)"
_EO_FIELD: Final = r"E\.\s?O\.(?:\s?" + _CLASSIFICATION_ORDERS + r"|\s?\d{3,5}\s*:|[^\d\s])"
# Where a subject stops when the next field follows on the same or the next line. Every
# alternative opens with a literal (the linear-time rule's lead); that the letter opens a
# word is checked after it ("R(?<![A-Za-z]R)"), since a leading lookbehind is no lead.
_SUBJECT_STOP: Final = re.compile(
    r"R(?<![A-Za-z]R)(?:EFS?\b\s*[:.]|EFTEL\b)|C(?<![A-Za-z]C)(?:lassi?f?i?ed [Bb]y|LASSIFIED BY)"
    r"|¶|[Ss](?<![A-Za-z][Ss])(?i:ensitive but unclassified)|E(?<![A-Za-z]E)"
    + _EO_FIELD[1:]
    + r"|C O N F I D E N T I A L|S E C R E T|U N C L A S"
    # a REF line glued on ("...SHEIKH CASEREF: SECSTATE 108201", "REFTELS: AS NOTED")
    r"|REF(?:S|TELS?)?:[ \t]*(?=[A-Z][.)]|\([A-Z]\)|[A-Z][A-Za-z ]{1,24}\d|\d)|REFTELS?:"
    # a rule, a page stamp of 2006-2010 ("TRIPOLI 00000014 001.2 OF 002")
    r"|-----|[0-9]{8}[ \t]+[0-9]{3}\.[0-9]"
    # passing instructions ("GEORGIA TREASURY DEPT PASS IRS")
    r"|(?:[A-Z]{3,}[ \t]+)?DEPT[ \t]+PASS\b"
)
# The station before a page stamp is its last one to three words.
_STAMP_STATION_WORDS: Final = 3
# A line that starts the next field or paragraph, so the subject does not run into it.
_SUBJECT_LINE_STOP: Final = re.compile(
    r"(?i)^[ \t]*(?:REF|CLASSI|" + _EO_FIELD + r"|TAGS|\d{1,3}[ \t]*\.|\([A-Z/]{1,6}\)|SUMMARY|"
    r"BEGIN[ \t]+(?:SUMM|TEXT|COMM|QUOTE|UNCLAS|SENS|INFO|INTRO)|"
    # passing instructions ("TREASURY DEPT PASS IRS")
    r"(?:[A-Z]+[ \t]){1,3}PASS[ \t]|"
    r"SIPDIS|PAGE \d|-{3,}|(?:UNCLAS|CONFIDENTIAL|SECRET)\b|"
    # a page marker ("MINSK 00000641 001.3 OF 005") or a dated line ("Friday, 18 December 2009")
    r"[A-Z .'-]{2,40} \d{8} |(?:MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)DAY,)"
)
_SUBJECT_MARKING: Final = re.compile(r"^\(([A-Za-z]{1,4}(?:(?:/{1,2}|-)[A-Za-z ]{1,12}){0,3})\)\s*")


def parse_subject(text: str | scan.Body) -> str | None:
    """The SUBJECT, wrapped lines joined, leading marking such as "(C)" removed."""
    return parse_subject_and_marking(text)[0]


def parse_subject_marking(text: str | scan.Body) -> str | None:
    """The subject's own marking without parentheses ("C", "SBU", "S/NF"), or None."""
    return parse_subject_and_marking(text)[1]


def parse_subject_and_marking(text: str | scan.Body) -> tuple[str | None, str | None]:
    """(subject, marking) of the SUBJECT line."""
    header = scan.as_body(text).header
    end = _keyword_end(header)
    if end is None:
        return None, None
    subject, marking = _subject_at(header.text, end)
    if subject and subject.endswith("..."):
        # a preview cut short ("NETHER..."): the full copy follows
        again = _SUBJECT_KEYWORD.search(header.text, end)
        if again:
            full, full_marking = _subject_at(header.text, again.end())
            if full and full.startswith(subject[:-3]) and not full.endswith("..."):
                return full, full_marking
    return subject, marking


def _subject_at(text: str, end: int) -> tuple[str | None, str | None]:
    """(subject, marking) of the SUBJECT line whose keyword ends at end."""
    lines = text[end : end + scan.FIELD_LIMIT].split("\n")
    parts: list[str] = []
    for number, line in enumerate(lines):
        if not parts and number < 3 and not line.strip():
            continue  # "SUBJECT:", a blank line, the subject
        if number and (not line.strip() or _SUBJECT_LINE_STOP.match(line)):
            break
        stop = _SUBJECT_STOP.search(line)
        part = line[: stop.start()] if stop else line
        if stop and stop.group()[0].isdigit():
            part = _without_station(part)
        parts.append(part.rstrip(" \\"))
        if stop:
            break
    subject = scan.squeeze(" ".join(parts)).strip()
    doubled = _SUBJECT_KEYWORD.match(subject)
    if doubled:  # "SUBJECT: SUBJECT: COSTA RICA"
        subject = subject[doubled.end() :]
    marking = None
    found = _SUBJECT_MARKING.match(subject)
    if found:
        marking = found.group(1).upper().replace(" ", "")
        subject = subject[found.end() :]
    return subject or None, marking


def _keyword_end(header: scan.Body) -> int | None:
    """Where the subject starts: after "SUBJECT:", else after a bare "SUBJ"/"SUBJECT" opening
    a line, else after "UBJECT:" opening a line."""
    match = scan.match_at_keyword(_SUBJECT_KEYWORD, header, "subj")
    if match is not None:
        return match.end()
    text = header.text
    position = text.find("SUBJ")
    hits = 0
    while position >= 0 and hits < scan.MAX_KEYWORD_HITS:
        hits += 1
        if position == 0 or text[position - 1] == "\n":
            bare = _SUBJECT_KEYWORD_BARE.match(text, position)
            if bare:
                return bare.end()
        position = text.find("SUBJ", position + 1)
    cut = _SUBJECT_KEYWORD_CUT.search(text) if "UBJECT" in text else None
    return cut.end() if cut else None


def _without_station(text: str) -> str:
    """Text before a page stamp without the stamp's station ("... IN NEW YORK TRIPOLI")."""
    words = text.split()
    for size in range(min(_STAMP_STATION_WORDS, len(words) - 1), 0, -1):
        if is_station(" ".join(words[-size:])):
            return " ".join(words[:-size])
    return " ".join(words[:-1])
