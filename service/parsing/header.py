"""The routing header and the classification line: who sent what to whom, when, how classified."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Final

Recipient = dict[str, Any]
# A line a "^"-led pattern matched: (its start, its end, the match). The match's groups are
# the line's, but it may start at the line break before the line (see after_break), or lie in
# another copy of the text (see known_line_at).
LineMatch = tuple[int, int, re.Match[str]]

PRECEDENCE_WORDS: Final = ("FLASH", "NIACT IMMEDIATE", "IMMEDIATE", "PRIORITY", "ROUTINE")
PRECEDENCE_LETTERS: Final = {"Z": "FLASH", "O": "IMMEDIATE", "P": "PRIORITY", "R": "ROUTINE"}
MONTHS: Final = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}

TRANSMISSION_ID: Final = re.compile(r"^[ \t]*(VZCZC[A-Z0-9]+)", re.M)
DE_LINE: Final = re.compile(r"^[ \t]*DE ([A-Z0-9]{4,8})(?: #(\d+)(?:/(\d+))?)?", re.M)
# "P 210416Z APR 06", "P R 281848Z DEC 66", "O 110944Z SEP 07", "R 231515Z MAY 74"
DTG_LINE: Final = re.compile(
    r"^[ \t]*(?:(?P<letters>[ZOPR](?: ?[ZOPR])?)[ \t]+)?"
    r"(?P<dtg>(?P<day>[0-3]\d)(?P<hour>[0-2]\d)(?P<minute>[0-5]\d)[ \t]?Z[ \t]?"
    r"(?P<month>[A-Za-z]{3})[ \t]?(?P<year>\d{2}(?:\d\d)?))\b",
    re.M,
)
# How far a routing header and the caption lines may reach when no TAGS line ends them.
HEADER_LIMIT: Final = 30_000
# How far past a bare level line ("SECRET") a full classification line is looked for.
BARE_LEVEL_LOOKAHEAD: Final = 5000
# How far from where it is looked for a classification line may be.
CLASSIFICATION_LINE_LIMIT: Final = 20_000
# "FM AMEMBASSY ALMATY": the sender runs to the last non-blank of the line (greedy, then one
# step back, where a lazy match would retry the end of line after every character).
FM_LINE: Final = re.compile(r"^[ \t]*+FM[ \t]++(?P<sender>[^\n]*[^\s])[ \t]*$", re.M)
# The FM line of a routing header: the TO or INFO line follows it (sometimes glued: "TORUEHC/").
# It starts with the literal "FM" so that the regex engine can skip ahead to each "FM"; that
# it opens its line is checked apart (see find_fm_address).
FM_ADDRESS: Final = re.compile(r"FM[ \t]+[^\n]+\n[ \t]*(?:TO|INFO)")
# The words opening an address block (ADDRESS_BLOCK_START), tested as prefixes first.
BLOCK_WORDS: Final = ("TO", "INFO", "XMT")
ADDRESS_BLOCK_START: Final = re.compile(r"^(TO|INFO|XMT)(?:[ \t]+|(?=R[A-Z0-9]{3,7}/))", re.M)
# "RUEHC/SECSTATE WASHDC PRIORITY 5023": routing indicator, name, precedence, serial number.
# Longer lines are not addressees.
LONGEST_ADDRESS_LINE: Final = 200
ROUTING_INDICATOR: Final = re.compile(r"R[A-Z0-9]{3,7}|ZEN")
ROUTING_INDICATOR_LENGTH: Final = 8
SERIAL_LENGTH: Final = 6
# A page marker of the old layout: "PAGE 02        STATE   023763  071504Z".
OLD_PAGE_MARKER: Final = re.compile(
    r"PAGE[ \t]+\d{1,3}[ \t]+[A-Z][A-Z .]*[ \t]+\d{1,7}[ \t]+\d{6}Z?$"
)
# Lines that end an address block: transmission separators, classification, blank lines.
ADDRESS_BLOCK_END: Final = re.compile(
    r"^(?:BT|ZEN|ZFR|NNNN|SPECIAL EMBASSY PROGRAM|E\.O\.|C O N|S E C|U N C|UNCLAS|LIMITED OFFICIAL|"
    r"CONFIDENTIAL|SECRET|TOP SECRET|ACTION |INFO +[A-Z]+-\d|TAGS|SUBJECT:)",
    re.I,
)


def letter_spaced(word: str) -> str:
    """A pattern for a word written plain or letter-spaced: 'SECRET' or 'S E C R E T'."""
    return "[ \t]?".join(" +" if char == " " else re.escape(char) for char in word)


# The classification line: "C O N F I D E N T I A L SECTION 01 OF 03 ALMATY 001457",
# "UNCLAS E F T O LONDON 000123", "S e c r e t berlin 001068"; a few copies double the first
# letter ("UUNCLAS", "SS E C R E T", "C C O N F I D E N T I A L") or lose it ("E C R E T",
# "NCLAS SECTION 01 OF 02 BRASILIA 001017"). Possessive runs of blanks keep
# a long line of spaces from being rescanned from every one of them. The lookahead turns away
# most lines (addressees, text) with one test, before the level words are tried.
CLASSIFICATION_LINE: Final = re.compile(
    r"^[ \t\"',>]*+(?=[ULCTSEN])(?:U|S(?=[ \t]?S)|C(?=[ \t]?C))?(?P<level>"
    + "|".join(
        letter_spaced(word)
        for word in ("UNCLASSIFIED", "UNCLAS", "LIMITED OFFICIAL USE", "CONFIDENTIAL")
        + ("TOP SECRET", "SECRET", "ECRET", "NCLAS")
    )
    # (the lookahead tests in one step, at each character the lazy run reaches, whether one of
    # the alternatives can start there)
    + r")(?P<rest>(?:[ \t]++[^\n]*?(?=[\dSNE])"
    + r"(?:\d|SECTION[^\n]*+|NOFORN|SIPDIS|EFTO|E F T O|SENSITIVE))?)"
    r"[ \t\\]*+$",
    re.M | re.I,
)


def after_break(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A pattern opening with "^" under MULTILINE, led by the line break instead: a search for
    it skips ahead from line break to line break, where one for "^" tries every position."""
    return re.compile("\n" + pattern.pattern.removeprefix("^"), pattern.flags)


