"""The filter table: one entry per query parameter of GET /cables (and /facets).

Each `Filter` says how its values parse (and so validate) and what MongoDB clause they make.
Adding a filter is adding one entry to `FILTERS`. Values only ever become literals inside
clauses we build: a parameter name such as `tag[$ne]` is unknown (400), a value such as
`{"$gt": ""}` or `.*` is a string matched as written, and text used in a regular expression
is escaped with `re.escape`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from service.errors import APIError
from service.query import fulltext
from service.query.people import (
    PARTICIPANT_SOURCES,
    build_classified_by,
    build_participants,
    build_persons,
    fold,
)

Clause = dict[str, Any]

_RANGE_OPERATORS = frozenset({"$gt", "$gte", "$lt", "$lte"})
MAX_VALUE_LENGTH = 200
MAX_VALUES = 20

LEVEL_NAMES = {
    "UNCLASSIFIED": 0,
    "LIMITED OFFICIAL USE": 1,
    "CONFIDENTIAL": 2,
    "SECRET": 3,
    "TOP SECRET": 4,
}
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
# Paragraph markings as written ("S/NF" keeps its first part) -> level.
MARKING_LEVELS = {"U": 0, "SBU": 0, "FOUO": 0, "LOU": 1, "C": 2, "S": 3, "TS": 4}
PRECEDENCES = ("FLASH", "NIACT IMMEDIATE", "IMMEDIATE", "PRIORITY", "ROUTINE")

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9 ,.'/&()\-]*$")
_REFERENCE_ID = re.compile(r"^[0-9A-Z]{4,40}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Context:
    """What a clause builder may look at besides its own values."""

    values: Mapping[str, list[Any]]
    embedded: bool

    def first(self, name: str, default: Any = None) -> Any:
        """The first parsed value of another parameter, or the default."""
        found = self.values.get(name)
        return found[0] if found else default


@dataclass(frozen=True)
class Filter:
    """One query parameter: how a value parses and what clause the values make."""

    name: str
    parse: Callable[[str], Any]
    build: Callable[[list[Any], Context], Clause | None]
    field: str | None  # the indexed field the clause leads with; None for modifiers
    repeatable: bool
    help: str = ""
    also: tuple[str, ...] = ()  # further indexed fields of an $or clause (each branch's own)

    @property
    def fields(self) -> tuple[str, ...]:
        """Every indexed field the clause reads: an index leads with each."""
        return (self.field, *self.also) if self.field else ()


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


def parse_date_bound(raw: str, *, end: bool) -> tuple[str, bool]:
    """An ISO date or datetime as (UTC ISO string, inclusive); a date `end` covers its day."""
    value = clean_text(raw)
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            if end:
                return _iso(datetime(day.year, day.month, day.day) + timedelta(days=1)), False
            return _iso(datetime(day.year, day.month, day.day)), True
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise ValueError("must be an ISO date (2009-06-30) or datetime") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return _iso(moment), True


def _iso(moment: datetime) -> str:
    """The stored form of `created`: 2006-04-21T04:16:00Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


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
    head = value.split("/")[0]
    if head in MARKING_LEVELS:
        return MARKING_LEVELS[head]
    try:
        return parse_level(value)
    except ValueError:
        raise ValueError("must be a marking (U, SBU, C, S, TS, S/NF) or level name") from None


def choice(*options: str) -> Callable[[str], str]:
    """A parser accepting one of `options` (case-insensitive), returned as written there."""
    by_folded = {option.casefold(): option for option in options}

    def parse(raw: str) -> str:
        value = by_folded.get(clean_text(raw).casefold())
        if value is None:
            raise ValueError("must be one of " + ", ".join(options))
        return value

    return parse


# --- clause builders ---


def _regex(pattern: str) -> Clause:
    """A case-insensitive regex clause value."""
    return {"$regex": pattern, "$options": "i"}


def equal_any(field: str) -> Callable[[list[Any], Context], Clause]:
    """The field equals (or, for arrays, holds) any of the values."""
    return lambda values, _: {field: values[0] if len(values) == 1 else {"$in": values}}


def hold_all(field: str) -> Callable[[list[Any], Context], Clause]:
    """The array field holds every value."""
    return lambda values, _: {field: values[0] if len(values) == 1 else {"$all": values}}


