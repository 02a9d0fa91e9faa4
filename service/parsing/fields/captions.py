"""Handling captions and office distribution, read from the caption zone of the header."""

from __future__ import annotations

import re
from typing import Final

from service.parsing.fields import scan

HANDLING_CAPTIONS: Final = (
    "SIPDIS",
    "NOFORN",
    "EXDIS",
    "NODIS",
    "LIMDIS",
    "STADIS",
    "SENSITIVE",
    "CHEROKEE",
    "ROGER",
    "EYES ONLY",
    "CONDIS",
    "TERREP",
    "VISAS VIPER",
    "TOSEC",
    "SECTO",
)
_CAPTION_ALTERNATIVES: Final = "|".join(c.replace(" ", r"[ \t]+") for c in HANDLING_CAPTIONS)
# A caption ends its word, or runs into the E.O. line glued after it ("SIPDIS SENSITIVEE.O.").
_CAPTION_END: Final = r"(?:(?![A-Za-z/])|(?=E\.[ \t]?O\.))"
_CAPTION: Final = re.compile(r"(?i)(?<![A-Za-z/])(" + _CAPTION_ALTERNATIVES + ")" + _CAPTION_END)
# The same, case-sensitive, for an upper-case copy. Each alternative opens with its literal
# first letter and checks the letter before it after that ("S(?<![A-Za-z/].)IPDIS"): a literal
# lead, as the linear-time rule asks, where a leading lookbehind would not be one.
_CAPTION_UPPER: Final = re.compile(
    "("
    + "|".join(c[0] + r"(?<![A-Za-z/].)" + c[1:].replace(" ", r"[ \t]+") for c in HANDLING_CAPTIONS)
    + ")"
    + _CAPTION_END
)
# The caption zone ends at the first header field after the captions. The pattern opens with
# the set of the fields' first letters, which the regex engine skips ahead to, then checks
# that the letter opens a word, and which field it opens. The set is written out in both
# cases ("ſ" is an s ignoring case) and only the rest ignores case, since a set of letters
# under IGNORECASE is no lead the engine can skip ahead to.
_CAPTION_ZONE_END: Final = re.compile(
    "[CERSTcerst\u017f](?i:(?<![A-Za-z].)"
    # (a TAGS keyword ending its line is a correction note's: "C O R R E C T E D C O P Y - TAG")
    r"(?:(?<=E)\.?[ \t]?O\.?[ \t]?\d{4}|(?<=T)AGS?\b(?![ \t]*\n)|(?<=S)UBJ(?:ECT)?\s*:"
    r"|(?<=R)EF(?:S|TELS?)?\s*:|(?<=C)lassified\s+by))"
)
# The classification line that opens the body ("C O N F I D E N T I A L SECTION 01 OF 03
# ALMATY 001457", "UNCLAS STATE 123456"), removed before office lines are read.
_CLASSIFICATION_LINE: Final = re.compile(
    r"(?i)^[ \t]*(?:UNCLAS(?:SIFIED)?|CONFIDENTIAL|SECRET|TOP SECRET|LIMITED OFFICIAL USE|"
    r"C O N F I D E N T I A L|S E C R E T|U N C L A S(?: S I F I E D)?)\b"
    r"(?:[^\n]*?\b\d{3,7}\b)?"
)
# Lines of the caption zone that open an office-distribution entry.
_OFFICE_LEAD: Final = re.compile(
    r"(?i)^(?:DEPT|DEPARTMENT|STATE|SECSTATE|FOR|PASS|PLEASE|USDOC|TREASURY|USTR|AMEMBASSY|"
    r"AMCONSUL|USAID|NSC|DOD|USEU|OSD|CJCS|WHITE HOUSE|DEPT\.)\b"
    # "NSC FOR ...", "USDA ALSO FOR ...", "S/S-O PLEASE PASS ...": an addressee, then FOR or PASS
    r"|^[A-Z][\w/.&-]{1,20}(?: [A-Z][\w/.&-]{1,20})?(?: ALSO)? (?:FOR|PASS|PLEASE PASS)\b"
)
# Lines of the caption zone that are not office distribution: a classification line (ends
# with the serial), a correction caption, a reference id, a stray DECL.
_NOT_OFFICE_LINE: Final = re.compile(
    r"(?i)(?:\d{2}[A-Z]+\d+$|DECL\b|E\.?[ \t]?[O0]\.?[ \t]?\d{4,5})"
)
_CLASSIFICATION_LINE_END: Final = re.compile(r"[A-Za-z]{2,}[ \t]+\d{6}$")
_CORRECTION_CAPTIONS: Final = ("C O R R E C T E D", "CORRECTED COPY")
_CAPTION_RESIDUE_LEAD: Final = " \t,;.:-"
_CAPTION_RESIDUE_TRAIL: Final = " \t,;:-"