CLASSIFICATION_LINE_AFTER_BREAK: Final = after_break(CLASSIFICATION_LINE)
# A banner with more on its line: flattened ("C O N F I D E N T I A L MOSCOW 002885 SIPDIS DEPT
# FOR ...") or a column of a raw cables.csv row ('... WASHINGTON DC","UNCLAS BUENOS AIRES 001706
# SENSITIVE SIPDIS E.O. ...', tab-separated columns after expandtabs). Sought only where no
# classification line is found: in capitals, at a line start, after a quote, a comma, a line
# separator or two blanks, and with the station and serial after it; the caveat words right
# after the serial are part of it.
FLAT_BANNER: Final = re.compile(
    r"(?:^|(?<=[\"',\u2028])|(?<=[ \t]{2})|(?<=[ \t])(?=[CSUTL] [A-Z] [A-Z]))[ \t\u2028]*"
    r"(?=[ULCTSN])(?:U|S(?=[ \t]?S)|C(?=[ \t]?C))?(?P<level>"
    + "|".join(
        letter_spaced(word)
        for word in ("UNCLASSIFIED", "UNCLAS", "LIMITED OFFICIAL USE", "CONFIDENTIAL")
        + ("TOP SECRET", "SECRET", "NCLAS")
    )
    + r")(?P<rest>[ \t]+(?:SECTION[ \t]*\d{1,3}[ \t]+OF[ \t]+\d{1,3}[ \t]+)?"
    r"[A-Z][A-Z .'-]{0,40}?[ \t]*\d{3,7}(?!\d)"
    r"(?:[ \t]*(?:NOFORN|SIPDIS|SENSITIVE|E[ \t]?F[ \t]?T[ \t]?O)\b)*)",
    re.M,
)
TRANSMISSION_ID_AFTER_BREAK: Final = after_break(TRANSMISSION_ID)
DE_LINE_AFTER_BREAK: Final = after_break(DE_LINE)
DTG_LINE_AFTER_BREAK: Final = after_break(DTG_LINE)
# "SECTION 01 OF 03", and as mangled in some copies: "SCTION 02 OF 02", "SECTION01 OF 03QRIPOLI"
SECTION: Final = re.compile(
    r"(?<![A-Z])(?:S?ECTION|SCTION|SECTON)[ \t]*0*(\d{1,3})[ \t]+[OG]F[ \t]+0*(\d{1,3})(?!\d)", re.I
)
# Station and serial open what is left of the line: "ALMATY 001457", "THE HAGUE 002843 SIPDIS ..."
STATION_SERIAL: Final = re.compile(
    r"(?P<station>[A-Z][A-Z .'-]{0,40}?)[ \t]+(?P<serial>\d{1,7})(?!\d)"
)
CAVEAT_WORDS: Final = re.compile(
    r"\b(NOFORN|NOCONTRACT|ORCON|PROPIN|REL TO|E ?F ?T ?O|SENSITIVE)\b"
)

