"""REF: the references block, one entry per cited cable or other document."""

from __future__ import annotations

import re
from typing import Any, Final

from service.parsing.fields import scan
from service.parsing.reference_ids import (
    abbreviates_station,
    canonicalize_reference_id,
    is_station,
    make_reference_id,
    nearest_station,
)

# "REF:", "REFS:", "REF.", "REFTEL:", "Ref(s):", "Reftel:", or "REF" opening a line of the
# header; "REF:" glued to the subject's last word ("UK PRIMEREF: A. LONDON 1939").
_REF_KEYWORD: Final = re.compile(
    r"(?:(?<![a-z])REF(?:S|TELS?)?[ \t]*:|(?<![A-Za-z])Ref(?:s|\(s\)|tels?)?[ \t]*:"
    r"|(?m:^)[ \t]*(?:¶[ \t]*)?REF(?:S)?\.?[ \t]+"
    # "SENSITIVE SIPDIS REF LONDON 01170": inside a line, only before a station and serial
    r"|(?<![A-Za-z(])REF[ \t]+(?=[A-Z][A-Z ]{1,30}\d))"
)
# What may stand between a line start and "REF" in _REF_KEYWORD.
_REF_LINE_LEAD: Final = " \t¶"
# A bullet alone before an inline "REF" keyword.
_LEADING_BULLET: Final = re.compile(r"[ \t¶]*\(?[A-Za-z][.)][ \t]*")
# No reference entry is longer than this; longer ones ran into the text.
MAX_REFERENCE_TEXT: Final = 160
# Where the REF block ends: the next header field, a paragraph, a summary heading. Every
# match opens with a character of the leading lookahead, which turns away most positions
# with one test before the alternatives are tried.
_REF_STOP: Final = re.compile(
    r"(?=(?i:[\ncest(]))(?:"
    r"(?i:classi?f?i?ed\s+by|(?<![A-Za-z])summary\b|(?<![A-Za-z])E\.\s?O\.\s?\d|"
    # (a blank line before a bullet or a serial is inside the block: "(B) Rio de Janeiro \n
    # \n00723")
    r"\n[ \t]*\n(?![ \t]*(?:¶[ \t]*)?(?:\(?[A-Z][.):]\s|\d{3,}\b(?![.\d])))|"
    r"\n[ \t]*(?:¶[ \t]*)?\d{1,3}[ \t]*\.(?!\d)|"
    r"(?<![A-Za-z])TAGS\b|(?<![A-Za-z])SUBJECT\s*:|sensitive\s+but\s+unclassified)|"
    # a paragraph that starts with its marking and a sentence: "(SBU) Poloff delivered"
    r"\((?:U|C|S|SBU|C/NF|S/NF)\)\s+[A-Z][a-z]+[ \t]+[a-z]+"
    r")"
)
# A page marker left inside a line ("TRIPOLI 00000214 001.2 OF 002").
_INLINE_PAGE_MARKER: Final = re.compile(
    r"[A-Z][A-Z ]{1,30}? \d{8}[ \t]+\d{3}(?:\.\d+)?[ \t]+OF[ \t]+\d{3}"
)
# A bullet: "A.", "A)", "(A)", "A:", "REF A:", "¶B.", "A -"; its letter is checked to be the
# next one (or the same again on a line of its own: "B) ... EMAIL 05/11/07 \nB) TALLINN 347").
_BULLET: Final = re.compile(
    r"(?:(?<=[\s;,(¶])|^)(?:REF[ \t]+)?\(?([A-Za-z])"
    r"(?:\.\)|[.):]|(?<=REF [A-Z])[ \t]|[ \t]+-(?=[ \t]))"
    r"(?=\s|\(|[A-Z0-9])"
)
# A cable: optional year (2 or 4 digits, maybe glued, in parentheses, or with a zero too many:
# "094 QUITO 841"), station words ("PORT-OF-SPAIN"), a "-", ":" or "," before the serial
# ("STATE: 73097", "PRAGUE, 1228"), serial.
_CABLE_REF: Final = re.compile(
    # (a year in parentheses right after a serial is that cable's: "BRASILIA 709 (08)")
    r"(?:(?:(?P<open>\((?<!\d[ \t]\()(?<!\d\())|0(?=\d\d[ \t]))?"
    r"(?P<year>\d{2}|\d{4})(?(open)\))[ \t]*)?"
    r"(?P<station>[A-Za-z][A-Za-z .'-]{1,40}?)[ \t]*[-:,]?[ \t]*"
    r"(?P<serial>\d{1,8})\b"
)
# Words after a station that are not part of it ("MEXICO CITY 2636", "COLOMBO CABLES 0266").
_STATION_TAILS: Final = frozenset({"CITY", "CABLE", "CABLES"})
# A serial before its station: "377 KATHMANDU".
_SERIAL_FIRST: Final = re.compile(
    r"^(?P<serial>\d{1,8})[ \t]+(?P<station>[A-Za-z][A-Za-z .'-]{1,40})$"
)
# A bare serial, a cable of the citing station ("REF: 1234").
_SERIAL_ONLY: Final = re.compile(r"^(?P<serial>\d{1,8})(?:\s*\([A-Z]+\))?$")
# Another serial of the same station after a cable ("AND 2764", ", 12155"); not a date
# ("AND 05/11/07") nor a serial with its own station.
_NEXT_SERIAL: Final = re.compile(r"[ \t]*(?:,|(?i:and)|&)[ \t]*(\d{1,8})\b(?![/.\-]\d)")
# A year after a cable's serial: in parentheses, or after a slash ("PANAMA 00789/08").
_YEAR_AFTER: Final = re.compile(r"[ \t]*\((\d{2}|(?:19|20)\d\d)\)|/(\d{2})(?![\d/])")
# What joins two cables cited in one entry ("ISLAMABAD 5266 ISLAMABAD 4817", "TEHRAN 1091:").
_CABLE_JOINER: Final = re.compile(r"(?i)^[\s,:;]*(?:AND\s+)?")
_REFERENCE_ID_PARTS: Final = re.compile(
    r"^(?P<year>\d{4}|\d{2})(?P<station>[A-Z]+?)(?P<serial>\d+)"
)
# Kinds of non-cable references, by the word that names them (first match wins).
_REF_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"(?i)\bE-?MAILS?\b|\bEMAIL")),
    ("telcon", re.compile(r"(?i)\bTELE?CONS?\b|\bPHONE\b|\bTELEPHONE\b|\bCALL\b")),
    ("memcon", re.compile(r"(?i)\bMEMCONS?\b|\bMEMORANDUM OF CONVERSATION")),
    ("letter", re.compile(r"(?i)\bLETTERS?\b")),
    # manuals and handbooks: the Foreign Affairs Manual and Handbook ("12 FAM 123", "3 FAH-1")
    ("book", re.compile(r"(?i)\bMANUALS?\b|\bHANDBOOKS?\b|\bFAM\b|\bFAH\b|\bBOOK\b")),
    ("report", re.compile(r"(?i)\bREPORTS?\b|\bIIR\b|\bDTG\b|\bSTUDY\b")),
)


