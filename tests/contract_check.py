"""Check responses against openapi.yaml: used by test_contract.py and, through conftest.py, on
every response that any test gets from a Flask test client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import schemathesis
import yaml
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

SPEC_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
SCHEMA = schemathesis.openapi.from_path(SPEC_PATH)
PROBLEM_MEDIA_TYPE = "application/problem+json"


# Violations seen by ContractClient since the last `take_violations()`.
_violations: list[str] = []


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` in the spec."""
    while "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def component_validator(name: str) -> jsonschema.Draft202012Validator:
    """A JSON Schema validator for `components.schemas[name]` (OpenAPI 3.1 is JSON Schema)."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": SPEC["components"]}
    return jsonschema.Draft202012Validator(schema)


PROBLEM = component_validator("Problem")


def violations(method: str, path: str, response: TestResponse) -> list[str]:
    """What in the response the spec does not describe; empty when it conforms."""
    if method.upper() in ("HEAD", "OPTIONS"):  # Flask answers these on every route by itself
        return []
    label = f"{method.upper()} {path} -> {response.status_code}"
    operation = SCHEMA.find_operation_by_path(method, path)
    if operation is None:  # not an operation of the API: it must still be a problem document
        if response.mimetype != PROBLEM_MEDIA_TYPE:
            return [f"{label}: an unknown path or method answered {response.mimetype}"]
        errors = PROBLEM.iter_errors(response.get_json())
        return [f"{label}: not a problem document: {error.message}" for error in errors]
    responses = operation.definition.raw["responses"]
    status = str(response.status_code)
    if status not in responses:
        return [f"{label}: status not documented (documented: {', '.join(sorted(responses))})"]
    content = resolve(responses[status]).get("content", {})
    if content and response.mimetype not in content:
        return [f"{label}: media type {response.mimetype} not documented ({sorted(content)})"]
    if resolve(content.get(response.mimetype, {}).get("schema", {})).get("format") == "binary":
        return []  # bytes (the YAML of /openapi.yaml): nothing past the media type to check
    try:
        operation.validate_response(response)
    except (Exception, BaseExceptionGroup) as failure:  # schemathesis raises a FailureGroup
        return [f"{label}: {line}" for line in failure_lines(failure)]
    return []


def failure_lines(failure: BaseException) -> list[str]:
    """One line per failure in what schemathesis raised (a group, or one failure)."""
    if isinstance(failure, BaseExceptionGroup):
        return [line for inner in failure.exceptions for line in failure_lines(inner)]
    text = str(failure).strip()
    return [text.splitlines()[0] if text else type(failure).__name__]


def assert_conforms(method: str, path: str, response: TestResponse) -> None:
    """Fail unless the response is one the spec describes."""
    found = violations(method, path, response)
    assert not found, "\n".join(found)


class ContractClient(FlaskClient):
    """A test client that checks every response it returns against the spec."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        """Send the request, then record how the response departs from the spec."""
        response = super().open(*args, **kwargs)
        request = response.request
        _violations.extend(violations(request.method, request.path, response))
        return response


def take_violations() -> list[str]:
    """The violations recorded so far, clearing the record."""
    found = list(_violations)
    _violations.clear()
    return found
