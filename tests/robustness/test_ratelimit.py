"""Rate limits per client and per token: RateLimit-* headers, 429 problem+json with Retry-After,
probes exempt, one setting to change or switch them off."""

from __future__ import annotations

import pytest
from hostile import READ_TOKEN, WRITE, WRITE_TOKEN, assert_problem, make_app
from limits import parse_many

from service.config import SETTINGS, load_settings
from service.ratelimit import is_off, storage_uri

LIMIT = 3
HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")


@pytest.fixture
def client():
    app = make_app(RATE_LIMIT=f"{LIMIT}/minute", READ_TOKENS=READ_TOKEN)
    return app.test_client()


def exhaust(client, count: int = LIMIT, **kwargs) -> list:
    """`count` reads of /stats; their responses."""
    return [client.get("/stats", **kwargs) for _ in range(count)]


def bearer(token: str) -> dict[str, str]:
    """An Authorization header for `token`."""
    return {"Authorization": f"Bearer {token}"}


def test_every_limited_response_announces_the_limit_and_what_is_left(client):
    responses = exhaust(client, headers=bearer(READ_TOKEN))
    assert [r.status_code for r in responses] == [200] * LIMIT
    assert [int(r.headers["RateLimit-Remaining"]) for r in responses] == [2, 1, 0]
    for response in responses:
        assert int(response.headers["RateLimit-Limit"]) == LIMIT
        assert 0 < int(response.headers["RateLimit-Reset"]) <= 61
        assert "Retry-After" not in response.headers


def test_past_the_limit_the_answer_is_429_problem_json_with_retry_after(client):
    exhaust(client, headers=bearer(READ_TOKEN))
    response = client.get("/stats", headers=bearer(READ_TOKEN))
    body = assert_problem(response, 429)
    wait = int(response.headers["Retry-After"])
    assert 0 < wait <= 61
    assert body["errors"][0]["retry_after"] == wait
    assert response.headers["RateLimit-Remaining"] == "0"


def test_writes_count_too_and_a_refused_write_stores_nothing(client):
    for _ in range(LIMIT):
        client.get("/stats", headers=WRITE)
    response = client.post("/cables", data=b"x", content_type="text/plain", headers=WRITE)
    assert_problem(response, 429)
    assert client.application.extensions["store"].count() == 0


def test_each_known_token_has_its_own_budget(client):
    exhaust(client, headers=bearer(READ_TOKEN))
    assert client.get("/stats", headers=bearer(READ_TOKEN)).status_code == 429
    # the write token, from the same address, is counted apart
    assert client.get("/stats", headers=bearer(WRITE_TOKEN)).status_code == 200


def test_a_token_is_counted_wherever_it_comes_from(client):
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        response = client.get(
            "/stats", headers=bearer(READ_TOKEN), environ_base={"REMOTE_ADDR": address}
        )
        assert response.status_code == 200
    response = client.get(
        "/stats", headers=bearer(READ_TOKEN), environ_base={"REMOTE_ADDR": "10.0.0.4"}
    )
    assert_problem(response, 429)


def test_clients_without_a_token_are_counted_by_address():
    client = make_app(RATE_LIMIT=f"{LIMIT}/minute").test_client()
    first = {"REMOTE_ADDR": "192.0.2.1"}
    exhaust(client, environ_base=first)
    assert client.get("/stats", environ_base=first).status_code == 429
    assert client.get("/stats", environ_base={"REMOTE_ADDR": "192.0.2.2"}).status_code == 200


def test_inventing_tokens_buys_no_fresh_budget():
    client = make_app(RATE_LIMIT=f"{LIMIT}/minute").test_client()
    for attempt in range(LIMIT):
        client.get("/stats", headers=bearer(f"guess-{attempt}"))
    response = client.get("/stats", headers=bearer("guess-new"))
    assert_problem(response, 429)


def test_a_flood_is_refused_before_its_token_is_checked(client):
    for _ in range(LIMIT):
        client.delete("/cables/06ALMATY1457", headers=bearer("guess"))
    assert_problem(client.delete("/cables/06ALMATY1457", headers=bearer("guess")), 429)


@pytest.mark.parametrize("path", ["/health", "/ready"])
def test_probes_are_never_limited(client, path):
    exhaust(client)
    for _ in range(LIMIT * 3):
        response = client.get(path)
        assert response.status_code == 200
        assert "RateLimit-Limit" not in response.headers


@pytest.mark.parametrize("setting", ["off", "OFF", " off ", "none", "0"])
def test_one_setting_switches_rate_limits_off(setting):
    client = make_app(RATE_LIMIT=setting).test_client()
    responses = [client.get("/stats") for _ in range(50)]
    assert {r.status_code for r in responses} == {200}
    assert not any(name in responses[-1].headers for name in HEADERS)


def test_several_limits_in_one_setting_all_apply():
    client = make_app(RATE_LIMIT="100/minute;2/hour").test_client()
    assert [client.get("/stats").status_code for _ in range(3)] == [200, 200, 429]


def test_the_default_is_generous_enough_for_bulk_research_work():
    default = SETTINGS["RATE_LIMIT"][0]
    assert not is_off(default)
    per_minute = min(limit.amount * 60 / limit.get_expiry() for limit in parse_many(default))
    # a script paging through results, or sending one bulk request per second, never meets it
    assert per_minute >= 300
    assert load_settings({})["RATE_LIMIT"] == default


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"MONGO_URI": ""}, "memory://"),
        ({"EMBEDDED_DB": ":memory:"}, "memory://"),
        ({"MONGO_URI": "mongodb://db:27017/?replicaSet=rs0"}, "mongodb://db:27017/?replicaSet=rs0"),
        (
            {"MONGO_URI": "mongodb://db", "RATE_LIMIT_STORAGE_URI": "redis://cache:6379"},
            "redis://cache:6379",
        ),
        ({"MONGO_URI": "", "RATE_LIMIT_STORAGE_URI": "memory://"}, "memory://"),
    ],
)
def test_counters_are_in_memory_only_on_the_embedded_store(config, expected):
    assert storage_uri(config) == expected


def test_limits_still_apply_per_process_while_the_shared_counter_store_is_down():
    # MONGO_URI names a server that is not there (nothing listens on port 1); the cables
    # themselves are in an injected embedded store, so only the counters are unreachable.
    from service.store import open_store

    store = open_store({"EMBEDDED_DB": ":memory:"})
    app = make_app(STORE=store, MONGO_URI="mongodb://127.0.0.1:1/", RATE_LIMIT=f"{LIMIT}/minute")
    client = app.test_client()
    statuses = [client.get("/stats").status_code for _ in range(LIMIT + 1)]
    assert statuses == [200] * LIMIT + [429]
