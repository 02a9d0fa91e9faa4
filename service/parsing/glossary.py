"""TAGS glossary and routing-indicator lookups, loaded lazily from package data."""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path
from typing import Any, Final

GEOGRAPHIC: Final = "geographic"
SUBJECT: Final = "subject"
PROGRAM: Final = "program"
ORGANIZATION: Final = "organization"
PERSON: Final = "person"

DATA_DIR: Final = Path(__file__).parent / "data"

# "BIDEN, JOSEPH" / "STEINBERG, JAMES B." / "AL-QADHAFI, MUATASSIM": a person tag.
_PERSON_TAG: Final = re.compile(r"^[A-Z][A-Z'\-]+(?: [A-Z][A-Z'\-]+)*, [A-Z][A-Z.'\- ]*$")
_TWO_LETTERS: Final = re.compile(r"^[A-Z]{2}$")
# Program tags start with K (KDEM, KCRM, ...); subject tags with E, P, S, A, C, M, O, T.
_SUBJECT_SHAPE: Final = re.compile(r"^[ACEMOPST][A-Z]{3}$")
_PROGRAM_SHAPE: Final = re.compile(r"^K[A-Z]{3}$")
# The shortest and longest codes the glossary splits glued TAGS into.
_MIN_PIECE, _MAX_PIECE = 2, 6
# Longer tokens are not glued TAGS lines (the longest in the corpus has 18 letters).
_LONGEST_GLUED: Final = 80


def _read_csv(name: str) -> list[dict[str, str]]:
    """Read one CSV file of the package data."""
    text = (DATA_DIR / name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@functools.cache
def _tags() -> dict[str, dict[str, str]]:
    """Glossary rows by code; for codes of two kinds the first row (geographic) wins."""
    table: dict[str, dict[str, str]] = {}
    for row in _read_csv("tags.csv"):
        # Keys in the form lookups normalize codes to (upper case, single spaces): the data
        # holds them so already, and is_known_tag relies on it.
        table.setdefault(" ".join(row["code"].split()).upper(), row)
    return table


@functools.cache
def _routing() -> tuple[dict[str, str], dict[str, str]]:
    """Routing indicator -> name, and indicator-without-last-letter -> name for ranges."""
    table: dict[str, str] = {}
    ranges: dict[str, str] = {}
    for row in _read_csv("routing.csv"):
        indicator = row["routing_indicator"]
        first, thru, last = indicator.partition(" THRU ")
        if thru and first[:-1] == last[:-1]:
            # "RHFJAAA THRU RHFJAAZ": the book gives ranges over the last letter.
            ranges.setdefault(first[:-1], row["name"])
        else:
            table.setdefault(indicator, row["name"])
    return table, ranges


_INITIAL: Final = re.compile(r"[A-Z]\.$")


def _kind_by_shape(code: str) -> str:
    """Guess a tag's kind from its shape when the glossary does not know it."""
    if _PERSON_TAG.match(code):
        return PERSON
    if _TWO_LETTERS.match(code):
        return GEOGRAPHIC
    if _PROGRAM_SHAPE.match(code):
        return PROGRAM
    if _SUBJECT_SHAPE.match(code):
        return SUBJECT
    return ORGANIZATION


def tag_info(tag: str) -> dict[str, Any]:
    """Describe one tag: {"tag", "kind", "title", "corrected"} (a copy the caller may change)."""
    return dict(_tag_info(tag))


@functools.lru_cache(maxsize=4096)
def _tag_info(tag: str) -> dict[str, Any]:
    """tag_info's answer, computed once per spelling (every cable names a few common tags)."""
    code = " ".join(tag.split()).upper()
    row = _tags().get(code)
    if row is None:
        corrected = _without_extra_letter(code)
        kind = _tags()[corrected]["kind"] if corrected else _kind_by_shape(code)
        return {"tag": code, "kind": kind, "title": None, "corrected": corrected}
    corrected = row["corrected"] or None
    if corrected is None and row["kind"] == PERSON:
        corrected = _with_middle_initial(code, row["title"])
    return {"tag": code, "kind": row["kind"], "title": row["title"] or None, "corrected": corrected}


def _without_extra_letter(code: str) -> str | None:
    """The known code an unknown one spells with one letter too many ("UNDESCO" -> "UNESCO"):
    codes of five letters or more only, and never a country's, whose two letters are too easily
    reached."""
    if not _SHORTEST_FIXED <= len(code) <= _longest_code() + 1 or not code.isalpha():
        return None  # a megabyte of letters is no code with one letter too many
    tags = _tags()
    for index in range(len(code)):
        shorter = code[:index] + code[index + 1 :]
        row = tags.get(shorter)
        if row is not None and not row["corrected"] and row["kind"] != GEOGRAPHIC:
            return shorter
    return None


_SHORTEST_FIXED: Final = 5


@functools.cache
def _longest_code() -> int:
    """The length of the longest known code."""
    return max(map(len, _tags()))


def _with_middle_initial(code: str, title: str) -> str | None:
    """A person tag written without the middle initial of its title, in full: "BUSH, GEORGE"
    (George W. Bush) -> "BUSH, GEORGE W."."""
    words = title.split()
    if len(words) != 3 or not _INITIAL.match(words[1]) or code.count(",") != 1:
        return None
    last, first = (part.strip() for part in code.split(","))
    if first != words[0].upper() or last != words[2].upper():
        return None
    return f"{last}, {first} {words[1].upper()}"


def is_known_tag(code: str) -> bool:
    """Whether the glossary lists the code (misspellings it corrects included)."""
    tags = _tags()
    # The TAGS parser passes codes already in upper case and single-spaced, the form of the
    # glossary's keys: one lookup answers for them, before the code is normalized.
    return code in tags or " ".join(code.split()).upper() in tags


def split_glued_tags(token: str) -> list[str] | None:
    """Split TAGS written without spaces ("ETRDEINVECINPGOV") into glossary codes, else None."""
    token = token.strip().upper()
    if not token.isalpha() or not 2 * _MIN_PIECE <= len(token) <= _LONGEST_GLUED:
        return None
    split = _split_known(token)
    if not split or len(split) < 2:
        return None
    # Codes also spell ordinary words ("POLITICS" = PO LI TI CS, "COUNTER" = CO UNTER): a
    # split is only trusted when it holds a subject or program code and its two-letter
    # country codes do not outnumber the longer codes.
    tags = _tags()
    short = sum(1 for piece in split if len(piece) == 2)
    topical = any(tags[piece]["kind"] in (SUBJECT, PROGRAM) for piece in split)
    return split if topical and short <= len(split) - short else None


@functools.lru_cache(maxsize=4096)
def _split_known(token: str) -> list[str] | None:
    """Best split of token into known standard codes, preferring the fewest pieces."""
    tags = _tags()
    best: list[list[str] | None] = [None] * (len(token) + 1)
    best[0] = []
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - _MAX_PIECE), end - _MIN_PIECE + 1):
            prefix = best[start]
            piece = token[start:end]
            row = tags.get(piece)
            if prefix is None or row is None or row["corrected"]:
                continue
            candidate = [*prefix, piece]
            current = best[end]
            if current is None or len(candidate) < len(current):
                best[end] = candidate
    return best[len(token)]


