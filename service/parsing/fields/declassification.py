"""The E.O. line: the executive order and when (or how) the cable is declassified."""

from __future__ import annotations

import re
from typing import Any, Final

from service.parsing.fields import scan

# "E.O. 12958: DECL: 04/19/2015", "EO 12958 DECL: 02/22/2011", "E. O. 11652: N/ A". The
# pattern leads with the "E" it consumes (a literal lead, not a lookbehind), and only then
# checks that no letter stands before it; that check ignores case as the original pattern did,
# so "ſ", "ı", "İ" and the Kelvin sign count too.
# The usual value after it, "DECL: 07/27/2016", is read in the same search by the optional
# "date" group: its prefix is _DECL_PREFIX, atomic so that it takes what _DECL_PREFIX.match
# would, and its date _MONTH_DAY_YEAR (see _declassify_on_read). Being optional, the group
# never changes where the E.O. is found or what its own part matches.
_EXECUTIVE_ORDER: Final = re.compile(
    r"[Ee](?<!(?i:[A-Za-z])[Ee])\.?[ \t]?[Oo]\.?[ \t]?(\d{4,5})\b[ \t]*:?[ \t]*"
    r"(?P<date>(?>(?i:DECL(?:ASSIFY)?[ \t]*(?:ON)?[ \t]*:?[ \t]*))?"
    r"(?P<month>\d{1,2})[/-](?P<day>\d{1,2})[/-](?P<year>\d{4}|\d{2})(?!\d))?"
)
# How far after the E.O. its value is read.
DECL_TEXT_LIMIT: Final = 200
# Where the text after the E.O. stops; the lookahead holds each alternative's first character.
_DECL_TEXT_STOP: Final = re.compile(
    r"(?i)(?=[tsrc¶\n])(?:(?<![A-Za-z])(?:TAGS?\b|SUBJ|REF\b|CLASSI|¶)|\n)"
)
_DECL_PREFIX: Final = re.compile(r"(?i)^DECL(?:ASSIFY)?[ \t]*(?:ON)?[ \t]*:?[ \t]*")
_NOT_APPLICABLE: Final = re.compile(r"(?i)^N\s*/\s*A\b")
_MONTH_DAY_YEAR: Final = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})(?!\d)")
_YEAR_MONTH_DAY: Final = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?!\d)")


def parse_declassification(text: str | scan.Body) -> dict[str, Any]:
    """{"executive_order", "declassify_on" (ISO date or None), "declassification" (other text)}."""
    if isinstance(text, scan.Body):
        text = text.text
    result: dict[str, Any] = {
        "executive_order": None,
        "declassify_on": None,
        "declassification": None,
    }
    match = _EXECUTIVE_ORDER.search(text, 0, scan.HEADER_LIMIT * 2)
    if match is None:
        return result
    result["executive_order"] = match.group(1)
    read = _declassify_on_read(match)
    if read:
        result["declassify_on"] = read
        return result
    value_start = match.start("date") if match["date"] else match.end()
    rest = text[value_start : value_start + DECL_TEXT_LIMIT]
    stop = _DECL_TEXT_STOP.search(rest)
    value = scan.squeeze(rest[: stop.start()] if stop else rest).strip(" \\")
    # Each pattern opens with its letter ("DECL", "N/A"): other values are spared the regex.
    prefix = _DECL_PREFIX.match(value) if value[:1] in ("d", "D") else None
    value = (value[prefix.end() :] if prefix else value).strip(" .\\")
    if not value or (value[:1] in ("n", "N") and _NOT_APPLICABLE.match(value)):
        return result
    date = _iso_date(value)
    if date:
        result["declassify_on"] = date
    else:
        result["declassification"] = value
    return result


def _declassify_on_read(match: re.Match[str]) -> str | None:
    """The ISO date of the "date" group of an _EXECUTIVE_ORDER match, when it is the one the
    text after the E.O. gives (see parse_declassification), else None.

    No _DECL_TEXT_STOP falls inside the group, and its blanks are spaces and tabs, which
    scan.squeeze only narrows, so the value opens with what the group read; the group must end
    within the DECL_TEXT_LIMIT characters the value is cut to, and before the search's end,
    past which its "(?!\\d)" saw no text. An invalid date is left to the value too.
    """
    if match["year"] is None:
        return None
    if match.end() - match.start("date") > DECL_TEXT_LIMIT or match.end() >= scan.HEADER_LIMIT * 2:
        return None
    return _month_day_year(match["month"], match["day"], match["year"])


def _month_day_year(month_text: str, day_text: str, year_text: str) -> str | None:
    """An ISO date from the parts of a month-first date ("1", "3", "19" -> "2019-01-03")."""
    month, day, year = int(month_text), int(day_text), int(year_text)
    if year < 100:
        year += 2000 if year < 70 else 1900
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _iso_date(value: str) -> str | None:
    """An ISO date from "04/19/2015", "1/3/19", "2019/12/08", "2019-02-12", "12-29-13"."""
    if not value[:1].isdecimal():
        return None  # both patterns open with a decimal digit (what \d matches)
    # The usual month-first date is tried first; no text matches both patterns (a year's
    # four digits leave no room for the separator the month-first one needs by then).
    match = _MONTH_DAY_YEAR.match(value)
    if match:
        return _month_day_year(match[1], match[2], match[3])
    match = _YEAR_MONTH_DAY.match(value)
    if match is None:
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
