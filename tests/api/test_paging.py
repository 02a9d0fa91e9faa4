"""Paging limits over HTTP: a relevance cursor past the maximum offset is a 400, and a
listing's total is carried from page to page."""

from __future__ import annotations

import base64
import json

from flask.testing import FlaskClient

from service.query import cursor


def forged(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def test_a_relevance_offset_of_1e30_is_a_400(corpus_client: FlaskClient) -> None:
    for offset in (10**30, 1e30, cursor.MAX_OFFSET + 1):
        token = forged({"s": "relevance", "o": offset})
        response = corpus_client.get(f"/cables?q=nuclear&sort=relevance&cursor={token}")
        assert response.status_code == 400, offset
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["errors"][0]["parameter"] == "cursor"
    # where the store ranks (SQLite; a real MongoDB), the deepest offset is a page
    ranked = corpus_client.get("/cables?q=nuclear&limit=1").get_json()["next"]
    token = forged({"s": "relevance", "o": cursor.MAX_OFFSET})
    response = corpus_client.get(f"/cables?q=nuclear&sort=relevance&cursor={token}")
    expected = 200 if _sort_of(ranked) == "relevance" else 400
    assert response.status_code == expected


def _sort_of(next_url: str) -> str:
    """The sort a next link's cursor was issued for."""
    token = next_url.split("cursor=")[1]
    return str(json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))["s"])


def test_the_next_pages_show_the_first_pages_total(corpus_client: FlaskClient) -> None:
    first = corpus_client.get("/cables?tag=PGOV&limit=10").get_json()
    second = corpus_client.get(first["next"]).get_json()
    assert second["total"] == first["total"] > 10
