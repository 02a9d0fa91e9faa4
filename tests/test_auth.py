"""Bearer tokens: writes need API_TOKENS, reads need READ_TOKENS only when it is set."""

from __future__ import annotations

from pathlib import Path

import pytest

from service import create_app
from service.auth import bearer_token, token_matches

SEED = Path(__file__).parent / "data" / "seed" / "06ALMATY1457.txt"
WRITE, OTHER_WRITE, READ = "w-token-1", "w-token-2", "r-token"
CHALLENGE = 'Bearer realm="cables"'
INVALID_CHALLENGE = 'Bearer realm="cables", error="invalid_token"'
TEXT = {"content_type": "text/plain"}


def make_client(read_tokens: str = "", api_tokens: str = f"{WRITE}, {OTHER_WRITE}"):
    """A client of an app with these token settings, the seed cable stored."""
    app = create_app({"TESTING": True, "API_TOKENS": api_tokens, "READ_TOKENS": read_tokens})
    client = app.test_client()
    stored = client.post("/cables", data=SEED.read_bytes(), headers=bearer(WRITE), **TEXT)
    assert stored.status_code == 201 or not api_tokens
    return client


def bearer(token: str | None) -> dict[str, str]:
    """The Authorization header for a token (none for None)."""
    return {} if token is None else {"Authorization": f"Bearer {token}"}


# (method, path, token, expected status, expected challenge) with READ_TOKENS unset.
WRITES = [
    ("post", "/cables", None, 401, CHALLENGE),
    ("post", "/cables", "nope", 401, INVALID_CHALLENGE),
    ("post", "/cables", READ, 401, INVALID_CHALLENGE),
    ("post", "/cables", WRITE, 200, None),
    ("post", "/cables", OTHER_WRITE, 200, None),
    ("delete", "/cables/06ALMATY1457", None, 401, CHALLENGE),
    ("delete", "/cables/06ALMATY1457", f"{WRITE}x", 401, INVALID_CHALLENGE),
    ("delete", "/cables/06ALMATY1457", WRITE, 204, None),
    ("get", "/cables/06ALMATY1457", None, 200, None),
    ("get", "/cables/06ALMATY1457/raw", None, 200, None),
    ("post", "/parse", None, 200, None),
]


@pytest.mark.parametrize(("method", "path", "token", "status", "challenge"), WRITES)
def test_writes_need_a_write_token_reads_are_public(method, path, token, status, challenge):
    client = make_client()
    response = getattr(client, method)(path, data=SEED.read_bytes(), headers=bearer(token), **TEXT)
    assert response.status_code == status
    assert response.headers.get("WWW-Authenticate") == challenge
    if status == 401:
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == 401


@pytest.mark.parametrize(
    ("token", "status"),
    [(None, 401), ("nope", 401), (READ, 200), (WRITE, 200)],
)
@pytest.mark.parametrize(
    "path", ["/cables/06ALMATY1457", "/cables/06ALMATY1457/raw", "/cables", "/cables?tag=KZ"]
)
def test_read_tokens_when_set_guard_every_read(path, token, status):
    client = make_client(read_tokens=READ)
    assert client.get(path, headers=bearer(token)).status_code == status


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("get", "/health", 200), ("get", "/ready", 200), ("get", "/no/such/page", 404)],
)
def test_probes_stay_public_and_unknown_paths_404_with_read_tokens_set(method, path, status):
    client = make_client(read_tokens=READ)
    assert getattr(client, method)(path).status_code == status


def test_parse_needs_a_read_token_when_read_tokens_are_set():
    client = make_client(read_tokens=READ)
    assert client.post("/parse", data=SEED.read_bytes(), **TEXT).status_code == 401
    response = client.post("/parse", data=SEED.read_bytes(), headers=bearer(READ), **TEXT)
    assert response.status_code == 200


def test_without_api_tokens_nobody_writes():
    client = make_client(api_tokens="")
    response = client.post("/cables", data=SEED.read_bytes(), headers=bearer(""), **TEXT)
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc", "abc"),
        ("bearer  abc ", "abc"),
        ("Basic YWxhZGRpbjpvcGVuc2VzYW1l", None),
        ("Bearer", None),
        ("Bearer a b", None),
        (None, None),
    ],
)
def test_bearer_header_parsing(header, token):
    assert bearer_token(header) == token


@pytest.mark.parametrize(
    ("token", "allowed", "matches"),
    [("a", ["a", "b"], True), ("b", ["a", "b"], True), ("c", ["a", "b"], False), ("a", [], False)],
)
def test_token_matching(token, allowed, matches):
    assert token_matches(token, allowed) is matches
