"""Script and HTTP blocks end to end: a scenario computes with a script and calls an API (a
fake on 127.0.0.1, allow-listed) with a secret from the organization's store, over the REST
chat API and the WebSocket; failures take the error port; a script that does not parse
cannot be published; an address the SSRF guard refuses is never contacted; the secret's value
appears in no answer, trace or log."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from core.security import Role
from tests.integration.test_chat_api import start
from tests.realtime.test_websocket_protocol import open_chat

SECRET = "s3cr3t-token-8f2c1a"


class FakeApi:
    """A tiny HTTP/1.1 server: answers /rates with JSON and records every request."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.server: asyncio.base_events.Server | None = None
        self.port = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {k.strip().lower(): v.strip() for k, v in
                       (line.split(":", 1) for line in lines[1:] if ":" in line)}
            length = int(headers.get("content-length") or 0)
            body = await reader.readexactly(length) if length else b""
            self.requests.append({"method": method, "target": target, "headers": headers,
                                  "body": body})
            if target.startswith("/rates"):
                status, payload = 200, {"rate": 41.5, "items": [{"id": "a1"}]}
            else:
                status, payload = 404, {"error": "no such thing"}
            data = json.dumps(payload).encode()
            writer.write(f"HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n"
                         f"content-length: {len(data)}\r\nconnection: close\r\n\r\n".encode()
                         + data)
            await writer.drain()
        finally:
            writer.close()

    async def __aenter__(self) -> FakeApi:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()


@pytest.fixture
async def api() -> AsyncIterator[FakeApi]:
    async with FakeApi() as fake:
        yield fake


def scenario(port: int, *, script: str | None = None, url: str | None = None) -> dict:
    return {
        "schema_version": 2, "entry": {"start": "compute"},
        "variables": [{"name": "price", "type": "number", "default": 3},
                      {"name": "qty", "type": "number", "default": 2},
                      {"name": "total", "type": "number"}, {"name": "rate", "type": "any"},
                      {"name": "first", "type": "string"}, {"name": "status", "type": "any"},
                      {"name": "currency", "type": "string", "default": "UAH"}],
        "blocks": [
            {"id": "compute", "type": "script", "settings": {
                "code": script or "const t = vars.price * vars.qty;\n"
                                  "console.log('total is', t);\n"
                                  "return {total: t, $say: ['Total ' + t]};",
                "outputs": ["total"]}},
            {"id": "rates", "type": "http", "settings": {
                "url": url or f"http://127.0.0.1:{port}/rates",
                "query": {"currency": "{{currency}}"},
                "headers": [{"name": "Authorization", "secret": "API_TOKEN",
                             "prefix": "Bearer "},
                            {"name": "X-Total", "value": "{{total}}"}],
                "outputs": {"rate": "body.rate", "first": "body.items.0.id",
                            "status": "status"}}},
            {"id": "done", "type": "message", "settings": {"text": {
                "en": "Rate {{rate}} ({{first}}), total {{total}}",
                "uk": "Курс {{rate}} ({{first}}), разом {{total}}"}}},
            {"id": "failed", "type": "message", "settings": {"text": {
                "en": "Could not compute", "uk": "Не вдалося"}}},
            {"id": "offline", "type": "message", "settings": {"text": {
                "en": "API failed: {{status}}", "uk": "API: {{status}}"}}},
            {"id": "ask", "type": "input", "settings": {
                "kind": "text", "variable": "first", "prompt": {"en": "More?", "uk": "Ще?"}}},
        ],
        "edges": [
            {"source": "compute", "port": "ok", "target": "rates"},
            {"source": "compute", "port": "error", "target": "failed"},
            {"source": "rates", "port": "ok", "target": "done"},
            {"source": "rates", "port": "error", "target": "offline"},
            {"source": "done", "target": "ask"}, {"source": "failed", "target": "ask"},
            {"source": "offline", "target": "ask"},
        ],
    }


