"""The REST chat API end to end on the demo bot and small scenarios: both languages,
re-prompts, 404/409/413, idempotency, ordering under concurrency, version pinning, chat-key
scoping, traces, handoff, error handlers and user-scoped variables."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from pathlib import Path

import pytest

from core.security import Role

DEMO = json.loads((Path(__file__).resolve().parents[2] / "scenarios" / "demo-bot.json")
                  .read_text(encoding="utf-8"))


@pytest.fixture
async def shop():  # type: ignore[no-untyped-def]
    """The demo coffee shop's till on a port of its own (the suite allow-lists 127.0.0.1)."""
    from scenarios.demo_shop import DemoShop

    till = DemoShop()
    port = await till.start(0)
    yield till, f"http://127.0.0.1:{port}"
    await till.close()


@pytest.fixture
async def demo(client, make_actor, runtime, shop):  # type: ignore[no-untyped-def]
    """A demo bot in a fresh organization, placing orders with its own till: (owner actor,
    bot id, chat-key headers)."""
    from chat.contract import ensure_chat_key
    from core.db import transaction
    from scenarios.contract import seed_demo_bot

    owner = await make_actor(Role.owner)
    async with transaction(runtime.sessionmaker) as session:
        bot_id, created = await seed_demo_bot(session=session, org_id=owner.org_id,
                                              author_id=owner.user_id, shop_url=shop[1])
        key = f"rzc_test_{uuid.uuid4().hex[:12]}"
        await ensure_chat_key(session=session, bot_id=bot_id,
                              org_id=owner.org_id, key=key)
    assert created
    return owner, bot_id, {"X-Chat-Key": key}


def texts(answer: dict) -> list[str]:
    return [m["text"] for m in answer["messages"] if m.get("text")]


class Chat:
    def __init__(self, client, headers, conversation_id: str) -> None:  # type: ignore[no-untyped-def]
        self.client, self.headers, self.id, self.n = client, headers, conversation_id, 0

    async def send(self, expect: int = 200, **body):  # type: ignore[no-untyped-def]
        self.n += 1
        body.setdefault("client_message_id", f"m{self.n}")
        response = await self.client.post(f"/api/v1/conversations/{self.id}/messages",
                                          json=body, headers=self.headers)
        assert response.status_code == expect, response.text
        return response.json()


async def start(client, headers, **body):  # type: ignore[no-untyped-def]
    response = await client.post("/api/v1/conversations", json=body, headers=headers)
    assert response.status_code == 201, response.text
    answer = response.json()
    return answer, Chat(client, headers, answer["conversation_id"])


@pytest.mark.parametrize(("language", "words"), [
    ("uk", {"hello": "Привіт", "cups": "Скільки чашок, Оля? (від 1 до 10)", "reprompt": "Введіть число від 1 до 10.",
            "confirm": "Оля, ваше замовлення: 7 ☕, до сплати 284 грн. Підтверджуєте?",
            "bad_email": "Це не схоже на email",
            "done": r"Дякую, Оля! Замовлення A-\d+ прийнято, буде готове за 9 хв\. Чек надіслано на Olya@example\.com\. Гарного дня!"}),
    ("en", {"hello": "Hi!", "cups": "How many cups, Оля? (1 to 10)", "reprompt": "Please enter a number from 1 to 10.",
            "confirm": "Оля, your order: 7 ☕, 284 UAH to pay. Confirm?",
            "bad_email": "That does not look like an email",
            "done": r"Thank you, Оля! Order A-\d+ is in, ready in 9 minutes\. The receipt went to Olya@example\.com\. Have a nice day!"}),
])
async def test_demo_conversation_in_both_languages(client, demo, language, words) -> None:  # type: ignore[no-untyped-def]
    _, _, headers = demo
    first, chat = await start(client, headers, language=language)
    assert texts(first)[0].startswith(words["hello"])
    assert first["input"]["kind"] == "buttons"
    assert [b["id"] for b in first["messages"][0]["buttons"]] == ["order", "about"]

    answer = await chat.send(choice_id="order")
    assert answer["input"]["kind"] == "text"
    answer = await chat.send(text="Оля")
    assert texts(answer) == [words["cups"]] and answer["input"]["kind"] == "number"
    answer = await chat.send(text="дуже багато")
    assert words["reprompt"] in texts(answer) and answer["input"]["block_id"] == "ask_cups"
    answer = await chat.send(text="12")
    assert words["reprompt"] in texts(answer)
    answer = await chat.send(text="7")
    assert texts(answer)[-1] == words["confirm"]
    # The answer is built as plain data; it has every field the model's dump has.
    from chat.conversations.schemas import TurnAnswer

    assert answer == TurnAnswer.model_validate(answer).model_dump(mode="json")
    answer = await chat.send(text=words["confirm"] and ("Так" if language == "uk" else "yes"))
    assert answer["input"]["kind"] == "email"
    answer = await chat.send(text="not-an-email")
    assert any(words["bad_email"] in t for t in texts(answer))
    answer = await chat.send(text="Olya@Example.com")  # the order goes to the till (http)
    assert len(texts(answer)) == 1 and re.fullmatch(words["done"], texts(answer)[0]), texts(answer)
    assert answer["ended"] is True and answer["input"] is None

    # A message to an ended conversation is a 409 and stores nothing.
    ended = await client.post(f"/api/v1/conversations/{chat.id}/messages",
                              json={"text": "hello?", "client_message_id": "late"},
                              headers=headers)
    assert ended.status_code == 409 and ended.json()["code"] == "conversation_ended"
    history = (await client.get(f"/api/v1/conversations/{chat.id}/messages",
                                headers=headers)).json()["items"]
    assert history[-1]["body"]["text"] == texts(answer)[0]
    assert [h["seq"] for h in history] == list(range(1, len(history) + 1))


