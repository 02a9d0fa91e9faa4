"""Every engine gives the same answers: each filter, sort, cursor walk, facet and export, run
on the corpus in SQLite and in the MongoDB engine (mongomock; a real server where
TEST_MONGO_URI is set), compared result by result."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import ENGINES, fresh_store
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.ingest.entries import make_entry
from service.parsing import parse_cable
from service.query import conditions as c
from service.query import cursor, fulltext
from service.query.facets import FACETS
from service.query.filters import build_query, parse_filters
from service.query.people import NameCount, prefixes_clause
from service.store import Store
from service.store.queries import CableQueries

SEED = Path(__file__).parents[1] / "data" / "seed" / "06ALMATY1457.txt"
SORTS = ("-created", "created", "reference_id", "-reference_id")
FIELDS = ["reference_id", "created", "subject", "tags", "classification"]

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
    {"handling": ["SIPDIS", "NODIS"]},
    {"origin": ["embassy harare", "Embassy Ankara"]},
    {"station": ["ANKARA", "HARARE"]},
    {"sender": ["ankara"]},
    {"sender": ["amembassy ank"]},
    {"sender": ["EMBASSY"]},
    {"recipient": ["secstate"]},
    {"recipient": ["usnato", "SECDEF"]},
    {"recipient": ["washdc SECST"]},
    {"recipient": ["secstate usnato"]},
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
    {"q": ['"political opposition"']},
    {"q": ["who"]},
    {"tag": ["PREL"], "classification": ["CONFIDENTIAL"], "date_from": ["2006-01-01"]},
]


def walk(queries: CableQueries, query: c.Condition, sort: str, limit: int) -> list[Any]:
    """Every page of a query, as (items, total) per page, following the cursors."""
    pages: list[Any] = []
    state = None
    while True:
        page = queries.page(query, sort=sort, limit=limit, fields=FIELDS, state=state)
        pages.append((page.items, page.total))
        if page.next_state is None:
            return pages
        token = cursor.encode_state(sort, page.next_state)
        state = cursor.decode(token, sort)


def answers(store: Store, query: c.Condition, *, walk_all: bool = True) -> dict[str, Any]:
    """Everything an engine answers for a query: pages in every sort, export, facets."""
    queries = CableQueries(store)
    found: dict[str, Any] = {}
    for sort in SORTS:
        found[sort] = walk(queries, query, sort, 40 if walk_all else 1000)
    found["export"] = list(queries.export(query, sort="created", fields=FIELDS))
    found["facets"] = queries.count_values(query, list(FACETS))
    found["top facets"] = queries.count_values(query, list(FACETS), 3)
    found["count"] = queries.count(query)
    return found


def compare(stores: dict[str, Store], query: c.Condition, *, walk_all: bool = True) -> Any:
    """Every engine's answers, asserted equal to SQLite's; SQLite's answers."""
    expected = answers(stores["sqlite"], query, walk_all=walk_all)
    for engine in ENGINES[1:]:
        assert answers(stores[engine], query, walk_all=walk_all) == expected, engine
    return expected


@pytest.mark.parametrize("parameters", PARAMETER_SETS, ids=str)
def test_engines_agree_on_every_filter(
    people_stores: dict[str, Store], parameters: dict[str, list[str]]
) -> None:
    found = compare(people_stores, build_query(parse_filters(parameters)))
    assert found["count"] == len(found["export"])


@pytest.mark.parametrize("parameters", [{}, {"tag": ["PGOV"]}, {"q": ["nuclear"]}], ids=str)
def test_engines_agree_on_the_stored_corpus(
    corpus_stores: dict[str, Store], parameters: dict[str, list[str]]
) -> None:
    compare(corpus_stores, build_query(parse_filters(parameters)))


@pytest.mark.parametrize(
    "parameters", [{"person": ["nazarbayev"]}, {"person": ["rosenblatt"]}], ids=str
)
def test_person_queries_find_participants_and_mentioned_people(
    people_stores: dict[str, Store],
    people_documents: list[dict[str, Any]],
    parameters: dict[str, list[str]],
) -> None:
    word = parameters["person"][0]
    in_list = {
        name: {
            document["reference_id"]
            for document in people_documents
            if any(word in person["search_words"] for person in document[name])
        }
        for name in ("participants", "mentioned")
    }
    assert in_list["mentioned"], "the fixture must mention this person somewhere"
    query = build_query(parse_filters(parameters))
    for store in people_stores.values():
        found = {
            d["reference_id"] for d in CableQueries(store).export(query, sort="created", fields=[])
        }
        assert found == in_list["participants"] | in_list["mentioned"]


@pytest.mark.parametrize("prefixes", [["naz"], ["ros", "jos"], ["zzz"]], ids=str)
def test_autocompletion_conditions_agree(
    people_stores: dict[str, Store], prefixes: list[str]
) -> None:
    compare(people_stores, prefixes_clause(prefixes), walk_all=False)
    compare(people_stores, prefixes_clause(prefixes, ("participants",)), walk_all=False)


@pytest.fixture(scope="module")
def seed_stores() -> dict[str, Store]:
    """A store per engine holding the seed cable alone."""
    data = SEED.read_bytes()
    stores = {engine: fresh_store(engine) for engine in ENGINES}
    for store in stores.values():
        store.add_many([make_entry(parse_cable(data), data, "text/plain", {"file": SEED.name})])
    return stores


