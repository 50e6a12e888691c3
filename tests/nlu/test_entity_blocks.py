"""Entities in scenarios, end to end through the REST chat API: the `entities` block puts
what it finds into variables, and an input block takes an entity as its value (asking again
when the answer has none), with built-in entities and the bot's own (a list with Ukrainian
inflections, a regular expression), in both languages."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.security import Role
from tests.integration.test_chat_api import start
from tests.integration.test_service_blocks import bot_with_scenario

NLU = {"entities": [
    {"name": "city", "kind": "list", "values": [
        {"value": "Kyiv", "synonyms": {"uk": ["Київ"], "en": ["Kyiv", "Kiev"]}},
        {"value": "Lviv", "synonyms": {"uk": ["Львів"], "en": ["Lviv"]}}]},
    {"name": "order_id", "kind": "regex", "pattern": "[A-Z]{2}-?(\\d{6})"}]}


def finding() -> dict[str, Any]:
    return {
        "schema_version": 2, "entry": {"start": "ask"}, "nlu": NLU,
        "variables": [{"name": "said", "type": "string"}, {"name": "found", "type": "object"},
                      {"name": "all", "type": "list"}],
        "blocks": [
            {"id": "ask", "type": "input", "settings": {
                "kind": "text", "variable": "said", "prompt": {"uk": "Так?", "en": "Yes?"}}},
            {"id": "find", "type": "entities", "settings": {
                "entities": ["city", "order_id", "phone", "email", "money", "number"],
                "store_in": "found", "matches_in": "all"}},
            {"id": "yes", "type": "message", "settings": {"text": {
                "uk": "{{found}}", "en": "{{found}}"}}},
            {"id": "no", "type": "message", "settings": {"text": {
                "uk": "Нічого ({{all}})", "en": "Nothing ({{all}})"}}}],
        "edges": [{"source": "ask", "target": "find"},
                  {"source": "find", "port": "found", "target": "yes"},
                  {"source": "find", "port": "not_found", "target": "no"},
                  {"source": "yes", "target": "ask"}, {"source": "no", "target": "ask"}]}


async def test_the_entities_block_fills_variables_in_both_languages(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, finding())
    _, chat = await start(client, headers, language="uk")
    reply = await chat.send(text="Замовлення UA-123456 доставте у Львові, телефон 050 123 45 67")
    found = reply["messages"][0]["text"]
    assert '"city": "Lviv"' in found and '"order_id": "123456"' in found, found
    assert '"phone": "+380501234567"' in found, found
    reply = await chat.send(text="Заплачу 500 гривень, пишіть на Olena.K@Example.com")
    found = reply["messages"][0]["text"]
    assert '"money": {"amount": 500, "currency": "UAH"}' in found, found
    assert '"email": "olena.k@example.com"' in found, found
    reply = await chat.send(text="просто привіт")
    assert reply["messages"][0]["text"] == "Нічого ([])"

    _, chat = await start(client, headers, language="en")
    reply = await chat.send(text="Two coffees to Kiev for $7.50 please")
    found = reply["messages"][0]["text"]
    assert '"city": "Kyiv"' in found and '"money": {"amount": 7.5, "currency": "USD"}' in found
    assert '"number": 2' in found, found


def asking(entity: Any, variable_type: str = "string") -> dict[str, Any]:
    return {
        "schema_version": 2, "entry": {"start": "ask"}, "nlu": NLU,
        "variables": [{"name": "value", "type": variable_type}],
        "blocks": [
            {"id": "ask", "type": "input", "settings": {
                "kind": "text", "variable": "value", "entity": entity, "max_attempts": 3,
                "prompt": {"uk": "Скажіть, будь ласка.", "en": "Tell me, please."}}},
            {"id": "got", "type": "message", "settings": {"text": {
                "uk": "Отримав: {{value}}", "en": "Got: {{value}}"}}},
            {"id": "gave_up", "type": "message", "settings": {"text": {
                "uk": "Не вийшло.", "en": "No luck."}}}],
        "edges": [{"source": "ask", "target": "got"},
                  {"source": "ask", "port": "invalid", "target": "gave_up"}]}


async def test_an_input_takes_an_entity_and_asks_again_without_it(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, asking("phone"))
    _, chat = await start(client, headers, language="uk")
    reply = await chat.send(text="не скажу")
    assert [m["text"] for m in reply["messages"]] == [
        "Не знайшов у відповіді того, про що я питав. Спробуйте ще раз, будь ласка.",
        "Скажіть, будь ласка."]
    assert reply["input"]["block_id"] == "ask" and reply["input"]["attempts_left"] == 2
    reply = await chat.send(text="мій номер 050 123 45 67, дзвоніть після обіду")
    assert reply["messages"][0]["text"] == "Отримав: +380501234567"


async def test_an_input_takes_the_bots_own_entity_and_a_date(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    headers = await bot_with_scenario(client, owner, asking("city"))
    _, chat = await start(client, headers, language="uk")
    reply = await chat.send(text="я зараз у Києві")
    assert reply["messages"][0]["text"] == "Отримав: Kyiv"

    headers = await bot_with_scenario(client, owner, asking("date", "date"))
    _, chat = await start(client, headers, language="en")
    reply = await chat.send(text="deliver it tomorrow please")
    tomorrow = (datetime.now(ZoneInfo("Europe/Kyiv")) + timedelta(days=1)).date()
    assert reply["messages"][0]["text"] == f"Got: {tomorrow.isoformat()}"
    # Three answers without it: the block leaves through `invalid`.
    _, chat = await start(client, headers, language="en")
    for _ in range(2):
        reply = await chat.send(text="whenever")
        assert reply["messages"][0]["text"].startswith("I could not find what I asked for"), \
            reply["input"]
    reply = await chat.send(text="no idea")
    assert reply["messages"][0]["text"] == "No luck."


async def test_entity_references_are_validated(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = (await client.post("/api/v1/bots", json={"name": "entity-check"},
                             headers=owner.headers)).json()
    document = finding()
    document["blocks"][1]["settings"]["entities"] = ["city", "street"]
    document["blocks"][0]["settings"].update(kind="number", entity="number")
    created = await client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                json={"name": "main", "document": document},
                                headers=owner.headers)
    checked = (await client.post(f"/api/v1/scenarios/{created.json()['id']}/validate",
                                 headers=owner.headers)).json()
    messages = {e["path"]: e["message"] for e in checked["errors"]}
    assert "the entity 'street' is neither built in" in messages["/blocks/1/settings"]
    assert "known: city, order_id" in messages["/blocks/1/settings"]
    assert "Entity applies only to kind 'text'" in messages["/blocks/0/settings/entity"]
