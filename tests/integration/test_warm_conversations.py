"""Conversations an instance remembers between turns (chat.conversations.warm): the next turn
on the same instance skips the read, and nothing it skips may change an answer. Two apps on
one database (and one Redis, when configured) stand for two instances."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from core.security import Role
from tests.integration.test_chat_api import Chat, start, texts
from tests.integration.test_service_blocks import bot_with_scenario

# Each message: `?` shows the person's name (a user-scope variable, shared by their
# conversations); anything else becomes the name. Then the next question.
NAMES = {
    "schema_version": 2, "entry": {"start": "ask"},
    "variables": [{"name": "name", "type": "string", "scope": "user", "default": "nobody"},
                  {"name": "word", "type": "string"}],
    "blocks": [
        {"id": "ask", "type": "input", "settings": {
            "kind": "text", "variable": "word", "prompt": {"en": "Say", "uk": "Скажіть"}}},
        {"id": "asks", "type": "condition", "settings": {"mode": "all", "when": [
            {"left": {"var": "word"}, "op": "equals", "right": {"value": "?"}}]}},
        {"id": "rename", "type": "set_variable", "settings": {"variable": "name",
                                                              "expression": "word"}},
        {"id": "show", "type": "message", "settings": {
            "text": {"en": "Name: {{name}}", "uk": "Ім'я: {{name}}"}}},
        {"id": "again", "type": "jump", "settings": {"block": "ask"}},
    ],
    "edges": [
        {"source": "ask", "port": "next", "target": "asks"},
        {"source": "asks", "port": "true", "target": "show"},
        {"source": "asks", "port": "false", "target": "rename"},
        {"source": "rename", "port": "next", "target": "show"},
        {"source": "show", "port": "next", "target": "again"},
    ],
}

# The same loop with conversation-scope variables only: nothing to read afresh.
COUNTER = {
    "schema_version": 2, "entry": {"start": "ask"},
    "variables": [{"name": "n", "type": "number", "default": 0},
                  {"name": "word", "type": "string"}],
    "blocks": [
        {"id": "ask", "type": "input", "settings": {
            "kind": "text", "variable": "word", "prompt": {"en": "Say", "uk": "Скажіть"}}},
        {"id": "count", "type": "set_variable", "settings": {"variable": "n",
                                                             "expression": "n + 1"}},
        {"id": "show", "type": "message", "settings": {
            "text": {"en": "{{word}} #{{n}}", "uk": "{{word}} #{{n}}"}}},
        {"id": "again", "type": "jump", "settings": {"block": "ask"}},
    ],
    "edges": [
        {"source": "ask", "port": "next", "target": "count"},
        {"source": "count", "port": "next", "target": "show"},
        {"source": "show", "port": "next", "target": "again"},
    ],
}


def service(app: Any) -> Any:
    from chat.dependencies import conversation_service

    return conversation_service(app)


@pytest.fixture
async def other(settings, runtime):  # type: ignore[no-untyped-def]
    """A second instance: another app on the same runtime (database, locks, Redis)."""
    from gateway.app import create_app

    app = create_app(settings, runtime=runtime)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield app, client


async def history(client, chat: Chat) -> list[dict]:  # type: ignore[no-untyped-def]
    return (await client.get(f"/api/v1/conversations/{chat.id}/messages",
                             headers=chat.headers)).json()["items"]


async def test_a_second_turn_on_the_same_instance_reads_nothing_back(
        client, app, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, COUNTER)
    _, chat = await start(client, headers, language="en")
    warm = service(app).warm
    assert texts(await chat.send(text="a")) == ["a #1", "Say"]  # read once
    hits = warm.hits
    for n, word in enumerate("bcdef", start=2):
        assert texts(await chat.send(text=word)) == [f"{word} #{n}", "Say"]
    assert warm.hits == hits + 5
    items = await history(client, chat)
    assert [i["seq"] for i in items] == list(range(1, len(items) + 1))


async def test_turns_alternating_between_instances_stay_in_order(
        client, app, other, make_actor) -> None:  # type: ignore[no-untyped-def]
    """Each instance remembers the conversation as it last wrote it; after a turn elsewhere
    its memory is stale, and the lock's stamp says so."""
    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, COUNTER)
    _, chat = await start(client, headers, language="en")
    elsewhere = Chat(other[1], headers, chat.id)
    for n in range(1, 9):
        side, name = (chat, "here") if n % 3 else (elsewhere, "there")
        side.n = n - 1  # client_message_ids stay unique across both
        assert texts(await side.send(text=name)) == [f"{name} #{n}", "Say"]
    items = await history(client, chat)
    assert [i["seq"] for i in items] == list(range(1, len(items) + 1))
    assert len(items) == 1 + 8 * 3  # the question, then per turn: in, answer, question
    # The stamp told each instance its memory was stale: nothing had to be run again.
    assert service(app).warm.stale == 0 and service(other[0]).warm.stale == 0
    assert service(app).warm.hits >= 3