def parse_handling(text: str | scan.Body) -> list[str]:
    """Handling captions between the classification line and the E.O. line, in order, once."""
    body = scan.as_body(text)
    spans = _caption_spans(body)
    if spans is None:
        found = [match.group(1) for match in _CAPTION.finditer(_caption_zone(body))]
    else:
        found = [caption for _, _, caption in spans]
    # A caption is letters and, between its words, blanks: splitting squeezes it as scan.squeeze.
    captions = [" ".join(caption.split()).upper() for caption in found]
    return list(dict.fromkeys(captions))


def _caption_spans(body: scan.Body) -> tuple[tuple[int, int, str], ...] | None:
    """(start, end, caption) of each handling caption in the caption zone, upper case.

    One scan serves both parse_handling and parse_office_distribution. Matching an upper-case
    copy without IGNORECASE costs a third; a few letters change length in upper case, and
    then positions in the copy are not the zone's: None, and the zone itself is searched.
    Made once per Body.
    """
    if not body.caption_spans_read:
        body.caption_spans = _zone_caption_spans(_caption_zone(body))
        body.caption_spans_read = True
    return body.caption_spans


def _zone_caption_spans(zone: str) -> tuple[tuple[int, int, str], ...] | None:
    """What _caption_spans gives, of the caption zone given."""
    upper = zone.upper()
    if len(upper) != len(zone):
        return None
    return tuple((m.start(), m.end(), m.group(1)) for m in _CAPTION_UPPER.finditer(upper))


def _office_lines(body: scan.Body) -> list[str]:
    """The lines of the caption zone after the classification line, each caption a space."""
    zone = _caption_zone(body)
    opening = _CLASSIFICATION_LINE.match(zone)
    start = opening.end() if opening else 0
    spans = _caption_spans(body)
    if spans is None:
        return [_without_captions(line) for line in zone[start:].split("\n")]
    # Captions lie within a line, and none reaches into the classification line (it ends with
    # a word before a non-word character, where no caption, all letters and blanks, can run
    # across): they are cut from the zone at once, not line by line.
    pieces = []
    position = start
    for caption_start, caption_end, _ in spans:
        if caption_start >= start:
            pieces += [zone[position:caption_start], " "]
            position = caption_end
    pieces.append(zone[position:])
    return "".join(pieces).split("\n")


def parse_office_distribution(text: str | scan.Body) -> list[str]:
    """Office distribution lines ("DEPT FOR EB/ESC; SCA/PO (MANN)"), wrapped lines joined."""
    entries: list[list[str]] = []
    previous_blank = True
    for raw_line in _office_lines(scan.as_body(text)):
        line = raw_line.lstrip(_CAPTION_RESIDUE_LEAD).rstrip(_CAPTION_RESIDUE_TRAIL)
        if line:  # (most lines of the zone are blank or held captions only)
            line = scan.squeeze(line).strip()
        if line and _not_office_line(line):
            line = ""
        if not line:
            previous_blank = True
            continue
        if previous_blank or _OFFICE_LEAD.match(line) or not entries:
            entries.append([line])
        else:
            entries[-1].append(line)
        previous_blank = False
    offices = [" ".join(entry) for entry in entries]
    return list(dict.fromkeys(office for office in offices if any(c.isalpha() for c in office)))


def _without_captions(line: str) -> str:
    """The line with each handling caption made a space (found in an upper-case copy)."""
    upper = line.upper()
    if len(upper) != len(line):
        return _CAPTION.sub(" ", line)
    pieces = []
    position = 0
    for caption in _CAPTION_UPPER.finditer(upper):
        pieces += [line[position : caption.start()], " "]
        position = caption.end()
    return "".join(pieces) + line[position:] if pieces else line


def _not_office_line(line: str) -> bool:
    """A classification line (ends with the serial), a correction caption, an id, a DECL."""
    if line[-6:].isdigit() and _CLASSIFICATION_LINE_END.search(line, max(0, len(line) - 60)):
        return True
    upper = line.upper()
    return any(caption in upper for caption in _CORRECTION_CAPTIONS) or bool(
        _NOT_OFFICE_LINE.match(line)
    )


def _caption_zone(body: scan.Body) -> str:
    """The text between the classification line and the first header field (once per Body)."""
    if body.caption_zone is None:
        header = body.header.text
        end = _CAPTION_ZONE_END.search(header)
        body.caption_zone = header[: end.start()] if end else header
    return body.caption_zone