def whole_value_any(field: str) -> Callable[[list[Any], Context], Clause]:
    """The field equals any value, ignoring case (an anchored, escaped regex)."""

    def build(values: list[Any], _: Context) -> Clause:
        alternatives = "|".join(re.escape(value) for value in values)
        return {field: _regex(f"^(?:{alternatives})$")}

    return build


def contains_any(*fields: str) -> Callable[[list[Any], Context], Clause]:
    """Any of the fields contains any value, ignoring case (escaped regex)."""

    def build(values: list[Any], _: Context) -> Clause:
        pattern = _regex("|".join(re.escape(value) for value in values))
        clauses = [{field: pattern} for field in fields]
        return clauses[0] if len(clauses) == 1 else {"$or": clauses}

    return build


def build_tags(values: list[Any], context: Context) -> Clause:
    """All given TAGS (tag_mode=any: any of them), matched on tag_keys."""
    operator = "$in" if context.first("tag_mode", "all") == "any" else "$all"
    return {"tag_keys": {operator: values}}


def build_classification(values: list[Any], _: Context) -> Clause:
    """Any of the levels or exact normalised classifications."""
    levels = sorted({value for value in values if isinstance(value, int)})
    exact = sorted({value for value in values if isinstance(value, str)})
    clauses: list[Clause] = []
    if levels:
        clauses.append({"classification_level": {"$in": levels}})
    if exact:
        clauses.append({"classification": {"$in": exact}})
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def bound(field: str, operator: str) -> Callable[[list[Any], Context], Clause]:
    """A one-sided range on the field."""
    return lambda values, _: {field: {operator: values[0]}}


def build_date_from(values: list[Any], _: Context) -> Clause:
    """Created at or after the bound."""
    return {"created": {"$gte": values[0][0]}}


def build_date_to(values: list[Any], _: Context) -> Clause:
    """Created up to the bound; a date includes its whole day."""
    moment, inclusive = values[0]
    return {"created": {"$lte" if inclusive else "$lt": moment}}


def build_year(values: list[Any], _: Context) -> Clause:
    """Created within the calendar year."""
    year = values[0]
    start, end = f"{year:04d}-01-01T00:00:00Z", f"{year + 1:04d}-01-01T00:00:00Z"
    return {"created": {"$gte": start, "$lt": end}}


def build_has_summary(values: list[Any], _: Context) -> Clause:
    """Whether the cable has a Summary section."""
    return {"summary": {"$nin" if values[0] else "$in": [None, ""]}}


def build_text(values: list[Any], context: Context) -> Clause:
    """Full text over subject and body (see service.query.fulltext)."""
    return fulltext.build_clause(values[0], embedded=context.embedded)


def modifier(values: list[Any], _: Context) -> None:
    """A parameter that changes how another filter builds its clause."""
    return None