# Level words with their spaces removed, as the classification line match gives them.
LEVELS: Final = {
    "UNCLASSIFIED": 0,
    "UNCLAS": 0,
    "LIMITEDOFFICIALUSE": 1,
    "CONFIDENTIAL": 2,
    "SECRET": 3,
    "ECRET": 3,
    "NCLAS": 0,
    "TOPSECRET": 4,
}
LEVEL_NAMES: Final = (
    "UNCLASSIFIED",
    "LIMITED OFFICIAL USE",
    "CONFIDENTIAL",
    "SECRET",
    "TOP SECRET",
)


def split_header(telegram: str) -> tuple[str, str]:
    """Split a telegram at its classification line: (routing header, text from that line on).

    The header's FM line is the one a TO or INFO line follows, so that an "FM Calmy-Rey said"
    line of the text (FM: foreign minister) is not taken for it.
    """
    header, body, _, _ = split_header_at_fm_and_line(telegram)
    return header, body


def split_header_at_fm_and_line(telegram: str) -> tuple[str, str, LineMatch | None, int | None]:
    """split_header's (header, body), with what the split found, so that it is not searched
    for again: the classification line the body opens with, as search_classification_line
    gives it (None when the split is made elsewhere; parse_classification_line takes it as
    `known`), and where the header's FM address (find_fm_address) starts, None without one
    (parse_routing takes it as `fm_address_at`)."""
    limit = min(len(telegram), HEADER_LIMIT)
    fm = find_fm_address(telegram, limit)
    found = search_classification_line(telegram, fm.end() if fm else 0, limit)
    # A bare level line ("SECRET") may be a cables.csv column printed above a second copy of
    # the header; a full classification line (with station and serial) soon after wins.
    while found and not found[2].group("rest").strip():
        end = found[1]
        fuller = search_classification_line(telegram, end, min(limit, end + BARE_LEVEL_LOOKAHEAD))
        if fuller is None:
            break
        found = fuller
    fm_at = fm.start() if fm else None
    if found:
        return telegram[: found[0]], telegram[found[0] :], found, fm_at
    if fm:
        block_end = end_of_address_blocks(telegram, fm.end())
        return telegram[:block_end], telegram[block_end:], None, fm_at
    return "", telegram, None, None


def search_classification_line(text: str, start: int, end: int) -> LineMatch | None:
    """CLASSIFICATION_LINE.search(text, start, end), as a LineMatch; without one, a banner
    with more on its line (FLAT_BANNER)."""
    found = search_line(CLASSIFICATION_LINE, CLASSIFICATION_LINE_AFTER_BREAK, text, start, end)
    if found is None:
        flat = FLAT_BANNER.search(text, start, end)
        if flat is not None:
            return flat.start(), flat.end(), flat
    return found


def search_line(
    pattern: re.Pattern[str],
    pattern_after_break: re.Pattern[str],
    text: str,
    start: int = 0,
    end: int | None = None,
) -> LineMatch | None:
    """pattern.search(text, start, end) for a pattern opening with "^" under MULTILINE, as a
    LineMatch; the match may be one of pattern_after_break (see after_break), which starts at
    the line break before the line: its groups are the same."""
    end = len(text) if end is None else end
    if start == 0 or text[start - 1 : start] == "\n":
        match = pattern.match(text, start, end)
        if match:
            return start, match.end(), match
    match = pattern_after_break.search(text, start, end)
    return (match.start() + 1, match.end(), match) if match else None


def find_fm_address(text: str, limit: int | None = None) -> re.Match[str] | None:
    """The routing header's FM line (an FM line opening its line, TO or INFO below it)."""
    for match in FM_ADDRESS.finditer(text, 0, len(text) if limit is None else limit):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if not text[line_start : match.start()].strip():
            return match
    return None


def header_fm_line(text: str, *, address_at: int | None = None) -> re.Match[str] | None:
    """The FM line of a routing header: the one with TO or INFO below it, else the first.

    `address_at`, where find_fm_address(text) starts when the caller has found it already,
    spares searching for it again.
    """
    if address_at is None:
        address = find_fm_address(text)
        if address is None:
            return FM_LINE.search(text)
        address_at = address.start()
    return FM_LINE.search(text, text.rfind("\n", 0, address_at) + 1)


