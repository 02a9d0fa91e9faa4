"""The filter tree (service.query.conditions) as an SQL condition on `cables` (alias `c`).

Every value is a bound parameter, never SQL text. Single-valued fields are columns of
`cables`; list fields are looked up in `cable_values`, people in `cable_people`, `q` in the
FTS5 table `cable_text` (service.store.sqlite.schema).
"""

from __future__ import annotations

from typing import Any

from service.query import conditions as c
from service.query import fulltext
from service.store.sqlite.schema import (
    FOLDED_COLUMNS,
    FOLDED_VALUES,
    SCALAR_COLUMNS,
    VALUE_FIELDS,
    WORD_LISTS,
)

Sql = tuple[str, list[Any]]
MATCH_ALL: Sql = ("1", [])
MATCH_NONE: Sql = ("0", [])
# Above every character: the words starting with a prefix lie in [prefix, prefix + this).
_PREFIX_END = "\U0010ffff"


def compile_where(condition: c.Condition, *, probe: bool = False) -> Sql:
    """The SQL condition and its parameters. With `probe`, list values and people are tested
    cable by cable (a correlated look-up of `c.n` in the side table's key) instead of as a
    list of every cable that has them: the plan for a page read along an index of `cables`
    where the look-ups match many cables (reads.page), which then stops after a page of
    matches instead of first listing tens of thousands."""
    match condition:
        case c.AllOf(children):
            parts = [compile_where(child, probe=probe) for child in children]
            return _join(parts, "AND", MATCH_ALL)
        case c.AnyOf(children):
            parts = [compile_where(child, probe=probe) for child in children]
            return _join(parts, "OR", MATCH_NONE)
        case c.Equals(field, values):
            return _equals(field, list(values), probe)
        case c.HoldsAll(field, values):
            return _holds_all(field, list(dict.fromkeys(values)), probe)
        case c.Range(field, low, high):
            return _range(field, low, high)
        case c.Folded(fields, values):
            return _join([_folded(field, values) for field in fields], "OR", MATCH_NONE)
        case c.Words(fields, values):
            return _within(_words_select(fields, values))
        case c.Person(list_name, words, sources):
            if probe:
                return _person_probe(list_name, words, sources)
            return _person(list_name, words, sources)
        case c.WordPrefix(lists, prefix):
            marks = _marks(lists)
            sql = (
                f"c.n IN (SELECT n FROM cable_people WHERE list IN ({marks}) AND kind = 'w'"
                " AND value >= ? AND value < ?)"
            )
            return sql, [*lists, prefix, prefix + _PREFIX_END]
        case c.Present(field, present):
            if field != "summary":
                raise ValueError(f"no presence index for {field}")
            return ("c.has_summary = 1" if present else "c.has_summary = 0"), []
        case c.FullText(query):
            return _within(_text_select(query))
    raise TypeError(f"not a condition: {condition!r}")


def match_expression(query: fulltext.TextQuery) -> str:
    """The FTS5 query of `q`: each term a phrase of its words, every required one, no excluded
    one (service.query.fulltext defines the words; FTS5's tokenizer folds them the same way)."""
    required = " AND ".join(_phrase(term) for term in query.required)
    if not query.excluded:
        return required
    excluded = " OR ".join(_phrase(term) for term in query.excluded)
    return f"({required}) NOT ({excluded})"


def _phrase(term: str) -> str:
    """A term as an FTS5 phrase: its words, quoted (words hold no quote)."""
    return '"' + " ".join(fulltext.words(term)) + '"'


def _marks(values: Any) -> str:
    return ", ".join("?" * len(values))


def _join(parts: list[Sql], operator: str, empty: Sql) -> Sql:
    if not parts:
        return empty
    if len(parts) == 1:
        return parts[0]
    sql = f" {operator} ".join(f"({part})" for part, _ in parts)
    return sql, [value for _, params in parts for value in params]


def _column(field: str) -> str:
    if field not in SCALAR_COLUMNS:
        raise ValueError(f"no column for {field}")
    return f"c.{field}"


