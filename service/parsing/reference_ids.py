"""Reference ids, station codes and origin names.

Canonical ids follow Cablegate: 2-digit year, station code, serial without leading zeros
("06ALMATY1457"). PlusD ids with a 4-digit year ("1973STATE097844", "1974ATHENS02959_b") are
kept in PlusD's own canonical form, serial digits and version suffix as written, because that
is the id PlusD publishes and researchers cite; they are never rewritten to 2-digit years.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

DATA_DIR: Final = Path(__file__).parent / "data"

# A year (4-digit PlusD, or 2-digit and possibly doubled as in "7575LIBREVILLE1895"), an
# optional WikiLeaks section fragment glued in ("SCTION02OF02", "SECTION01GF02",
# "ECTION01OF02"), the station, the serial and PlusD's version suffix ("_b").
# A garbled section fragment may hold any letters ("SECTIKN01OF03", "SECTION01F03"); a
# suffix glued after the serial ("TOSEC140323", "ZFR2585") is dropped.
_REFERENCE_ID: Final = re.compile(
    r"^(?:(?P<year4>(?:19|20)\d\d)(?=[A-Z])|(?P<year2>\d\d)(?P=year2)?)"
    r"(?:[A-Z]{4,8}\d{1,2}[A-Z]{1,2}\d{1,2}(?=[A-Z]))?"
    r"(?P<station>[A-Z]+?)(?P<serial>\d+)(?P<suffix>_[A-Z])?(?:[A-Z]{2,}\d+)?$"
)
_NOT_ID_CHARS: Final = re.compile(r"[\s\-./]+")
_SENDER_PREFIX: Final = re.compile(r"^(?:FM\s+)?(?:[A-Z]{4,8}/)?")
_SPACES: Final = re.compile(r"\s+")

# Longer words are never a station, even misspelt (BANDARSERIBEGAWAN has 17 letters).
_LONGEST_STATION: Final = 24
CABLEGATE: Final = "cablegate"
PLUSD: Final = "plusd"

# Station spellings that are not codes of their own: SECSTATE is the Department's FM name,
# EFTO is a caption WikiLeaks glued onto the station, the rest are known typos.
_STATION_ALIASES: Final = {
    "SECSTATE": "STATE",
    "SECSTATEWASHDC": "STATE",
    "STATEWASHDC": "STATE",
    "USUN": "USUNNEWYORK",
    # The mission to the UN agencies in Vienna cites its own cables as "UNVIE 109".
    "UNVIE": "UNVIEVIENNA",
    "EFTOLONDON": "LONDON",
    "EFTOTRIPOLI": "TRIPOLI",
    "DAMASCCUS": "DAMASCUS",
    # Short names of posts: "USEU 1234", "HAGUE 12", Port au Prince's initials.
    "USEU": "USEUBRUSSELS",
    "HAGUE": "THEHAGUE",
    "PAP": "PORTAUPRINCE",
    "PAUP": "PORTAUPRINCE",
}
# Words glued before the station of an id: addressee kinds, captions, the tail of
# "CLASSIFIED" ("09AMEMBASSYHANOI1246", "85NOFORNMOGADISHU1643", "09SIFIEDABUJA1673").
_SHORTEST_GLUED_PREFIX: Final = 3
# An addressee's city glued after a Washington agency ("USDOCWASHDC", "SECDEFWASH").
_WASHINGTON_TAILS: Final = ("WASHDC", "WASH")
# Longer stations of ids are not repaired (a station and a glued prefix or tail).
_LONGEST_GLUED_ID_STATION: Final = 40
_CAPTION_PREFIXES: Final = ("EFTO",)

# FM-line prefixes and the word Cablegate puts before the place name in its origins.
_SENDER_KINDS: Final = (
    ("AMEMBASSY ", "Embassy"),
    ("AMCONSUL ", "Consulate"),
    ("USMISSION ", "Mission"),
    ("USMISSIN ", "Mission"),
    ("AMCONSULATE ", "Consulate"),
    ("AMEMB ", "Embassy"),
    ("REO ", "REO"),
    ("USINT ", "US Interests Section"),
)
# Words Cablegate keeps in upper case inside origins ("Mission USNATO", "USEU Brussels").
_UPPER_WORDS: Final = frozenset(
    {"USNATO", "USOSCE", "USUN", "USEU", "UNVIE", "UNESCO", "AIT", "RPO"}
)


@dataclass(frozen=True)
class Station:
    """One row of stations.csv."""

    code: str
    origin: str
    naming: str  # "cablegate", or "plusd" for PlusD's own origin names ("Greece Athens")
    de_routing_indicator: str
    fm_address: str
    first_year: int | None  # of the cables seen from the station, None where none was seen
    last_year: int | None


@functools.cache
def _stations() -> tuple[Station, ...]:
    """All station rows, in file order."""
    text = (DATA_DIR / "stations.csv").read_text("utf-8")
    return tuple(
        Station(
            r["station"],
            r["origin"],
            r["naming"],
            r["de_routing_indicator"],
            r["fm_address"],
            int(r["first_year"]) if r["first_year"] else None,
            int(r["last_year"]) if r["last_year"] else None,
        )
        for r in csv.DictReader(text.splitlines())
    )


@functools.cache
def _station_years() -> dict[str, tuple[int, int]]:
    """Station -> (first, last) year of the cables seen from it, over all its rows."""
    years: dict[str, tuple[int, int]] = {}
    for station in _stations():
        if station.first_year is None or station.last_year is None:
            continue
        first, last = years.get(station.code, (station.first_year, station.last_year))
        years[station.code] = (min(first, station.first_year), max(last, station.last_year))
    return years


@functools.cache
def _station_codes() -> frozenset[str]:
    """Every known station code."""
    return frozenset(station.code for station in _stations())


def is_station(words: str) -> bool:
    """Whether words name a known station as written ("NEW DELHI", "TRIPOLI")."""
    code = _station_key(words)
    return _STATION_ALIASES.get(code, code) in _station_codes()


@functools.cache
def _origin_by_station(naming: str) -> dict[str, str]:
    """Station -> origin in one naming, preferring the row with an FM address (the post's)."""
    table: dict[str, str] = {}
    for station in sorted(_stations(), key=lambda s: (s.naming != naming, not s.fm_address)):
        if station.origin:
            table.setdefault(station.code, station.origin)
    return table


@functools.cache
def _by_fm_address() -> dict[str, Station]:
    """FM address -> station row, first row wins (BRUSSELS before USEUBRUSSELS)."""
    table: dict[str, Station] = {}
    for station in _stations():
        if station.fm_address and station.naming == CABLEGATE:
            table.setdefault(station.fm_address, station)
    return table


def _edit_distance(left: str, right: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it exceeds limit."""
    if abs(len(left) - len(right)) > limit:
        return limit + 1
    previous = list(range(len(right) + 1))
    for i, char in enumerate(left, 1):
        current = [i]
        for j, other in enumerate(right, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _within_one_edit(left: str, right: str) -> bool:
    """Whether one insertion, deletion, substitution or swap of neighbours turns left into
    right (or none)."""
    if abs(len(left) - len(right)) > 1:
        return False
    same = 0
    while same < min(len(left), len(right)) and left[same] == right[same]:
        same += 1
    if len(left) == len(right):
        if left[same + 1 :] == right[same + 1 :]:
            return True
        # two neighbours swapped ("WELLINGOTN", "AITTAIPIE") count as one edit
        return (
            left[same : same + 2] == right[same + 1 : same - 1 if same else None : -1]
            and left[same + 2 :] == right[same + 2 :]
        )
    if len(left) > len(right):
        return left[same + 1 :] == right[same:]
    return left[same:] == right[same + 1 :]


@functools.lru_cache(maxsize=4096)
def nearest_station(word: str) -> str | None:
    """The known station code nearest to word by edit distance, only when close and unique."""
    code = _NOT_ID_CHARS.sub("", word).upper()
    if not code.isalpha() or len(code) > _LONGEST_STATION:
        return None
    code = _STATION_ALIASES.get(code, code)
    if code in _station_codes():
        return code
    for prefix in _CAPTION_PREFIXES:
        if code.startswith(prefix) and code[len(prefix) :] in _station_codes():
            return code[len(prefix) :]
    # One typo per 6 letters (QRIPOLI -> TRIPOLI, BISHIEK -> BISHKEK); shorter words are
    # too often ordinary words of a REF line to be guessed at.
    limit = len(code) // 6
    if limit == 0:
        return None
    if limit == 1:  # the usual case, done without the quadratic edit distance
        near = [known for known in _station_codes() if _within_one_edit(code, known)]
        return near[0] if len(near) == 1 else None
    scored = sorted((_edit_distance(code, known, limit), known) for known in _station_codes())
    best = [known for distance, known in scored if distance == scored[0][0] <= limit]
    return best[0] if len(best) == 1 else None


# The shortest abbreviation of a station read as one ("BA" for Buenos Aires).
_SHORTEST_ABBREVIATION: Final = 2


@functools.cache
def _name_words(station: str) -> tuple[tuple[str, ...], ...]:
    """The words of a station's origin name, with and without the kind word that opens it
    ("Embassy Buenos Aires" -> ("EMBASSY", "BUENOS", "AIRES"), ("BUENOS", "AIRES"))."""
    origin = _origin_by_station(CABLEGATE).get(station) or ""
    words = tuple(origin.upper().replace("-", " ").split())
    return (words, words[1:]) if len(words) > 1 else (words,)


def abbreviates_station(written: str, station: str) -> bool:
    """Whether written is the station's name cut short word by word: the start of each of two
    or more of its words in a row, from the first ("BA" and "B A" for Buenos Aires, "RIO DE
    JAN" for Rio de Janeiro, "PORT A" for Port au Prince, "HK" for Hong Kong)."""
    letters = _NOT_ID_CHARS.sub("", written).upper()
    if len(letters) < _SHORTEST_ABBREVIATION or not letters.isalpha():
        return False
    return any(
        len(words) > 1 and _starts_of_words(letters, words, 0) for words in _name_words(station)
    )


def _starts_of_words(letters: str, words: tuple[str, ...], index: int) -> bool:
    """Whether letters split into non-empty starts of words[index], words[index + 1], ...,
    at least two words in all when index is 0."""
    if not letters:
        return index >= 2
    if index >= len(words):
        return False
    word = words[index]
    for length in range(min(len(word), len(letters)), 0, -1):
        if word.startswith(letters[:length]) and _starts_of_words(
            letters[length:], words, index + 1
        ):
            return True
    return False


def _normalise_station(station: str) -> str:
    """Station code with aliases resolved, and a near miss replaced by its known station."""
    code = _station_key(station)
    code = _STATION_ALIASES.get(code, code)
    if code in _station_codes():
        return code
    return nearest_station(code) or code


def canonicalize_reference_id(text: str) -> str:
    """Canonical form of a reference id as written ("06SECSTATE123" -> "06STATE123")."""
    # An id of letters and digits alone (the usual case) holds nothing for the substitution.
    cleaned = (text if text.isalnum() else _NOT_ID_CHARS.sub("", text)).upper()
    match = _REFERENCE_ID.match(cleaned)
    if match is None:
        return cleaned
    station = _id_station(match["station"])
    if match["year2"] and (station != match["station"] or station not in _station_codes()):
        station = _station_of_year(match["station"], station, int(match["year2"]))
    if match["year4"]:
        suffix = (match["suffix"] or "").lower()
        return f"{match['year4']}{station}{match['serial']}{suffix}"
    return f"{match['year2']}{station}{int(match['serial'])}"


@functools.lru_cache(maxsize=4096)
def _id_station(written: str) -> str:
    """The station of a reference id, repaired more boldly than a word of running text may be.

    The word is known to be a station here, so besides aliases and nearest_station's repairs:
    a known station that ends it after a glued prefix of 3 letters or more, a Washington
    agency with its city glued on, the one station it is the start of (4 letters or more:
    "HALIF", "USDA"), or the one station one edit away from a word of 5 letters ("MILSK").
    """
    code = _normalise_station(written)
    codes = _station_codes()
    if code in codes or len(code) > _LONGEST_GLUED_ID_STATION:
        return code
    for tail in _WASHINGTON_TAILS:
        if code.endswith(tail) and code[: -len(tail)] in codes:
            return code[: -len(tail)]
    for start in range(_SHORTEST_GLUED_PREFIX, len(code) - 3):
        rest = _STATION_ALIASES.get(code[start:], code[start:])
        if rest in codes:
            return rest
    if len(code) >= 4:
        longer = [known for known in codes if known.startswith(code)]
        if len(longer) == 1:
            return longer[0]
    if "Q" in code and (lost := _station_with_lost_letters(code)):
        return lost
    if len(code) >= 5:
        near = {
            _STATION_ALIASES.get(known, known)
            for known in (*codes, *_STATION_ALIASES)
            if _within_one_edit(code, known)
        }
        if len(near) == 1:
            return near.pop()
    return code


# A "Q" standing in an id's station for letters lost in transmission ("10AQNA272" for ASTANA,
# "07QXICO3307", "07BUENOSQRES633", "QRIPOLI"): one to this many letters.
_MOST_LETTERS_PER_Q: Final = 3


def _station_with_lost_letters(code: str) -> str | None:
    """The one known station that the code matches when each "Q" of it (not of "QU") stands
    for one to three letters; None when none or several match."""
    found = _stations_with_lost_letters(code)
    return next(iter(found)) if len(found) == 1 else None


def _stations_with_lost_letters(code: str) -> set[str]:
    """The known stations the code matches when each "Q" of it (not of "QU") stands for one to
    three letters."""
    parts = re.split(r"Q(?!U)", code)
    if len(parts) < 2 or sum(map(len, parts)) < _SHORTEST_LOST_LETTERS_CODE:
        return set()
    pattern = re.compile(f"[A-Z]{{1,{_MOST_LETTERS_PER_Q}}}".join(map(re.escape, parts)))
    return {known for known in _station_codes() if pattern.fullmatch(known)}


# Fewer letters than this outside the "Q"s tell too little to pick a station.
_SHORTEST_LOST_LETTERS_CODE: Final = 3


def _station_of_year(written: str, repaired: str, year: int) -> str:
    """Of the stations a misspelt id station may be repaired into (_repair_candidates), the one
    that sent cables in the id's year, when the repair chose none or one that did not, and
    exactly one other did ("06AITTAIPIE": AITTAIPEI's cables are of 2009, TAIPEI's of
    2006-2009; "10AQNA": ASTANA's are of 2007-2010, ADANA's of 2005)."""
    full_year = year + (1900 if year >= _CENTURY_PIVOT else 2000)
    if repaired in _station_codes() and _sent_in(repaired, full_year) is not False:
        return repaired
    sent = [code for code in _repair_candidates(written) if _sent_in(code, full_year)]
    return sent[0] if len(sent) == 1 else repaired


# Two-digit years from this one on are 19xx.
_CENTURY_PIVOT: Final = 50


def _sent_in(code: str, year: int) -> bool | None:
    """Whether cables of the year were seen from the station; None where none were seen."""
    years = _station_years().get(code)
    return None if years is None else years[0] <= year <= years[1]


@functools.lru_cache(maxsize=1024)
def _repair_candidates(written: str) -> tuple[str, ...]:
    """Every known station a misspelt id station is one repair away from: one edit from it, or
    from it without a glued prefix of 3 letters or more, or with each "Q" for lost letters."""
    code = _station_key(written)
    if len(code) > _LONGEST_GLUED_ID_STATION:
        return ()  # a station and a glued prefix or tail are never this long
    codes = _station_codes()
    found: set[str] = set()
    for start in (0, *range(_SHORTEST_GLUED_PREFIX, len(code) - 3)):
        rest = code[start:]
        found |= {known for known in codes if _within_one_edit(rest, known)}
    if "Q" in code:
        found |= _stations_with_lost_letters(code)
    return tuple(sorted(found))


def make_reference_id(year: int | str, station: str, serial: int | str) -> str:
    """Build a canonical id from its parts (2006, "SECSTATE", "000123" -> "06STATE123")."""
    year_digits = str(year).strip()
    return f"{year_digits[-2:].zfill(2)}{_normalise_station(station)}{int(str(serial).strip())}"


def _sender_address(fm_line: str) -> str:
    """The FM address alone: no "FM", routing indicator or "//EUROPE//" tail, upper case."""
    # Splitting at blanks and joining with one space is what _SPACES.sub(" ", ...).strip()
    # gives (both read blanks as str.isspace does), at a fraction of a substitution's cost.
    address = " ".join(fm_line.split()).upper().split("//")[0]
    # A prefix to drop opens with "FM" or holds the "/" of a routing indicator: other
    # addresses ("AMEMBASSY NEW DELHI") are spared the regex, whose match would be empty.
    if address.startswith("FM") or "/" in address:
        address = _SENDER_PREFIX.sub("", address)
    return address.strip()


def _place_name(words: str) -> str:
    """Place words as Cablegate writes them in origins ("SAO PAULO" -> "Sao Paulo")."""
    return " ".join(w if w in _UPPER_WORDS else w.capitalize() for w in words.split())


def origin_for_sender(fm_line: str) -> str | None:
    """Cablegate origin name for an FM line ("AMEMBASSY ALMATY" -> "Embassy Almaty")."""
    address = _sender_address(fm_line)
    if not address:
        return None
    if address in ("SECSTATE WASHDC", "SECSTATE"):
        return "Secretary of State"
    # Embassies and consulates follow the FM line; missions and offices have irregular
    # Cablegate names ("USUN New York", "UNVIE"), so the station table decides those.
    known = _by_fm_address().get(address)
    if known and known.origin and not address.startswith(("AMEMBASSY ", "AMCONSUL ")):
        return known.origin
    for prefix, kind in _SENDER_KINDS:
        if address.startswith(prefix):
            return f"{kind} {_place_name(address[len(prefix) :])}"
    return None


def station_for_sender(fm_line: str) -> str | None:
    """Station code for an FM line ("AMCONSUL SAO PAULO" -> "SAOPAULO"), or None."""
    address = _sender_address(fm_line)
    known = _by_fm_address().get(address)
    if known is not None:
        return known.code
    for prefix, _kind in _SENDER_KINDS:
        if address.startswith(prefix):
            code = address[len(prefix) :].replace(" ", "")
            return code if code in _station_codes() else None
    code = address.replace(" ", "")
    code = _STATION_ALIASES.get(code, code)
    return code if code in _station_codes() else None


def origin_for_station(station: str, *, plusd: bool = False) -> str | None:
    """Origin name of a station code ("ALMATY" -> "US Office Almaty"), or None.

    Cablegate's naming by default; plusd=True gives PlusD's where it differs ("STATE" ->
    "Department of State", "ATHENS" -> "Greece Athens") for 1970s PlusD cables.
    """
    table = _origin_by_station(PLUSD if plusd else CABLEGATE)
    return table.get(_station_key(station))


def _station_key(station: str) -> str:
    """A station code as the tables key it: no blanks, upper case."""
    # A code of letters alone (the usual case) holds no blank for the substitution to drop.
    return (station if station.isalpha() else _NOT_ID_CHARS.sub("", station)).upper()
