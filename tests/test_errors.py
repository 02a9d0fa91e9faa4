"""The one error shape, pinned."""

PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


def test_404_is_problem_json(client):
    response = client.get("/no/such/path")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == 404
    assert isinstance(body["errors"], list)


def test_405_is_problem_json_with_allow(client):
    response = client.post("/health")
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert "GET" in response.headers["Allow"]
    assert response.get_json()["status"] == 405


def test_health(client):
    assert client.get("/health").get_json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.get_json()["ready"] is True
