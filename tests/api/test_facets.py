"""GET /facets, /tags, /participants and /stats on the real corpus."""

from __future__ import annotations

from collections import Counter

import pytest
from corpus_truth import ids, index_rows, listed
from flask.testing import FlaskClient

SINGLE_VALUED = ("classification", "year", "month", "origin")


def facets(client: FlaskClient, query: str) -> dict:
    """GET /facets with every value listed."""
    response = client.get(f"/facets?{query}&facet_limit=1000")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.mark.parametrize("query", ["", "tag=PGOV", "participant=rosenblatt", "year=2009&tag=PREL"])
def test_single_valued_facets_sum_to_the_total(corpus_client: FlaskClient, query: str) -> None:
    body = facets(corpus_client, query + "".join(f"&facet={name}" for name in SINGLE_VALUED))
    assert body["total"] == len(ids(corpus_client, query)) > 0
    for name in SINGLE_VALUED:
        assert sum(value["count"] for value in body["facets"][name]["values"]) == body["total"]
        assert not body["facets"][name]["truncated"]


def test_year_counts_equal_the_year_filter_totals(corpus_client: FlaskClient) -> None:
    body = facets(corpus_client, "facet=year&tag=PREL")
    for value in body["facets"]["year"]["values"]:
        assert value["count"] == len(ids(corpus_client, f"tag=PREL&year={value['value']}"))


def test_tag_counts_follow_the_cables_and_carry_the_glossary(corpus_client: FlaskClient) -> None:
    body = facets(corpus_client, "facet=tags&classification=SECRET")
    values = {value["value"]: value for value in body["facets"]["tags"]["values"]}
    secret = ids(corpus_client, "classification=SECRET")
    assert values["PREL"]["count"] == len(secret & ids(corpus_client, "tag=PREL"))
    assert values["PREL"]["title"] == "External Political Relations"
    assert values["PREL"]["kind"] == "subject"
    assert sum(value["count"] for value in values.values()) >= body["total"]


def test_origin_counts_match_the_index(corpus_client: FlaskClient) -> None:
    body = facets(corpus_client, "facet=origin")
    counts = {value["value"]: value["count"] for value in body["facets"]["origin"]["values"]}
    harare = sum(1 for row in index_rows().values() if row["origin"] == "Embassy Harare")
    assert counts["Embassy Harare"] == harare > 1


def test_facet_limit_truncates_to_the_most_frequent(corpus_client: FlaskClient) -> None:
    body = corpus_client.get("/facets?facet=origin&facet_limit=3").get_json()
    values = body["facets"]["origin"]
    full = facets(corpus_client, "facet=origin")["facets"]["origin"]["values"]
    assert values["truncated"] and values["values"] == full[:3]


def test_unknown_facet_is_a_bad_parameter(corpus_client: FlaskClient) -> None:
    response = corpus_client.get("/facets?facet=colour")
    assert response.status_code == 400 and response.get_json()["errors"][0]["parameter"] == "facet"


def test_tags_lists_the_glossary_with_counts(corpus_client: FlaskClient) -> None:
    body = corpus_client.get("/tags?limit=10000").get_json()
    by_tag = {item["tag"]: item for item in body["items"]}
    tag_facet = facets(corpus_client, "facet=tags")["facets"]["tags"]["values"]
    assert all(by_tag[value["value"]]["count"] == value["count"] for value in tag_facet)
    assert by_tag["KZ"]["kind"] == "geographic" and by_tag["KZ"]["title"]
    assert any(item["count"] == 0 for item in body["items"]), "unused glossary tags are listed"


def test_tags_used_and_kind_narrow_the_list(corpus_client: FlaskClient) -> None:
    body = corpus_client.get("/tags?used=true&kind=geographic&limit=10000").get_json()
    assert body["items"] and all(
        item["count"] > 0 and item["kind"] == "geographic" for item in body["items"]
    )


def test_participants_complete_a_prefix_with_counts(corpus_client: FlaskClient) -> None:
    body = corpus_client.get("/participants?q=rosen").get_json()
    names = {item["name"]: item["count"] for item in body["items"]}
    assert names["Josiah Rosenblatt"] == len(ids(corpus_client, "participant=josiah%20rosenblatt"))
    assert all(any(w.startswith("rosen") for w in n.lower().split()) for n in names)


def test_stats_total_and_breakdowns_agree(corpus_client: FlaskClient) -> None:
    body = corpus_client.get("/stats").get_json()
    total = listed(corpus_client)["total"]
    assert body["total"] == total
    assert sum(body["by_year"].values()) + body["undated"] == total
    assert sum(body["by_classification"].values()) == total
    rows = index_rows().values()
    assert body["by_year"]["2003"] >= Counter(row["created"][:4] for row in rows)["2003"]
