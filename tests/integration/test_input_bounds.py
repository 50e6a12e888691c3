"""Hostile input is a 4xx problem naming the field, never a 500: integers beyond 64 bits in
paths, queries, headers and bodies; deep or huge-number JSON documents; nulls where a value is
required; NaN and Infinity; NUL characters (PostgreSQL refuses them in text and JSON)."""

from __future__ import annotations

import json
import uuid

import pytest
from websockets.asyncio.client import connect

from core.security import Role
from tests.integration.test_chat_api import bot_with, echo_document
from tests.realtime.test_websocket_protocol import Client, open_chat

HUGE = str(10**28)


def assert_problem(response, status: int | tuple[int, ...], field: str) -> None:  # type: ignore[no-untyped-def]
    statuses = (status,) if isinstance(status, int) else status
    assert response.status_code in statuses, (response.status_code, response.text)
    assert response.headers["content-type"] == "application/problem+json", response.headers
    body = response.json()
    named = body["detail"] + " " + " ".join(e.get("path", "") for e in body.get("errors", []))
    assert field in named, body


@pytest.fixture
async def published(client, make_actor):  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot_id, scenario_id, chat_headers = await bot_with(client, owner, echo_document())
    return owner, bot_id, scenario_id, chat_headers


async def test_integers_beyond_64_bits_in_paths_queries_and_headers(client, published) -> None:  # type: ignore[no-untyped-def]
    owner, bot_id, scenario_id, chat_headers = published
    h = owner.headers
    assert_problem(await client.get(f"/api/v1/bots?offset={HUGE}", headers=h), 422, "offset")
    assert_problem(await client.get(f"/api/v1/bots/{bot_id}/scenarios?offset={HUGE}",
                                    headers=h), 422, "offset")
    assert_problem(await client.get(f"/api/v1/scenarios/{scenario_id}/versions?offset={HUGE}",
                                    headers=h), 422, "offset")
    assert_problem(await client.get(f"/api/v1/scenarios/{scenario_id}/versions/{HUGE}",
                                    headers=h), 422, "number")
    assert_problem(await client.post(f"/api/v1/scenarios/{scenario_id}/versions/{HUGE}/rollback",
                                     headers=h), 422, "number")
    assert_problem(await client.get(f"/api/v1/scenarios/{scenario_id}/diff?from={HUGE}",
                                    headers=h), 422, "from")
    assert_problem(await client.get(f"/api/v1/scenarios/{scenario_id}/diff?from=1&to={HUGE}",
                                    headers=h), 422, "to")
    assert_problem(await client.get(f"/api/v1/scenarios/{scenario_id}/export?version={HUGE}",
                                    headers=h), 422, "version")
    draft = (await client.get(f"/api/v1/scenarios/{scenario_id}", headers=h)).json()["document"]
    assert_problem(await client.put(f"/api/v1/scenarios/{scenario_id}/draft", json=draft,
                                    headers={**h, "If-Match": f'"{HUGE}"'}), 422, "If-Match")
    assert_problem(await client.post(f"/api/v1/scenarios/{scenario_id}/publish",
                                     json={"revision": int(HUGE)}, headers=h), 422, "revision")
    conversation = (await client.post("/api/v1/conversations", json={},
                                      headers=chat_headers)).json()["conversation_id"]
    assert_problem(await client.get(
        f"/api/v1/conversations/{conversation}/messages?after_seq={HUGE}",
        headers=chat_headers), 422, "after_seq")
    # in range still works
    ok = await client.get(f"/api/v1/conversations/{conversation}/messages?after_seq=0",
                          headers=chat_headers)
    assert ok.status_code == 200


