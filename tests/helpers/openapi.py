"""Match traffic against RingCentral's OpenAPI spec (tests/reference/ringcentral-openapi.yml, MIT)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import yaml

SPEC = Path(__file__).resolve().parents[1] / "reference" / "ringcentral-openapi.yml"


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    spec: dict[str, Any]

    @property
    def operation_id(self) -> str:
        return str(self.spec.get("operationId"))


@cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load(SPEC.read_text(), Loader=yaml.CSafeLoader)
    return loaded


@cache
def operations() -> list[Operation]:
    found = []
    for template, item in spec()["paths"].items():
        regex = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                found.append(Operation(method.upper(), template, re.compile(regex), op))
    return found


def operation_for(method: str, path: str) -> Operation | None:
    """The spec operation for a concrete request (literal segments win over parameters)."""
    matches = [op for op in operations() if op.method == method and op.pattern.match(path)]
    matches.sort(key=lambda op: op.template.count("{"))
    return matches[0] if matches else None


def _validate(instance: Any, schema: dict[str, Any]) -> None:
    root = {**schema, "components": spec()["components"]}
    jsonschema.Draft7Validator(root).validate(instance)


def response_schema(op: Operation, status: int) -> dict[str, Any] | None:
    response = op.spec.get("responses", {}).get(str(status))
    if response is None:
        return None
    for content_type, media in response.get("content", {}).items():
        if "json" in content_type and "schema" in media:
            return dict(media["schema"])
    return None


def check_exchange(request: httpx.Request, response: httpx.Response) -> str:
    """Assert the request is in the spec and a 2xx JSON answer matches its schema."""
    op = operation_for(request.method, request.url.path)
    assert op is not None, f"{request.method} {request.url.path} is not in RingCentral's spec"
    if request.content and "json" in request.headers.get("content-type", ""):
        body_schema = (
            op.spec.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        )
        if body_schema:
            _validate(json.loads(request.content), body_schema)
    if 200 <= response.status_code < 300:
        documented = [int(code) for code in op.spec.get("responses", {}) if code.isdigit()]
        assert response.status_code in documented, f"{op.operation_id} answered {response.status_code}"
        schema = response_schema(op, response.status_code)
        if schema is not None:
            _validate(json.loads(response.content), schema)
    return op.operation_id
