"""Pages, cursors, by-id look-ups and ranking, on every engine."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from conftest import ENGINES, entry_of, fresh_store

from service.query import cursor
from service.query.conditions import EVERYTHING, AllOf, Equals, FullText
from service.query.facets import FACETS
from service.query.fulltext import parse
from service.store import Store
from service.store.mongo.reads import MongoReads
from service.store.queries import CableQueries

SORTS = ("-created", "created", "reference_id", "-reference_id")
PGOV = Equals("tags", ("PGOV",))


def store_with(engine: str, documents: list[dict[str, Any]]) -> Store:
    """A store of the engine holding just these documents."""
    store = fresh_store(engine)
    store.add_many([entry_of(document) for document in documents])
    return store


# Shared created times, a null and a missing one: the keyset must still visit each cable once.
TIED: list[dict[str, Any]] = [
    {"reference_id": f"09TEST{number}", "created": created, "tags": ["PGOV"]}
    for number, created in enumerate(
        ["2009-01-01T00:00:00Z"] * 5
        + ["2009-01-02T00:00:00Z"] * 4
        + [None] * 3
        + ["2008-12-31T23:59:00Z"]
    )
] + [{"reference_id": "09TESTMISSING", "tags": ["PGOV"]}]


def walk(queries: CableQueries, sort: str, limit: int) -> list[str]:
    """Every reference id, page by page."""
    seen: list[str] = []
    state = None
    while True:
        page = queries.page(PGOV, sort=sort, limit=limit, fields=["reference_id"], state=state)
        assert page.total == len(TIED)
        seen += [item["reference_id"] for item in page.items]
        if page.next_state is None:
            return seen
        token = cursor.encode_state(sort, page.next_state)
        state = cursor.decode(token, sort)


def mongodb_order(sort: str) -> list[str]:
    """The order MongoDB gives: null and missing before strings; same direction throughout."""
    fields = cursor.SORTS[sort]
    descending = fields[0][1] < 0

    def key(document: dict[str, Any]) -> tuple:
        return tuple((document.get(f) is not None, document.get(f) or "") for f, _ in fields)

    return [str(d["reference_id"]) for d in sorted(TIED, key=key, reverse=descending)]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("limit", [1, 2, 3, 5, 20])
def test_pages_visit_tied_and_null_keys_once_in_order(engine: str, sort: str, limit: int) -> None:
    queries = CableQueries(store_with(engine, TIED))
    assert walk(queries, sort, limit) == mongodb_order(sort)


def test_the_persons_facet_counts_each_name_once_per_cable_over_both_lists(
    people_stores: dict[str, Store], people_documents: list[dict[str, Any]]
) -> None:
    persons = next(facet for facet in FACETS if facet.name == "persons")
    expected: Counter[str] = Counter()
    for document in people_documents:
        names = {
            person["name"] for key in ("participants", "mentioned") for person in document[key]
        }
        expected.update(names)
    for store in people_stores.values():
        counts = CableQueries(store).count_values(EVERYTHING, [persons])["persons"]
        assert counts == expected
    assert expected["Nursultan Nazarbayev"] == len(people_documents[::3])


def test_by_ids_returns_only_stored_cables(
    corpus_stores: dict[str, Store], corpus_documents: list[dict[str, Any]]
) -> None:
    some = [document["reference_id"] for document in corpus_documents[:3]]
    for store in corpus_stores.values():
        found = CableQueries(store).by_ids([*some, "99NOWHERE1"], ["subject"])
        assert set(found) == set(some) and all("subject" in d for d in found.values())


def test_returned_documents_are_copies(corpus_stores: dict[str, Store]) -> None:
    fields = ["reference_id", "tags"]
    for store in corpus_stores.values():
        queries = CableQueries(store)
        first = queries.page(EVERYTHING, sort="reference_id", limit=1, fields=fields).items[0]
        first["tags"].append("CHANGED")
        again = queries.page(EVERYTHING, sort="reference_id", limit=1, fields=fields).items[0]
        assert "CHANGED" not in again["tags"]


class RankedCables:
    """A stand-in for a real server's collection answering $text queries by score."""

    def __init__(self, documents: list[dict[str, Any]]) -> None:
        self.documents = documents
        self.calls: list[dict[str, Any]] = []

    def find(self, query: dict[str, Any], projection: dict[str, Any], **options: Any) -> Any:
        """Rank by the stored score when sorting by textScore, else look up by id."""
        self.calls.append({"query": query, "projection": projection, **options})
        if "$in" in str(query.get("_id", "")):
            wanted = query["_id"]["$in"]
            return [
                {"reference_id": d["reference_id"], "subject": d["subject"]}
                for d in self.documents
                if d["reference_id"] in wanted
            ]
        ranked = sorted(self.documents, key=lambda d: (-d["score"], d["reference_id"]))
        skip = options.get("skip", 0)
        return Limited(
            [{"reference_id": d["reference_id"], "score": d["score"]} for d in ranked][skip:]
        )

    def count_documents(self, query: dict[str, Any]) -> int:
        """Every document matches."""
        return len(self.documents)


class Limited(list[Any]):
    """A result list with the cursor's limit()."""

    def limit(self, count: int) -> list[Any]:
        """The first `count` results."""
        return self[:count]


def test_relevance_pages_by_text_score_with_an_offset_cursor() -> None:
    documents: list[dict[str, Any]] = [
        {"reference_id": f"09X{n}", "subject": f"s{n}", "score": float(n % 4)} for n in range(9)
    ]
    cables = RankedCables(documents)
    reads = MongoReads(cables, text_index=True)  # type: ignore[arg-type]
    query = FullText(parse("nuclear"))
    first = reads.page(query, "relevance", 4, ["reference_id", "subject"], {})
    second = reads.page(query, "relevance", 4, ["reference_id", "subject"], first.next_state or {})
    ranked = sorted(documents, key=lambda d: (-d["score"], d["reference_id"]))
    assert [d["reference_id"] for d in first.items + second.items] == [
        d["reference_id"] for d in ranked[:8]
    ]
    assert first.items[0]["score"] == 3.0 and first.next_state == {"o": 4}
    ranking = cables.calls[0]
    assert ranking["sort"][0] == ("score", {"$meta": "textScore"})
    assert ranking["projection"]["score"] == {"$meta": "textScore"}


def test_relevance_finds_the_text_condition_inside_nested_ands(corpus_store: Store) -> None:
    # cited-by ANDs its own condition with the filters: `q` may sit one AND deeper.
    text = FullText(parse("nuclear"))
    nested = AllOf((AllOf((text, Equals("tag_keys", ("PREL",)))), Equals("tags", ("PREL",))))
    flat = AllOf((text, Equals("tag_keys", ("PREL",)), Equals("tags", ("PREL",))))
    queries = CableQueries(corpus_store)
    ranked = queries.page(nested, sort="relevance", limit=5, fields=["reference_id"])
    assert (
        ranked.items
        and ranked.items
        == queries.page(flat, sort="relevance", limit=5, fields=["reference_id"]).items
    )