# name, parser, clause builder, leading indexed field (None: a modifier, or not indexable),
# repeatable, help. Repeated values AND for list fields (tag, caveat, handling, references,
# participant, person) and OR for single-valued ones (classification, origin, station,
# precedence).
FILTERS: tuple[Filter, ...] = (
    Filter("tag", parse_code, build_tags, "tag_keys", True, "carries every given TAGS code"),
    Filter("tag_mode", choice("all", "any"), modifier, None, False, "tag: all (default) or any"),
    Filter("date_from", parse_date_from, build_date_from, "created", False, "created on/after"),
    Filter("date_to", parse_date_to, build_date_to, "created", False, "created up to (a day: all)"),
    Filter("year", parse_year, build_year, "created", False, "created in that year"),
    Filter(
        "participant",
        parse_words,
        build_participants,
        "participants.search_words",
        True,
        "one participant's name holds all these words (any case or accents)",
    ),
    Filter(
        "person",
        parse_words,
        build_persons,
        "participants.search_words",
        True,
        "one participant's or mentioned person's name holds all these words",
        also=("mentioned.search_words",),
    ),
    Filter(
        "participant_source",
        choice(*PARTICIPANT_SOURCES),
        modifier,
        None,
        True,
        "participant: only from these sources",
    ),
    Filter(
        "classification",
        parse_classification,
        build_classification,
        "classification_level",
        True,
        "a level (SECRET matches SECRET//NOFORN) or an exact value",
    ),
    Filter(
        "classification_min",
        parse_level,
        bound("classification_level", "$gte"),
        "classification_level",
        False,
        "at least this level",
    ),
    Filter(
        "classification_max",
        parse_level,
        bound("classification_level", "$lte"),
        "classification_level",
        False,
        "at most this level",
    ),
    Filter("caveat", parse_code, hold_all("caveats"), "caveats", True, "NOFORN..."),
    Filter("handling", parse_code, hold_all("handling"), "handling", True, "SIPDIS, NODIS..."),
    Filter("origin", clean_text, whole_value_any("origin"), "origin", True, "any case"),
    Filter("station", parse_code, equal_any("station"), "station", True, "ALMATY"),
    Filter("sender", clean_text, contains_any("sender"), "sender", True, "FM line contains"),
    Filter(
        "recipient",
        clean_text,
        contains_any("to.name", "info.name"),
        "to.name",
        True,
        "a TO or INFO addressee contains",
        also=("info.name",),
    ),
    Filter("precedence", choice(*PRECEDENCES), equal_any("precedence"), "precedence", True),
    Filter(
        "references",
        parse_reference_id,
        hold_all("references.id"),
        "references.id",
        True,
        "cites this cable",
    ),
    Filter(
        "paragraph_classification",
        parse_marking,
        equal_any("paragraphs.level"),
        "paragraphs.level",
        True,
        "holds a paragraph at this marking or level",
    ),
    Filter(
        "declassify_from",
        parse_day,
        bound("declassify_on", "$gte"),
        "declassify_on",
        False,
        "declassification date on/after",
    ),
    Filter(
        "declassify_to",
        parse_day,
        bound("declassify_on", "$lte"),
        "declassify_on",
        False,
        "declassification date up to",
    ),
    Filter(
        "classified_by",
        parse_words,
        build_classified_by,
        "participants.search_words",
        False,
        "the classifying official's name holds these words",
    ),
    # Not indexed: a yes/no on the summary text; combine it with an indexed filter.
    Filter("has_summary", parse_bool, build_has_summary, None, False, "has a Summary"),
    Filter("q", fulltext.parse, build_text, None, False, 'full text: words, "phrases", -word'),
)
FILTERS_BY_NAME = {entry.name: entry for entry in FILTERS}


def bad_parameter(name: str, message: str) -> APIError:
    """The 400 problem naming the parameter at fault."""
    return APIError(
        400,
        f"Invalid query parameter {name!r}: {message}.",
        errors=[{"parameter": name, "message": message}],
    )


def parse_filters(args: Mapping[str, list[str]]) -> dict[str, list[Any]]:
    """Parse every filter parameter present in `args` (name -> raw values); 400 on bad ones."""
    parsed: dict[str, list[Any]] = {}
    for name, raw_values in args.items():
        entry = FILTERS_BY_NAME.get(name)
        if entry is None:
            continue
        if len(raw_values) > 1 and not entry.repeatable:
            raise bad_parameter(name, "may be given only once")
        if len(raw_values) > MAX_VALUES:
            raise bad_parameter(name, f"may be given at most {MAX_VALUES} times")
        try:
            parsed[name] = [entry.parse(raw) for raw in raw_values]
        except ValueError as error:
            raise bad_parameter(name, str(error)) from None
    return parsed


def build_query(parsed: Mapping[str, list[Any]], *, embedded: bool) -> Clause:
    """The MongoDB filter for parsed parameters: the AND of every filter's clause."""
    context = Context(parsed, embedded)
    clauses = [
        clause
        for entry in FILTERS
        if entry.name in parsed
        and (clause := entry.build(list(parsed[entry.name]), context)) is not None
    ]
    clauses = merge_ranges(clauses)
    if not clauses:
        return {}
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def merge_ranges(clauses: list[Clause]) -> list[Clause]:
    """Join one-field operator clauses on the same field (date_from + date_to + year on
    created) into one: the same meaning to MongoDB, one range test per document."""
    merged: list[Clause] = []
    by_field: dict[str, dict[str, Any]] = {}
    for clause in clauses:
        field, condition = next(iter(clause.items()))
        mergeable = len(clause) == 1 and not field.startswith("$") and isinstance(condition, dict)
        mergeable = mergeable and all(key in _RANGE_OPERATORS for key in condition)
        target = by_field.get(field)
        if mergeable and target is not None and not set(target) & set(condition):
            target.update(condition)
            continue
        if mergeable:
            condition = dict(condition)
            by_field[field] = condition
            clause = {field: condition}
        merged.append(clause)
    return merged
