"""schemathesis generates requests from openapi.yaml: no 500s, and every response conforms."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service import create_app

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
TOKEN = "schemathesis-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MEDIA_TYPES = {".html": "text/html", ".txt": "text/plain"}
BULK_MEDIA_TYPES = (
    "application/x-ndjson",
    "application/ndjson",
    "application/jsonl",
    "application/csv",
    "application/zip",
    "application/x-zip-compressed",
    "application/x-tar",
    "application/x-gtar",
    "application/x-compressed-tar",
    "application/gzip",
    "application/x-gzip",
)
# Bounded, and derandomised so that a CI run is repeatable.
MAX_EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def loaded_app() -> Flask:
    """An app on the embedded store holding every sample cable."""
    app = create_app(
        {"TESTING": True, "EMBEDDED_DB": ":memory:", "API_TOKENS": TOKEN, "RATE_LIMIT": "off"}
    )
    client = app.test_client()
    for path in sorted(SAMPLES.iterdir()):
        response = client.post(
            "/cables",
            data=path.read_bytes(),
            content_type=MEDIA_TYPES.get(path.suffix, "text/plain"),
            headers=AUTH,
        )
        assert response.status_code == 201, path.name
    return app


# Bulk bodies are text or bytes on the wire: send them as schemathesis sends text/plain.
schemathesis.serializer.alias(list(BULK_MEDIA_TYPES), "text/plain")

# The spec as the app serves it, bound to the app: cases are sent through WSGI, in process.
schema = schemathesis.openapi.from_wsgi("/openapi.yaml", loaded_app())


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_spec(case):
    case.call_and_validate(headers=AUTH, checks=CHECKS)
