"""The filter table: parsing, validation, and the conditions it builds (shown as the MongoDB
engine compiles them: service.store.mongo.compile)."""

from __future__ import annotations

from typing import Any

import pytest

from service.query.errors import ParameterError
from service.query.filters import FILTERS, build_query, fold, parse_filters
from service.store.mongo.compile import compile_filter
from service.store.mongo.derived import FOLDED
from service.store.mongo.indexes import (
    CABLE_INDEXES,
    OBSOLETE_INDEXES,
    indexed_fields,
    serving_index,
)

# A document stored before the word copies: the words of one recipient, found by a regex.
RECIPIENT_PATTERN = "^(?=.*(?<!\\w)secstate(?!\\w))(?=.*(?<!\\w)wash)"

CLAUSES: list[tuple[dict[str, list[str]], dict[str, Any]]] = [
    ({"tag": ["pgov"]}, {"tag_keys": "PGOV"}),
    ({"tag": ["Biden,  Joseph"]}, {"tag_keys": "BIDEN, JOSEPH"}),
    ({"tag": ["KZ", "PGOV"]}, {"tag_keys": {"$all": ["KZ", "PGOV"]}}),
    ({"tag": ["KZ", "PGOV"], "tag_mode": ["any"]}, {"tag_keys": {"$in": ["KZ", "PGOV"]}}),
    ({"date_from": ["2009-06-30"]}, {"created": {"$gte": "2009-06-30T00:00:00Z"}}),
    ({"date_to": ["2009-06-30"]}, {"created": {"$lt": "2009-07-01T00:00:00Z"}}),
    ({"date_to": ["2009-06-30T12:30"]}, {"created": {"$lte": "2009-06-30T12:30:00Z"}}),
    ({"date_from": ["2009-06-30T02:00:00+03:00"]}, {"created": {"$gte": "2009-06-29T23:00:00Z"}}),
    (
        {"year": ["2009"]},
        {"created": {"$gte": "2009-01-01T00:00:00Z", "$lt": "2010-01-01T00:00:00Z"}},
    ),
    (
        {"participant": ["Richard BOUCHER"]},
        {"participants": {"$elemMatch": {"search_words": {"$all": ["richard", "boucher"]}}}},
    ),
    (
        {"participant": ["Nazarbáyev"], "participant_source": ["tag", "participants"]},
        {
            "participants": {
                "$elemMatch": {
                    "search_words": {"$all": ["nazarbayev"]},
                    "sources": {"$in": ["tag", "participants"]},
                }
            }
        },
    ),
    (
        {"participant": ["tazhin"], "participant_source": ["text"]},
        {
            "participants": {
                "$elemMatch": {"search_words": {"$all": ["tazhin"]}, "sources": {"$in": ["text"]}}
            }
        },
    ),
    (
        {"person": ["Nazarbáyev"]},
        {
            "$or": [
                {"participants": {"$elemMatch": {"search_words": {"$all": ["nazarbayev"]}}}},
                {"mentioned": {"$elemMatch": {"search_words": {"$all": ["nazarbayev"]}}}},
            ]
        },
    ),
    (
        # participant_source narrows participant only: a person may be mentioned, no source
        {"person": ["Marat TAZHIN", "levitte"], "participant_source": ["tag"]},
        {
            "$and": [
                {
                    "$or": [
                        {
                            "participants": {
                                "$elemMatch": {"search_words": {"$all": ["marat", "tazhin"]}}
                            }
                        },
                        {
                            "mentioned": {
                                "$elemMatch": {"search_words": {"$all": ["marat", "tazhin"]}}
                            }
                        },
                    ]
                },
                {
                    "$or": [
                        {"participants": {"$elemMatch": {"search_words": {"$all": ["levitte"]}}}},
                        {"mentioned": {"$elemMatch": {"search_words": {"$all": ["levitte"]}}}},
                    ]
                },
            ]
        },
    ),
    ({"classification": ["secret"]}, {"classification_level": 3}),
    ({"classification": ["SECRET//NOFORN"]}, {"classification": "SECRET//NOFORN"}),
    (
        {"classification": ["C", "SECRET//NOFORN"]},
        {"$or": [{"classification_level": 2}, {"classification": "SECRET//NOFORN"}]},
    ),
    ({"classification_min": ["CONFIDENTIAL"]}, {"classification_level": {"$gte": 2}}),
    ({"classification_max": ["1"]}, {"classification_level": {"$lte": 1}}),
    ({"caveat": ["noforn"]}, {"caveats": "NOFORN"}),
    ({"handling": ["NODIS", "SIPDIS"]}, {"handling": {"$all": ["NODIS", "SIPDIS"]}}),
    (
        {"origin": ["Embassy Almaty"]},
        {
            "$or": [
                {"folded.origin": "embassy almaty"},
                {
                    "folded.origin": {"$exists": False},
                    "origin": {"$regex": "^(?:Embassy\\ Almaty)$", "$options": "i"},
                },
            ]
        },
    ),
    (
        {"origin": ["Embassy Almaty", "EMBASSY ALMATY", "Embassy Ankara"]},
        {
            "$or": [
                {"folded.origin": {"$in": ["embassy almaty", "embassy ankara"]}},
                {
                    "folded.origin": {"$exists": False},
                    "origin": {
                        "$regex": "^(?:Embassy\\ Almaty|EMBASSY\\ ALMATY|Embassy\\ Ankara)$",
                        "$options": "i",
                    },
                },
            ]
        },
    ),
    ({"station": ["almaty"]}, {"station": "ALMATY"}),
    (  # words: each but the last whole, the last a beginning; punctuation separates them
        {"sender": ["A.b"]},
        {
            "$or": [
                {
                    "$and": [
                        {"folded.sender_words": "a"},
                        {"folded.sender_words": {"$regex": "^b"}},
                    ]
                },
                {
                    "folded.sender_words": {"$exists": False},
                    "sender": {
                        "$regex": "^(?=.*(?<!\\w)a(?!\\w))(?=.*(?<!\\w)b)",
                        "$options": "i",
                    },
                },
            ]
        },
    ),
    (  # the words of one recipient: $elemMatch
        {"recipient": ["SECSTATE wash"]},
        {
            "$or": [
                {
                    "folded.recipient_words": {
                        "$elemMatch": {"$and": [{"w": "secstate"}, {"w": {"$regex": "^wash"}}]}
                    }
                },
                {
                    "folded.recipient_words.w": {"$exists": False},
                    "$or": [
                        {"to.name": {"$regex": RECIPIENT_PATTERN, "$options": "i"}},
                        {"info.name": {"$regex": RECIPIENT_PATTERN, "$options": "i"}},
                    ],
                },
            ]
        },
    ),
    ({"precedence": ["niact immediate"]}, {"precedence": "NIACT IMMEDIATE"}),
    ({"references": ["06 STATE 12345"]}, {"references.id": "06STATE12345"}),
    ({"paragraph_classification": ["S/NF"]}, {"paragraphs.level": 3}),
    ({"paragraph_classification": ["SBU", "C"]}, {"paragraphs.level": {"$in": [0, 2]}}),
    ({"declassify_to": ["2015-04-19"]}, {"declassify_on": {"$lte": "2015-04-19"}}),
    (
        {"classified_by": ["John Ordway"]},
        {
            "participants": {
                "$elemMatch": {
                    "search_words": {"$all": ["john", "ordway"]},
                    "sources": {"$in": ["classified_by"]},
                }
            }
        },
    ),
    (
        {"date_from": ["2009-01-01"], "date_to": ["2009-06-30"]},
        {"created": {"$gte": "2009-01-01T00:00:00Z", "$lt": "2009-07-01T00:00:00Z"}},
    ),
    (
        {"year": ["2009"], "date_from": ["2009-03-01"]},
        {
            "$and": [
                {"created": {"$gte": "2009-03-01T00:00:00Z"}},
                {"created": {"$gte": "2009-01-01T00:00:00Z", "$lt": "2010-01-01T00:00:00Z"}},
            ]
        },
    ),
    ({"has_summary": ["true"]}, {"summary": {"$nin": [None, ""]}}),
    ({"has_summary": ["0"]}, {"summary": {"$in": [None, ""]}}),
    (
        {"station": ["ALMATY"], "year": ["2006"]},
        {
            "$and": [
                {"created": {"$gte": "2006-01-01T00:00:00Z", "$lt": "2007-01-01T00:00:00Z"}},
                {"station": "ALMATY"},
            ]
        },
    ),
]