def end_of_address_blocks(telegram: str, start: int) -> int:
    """Offset where the TO/INFO/XMT lines that follow the line holding `start` end."""
    line_end = telegram.find("\n", start)
    offset = len(telegram) if line_end < 0 else line_end + 1
    while offset < len(telegram):
        next_end = telegram.find("\n", offset)
        next_end = len(telegram) if next_end < 0 else next_end
        line = telegram[offset:next_end].strip()
        if not line or ADDRESS_BLOCK_END.match(line):
            break
        offset = next_end + 1
    return min(offset, len(telegram))


def parse_recipients(text: str) -> dict[str, list[Recipient]]:
    """TO, INFO and XMT addressees of a routing header (or any fragment holding them)."""
    return recipients_after(text, header_fm_line(text))


def recipients_after(text: str, fm: re.Match[str] | None) -> dict[str, list[Recipient]]:
    """TO, INFO and XMT addressees of the lines after the header's FM line (`fm`, if any)."""
    lists: dict[str, list[Recipient]] = {"to": [], "info": [], "excluded": []}
    current: list[Recipient] | None = None
    keys = {"TO": "to", "INFO": "info", "XMT": "excluded"}
    # Addressees follow the FM line; an "INFO  OCT-01  EA-11" line above it lists offices.
    for raw_line in text[fm.end() if fm else 0 :].split("\n"):
        line = raw_line.strip()
        # (plain prefix tests spare the regexes on most lines: addressee lines open with
        # their routing indicator, "R...", which opens no block and ends none)
        start = ADDRESS_BLOCK_START.match(line) if line.startswith(BLOCK_WORDS) else None
        if start:
            line = line[start.end() :].strip()
            # "INFO XMT FOOBAR": the exclusions of an XMT line on a TO or INFO line
            if line.startswith("XMT") and (inner := ADDRESS_BLOCK_START.match(line)):
                start, line = inner, line[inner.end() :].strip()
            current = lists[keys[start.group(1)]]
            # exclusions attach to the addressees (collectives) before them: with none, an
            # XMT line excludes from nothing and is not read
            if current is lists["excluded"] and not (lists["to"] or lists["info"]):
                current = []
        elif current is None:
            continue
        elif not line or (
            not line.startswith("R")
            and (ADDRESS_BLOCK_END.match(line) or line.startswith(("FM ", "DE ")))
        ):
            current = None
            continue
        # the old layout's page marker ("PAGE 02 STATE 023763 071504Z") is no addressee
        if line.startswith("PAGE") and OLD_PAGE_MARKER.match(line):
            continue
        recipient = parse_recipient(line)
        if recipient:
            current.append(recipient)
    return lists


def parse_recipient(line: str) -> Recipient | None:
    """'RUEHC/SECSTATE WASHDC PRIORITY 5023' -> routing, name, precedence, serial.

    Read with plain string operations, right to left: serial, then precedence, then the name.
    """
    if len(line) > LONGEST_ADDRESS_LINE:
        return None
    routing = None
    slash = line.find("/")
    if 0 < slash <= ROUTING_INDICATOR_LENGTH:
        indicator = line[:slash]
        if is_routing_indicator(indicator):
            routing = indicator
            line = line[slash + 1 :]
    words = line.split()
    if not words:
        return None
    serial = None
    last = words[-1]
    if len(words) > 1 and len(last) <= SERIAL_LENGTH and is_ascii_number(last):
        serial = last
        del words[-1]
        last = words[-1]
    precedence = None
    if last in PRECEDENCE_WORDS and len(words) > 1:
        precedence = last
        del words[-1]
        if last == "IMMEDIATE" and len(words) > 1 and words[-1] == "NIACT":
            precedence = "NIACT IMMEDIATE"
            del words[-1]
    return {
        "routing": routing if routing != "ZEN" else None,
        "name": " ".join(words),
        "precedence": precedence,
        "serial": serial,
    }


def is_routing_indicator(word: str) -> bool:
    """ROUTING_INDICATOR.fullmatch(word), by string tests (a regex call per addressee line
    costs more): "R" and 3 to 7 capitals or digits, or "ZEN"."""
    if word == "ZEN":
        return True
    # isascii and isalnum: letters and digits 0-9 only; isupper: no lower-case letter
    return (
        4 <= len(word) <= 8
        and word[0] == "R"
        and word.isascii()
        and word.isalnum()
        and word.isupper()
    )


def is_ascii_number(word: str) -> bool:
    """Digits 0-9 only (str.isdigit also accepts superscripts and other scripts' digits)."""
    return word.isascii() and word.isdigit()