def _in_values(field: str, values: list[Any], probe: bool = False) -> Sql:
    """Cables with a value of the list field among `values` (with `probe`, each cable's
    rows looked up by the key (field, value, n))."""
    if probe:
        sql = (
            "EXISTS (SELECT 1 FROM cable_values v WHERE v.field = ?"
            f" AND v.value IN ({_marks(values)}) AND v.n = c.n)"
        )
        return sql, [field, *values]
    return _within(_values_select(field, values))


def _values_select(field: str, values: list[Any]) -> Sql:
    """The numbers of the cables with a value of the list field among `values`."""
    sql = f"SELECT n FROM cable_values WHERE field = ? AND value IN ({_marks(values)})"
    return sql, [field, *values]


def _within(select: Sql) -> Sql:
    """Cables whose number the select gives."""
    return f"c.n IN ({select[0]})", select[1]


def _text_select(query: fulltext.TextQuery) -> Sql:
    """The numbers of the cables the full-text index matches."""
    return "SELECT rowid FROM cable_text WHERE cable_text MATCH ?", [match_expression(query)]


def _equals(field: str, values: list[Any], probe: bool = False) -> Sql:
    if field in VALUE_FIELDS:
        return _in_values(field, values, probe)
    return f"{_column(field)} IN ({_marks(values)})", values


def _holds_all(field: str, values: list[Any], probe: bool = False) -> Sql:
    if not values:  # holding all of nothing matches nothing, as in MongoDB
        return MATCH_NONE
    if field in VALUE_FIELDS:
        parts = [_in_values(field, [value], probe) for value in values]
        return _join(parts, "AND", MATCH_ALL)
    if len(values) > 1:  # one value cannot equal two different ones
        return MATCH_NONE
    return f"{_column(field)} = ?", values


def _range(field: str, low: c.Bound | None, high: c.Bound | None) -> Sql:
    column = _column(field)
    parts: list[Sql] = []
    if low is not None:
        parts.append((f"{column} {'>=' if low[1] else '>'} ?", [low[0]]))
    if high is not None:
        parts.append((f"{column} {'<=' if high[1] else '<'} ?", [high[0]]))
    return _join(parts, "AND", MATCH_ALL)


def _folded(field: str, values: tuple[str, ...]) -> Sql:
    """The field equal to a value, ignoring case, by its lower-cased copy."""
    folded = [value.lower() for value in values]
    if field in FOLDED_COLUMNS:
        return f"c.{FOLDED_COLUMNS[field]} IN ({_marks(folded)})", folded
    if field in FOLDED_VALUES:
        sql = f"c.n IN (SELECT n FROM cable_values WHERE field = ? AND value IN ({_marks(folded)}))"
        return sql, [field, *folded]
    raise ValueError(f"no folded copy of {field}")


def _words_select(fields: tuple[str, ...], values: tuple[tuple[str, ...], ...]) -> Sql:
    """The numbers of the cables with a line (sender, one recipient) holding every word of a
    value but the last, and a word beginning with the last: the (cable, line) pairs of each
    word from the words' index (cable_people, under the line's list), intersected."""
    if fields not in WORD_LISTS:
        raise ValueError(f"no word rows for {fields}")
    list_name = WORD_LISTS[fields]
    selects: list[Sql] = []
    for words in values:
        pairs: list[Sql] = [
            ("SELECT n, person FROM cable_people WHERE list = ? AND kind = 'w' AND value = ?",
             [list_name, word])
            for word in dict.fromkeys(words[:-1])
        ]  # fmt: skip
        pairs.append(
            (
                "SELECT n, person FROM cable_people WHERE list = ? AND kind = 'w'"
                " AND value >= ? AND value < ?",
                [list_name, words[-1], words[-1] + _PREFIX_END],
            )
        )
        sql = " INTERSECT ".join(select for select, _ in pairs)
        selects.append((f"SELECT n FROM ({sql})", [value for _, p in pairs for value in p]))
    return " UNION ".join(sql for sql, _ in selects), [v for _, p in selects for v in p]