@functools.cache
def place_names() -> frozenset[str]:
    """Folded names of countries and regions, plus the usual names of the US side."""
    names = {row["title"].casefold() for row in _tags().values() if row["kind"] == GEOGRAPHIC}
    return frozenset(names | {"us", "u s", "usg", "united states", "america"})


@functools.cache
def _routing_dated() -> dict[str, list[tuple[int, int, str]]]:
    """Routing indicator -> (first year, last year, name) of names that held only for a time."""
    table: dict[str, list[tuple[int, int, str]]] = {}
    for row in _read_csv("routing_dated.csv"):
        first = int(row["first_year"] or 0)
        last = int(row["last_year"] or 9999)
        table.setdefault(row["routing_indicator"], []).append((first, last, row["name"]))
    return table


def routing_name(indicator: str, *, year: int | None = None) -> str | None:
    """Addressee name for a routing indicator ("RUEHAK" -> "AMEMBASSY ANKARA"), or None.

    The book is of 2010; with the cable's year, a name that held then wins ("RUEHTA" was
    AMEMBASSY ALMATY until the embassy moved to Astana).
    """
    code = indicator.strip().upper()
    if year is not None:
        for first, last, name in _routing_dated().get(code, ()):
            if first <= year <= last:
                return name
    table, ranges = _routing()
    return table.get(code) or ranges.get(code[:-1])


def glossary() -> list[dict[str, Any]]:
    """Every glossary entry as {"tag", "kind", "title", "corrected"}, for GET /tags."""
    return [tag_info(code) for code in _tags()]