@pytest.mark.parametrize(("parameters", "clause"), CLAUSES, ids=str)
def test_parameters_build_literal_clauses(
    parameters: dict[str, list[str]], clause: dict[str, Any]
) -> None:
    assert compile_filter(build_query(parse_filters(parameters))) == clause


def test_text_query_selects_candidates_by_unquoted_words_on_a_real_server() -> None:
    query = build_query(parse_filters({"q": ['iran "nuclear weapons" -oil']}))
    clause = compile_filter(query, text_index=True)
    assert clause["$and"][0] == {"$text": {"$search": "iran nuclear weapons"}}
    assert clause["$and"][1:] == compile_filter(query)["$and"]


BAD: list[tuple[str, list[str]]] = [
    ("tag", [""]),
    ("tag", ["PGOV;DROP"]),
    ("tag", ["x" * 201]),
    ("tag", ["PGOV"] * 21),
    ("date_from", ["yesterday"]),
    ("date_to", ["2009-02-30"]),
    ("year", ["1850"]),
    ("participant", ["..."]),
    ("person", ["—"]),
    ("person", ["x" * 201]),
    ("person", ["a"] * 21),
    ("participant_source", ["everyone"]),
    ("classification", ["SECRETISH"]),
    ("classification_min", ["5"]),
    ("classification_max", ["SECRET//NOFORN"]),
    ("precedence", ["urgent"]),
    ("references", ["$ne"]),
    ("paragraph_classification", ["Q"]),
    ("declassify_from", ["2015"]),
    ("has_summary", ["perhaps"]),
    ("q", ["-iran"]),
    ("q", ["x" * 501]),
    ("station", ["AL\x00MATY"]),
    ("year", ["2009", "2010"]),
]


