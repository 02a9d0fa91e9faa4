"""The filter table: one entry per query parameter of GET /cables (and /facets).

Each `Filter` says how its values parse (and so validate), what condition of the engine-neutral
tree they make (service.query.clauses, service.query.conditions) and how openapi.yaml
describes it. Adding a filter is adding one entry to `FILTERS`. Values only ever become
literals inside the tree: a parameter name such as `tag[$ne]` is unknown (400), a value such as
`{"$gt": ""}` or `.*` is a string matched as written; each engine keeps them literals.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from service.parsing import vocabulary
from service.query import fulltext
from service.query.clauses import (
    Context,
    build_classification,
    build_date_from,
    build_date_to,
    build_has_summary,
    build_tags,
    build_text,
    build_year,
    equal_any,
    hold_all,
    lower_bound,
    modifier,
    upper_bound,
    whole_value_any,
    words_any,
)
from service.query.conditions import Condition, all_of, merge_ranges
from service.query.errors import ParameterError
from service.query.people import (
    PARTICIPANT_SOURCES,
    build_classified_by,
    build_participants,
    build_persons,
    fold,
)

MAX_VALUE_LENGTH = 200
MAX_VALUES = 20

LEVEL_NAMES = vocabulary.LEVELS_BY_NAME
# Normalised classifications that name more than a level (a level name matches by level).
EXACT_CLASSIFICATIONS = frozenset(
    {"UNCLASSIFIED//FOR OFFICIAL USE ONLY", "CONFIDENTIAL//NOFORN", "SECRET//NOFORN"}
)
CLASSIFICATION_ALIASES = {
    "UNCLAS": "UNCLASSIFIED",
    "U": "UNCLASSIFIED",
    "LOU": "LIMITED OFFICIAL USE",
    "C": "CONFIDENTIAL",
    "S": "SECRET",
    "TS": "TOP SECRET",
    "FOUO": "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    "SBU": "UNCLASSIFIED",
}
PRECEDENCES = ("FLASH", "NIACT IMMEDIATE", "IMMEDIATE", "PRIORITY", "ROUTINE")

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9 ,.'/&()\-]*$")
_REFERENCE_ID = re.compile(r"^[0-9A-Z]{4,40}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Filter:
    """One query parameter: how a value parses and what clause the values make."""

    name: str
    parse: Callable[[str], Any]
    build: Callable[[list[Any], Context], Condition | None]
    field: str | None  # the indexed field the clause leads with; None for modifiers
    repeatable: bool
    help: str  # the parameter's description in openapi.yaml
    also: tuple[str, ...] = ()  # further indexed fields of an $or clause (each branch's own)

    @property
    def fields(self) -> tuple[str, ...]:
        """Every indexed field the clause reads: an index leads with each."""
        return (self.field, *self.also) if self.field else ()

    @property
    def choices(self) -> tuple[str, ...] | None:
        """The values the parameter accepts, when it is a choice among names."""
        return self.parse.options if isinstance(self.parse, Choice) else None


# --- value parsers: each returns the literal to query with or raises ValueError ---


def clean_text(raw: str) -> str:
    """Trim, refuse empty, over-long and control-character values."""
    value = _SPACES.sub(" ", raw).strip()
    if not value:
        raise ValueError("must not be empty")
    if len(value) > MAX_VALUE_LENGTH:
        raise ValueError(f"must be at most {MAX_VALUE_LENGTH} characters")
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


def parse_code(raw: str) -> str:
    """An upper-case code such as a tag (PGOV, "BIDEN, JOSEPH") or caveat (NOFORN)."""
    value = clean_text(raw).upper()
    if not _CODE.match(value):
        raise ValueError("must be letters, digits, spaces and , . ' / & ( ) -")
    return value


def parse_words(raw: str) -> list[str]:
    """Folded words of a name; at least one letter or digit is needed."""
    words = _WORD.findall(fold(clean_text(raw)))
    if not words:
        raise ValueError("must contain at least one letter or digit")
    return list(dict.fromkeys(words))


def parse_line_words(raw: str) -> list[str]:
    """The folded words of a line's text (sender, recipient), as service.query.fulltext
    reads words; at least one letter or digit is needed."""
    found = fulltext.words(clean_text(raw))
    if not found:
        raise ValueError("must contain at least one letter or digit")
    return found


def parse_date_bound(raw: str, *, end: bool) -> tuple[str, bool]:
    """An ISO date or datetime as (UTC ISO string, inclusive); a date `end` covers its day."""
    value = clean_text(raw)
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            if end and day == date.max:  # the last day there is: up to its end
                return _iso(datetime.max), True
            if end:
                return _iso(datetime(day.year, day.month, day.day) + timedelta(days=1)), False
            return _iso(datetime(day.year, day.month, day.day)), True
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise ValueError("must be an ISO date (2009-06-30) or datetime") from None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:  # 0001-01-01T00:00+23:59 is before the first moment there is
            moment = datetime.min if moment.year == 1 else datetime.max
    return _iso(moment), True


def _iso(moment: datetime) -> str:
    """The stored form of `created`: 2006-04-21T04:16:00Z (years before 1000 zero-padded)."""
    return moment.replace(microsecond=0).isoformat() + "Z"


def parse_date_from(raw: str) -> tuple[str, bool]:
    """The lower created bound."""
    return parse_date_bound(raw, end=False)


def parse_date_to(raw: str) -> tuple[str, bool]:
    """The upper created bound; a date covers its whole day."""
    return parse_date_bound(raw, end=True)


def parse_day(raw: str) -> str:
    """An ISO date, as `declassify_on` stores it."""
    try:
        return date.fromisoformat(clean_text(raw)).isoformat()
    except ValueError:
        raise ValueError("must be an ISO date (2015-04-19)") from None


def parse_year(raw: str) -> int:
    """A four-digit year between 1900 and 2100."""
    value = clean_text(raw)
    if not value.isdigit() or not 1900 <= int(value) <= 2100:
        raise ValueError("must be a year between 1900 and 2100")
    return int(value)


def parse_bool(raw: str) -> bool:
    """true/false, 1/0, yes/no."""
    value = clean_text(raw).lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    raise ValueError("must be true or false")


def parse_reference_id(raw: str) -> str:
    """A cable reference id, upper case, separators dropped (06ALMATY1457)."""
    value = re.sub(r"[\s\-./]+", "", clean_text(raw)).upper()
    if not _REFERENCE_ID.match(value):
        raise ValueError("must be a cable reference id such as 06ALMATY1457")
    return value


def parse_classification(raw: str) -> int | str:
    """A level name (-> level int) or a normalised classification with a caveat (-> str)."""
    value = CLASSIFICATION_ALIASES.get(parse_code(raw), parse_code(raw))
    if value in LEVEL_NAMES:
        return LEVEL_NAMES[value]
    if value in EXACT_CLASSIFICATIONS:
        return value
    known = ", ".join([*LEVEL_NAMES, *sorted(EXACT_CLASSIFICATIONS)])
    raise ValueError(f"must be one of {known}")


def parse_level(raw: str) -> int:
    """A classification level: 0-4 or a level name."""
    value = parse_code(raw)
    if value.isdigit() and int(value) in LEVEL_NAMES.values():
        return int(value)
    level = parse_classification(value)
    if isinstance(level, int):
        return level
    raise ValueError("must be a level 0-4 or one of " + ", ".join(LEVEL_NAMES))


def parse_marking(raw: str) -> int:
    """A paragraph marking (S, C, S/NF, SBU) or level name -> level."""
    value = parse_code(raw)
    level = vocabulary.marking_level(value.split("/")[0])  # as the parser reads paragraphs
    if level is not None:
        return level
    try:
        return parse_level(value)
    except ValueError:
        markings = ", ".join(vocabulary.MARKING_LEVELS)
        raise ValueError(
            f"must be a marking ({markings}, with /NF and the like) or level name"
        ) from None


@dataclass(frozen=True)
class Choice:
    """A parser accepting one of `options` (case-insensitive), returned as written there;
    the options are the parameter's enum in openapi.yaml."""

    options: tuple[str, ...]

    def __call__(self, raw: str) -> str:
        folded = clean_text(raw).casefold()
        for option in self.options:
            if option.casefold() == folded:
                return option
        raise ValueError("must be one of " + ", ".join(self.options))


