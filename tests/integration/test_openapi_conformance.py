"""The API against its own OpenAPI document (schemathesis): every operation with a bounded
number of generated requests, schema-valid and schema-invalid, sent to the app under uvicorn
with an owner's token and a chat key. Any 5xx fails, and so does any response the document
does not describe (status code, content type, headers, body schema), and any schema-invalid
request that is not refused."""

from __future__ import annotations

import asyncio
import os
from collections import Counter
import uuid
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, negative_data_rejection, response_headers_conformance,
    response_schema_conformance, status_code_conformance,
)

from core.security import Role
from tests.integration.test_chat_api import bot_with, echo_document

# Examples per operation and mode; ROZMOVA_CONFORMANCE_EXAMPLES raises it for a deeper run.
EXAMPLES = int(os.environ.get("ROZMOVA_CONFORMANCE_EXAMPLES", "12"))
CHECKS = {
    GenerationMode.POSITIVE: [not_a_server_error, status_code_conformance,
                              content_type_conformance, response_headers_conformance,
                              response_schema_conformance],
    GenerationMode.NEGATIVE: [not_a_server_error, status_code_conformance,
                              content_type_conformance, response_schema_conformance,
                              "rejected"],
}


def _rejected(ctx: Any, response: Any, case: Any) -> bool | None:
    """`negative_data_rejection`, with 413 counted as a rejection: a body made invalid by
    being too long is refused by the body limit before the schema is read."""
    if response.status_code == 413:
        return True
    return negative_data_rejection(ctx, response, case)


CHECKS[GenerationMode.NEGATIVE][-1] = _rejected
# Operations that end the session or identity under test: run, but never with its token.
DESTRUCTIVE = {("DELETE", "/api/v1/bots/{bot_id}"), ("DELETE", "/api/v1/scenarios/{scenario_id}")}
# Known failures outside this suite's reach: (method, path) -> reason. Keep it empty.
EXPECTED_FAILURES: dict[tuple[str, str], str] = {}


def _run_operation(operation: Any, mode: GenerationMode, base_url: str,
                   headers: dict[str, str], known: dict[str, str],
                   statuses: Counter[int]) -> list[str]:
    """Run one operation's examples, counting the statuses; the failures found."""
    failures: list[str] = []
    session = requests.Session()
    fixed = {name: value for name, value in known.items()
             if name in {p.name for p in operation.path_parameters}}
    if (operation.method.upper(), operation.path) in DESTRUCTIVE:
        fixed = {}

    @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None,
                         derandomize=True, phases=[Phase.explicit, Phase.generate],
                         suppress_health_check=list(HealthCheck))
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        if fixed and mode == GenerationMode.POSITIVE:
            case.path_parameters = {**(case.path_parameters or {}), **fixed}
        try:
            response = case.call(base_url=base_url, session=session, headers=headers,
                                 timeout=30)
            statuses[response.status_code] += 1
            case.validate_response(response, checks=CHECKS[mode], headers=headers,
                                   transport_kwargs={"base_url": base_url, "session": session,
                                                     "headers": headers})
        except (Exception, BaseExceptionGroup) as exc:  # each distinct failure, all collected
            line = f"{mode.value} {operation.method.upper()} {operation.path}: " \
                f"{str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}"
            if line not in failures:
                failures.append(line + "\n" + str(exc)[:1500])

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        pass
    return failures


@pytest.fixture
async def world(live_server, live_client, make_actor):  # type: ignore[no-untyped-def]
    """An owner with a bot, a published scenario and a conversation on it."""
    owner = await make_actor(Role.owner)
    bot_id, scenario_id, chat_headers = await bot_with(live_client, owner, echo_document())
    started = await live_client.post("/api/v1/conversations", json={}, headers=chat_headers)
    assert started.status_code == 201, started.text
    known = {"bot_id": bot_id, "scenario_id": scenario_id,
             "conversation_id": started.json()["conversation_id"],
             "org_id": str(owner.org_id), "user_id": str(owner.user_id), "number": "1"}
    return owner, chat_headers, known


def _recordings() -> object:
    """Bodies for the audio upload: a tiny valid WAV (a tone), WAV-looking junk, random
    bytes: the API must store the first and refuse the others with a problem, never a 500."""
    import io
    import math
    import struct
    import wave

    from hypothesis import strategies as st

    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 8)))
                                 for i in range(8000)))
    valid = out.getvalue()
    return st.one_of(st.just(valid), st.binary(max_size=256).map(lambda b: b"RIFF" + b),
                     st.binary(max_size=512))


# The upload's body is a recording: schemathesis has no generator for audio of its own.
schemathesis.openapi.media_type("audio/*", _recordings())


async def test_every_operation_conforms_to_the_openapi_document(live_server, world, app) -> None:  # type: ignore[no-untyped-def]
    owner, chat_headers, known = world
    schema = schemathesis.openapi.from_dict(app.openapi())
    headers = {**owner.headers, **chat_headers, "X-Request-ID": f"conformance-{uuid.uuid4().hex}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30

    statuses: Counter[int] = Counter()

    def run_all() -> list[str]:
        found: list[str] = []
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                for failure in _run_operation(operation, mode, live_server, headers, known,
                                              statuses):
                    if (operation.method.upper(), operation.path) not in EXPECTED_FAILURES:
                        found.append(failure)
        return found

    # In a thread: the server runs on this test's event loop.
    found = await asyncio.to_thread(run_all)
    print(f"{len(operations)} operations, {sum(statuses.values())} requests: "
          f"{dict(sorted(statuses.items()))}")
    assert any(200 <= status < 300 for status in statuses), statuses
    assert not found, f"{len(found)} conformance failure(s):\n\n" + "\n\n".join(found)


def test_the_document_describes_problems_and_credentials(app) -> None:  # type: ignore[no-untyped-def]
    spec = app.openapi()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], where
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= set(operation["responses"]), where
            if path.startswith("/api/") and "401" in operation["responses"]:
                assert operation.get("security"), where
    draft = spec["paths"]["/api/v1/scenarios/{scenario_id}/draft"]["put"]
    if_match = next(p for p in draft["parameters"] if p["name"] == "If-Match")
    assert if_match["required"] is True and "428" in draft["responses"]
    chat = spec["paths"]["/api/v1/conversations"]["post"]
    assert chat["security"] == [{"chatKey": []}]
    assert spec["components"]["securitySchemes"]["chatKey"]["name"] == "X-Chat-Key"
    bot_update = spec["components"]["schemas"]["BotUpdate"]
    assert bot_update["additionalProperties"] is False
    assert bot_update["properties"]["settings"].get("$ref"), "settings cannot be null"


async def test_405_names_every_method_of_the_path(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    response = await client.put(f"/api/v1/bots/{uuid.uuid4()}", headers=owner.headers)
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert set(response.headers["allow"].split(", ")) == {"GET", "PATCH", "DELETE"}
    collection = await client.delete("/api/v1/bots", headers=owner.headers)
    assert set(collection.headers["allow"].split(", ")) == {"GET", "POST"}


async def test_validate_refuses_a_null_document(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    _, scenario_id, _ = await bot_with(client, owner, echo_document())
    url = f"/api/v1/scenarios/{scenario_id}/validate"
    for raw in ("null", "[]", '"text"'):
        response = await client.post(url, content=raw, headers={
            **owner.headers, "Content-Type": "application/json"})
        assert response.status_code == 422, (raw, response.text)
        assert "JSON object" in response.json()["detail"]
    empty = await client.post(url, headers=owner.headers)  # no body: the stored draft
    assert empty.status_code == 200 and empty.json()["valid"] is True