async def test_an_order_when_the_till_does_not_answer(client, demo, shop) -> None:  # type: ignore[no-untyped-def]
    """The http block's error port: the person is told to pay at the counter, the
    conversation ends normally, and the failed call is in the turn's trace."""
    owner, _, headers = demo
    _, chat = await start(client, headers, language="en")
    for step in ({"choice_id": "order"}, {"text": "Max"}, {"text": "2"}, {"choice_id": "yes"}):
        await chat.send(**step)
    await shop[0].close()
    answer = await chat.send(text="max@example.com")
    assert texts(answer) == [("Thank you, Max! The coffee shop's till is not answering, so "
                              "please pay 90 UAH at the counter. The receipt went to "
                              "max@example.com. Have a nice day!")]
    assert answer["ended"] is True
    turns = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()["items"]
    [call] = [s["call"] for s in turns[0]["trace"] if s.get("call")]
    assert (call["service"], call["operation"], call["status"]) == ("modules", "http", "error")
    assert "127.0.0.1" in call["error"]
    assert [s["port"] for s in turns[0]["trace"] if s["block_id"] == "place_order"][-1] == "error"


async def test_too_many_invalid_answers_take_the_invalid_port(client, demo) -> None:  # type: ignore[no-untyped-def]
    _, _, headers = demo
    _, chat = await start(client, headers, language="en")
    await chat.send(choice_id="order")
    await chat.send(text="Max")
    await chat.send(text="zero")
    await chat.send(text="0")
    answer = await chat.send(text="11")  # the third failure
    assert "We could not agree on a number. Let us start over." in texts(answer)
    assert answer["input"]["kind"] == "buttons"  # back at the menu through the jump


async def test_fallback_on_unexpected_text_at_buttons(client, demo) -> None:  # type: ignore[no-untyped-def]
    _, _, headers = demo
    _, chat = await start(client, headers, language="en")
    answer = await chat.send(text="banana")
    assert "Sorry, I only understand the buttons here. Please press one." in texts(answer)
    assert answer["ended"] is False
    answer = await chat.send(text="What can you do?")  # a label works like the button
    assert any("Rozmova scenario" in t for t in texts(answer))


async def test_unknown_conversation_and_bad_input(client, demo, settings) -> None:  # type: ignore[no-untyped-def]
    _, _, headers = demo
    missing = await client.post(f"/api/v1/conversations/{uuid.uuid4()}/messages",
                                json={"text": "hi", "client_message_id": "1"}, headers=headers)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    _, chat = await start(client, headers)
    too_long = await client.post(f"/api/v1/conversations/{chat.id}/messages",
                                 json={"text": "я" * 5000, "client_message_id": "x"},
                                 headers=headers)
    assert too_long.status_code == 413 and "4096" in too_long.json()["detail"]
    both = await client.post(f"/api/v1/conversations/{chat.id}/messages",
                             json={"text": "a", "choice_id": "b", "client_message_id": "y"},
                             headers=headers)
    assert both.status_code == 422 and "exactly one" in both.json()["detail"]
    no_id = await client.post(f"/api/v1/conversations/{chat.id}/messages", json={"text": "a"},
                              headers=headers)
    assert no_id.status_code == 422
    bad_language = await client.post("/api/v1/conversations", json={"language": "de"},
                                     headers=headers)
    assert bad_language.status_code == 422


