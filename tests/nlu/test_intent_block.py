"""The `intent` block end to end through the REST chat API: a bilingual scenario routes free
text by meaning, in Ukrainian and English, to each intent's port or to `fallback`; the
ranking lands in a variable; a published version keeps its intents while the draft changes."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from core.security import Role
from tests.integration.test_chat_api import start
from tests.integration.test_service_blocks import bot_with_scenario

INTENTS = [
    {"name": "change_address", "examples": {
        "uk": ["хочу змінити адресу доставки", "змініть адресу", "нова адреса доставки",
               "я переїхав, оновіть адресу", "доставте на іншу адресу"],
        "en": ["I want to change my delivery address", "change the address",
               "new delivery address", "I moved, update my address",
               "deliver to another address"]}},
    {"name": "order_status", "examples": {
        "uk": ["де моє замовлення", "який статус замовлення", "коли приїде посилка",
               "замовлення досі не прийшло", "відстежити замовлення"],
        "en": ["where is my order", "what is the status of my order",
               "when will my parcel arrive", "my order has not arrived yet",
               "track my order"]}},
    {"name": "cancel", "examples": {
        "uk": ["скасуйте замовлення", "я хочу скасувати замовлення", "не треба, відміна",
               "скасувати покупку", "передумав, скасуйте"],
        "en": ["cancel my order", "I want to cancel the order", "never mind, cancel it",
               "cancel the purchase", "I changed my mind, cancel"]}},
]


def routing(intents: list[dict[str, Any]] = INTENTS) -> dict[str, Any]:
    said = {"change_address": ("Змінимо адресу.", "Let's change the address."),
            "order_status": ("Перевіряю замовлення.", "Checking your order."),
            "cancel": ("Скасовую.", "Cancelling.")}
    blocks: list[dict[str, Any]] = [
        {"id": "ask", "type": "input", "settings": {
            "kind": "text", "variable": "said",
            "prompt": {"uk": "Чим допомогти?", "en": "How can I help?"}}},
        {"id": "route", "type": "intent", "settings": {
            "intents": intents, "store_in": "meaning"}},
        {"id": "fallback", "type": "message", "settings": {"text": {
            "uk": "Не зрозумів ({{meaning.confidence}}).",
            "en": "Sorry, I did not get that ({{meaning.confidence}})."}}},
        {"id": "failed", "type": "message", "settings": {"text": {"uk": "Збій.", "en": "Failed."}}},
    ]
    edges = [{"source": "ask", "port": "next", "target": "route"},
             {"source": "route", "port": "fallback", "target": "fallback"},
             {"source": "route", "port": "error", "target": "failed"},
             {"source": "fallback", "target": "ask"}, {"source": "failed", "target": "ask"}]
    for intent in intents:
        uk, en = said.get(intent["name"], (intent["name"], intent["name"]))
        blocks.append({"id": f"say_{intent['name']}", "type": "message",
                       "settings": {"text": {"uk": uk, "en": en}}})
        edges += [{"source": "route", "port": intent["name"], "target": f"say_{intent['name']}"},
                  {"source": f"say_{intent['name']}", "target": "ask"}]
    return {"schema_version": 2, "entry": {"start": "ask"},
            "variables": [{"name": "said", "type": "string"},
                          {"name": "meaning", "type": "any"}],
            "blocks": blocks, "edges": edges}


@pytest.mark.parametrize(("language", "cases"), [
    ("uk", [("хочу змінити адресу доставки", "Змінимо адресу."),
            ("де зараз моє замовлення?", "Перевіряю замовлення."),
            ("скасуйте, будь ласка", "Скасовую."),
            ("яка сьогодні погода на Марсі", None)]),
    ("en", [("please change my address", "Let's change the address."),
            ("where is my parcel", "Checking your order."),
            ("cancel it please", "Cancelling."),
            ("tell me a joke about penguins", None)]),
])
async def test_free_text_reaches_the_intents_port(client, make_actor, language, cases) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, routing())
    answer, chat = await start(client, headers, language=language)
    assert answer["input"]["block_id"] == "ask"
    for text, expected in cases:
        reply = await chat.send(text=text)
        said = [m["text"] for m in reply["messages"]]
        if expected is None:
            assert said[0].startswith(("Не зрозумів", "Sorry, I did not get that")), said
        else:
            assert said[0] == expected, (text, said)
        assert reply["input"]["block_id"] == "ask"
    trace = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()
    calls = [step["call"] for turn in trace["items"] for step in turn["trace"] if step.get("call")]
    assert calls and {c["service"] for c in calls} == {"nlu"}
    assert all(c["status"] == "ok" for c in calls)
    # Each call says in the trace how its answer came about: "first look: cancel 0.97, ...".
    assert all(c["logs"] and c["logs"][0].startswith("first look: ") for c in calls), calls


async def test_words_and_languages_the_examples_lack_are_understood(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    """The classifier's second look (the sentence encoder) through the REST chat API: other
    words than the examples', and Russian, which the bot has no example of, reach the right
    port; an unrelated message still falls back."""
    await routes_in_ukrainian(client, await make_actor(Role.owner), routing(), [
        ("куди ви відправили мої речі", "Перевіряю замовлення."),
        ("где мой заказ", "Перевіряю замовлення."),
        ("розкажи анекдот про пінгвінів", None)], after_second_look=True)


async def publish_bot(client, owner, document: dict[str, Any]) -> tuple[str, str, dict[str, str]]:  # type: ignore[no-untyped-def]
    bot = (await client.post("/api/v1/bots", json={"name": f"nlu-{uuid.uuid4().hex[:6]}"},
                             headers=owner.headers)).json()
    scenario = (await client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                  json={"name": "main", "document": document},
                                  headers=owner.headers)).json()
    published = await client.post(f"/api/v1/scenarios/{scenario['id']}/publish", json={},
                                  headers=owner.headers)
    assert published.status_code == 201, published.text
    key = (await client.get(f"/api/v1/bots/{bot['id']}/chat-key",
                            headers=owner.headers)).json()["key"]
    return bot["id"], scenario["id"], {"X-Chat-Key": key}


async def routes_in_ukrainian(client, owner, document: dict[str, Any],  # type: ignore[no-untyped-def]
                              cases: list[tuple[str, str | None]], *,
                              after_second_look: bool = False) -> None:
    """Each text, in one Ukrainian conversation, gets its branch's answer (None: the
    fallback's). `after_second_look`: once the model's status says its second look is in
    (the first look serves from the moment it is trained; the second is added behind it)."""
    _, scenario_id, headers = await publish_bot(client, owner, document)
    phases = []
    for _ in range(400 if after_second_look else 0):
        models = (await client.get(f"/api/v1/scenarios/{scenario_id}/versions/1/nlu",
                                   headers=owner.headers)).json()["models"]
        phases.append([(m["status"], m["phase"]) for m in models])
        if models and all(m["status"] == "ready" and m["phase"] == "done" for m in models):
            break
        await asyncio.sleep(0.05)
    else:
        assert not after_second_look, f"the second look was not added: {phases[-3:]}"
    _, chat = await start(client, headers, language="uk")
    for text, expected in cases:
        said = [m["text"] for m in (await chat.send(text=text))["messages"]]
        if expected is None:
            assert said[0].startswith("Не зрозумів"), (text, said)
        else:
            assert said[0] == expected, (text, said)


async def test_the_ranking_is_stored_and_bad_texts_fall_back(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    document = routing()
    document["blocks"].append({"id": "show", "type": "message", "settings": {"text": {
        "uk": "{{meaning.intent}} {{meaning.ranking.0.intent}}",
        "en": "{{meaning.intent}} {{meaning.ranking.0.intent}}"}}})
    for edge in document["edges"]:
        if edge["source"] == "say_cancel":
            edge["target"] = "show"
    document["edges"].append({"source": "show", "target": "ask"})
    headers = await bot_with_scenario(client, owner, document)
    _, chat = await start(client, headers, language="uk")
    reply = await chat.send(text="скасуйте замовлення")
    assert [m["text"] for m in reply["messages"]][:2] == ["Скасовую.", "cancel cancel"]
    # Emoji, another script, a long text: an answer (the fallback), never an error.
    for text in ("🙂🙂🙂", "今日はいい天気ですね", "а" * 4000):
        reply = await chat.send(text=text)
        assert reply["messages"][0]["text"].startswith("Не зрозумів"), text


async def test_intents_are_validated_with_the_scenario(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = (await client.post("/api/v1/bots", json={"name": "nlu-check"},
                             headers=owner.headers)).json()
    bad = routing([])
    route = next(b for b in bad["blocks"] if b["id"] == "route")
    route["settings"]["intents"] = [{"name": "fallback", "examples": {"uk": ["так"]}},
                                    {"name": "Bad Name", "examples": {"uk": ["ні"]}}]
    created = await client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                json={"name": "main", "document": bad}, headers=owner.headers)
    assert created.status_code == 201, created.text
    checked = (await client.post(f"/api/v1/scenarios/{created.json()['id']}/validate",
                                 headers=owner.headers)).json()
    assert checked["valid"] is False
    errors = [e for e in checked["errors"] if e["path"].startswith("/blocks/1/settings/intents")]
    assert errors, checked["errors"]
    assert any("pattern" in e["message"] for e in errors), errors


def named_routing() -> dict[str, Any]:
    """The same bot with its intents in the document's `nlu` section, the block naming them."""
    document = routing()
    document["nlu"] = {"intents": INTENTS}
    route = next(b for b in document["blocks"] if b["id"] == "route")
    route["settings"]["intents"] = [intent["name"] for intent in INTENTS]
    return document


