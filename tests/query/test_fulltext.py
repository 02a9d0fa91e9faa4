"""`q`: parsing, its one meaning (service.query.fulltext), and every engine meeting it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from service.query import fulltext
from service.query.conditions import FullText
from service.store import Store
from service.store.mongo import derived
from service.store.mongo.compile import compile_filter, text_search_words
from service.store.mongo.store import MongoStore
from service.store.queries import CableQueries

PARSED = [
    ("nuclear", ("nuclear",), ()),
    ("Nuclear  weapons", ("Nuclear", "weapons"), ()),
    ('"nuclear   weapons" iran', ("nuclear weapons", "iran"), ()),
    ("nuclear -iran", ("nuclear",), ("iran",)),
    ('oil -"prime minister" -iran', ("oil",), ("prime minister", "iran")),
    ('"unclosed phrase', ("unclosed phrase",), ()),
    ("a - b", ("a", "b"), ()),
    ("oil oil", ("oil",), ()),
    ("U.S.", ("U.S.",), ()),
]


@pytest.mark.parametrize(("raw", "required", "excluded"), PARSED)
def test_parse(raw: str, required: tuple[str, ...], excluded: tuple[str, ...]) -> None:
    assert fulltext.parse(raw) == fulltext.TextQuery(required, excluded)


@pytest.mark.parametrize("raw", ["", "-iran", '-"a b"', "- -", "x " * 21, "y" * 501])
def test_parse_refuses(raw: str) -> None:
    with pytest.raises(ValueError):
        fulltext.parse(raw)


# (term, text, found): the meaning every engine meets.
MEANING = [
    ("nuclear", "The NUCLEAR program", True),
    ("nuclear", "antinuclear groups", False),
    ("nuclear", "nuclearization", False),
    ("nuclear weapons", "nuclear\n   weapons", True),
    ("political opposition", "the political\nopposition said", True),
    ("political opposition", "political and opposition", False),
    ("U.S.", "the U.S. position", True),
    ("U.S.", "the USS position", False),
    ("a.b", "aXb", False),
    ("(c)", "para (C) text", True),
    ("iran", "Tirana and Iranian", False),
    ("preval", "President Préval", True),
    ("who", "who said so", True),
]


@pytest.mark.parametrize(("term", "text", "found"), MEANING)
def test_the_meaning_of_a_term(term: str, text: str, found: bool) -> None:
    assert fulltext.contains(text, term) is found


@pytest.mark.parametrize(("term", "text", "found"), [m for m in MEANING if m[0] != "preval"])
def test_the_mongodb_pattern_means_the_same(term: str, text: str, found: bool) -> None:
    # Accents are the one difference: the pattern matches them as typed (see fulltext).
    assert bool(re.search(fulltext.term_pattern(term), text, re.IGNORECASE)) is found


def test_mongodb_requires_every_term_and_none_of_the_excluded() -> None:
    clause = compile_filter(FullText(fulltext.parse("Oil -Iran")))
    required, excluded = clause["$and"]
    assert required["$or"][0] == {"folded.text": {"$regex": "\\ oil\\ "}}
    assert excluded["$nor"][0] == {"folded.text": {"$regex": "\\ iran\\ "}}
    # documents stored before the folded words: the older expressions over subject and body
    assert [list(c) for c in required["$or"][1]["$or"]] == [["subject"], ["body"]]
    assert required["$or"][1]["folded.text"] == {"$exists": False}


def test_text_index_form_selects_by_every_required_word_unquoted() -> None:
    clause = compile_filter(FullText(fulltext.parse('iran "U.S. policy" -oil')), text_index=True)
    assert clause["$and"][0] == {"$text": {"$search": "iran u s policy"}}
    assert (
        clause["$and"][1:]
        == compile_filter(FullText(fulltext.parse('iran "U.S. policy" -oil')))["$and"]
    )


@pytest.mark.parametrize(("term", "text", "found"), MEANING)
def test_the_folded_words_mean_the_same(term: str, text: str, found: bool) -> None:
    """The stored folded words and a term's substring of them: the meaning, accents too."""
    assert (derived.term_line(term) in derived.text_line(text)) is found


QUERIES = [
    "nuclear",
    "nuclear -iran",
    '"political opposition"',
    '"prime minister" -election -iran',
    "U.S. -embassy",
    "who",
    "iran -tirana",
    "pais",  # written PAÍS: accents are folded on every engine
    # one term, 19 excluded: the worst case of the benchmarks
    "government -kazakhstan -almaty -oil -gas -election -democracy -opposition -nuclear"
    " -party -foreign -economy -media -court -human -rights -assistance -military -iran -iraq",
]


@pytest.mark.parametrize("raw", QUERIES)
def test_every_engine_finds_what_the_meaning_says_on_the_corpus(
    corpus_stores: dict[str, Store], corpus_documents: list[dict[str, Any]], raw: str
) -> None:
    query = fulltext.parse(raw)
    expected = {
        document["reference_id"]
        for document in corpus_documents
        if fulltext.matches(query, [document.get("subject") or "", document.get("body") or ""])
    }
    for engine, store in corpus_stores.items():
        found = CableQueries(store).export(FullText(query), sort="created", fields=[])
        assert {document["reference_id"] for document in found} == expected, engine
    assert expected or raw == "iran -tirana"


def test_relevance_ranks_subject_words_first_on_sqlite(corpus_store: Store) -> None:
    page = CableQueries(corpus_store).page(
        FullText(fulltext.parse("nuclear")), sort="relevance", limit=5, fields=["subject"]
    )
    scores = [item["score"] for item in page.items]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert page.next_state is not None and page.next_state["o"] == 5


@pytest.mark.parametrize("raw", QUERIES)
def test_the_text_index_form_selects_a_superset_and_the_folded_words_decide(
    corpus_stores: dict[str, Store], corpus_documents: list[dict[str, Any]], raw: str
) -> None:
    """On a real server `$text` picks candidates (any required word, no stop words, no
    stemming); what follows it in the filter decides, exactly: shown on mongomock, which has
    no `$text`, by running the filter without it."""
    query = fulltext.parse(raw)
    candidates, *rest = compile_filter(FullText(query), text_index=True)["$and"]
    assert candidates == {"$text": {"$search": " ".join(text_search_words(query))}}
    words = set(text_search_words(query))
    expected = set()
    for document in corpus_documents:
        texts = [document.get("subject") or "", document.get("body") or ""]
        if fulltext.matches(query, texts):
            expected.add(document["reference_id"])
            assert words & {w for text in texts for w in fulltext.words(text)}
    store = corpus_stores["mongomock"]
    assert isinstance(store, MongoStore)
    found = store.cables.find({"$and": rest}, {"reference_id": 1})
    assert {document["reference_id"] for document in found} == expected
