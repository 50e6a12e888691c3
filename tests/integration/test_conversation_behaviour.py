"""What the chat service adds around the engine's authoring features: commands during a
handoff (the bot's `commands_in_handoff`), a language switched by the scenario kept with the
conversation, timeouts in seconds, and the `no_input` event armed from an input's own answer
time and fired by the sweeper."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from core.security import Role
from tests.integration.test_chat_api import bot_with, start, texts

HANDOFF_WITH_COMMAND = {
    "schema_version": 2,
    "entry": {"start": "human", "commands": {"hours": "hours"}},
    "blocks": [
        {"id": "human", "type": "handoff", "settings": {
            "message": {"uk": "Кличу людину", "en": "Calling a human"}}},
        {"id": "hours", "type": "message", "settings": {
            "text": {"uk": "Ми працюємо з 9 до 18", "en": "We work 9 to 6"}}},
        {"id": "bye", "type": "end", "settings": {"message": {"uk": "Знову я", "en": "Bot again"}}},
    ],
    "edges": [{"source": "human", "target": "bye"}],
}


async def history(client, chat_id: str, headers: dict) -> list[dict]:  # type: ignore[no-untyped-def]
    response = await client.get(f"/api/v1/conversations/{chat_id}/messages", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_during_a_handoff_help_answers_and_scenario_commands_reach_the_operator(
        client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    _, _, headers = await bot_with(client, owner, HANDOFF_WITH_COMMAND)
    first, chat = await start(client, headers, language="en")
    assert first["status"] == "handoff"
    helped = await chat.send(text="/help")
    assert texts(helped)[0].startswith("Available commands:") and helped["status"] == "handoff"
    forwarded = await chat.send(text="/hours")
    assert forwarded["messages"] == [] and forwarded["status"] == "handoff"
    stored = await history(client, chat.id, headers)
    assert stored[-1]["direction"] == "in" and stored[-1]["body"]["command"] == "hours"
    back = await client.post(f"/api/v1/conversations/{chat.id}/handback", headers=owner.headers)
    assert back.status_code == 200 and texts(back.json()) == ["Bot again"]


async def test_the_bot_can_let_scenario_commands_run_during_a_handoff(
        client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot_id, _, headers = await bot_with(client, owner, HANDOFF_WITH_COMMAND)
    patched = await client.patch(f"/api/v1/bots/{bot_id}", headers=owner.headers,
                                 json={"settings": {"commands_in_handoff": True}})
    assert patched.status_code == 200, patched.text
    _, chat = await start(client, headers, language="uk")
    answered = await chat.send(text="/hours")
    # The command answers and the operator keeps the conversation: no second handoff notice.
    assert texts(answered) == ["Ми працюємо з 9 до 18"] and answered["status"] == "handoff"
    assert [m["type"] for m in answered["messages"]] == ["text"]
    typed = await chat.send(text="/nonsense")  # not a command of the scenario: for the operator
    assert typed["messages"] == [] and typed["status"] == "handoff"
    assert (await history(client, chat.id, headers))[-1]["body"]["command"] == "nonsense"
    back = await client.post(f"/api/v1/conversations/{chat.id}/handback", headers=owner.headers)
    assert texts(back.json()) == ["Знову я"]


LANGUAGE_CHOICE = {
    "schema_version": 2,
    "entry": {"start": "choose"},
    "variables": [{"name": "lang", "type": "string"}, {"name": "qty", "type": "number"}],
    "blocks": [
        {"id": "choose", "type": "message", "settings": {
            "text": {"uk": "Оберіть мову", "en": "Choose a language"},
            "buttons": [{"id": "uk", "label": {"uk": "Українська"}},
                        {"id": "en", "label": {"uk": "English"}}],
            "store_choice_in": "lang"}},
        {"id": "switch", "type": "set_language", "settings": {"variable": "lang"}},
        {"id": "qty", "type": "input", "settings": {
            "kind": "number", "variable": "qty", "min": 1, "max": 5,
            "prompt": {"uk": "Скільки піц?", "en": "How many pizzas?"}}},
        {"id": "done", "type": "end", "settings": {
            "message": {"uk": "Піц: {{ qty }}", "en": "Pizzas: {{ qty }}"}}},
    ],
    "edges": [{"source": "choose", "port": "uk", "target": "switch"},
              {"source": "choose", "port": "en", "target": "switch"},
              {"source": "switch", "target": "qty"}, {"source": "qty", "target": "done"}],
}


async def test_a_language_switched_by_the_scenario_is_kept_with_the_conversation(
        client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    from chat.conversations.models import Conversation

    owner = await make_actor(Role.owner)
    bot_id, _, headers = await bot_with(client, owner, LANGUAGE_CHOICE)
    first, chat = await start(client, headers, language="uk")
    assert texts(first) == ["Оберіть мову"]
    asked = await chat.send(choice_id="en")
    assert texts(asked) == ["How many pizzas?"]
    reprompted = await chat.send(text="9")
    assert texts(reprompted) == ["Please enter a number from 1 to 5.", "How many pizzas?"]
    async with runtime.sessionmaker() as session:
        stored = await session.scalar(select(Conversation.language)
                                      .where(Conversation.id == uuid.UUID(chat.id)))
    assert stored == "en"
    listed = await client.get(f"/api/v1/bots/{bot_id}/conversations", headers=owner.headers)
    assert [c["language"] for c in listed.json()["items"] if c["id"] == chat.id] == ["en"]
    assert texts(await chat.send(text="/help"))[0].startswith("Available commands:")
    assert texts(await chat.send(text="2")) == ["Pizzas: 2"]


async def test_timeouts_are_set_in_seconds(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = (await client.post("/api/v1/bots", headers=owner.headers, json={
        "name": "quick", "settings": {"conversation_timeout_seconds": 5,
                                      "expiry_seconds": 30}})).json()
    assert bot["settings"]["conversation_timeout_seconds"] == 5
    refused = await client.patch(f"/api/v1/bots/{bot['id']}", headers=owner.headers,
                                 json={"settings": {"conversation_timeout_seconds": 0}})
    assert refused.status_code == 422
    assert "conversation_timeout_seconds" in refused.text


async def test_the_inactivity_timeout_is_armed_in_seconds(client, make_actor,
                                                         runtime) -> None:  # type: ignore[no-untyped-def]
    from chat.conversations.models import Conversation
    from core.db import utcnow
    from tests.integration.test_chat_api import echo_document

    owner = await make_actor(Role.owner)
    bot_id, _, headers = await bot_with(client, owner, echo_document())
    await client.patch(f"/api/v1/bots/{bot_id}", headers=owner.headers,
                       json={"settings": {"conversation_timeout_seconds": 7}})
    before = utcnow()
    _, chat = await start(client, headers, language="en")
    async with runtime.sessionmaker() as session:
        due = await session.scalar(select(Conversation.timeout_at)
                                   .where(Conversation.id == uuid.UUID(chat.id)))
    assert due is not None
    assert timedelta(seconds=6) <= due.replace(tzinfo=None) - before.replace(tzinfo=None) \
        <= timedelta(seconds=9)


NUDGE = {
    "schema_version": 2,
    "entry": {"start": "when", "events": {"no_input": "nudge"}},
    "variables": [{"name": "day", "type": "date"}],
    "blocks": [
        {"id": "when", "type": "input", "settings": {
            "kind": "date", "variable": "day", "timeout_seconds": 1,
            "prompt": {"uk": "Коли?", "en": "When?"}}},
        {"id": "nudge", "type": "message", "settings": {
            "text": {"uk": "Ви ще тут?", "en": "Still there?"}}},
        {"id": "ok", "type": "end", "settings": {"message": {"uk": "Так", "en": "Done"}}},
    ],
    "edges": [{"source": "when", "target": "ok"}],
}


async def test_the_sweeper_sends_no_input_after_an_inputs_own_answer_time(
        live_client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    """Over a real socket with the app's own sweeper: the 1-second answer time passes, the
    handler nudges and the question is asked again, once; the bot's timeout then applies."""
    import asyncio

    from chat.conversations.models import Conversation
    from core.db import utcnow

    owner = await make_actor(Role.owner)
    _, _, headers = await bot_with(live_client, owner, NUDGE)
    first, chat = await start(live_client, headers, language="en")
    assert texts(first) == ["When?"]
    said: list[str | None] = []
    for _ in range(100):  # the sweeper runs every second: allow a few
        await asyncio.sleep(0.1)
        said = [h["body"].get("text") for h in await history(live_client, chat.id, headers)]
        if "Still there?" in said:
            break
    assert said == ["When?", "Still there?", "When?"]
    async with runtime.sessionmaker() as session:
        due = await session.scalar(select(Conversation.timeout_at)
                                   .where(Conversation.id == uuid.UUID(chat.id)))
    # Not armed a second time for the same wait: the bot's 30-minute timeout is.
    assert due is not None and due.replace(tzinfo=None) - utcnow().replace(tzinfo=None) \
        > timedelta(minutes=29)
    assert texts(await chat.send(text="2025-03-20")) == ["Done"]


