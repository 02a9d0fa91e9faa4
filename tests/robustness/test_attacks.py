"""Attacks: query-operator injection in every query parameter and JSON body, and tokens that
must not get in (missing, wrong, in the query string, a read token used to write)."""

from __future__ import annotations

import hmac
import json
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from hostile import (
    READ_TOKEN,
    SEED,
    WRITE,
    WRITE_TOKEN,
    assert_problem,
    corpus_files,
    make_app,
    stored_ids,
)

from service import auth
from service.parsing import parse_cable
from service.query.fulltext import words

SPEC = yaml.safe_load((SEED.parents[3] / "openapi.yaml").read_text(encoding="utf-8"))
STORED = 12  # real cables in the store: a filter that lost its meaning would return them
CITED = "06ALMATY1457"

# Values that would mean something to MongoDB, to a JavaScript $where or to a regex engine.
OPERATOR_VALUES = [
    '{"$gt": ""}',
    '{"$ne": null}',
    '{"$regex": ".*"}',
    "$where",
    "$ne",
    "this.tags.length > 0",
    "'; return true; var x='",
    "function() { return true; }",
    ".*",
    "^.+$",
    "(a+)+$",
    "(a|aa)*c" + "a" * 40,
    "(x+x+)+y",
    "[^]",
    "\\",
]
# `param[$op]=...`: the PHP/Express way of smuggling an operator object into a query.
BRACKETS = ["[$ne]", "[$gt]", "[$regex]", "[]"]


