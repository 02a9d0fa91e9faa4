"""GET /cables on the real corpus: every filter alone and combined, against independent truth."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from urllib.parse import quote

import pytest
from corpus_truth import (
    file_text,
    ids,
    index_rows,
    listed,
    row_tags,
    stored_files,
    tags_block,
    tags_in_file,
)
from flask.testing import FlaskClient

from service.query import fulltext

Row = dict[str, str]
BANNER = re.compile(
    r"^\s*(UNCLAS|UNCLASSIFIED|LIMITED OFFICIAL USE|C O N F I D E N T I A L|CONFIDENTIAL"
    r"|S E C R E T|SECRET|TOP SECRET)\b",
    re.MULTILINE,
)
# The date-time group of a telegram's precedence line: "O 210722Z JUL 06".
DTG = re.compile(r"^[OPRZ]{1,2} (\d\d)\d{4}Z ([A-Z]{3}) (\d\d)\b", re.MULTILINE)
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def rows_by_file() -> dict[str, Row]:
    """Trusted INDEX rows by corpus file name."""
    return {row["file"]: row for row in index_rows().values()}


def banner(name: str) -> str:
    """The first classification banner of a file, spaces squeezed out of S E C R E T."""
    found = BANNER.search(file_text(name))
    word = found.group(1) if found else ""
    return word.replace(" ", "") if " " in word and len(word) < 20 else word


def telegram_day(name: str) -> date | None:
    """The day of a telegram's date-time group."""
    found = DTG.search(file_text(name))
    if not found:
        return None
    day, month, year = found.groups()
    return date(2000 + int(year), MONTHS.index(month) + 1, int(day))


def row_day(row: Row) -> date:
    """The created day of an INDEX row ("2000-09-27 14:02")."""
    return date.fromisoformat(row["created"][:10])


def expected(client: FlaskClient, judge: Callable[[str], bool]) -> set[str]:
    """Stored cables whose source file passes the judge."""
    return {rid for rid, name in stored_files(client).items() if judge(name)}


def trusted_row(name: str) -> Row | None:
    """The file's INDEX row when its metadata is trusted."""
    return rows_by_file().get(name)


# Misspelt codes seen in the corpus, checked by hand against the State TAGS glossary: a tag
# query matches the corrected code too (08SECTION01GF02BISHIEK21 writes PGGV for PGOV).
MISSPELLINGS = {"PGGV": "PGOV"}


def tags(name: str) -> set[str]:
    """TAGS from INDEX (the page's tag links), else the file's TAGS line; plus corrections."""
    row = trusted_row(name)
    written = row_tags(row) if row and row["tags"] else tags_in_file(name)  # some rows lack tags
    return written | {MISSPELLINGS[tag] for tag in written if tag in MISSPELLINGS}


def classification(name: str) -> str:
    """Classification from INDEX, else the first banner of the telegram."""
    row = trusted_row(name)
    return row["classification"] if row else banner(name)


def day(name: str) -> date | None:
    """Created day from INDEX, else the telegram's date-time group."""
    row = trusted_row(name)
    return row_day(row) if row else telegram_day(name)


def between(start: date, end: date) -> Callable[[date | None], bool]:
    """Whether a day lies in [start, end]."""
    return lambda day: day is not None and start <= day <= end


IN_2009_H1 = between(date(2009, 1, 1), date(2009, 6, 30))
SECRET = ("SECRET", "SECRET//NOFORN")
CONFIDENTIAL = ("CONFIDENTIAL", "CONFIDENTIAL//NOFORN")

CASES: list[tuple[str, Callable[[str], bool]]] = [
    ("tag=PGOV", lambda f: "PGOV" in tags(f)),
    ("tag=pgov", lambda f: "PGOV" in tags(f)),
    ("tag=PGOV&tag=PREL", lambda f: {"PGOV", "PREL"} <= tags(f)),
    ("tag=PGOV&tag=PREL&tag_mode=any", lambda f: bool({"PGOV", "PREL"} & tags(f))),
    ("classification=SECRET", lambda f: classification(f) in SECRET),
    (
        "classification=CONFIDENTIAL&classification=SECRET",
        lambda f: classification(f) in (*CONFIDENTIAL, *SECRET),
    ),
    ("classification_min=SECRET", lambda f: classification(f) in (*SECRET, "TOP SECRET")),
    ("classification_max=0", lambda f: classification(f).startswith("UNCLAS")),
    ("origin=embassy%20harare", lambda f: (trusted_row(f) or {}).get("origin") == "Embassy Harare"),
    ("year=2003", lambda f: between(date(2003, 1, 1), date(2003, 12, 31))(day(f))),
    ("date_from=2009-01-01&date_to=2009-06-30", lambda f: IN_2009_H1(day(f))),
    (
        "tag=PREL&classification=CONFIDENTIAL&date_from=2006-01-01",
        lambda f: (
            "PREL" in tags(f)
            and classification(f) in CONFIDENTIAL
            and between(date(2006, 1, 1), date(2100, 1, 1))(day(f))
        ),
    ),
]