async def test_duplicate_client_message_id_returns_the_first_answer(client, demo) -> None:  # type: ignore[no-untyped-def]
    _, _, headers = demo
    _, chat = await start(client, headers, language="en")
    url = f"/api/v1/conversations/{chat.id}/messages"
    first = await client.post(url, json={"choice_id": "order", "client_message_id": "same"},
                              headers=headers)
    again = await client.post(url, json={"choice_id": "about", "client_message_id": "same"},
                              headers=headers)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert {**again.json(), "duplicate": False} == first.json()
    history = (await client.get(url, headers=headers)).json()["items"]
    assert [h["direction"] for h in history].count("in") == 1


async def test_wrong_or_rotated_chat_key_and_cross_bot_access(client, demo, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner, bot_id, headers = demo
    _, chat = await start(client, headers)
    wrong = await client.post("/api/v1/conversations", headers={"X-Chat-Key": "rzc_nope"})
    assert wrong.status_code == 401
    # Another bot's key cannot read this conversation.
    other = await client.post("/api/v1/bots", json={"name": "Other"}, headers=owner.headers)
    other_key = (await client.get(f"/api/v1/bots/{other.json()['id']}/chat-key",
                                  headers=owner.headers)).json()["key"]
    peek = await client.get(f"/api/v1/conversations/{chat.id}/messages",
                            headers={"X-Chat-Key": other_key})
    assert peek.status_code == 404
    # Another organization's credentials cannot either.
    stranger = await make_actor(Role.owner)
    assert (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                             headers=stranger.headers)).status_code == 404
    rotated = await client.post(f"/api/v1/bots/{bot_id}/chat-key/rotate", headers=owner.headers)
    assert rotated.status_code == 200 and rotated.json()["key"] != headers["X-Chat-Key"]
    assert (await client.post("/api/v1/conversations", headers=headers)).status_code == 401
    fresh = await client.post("/api/v1/conversations",
                              headers={"X-Chat-Key": rotated.json()["key"]})
    assert fresh.status_code == 201


async def test_trace_shows_blocks_ports_and_variable_changes(client, demo) -> None:  # type: ignore[no-untyped-def]
    owner, _, headers = demo
    _, chat = await start(client, headers, language="en")
    await chat.send(choice_id="order")
    await chat.send(text="Ann")
    await chat.send(text="2")
    assert (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                             headers=headers)).status_code == 401  # org credentials only
    turns = (await client.get(f"/api/v1/conversations/{chat.id}/trace",
                              headers=owner.headers)).json()["items"]
    assert [t["seq"] for t in turns] == [4, 3, 2, 1]
    last = turns[0]
    # The price is a script block: its call to the sandbox, then its exit through `ok`.
    assert [s["block_id"] for s in last["trace"]][:4] == [
        "ask_cups", "price", "price", "is_big_order"]
    call = last["trace"][1]["call"]
    assert (call["service"], call["operation"], call["status"]) == ("modules", "script", "ok")
    assert last["trace"][2]["port"] == "ok"
    condition = next(s for s in last["trace"] if s["block_id"] == "is_big_order")
    assert condition["port"] == "false"
    assert last["variable_changes"]["cups"][1] == 2
    assert last["variable_changes"]["total"][1] == 90


async def test_user_variables_follow_the_end_user(client, demo) -> None:  # type: ignore[no-untyped-def]
    _, _, headers = demo
    _, chat = await start(client, headers, language="en", end_user_id="user-42")
    await chat.send(choice_id="order")
    await chat.send(text="Taras")
    second, chat2 = await start(client, headers, language="en", end_user_id="user-42")
    await chat2.send(choice_id="order")
    answer = await chat2.send(text="Taras again")
    assert texts(answer) == ["How many cups, Taras again? (1 to 10)"]
    # A different person does not see it.
    _, chat3 = await start(client, headers, language="en", end_user_id="user-43")
    await chat3.send(choice_id="order")
    assert (await chat3.send(text="Iryna"))["messages"][0]["text"] == "How many cups, Iryna? (1 to 10)"


