"""A listing's total is counted once, on its first page, and carried by the cursor; relevance
pages end at the cursor's maximum offset. On every engine (tests/query/conftest.ENGINES)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import ENGINES

from service.query import cursor
from service.query.filters import build_query, parse_filters
from service.query.people import name_words
from service.store import Store
from service.store.queries import CableQueries, query_digest


class Counting:
    """A store whose counts are counted, those it makes on the way to a page (Page.total:
    SQLite's look-ups) among them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.counts = 0
        self.pages_counted: list[bool] = []

    def page(self, *args: Any) -> Any:
        page = self.store.page(*args)
        self.pages_counted.append(page.total is not None)
        return page

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def count_matching(self, query: Any) -> int:
        self.counts += 1
        return self.store.count_matching(query)

    def count(self) -> int:
        self.counts += 1
        return self.store.count()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("parameters", [{}, {"tag": ["PGOV"]}], ids=str)
def test_a_walk_counts_once_and_every_page_shows_that_total(
    corpus_stores: dict[str, Store], engine: str, parameters: dict[str, list[str]]
) -> None:
    counting = Counting(corpus_stores[engine])
    queries = CableQueries(counting)  # type: ignore[arg-type]
    query = build_query(parse_filters(parameters))
    state: dict[str, Any] | None = None
    totals, pages = [], 0
    while True:
        page = queries.page(query, sort="-created", limit=25, fields=["reference_id"], state=state)
        totals.append(page.total)
        pages += 1
        if page.next_state is None:
            break
        state = cursor.decode(cursor.encode_state("-created", page.next_state), "-created")
    # counted once: by the store on the way to the first page, else by the query layer
    first_counted = counting.pages_counted[0]
    assert pages > 2 and counting.counts == (0 if first_counted else 1)
    assert totals == [queries.count(query)] * pages


@pytest.mark.parametrize("engine", ENGINES)
def test_a_cursor_replayed_with_other_filters_is_counted_again(
    corpus_stores: dict[str, Store], engine: str
) -> None:
    queries = CableQueries(corpus_stores[engine])
    everything = build_query(parse_filters({}))
    first = queries.page(everything, sort="-created", limit=5, fields=[])
    assert first.next_state is not None and first.next_state["q"] == query_digest(everything)
    pgov = build_query(parse_filters({"tag": ["PGOV"]}))
    again = queries.page(pgov, sort="-created", limit=5, fields=[], state=first.next_state)
    assert again.total == queries.count(pgov) != first.total


def test_relevance_pages_end_at_the_maximum_offset(
    corpus_stores: dict[str, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cursor, "MAX_OFFSET", 10)
    queries = CableQueries(corpus_stores["sqlite"])
    query = build_query(parse_filters({"q": ["the"]}))
    page = queries.page(query, sort="relevance", limit=10, fields=[])
    assert page.next_state is not None and page.next_state["o"] == 10
    page = queries.page(query, sort="relevance", limit=10, fields=[], state=page.next_state)
    assert page.total is not None and page.total > 20 and page.next_state is None


def test_mongodb_facets_are_aggregations_without_facet_stages(
    corpus_stores: dict[str, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One pipeline per facet, streamed: `$facet` puts every value in one 16 MB document."""
    from service.query.facets import FACETS

    store = corpus_stores["mongomock"]
    sent: list[list[dict[str, Any]]] = []
    aggregate = store.cables.aggregate  # type: ignore[attr-defined]

    def spy(pipeline: list[dict[str, Any]], **options: Any) -> Any:
        sent.append(pipeline)
        assert options.get("allowDiskUse") is True
        return aggregate(pipeline, **options)

    monkeypatch.setattr(store.cables, "aggregate", spy)  # type: ignore[attr-defined]
    counts = CableQueries(store).count_values(build_query(parse_filters({})), list(FACETS))
    assert len(sent) == len(FACETS) and set(counts) == {facet.name for facet in FACETS}
    assert not any("$facet" in stage for pipeline in sent for stage in pipeline)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("parameters", [{}, {"tag": ["PREL"]}, {"year": ["2009"]}], ids=str)
@pytest.mark.parametrize("top", [1, 4, 1000])
def test_the_top_values_are_those_of_every_value(
    corpus_stores: dict[str, Store], engine: str, parameters: dict[str, list[str]], top: int
) -> None:
    """/facets asks only for facet_limit + 1 values: the same entries and `truncated`."""
    from service.query.facets import FACETS, top_values

    queries = CableQueries(corpus_stores[engine])
    query = build_query(parse_filters(parameters))
    every = queries.count_values(query, list(FACETS))
    bounded = queries.count_values(query, list(FACETS), top + 1)
    for facet in FACETS:
        assert len(bounded[facet.name]) <= top + 1
        expected = top_values(facet, every[facet.name], top)
        assert top_values(facet, bounded[facet.name], top) == expected, facet.name


def test_whole_collection_counts_are_kept_for_a_while_on_a_real_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A store open_store makes for a real server keeps /stats and /tags counts
    TOTALS_SECONDS; filtered counts are never kept. Shown on mongomock with the keeping
    switched on."""
    from conftest import corpus_entries, fresh_store

    from service.query.conditions import EVERYTHING
    from service.query.facets import FACETS_BY_NAME
    from service.store.mongo import reads

    store = fresh_store("mongomock")
    assert store.totals_seconds == 0  # type: ignore[attr-defined]
    store.totals_seconds = reads.TOTALS_SECONDS  # type: ignore[attr-defined]
    entries = corpus_entries()
    store.add_many(entries[:10])
    now = [1000.0]
    monkeypatch.setattr(reads.time, "monotonic", lambda: now[0])
    year = [FACETS_BY_NAME["year"]]
    pgov = build_query(parse_filters({"tag": ["PGOV"]}))
    first = store.count_values(EVERYTHING, year)
    filtered = store.count_values(pgov, year)
    store.add_many(entries[10:60])
    assert store.count_values(EVERYTHING, year) == first  # kept
    assert store.count_values(pgov, year) != filtered  # never kept
    now[0] += reads.TOTALS_SECONDS + 1
    assert sum(store.count_values(EVERYTHING, year)["year"].values()) > sum(first["year"].values())


def test_only_a_real_server_store_keeps_whole_collection_counts() -> None:
    from service.store import open_store
    from service.store.mongo.reads import TOTALS_SECONDS

    server = open_store({"MONGO_URI": "mongodb://127.0.0.1:1", "MONGO_DB": "never_connected"})
    try:
        assert server.totals_seconds == TOTALS_SECONDS > 0  # type: ignore[attr-defined]
    finally:
        server.close()
    memory = open_store({"MONGO_URI": "mongomock://", "MONGO_DB": "totals"})
    assert memory.totals_seconds == 0  # type: ignore[attr-defined]


def test_mongodb_autocompletion_groups_only_matching_names_and_ships_only_those_shown(
    people_stores: dict[str, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    """GET /participants?q= on MongoDB: the cables are selected by the people word index, the
    names by their own words (anchored prefixes) before any `$group`, and the server sends back
    the names shown and one count, never every name of the matching cables."""
    store = people_stores["mongomock"]
    sent: list[list[dict[str, Any]]] = []
    shipped: list[int] = []
    aggregate = store.analytics.aggregate  # type: ignore[attr-defined]

    def spy(pipeline: list[dict[str, Any]], **options: Any) -> Any:
        sent.append(pipeline)
        rows = list(aggregate(pipeline, **options))
        shipped.append(len(rows))
        return iter(rows)

    monkeypatch.setattr(store.analytics, "aggregate", spy)  # type: ignore[attr-defined]
    names, total = store.count_names(["r"], 3)
    assert len(names) == 3 and total > 3 and shipped == [3, 1]
    for pipeline in sent:
        stages = [next(iter(stage)) for stage in pipeline]
        assert stages[0] == "$match" and "$facet" not in stages
        words = stages.index("$unwind") + 1
        assert stages[words] == "$match" and words < stages.index("$group")
        assert {"people.words": {"$regex": "^r"}} in pipeline[words]["$match"]["$and"]
    assert not [name for name in names if not any(w.startswith("r") for w in name_words(name.name))]


def test_mongodb_keeps_every_names_count_like_the_totals_but_never_a_prefixs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GET /participants without q counts over the whole collection: kept TOTALS_SECONDS on
    a real server (switched on here), as /stats is; with q never kept."""
    from conftest import corpus_entries, fresh_store

    from service.store.mongo import reads

    store = fresh_store("mongomock")
    store.totals_seconds = reads.TOTALS_SECONDS  # type: ignore[attr-defined]
    entries = corpus_entries()
    store.add_many(entries[:10])
    now = [1000.0]
    monkeypatch.setattr(reads.time, "monotonic", lambda: now[0])
    every, prefixed = store.count_names([], 1000), store.count_names(["a"], 1000)
    store.add_many(entries[10:80])
    assert store.count_names([], 1000) == every  # kept
    assert store.count_names(["a"], 1000)[1] > prefixed[1]  # never kept
    now[0] += reads.TOTALS_SECONDS + 1
    assert store.count_names([], 1000)[1] > every[1]


def test_concurrent_requests_for_the_whole_collections_counts_count_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Threads of one process asking /stats at once when nothing is kept: one of them counts
    (one aggregation per facet), the others get its answer."""
    import threading

    from conftest import corpus_entries, fresh_store

    from service.query.conditions import EVERYTHING
    from service.query.facets import FACETS_BY_NAME
    from service.store.mongo import reads

    store = fresh_store("mongomock")
    store.totals_seconds = reads.TOTALS_SECONDS  # type: ignore[attr-defined]
    store.add_many(corpus_entries()[:30])
    sent: list[int] = []
    aggregate = store.analytics.aggregate  # type: ignore[attr-defined]

    def counted(pipeline: list[dict[str, Any]], **options: Any) -> Any:
        sent.append(1)
        return aggregate(pipeline, **options)

    monkeypatch.setattr(store.analytics, "aggregate", counted)  # type: ignore[attr-defined]
    facets = [FACETS_BY_NAME[name] for name in ("year", "classification", "origin", "tags")]
    answers: list[Any] = []
    threads = [
        threading.Thread(target=lambda: answers.append(store.count_values(EVERYTHING, facets)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 8 and all(answer == answers[0] for answer in answers)
    assert len(sent) == len(facets)