@pytest.mark.parametrize(("query", "judge"), CASES, ids=[case[0] for case in CASES])
def test_filter_matches_independent_truth(
    corpus_client: FlaskClient, query: str, judge: Callable[[str], bool]
) -> None:
    truth = expected(corpus_client, judge)
    assert truth, "the case should match some cables"
    assert ids(corpus_client, query) == truth


def test_a_misspelt_tag_is_found_by_its_spelling_and_its_correction(
    corpus_client: FlaskClient,
) -> None:
    misspelt = ids(corpus_client, "tag=PGGV")
    assert misspelt == {"08BISHKEK21"} and misspelt <= ids(corpus_client, "tag=PGOV")


def test_date_to_includes_the_whole_day(corpus_client: FlaskClient) -> None:
    busiest, count = Counter(row_day(row) for row in rows_by_file().values()).most_common(1)[0]
    iso = busiest.isoformat()
    found = ids(corpus_client, f"date_from={iso}&date_to={iso}")
    truth = expected(corpus_client, lambda f: day(f) == busiest)
    assert count > 1 and found == truth


def test_classification_exact_value_is_narrower_than_its_level(corpus_client: FlaskClient) -> None:
    rows = rows_by_file()
    exact = ids(corpus_client, "classification=SECRET//NOFORN")
    by_level = ids(corpus_client, "classification=SECRET")
    files = stored_files(corpus_client)
    trusted = {rid for rid, name in files.items() if name in rows}
    truth = {rid for rid in trusted if rows[files[rid]]["classification"] == "SECRET//NOFORN"}
    assert exact & trusted == truth and exact < by_level


def test_caveat_noforn_covers_every_noforn_classification(corpus_client: FlaskClient) -> None:
    noforn = expected(corpus_client, lambda f: classification(f).endswith("//NOFORN"))
    assert noforn <= ids(corpus_client, "caveat=NOFORN")


CLASSIFIED_BY = re.compile(r"classified by:?[^\n]*rosenblatt", re.IGNORECASE)


def test_classified_by_finds_the_official_named_on_the_line(corpus_client: FlaskClient) -> None:
    truth = {
        rid
        for rid, name in stored_files(corpus_client).items()
        if CLASSIFIED_BY.search(file_text(name))
    }
    assert truth and ids(corpus_client, "classified_by=rosenblatt") == truth


@pytest.mark.parametrize(
    "name",
    ["rosenblatt", "ROSENBLATT", "Josiah%20Rosenblatt", "Ros%C3%A9nblatt", "rosenblatt,%20josiah"],
)
def test_participant_ignores_case_accents_and_word_order(
    corpus_client: FlaskClient, name: str
) -> None:
    found = ids(corpus_client, f"participant={name}")
    files = stored_files(corpus_client)
    assert ids(corpus_client, "classified_by=rosenblatt") <= found
    assert all("rosenblatt" in file_text(files[rid]).lower() for rid in found)


def test_participant_words_must_belong_to_one_person(corpus_client: FlaskClient) -> None:
    assert ids(corpus_client, "participant=rosenblatt") and not ids(
        corpus_client, "participant=josiah%20clinton"
    )


def test_participant_source_narrows(corpus_client: FlaskClient) -> None:
    signed = ids(corpus_client, "participant=rosenblatt&participant_source=signer")
    assert signed < ids(corpus_client, "participant=rosenblatt")


def stored(client: FlaskClient, fields: str, query: str = "") -> list[dict]:
    """Every matching cable's fields, one page."""
    separator = "&" if query else ""
    body = client.get(
        f"/cables?{query}{separator}limit=500&fields=reference_id,{fields}"
    ).get_json()
    return body["items"]


def _holds(value: str, line: str | None) -> bool:
    """Whether the line's folded words hold every word of the value but the last, and a word
    beginning with the last (what sender= and recipient= mean)."""
    wanted, found = fulltext.words(value), fulltext.words(line or "")
    return set(wanted[:-1]) <= set(found) and any(w.startswith(wanted[-1]) for w in found)