async def bot_with_scenario(client, owner, document: dict) -> dict:  # type: ignore[no-untyped-def]
    bot = (await client.post("/api/v1/bots", json={"name": f"b-{uuid.uuid4().hex[:8]}"},
                             headers=owner.headers)).json()
    created = await client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                json={"name": "main", "document": document},
                                headers=owner.headers)
    assert created.status_code == 201, created.text
    published = await client.post(f"/api/v1/scenarios/{created.json()['id']}/publish",
                                  json={}, headers=owner.headers)
    assert published.status_code == 201, published.text
    key = (await client.get(f"/api/v1/bots/{bot['id']}/chat-key",
                            headers=owner.headers)).json()["key"]
    return {"X-Chat-Key": key}


async def test_a_script_and_an_http_call_with_a_secret_over_rest(
        client, make_actor, api, capsys) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    stored = await client.put("/api/v1/secrets/API_TOKEN", json={"value": SECRET},
                              headers=owner.headers)
    assert stored.status_code == 201, stored.text
    headers = await bot_with_scenario(client, owner, scenario(api.port))
    answer, chat = await start(client, headers, language="en")
    assert [m["text"] for m in answer["messages"]] == [
        "Total 6", "Rate 41.5 (a1), total 6", "More?"]

    [request] = api.requests
    assert request["method"] == "GET" and request["target"] == "/rates?currency=UAH"
    assert request["headers"]["authorization"] == f"Bearer {SECRET}"
    assert request["headers"]["x-total"] == "6"

    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    calls = [step["call"] for turn in trace["items"] for step in turn["trace"]
             if step.get("call")]
    assert [(c["service"], c["operation"], c["status"]) for c in calls] == [
        ("modules", "script", "ok"), ("modules", "http", "ok")]
    assert calls[0]["logs"] == ["total is 6"]
    assert calls[1]["logs"][0].startswith(f"GET http://127.0.0.1:{api.port}/rates -> 200")
    every_answer = json.dumps([answer, trace])
    assert SECRET not in every_answer and SECRET not in capsys.readouterr().out
    listed = (await client.get("/api/v1/secrets", headers=owner.headers)).text
    assert SECRET not in listed


async def test_failures_take_the_error_ports(client, make_actor, api) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await client.put("/api/v1/secrets/API_TOKEN", json={"value": SECRET}, headers=owner.headers)
    # The script throws: its error port; the API answers 404: the http block's error port.
    headers = await bot_with_scenario(client, owner, scenario(
        api.port, script="throw new Error('no price');"))
    answer, chat = await start(client, headers, language="en")
    assert [m["text"] for m in answer["messages"]] == ["Could not compute", "More?"]
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    [call] = [s["call"] for t in trace["items"] for s in t["trace"] if s.get("call")]
    assert call["status"] == "error" and "no price" in call["error"]
    assert "line 1" in call["error"]

    headers = await bot_with_scenario(client, owner, scenario(
        api.port, url=f"http://127.0.0.1:{api.port}/missing"))
    answer, _ = await start(client, headers, language="en")
    assert [m["text"] for m in answer["messages"]] == ["Total 6", "API failed: 404", "More?"]


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/",
                                    "http://10.1.2.3/admin", "http://[::ffff:10.0.0.1]/",
                                    "http://167772161/", "http://0.0.0.0/"])
async def test_the_ssrf_guard_refuses_and_nothing_is_sent(client, make_actor, api,
                                                          target) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await client.put("/api/v1/secrets/API_TOKEN", json={"value": SECRET}, headers=owner.headers)
    headers = await bot_with_scenario(client, owner, scenario(api.port, url=target))
    answer, chat = await start(client, headers, language="en")
    assert [m["text"] for m in answer["messages"]] == ["Total 6", "API failed: ", "More?"]
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    http_call = [s["call"] for t in trace["items"] for s in t["trace"]
                 if s.get("call") and s["call"]["operation"] == "http"][0]
    assert http_call["status"] == "error" and "refused" in http_call["error"]
    assert api.requests == []


