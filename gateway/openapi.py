"""The OpenAPI document, generated from the code and checked in at docs/openapi.json so that
API changes show up in review (and the builder's client can be generated from it).

    python -m gateway.openapi      # regenerate docs/openapi.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from core.config import Environment, Settings

PATH = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"

PROBLEM_JSON = "application/problem+json"
_PROBLEM = {"content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
# Problems any operation can answer, by what it takes: the request plumbing (core/http.py)
# answers them before or around the endpoint's own code.
_WITH_BODY = {
    "400": "Malformed JSON (`code: malformed_json`): not JSON, nested too deeply, or a number "
           "of thousands of digits",
    "413": "The body is over the request limit (ROZMOVA_MAX_REQUEST_BYTES)",
    "422": "Invalid input; `errors` lists each problem with a JSON pointer",
}
_WITH_INPUT = {"422": _WITH_BODY["422"]}
_ALWAYS = {
    "500": "An unexpected error; logged with the request's X-Request-ID",
    "503": "A dependency (the database, Redis) is unavailable; retry after Retry-After",
}
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "An access token from POST "
               "/api/v1/auth/login, or an organization API key (which may also be sent as "
               "`X-API-Key`)."},
    "chatKey": {"type": "apiKey", "in": "header", "name": "X-Chat-Key",
                "description": "A bot's public chat key: the chat endpoints that say so."},
}


def complete(spec: dict[str, Any]) -> dict[str, Any]:
    """Make the generated document say what the server does around the endpoints' code:
    problem responses as application/problem+json (FastAPI's 422 is application/json),
    malformed JSON, body limits, validation and outages on every operation they can happen
    to, and who must authenticate. Idempotent."""
    components = spec.setdefault("components", {})
    components.setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "put", "post", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            extra: dict[str, str] = {}
            if path.startswith("/api/"):
                extra.update(_ALWAYS)
                if operation.get("parameters"):
                    extra.update(_WITH_INPUT)
            if "requestBody" in operation:
                extra.update(_WITH_BODY)
            for status, description in extra.items():
                responses.setdefault(status, {"description": description})
            for status, response in responses.items():
                if status.isdigit() and int(status) >= 400:
                    response.update(_PROBLEM)
            if "401" in responses and "security" not in operation:
                operation["security"] = [{"bearer": []}]
    schemas = components.get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return spec


def render() -> str:
    from gateway.app import create_app

    settings = Settings(_env_file=None, env=Environment.test, secret_key="x" * 32)
    spec: dict[str, Any] = create_app(settings).openapi()
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    PATH.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"{PATH}\n")