@pytest.mark.parametrize(("name", "values"), BAD, ids=str)
def test_bad_values_raise_an_error_naming_the_parameter(name: str, values: list[str]) -> None:
    with pytest.raises(ParameterError) as raised:
        parse_filters({name: values})
    assert raised.value.name == name and raised.value.reason


def test_parameters_outside_the_table_are_left_to_the_caller() -> None:
    assert parse_filters({"limit": ["5"], "tag[$ne]": ["x"]}) == {}


@pytest.mark.parametrize(("text", "folded"), [("Bóucher", "boucher"), ("ÅSTRÖM", "astrom")])
def test_fold_drops_case_and_accents(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_filter_names_are_unique() -> None:
    names = [entry.name for entry in FILTERS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("entry", [f for f in FILTERS if f.field], ids=lambda f: f.name)
def test_every_filter_is_served_with_the_default_sort_by_an_index(entry: Any) -> None:
    fields = indexed_fields(entry.fields)
    assert fields and all(serving_index(field) is not None for field in fields)


def test_case_insensitive_filters_match_their_folded_copies() -> None:
    for name, copy in [
        ("origin", "folded.origin"),
        ("sender", "folded.sender_words"),
        ("recipient", "folded.recipient_words.w"),
    ]:
        entry = next(entry for entry in FILTERS if entry.name == name)
        assert indexed_fields(entry.fields) == (copy,)
        keys = serving_index(copy)
        assert keys is not None and keys[0][0] == (copy, 1)


@pytest.mark.parametrize(
    ("name", "copy"),
    [
        ("origin", "folded.origin"),
        ("sender", "folded.sender_words"),
        ("recipient", "folded.recipient_words.w"),
    ],
)
@pytest.mark.parametrize("value", ["Embassy Almaty", "almaty", "SECSTATE WASH"])
def test_folded_filters_are_equality_or_anchored_prefixes_on_an_indexed_copy(
    name: str, copy: str, value: str
) -> None:
    """What mongomock can show of issue 19 item 9 (it has no query planner to explain): the
    compiled filter reads the folded copy only by equality or a `^`-anchored prefix regex
    (both bounded index ranges on a real server: tests/query/test_plans.py explains them),
    and documents without the copy only in its null range; an index leads with the copy."""
    compiled = compile_filter(build_query(parse_filters({name: [value]})))
    found: list[tuple[str, Any]] = []

    def walk(node: Any, path: str = "") -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, path)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key.startswith("$"):
                    walk(value, path)
                elif key.startswith(FOLDED):
                    found.append((key, value))
                elif path:
                    found.append((f"{path}.{key}", value))

    walk(compiled)
    assert found
    for key, test in found:
        if isinstance(test, dict) and "$elemMatch" in test:
            walk(test["$elemMatch"], key)
            continue
        assert key == copy, key
        assert (
            isinstance(test, str)
            or test == {"$exists": False}
            or set(test) == {"$regex"}
            and test["$regex"].startswith("^")
        ), test
    assert serving_index(copy) is not None


def test_both_branches_of_a_person_query_lead_an_index_sorted_by_created() -> None:
    person = next(entry for entry in FILTERS if entry.name == "person")
    assert person.fields == ("participants.search_words", "mentioned.search_words")
    sorted_by_created = {
        keys[0][0]
        for keys, _ in CABLE_INDEXES
        if keys[1:] == [("created", -1), ("reference_id", -1)]
    }
    assert set(person.fields) <= sorted_by_created


def test_no_index_is_a_prefix_of_another() -> None:
    keys = [spec for spec, _ in CABLE_INDEXES]
    for shorter in keys:
        for longer in keys:
            assert shorter is longer or longer[: len(shorter)] != shorter, (shorter, longer)


def test_the_index_set_is_what_an_insert_pays_for() -> None:
    """The cables collection's indexes besides _id: the reference id sort, the sort index
    and one per equality field (22 with four prefixes before issue 19)."""
    assert len(CABLE_INDEXES) == 16
    assert len({options["name"] for _, options in CABLE_INDEXES}) == len(CABLE_INDEXES)
    assert not {options["name"] for _, options in CABLE_INDEXES} & set(OBSOLETE_INDEXES)


@pytest.mark.parametrize(
    ("marking", "level"),
    [("CNF", 2), ("C", 2), ("S/NF", 3), ("SNF", 3), ("SBU", 0), ("UNCLAS", 0), ("TS", 4)],
)
def test_paragraph_markings_are_read_as_the_parser_reads_them(marking: str, level: int) -> None:
    """One vocabulary: a paragraph marking the parser reads is one a query accepts."""
    from service.parsing.fields import marking_level
    from service.query.filters import parse_marking

    assert parse_marking(marking) == level == marking_level(marking.split("/")[0])