async def test_a_script_that_does_not_parse_cannot_be_published(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = (await client.post("/api/v1/bots", json={"name": "broken"},
                             headers=owner.headers)).json()
    document = scenario(1, script="const a = 1;\nreturn {total: a +* 2};")
    created = await client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                json={"name": "main", "document": document},
                                headers=owner.headers)
    assert created.status_code == 201, created.text  # drafts may be broken
    published = await client.post(f"/api/v1/scenarios/{created.json()['id']}/publish",
                                  json={}, headers=owner.headers)
    assert published.status_code == 422, published.text
    errors = published.json()["errors"]
    [error] = [e for e in errors if e["path"] == "/blocks/0/settings/code"]
    assert "line 2" in error["message"], error


async def test_the_same_blocks_over_the_websocket(server, client, make_actor, api) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await client.put("/api/v1/secrets/API_TOKEN", json={"value": SECRET}, headers=owner.headers)
    headers = await bot_with_scenario(client, owner, scenario(api.port))
    chat, frames = await open_chat(server, headers["X-Chat-Key"], language="en")
    said = [f["message"]["text"] for f in frames if f["type"] == "message"]
    assert said == ["Total 6", "Rate 41.5 (a1), total 6", "More?"]
    assert SECRET not in json.dumps(frames)
    await chat.ws.close()


async def test_javascript_in_a_condition_and_a_set_variable(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    document = {
        "schema_version": 2, "entry": {"start": "ask"},
        "variables": [{"name": "cups", "type": "number"}, {"name": "total", "type": "number"}],
        "blocks": [
            {"id": "ask", "type": "input", "settings": {
                "kind": "number", "variable": "cups",
                "prompt": {"en": "How many?", "uk": "Скільки?"}}},
            {"id": "price", "type": "set_variable", "settings": {
                "variable": "total", "javascript": "Math.round(vars.cups * 45 * 0.9)"}},
            {"id": "big", "type": "condition", "settings": {
                "javascript": "vars.total >= 200 && vars.language === 'en' // a comment"}},
            {"id": "yes", "type": "message", "settings": {"text": {
                "en": "Big order: {{total}}", "uk": "Велике: {{total}}"}}},
            {"id": "no", "type": "message", "settings": {"text": {
                "en": "Small order: {{total}}", "uk": "Мале: {{total}}"}}},
            {"id": "again", "type": "jump", "settings": {"block": "ask"}},
        ],
        "edges": [{"source": "ask", "target": "price"}, {"source": "price", "target": "big"},
                  {"source": "big", "port": "true", "target": "yes"},
                  {"source": "big", "port": "false", "target": "no"},
                  {"source": "yes", "target": "again"}, {"source": "no", "target": "again"}],
    }
    headers = await bot_with_scenario(client, owner, document)
    _, chat = await start(client, headers, language="en")
    assert [m["text"] for m in (await chat.send(text="5"))["messages"]] == [
        "Big order: 203", "How many?"]
    assert [m["text"] for m in (await chat.send(text="2"))["messages"]] == [
        "Small order: 81", "How many?"]

    # An expression that does not parse cannot be published.
    broken = json.loads(json.dumps(document))
    broken["blocks"][2]["settings"]["javascript"] = "vars.total >= "
    bot = (await client.post("/api/v1/bots", json={"name": f"b-{uuid.uuid4().hex[:8]}"},
                             headers=owner.headers)).json()
    created = await client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                json={"name": "main", "document": broken}, headers=owner.headers)
    published = await client.post(f"/api/v1/scenarios/{created.json()['id']}/publish",
                                  json={}, headers=owner.headers)
    assert published.status_code == 422
    assert any(e["path"] == "/blocks/2/settings/javascript" and "does not parse" in e["message"]
               for e in published.json()["errors"])


async def test_the_circuit_state_of_each_service_operation_is_in_metrics(
        client, make_actor, api) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    await client.put("/api/v1/secrets/API_TOKEN", json={"value": SECRET}, headers=owner.headers)
    headers = await bot_with_scenario(client, owner, scenario(api.port))
    await start(client, headers, language="en")
    metrics = (await client.get("/metrics")).text
    for operation in ("script", "http"):
        assert f'rozmova_circuit_state{{name="service:modules:{operation}"}} 0.0' in metrics
    assert 'rozmova_bulkhead_in_use{name="service:modules"}' in metrics