def parse_references(
    text: str | scan.Body, *, reference_id: str | None = None
) -> list[dict[str, Any]]:
    """Every REF entry as {"kind", "id", "bullet", "text"}; cable ids canonical.

    A cable reference without a year takes the year of ``reference_id`` (the citing cable), and
    one without a station ("REF: 1234") its station; without ``reference_id`` its id is None.
    """
    block = _references_text(scan.as_body(text))
    if block is None:
        return []
    own_year, own_station = _own_year_and_station(reference_id)
    own_id = canonicalize_reference_id(reference_id) if reference_id else None
    references = []
    for bullet, entry in _bulleted_entries(block):
        for piece in _split_entry(entry):
            for single, cable in _split_cables(piece):
                reference = _reference(single, cable, bullet, own_year, own_station)
                references.append(reference)
                if cable and reference["id"]:
                    references.extend(_more_serials(single, cable, reference))
    # A cable never cites itself: its own id in a REF block is a page marker's.
    return [item for item in references if not own_id or item["id"] != own_id]


def _more_serials(
    piece: str, cable: re.Match[str], reference: dict[str, Any]
) -> list[dict[str, Any]]:
    """The cables of the same station and year after a cable's serial: "BRASILIA 2799 AND
    2764", "GUANGZHOU 11657 and 7743, 12155"."""
    more = []
    position = cable.end()
    prefix = reference["id"][: -len(str(int(cable["serial"])))]
    while (serial := _NEXT_SERIAL.match(piece, position)) is not None:
        item_id = f"{prefix}{int(serial[1])}"
        # its own year after it: "COLOMBO CABLES 0266 AND 02259 (2002)"
        after = _YEAR_AFTER.match(piece, serial.end())
        if after:
            item_id = f"{(after[1] or after[2])[-2:]}{item_id[2:]}"
        more.append({**reference, "id": item_id})
        position = serial.end()
    return more


