"""Global intents: a message that means one of them interrupts wherever the person is (a
question half answered, an intent block's own routing), runs its path and comes back to the
question, like /help. End to end through the REST chat API, in both languages."""

from __future__ import annotations

import copy
from typing import Any

from core.security import Role
from tests.integration.test_chat_api import start
from tests.integration.test_service_blocks import bot_with_scenario
from tests.nlu.test_intent_block import INTENTS, named_routing

HOURS = {"name": "opening_hours", "examples": {
    "uk": ["коли ви працюєте", "який у вас графік роботи", "до котрої ви відкриті",
           "години роботи", "чи працюєте ви у неділю"],
    "en": ["when are you open", "what are your opening hours", "until what time are you open",
           "working hours", "are you open on sunday"]}}


def document() -> dict[str, Any]:
    doc = copy.deepcopy(named_routing())
    doc["nlu"]["intents"] = [*copy.deepcopy(INTENTS), HOURS]
    doc["entry"]["intents"] = {"opening_hours": "hours"}
    doc["blocks"] = [
        {"id": "name", "type": "input", "settings": {
            "kind": "text", "variable": "who",
            "prompt": {"uk": "Як вас звати?", "en": "What is your name?"}}},
        {"id": "hi", "type": "message", "settings": {"text": {
            "uk": "Вітаю, {{who}}!", "en": "Hello, {{who}}!"}}},
        {"id": "hours", "type": "message", "settings": {"text": {
            "uk": "Ми працюємо з 9 до 18 ({{last_input}}).",
            "en": "We are open 9 to 6 ({{last_input}})."}}},
        *doc["blocks"]]
    doc["variables"].append({"name": "who", "type": "string"})
    doc["entry"]["start"] = "name"
    doc["edges"].append({"source": "name", "target": "hi"})
    doc["edges"].append({"source": "hi", "target": "ask"})
    return doc


async def test_a_global_intent_interrupts_and_returns(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, document())
    first, chat = await start(client, headers, language="uk")
    assert [m["text"] for m in first["messages"]] == ["Як вас звати?"]
    reply = await chat.send(text="а коли ви взагалі працюєте?")
    assert [m["text"] for m in reply["messages"]] == [
        "Ми працюємо з 9 до 18 (а коли ви взагалі працюєте?).", "Як вас звати?"]
    assert reply["input"]["block_id"] == "name"
    # An answer that means nothing global is the answer.
    reply = await chat.send(text="Оля")
    assert [m["text"] for m in reply["messages"]][:2] == ["Вітаю, Оля!", "Чим допомогти?"]
    # At the intent block's question, the local intents still route; the global one wins
    # where it is meant.
    reply = await chat.send(text="де моє замовлення")
    assert reply["messages"][0]["text"] == "Перевіряю замовлення."
    reply = await chat.send(text="чи працюєте ви в неділю?")
    assert reply["messages"][0]["text"].startswith("Ми працюємо з 9 до 18")
    assert reply["messages"][-1]["text"] == "Чим допомогти?"
    # Typed as a command, it works too.
    reply = await chat.send(text="/opening_hours")
    assert reply["messages"][0]["text"].startswith("Ми працюємо з 9 до 18")


async def test_global_intents_in_english(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, document())
    _, chat = await start(client, headers, language="en")
    reply = await chat.send(text="what time do you open on sunday?")
    assert [m["text"] for m in reply["messages"]][-1] == "What is your name?"
    assert reply["messages"][0]["text"].startswith("We are open 9 to 6")
    reply = await chat.send(text="Taylor")
    assert reply["messages"][0]["text"] == "Hello, Taylor!"


async def test_global_intents_are_validated(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = (await client.post("/api/v1/bots", json={"name": "global-check"},
                             headers=owner.headers)).json()
    doc = document()
    doc["entry"]["intents"] = {"refund": "hours", "opening_hours": "nowhere"}
    doc["entry"]["commands"] = {"opening_hours": "hours"}
    created = await client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                json={"name": "main", "document": doc}, headers=owner.headers)
    checked = (await client.post(f"/api/v1/scenarios/{created.json()['id']}/validate",
                                 headers=owner.headers)).json()
    by_code = {e["code"]: e for e in checked["errors"]}
    assert "'refund' is not one of the bot's intents" in by_code["entry.unknown_intent"]["message"]
    assert by_code["entry.unknown_intent"]["path"] == "/entry/intents/refund"
    assert "both a command and a global intent" in by_code["entry.intent_is_command"]["message"]
    assert "'nowhere'" in by_code["entry.unknown_block"]["message"]
