"""Who may do what in conversations: every chat endpoint against every role (the matrix in
docs/security.md), with tokens and API keys, and what the person sees of an operator."""

from __future__ import annotations

import json

import pytest

from core.security import Role
from tests.integration.test_chat_api import HANDOFF, bot_with

SPEAKERS = {Role.operator, Role.editor, Role.admin, Role.owner}
# endpoint -> the roles allowed; every other role gets 403.
MATRIX = {
    "start": SPEAKERS,
    "send": SPEAKERS,
    "history": set(Role),
    "list": set(Role),
    "trace": set(Role),
    "operator_message": SPEAKERS,
    "handback": SPEAKERS,
    "chat_key_read": set(Role),
    "chat_key_rotate": {Role.editor, Role.admin, Role.owner},
}


@pytest.fixture
async def handed_off(client, make_actor):  # type: ignore[no-untyped-def]
    """A bot whose conversations go straight to an operator; (owner, bot id, chat headers)."""
    owner = await make_actor(Role.owner)
    bot_id, _, chat_headers = await bot_with(client, owner, HANDOFF)
    return owner, bot_id, chat_headers


async def _conversation(client, chat_headers) -> str:  # type: ignore[no-untyped-def]
    started = await client.post("/api/v1/conversations", json={"language": "en"},
                                headers=chat_headers)
    assert started.status_code == 201, started.text
    return started.json()["conversation_id"]


async def _call(client, name: str, headers, bot_id: str, conversation_id: str):  # type: ignore[no-untyped-def]
    api = "/api/v1"
    if name == "start":
        return await client.post(f"{api}/bots/{bot_id}/conversations", json={"language": "en"},
                                 headers=headers)
    if name == "send":
        return await client.post(f"{api}/conversations/{conversation_id}/messages",
                                 json={"text": "hello", "client_message_id": "r1"},
                                 headers=headers)
    if name == "history":
        return await client.get(f"{api}/conversations/{conversation_id}/messages", headers=headers)
    if name == "list":
        return await client.get(f"{api}/bots/{bot_id}/conversations", headers=headers)
    if name == "trace":
        return await client.get(f"{api}/conversations/{conversation_id}/trace", headers=headers)
    if name == "operator_message":
        return await client.post(f"{api}/conversations/{conversation_id}/operator/messages",
                                 json={"text": "Hi, Olena here", "author_name": "Olena"},
                                 headers=headers)
    if name == "handback":
        return await client.post(f"{api}/conversations/{conversation_id}/handback",
                                 headers=headers)
    if name == "chat_key_read":
        return await client.get(f"{api}/bots/{bot_id}/chat-key", headers=headers)
    if name == "chat_key_rotate":
        return await client.post(f"{api}/bots/{bot_id}/chat-key/rotate", headers=headers)
    raise AssertionError(name)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_every_chat_endpoint_against_every_role(client, make_actor, handed_off, role) -> None:  # type: ignore[no-untyped-def]
    owner, bot_id, chat_headers = handed_off
    actor = await make_actor(role, org_id=owner.org_id)
    for name, allowed in MATRIX.items():
        conversation_id = await _conversation(client, chat_headers)
        response = await _call(client, name, actor.headers, bot_id, conversation_id)
        if role in allowed:
            assert response.status_code < 300, f"{role.value} {name}: {response.text}"
        else:
            assert response.status_code == 403, f"{role.value} {name}: {response.text}"
            problem = response.json()
            assert problem["code"] == "forbidden" and role.value in problem["detail"]


async def test_a_viewer_api_key_cannot_speak_in_conversations(client, make_actor, handed_off) -> None:  # type: ignore[no-untyped-def]
    owner, bot_id, chat_headers = handed_off
    created = await client.post("/api/v1/api-keys", json={"name": "dashboard", "role": "viewer"},
                                headers=owner.headers)
    assert created.status_code == 201, created.text
    key_headers = {"X-API-Key": created.json()["key"]}
    conversation_id = await _conversation(client, chat_headers)
    for name in ("send", "start", "operator_message", "handback"):
        response = await _call(client, name, key_headers, bot_id, conversation_id)
        assert response.status_code == 403, f"{name}: {response.text}"
    assert (await _call(client, "history", key_headers, bot_id, conversation_id)).status_code == 200


async def test_the_person_sees_the_operators_name_never_the_account(client, make_actor, handed_off) -> None:  # type: ignore[no-untyped-def]
    owner, bot_id, chat_headers = handed_off
    operator = await make_actor(Role.operator, org_id=owner.org_id)
    conversation_id = await _conversation(client, chat_headers)
    said = await _call(client, "operator_message", operator.headers, bot_id, conversation_id)
    assert said.status_code == 201, said.text
    as_person = (await client.get(f"/api/v1/conversations/{conversation_id}/messages",
                                  headers=chat_headers)).json()["items"]
    message = next(i for i in as_person if i["direction"] == "operator")
    assert message["body"] == {"type": "text", "text": "Hi, Olena here", "author": "Olena"}
    raw = json.dumps(as_person)
    assert str(operator.user_id) not in raw and operator.email not in raw
    # The organization keeps who it was, for its audit.
    as_org = (await client.get(f"/api/v1/conversations/{conversation_id}/messages",
                               headers=owner.headers)).json()["items"]
    audit = next(i for i in as_org if i["direction"] == "operator")
    assert audit["body"]["actor"] == f"user:{operator.user_id}"
