"""Query parameters never become database operators: they find nothing or give 400."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest
from corpus_truth import listed
from flask.testing import FlaskClient

# Operator-shaped parameter names: unknown parameters, so 400.
BAD_NAMES = [
    "tag[$ne]=x",
    "tag[$regex]=.*",
    "participant[$gt]=",
    "$where=1",
    "classification[$in][]=SECRET",
    "q[$ne]=x",
    "filter=" + quote('{"tag": {"$ne": "x"}}'),
]
# Operator- or pattern-shaped values: literals that match no cable, or a 400.
BAD_VALUES = [
    "tag=" + quote('{"$gt": ""}'),
    "tag=" + quote('{"$ne": null}'),
    "tag=$where",
    "tag=.*",
    "participant=.*",
    "participant=" + quote('{"$gt": ""}'),
    "origin=.*",
    "origin=" + quote("Embassy .*"),
    "origin=" + quote("^"),
    "sender=.*",
    "recipient=" + quote(".*|"),
    "classified_by=" + quote('{"$ne": null}'),
    "station=" + quote('{"$gt": ""}'),
    "references=" + quote('{"$ne": null}'),
    "caveat=" + quote("$exists"),
    "date_from=" + quote('{"$gt": ""}'),
    "declassify_to=" + quote('{"$gt": ""}'),
    "q=.*",
    "classification=" + quote('{"$gte": 0}'),
]


@pytest.mark.parametrize("query", BAD_NAMES)
def test_operator_shaped_names_are_unknown_parameters(
    corpus_client: FlaskClient, query: str
) -> None:
    response = corpus_client.get(f"/cables?{query}")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["parameter"] == query.split("=")[0]


@pytest.mark.parametrize("query", BAD_VALUES)
def test_operator_shaped_values_find_nothing(corpus_client: FlaskClient, query: str) -> None:
    for path in ("/cables", "/facets"):
        response = corpus_client.get(f"{path}?{query}")
        assert response.status_code in (200, 400), response.get_json()
        if response.status_code == 200:
            assert response.get_json()["total"] == 0
        else:
            assert response.get_json()["errors"][0]["parameter"] == query.split("=")[0]


# `q` reads words (service.query.fulltext): operator and pattern characters are separators,
# so such a query finds exactly what its words find (one token's words: a phrase).
WORDS_OF = [
    ('{"$where": "1"}', "where 1"),
    ("a|b", '"a b"'),
    ("$regex:.*nuclear", '"regex nuclear"'),
]


@pytest.mark.parametrize(("raw", "words"), WORDS_OF)
def test_operator_shaped_text_finds_what_its_words_find(
    corpus_client: FlaskClient, raw: str, words: str
) -> None:
    shaped = corpus_client.get(f"/cables?fields=reference_id&limit=500&q={quote(raw)}")
    plain = corpus_client.get(f"/cables?fields=reference_id&limit=500&q={quote(words)}")
    assert shaped.status_code == plain.status_code == 200
    assert shaped.get_json()["items"] == plain.get_json()["items"]


def forge(payload: object) -> str:
    """A cursor as this API would encode it, with a forged payload."""
    raw = json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "payload",
    [
        {"s": "-created", "k": [{"$gt": ""}, "x"]},
        {"s": "-created", "k": [None, {"$ne": None}]},
        {"s": "-created", "k": ["2009"]},
        {"s": "-created", "o": 5},
        {"s": "relevance", "o": -1},
        ["-created"],
    ],
)
def test_forged_cursors_are_refused(corpus_client: FlaskClient, payload: object) -> None:
    response = corpus_client.get(f"/cables?cursor={forge(payload)}")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["parameter"] == "cursor"


def test_a_regex_looking_value_is_matched_literally(corpus_client: FlaskClient) -> None:
    everything = listed(corpus_client)["total"]
    assert everything > 0
    assert listed(corpus_client, "origin=" + quote("Embassy Harare"))["total"] > 0
    assert listed(corpus_client, "origin=" + quote("Embassy Hara.e"))["total"] == 0
    # sender reads words (punctuation separates them), each but the last whole
    assert listed(corpus_client, "sender=" + quote("AMEMBASSY ANKAR.A"))["total"] == 0
    assert listed(corpus_client, "sender=" + quote("AMEMBASSY.ANKARA"))["total"] > 0


@pytest.mark.parametrize("q", [".*", "^", "$regex", "%5E.%2A"])
def test_participant_completion_takes_prefixes_literally(
    corpus_client: FlaskClient, q: str
) -> None:
    response = corpus_client.get(f"/participants?q={q}")
    if response.status_code == 200:
        assert response.get_json()["total"] == 0
    else:
        assert response.status_code == 400
        assert response.get_json()["errors"][0]["parameter"] == "q"
