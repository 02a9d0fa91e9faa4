"""The signer: the name signing the telegram, read from its last lines."""

from __future__ import annotations

import re
from typing import Final

from service.parsing.fields import scan

# The signer is one of the last lines.
TAIL_LIMIT: Final = 1500
SIGNER_LOOKBACK_LINES: Final = 8

# A signer line: one to three name words ("ORDWAY", "VAN VOORST", "Thompson-Jones", "LeBaron").
# A surname particle may be in lower case ("van Voorst"), a suffix may follow ("Timken jr").
_SIGNER_LINE: Final = re.compile(
    r"^(?:(?:van|von|de|del|da|di|le|la|al|el) )?[A-Z][A-Za-z'’\-]{1,24}"
    r"(?: [A-Z][A-Za-z'’\-]{1,24}){0,2}(?: [JjSs]r\.?)?\.?$"
)
# Lines after the signer that are not text: trailers, banners, markers, rules, site residue.
_TRAILER_LINE: Final = re.compile(
    r"(?i)^(?:NNNN?|BT|#\d+|END(?: OF)? (?:TEXT|CABLE|MESSAGE)\.?|END CABLE TEXT|"
    r"UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE|NOFORN|SIPDIS|SENSITIVE|"
    r"[-=*_/ .>|\"'“”]*|"
    r"[A-Z .]+ \d{8}[ \t]+\d{3}(?:\.\d+)? OF \d{3}|PAGE \d+.*|DECLASSIFIED.*|MARKINGS:.*|"
    r"\d{1,2}/\d{1,2}/\d{2,4}|ID:.*|SELECT .*|=+.*=+|\([A-Z]{1,3}\)|TRACK IMPRESI.*)$"
)
# Site residue anywhere in a trailer line ("Visit our site", "http://", "CLASSIFICATION: ...");
# the pattern is tried only on lines holding one of the words, which a substring test finds
# in a fraction of the time a search for ".*WORD.*" takes.
_TRAILER_INSIDE: Final = re.compile(
    r"(?i)CLASSIFICATION:|\bVISIT\b|HTTPS?:|WWW\.|\bDOCUMENT\b|MISSING SECTION|\bEL PA[IÍ]S\b"
)
# Residue lines are short; a long line holding such a word is text.
MAX_RESIDUE_LINE: Final = 100
_TRAILER_INSIDE_WORDS: Final = (
    "CLASSIFICATION:",
    "VISIT",
    "HTTP",
    "WWW.",
    "DOCUMENT",
    "MISSING",
    "EL PA",
)
# Whether the upper-case line holds one of the words: one regex call, not a loop in Python.
_TRAILER_INSIDE_WORD: Final = re.compile(
    "|".join(re.escape(word) for word in _TRAILER_INSIDE_WORDS)
)
# Words that fit the signer shape but close the text instead ("END COMMENT.", "Thank you").
_NOT_SIGNERS_TEXT: Final = """
    END COMMENT NOTE SUMMARY TEXT EXEMPT REGARDS THANKS THANK YOU ACTION REQUEST STATE
    DEPARTMENT EMBASSY POST CLEARED CLASSIFIED DECL TAGS SUBJECT MINIMIZE CORRECTED COPY
"""
_NOT_SIGNERS: Final = frozenset(_NOT_SIGNERS_TEXT.split())
_REDACTION_CHARACTERS: Final = frozenset("Xx .")
# "END COMMENT. MILES", "BEIRUT MINIMIZE CONSIDERED.  EAGLETON" on one line: the signer
# after a closing phrase.
# A name in capitals after a sentence at the end of a mixed-case line ("submitted. CRETZ"),
# maybe after a redacted word ("Officer.  XXXXXXXXXXXX TUTTLE", 08LONDON2814).
_SIGNER_AFTER_SENTENCE: Final = re.compile(
    r"[a-z0-9][.!?][\"”)]?[ \t]+(?:[Xx]{4,}[ \t]+)?"
    r"([A-Z][A-Z'\-]{2,}(?: [A-Z][A-Z'\-]{2,})?)[ \t]*$"
)
# The same with the surname in mixed case ("telegram. Tueller"): one word, as signers sign.
_SURNAME_AFTER_SENTENCE: Final = re.compile(
    r"[a-z0-9][.!?)\]][\"”)]?[ \t]+([A-Z][a-z][A-Za-z'’\-]{1,24})[ \t]*$"
)
# The characters a name in _SIGNER_AFTER_SENTENCE may end with.
_NAME_LAST_CHARACTERS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ'-")
# How far from the end of its line "END COMMENT. MILES" is sought (long lines are text).
SIGNER_AFTER_END_REACH: Final = 100
_SIGNER_AFTER_END: Final = re.compile(
    r"(?i)(?:\bEND[ \t]+(?:OF[ \t]+)?(?:COMMENT|TEXT|SUMMARY|NOTE)|\bMINIMIZE[ \t]+CONSIDERED)"
    r"\.?[ \t]+"
    r"([A-Z][A-Z'\-]+(?: [A-Z][A-Z'\-]+)?)[ \t]*$"
)