async def test_a_block_routes_by_the_bots_named_intents(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    await routes_in_ukrainian(client, await make_actor(Role.owner), named_routing(), [
        ("хочу змінити адресу доставки", "Змінимо адресу."),
        ("де моє замовлення", "Перевіряю замовлення."),
        ("розкажи анекдот про пінгвінів", None)])


async def test_an_unknown_named_intent_is_a_validation_error(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = (await client.post("/api/v1/bots", json={"name": "nlu-named"},
                             headers=owner.headers)).json()
    document = named_routing()
    document["nlu"]["intents"] = INTENTS[:2]   # "cancel" is named by the block, not defined
    created = await client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                json={"name": "main", "document": document},
                                headers=owner.headers)
    checked = (await client.post(f"/api/v1/scenarios/{created.json()['id']}/validate",
                                 headers=owner.headers)).json()
    assert checked["valid"] is False
    [error] = [e for e in checked["errors"] if e["path"] == "/blocks/1/settings"]
    assert "'cancel' is not one of the bot's intents" in error["message"]
    assert "change_address, order_status" in error["message"]
    # Two intents of the section with one name: the draft is refused, naming it.
    document["nlu"]["intents"] = [INTENTS[0], INTENTS[0]]
    refused = await client.put(f"/api/v1/scenarios/{created.json()['id']}/draft",
                               json=document, headers={**owner.headers, "If-Match": '"1"'})
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "repeated: change_address" in refused.text


async def test_weak_intents_are_named_in_validation_warnings(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = (await client.post("/api/v1/bots", json={"name": "nlu-warn"},
                             headers=owner.headers)).json()
    document = named_routing()
    document["nlu"]["intents"] = [
        {"name": "change_address", "examples": {"uk": ["змінити адресу"],
                                                "en": ["change address", "new address"]}},
        {"name": "order_status", "examples": {"en": ["where is my order", "Change address!"]}},
        {"name": "cancel", "examples": {"uk": ["скасувати", "відміна"], "en": ["cancel", "stop"]}}]
    created = await client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                json={"name": "main", "document": document},
                                headers=owner.headers)
    checked = (await client.post(f"/api/v1/scenarios/{created.json()['id']}/validate",
                                 headers=owner.headers)).json()
    warnings = {(w["code"], w["path"]): w["message"] for w in checked["warnings"]}
    assert "one uk example" in warnings[("nlu.single_example", "/nlu/intents/0/examples/uk")]
    assert "no example in uk" in warnings[("nlu.empty_language", "/nlu/intents/1/examples")]
    assert "change_address, order_status" in warnings[("nlu.duplicate_example",
                                                        "/nlu/intents/0/examples")]
    assert checked["valid"] is True  # warnings: it still publishes
