"""The filter tree (service.query.conditions) as a MongoDB filter.

Every value stays a literal: equality and `$in`/`$all` take it as data, text becomes a regular
expression only through `re.escape` or the words of service.query.fulltext.

Case-insensitive filters (`origin`, `sender`, `recipient`) and `q` match the folded copies
stored with each document (service.store.mongo.derived): `origin` by equality, `sender` and
`recipient` by equality of whole words and an anchored prefix (`^alm`) for the last, both
answerable from an index, `q` as a substring of the folded words. A document stored before
those copies existed is matched by case-insensitive regular expressions on the fields
themselves, so it keeps being found until `cables reparse --all` adds them.
"""

from __future__ import annotations

import re
from typing import Any

from service.query import conditions as c
from service.query import fulltext
from service.store.mongo.derived import (
    FOLDED_COPIES,
    TEXT,
    WORD_COPIES,
    fold_value,
    term_line,
)

Filter = dict[str, Any]
NOTHING: Filter = {"_id": {"$in": []}}  # matches no document
# (upper bound, inclusive) -> operator
_OPERATORS = {
    (False, True): "$gte",
    (False, False): "$gt",
    (True, True): "$lte",
    (True, False): "$lt",
}


def compile_filter(condition: c.Condition, *, text_index: bool = False) -> Filter:
    """The MongoDB filter of a condition; `text_index`: `q` as `$text` (a real server with
    the text index) rather than regular expressions."""
    return _Compiler(text_index).compile(condition)


class _Compiler:
    def __init__(self, text_index: bool) -> None:
        self.text_index = text_index

    def compile(self, condition: c.Condition) -> Filter:
        match condition:
            case c.AllOf(children):
                return _and([self.compile(child) for child in children])
            case c.AnyOf(children):
                if not children:
                    return NOTHING
                return _or([self.compile(child) for child in children])
            case c.Equals(field, values):
                return {field: values[0] if len(values) == 1 else {"$in": list(values)}}
            case c.HoldsAll(field, values):
                if not values:  # as MongoDB's `$all: []` (mongomock would match everything)
                    return NOTHING
                return {field: values[0] if len(values) == 1 else {"$all": list(values)}}
            case c.Range(field, low, high):
                bounds: dict[str, Any] = {}
                for upper, bound in ((False, low), (True, high)):
                    if bound is not None:
                        bounds[_OPERATORS[(upper, bound[1])]] = bound[0]
                return {field: bounds}
            case c.Folded(fields, values):
                return _folded(fields, values)
            case c.Words(fields, values):
                return _words(fields, values)
            case c.Person(list_name, words, sources):
                element: Filter = {"search_words": {"$all": list(words)}}
                if sources:
                    element["sources"] = {"$in": list(sources)}
                return {list_name: {"$elemMatch": element}}
            case c.WordPrefix(lists, prefix):
                starting = {"$regex": "^" + re.escape(prefix)}
                return _or([{f"{name}.search_words": starting} for name in lists])
            case c.Present(field, present):
                return {field: {"$nin" if present else "$in": [None, ""]}}
            case c.FullText(query):
                return self.text(query)
        raise TypeError(f"not a condition: {condition!r}")

    def text(self, query: fulltext.TextQuery) -> Filter:
        """`q`: every required term and no excluded one among the folded words of subject or
        body; on a real server `$text` (the required words, any of them) first selects the
        candidates from the text index, and the folded words decide."""
        clauses: list[Filter] = [_required_term(term) for term in query.required]
        if query.excluded:
            clauses.append({"$nor": [c for term in query.excluded for c in _term_found(term)]})
        if self.text_index:
            candidates = {"$text": {"$search": " ".join(text_search_words(query))}}
            clauses.insert(0, candidates)
        return _and(clauses)


def text_search_words(query: fulltext.TextQuery) -> list[str]:
    """The words `$text` selects candidates by: each folded word of a required term, once,
    unquoted (a quoted phrase would be matched as a substring of the raw text). The text index
    has no stop words and no stemming (service.store.mongo.indexes), so a cable holding every
    required term holds each of these words as a token of the index."""
    return list(dict.fromkeys(word for term in query.required for word in fulltext.words(term)))


def _term_found(term: str) -> list[Filter]:
    """A term found in the folded words, or, in a document without them, by the older
    case-insensitive regular expression over subject and body (accents as typed)."""
    legacy = {"$regex": fulltext.term_pattern(term), "$options": "i"}
    return [
        {TEXT: {"$regex": re.escape(term_line(term))}},
        {TEXT: {"$exists": False}, "$or": [{field: legacy} for field in fulltext.TEXT_FIELDS]},
    ]


def _required_term(term: str) -> Filter:
    """Documents holding the term."""
    return {"$or": _term_found(term)}


def _folded(fields: tuple[str, ...], values: tuple[str, ...]) -> Filter:
    """Equal to a value, ignoring case: on the folded copy of the fields; documents without
    the copy by a case-insensitive regex on the fields."""
    alternatives = "|".join(re.escape(value) for value in values)
    pattern = f"^(?:{alternatives})$"
    legacy = _or([{field: {"$regex": pattern, "$options": "i"}} for field in fields])
    copy = FOLDED_COPIES.get(fields)
    if copy is None:
        return legacy
    folded = list(dict.fromkeys(fold_value(value) for value in values))
    current: Filter = {copy: folded[0] if len(folded) == 1 else {"$in": folded}}
    return {"$or": [current, {copy: {"$exists": False}, **legacy}]}


def _words(fields: tuple[str, ...], values: tuple[tuple[str, ...], ...]) -> Filter:
    """A line holding the words of a value, its last word as a beginning: each whole word by
    equality and the last by an anchored prefix, on the stored words (of one element, for a
    list of lines); documents without them by a case-insensitive regex on the fields."""
    copy, element = WORD_COPIES[fields]
    found: list[Filter] = []
    for words in values:
        key = element or copy
        wanted: list[Filter] = [{key: word} for word in dict.fromkeys(words[:-1])]
        wanted.append({key: {"$regex": "^" + re.escape(words[-1])}})
        found.append({copy: {"$elemMatch": _and(wanted)}} if element else _and(wanted))
    patterns = [{"$regex": _line_pattern(words), "$options": "i"} for words in values]
    legacy = _or([{field: pattern} for field in fields for pattern in patterns])
    # Older documents: where the indexed path is missing (the index's null range, so that
    # every branch of the $or is read from an index); a cable without recipients is there
    # too, and its regex finds nothing.
    indexed = f"{copy}.{element}" if element else copy
    return _or([*found, {indexed: {"$exists": False}, **legacy}])


def _line_pattern(words: tuple[str, ...]) -> str:
    """A regular expression (run case-insensitively) finding the words anywhere in a line,
    each whole but the last, which may begin a word: what the stored words answer, for a
    document stored before them (accents as typed)."""
    whole = [rf"(?=.*(?<!\w){re.escape(word)}(?!\w))" for word in words[:-1]]
    return "^" + "".join(whole) + rf"(?=.*(?<!\w){re.escape(words[-1])})"


def _and(clauses: list[Filter]) -> Filter:
    """The AND of the non-empty clauses ({} matches everything)."""
    present = [clause for clause in clauses if clause]
    if not present:
        return {}
    return present[0] if len(present) == 1 else {"$and": present}


def _or(clauses: list[Filter]) -> Filter:
    """The OR of the clauses (one as itself)."""
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}