def parse_routing(header: str, *, fm_address_at: int | None = None) -> dict[str, Any]:
    """Transmission id, DE routing, date-time group, precedence and sender of a routing header.

    `fm_address_at`: where find_fm_address(header) starts, when the caller knows (see
    split_header_at_fm_and_line); it is then not searched for again.
    """
    transmission = search_line(TRANSMISSION_ID, TRANSMISSION_ID_AFTER_BREAK, header)
    de_line = search_line(DE_LINE, DE_LINE_AFTER_BREAK, header)
    dtg = search_line(DTG_LINE, DTG_LINE_AFTER_BREAK, header)
    fm = header_fm_line(header, address_at=fm_address_at)
    return {
        "transmission_id": transmission[2].group(1) if transmission else None,
        "sender_routing": de_line[2].group(1) if de_line else None,
        "sequence_number": de_line[2].group(2) if de_line else None,
        "date_time_group": date_time_group(dtg[2] if dtg else None),
        "header_precedence": header_precedence(dtg[2] if dtg else None),
        "sender": " ".join(fm.group("sender").split()) if fm else None,
        # (read for its groups only: it may start at the line break before the line)
        "dtg_match": dtg[2] if dtg else None,
        "fm_match": fm,
    }


def date_time_group(dtg: re.Match[str] | None) -> str | None:
    """The date-time group as written in the standard form: '210416Z APR 06'."""
    if dtg is None:
        return None
    day_time = dtg.group("day") + dtg.group("hour") + dtg.group("minute")
    return f"{day_time}Z {dtg.group('month').upper()} {dtg.group('year')}"


def header_precedence(dtg: re.Match[str] | None) -> str | None:
    """The action precedence letter before the date-time group, as a word."""
    if dtg is None or not dtg.group("letters"):
        return None
    return PRECEDENCE_LETTERS[dtg.group("letters")[0]]


def dtg_datetime(dtg: re.Match[str] | None) -> datetime | None:
    """The date-time group as a UTC datetime (two-digit years before 50 are 20xx)."""
    if dtg is None:
        return None
    year = int(dtg.group("year"))
    if year < 100:
        year += 2000 if year < 50 else 1900
    month = MONTHS.get(dtg.group("month").upper())
    if month is None:
        return None
    try:
        return datetime(
            year, month, int(dtg.group("day")), int(dtg.group("hour")), int(dtg.group("minute"))
        )
    except ValueError:
        return None


def parse_classification_line(
    text: str, start: int = 0, *, known: LineMatch | None = None
) -> dict[str, Any] | None:
    """The first classification line from `start`: level, sections, station, serial, caveats.

    `known`, the line found in another copy of the text (see split_header_at_fm_and_line), is taken
    without a search when the text holds the very same line at `start`.
    """
    found = known_line_at(known, text, start)
    if found is None:
        found = search_classification_line(text, start, start + CLASSIFICATION_LINE_LIMIT)
    if not found:
        return None
    line_start, line_end, match = found
    level_word = "".join(match.group("level").split()).upper()
    rest = " ".join(match.group("rest").upper().split())
    section = SECTION.search(rest)
    caveats = [word.replace(" ", "") for word in CAVEAT_WORDS.findall(rest)]
    # The substitutions are skipped when the searches found nothing to remove (most lines).
    # Removing a section can make a caveat a word of its own ("OF 02NOFORN"), so that the
    # caveats are removed after a section whether or not any was found before.
    if section:
        remainder = CAVEAT_WORDS.sub(" ", SECTION.sub(" ", rest)).strip()
    else:
        remainder = CAVEAT_WORDS.sub(" ", rest).strip() if caveats else rest
    station_serial = STATION_SERIAL.match(remainder)
    serial = station_serial.group("serial") if station_serial else None
    return {
        "level": LEVELS[level_word],
        "sections": int(section.group(2)) if section else None,
        "station": station_serial.group("station").strip() if station_serial else None,
        # An all-zero serial is a garbled one ("00Q021"), not serial 0.
        "serial": serial if serial and serial.strip("0") else None,
        "caveats": caveats,
        "start": line_start,
        "end": line_end,
    }


def known_line_at(known: LineMatch | None, text: str, start: int) -> LineMatch | None:
    """`known` moved to `start` of text, when text holds the same line there, else None.

    The search would find that line there, and match it alike: the pattern never crosses a
    line break, so that its match depends on the line alone, and the line lies well within
    the search's reach.
    """
    if known is None:
        return None
    line_start, line_end, match = known
    end = start + line_end - line_start
    if (
        line_end - line_start < CLASSIFICATION_LINE_LIMIT
        and (start == 0 or text[start - 1 : start] == "\n")
        and text[end : end + 1] in ("", "\n")
        and text.startswith(match.string[line_start:line_end], start)
    ):
        return start, end, match
    return None