async def test_a_conversation_that_cannot_go_on_offers_a_start_again_button_over_rest(
        client, make_actor) -> None:  # type: ignore[no-untyped-def]
    document = {
        "schema_version": 2, "entry": {"start": "calc"},
        "variables": [{"name": "n", "type": "number"}, {"name": "zero", "type": "number",
                                                        "default": 0}],
        "blocks": [
            {"id": "calc", "type": "set_variable", "settings": {"variable": "n",
                                                                "expression": "1 / zero"}},
            {"id": "hi", "type": "end", "settings": {"message": {"uk": "Привіт", "en": "Hi"}}},
        ],
        "edges": [{"source": "calc", "target": "hi"}],
    }
    owner = await make_actor(Role.owner)
    _, _, headers = await bot_with(client, owner, document)
    first, chat = await start(client, headers, language="en")
    assert first["input"]["kind"] == "buttons"
    assert [c["id"] for c in first["input"]["choices"]] == ["/start"]
    offer = await chat.send(text="hello?")  # never silence
    assert texts(offer)[0].startswith("Sorry, I cannot go on")
    assert [b["id"] for b in offer["messages"][0]["buttons"]] == ["/start"]
    again = await chat.send(choice_id="/start")  # begins again (and fails the same way)
    assert texts(again) == ["Sorry, something went wrong on our side. Please try again."]
    assert again["status"] == "active" and not again["ended"]