# --- small purpose-built scenarios ------------------------------------------------------------

async def bot_with(client, actor, document: dict) -> tuple[str, str, dict]:  # type: ignore[no-untyped-def]
    bot = (await client.post("/api/v1/bots", json={"name": f"b-{uuid.uuid4().hex[:6]}"},
                             headers=actor.headers)).json()
    scenario = await client.post(f"/api/v1/bots/{bot['id']}/scenarios",
                                 json={"name": "main", "document": document}, headers=actor.headers)
    assert scenario.status_code == 201, scenario.text
    published = await client.post(f"/api/v1/scenarios/{scenario.json()['id']}/publish", json={},
                                  headers=actor.headers)
    assert published.status_code == 201, published.text
    key = (await client.get(f"/api/v1/bots/{bot['id']}/chat-key", headers=actor.headers)).json()
    return bot["id"], scenario.json()["id"], {"X-Chat-Key": key["key"]}


def echo_document(prefix: str = "echo") -> dict:
    text = {"uk": prefix + ": {{said}}", "en": prefix + ": {{said}}"}
    return {
        "schema_version": 2, "entry": {"start": "ask"},
        "variables": [{"name": "said", "type": "string"}],
        "blocks": [
            {"id": "ask", "type": "input", "settings": {
                "kind": "text", "variable": "said", "prompt": {"uk": "Кажіть", "en": "Say"}}},
            {"id": "echo", "type": "message", "settings": {"text": text}},
            {"id": "again", "type": "jump", "settings": {"block": "ask"}},
        ],
        "edges": [{"source": "ask", "target": "echo"}, {"source": "echo", "target": "again"}],
    }


async def test_parallel_messages_are_handled_once_each_in_order(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    _, _, headers = await bot_with(client, owner, echo_document())
    _, chat = await start(client, headers, language="en")
    url = f"/api/v1/conversations/{chat.id}/messages"
    count = 20

    async def say(n: int):  # type: ignore[no-untyped-def]
        return await client.post(url, json={"text": f"n{n}", "client_message_id": f"c{n}"},
                                 headers=headers)

    answers = await asyncio.gather(*(say(n) for n in range(count)),
                                   *(say(n) for n in range(0, count, 2)))  # plus duplicates
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers if a.status_code != 200]
    for n in range(count):  # each answer echoes its own message
        assert answers[n].json()["messages"][0]["text"] == f"echo: n{n}"
    for i, n in enumerate(range(0, count, 2)):
        first, repeat = answers[n].json(), answers[count + i].json()
        # Whichever of the pair ran first answered; the other is the stored copy.
        assert {**first, "duplicate": False} == {**repeat, "duplicate": False}
        assert first["duplicate"] != repeat["duplicate"]
    history = (await client.get(url, params={"limit": 500}, headers=headers)).json()["items"]
    said = [h for h in history if h["direction"] == "in"]
    assert len(said) == count  # duplicates ran nothing
    # In order: every inbound message is followed by its own echo, then the prompt.
    for item in said:
        following = next(h for h in history if h["seq"] == item["seq"] + 1)
        assert following["body"]["text"] == "echo: " + item["body"]["text"]