def parse_signer(text: str | scan.Body) -> str | None:
    """The name signing the telegram ("ORDWAY"), after trailers such as NNNN or BT are skipped.

    Read once per Body: parse_paragraphs asks for it too.
    """
    body = scan.as_body(text)
    if not body.signer_read:
        body.signer = _read_signer(body.text)
        body.signer_read = True
    return body.signer


def _read_signer(text: str) -> str | None:
    """The signer of a text (see parse_signer)."""
    # The tail (from `first` on) is read in place: its lines are read from the last one up,
    # each cut out when reached. The signer is nearly always among the last few, so copying,
    # splitting and stripping the whole tail is waste.
    first = max(0, len(text) - TAIL_LIMIT)
    seen = 0
    underlined = False
    end = len(text)
    while end >= first:
        start = max(text.rfind("\n", first, end) + 1, first)
        line = text[start:end].strip()
        end = start - 1  # the line break before this line; first - 1 after the tail's first line
        if not line or _is_trailer_line(line):
            # a heading's underline: the line above it is a heading, not a signer
            underlined = bool(line) and scan.is_rule_line(line)
            continue
        if _is_signer(line) and not underlined:
            above_start = max(text.rfind("\n", first, end) + 1, first)
            above = text[above_start:end].strip() if start > first else ""
            return None if _ends_sentence(line, above) else line.rstrip(".")
        underlined = False
        closing = _closing_signer(line) or (
            None if seen else _signer_after_sentence(line) or _surname_after_sentence(line)
        )
        if closing and _is_signer(closing.group(1)):
            return closing.group(1)
        seen += 1
        if seen >= SIGNER_LOOKBACK_LINES or len(line) > 60:
            return None
    return None


def _signer_after_sentence(line: str) -> re.Match[str] | None:
    """ "...were submitted. CRETZ": a name in capitals glued after the last sentence of a text
    written in mixed case (flattened pages: 10TRIPOLI106, 08HELSINKI374)."""
    # The pattern, led by a character set, is tried at each of the last hundred positions:
    # a line not ending with a name in capitals (most end a sentence) is turned away first.
    if line.rstrip(" \t\n")[-1:] not in _NAME_LAST_CHARACTERS:
        return None
    match = _SIGNER_AFTER_SENTENCE.search(line, max(0, len(line) - SIGNER_AFTER_END_REACH))
    if match is None or not any(char.islower() for char in line[: match.start()]):
        return None
    return None if _is_trailer_line(match.group(1)) else match


def _surname_after_sentence(line: str) -> re.Match[str] | None:
    """ "...cleared this telegram. Tueller", "(Al Ahram, 7/30/2009) Scobey": a surname written
    in mixed case glued after the last sentence of the text (the flattened telegrams of the
    dev set), on the text's last line only."""
    if not line[-1:].isalpha() or not line[-1:].islower():
        return None
    match = _SURNAME_AFTER_SENTENCE.search(line, max(0, len(line) - SIGNER_AFTER_END_REACH))
    if match is None or match.group(1).upper() in _NOT_SIGNERS:
        return None
    return match


def _closing_signer(line: str) -> re.Match[str] | None:
    """ "END COMMENT. MILES": the closing phrase and signer ending a line, sought at its end."""
    upper = line.upper()
    if "END" not in upper and "MINIMIZE" not in upper:
        return None
    return _SIGNER_AFTER_END.search(line, max(0, len(line) - SIGNER_AFTER_END_REACH))


def _is_trailer_line(line: str) -> bool:
    """Whether a line after the text is a trailer, banner, marker, rule or site residue."""
    if line.endswith("...") or _TRAILER_LINE.match(line):
        return True
    if len(line) > MAX_RESIDUE_LINE:
        return False  # text that runs into "*** Missing Section 003 ***" (09QRIPOLI583)
    return bool(_TRAILER_INSIDE_WORD.search(line.upper()) and _TRAILER_INSIDE.search(line))


def _ends_sentence(line: str, above: str) -> bool:
    """Whether "ASSISTANCE." closes the sentence of the line above rather than signing."""
    return line.endswith(".") and bool(above) and (above[-1].isalpha() or above[-1] in ",;'")


def _is_signer(line: str) -> bool:
    """Whether a line is a signer's name rather than a closing word."""
    if not _SIGNER_LINE.match(line):
        return False
    words = line.rstrip(".").upper().split()
    if "VZCZ" in line or set(line) <= _REDACTION_CHARACTERS:
        return False  # routing-header residue, or a redacted name
    return _NOT_SIGNERS.isdisjoint(words)