def choice(*options: str) -> Choice:
    """A parser of one of `options`."""
    return Choice(options)


# name, parser, clause builder, leading indexed field (None: a modifier, or not indexable),
# repeatable, help: the parameter's description in openapi.yaml (tests/test_parameters.py
# holds them equal). Repeated values AND for list fields (tag, caveat, handling, references,
# participant, person) and OR for single-valued ones (classification, origin, station,
# precedence).
FILTERS: tuple[Filter, ...] = (
    Filter(
        "tag",
        parse_code,
        build_tags,
        "tag_keys",
        True,
        "A TAG the cable carries; repeatable (all must match unless `tag_mode=any`). Codes"
        " (`PGOV`, `KZ`), person TAGS (`BIDEN, JOSEPH`, also found with `OVIP`) and corrected"
        " misspellings (`RS` also finds cables that wrote `RU`).",
    ),
    Filter(
        "tag_mode",
        choice("all", "any"),
        modifier,
        None,
        False,
        "Whether a cable needs all the given TAGS or any of them.",
    ),
    Filter(
        "date_from",
        parse_date_from,
        build_date_from,
        "created",
        False,
        "Created on or after this ISO date or datetime.",
    ),
    Filter(
        "date_to",
        parse_date_to,
        build_date_to,
        "created",
        False,
        "Created on or before this ISO date (the whole day) or datetime.",
    ),
    Filter("year", parse_year, build_year, "created", False, "Created in this year."),
    Filter(
        "participant",
        parse_words,
        build_participants,
        "participants.search_words",
        True,
        "A participant whose name contains all these words (case- and accent-insensitive);"
        " repeatable, each naming a person the cable must involve.",
    ),
    Filter(
        "person",
        parse_words,
        build_persons,
        "participants.search_words",
        True,
        "A person the cable involves or names: a participant (any source) or a mentioned"
        " person whose name contains all these words (case- and accent-insensitive);"
        " repeatable, each naming a person the cable must name.",
        also=("mentioned.search_words",),
    ),
    Filter(
        "participant_source",
        choice(*PARTICIPANT_SOURCES),
        modifier,
        None,
        True,
        "Where the participant of `participant` must have been found; repeatable, any of"
        " them. It does not narrow `person`.",
    ),
    Filter(
        "classification",
        parse_classification,
        build_classification,
        "classification_level",
        True,
        "A normalised classification (`SECRET//NOFORN`), a level name (`SECRET` matches"
        " SECRET and SECRET//NOFORN) or an abbreviation (`C`, `S`, `FOUO`); repeatable, any"
        " of them.",
    ),
    Filter(
        "classification_min",
        parse_level,
        lower_bound("classification_level"),
        "classification_level",
        False,
        "At least this level, by name or number (0 UNCLASSIFIED ... 4 TOP SECRET).",
    ),
    Filter(
        "classification_max",
        parse_level,
        upper_bound("classification_level"),
        "classification_level",
        False,
        "At most this level, by name or number.",
    ),
    Filter(
        "caveat",
        parse_code,
        hold_all("caveats"),
        "caveats",
        True,
        "A classification caveat, `NOFORN`; repeatable, all of them.",
    ),
    Filter(
        "handling",
        parse_code,
        hold_all("handling"),
        "handling",
        True,
        "A handling caption, `SIPDIS`, `NODIS`, `EXDIS`...; repeatable, all of them.",
    ),
    Filter(
        "origin",
        clean_text,
        whole_value_any("origin"),
        "origin",
        True,
        "The origin as the metadata writes it, `Embassy Almaty` (any case); repeatable.",
    ),
    Filter(
        "station",
        parse_code,
        equal_any("station"),
        "station",
        True,
        "The station code, `ALMATY`; repeatable.",
    ),
    Filter(
        "sender",
        parse_line_words,
        words_any("sender"),
        "sender",
        True,
        "Words of the FM line, `AMEMBASSY ALMATY` or `almaty`: each a word of the line (any"
        " case and accents), the last one also as a word's beginning (`amembassy alm`);"
        " repeatable, any of them.",
    ),
    Filter(
        "recipient",
        parse_line_words,
        words_any("to.name", "info.name"),
        "to.name",
        True,
        "Words of one TO or INFO recipient's name, `SECSTATE`: each a word of the name (any"
        " case and accents), the last one also as a word's beginning (`secst`); repeatable,"
        " any of them.",
        also=("info.name",),
    ),
    Filter(
        "precedence",
        choice(*PRECEDENCES),
        equal_any("precedence"),
        "precedence",
        True,
        "The cable's precedence; repeatable.",
    ),
    Filter(
        "references",
        parse_reference_id,
        hold_all("references.id"),
        "references.id",
        True,
        "Cables that cite this reference id; repeatable, all of them.",
    ),
    Filter(
        "paragraph_classification",
        parse_marking,
        equal_any("paragraphs.level"),
        "paragraphs.level",
        True,
        "Cables with at least one paragraph at this marking (`S`, `C`, `SBU`, `S/NF`) or"
        " level; repeatable.",
    ),
    Filter(
        "declassify_from",
        parse_day,
        lower_bound("declassify_on"),
        "declassify_on",
        False,
        "Declassification date on or after this ISO date.",
    ),
    Filter(
        "declassify_to",
        parse_day,
        upper_bound("declassify_on"),
        "declassify_on",
        False,
        "Declassification date on or before this ISO date.",
    ),
    Filter(
        "classified_by",
        parse_words,
        build_classified_by,
        "participants.search_words",
        False,
        "Words of the classifying official's name.",
    ),
    # Not indexed: a yes/no on the summary text; combine it with an indexed filter.
    Filter(
        "has_summary",
        parse_bool,
        build_has_summary,
        None,
        False,
        "Whether the cable has a Summary section.",
    ),
    Filter(
        "q",
        fulltext.parse,
        build_text,
        None,
        False,
        'Full text over subject and body: words and `"quoted phrases"` (found across line'
        " breaks and punctuation, whole words, any case and accents), `-excluded` words and"
        " phrases; `sort=relevance` ranks where the store can.",
    ),
)
FILTERS_BY_NAME = {entry.name: entry for entry in FILTERS}


def parse_filters(args: Mapping[str, list[str]]) -> dict[str, list[Any]]:
    """Parse every filter parameter present in `args` (name -> raw values); ParameterError
    on a bad one."""
    parsed: dict[str, list[Any]] = {}
    for name, raw_values in args.items():
        entry = FILTERS_BY_NAME.get(name)
        if entry is None:
            continue
        if len(raw_values) > 1 and not entry.repeatable:
            raise ParameterError(name, "may be given only once")
        if len(raw_values) > MAX_VALUES:
            raise ParameterError(name, f"may be given at most {MAX_VALUES} times")
        try:
            parsed[name] = [entry.parse(raw) for raw in raw_values]
        except ValueError as error:
            raise ParameterError(name, str(error)) from None
    return parsed


def build_query(parsed: Mapping[str, list[Any]]) -> Condition:
    """The condition for parsed parameters: the AND of every filter's condition."""
    context = Context(parsed)
    conditions = [
        condition
        for entry in FILTERS
        if entry.name in parsed
        and (condition := entry.build(list(parsed[entry.name]), context)) is not None
    ]
    return all_of(*merge_ranges(conditions))