def spec_parameters(path: str) -> list[str]:
    """The query parameter names of GET `path` in openapi.yaml."""
    operation = SPEC["paths"][path]["get"]
    names = []
    for parameter in operation.get("parameters", []) + SPEC["paths"][path].get("parameters", []):
        while "$ref" in parameter:
            target: Any = SPEC
            for part in parameter["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            parameter = target
        if parameter["in"] == "query":
            names.append(parameter["name"])
    return names


def nothing_found(path: str, body: dict[str, Any]) -> bool:
    """Whether a 200 answer of `path` found no cable (the literal value matches none)."""
    if path == "/facets":
        return body["total"] == 0
    return body["items"] == []


@pytest.fixture(scope="module")
def attacked():
    """An app with real cables stored, and its client."""
    app = make_app()
    client = app.test_client()
    for path in [SEED, *corpus_files(STORED - 1)]:
        media_type = "text/html" if path.suffix == ".html" else "text/plain"
        if path.suffix == ".json":
            media_type = "application/json"
        response = client.post(
            "/cables", data=path.read_bytes(), content_type=media_type, headers=WRITE
        )
        assert response.status_code == 201
    assert len(stored_ids(app)) == STORED
    return app, client


SEARCHES = ["/cables", "/facets", "/cables/{reference_id}/cited-by"]


def search_cases() -> list[tuple[str, str, str]]:
    """(path, parameter, value) for every search parameter and operator value."""
    cases = []
    for path in SEARCHES:
        for name in spec_parameters(path):
            cases.extend((path, name, value) for value in OPERATOR_VALUES)
    return cases


def bracket_cases() -> list[tuple[str, str]]:
    """(path, `name[$op]`) for every query parameter of every GET that takes one."""
    paths = [*SEARCHES, "/tags", "/participants"]
    return [
        (path, name + op) for path in paths for name in spec_parameters(path) for op in BRACKETS
    ]


@pytest.mark.parametrize(("path", "name", "value"), search_cases())
def test_an_operator_in_a_search_parameter_matches_only_literally(attacked, path, name, value):
    _, client = attacked
    url = path.format(reference_id=CITED) + f"?{name}={quote(value)}"
    response = client.get(url)
    if response.status_code == 200 and name == "q":
        # `q` reads words (service.query.fulltext): an operator's words are searched as words
        same = path.format(reference_id=CITED) + f"?q={quote(as_words(value))}"
        assert response.get_json() == client.get(same).get_json()
    elif response.status_code == 200 and name in ("sender", "recipient"):
        # words of a line (issue 19 item 9): an operator's words are looked up as words
        same = path.format(reference_id=CITED) + f"?{name}={quote(' '.join(words(value)))}"
        assert response.get_json() == client.get(same).get_json()
    elif response.status_code == 200:
        assert nothing_found(path, response.get_json()), f"{url} matched cables"
    else:
        assert_problem(response, 400)


def as_words(raw: str) -> str:
    """A `q` asking for the same terms with only their words (each a quoted phrase)."""
    from service.query import fulltext

    parsed = fulltext.parse(raw)
    terms = ['"' + " ".join(fulltext.words(term)) + '"' for term in parsed.required]
    terms += ['-"' + " ".join(fulltext.words(term)) + '"' for term in parsed.excluded]
    return " ".join(terms)


@pytest.mark.parametrize(("path", "name"), bracket_cases())
def test_an_operator_smuggled_in_a_parameter_name_is_refused(attacked, path, name):
    _, client = attacked
    response = client.get(path.format(reference_id=CITED) + f"?{quote(name)}=x")
    assert_problem(response, 400)


@pytest.mark.parametrize("value", OPERATOR_VALUES)
def test_an_operator_in_the_tag_search_is_a_literal_substring(attacked, value):
    _, client = attacked
    response = client.get(f"/tags?q={quote(value)}")
    if response.status_code != 200:
        assert_problem(response, 400)
        return
    for entry in response.get_json()["items"]:
        assert value.casefold() in f"{entry['tag']} {entry.get('title') or ''}".casefold()


@pytest.mark.parametrize("value", OPERATOR_VALUES)
def test_an_operator_in_the_participant_search_adds_no_names(attacked, value):
    # q is read as words; punctuation is no word, so an operator finds at most the names
    # that its literal words start (and nothing beyond what q without it would find).
    _, client = attacked
    response = client.get(f"/participants?q={quote(value)}")
    if response.status_code != 200:
        assert_problem(response, 400)
        return
    plain = "".join(char if char.isalnum() else " " for char in value).strip()
    if not plain:
        assert response.get_json()["items"] == []
        return
    literal = client.get(f"/participants?q={quote(plain)}").get_json()
    assert response.get_json() == literal


@pytest.mark.parametrize("value", ['{"$gt": ""}', "true; $where", "[$ne]", "1; drop"])
def test_an_operator_in_a_write_parameter_is_refused(attacked, value):
    app, client = attacked
    response = client.post(
        f"/cables?replace={quote(value)}", data=b"x", content_type="text/plain", headers=WRITE
    )
    assert_problem(response, 400)
    assert len(stored_ids(app)) == STORED


@pytest.mark.parametrize(
    "body",
    [
        {"text": {"$gt": ""}},
        {"text": {"$where": "return true"}},
        {"text": "x", "metadata": {"reference_id": {"$ne": None}}},
        {"text": "x", "metadata": {"reference_id": {"$regex": ".*"}}},
        {"$where": "return true"},
        {"text": "x", "metadata": {"$set": {"classification": "SECRET"}}},
    ],
    ids=json.dumps,
)
def test_an_operator_in_a_json_body_stores_nothing_and_changes_nothing(attacked, body):
    app, client = attacked
    before = {rid: app.extensions["store"].get(rid) for rid in stored_ids(app)}
    response = client.post("/cables", json=body, headers=WRITE)
    assert_problem(response, 400, 422)
    assert {rid: app.extensions["store"].get(rid) for rid in stored_ids(app)} == before


def test_a_regex_built_to_backtrack_is_searched_literally(attacked):
    _, client = attacked
    evil = "(" + "a*" * 30 + ")*$"
    for name in ("q", "origin", "sender", "recipient", "classified_by"):
        response = client.get(f"/cables?{name}={quote(evil + 'a' * 30)}")
        if response.status_code == 200:
            assert response.get_json()["items"] == []
        else:
            assert_problem(response, 400)


# --- auth ----------------------------------------------------------------------------------------


@pytest.fixture
def guarded():
    """An app with write and read tokens and the seed cable stored once."""
    app = make_app(READ_TOKENS=READ_TOKEN)
    client = app.test_client()
    assert (
        client.post(
            "/cables", data=SEED.read_bytes(), content_type="text/plain", headers=WRITE
        ).status_code
        == 201
    )
    return app, client


REPLACEMENT = SEED.read_text(encoding="utf-8").replace("Boucher", "Someone Else")
# Ways of presenting a token that must not be taken for a write token.
NOT_WRITE_AUTH: list[tuple[str, dict[str, str], str]] = [
    ("none", {}, ""),
    ("wrong", {"Authorization": "Bearer not-the-token"}, ""),
    ("read token", {"Authorization": f"Bearer {READ_TOKEN}"}, ""),
    ("query string", {}, f"token={WRITE_TOKEN}"),
    ("query access_token", {}, f"access_token={WRITE_TOKEN}"),
    ("query api_key", {}, f"api_key={WRITE_TOKEN}"),
    ("basic", {"Authorization": f"Basic {WRITE_TOKEN}"}, ""),
    ("bare", {"Authorization": WRITE_TOKEN}, ""),
    ("prefix", {"Authorization": f"Bearer {WRITE_TOKEN[:-1]}"}, ""),
    ("longer", {"Authorization": f"Bearer {WRITE_TOKEN}x"}, ""),
    ("two tokens", {"Authorization": f"Bearer nope, Bearer {WRITE_TOKEN}"}, ""),
    ("other header", {"X-Api-Key": WRITE_TOKEN, "X-Auth-Token": WRITE_TOKEN}, ""),
    ("cookie", {"Cookie": f"token={WRITE_TOKEN}"}, ""),
    ("empty bearer", {"Authorization": "Bearer "}, ""),
]


def unchanged(app) -> bool:
    """The seed cable is stored as first uploaded, with no earlier version kept."""
    store = app.extensions["store"]
    document = store.get("06ALMATY1457")
    return (
        document is not None
        and document == {**document, **_seed_keys()}
        and store.versions_of("06ALMATY1457") == []
    )


def _seed_keys() -> dict[str, Any]:
    """The keys of the seed cable's parse that a replacement would change."""
    parsed = parse_cable(SEED.read_bytes())
    return {key: parsed[key] for key in ("sha256", "summary", "participants")}


@pytest.mark.parametrize(("label", "headers", "query"), NOT_WRITE_AUTH, ids=lambda x: x)
def test_delete_without_a_write_token_deletes_nothing(guarded, label, headers, query):
    app, client = guarded
    response = client.delete(f"/cables/06ALMATY1457?{query}", headers=headers)
    assert_problem(response, 400, 401)
    assert unchanged(app)


@pytest.mark.parametrize(("label", "headers", "query"), NOT_WRITE_AUTH, ids=lambda x: x)
def test_replace_without_a_write_token_replaces_nothing(guarded, label, headers, query):
    app, client = guarded
    separator = "&" if query else ""
    response = client.post(
        f"/cables?replace=true{separator}{query}",
        data=REPLACEMENT,
        content_type="text/plain",
        headers=headers,
    )
    assert_problem(response, 400, 401)
    assert unchanged(app)


@pytest.mark.parametrize(("label", "headers", "query"), NOT_WRITE_AUTH[:2] + NOT_WRITE_AUTH[3:])
def test_reads_need_a_read_or_write_token_when_read_tokens_are_set(guarded, label, headers, query):
    _, client = guarded
    response = client.get(f"/cables/06ALMATY1457?{query}", headers=headers)
    assert_problem(response, 400, 401)
    response = client.get(f"/cables?{query}", headers=headers)
    assert_problem(response, 400, 401)


def test_a_401_says_how_to_authenticate_and_never_echoes_the_token(guarded):
    _, client = guarded
    response = client.delete(
        "/cables/06ALMATY1457", headers={"Authorization": "Bearer secret-guess-123"}
    )
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert b"secret-guess-123" not in response.get_data()


def test_the_write_token_does_replace_and_delete(guarded):
    app, client = guarded
    response = client.post(
        "/cables?replace=true", data=REPLACEMENT, content_type="text/plain", headers=WRITE
    )
    assert response.status_code == 200
    assert not unchanged(app)
    assert client.delete("/cables/06ALMATY1457", headers=WRITE).status_code == 204


def test_tokens_are_compared_in_constant_time_with_every_candidate(monkeypatch):
    compared: list[tuple[bytes, bytes]] = []
    constant_time = hmac.compare_digest

    def recording(given: bytes, candidate: bytes) -> bool:
        compared.append((given, candidate))
        return constant_time(given, candidate)

    # only service.auth's view of hmac is replaced: nothing else in the process is affected
    monkeypatch.setattr(auth, "hmac", SimpleNamespace(compare_digest=recording))
    allowed = ["first-token", "second-token", "third-token"]
    assert auth.token_matches("first-token", allowed)
    # no early exit on a match: every candidate is compared, so timing tells nothing
    assert [candidate for _, candidate in compared] == [token.encode() for token in allowed]
    compared.clear()
    assert not auth.token_matches("f", allowed)
    assert len(compared) == len(allowed)