async def test_publishing_v2_leaves_running_conversations_on_v1(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    _, scenario_id, headers = await bot_with(client, owner, echo_document("v1"))
    _, old = await start(client, headers, language="en")
    saved = await client.put(f"/api/v1/scenarios/{scenario_id}/draft", json=echo_document("v2"),
                             headers={**owner.headers, "If-Match": '"1"'})
    assert saved.status_code == 200
    assert (await client.post(f"/api/v1/scenarios/{scenario_id}/publish", json={},
                              headers=owner.headers)).json()["number"] == 2
    assert texts(await old.send(text="a")) == ["v1: a", "Say"]
    _, new = await start(client, headers, language="en")
    assert texts(await new.send(text="b")) == ["v2: b", "Say"]
    assert texts(await old.send(text="c")) == ["v1: c", "Say"]


async def test_failing_block_gives_the_authors_error_message(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    document = {
        "schema_version": 2,
        "entry": {"start": "ask", "events": {"error": "sorry"}},
        "variables": [{"name": "n", "type": "number"}, {"name": "r", "type": "number"}],
        "blocks": [
            {"id": "ask", "type": "input", "settings": {
                "kind": "number", "variable": "n", "prompt": {"uk": "Число?", "en": "Number?"}}},
            {"id": "divide", "type": "set_variable",
             "settings": {"variable": "r", "expression": "100 / n"}},
            {"id": "show", "type": "end", "settings": {"message": {"uk": "{{r}}", "en": "{{r}}"}}},
            {"id": "sorry", "type": "message", "settings": {
                "text": {"uk": "Ой, на нуль ділити не можна.", "en": "Oops, cannot divide by zero."}}},
        ],
        "edges": [{"source": "ask", "target": "divide"}, {"source": "divide", "target": "show"},
                  {"source": "sorry", "target": "ask"}],
    }
    _, _, headers = await bot_with(client, owner, document)
    _, chat = await start(client, headers, language="en")
    answer = await chat.send(text="0")
    assert texts(answer)[0] == "Oops, cannot divide by zero."
    assert answer["ended"] is False and answer["input"]["block_id"] == "ask"
    assert texts(await chat.send(text="4")) == ["25"]


# Straight to an operator, then the bot again after the handback.
HANDOFF = {
    "schema_version": 2, "entry": {"start": "human"}, "variables": [],
    "blocks": [
        {"id": "human", "type": "handoff", "settings": {
            "message": {"uk": "Кличу людину", "en": "Calling a human"}}},
        {"id": "bye", "type": "end", "settings": {"message": {"uk": "Знову я", "en": "Bot again"}}},
    ],
    "edges": [{"source": "human", "target": "bye"}],
}


async def test_handoff_operator_and_handback(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot_id, _, headers = await bot_with(client, owner, HANDOFF)
    first, chat = await start(client, headers, language="en")
    assert texts(first) == ["Calling a human"] and first["status"] == "handoff"
    quiet = await chat.send(text="is anyone there?")
    assert quiet["messages"] == [] and quiet["status"] == "handoff"
    waiting = (await client.get(f"/api/v1/bots/{bot_id}/conversations",
                                params={"status": "handoff"}, headers=owner.headers)).json()
    assert [c["id"] for c in waiting["items"]] == [chat.id]
    said = await client.post(f"/api/v1/conversations/{chat.id}/operator/messages",
                             json={"text": "Hello, I am here"}, headers=owner.headers)
    assert said.status_code == 201
    back = await client.post(f"/api/v1/conversations/{chat.id}/handback", headers=owner.headers)
    assert back.status_code == 200 and texts(back.json()) == ["Bot again"]
    twice = await client.post(f"/api/v1/conversations/{chat.id}/handback", headers=owner.headers)
    assert twice.status_code == 409 and "not with an operator" in twice.json()["detail"]
    history = (await client.get(f"/api/v1/conversations/{chat.id}/messages",
                                headers=headers)).json()["items"]
    assert [(h["direction"], h["body"].get("text")) for h in history] == [
        ("out", "Calling a human"), ("out", None), ("in", "is anyone there?"),
        ("operator", "Hello, I am here"), ("out", "Bot again")]
    assert history[1]["body"]["type"] == "handoff"


async def test_bot_without_published_scenario_cannot_start(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot = (await client.post("/api/v1/bots", json={"name": "Empty"}, headers=owner.headers)).json()
    key = (await client.get(f"/api/v1/bots/{bot['id']}/chat-key", headers=owner.headers)).json()
    response = await client.post("/api/v1/conversations", headers={"X-Chat-Key": key["key"]})
    assert response.status_code == 409
    assert "scenario" in response.json()["detail"]


async def test_inactivity_timeout_runs_the_handler_once(client, make_actor, app, runtime) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from sqlalchemy import update

    from chat.conversations.models import Conversation
    from chat.dependencies import conversation_service
    from core.db import utcnow

    owner = await make_actor(Role.owner)
    document = echo_document()
    document["blocks"].append({"id": "nudge", "type": "message", "settings": {
        "text": {"uk": "Ви ще тут?", "en": "Still there?"}}})
    document["entry"]["events"] = {"timeout": "nudge"}
    _, _, headers = await bot_with(client, owner, document)
    _, chat = await start(client, headers, language="en")
    service = conversation_service(app)
    assert await service.fire_due_timeouts() == 0  # not due yet
    async with runtime.engine.begin() as connection:
        await connection.execute(update(Conversation).where(Conversation.id == uuid.UUID(chat.id))
                                 .values(timeout_at=utcnow() - timedelta(seconds=1)))
    assert await service.fire_due_timeouts() == 1
    assert await service.fire_due_timeouts() == 0  # once per silence
    history = (await client.get(f"/api/v1/conversations/{chat.id}/messages",
                                headers=headers)).json()["items"]
    assert [h["body"].get("text") for h in history][-2:] == ["Still there?", "Say"]
    assert texts(await chat.send(text="here")) == ["echo: here", "Say"]  # and it carries on


@pytest.mark.parametrize("on_expiry", ["restart", "resume"])
async def test_an_expired_conversation_restarts_or_resumes(client, make_actor, runtime,
                                                           on_expiry) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from sqlalchemy import update

    from chat.conversations.models import Conversation
    from core.db import utcnow

    owner = await make_actor(Role.owner)
    bot_id, _, headers = await bot_with(client, owner, echo_document())
    await client.patch(f"/api/v1/bots/{bot_id}", headers=owner.headers,
                       json={"settings": {"on_expiry": on_expiry, "expiry_seconds": 300}})
    _, chat = await start(client, headers, language="en")
    async with runtime.engine.begin() as connection:
        await connection.execute(update(Conversation).where(Conversation.id == uuid.UUID(chat.id))
                                 .values(last_activity_at=utcnow() - timedelta(seconds=301)))
    answer = await chat.send(text="back")
    if on_expiry == "restart":
        assert texts(answer) == ["Say"]  # started over at the entry block
    else:
        assert texts(answer) == ["echo: back", "Say"]


async def test_a_chat_key_cannot_start_another_bots_scenario(client, make_actor) -> None:  # type: ignore[no-untyped-def]
    mine = await make_actor(Role.owner)
    theirs = await make_actor(Role.owner)
    _, _, my_headers = await bot_with(client, mine, echo_document("mine"))
    _, their_scenario, _ = await bot_with(client, theirs, echo_document("secret"))
    response = await client.post("/api/v1/conversations", headers=my_headers,
                                 json={"scenario_id": their_scenario, "language": "en"})
    assert response.status_code == 409, response.text
    assert "secret" not in response.text


async def test_the_fast_path_answers_chat_key_messages_and_hands_on_everything_else(
        app, client, make_actor) -> None:  # type: ignore[no-untyped-def]
    """Chat-key messages are answered without FastAPI's routing; anything it is not sure of
    reaches the app, body and all, so every error stays the app's documented one."""
    import httpx

    from chat.conversations.fast_path import ChatFastPath

    owner = await make_actor(Role.owner)
    _, _, headers = await bot_with(client, owner, echo_document())
    _, chat = await start(client, headers, language="en")
    handed_on: list[bytes] = []

    async def the_app(scope, receive, send):  # type: ignore[no-untyped-def]
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        handed_on.append(body)
        await app(scope, _once(body), send)

    def _once(body: bytes):  # type: ignore[no-untyped-def]
        async def receive():  # type: ignore[no-untyped-def]
            return {"type": "http.request", "body": body, "more_body": False}
        return receive

    fast = ChatFastPath(the_app, owner=app)
    url = f"/api/v1/conversations/{chat.id}/messages"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=fast),
                                 base_url="http://test") as http:
        answered = await http.post(url, headers=headers,
                                   json={"text": "hi", "client_message_id": "f1"})
        assert answered.status_code == 200 and texts(answered.json()) == ["echo: hi", "Say"]
        assert handed_on == []
        again = await http.post(url, headers=headers,
                                json={"text": "hi", "client_message_id": "f1"})
        assert again.json()["duplicate"] is True and handed_on == []
        for body in (b'{"text": ""', b'{"text": "", "client_message_id": "f2"}',
                     b'{"text": "a", "choice_id": "b", "client_message_id": "f3"}'):
            refused = await http.post(url, headers={**headers,
                                                    "content-type": "application/json"},
                                      content=body)
            assert refused.status_code in (400, 422) and refused.headers[
                "content-type"] == "application/problem+json"
            assert handed_on[-1] == body  # the app saw the very body
        unknown = await http.post(url, headers={"X-Chat-Key": "rzc_nope"},
                                  json={"text": "hi", "client_message_id": "f4"})
        assert unknown.status_code == 401 and len(handed_on) == 4
        missing = await http.post(f"/api/v1/conversations/{uuid.uuid4()}/messages",
                                  headers=headers, json={"text": "hi",
                                                         "client_message_id": "f5"})
        assert missing.status_code == 404 and missing.headers[
            "content-type"] == "application/problem+json" and len(handed_on) == 4
