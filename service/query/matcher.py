"""A MongoDB filter compiled to a Python predicate, for the embedded store's fast path.

mongomock evaluates a filter by walking it for every document and deep-copies every match;
at 10,000 cables that is seconds per page. The filters this service builds use a small,
closed set of operators (service.query.filters, cursor, fulltext), so they compile here into
closures run over the stored documents directly. Semantics follow MongoDB for that set:
dotted paths walk into arrays, a condition on an array tests each element, comparisons only
between values of the same type (strings with strings, numbers with numbers), `null` matches
a missing field. Not supported (never built by the filters): whole-array equality, $text.
tests/query/test_matcher.py checks agreement with mongomock on the corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

Predicate = Callable[[dict[str, Any]], bool]
Test = Callable[[Sequence[Any]], bool]  # on the candidate values found at a path
_MISSING = object()
_NOTHING: tuple[Any, ...] = ()
_REGEX_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


class UnsupportedQuery(ValueError):
    """The filter uses an operator this compiler does not know."""


def compile_query(query: dict[str, Any]) -> Predicate:
    """A predicate telling whether a document matches `query`."""
    return _all_of([_compile_entry(key, value) for key, value in query.items()])


def _all_of(tests: list[Predicate]) -> Predicate:
    """Every test holds (unrolled for the usual two or three: no generator per document)."""
    if not tests:
        return lambda _: True
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda document: first(document) and second(document)
    if len(tests) == 3:
        first, second, third = tests
        return lambda document: first(document) and second(document) and third(document)
    middle = len(tests) // 2
    left, right = _all_of(tests[:middle]), _all_of(tests[middle:])
    return lambda document: left(document) and right(document)


def _compile_entry(key: str, value: Any) -> Predicate:
    """One top-level entry: a logical operator or a field condition."""
    if key in ("$and", "$or", "$nor"):
        parts = [compile_query(clause) for clause in value]
        if key == "$and":
            return _all_of(parts)
        if key == "$or":
            return lambda document: any(part(document) for part in parts)
        return lambda document: not any(part(document) for part in parts)
    if key.startswith("$"):
        raise UnsupportedQuery(f"operator {key} is not supported on the embedded store")
    if "." not in key:  # the common case, without the path walk
        fast = _fast_top_level(key, value)
        if fast is not None:
            return fast
        test = _compile_condition(value)
        return lambda document: test(_top_level(document.get(key, _MISSING)))
    test = _compile_condition(value)
    path = key.split(".")
    return lambda document: test(_candidates(_values_at_path(document, path)))


def _fast_top_level(key: str, value: Any) -> Predicate | None:
    """One-call predicates for the commonest entries: a top-level field equal to a string,
    or `$in` strings/integers; None for anything else."""
    if isinstance(value, str):
        return lambda document: (
            (found := document.get(key)) == value or (type(found) is list and value in found)
        )
    if not (isinstance(value, dict) and list(value) == ["$in"] and value["$in"]):
        return None
    wanted = value["$in"]
    kinds = {type(item) for item in wanted}
    if kinds not in ({str}, {int}):
        return None
    members = frozenset(wanted)
    kind = kinds.pop()

    def test(document: dict[str, Any]) -> bool:
        found = document.get(key)
        if type(found) is list:
            return any(type(item) is kind and item in members for item in found)
        return type(found) is kind and found in members

    return test


def _top_level(found: Any) -> Sequence[Any]:
    """Candidates of a top-level field: its elements if an array, else itself."""
    if found is _MISSING:
        return _NOTHING
    return found if type(found) is list else (found,)


def _values_at_path(value: Any, path: list[str]) -> list[Any]:
    """The values at a dotted path, walking into arrays; [] when missing."""
    if not path:
        return [value]
    if isinstance(value, list):
        return [found for item in value for found in _values_at_path(item, path)]
    if isinstance(value, dict):
        child = value.get(path[0], _MISSING)
        return [] if child is _MISSING else _values_at_path(child, path[1:])
    return []


def _candidates(values: list[Any]) -> list[Any]:
    """Leaf values with arrays opened, as MongoDB compares them."""
    flat: list[Any] = []
    for value in values:
        if type(value) is list:
            flat.extend(value)
        else:
            flat.append(value)
    return flat


def _equals(expected: Any) -> Test:
    """Equality; null also matches a missing field."""
    if expected is None:
        return lambda candidates: not candidates or None in candidates
    if isinstance(expected, str):
        # A string equals only strings, so plain `in` is exact (and runs in C).
        return lambda candidates: expected in candidates
    return lambda candidates: any(_same(candidate, expected) for candidate in candidates)


def _same(left: Any, right: Any) -> bool:
    """Equal values of the same kind (True is not 1 in MongoDB)."""
    if type(left) is type(right):
        return bool(left == right)
    return _both_numbers(left, right) and left == right


def _both_numbers(left: Any, right: Any) -> bool:
    """Both are numbers and neither a bool."""
    return (
        isinstance(left, int | float)
        and isinstance(right, int | float)
        and not isinstance(left, bool)
        and not isinstance(right, bool)
    )


def _comparable(left: Any, right: Any) -> bool:
    """Range operators only compare values of one type bracket."""
    return (isinstance(left, str) and isinstance(right, str)) or _both_numbers(left, right)


_RANGES: dict[str, Callable[[Any, Any], bool]] = {
    "$gt": lambda value, bound: value > bound,
    "$gte": lambda value, bound: value >= bound,
    "$lt": lambda value, bound: value < bound,
    "$lte": lambda value, bound: value <= bound,
}


def _compile_condition(condition: Any) -> Test:
    """A test on the candidate values found at a path."""
    if not isinstance(condition, dict) or not any(key.startswith("$") for key in condition):
        return _equals(condition)
    if all(operator in _RANGES for operator in condition):
        return _ranges_test(condition)
    tests = [
        _compile_operator(operator, argument, condition)
        for operator, argument in condition.items()
        if operator != "$options"
    ]
    if len(tests) == 1:
        return tests[0]
    return lambda candidates: all(test(candidates) for test in tests)


def _ranges_test(condition: dict[str, Any]) -> Test:
    """Range operators together (created from/to); one direct check for a single value."""
    bounds = [(_RANGES[operator], bound) for operator, bound in condition.items()]
    separate = [_range_test(compare, bound) for compare, bound in bounds]

    def test(candidates: Sequence[Any]) -> bool:
        if len(candidates) == 1:
            value = candidates[0]
            return all(
                _comparable(value, bound) and compare(value, bound) for compare, bound in bounds
            )
        return all(each(candidates) for each in separate)  # each element may meet one bound

    return test


def _compile_operator(operator: str, argument: Any, condition: dict[str, Any]) -> Test:
    """One operator of a field condition."""
    if operator in _RANGES:
        return _range_test(_RANGES[operator], argument)
    if operator == "$in":
        return _any_of([_equals(item) for item in argument], argument)
    if operator == "$nin":
        excluded = _any_of([_equals(item) for item in argument], argument)
        return lambda candidates: not excluded(candidates)
    if operator == "$all":
        required = [_equals(item) for item in argument]
        if len(required) == 1:
            return required[0]
        return lambda candidates: bool(required) and all(test(candidates) for test in required)
    if operator == "$regex":
        return _regex_test(argument, condition.get("$options", ""))
    if operator == "$elemMatch":
        element = compile_query(argument)
        return lambda candidates: any(type(item) is dict and element(item) for item in candidates)
    if operator == "$type" and argument == "string":
        return lambda candidates: any(isinstance(item, str) for item in candidates)
    raise UnsupportedQuery(f"operator {operator} is not supported on the embedded store")


def _range_test(compare: Callable[[Any, Any], bool], bound: Any) -> Test:
    """Some candidate of the bound's type lies on the right side of it."""
    return lambda candidates: any(
        _comparable(candidate, bound) and compare(candidate, bound) for candidate in candidates
    )


def _any_of(tests: list[Test], values: list[Any]) -> Test:
    """Any of the equality tests; strings only: one set look-up per candidate."""
    if values and all(isinstance(value, str) for value in values):
        wanted = frozenset(values)
        return lambda candidates: any(
            type(candidate) is str and candidate in wanted for candidate in candidates
        )
    return lambda candidates: any(test(candidates) for test in tests)


def _regex_test(pattern: str, options: str) -> Test:
    """A regex searched in every string value."""
    flags = 0
    for option in options:
        flags |= _REGEX_FLAGS[option]
    if flags == re.IGNORECASE and pattern == pattern.lower():
        # A plain search of the lowered text, which Python runs far faster than a
        # case-insensitive one: a pattern with no upper-case letter (so no \S, \W, \B escapes
        # either) matches the lowered text alike.
        lowered = re.compile(pattern).search
        return lambda candidates: any(
            type(item) is str and lowered(item.lower()) is not None for item in candidates
        )
    search = re.compile(pattern, flags).search
    return lambda candidates: any(
        type(item) is str and search(item) is not None for item in candidates
    )