def _person(list_name: str, words: tuple[str, ...], sources: tuple[str, ...]) -> Sql:
    """One person of the list holding every word (and one of the sources)."""
    return _within(_person_select(list_name, words, sources))


def _person_select(list_name: str, words: tuple[str, ...], sources: tuple[str, ...]) -> Sql:
    """The numbers of the cables with such a person: the (cable, person) pairs of each word
    and of the sources, intersected."""
    selects: list[Sql] = [
        ("SELECT n, person FROM cable_people WHERE list = ? AND kind = 'w' AND value = ?",
         [list_name, word])
        for word in dict.fromkeys(words)
    ]  # fmt: skip
    if sources:
        selects.append(
            (
                "SELECT n, person FROM cable_people WHERE list = ? AND kind = 's'"
                f" AND value IN ({_marks(sources)})",
                [list_name, *sources],
            )
        )
    if len(selects) == 1:
        sql, params = selects[0]
        return f"SELECT n FROM ({sql})", params
    sql = " INTERSECT ".join(select for select, _ in selects)
    return f"SELECT n FROM ({sql})", [value for _, p in selects for value in p]


def _person_probe(list_name: str, words: tuple[str, ...], sources: tuple[str, ...]) -> Sql:
    """One person of the list holding every word (and one of the sources), looked up for the
    cable `c.n`: the rows of the first word joined to those of the same person's other words
    and sources, each found by the key (list, kind, value, n, person)."""
    tests: list[Sql] = [("'w'", [word]) for word in dict.fromkeys(words)]
    if sources:
        tests.append(("'s'", list(sources)))
    if not tests:
        return _person(list_name, words, sources)
    aliases = [f"p{index}" for index in range(len(tests))]
    conditions = [
        f"{alias}.list = ? AND {alias}.kind = {kind} AND {alias}.value IN ({_marks(values)})"
        f" AND {alias}.n = c.n" + (f" AND {alias}.person = p0.person" if index else "")
        for index, (alias, (kind, values)) in enumerate(zip(aliases, tests, strict=True))
    ]
    tables = ", ".join(f"cable_people {alias}" for alias in aliases)
    sql = f"EXISTS (SELECT 1 FROM {tables} WHERE {' AND '.join(conditions)})"
    return sql, [value for _, values in tests for value in [list_name, *values]]


def row_set(condition: c.Condition) -> Sql | None:
    """The numbers (`n`) of the matching cables straight from the side tables and the
    full-text index, without reading `cables`, when the condition holds only such look-ups
    (else None); a number may come more than once (`distinct` says when it cannot). Counting
    and the facets of a common tag then read index entries, not thousands of wide rows."""
    match condition:
        case c.Equals(field, values) if field in VALUE_FIELDS and values:
            return _values_select(field, list(values))
        case c.HoldsAll(field, values) if field in VALUE_FIELDS and values:
            return _intersect([_values_select(field, [value]) for value in dict.fromkeys(values)])
        case c.Person(list_name, words, sources):
            return _person_select(list_name, words, sources)
        case c.Words(fields, values):
            return _words_select(fields, values)
        case c.FullText(query):
            return _text_select(query)
        case c.AllOf(children) if children:
            found = [row_set(child) for child in children]
            if any(part is None for part in found):
                return None
            return _intersect([part for part in found if part is not None])
    return None


def distinct(condition: c.Condition) -> bool:
    """Whether row_set gives each number once (one value looked up, an intersection, the
    full-text index); a person's words may match two people of one cable."""
    match condition:
        case c.Equals(_, values):
            return len(values) == 1
        case c.HoldsAll() | c.FullText() | c.AllOf():
            return True
    return False


def _intersect(parts: list[Sql]) -> Sql:
    if len(parts) == 1:
        return parts[0]
    sql = " INTERSECT ".join(f"SELECT * FROM ({part})" for part, _ in parts)
    return sql, [value for _, params in parts for value in params]
