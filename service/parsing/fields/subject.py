"""SUBJECT: the subject line, wrapped lines joined, and its own marking."""

from __future__ import annotations

import re
from typing import Final

from service.parsing.fields import scan

_SUBJECT_KEYWORD: Final = re.compile(r"(?i)(?<![A-Za-z])SUBJ(?:ECT)?[ \t]*:[ \t]*")
# Where a subject stops when the next field follows on the same or the next line. Every
# alternative opens with a literal, which the regex engine skips ahead to; that the letter
# opens a word is checked after it ("R(?<![A-Za-z]R)"): a pattern led by a lookbehind would
# be tried at every position of the line, four times slower.
_SUBJECT_STOP: Final = re.compile(
    r"R(?<![A-Za-z]R)(?:EFS?\b\s*[:.]|EFTEL\b)|C(?<![A-Za-z]C)(?:lassi?f?i?ed [Bb]y|LASSIFIED BY)"
    r"|¶|S(?<![A-Za-z]S)ENSITIVE BUT UNCLASSIFIED|E(?<![A-Za-z]E)\.\s?O\.\s?\d"
    r"|C O N F I D E N T I A L|S E C R E T|U N C L A S"
)
# A line that starts the next field or paragraph, so the subject does not run into it.
_SUBJECT_LINE_STOP: Final = re.compile(
    r"(?i)^[ \t]*(?:REF|CLASSI|E\.\s?O\.|TAGS|\d{1,3}[ \t]*\.|\([A-Z/]{1,6}\)|SUMMARY|BEGIN|"
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
    match = scan.match_at_keyword(_SUBJECT_KEYWORD, header, "subj")
    if match is None:
        return None, None
    lines = header.text[match.end() : match.end() + scan.FIELD_LIMIT].split("\n")
    parts: list[str] = []
    for number, line in enumerate(lines):
        if number and (not line.strip() or _SUBJECT_LINE_STOP.match(line)):
            break
        stop = _SUBJECT_STOP.search(line)
        parts.append((line[: stop.start()] if stop else line).rstrip(" \\"))
        if stop:
            break
    subject = scan.squeeze(" ".join(parts)).strip()
    marking = None
    found = _SUBJECT_MARKING.match(subject)
    if found:
        marking = found.group(1).upper().replace(" ", "")
        subject = subject[found.end() :]
    return subject or None, marking