def _deep(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


async def test_deep_and_huge_number_scenario_documents(client, published) -> None:  # type: ignore[no-untyped-def]
    owner, bot_id, scenario_id, _ = published
    h = {**owner.headers, "Content-Type": "application/json"}
    deep_document = '{"name": "deep", "document": ' + _deep(5000) + "}"
    big_number = '{"name": "big", "document": {"schema_version": ' + "9" * 5000 + "}}"
    for raw, field in [(deep_document, "nest"), (big_number, "digits")]:
        assert_problem(await client.post(f"/api/v1/bots/{bot_id}/scenarios", content=raw,
                                         headers=h), (400, 422), field)
        imported = raw.replace('"name"', '"format": "rozmova.scenario", "name"', 1)
        assert_problem(await client.post(f"/api/v1/bots/{bot_id}/scenarios/import",
                                         content=imported, headers=h), (400, 422), field)
        assert_problem(await client.post(f"/api/v1/scenarios/{scenario_id}/validate",
                                         content=raw, headers=h), (400, 422), field)
        assert_problem(await client.put(f"/api/v1/scenarios/{scenario_id}/draft", content=raw,
                                        headers={**h, "If-Match": '"1"'}), (400, 422), field)
    # A regular REST body too (FastAPI's own parsing).
    assert_problem(await client.post("/api/v1/bots", content=_deep(5000), headers=h),
                   (400, 422), "nest")


@pytest.mark.parametrize(("body", "field"), [
    ({"settings": None}, "settings"),
    ({"languages": None}, "languages"),
    ({"name": None}, "name"),
    ({"default_language": None}, "default_language"),
])
async def test_null_where_a_bot_needs_a_value(client, published, body, field) -> None:  # type: ignore[no-untyped-def]
    owner, bot_id, _, _ = published
    assert_problem(await client.patch(f"/api/v1/bots/{bot_id}", json=body,
                                      headers=owner.headers), 422, field)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
async def test_nan_and_infinity_are_refused(client, published, constant) -> None:  # type: ignore[no-untyped-def]
    owner, bot_id, scenario_id, chat_headers = published
    h = {**chat_headers, "Content-Type": "application/json"}
    start = await client.post("/api/v1/conversations",
                              content='{"variables": {"said": %s}}' % constant, headers=h)
    assert_problem(start, 422, "variables")
    conversation = (await client.post("/api/v1/conversations", json={},
                                      headers=chat_headers)).json()["conversation_id"]
    sent = await client.post(f"/api/v1/conversations/{conversation}/messages", headers=h,
                             content='{"payload": {"x": [%s]}, "client_message_id": "n"}'
                             % constant)
    assert_problem(sent, 422, "payload")
    document = json.dumps(echo_document()).replace('"type": "string"}',
                                                   '"type": "number", "default": %s}' % constant)
    created = await client.post(f"/api/v1/bots/{bot_id}/scenarios",
                                content='{"name": "n", "document": %s}' % document,
                                headers={**owner.headers, "Content-Type": "application/json"})
    assert_problem(created, (400, 422), constant)


@pytest.mark.parametrize("where", ["bot name", "scenario name", "end_user_id", "variable",
                                   "text", "client_message_id", "operator",
                                   "organization name", "api key name", "operator name"])
async def test_nul_characters_are_refused(client, published, where) -> None:  # type: ignore[no-untyped-def]
    owner, bot_id, scenario_id, chat_headers = published
    nul = "a\x00b"
    if where == "bot name":
        response = await client.post("/api/v1/bots", json={"name": nul}, headers=owner.headers)
        field = "name"
    elif where == "scenario name":
        response = await client.post(f"/api/v1/bots/{bot_id}/scenarios", json={"name": nul},
                                     headers=owner.headers)
        field = "name"
    elif where == "organization name":
        response = await client.post("/api/v1/organizations", json={"name": nul},
                                     headers=owner.headers)
        field = "name"
    elif where == "api key name":
        response = await client.post("/api/v1/api-keys", json={"name": nul},
                                     headers=owner.headers)
        field = "name"
    elif where == "end_user_id":
        response = await client.post("/api/v1/conversations", json={"end_user_id": nul},
                                     headers=chat_headers)
        field = "end_user_id"
    elif where == "variable":
        response = await client.post("/api/v1/conversations", json={"variables": {"said": nul}},
                                     headers=chat_headers)
        field = "variables"
    else:
        conversation = (await client.post("/api/v1/conversations", json={},
                                          headers=chat_headers)).json()["conversation_id"]
        if where in ("operator", "operator name"):
            body = {"text": nul} if where == "operator" else {"text": "hi", "author_name": nul}
            response = await client.post(
                f"/api/v1/conversations/{conversation}/operator/messages",
                json=body, headers=owner.headers)
            field = "text" if where == "operator" else "author_name"
        else:
            body = {"text": "hi", "client_message_id": "c1"}
            body[where] = nul
            response = await client.post(f"/api/v1/conversations/{conversation}/messages",
                                         json=body, headers=chat_headers)
            field = where
    assert_problem(response, 422, field)


@pytest.fixture
async def ws_server(settings, runtime):  # type: ignore[no-untyped-def]
    import asyncio

    from tests.conftest import serve

    srv, task, port = await serve(settings, runtime)
    yield port
    srv.should_exit = True
    await asyncio.wait_for(task, 30)


@pytest.mark.parametrize("last_seq", ["Infinity", "NaN", str(10**30), "-1e400", "9" * 5000])
async def test_websocket_resume_with_a_hostile_last_seq(ws_server, client, published,
                                                        last_seq) -> None:  # type: ignore[no-untyped-def]
    _, _, _, chat_headers = published
    key = chat_headers["X-Chat-Key"]
    first, frames = await open_chat(ws_server, key, language="en")
    token = frames[0]["resume_token"]
    await first.ws.close()
    ws = await connect(f"ws://127.0.0.1:{ws_server}/ws/v1/chat?key={key}")
    chat = Client(ws)
    await ws.send('{"type": "hello", "v": 1, "resume": {"token": %s, "last_seq": %s}}'
                  % (json.dumps(token), last_seq))
    frame = await chat.recv()
    assert frame["type"] == "error" and frame["code"] in ("bad_frame", "bad_json"), frame
    assert "last_seq" in frame["message"] or "digits" in frame["message"], frame
    # the connection stays and a good hello still works
    await chat.send(type="hello", v=1, resume={"token": token, "last_seq": 0})
    got = await chat.until("input")
    assert got[0]["type"] == "welcome" and got[0]["resumed"] is True
    await ws.close()


@pytest.mark.parametrize(("raw", "needle"), [
    ('{"type": "message", "payload": {"x": NaN}, "client_message_id": "n1"}', "payload"),
    ('{"type": "message", "payload": Infinity, "client_message_id": "n2"}', "payload"),
    ('{"type": "message", "text": "a\\u0000b", "client_message_id": "n3"}', "text"),
    ('{"type": "message", "text": "hi", "client_message_id": "a\\u0000"}', "client_message_id"),
    ('{"type": "message", "payload": ' + "[" * 5000 + "]" * 5000 + "}", "nested"),
    ('{"type": "message", "payload": ' + "9" * 5000 + ', "client_message_id": "n4"}', "digits"),
])
async def test_websocket_message_with_nan_or_nul(ws_server, published, raw, needle) -> None:  # type: ignore[no-untyped-def]
    _, _, _, chat_headers = published
    chat, _ = await open_chat(ws_server, chat_headers["X-Chat-Key"], language="en")
    await chat.ws.send(raw)
    frame = await chat.recv()
    assert frame["type"] == "error" and frame["code"] in ("bad_frame", "bad_json"), frame
    assert needle in frame["message"], frame
    await chat.send(type="ping")
    assert (await chat.recv())["type"] == "pong"
    await chat.ws.close()


async def test_websocket_hello_with_nul_end_user_id(ws_server, published) -> None:  # type: ignore[no-untyped-def]
    _, _, _, chat_headers = published
    ws = await connect(f"ws://127.0.0.1:{ws_server}/ws/v1/chat?key={chat_headers['X-Chat-Key']}")
    chat = Client(ws)
    await ws.send('{"type": "hello", "v": 1, "end_user_id": "a\\u0000b"}')
    frame = await chat.recv()
    assert frame["type"] == "error" and frame["code"] == "bad_frame", frame
    assert "end_user_id" in frame["message"], frame
    await chat.send(type="hello", v=1, end_user_id=f"u-{uuid.uuid4().hex[:6]}")
    assert (await chat.until("input"))[0]["type"] == "welcome"
    await ws.close()


async def test_a_nul_the_schemas_let_through_is_still_a_422(client, make_actor, settings) -> None:  # type: ignore[no-untyped-def]
    """The database's own refusal (PostgreSQL: NUL in text) is the caller's input error, for
    fields whose schema does not refuse NUL yet (here an organization's name)."""
    if settings.is_sqlite:
        pytest.skip("SQLite stores NUL characters; only PostgreSQL refuses them")
    owner = await make_actor(Role.owner)
    response = await client.post("/api/v1/organizations", json={"name": "a\x00b"},
                                  headers=owner.headers)
    assert_problem(response, 422, "NUL")