def _references_text(body: scan.Body) -> str | None:
    """The text of the REF block after its keyword, or None."""
    header = body.header
    match = _reference_keyword(header)
    if match is None:
        return None
    # "REF A SECRETARY'S LETTER ... REF B SECSTATE 76108": keep "REF" so bullet A is seen
    start = match.end() if match.group().rstrip().endswith(":") else match.start()
    # "A. REF AMMAN 222 \n B. 06 AMMAN 4685": the bullet before the keyword is the first one
    line_start = header.text.rfind("\n", 0, match.start()) + 1
    if start == match.start() and _LEADING_BULLET.fullmatch(header.text, line_start, start):
        start = line_start
    rest = header.text[start : start + scan.FIELD_LIMIT]
    stop = _REF_STOP.search(rest)
    block = (rest[: stop.start()] if stop else rest).replace("¶", " ")
    if " OF " in block:
        block = _INLINE_PAGE_MARKER.sub(" ", block)
    return block if block.strip() else None


def _reference_keyword(header_body: scan.Body) -> re.Match[str] | None:
    """``scan.find(_REF_KEYWORD, header, "ref")``, with windows screened first.

    Every match holds "REF" or "Ref" as written (the pattern is case-sensitive), so a window
    around a "ref" of "reference" or "preferred" that holds neither is skipped, and in the
    others the search starts at the first of them, or before the blanks and "¶" that may open
    its line: two substring scans instead of a regex try at each position of the window.
    """

    header = header_body.text

    def written_ref_start(window_start: int, window_end: int) -> int | None:
        upper = header.find("REF", window_start, window_end)
        title = header.find("Ref", window_start, window_end)
        first = title if upper < 0 or 0 <= title < upper else upper  # the first found, or -1
        if first < 0:
            return None
        while first > window_start and header[first - 1] in _REF_LINE_LEAD:
            first -= 1
        return first

    return scan.find(_REF_KEYWORD, header_body, "ref", screen=written_ref_start)


def _own_year_and_station(reference_id: str | None) -> tuple[str | None, str | None]:
    """Year and station of the citing cable's id ("06ALMATY1457" -> "06", "ALMATY")."""
    if not reference_id:
        return None, None
    match = _REFERENCE_ID_PARTS.match(canonicalize_reference_id(reference_id))
    if match is None:
        return None, None
    return match["year"], match["station"]