# Filters on fields only the parser knows: the result must be exactly the cables whose stored
# field passes a plain Python check (independent of the filter table and the matcher).
FIELD_CASES = [
    (
        "paragraph_classification=S",
        "paragraphs",
        lambda d: any(p.get("level") == 3 for p in d.get("paragraphs") or []),
    ),
    (
        "paragraph_classification=SECRET&classification=CONFIDENTIAL",
        "paragraphs,classification_level",
        lambda d: (
            d.get("classification_level") == 2
            and any(p.get("level") == 3 for p in d.get("paragraphs") or [])
        ),
    ),
    (
        "declassify_from=2015-01-01&declassify_to=2015-12-31",
        "declassify_on",
        lambda d: "2015-01-01" <= (d.get("declassify_on") or "") <= "2015-12-31",
    ),
    ("has_summary=true", "summary", lambda d: bool(d.get("summary"))),
    ("has_summary=false", "summary", lambda d: not d.get("summary")),
    ("handling=NODIS", "handling", lambda d: "NODIS" in (d.get("handling") or [])),
    ("precedence=IMMEDIATE", "precedence", lambda d: d.get("precedence") == "IMMEDIATE"),
    ("station=ANKARA", "station", lambda d: d.get("station") == "ANKARA"),
    # sender and recipient: words of the line, the last a word's beginning (issue 19 item 9)
    ("sender=ankar", "sender", lambda d: _holds("ankar", d.get("sender"))),
    ("sender=amembassy%20ank", "sender", lambda d: _holds("amembassy ank", d.get("sender"))),
    (
        "recipient=USNATO",
        "to,info",
        lambda d: any(
            _holds("usnato", r.get("name")) for r in (d.get("to") or []) + (d.get("info") or [])
        ),
    ),
    (
        "references=06STATE1",
        "references",
        lambda d: any(r.get("id") == "06STATE1" for r in d.get("references") or []),
    ),
]


@pytest.mark.parametrize(("query", "fields", "check"), FIELD_CASES, ids=[c[0] for c in FIELD_CASES])
def test_filter_on_parsed_fields(
    corpus_client: FlaskClient, query: str, fields: str, check: Callable[[dict], bool]
) -> None:
    everything = stored(corpus_client, fields)
    truth = {d["reference_id"] for d in everything if check(d)}
    assert ids(corpus_client, query) == truth


@pytest.mark.parametrize("query", ["tag=PGOV", "classification=SECRET", "year=2009"])
def test_each_filter_alone_matches_some_but_not_all(corpus_client: FlaskClient, query: str) -> None:
    total = listed(corpus_client)["total"]
    assert 0 < len(ids(corpus_client, query)) < total


def walk(client: FlaskClient, url: str) -> tuple[list[str], list[int]]:
    """Follow `next` from the first page to the last: ids in order, and each page's total."""
    seen: list[str] = []
    totals: list[int] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        seen += [item["reference_id"] for item in body["items"]]
        totals.append(body["total"])
        url = body["next"]
    return seen, totals


@pytest.mark.parametrize("sort", ["-created", "created", "reference_id", "-reference_id"])
@pytest.mark.parametrize("query", ["", "tag=PREL", "classification=CONFIDENTIAL&year=2009"])
def test_pagination_visits_every_match_exactly_once(
    corpus_client: FlaskClient, sort: str, query: str
) -> None:
    seen, totals = walk(corpus_client, f"/cables?{query}&sort={sort}&limit=7&fields=reference_id")
    everything = ids(corpus_client, query)
    assert len(seen) == len(set(seen)) == totals[0] == len(everything)
    assert set(seen) == everything and set(totals) == {len(everything)}


def test_pages_follow_the_sort_order_with_ties_broken_by_reference_id(
    corpus_client: FlaskClient,
) -> None:
    seen, _ = walk(corpus_client, "/cables?sort=created&limit=11&fields=reference_id,created")
    items = listed(corpus_client)["items"]
    created = {
        item["reference_id"]: item.get("created") or ""
        for item in corpus_client.get("/cables?limit=500&fields=reference_id,created").get_json()[
            "items"
        ]
    }
    assert len(items) == len(seen)
    assert seen == sorted(created, key=lambda rid: (created[rid], rid))
    ties = Counter(created.values())
    assert max(ties.values()) > 1, "the corpus has cables sharing a created time"


def test_default_listing_is_newest_first_without_the_text(corpus_client: FlaskClient) -> None:
    body = corpus_client.get("/cables").get_json()
    assert len(body["items"]) == 25 and body["next"].startswith("/cables?")
    created = [item["created"] for item in body["items"]]
    assert created == sorted(created, reverse=True)
    assert not {"body", "raw", "header", "paragraphs"} & set(body["items"][0])
    assert {"reference_id", "subject", "tags", "classification"} <= set(body["items"][0])