async def test_a_resent_message_is_replayed_not_run_again(client, app, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, COUNTER)
    _, chat = await start(client, headers, language="en")
    await chat.send(text="a", client_message_id="m1")
    await chat.send(text="b", client_message_id="m2")
    again = await chat.send(text="a", client_message_id="m1")
    assert again["duplicate"] is True and texts(again) == ["a #1", "Say"]
    assert texts(await chat.send(text="c", client_message_id="m3")) == ["c #3", "Say"]


async def test_an_id_from_before_the_instance_remembered_is_replayed(
        client, app, other, make_actor) -> None:  # type: ignore[no-untyped-def]
    """m1 was answered elsewhere; this instance reads the conversation (with its recent
    ids) for m2, remembers it, and a resent m1 is recognised without running the turn."""
    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, COUNTER)
    _, chat = await start(client, headers, language="en")
    await Chat(other[1], headers, chat.id).send(text="a", client_message_id="m1")
    await chat.send(text="b", client_message_id="m2")
    again = await chat.send(text="a", client_message_id="m1")
    assert again["duplicate"] is True and texts(again) == ["a #1", "Say"]
    assert texts(await chat.send(text="c", client_message_id="m3")) == ["c #3", "Say"]


async def test_memory_that_went_stale_unseen_is_caught_when_writing(
        client, app, make_actor) -> None:  # type: ignore[no-untyped-def]
    """A remembered conversation whose stamp still matches but which is behind what is
    stored (a turn elsewhere whose release never reached Redis): the write collides with the
    stored turn, and the turn runs again from what is stored."""
    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, COUNTER)
    _, chat = await start(client, headers, language="en")
    await chat.send(text="a")
    await chat.send(text="b")
    entry = service(app).warm._entries[uuid.UUID(chat.id)]
    stale = entry.snapshot
    stale.message_seq -= 3
    stale.turn_seq -= 1
    entry.state = entry.state.model_copy(update={"variables": {**entry.state.variables, "n": 1}})
    assert texts(await chat.send(text="c")) == ["c #3", "Say"]
    assert service(app).warm.stale == 1
    items = await history(client, chat)
    assert [i["seq"] for i in items] == list(range(1, len(items) + 1))


async def test_shared_variables_are_read_afresh(client, app, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, NAMES)
    _, first = await start(client, headers, language="en", end_user_id="u-1")
    _, second = await start(client, headers, language="en", end_user_id="u-1")
    assert texts(await first.send(text="Ann")) == ["Name: Ann", "Say"]
    assert texts(await first.send(text="?")) == ["Name: Ann", "Say"]  # remembered here
    assert texts(await second.send(text="Bob")) == ["Name: Bob", "Say"]
    assert texts(await first.send(text="?")) == ["Name: Bob", "Say"]


async def test_an_operator_message_is_not_hidden_by_memory(client, app, make_actor) -> None:  # type: ignore[no-untyped-def]
    from tests.integration.test_chat_api import HANDOFF

    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, HANDOFF)
    first, chat = await start(client, headers, language="en")
    assert first["status"] == "handoff"
    await chat.send(text="hello?")
    said = await client.post(f"/api/v1/conversations/{chat.id}/operator/messages",
                             json={"text": "Hi, I am here"}, headers=owner.headers)
    assert said.status_code == 201, said.text
    await chat.send(text="thanks")
    items = await history(client, chat)
    assert [i["seq"] for i in items] == list(range(1, len(items) + 1))
    assert [i["direction"] for i in items][-3:] == ["in", "operator", "in"]


async def test_memory_can_be_turned_off(client, app, make_actor) -> None:  # type: ignore[no-untyped-def]
    """`ROZMOVA_WARM_CONVERSATIONS=0`: every turn reads the conversation."""
    from chat.conversations.warm import WarmConversations

    service(app).warm = WarmConversations(0)
    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, COUNTER)
    _, chat = await start(client, headers, language="en")
    for n, word in enumerate("abc", start=1):
        assert texts(await chat.send(text=word)) == [f"{word} #{n}", "Say"]
    assert len(service(app).warm) == 0 and service(app).warm.hits == 0


async def test_a_stale_turn_in_a_group_commit_fails_alone(client, app, make_actor) -> None:  # type: ignore[no-untyped-def]
    """Turns of several conversations sent at once share a commit; one of them collides (its
    memory went stale) and is run again, the others are stored once, as answered."""
    import asyncio

    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, COUNTER)
    chats = [(await start(client, headers, language="en"))[1] for _ in range(6)]
    for chat in chats:
        await chat.send(text="a")
    entry = service(app).warm._entries[uuid.UUID(chats[2].id)]
    entry.snapshot.message_seq -= 3
    entry.snapshot.turn_seq -= 1
    answers = await asyncio.gather(*(chat.send(text="b") for chat in chats))
    assert [texts(a) for a in answers] == [["b #2", "Say"]] * 6
    for chat in chats:
        items = await history(client, chat)
        assert [i["seq"] for i in items] == list(range(1, 8))