def _bulleted_entries(block: str) -> list[tuple[str | None, str]]:
    """Split a REF block into (bullet letter, entry text); bullets must run A, B, C..."""
    if not _may_hold_bullet(block):
        return [(None, block)]  # one cable ("STATE 126167"), spared the regex
    starts: list[tuple[int, int, str]] = []
    expected = "A"
    for match in _BULLET.finditer(block):
        letter = match.group(1).upper()
        if starts and block[starts[-1][1] : match.start()].strip() == "":
            continue  # a doubled bullet ("A. A) BRASILIA 236"): _split_entry drops it
        repeated = bool(starts) and letter == starts[-1][2] and _opens_line(block, match.start())
        if letter != expected and not repeated:
            continue
        if "(" in block and _inside_parentheses(block, match.start()):
            continue
        starts.append((match.start(), match.end(), letter))
        expected = chr(ord(letter) + 1)
    if not starts or block[: starts[0][0]].strip():
        return [(None, block)] if not starts else _leading_and_bulleted(block, starts)
    return [
        (letter, block[end : starts[i + 1][0] if i + 1 < len(starts) else len(block)])
        for i, (_, end, letter) in enumerate(starts)
    ]


def _opens_line(block: str, position: int) -> bool:
    """Whether only blanks stand between the line start and position."""
    return not block[block.rfind("\n", 0, position) + 1 : position].strip()


def _may_hold_bullet(block: str) -> bool:
    """Whether _BULLET may match: its letter is followed by ".", ")", ":" or " -", or follows
    "REF "."""
    return "." in block or ")" in block or ":" in block or "REF " in block or " -" in block


def _inside_parentheses(block: str, position: int) -> bool:
    """Whether position lies inside a parenthesis that closes later ("(NODIS ¶B. NOTAL)")."""
    depth = block.count("(", 0, position) - block.count(")", 0, position)
    return depth > 0 and ")" in block[position:]


def _leading_and_bulleted(
    block: str, starts: list[tuple[int, int, str]]
) -> list[tuple[str | None, str]]:
    """A block whose first entry has no bullet, followed by bulleted entries."""
    entries: list[tuple[str | None, str]] = [(None, block[: starts[0][0]])]
    for i, (_, end, letter) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else len(block)
        entries.append((letter, block[end:stop]))
    return entries


# A doubled bullet after the first ("A. (A) ISLAMABAD 3249", "A. A) BRASILIA 236", "A. A. 02").
# A doubled label too: "REF: REFERENCE: 01 ABUJA 997".
_DOUBLED_BULLET: Final = re.compile(
    r"^\s*(?:REF(?:ERENCES?|S|TELS?)?\b\s*:?\s*|\(?[A-Za-z][.):]\s*)"
)
# A zero read for the letter O: in a year before a station ("(B)O4 CHENNAI 0944"), and inside
# a station's letters ("SANTIAG0 465", "COTON0U 348"); the word is repaired only when it then
# names a known station.
_LETTER_O_YEAR: Final = re.compile(r"(?<![A-Za-z0-9])O(?=\d[ \t]+[A-Za-z])")
_ZERO_IN_WORD: Final = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]+0[A-Za-z0]*(?![A-Za-z0-9])")


def _split_entry(entry: str) -> list[str]:
    """One bullet's text split at semicolons into single references, cleaned."""
    # A doubled bullet opens with "REF", "(" or a letter and ".):"; most entries open with a
    # station instead, and are spared the regex.
    lead = entry.lstrip()
    doubled = None
    if lead.startswith(("REF", "(")) or lead[1:2] in (".", ")", ":"):
        doubled = _DOUBLED_BULLET.match(entry)
    entry = entry[doubled.end() :] if doubled else entry
    if "O" in entry:
        entry = _LETTER_O_YEAR.sub("0", entry)
    if "0" in entry:
        entry = _ZERO_IN_WORD.sub(_letter_o_station, entry)
    pieces = [scan.squeeze(piece).strip(" ,;.\\") for piece in entry.replace("\\", " ").split(";")]
    return [_shortened(piece) for piece in pieces if piece]


def _letter_o_station(word: re.Match[str]) -> str:
    """A word with zeros for the letter O, repaired when that makes it a known station."""
    repaired = word.group().replace("0", "O")
    return repaired if is_station(repaired) else word.group()


