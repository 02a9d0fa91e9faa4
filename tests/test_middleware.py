"""Request ids, access logs and CORS, through the Flask test client."""

from __future__ import annotations

import json
import logging

import pytest
from flask import Flask

from service import create_app
from service.middleware import ACCESS_LOGGER, JSONFormatter, cors_origins, request_id_from

ORIGIN = "https://research.example.org"


def make_app(**settings: str) -> Flask:
    """An app on the embedded store with `settings` overriding the environment."""
    return create_app({"TESTING": True, "EMBEDDED_DB": ":memory:", **settings})


@pytest.mark.parametrize(
    ("sent", "echoed"),
    [
        ("abc-123", "abc-123"),  # a client's plain token is kept
        ("trace:0af7651916cd43dd.8448eb211c80319c", "trace:0af7651916cd43dd.8448eb211c80319c"),
        ("x" * 128, "x" * 128),  # the longest accepted
    ],
)
def test_client_request_id_is_echoed(client, sent, echoed):
    response = client.get("/health", headers={"X-Request-ID": sent})
    assert response.headers["X-Request-ID"] == echoed


@pytest.mark.parametrize(
    "sent",
    [
        "x" * 129,  # too long
        "has space",
        "tab\there",  # control characters could garble a log line
        "semi;colon=1",
        "<script>",
        "",
    ],
)
def test_unsafe_request_id_is_replaced(client, sent):
    response = client.get("/health", headers={"X-Request-ID": sent})
    generated = response.headers["X-Request-ID"]
    assert generated != sent
    assert len(generated) == 32 and int(generated, 16) >= 0


def test_generated_ids_differ(client):
    first = client.get("/health").headers["X-Request-ID"]
    second = client.get("/health").headers["X-Request-ID"]
    assert first != second


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/no/such/path", 404),  # Flask's own routing error
        ("POST", "/health", 405),
    ],
)
def test_problem_body_carries_the_request_id(client, method, path, status):
    response = client.open(path, method=method, headers={"X-Request-ID": "req-42"})
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["request_id"] == "req-42"
    assert response.headers["X-Request-ID"] == "req-42"


def test_problem_body_has_generated_id_when_none_sent(client):
    response = client.get("/no/such/path")
    assert response.get_json()["request_id"] == response.headers["X-Request-ID"]


def test_one_access_line_per_request(client, caplog):
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    client.get("/health?verbose=1", headers={"X-Request-ID": "line-1"})
    client.get("/no/such/path", headers={"X-Request-ID": "line-2"})
    records = [r for r in caplog.records if r.name == ACCESS_LOGGER]
    assert [r.request_id for r in records] == ["line-1", "line-2"]
    first, second = records
    assert (first.method, first.path, first.status) == ("GET", "/health", 200)
    assert (second.path, second.status) == ("/no/such/path", 404)
    assert first.duration_ms >= 0
    # The query string stays out of the log: it may hold secrets.
    assert "verbose" not in first.getMessage()
    assert "GET /health 200" in first.getMessage()


def test_json_formatter_writes_the_access_fields():
    record = logging.LogRecord(ACCESS_LOGGER, logging.INFO, __file__, 1, "GET /x 200", None, None)
    fields = {"method": "GET", "path": "/x", "status": 200, "duration_ms": 1.5, "request_id": "r1"}
    for name, value in fields.items():
        setattr(record, name, value)
    entry = json.loads(JSONFormatter().format(record))
    assert entry["message"] == "GET /x 200"
    assert entry["level"] == "INFO"
    assert {name: entry[name] for name in fields} == fields


def test_log_format_json_configures_the_service_logger(capsys):
    app = make_app(LOG_FORMAT="json")
    app.test_client().get("/health", headers={"X-Request-ID": "json-1"})
    lines = [line for line in capsys.readouterr().err.splitlines() if "json-1" in line]
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["request_id"] == "json-1"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/health", 200)


def test_log_format_text_is_not_json(capsys):
    app = make_app(LOG_FORMAT="text")
    app.test_client().get("/health", headers={"X-Request-ID": "text-1"})
    (line,) = [line for line in capsys.readouterr().err.splitlines() if "text-1" in line]
    assert not line.startswith("{")
    assert "GET /health 200" in line


def test_repeated_app_creation_does_not_duplicate_log_lines(capsys):
    make_app()
    app = make_app()
    app.test_client().get("/health", headers={"X-Request-ID": "once"})
    lines = [line for line in capsys.readouterr().err.splitlines() if "once" in line]
    assert len(lines) == 1


def test_cors_allows_reads_from_any_origin_by_default(client):
    response = client.get("/health", headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] in ("*", ORIGIN)
    assert "X-Request-ID" in response.headers["Access-Control-Expose-Headers"]


def test_cors_preflight_grants_reads_not_writes(client):
    response = client.options(
        "/health",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"},
    )
    allowed = {m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert "GET" in allowed
    assert not allowed & {"POST", "DELETE", "PUT", "PATCH"}


def test_cors_origins_restricts_to_the_listed_ones():
    client = make_app(CORS_ORIGINS=f"{ORIGIN}, https://other.example.org").test_client()
    allowed = client.get("/health", headers={"Origin": ORIGIN})
    assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN
    refused = client.get("/health", headers={"Origin": "https://evil.example.com"})
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_cors_off_sends_no_cors_headers():
    client = make_app(CORS_ORIGINS="off").test_client()
    response = client.get("/health", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(
    ("setting", "origins"),
    [
        ("*", "*"),
        ("off", None),
        ("https://a.org,https://b.org", ["https://a.org", "https://b.org"]),
        (" https://a.org , ", ["https://a.org"]),
    ],
)
def test_cors_origins_setting(setting, origins):
    assert cors_origins(setting) == origins


def test_request_id_from_keeps_plain_tokens():
    assert request_id_from("abc") == "abc"
    assert request_id_from(None) != request_id_from(None)


def test_request_id_is_set_before_any_other_hook(app):
    seen = []

    @app.before_request
    def refuse():  # registered after create_app, as an extension's hook might be
        from flask import g

        seen.append(g.get("request_id"))

    app.test_client().get("/health", headers={"X-Request-ID": "first-hook"})
    assert seen == ["first-hook"]
    assert app.before_request_funcs[None][0].__name__ == "start_request"


@pytest.mark.parametrize(
    ("setting", "value"),
    [("LOG_FORMAT", "xml"), ("LOG_LEVEL", "LOUD")],
)
def test_bad_log_settings_are_named(setting, value):
    with pytest.raises(ValueError, match=setting):
        make_app(**{setting: value})


@pytest.mark.parametrize(("hops", "logged"), [("0", "127.0.0.1"), ("1", "203.0.113.7")])
def test_trusted_proxies_decide_the_client_address(caplog, hops, logged):
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    app = make_app(TRUSTED_PROXIES=hops)
    app.test_client().get(
        "/health",
        headers={"X-Forwarded-For": "203.0.113.7", "X-Request-ID": f"proxy-{hops}"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    (record,) = [r for r in caplog.records if getattr(r, "request_id", "") == f"proxy-{hops}"]
    assert record.remote_addr == logged
