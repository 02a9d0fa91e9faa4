"""The embedded store's compiled filters agree with mongomock's own evaluation."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mongomock.filtering import filter_applies

from service.query import cursor
from service.query.filters import build_query, parse_filters
from service.query.matcher import UnsupportedQuery, compile_query
from service.query.people import prefixes_clause

PARAMETER_SETS: list[dict[str, list[str]]] = [
    {},
    {"tag": ["PGOV"]},
    {"tag": ["PGOV", "PREL"]},
    {"tag": ["PGOV", "KZ"], "tag_mode": ["any"]},
    {"tag": ["STEINBERG, JAMES B."]},
    {"tag": ["OVIP"]},
    {"date_from": ["2009-01-01"], "date_to": ["2009-06-30"]},
    {"date_to": ["2003-12-31T12:00:00+02:00"]},
    {"year": ["2009"], "date_from": ["2009-03-01"], "date_to": ["2009-09-30"]},
    {"tag": ["PREL"], "year": ["2009"], "classification": ["C"], "station": ["ANKARA"]},
    {"classification_max": ["1"]},
    {"year": ["2003"]},
    {"participant": ["rosenblatt"]},
    {"participant": ["josiah rosenblatt"], "participant_source": ["classified_by"]},
    {"participant": ["rosenblatt", "pekala"]},
    {"person": ["rosenblatt"]},
    {"person": ["nazarbayev"]},
    {"person": ["Nursultan NAZARBÁYEV", "rosenblatt"]},
    {"person": ["pekala"], "participant": ["rosenblatt"], "participant_source": ["signer"]},
    {"classification": ["SECRET"]},
    {"classification": ["SECRET//NOFORN", "CONFIDENTIAL"]},
    {"classification_min": ["2"], "classification_max": ["SECRET"]},
    {"caveat": ["NOFORN"]},
    {"handling": ["SIPDIS"]},
    {"origin": ["embassy harare", "Embassy Ankara"]},
    {"station": ["ANKARA", "HARARE"]},
    {"sender": ["ankara"]},
    {"recipient": ["secstate"]},
    {"precedence": ["IMMEDIATE", "PRIORITY"]},
    {"references": ["06STATE1"]},
    {"paragraph_classification": ["S", "C"]},
    {"declassify_from": ["2015-01-01"], "declassify_to": ["2016-12-31"]},
    {"classified_by": ["rosenblatt"]},
    {"has_summary": ["true"]},
    {"has_summary": ["no"]},
    {"q": ["nuclear"]},
    {"q": ['"nuclear weapons" -iran']},
    {"q": ["U.S. policy -election"]},
    {"tag": ["PREL"], "classification": ["CONFIDENTIAL"], "date_from": ["2006-01-01"]},
]


def agree(query: dict[str, Any], documents: list[dict[str, Any]]) -> None:
    """The compiled predicate and mongomock decide every document alike."""
    predicate = compile_query(query)
    ours = [predicate(document) for document in documents]
    theirs = [filter_applies(query, document) for document in documents]
    assert ours == theirs


@pytest.mark.parametrize("parameters", PARAMETER_SETS, ids=str)
def test_filters_compile_like_mongomock(
    people_documents: list[dict[str, Any]], parameters: dict[str, list[str]]
) -> None:
    agree(build_query(parse_filters(parameters), embedded=True), people_documents)


@pytest.mark.parametrize(
    "parameters", [{"person": ["nazarbayev"]}, {"person": ["rosenblatt"]}], ids=str
)
def test_person_queries_find_participants_and_mentioned_people(
    people_documents: list[dict[str, Any]], parameters: dict[str, list[str]]
) -> None:
    predicate = compile_query(build_query(parse_filters(parameters), embedded=True))
    word = parameters["person"][0]
    in_list = {
        name: {
            document["reference_id"]
            for document in people_documents
            if any(word in person["search_words"] for person in document[name])
        }
        for name in ("participants", "mentioned")
    }
    found = {document["reference_id"] for document in people_documents if predicate(document)}
    assert in_list["mentioned"], "the fixture must mention this person somewhere"
    assert found == in_list["participants"] | in_list["mentioned"]


@pytest.mark.parametrize("prefixes", [["naz"], ["ros", "jos"], ["zzz"]], ids=str)
def test_autocompletion_clauses_compile_like_mongomock(
    people_documents: list[dict[str, Any]], prefixes: list[str]
) -> None:
    agree(prefixes_clause(prefixes), people_documents)
    agree(prefixes_clause(prefixes, ("participants",)), people_documents)


@pytest.mark.parametrize("sort", ["-created", "created", "reference_id", "-reference_id"])
def test_cursor_clauses_compile_like_mongomock(
    corpus_documents: list[dict[str, Any]], sort: str
) -> None:
    for document in corpus_documents[::37]:
        agree(cursor.after_clause(sort, cursor.key_of(document, sort)), corpus_documents)
    agree(cursor.after_clause(sort, [None] * len(cursor.SORTS[sort])), corpus_documents)


HAND_WRITTEN = [
    {"created": None},
    {"summary": {"$in": [None, ""]}},
    {"classification_level": {"$in": [2, 3]}},
    {"classification_level": 3.0},
    {"tag_keys": {"$in": ["PGOV", "KZ"]}},
    {"station": {"$in": ["ANKARA"]}},
    {"tags": "PGOV"},
    {"classification_level": {"$gte": "2"}},
    {"paragraphs.level": 3},
    {"to.name": {"$regex": "SECSTATE", "$options": "i"}},
    {"$or": [{"created": {"$type": "string"}}, {"created": None}]},
    {"$nor": [{"tags": "PGOV"}, {"tags": "PREL"}]},
    {"participants": {"$elemMatch": {"search_words": {"$all": ["josiah", "rosenblatt"]}}}},
    {
        "$or": [
            {"participants": {"$elemMatch": {"search_words": {"$all": ["nazarbayev"]}}}},
            {"mentioned": {"$elemMatch": {"search_words": {"$all": ["nazarbayev"]}}}},
        ]
    },
    {"mentioned.search_words": {"$regex": "^naz"}},
    {"summary": {"$nin": [None, ""]}},
]


@pytest.mark.parametrize("query", HAND_WRITTEN, ids=str)
def test_operator_semantics_match_mongomock(
    people_documents: list[dict[str, Any]], query: dict[str, Any]
) -> None:
    agree(query, people_documents)


def test_all_of_nothing_matches_nothing_as_on_mongodb() -> None:
    # mongomock matches every document here; MongoDB (and the filters' intent) matches none.
    assert not compile_query({"tag_keys": {"$all": []}})({"tag_keys": ["PGOV"]})


@pytest.mark.parametrize("query", [{"$where": "1"}, {"tags": {"$size": 2}}, {"$text": {}}])
def test_unknown_operators_are_refused(query: dict[str, Any]) -> None:
    with pytest.raises(UnsupportedQuery):
        compile_query(query)


VALUE_POOLS: dict[str, list[str]] = {
    "tag": ["PGOV", "PREL", "KZ", "OVIP", "PGGV", "NOPE"],
    "tag_mode": ["all", "any"],
    "year": ["1974", "2003", "2009"],
    "date_from": ["2006-01-01", "2009-03-15T10:00"],
    "date_to": ["2008-12-31", "2009-06-30"],
    "participant": ["rosenblatt", "josiah", "clinton", "pekala"],
    "participant_source": ["signer", "classified_by", "participants", "tag", "text"],
    "person": ["rosenblatt", "nazarbayev", "pekala", "nursultan nazarbayev"],
    "classification": ["SECRET", "C", "SECRET//NOFORN", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"],
    "classification_min": ["1", "CONFIDENTIAL"],
    "classification_max": ["SECRET", "0"],
    "caveat": ["NOFORN"],
    "handling": ["SIPDIS", "NODIS"],
    "origin": ["Embassy Ankara", "embassy harare"],
    "station": ["ANKARA", "NEWDELHI"],
    "sender": ["ANKARA", "delhi"],
    "recipient": ["SECSTATE", "USNATO"],
    "precedence": ["IMMEDIATE", "ROUTINE", "PRIORITY"],
    "paragraph_classification": ["S", "C", "U", "SBU"],
    "declassify_from": ["2015-01-01"],
    "declassify_to": ["2019-12-31"],
    "classified_by": ["rosenblatt", "fair"],
    "has_summary": ["true", "false"],
    "q": ["nuclear", "election -iran", '"prime minister"'],
}
random_parameters = st.dictionaries(
    st.sampled_from(sorted(VALUE_POOLS)),
    st.integers(min_value=0, max_value=5),
    max_size=4,
).map(
    lambda picks: {
        name: [VALUE_POOLS[name][index % len(VALUE_POOLS[name])]] for name, index in picks.items()
    }
)


@settings(max_examples=60, deadline=None)
@given(parameters=random_parameters)
def test_random_filter_combinations_compile_like_mongomock(
    people_documents: list[dict[str, Any]], parameters: dict[str, list[str]]
) -> None:
    agree(build_query(parse_filters(parameters), embedded=True), people_documents[::3])