def _shortened(piece: str) -> str:
    """An entry cut to MAX_REFERENCE_TEXT characters at a word end (a REF block ran on)."""
    if len(piece) <= MAX_REFERENCE_TEXT:
        return piece
    return piece[:MAX_REFERENCE_TEXT].rsplit(" ", 1)[0]


def _split_cables(piece: str) -> list[tuple[str, re.Match[str] | None]]:
    """Split an entry citing several cables in a row into one text per cable, each with its
    ``_CABLE_REF.match`` (the first search's match when it starts the piece: the same one)."""
    found: list[re.Match[str]] = []
    first: re.Match[str] | None = None
    position = 0
    # A cable takes several characters: none is sought after the end of the piece.
    while position < len(piece) and (match := _CABLE_REF.search(piece, position)) is not None:
        first = first or match
        station = match["station"]
        if station[:4].upper() == "AND " and found:  # "SECSTATE 113408 AND SECSTATE 113635"
            match = _CABLE_REF.match(piece, match.start() + 4) or match
            station = match["station"]
        if _station_of(station, None) and _at_word_start(piece, match.start()):
            found.append(match)
            position = match.end()
        else:
            # "AND PREVIOUS 03 RANGOON 1427": the rejected serial may be the next cable's year.
            position = match.start("serial")
    if len(found) < 2 or found[0].start() != 0:
        return [(piece, first if first and first.start() == 0 else None)]
    bounds = [match.start() for match in found] + [len(piece)]
    singles = [piece[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]
    cleaned = [_CABLE_JOINER.sub("", single).strip(" ,;:") for single in singles]
    return [(single, _CABLE_REF.match(single)) for single in cleaned]


def _station_of(written: str, own_station: str | None) -> str | None:
    """The station code of a cable reference's station words: a known station or a near miss,
    the same without a trailing "CITY" or "CABLE(S)" ("MEXICO CITY", "COLOMBO CABLES"), or the
    citing cable's own station abbreviated ("BA" in Buenos Aires, "RIO DE JAN", "PORT A")."""
    code = nearest_station(written)
    if code:
        return code
    words = written.split()
    if len(words) > 1 and words[-1].upper() in _STATION_TAILS:
        code = nearest_station(" ".join(words[:-1]))
        if code:
            return code
    if own_station and abbreviates_station(written, own_station):
        return own_station
    return None


def _at_word_start(text: str, position: int) -> bool:
    """Whether position starts a word (not the middle of "ALMATY")."""
    return position == 0 or not text[position - 1].isalnum()


def _reference(
    piece: str,
    cable: re.Match[str] | None,
    bullet: str | None,
    year: str | None,
    station: str | None,
) -> dict[str, Any]:
    """One reference entry: a cable with its canonical id, or another kind with id None.

    cable is ``_CABLE_REF.match(piece)``, which _split_cables has already tried.
    """
    code = _station_of(cable["station"], station) if cable else None
    if cable and code:
        # the year written after the serial: "SAO PAULO 228 (08)"
        after = _YEAR_AFTER.match(piece, cable.end())
        ref_year = cable["year"] or ((after[1] or after[2]) if after else year)
        ref_id = make_reference_id(ref_year, code, cable["serial"]) if ref_year else None
        return {"kind": "cable", "id": ref_id, "bullet": bullet, "text": piece}
    serial = _SERIAL_ONLY.match(piece)
    if serial and year and station:
        ref_id = make_reference_id(year, station, serial["serial"])
        return {"kind": "cable", "id": ref_id, "bullet": bullet, "text": piece}
    # the serial before the station: "377 KATHMANDU"
    backwards = _SERIAL_FIRST.match(piece)
    if backwards and year and (code := nearest_station(backwards["station"])):
        ref_id = make_reference_id(year, code, backwards["serial"])
        return {"kind": "cable", "id": ref_id, "bullet": bullet, "text": piece}
    kind = next((name for name, pattern in _REF_KINDS if pattern.search(piece)), "other")
    return {"kind": kind, "id": None, "bullet": bullet, "text": piece}