SCOPES = {
    "schema_version": 2, "entry": {"start": "show"},
    "variables": [{"name": "shared", "type": "string", "scope": "bot", "default": "orig"},
                  {"name": "vip", "type": "boolean", "scope": "user", "default": False},
                  {"name": "price", "type": "number", "default": 100}],
    "blocks": [{"id": "show", "type": "end", "settings": {"message": {
        "uk": "{{ shared }} {{ vip }} {{ price }}", "en": "{{ shared }} {{ vip }} {{ price }}"}}}],
    "edges": [],
}


async def test_the_chat_key_prefills_only_the_conversations_own_variables(
        client, make_actor) -> None:  # type: ignore[no-untyped-def]
    """Anyone with a bot's public chat key may start conversations: they must not reach the
    variables every conversation of the bot shares, nor another person's."""
    owner = await make_actor(Role.owner)
    _, _, headers = await bot_with(client, owner, SCOPES)
    for variables, named in (({"shared": "HACKED"}, "'bot'"), ({"vip": True}, "'user'"),
                             ({"nosuch": 1}, "not declared"), ({"user_id": "admin"},
                                                                "not declared"),
                             ({"price": "free"}, "not a number")):
        refused = await client.post("/api/v1/conversations", headers=headers, json={
            "language": "en", "end_user_id": "victim", "variables": variables})
        assert refused.status_code == 422, refused.text
        assert named in refused.json()["detail"]
    huge = await client.post("/api/v1/conversations", headers=headers, json={
        "language": "en", "variables": {"price": 1, "blob": "x" * 20_000}})
    assert huge.status_code == 422 and "bytes as JSON" in huge.text
    fine, _ = await start(client, headers, language="en", end_user_id="someone",
                          variables={"price": 0})
    assert texts(fine) == ["orig false 0"]
    other, _ = await start(client, headers, language="en", end_user_id="victim")
    assert texts(other) == ["orig false 100"]  # nothing of the refused attempts was kept
