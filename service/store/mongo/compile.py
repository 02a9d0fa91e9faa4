"""The filter tree (service.query.conditions) as a MongoDB filter.

Every value stays a literal: equality and `$in`/`$all` take it as data, text becomes a regular
expression only through `re.escape` or the words of service.query.fulltext.
"""

from __future__ import annotations

import re
from typing import Any

from service.query import conditions as c
from service.query import fulltext

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
            case c.Folded(fields, values, whole):
                alternatives = "|".join(re.escape(value) for value in values)
                pattern = f"^(?:{alternatives})$" if whole else alternatives
                regex = {"$regex": pattern, "$options": "i"}
                return _or([{field: regex} for field in fields])
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
        """`q`: `$text` on the text index, or one regex per term over subject and body."""
        if self.text_index:
            terms = ['"' + " ".join(fulltext.words(term)) + '"' for term in query.required]
            terms += ['-"' + " ".join(fulltext.words(term)) + '"' for term in query.excluded]
            return {"$text": {"$search": " ".join(terms)}}
        clauses: list[Filter] = [_or(_term_clauses(term)) for term in query.required]
        if query.excluded:
            clauses.append({"$nor": [c for term in query.excluded for c in _term_clauses(term)]})
        return _and(clauses)


def _term_clauses(term: str) -> list[Filter]:
    """One regex clause per text field for a term."""
    regex = {"$regex": fulltext.term_pattern(term), "$options": "i"}
    return [{field: regex} for field in fulltext.TEXT_FIELDS]


def _and(clauses: list[Filter]) -> Filter:
    """The AND of the non-empty clauses ({} matches everything)."""
    present = [clause for clause in clauses if clause]
    if not present:
        return {}
    return present[0] if len(present) == 1 else {"$and": present}


def _or(clauses: list[Filter]) -> Filter:
    """The OR of the clauses (one as itself)."""
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}