def test_fields_choose_the_returned_keys(corpus_client: FlaskClient) -> None:
    body = corpus_client.get("/cables?fields=subject,body&limit=3").get_json()
    # reference_id comes with every field selection: the key the items are known by
    assert all(set(item) == {"reference_id", "subject", "body"} for item in body["items"])


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=ten", "limit"),
        ("sort=subject", "sort"),
        ("sort=relevance", "sort"),
        ("fields=password", "fields"),
        ("cursor=not-a-cursor", "cursor"),
        ("date_from=2009-13-01", "date_from"),
        ("year=99", "year"),
        ("classification=SORTOF", "classification"),
        ("has_summary=maybe", "has_summary"),
        ("precedence=SLOW", "precedence"),
        ("tag_mode=some", "tag_mode"),
        ("year=2009&year=2010", "year"),
        ("colour=red", "colour"),
        ("q=-only", "q"),
    ],
)
def test_bad_parameters_give_a_problem_naming_them(
    corpus_client: FlaskClient, query: str, parameter: str
) -> None:
    response = corpus_client.get(f"/cables?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert [error["parameter"] for error in response.get_json()["errors"]] == [parameter]


def test_a_cursor_for_another_sort_is_refused(corpus_client: FlaskClient) -> None:
    next_url = corpus_client.get("/cables?limit=2").get_json()["next"]
    cursor = next_url.split("cursor=")[1]
    response = corpus_client.get(f"/cables?sort=created&cursor={cursor}")
    assert response.status_code == 400 and response.get_json()["errors"][0]["parameter"] == "cursor"


TEXT_CASES = [
    ("nuclear", lambda text: re.search(r"\bnuclear\b", text, re.I)),
    (
        "nuclear weapons",
        lambda text: (
            re.search(r"\bnuclear\b", text, re.I) and re.search(r"\bweapons\b", text, re.I)
        ),
    ),
    ('"nuclear weapons"', lambda text: re.search(r"\bnuclear\s+weapons\b", text, re.I)),
    (
        "nuclear -iran",
        lambda text: (
            re.search(r"\bnuclear\b", text, re.I) and not re.search(r"\biran\b", text, re.I)
        ),
    ),
    (
        'election -"prime minister"',
        lambda text: (
            re.search(r"\belection\b", text, re.I)
            and not re.search(r"\bprime\s+minister\b", text, re.I)
        ),
    ),
]


@pytest.mark.parametrize(("q", "check"), TEXT_CASES, ids=[case[0] for case in TEXT_CASES])
def test_full_text_matches_subject_and_body(
    corpus_client: FlaskClient, q: str, check: Callable[[str], object]
) -> None:
    everything = stored(corpus_client, "subject,body")
    truth = {
        d["reference_id"]
        for d in everything
        if check(f"{d.get('subject') or ''}\n{d.get('body') or ''}")
    }
    assert truth and ids(corpus_client, f"q={quote(q)}") == truth


def test_full_text_combines_with_filters(corpus_client: FlaskClient) -> None:
    both = ids(corpus_client, "q=nuclear&classification=SECRET")
    assert both == ids(corpus_client, "q=nuclear") & ids(corpus_client, "classification=SECRET")


def test_references_lists_cited_cables_and_marks_missing_ones(corpus_client: FlaskClient) -> None:
    everything = {d["reference_id"]: d for d in stored(corpus_client, "references")}
    citing = next(
        rid
        for rid, d in sorted(everything.items())
        if any(r["kind"] == "cable" for r in d.get("references") or [])
    )
    body = corpus_client.get(f"/cables/{citing}/references").get_json()
    cited = [r["id"] for r in everything[citing]["references"] if r["kind"] == "cable"]
    assert [item["id"] for item in body["items"]] == cited
    for item in body["items"]:
        assert item["missing"] == (item["id"] not in everything)
        assert (item["cable"] is None) == item["missing"]


def test_cited_by_is_the_inverse_of_references(corpus_client: FlaskClient) -> None:
    everything = stored(corpus_client, "references")
    citations = Counter(
        r["id"] for d in everything for r in d.get("references") or [] if r.get("id")
    )
    cited, count = citations.most_common(1)[0]
    body = corpus_client.get(f"/cables/{cited}/cited-by?fields=reference_id&limit=500").get_json()
    citing = {
        d["reference_id"]
        for d in everything
        if any(r.get("id") == cited for r in d.get("references") or [])
    }
    assert {item["reference_id"] for item in body["items"]} == citing and body["total"] >= 1


def test_references_of_an_unknown_cable_is_404(corpus_client: FlaskClient) -> None:
    assert corpus_client.get("/cables/99NOWHERE1/references").status_code == 404


@pytest.mark.parametrize("person", ["BIDEN, JOSEPH", "Steinberg, James B."])
def test_person_tags_are_found_by_name_and_by_ovip(corpus_client: FlaskClient, person: str) -> None:
    surname, given = (part.strip().upper() for part in person.split(",", 1))
    written = re.compile(rf"\b{re.escape(surname)}\W+{re.escape(given)}", re.IGNORECASE)
    truth = expected(corpus_client, lambda f: bool(written.search(tags_block(f))))
    found = ids(corpus_client, "tag=" + quote(person))
    assert truth and found == truth and found <= ids(corpus_client, "tag=OVIP")
