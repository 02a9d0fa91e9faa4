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


def test_400_names_each_bad_parameter(client):
    for url in ("/cables?limit=0", "/cables?colour=red"):
        response = client.get(url)
        assert response.status_code == 400
        assert response.mimetype == "application/problem+json"
        body = response.get_json()
        assert set(body) >= PROBLEM_KEYS
        [entry] = body["errors"]
        assert set(entry) == {"parameter", "message"}
        assert entry["parameter"] in url


def test_bad_parameter_builds_one_entry_per_parameter():
    from service.errors import bad_parameter

    error = bad_parameter("limit", "must be at least 1", ("sort", "unknown"))
    assert error.status == 400
    assert error.errors == [
        {"parameter": "limit", "message": "must be at least 1"},
        {"parameter": "sort", "message": "unknown"},
    ]


def test_health(client):
    assert client.get("/health").get_json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.get_json()["ready"] is True