def line_words(text: Any) -> list[str]:
    return fulltext.words(text) if isinstance(text, str) else []


def holds_words(line: list[str], words: list[str]) -> bool:
    """The meaning of sender= and recipient=, written out: each word of the value but the
    last is a word of the line, and some word of the line begins with the last."""
    return set(words[:-1]) <= set(line) and any(word.startswith(words[-1]) for word in line)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("sender", "amembassy alm", True),
        ("sender", "ALMATY", True),
        ("sender", "almaty amembassy", True),
        ("sender", "EMBASSY", False),  # not a word of AMEMBASSY ALMATY, nor a word's beginning
        ("sender", "almaty amem", True),  # the last word may be a beginning
        ("sender", "alm amembassy", False),  # the others must be whole
        ("recipient", "SecState Wash", True),
        ("recipient", "washdc", True),
        ("recipient", "secstate ankara", False),  # two recipients' words: no one recipient's
        ("recipient", "amembassy ankara", True),
        ("recipient", "ECSTATE", False),
    ],
)
def test_sender_and_recipient_match_words_on_every_engine(
    seed_stores: dict[str, Store], name: str, value: str, expected: bool
) -> None:
    """Issue 19 item 9: words, not text contained in the line, on the seed cable (FM
    AMEMBASSY ALMATY, TO SECSTATE WASHDC, INFO AMEMBASSY ANKARA and ten more)."""
    query = build_query(parse_filters({name: [value]}))
    for engine, store in seed_stores.items():
        found = {
            d["reference_id"] for d in CableQueries(store).export(query, sort="created", fields=[])
        }
        assert found == ({"06ALMATY1457"} if expected else set()), engine


@pytest.mark.parametrize(
    ("name", "value"),
    [("sender", "ankara"), ("sender", "amembassy a"), ("sender", "usmission"),
     ("recipient", "secstate"), ("recipient", "washdc sec"), ("recipient", "amembassy an")],
)  # fmt: skip
def test_sender_and_recipient_answers_are_the_words_worked_out_by_hand(
    people_stores: dict[str, Store],
    people_documents: list[dict[str, Any]],
    name: str,
    value: str,
) -> None:
    words = fulltext.words(value)
    expected = {
        document["reference_id"]
        for document in people_documents
        if any(
            holds_words(line_words(line), words)
            for line in (
                [document.get("sender")]
                if name == "sender"
                else [r.get("name") for field in ("to", "info") for r in document.get(field) or []]
            )
        )
    }
    assert expected, "the corpus must hold some"
    query = build_query(parse_filters({name: [value]}))
    for engine, store in people_stores.items():
        found = {
            d["reference_id"] for d in CableQueries(store).export(query, sort="created", fields=[])
        }
        assert found == expected, engine


def names_by_hand(documents: list[dict[str, Any]], prefixes: list[str]) -> list[NameCount]:
    """Autocompletion's answer worked out from the documents themselves: each name whose
    search words start with every prefix, counted once per cable naming it and once per cable
    it took part in."""
    named: Counter[str] = Counter()
    took_part: Counter[str] = Counter()
    for document in documents:
        found: dict[str, bool] = {}
        for list_name in ("participants", "mentioned"):
            for person in document.get(list_name) or []:
                words = person["search_words"]
                if all(any(word.startswith(p) for word in words) for p in prefixes):
                    found[person["name"]] = found.get(person["name"], False) or (
                        list_name == "participants"
                    )
        named.update(found.keys())
        took_part.update(name for name, part in found.items() if part)
    names = [NameCount(name, count, took_part[name]) for name, count in named.items()]
    return sorted(names, key=lambda name: (-name.named, -name.took_part, name.name))


@pytest.mark.parametrize("prefixes", [[], ["naz"], ["ros", "jos"], ["r"], ["zzz"]], ids=str)
@pytest.mark.parametrize("top", [1, 7, 10_000])
def test_engines_agree_on_autocompletion(
    people_stores: dict[str, Store],
    people_documents: list[dict[str, Any]],
    prefixes: list[str],
    top: int,
) -> None:
    """GET /participants: the same names, counts, order and total on every engine, and the
    ones worked out by hand from the documents."""
    expected = names_by_hand(people_documents, prefixes)
    assert bool(expected) == (prefixes != ["zzz"])
    for engine, store in people_stores.items():
        names, total = CableQueries(store).count_names(prefixes, top)
        assert (names, total) == (expected[:top], len(expected)), engine


@pytest.mark.parametrize(
    "condition",
    [
        c.AnyOf(()),
        c.HoldsAll("tag_keys", ()),
        c.HoldsAll("station", ("ANKARA", "HARARE")),
        c.Equals("tags", ("NOPE",)),
        c.Range("created", low=("2009-01-01", False), high=("2009-01-01", True)),
    ],
    ids=str,
)
def test_conditions_matching_nothing_match_nothing(
    people_stores: dict[str, Store], condition: c.Condition
) -> None:
    assert compare(people_stores, condition, walk_all=False)["count"] == 0


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


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parameters=random_parameters)
def test_random_filter_combinations_agree(
    people_stores: dict[str, Store], parameters: dict[str, list[str]]
) -> None:
    compare(people_stores, build_query(parse_filters(parameters)), walk_all=False)
