"""The Viber channel's guarantees against the fake Viber API: signatures, duplicates, the
shared real payloads, retries (tooManyRequests, 5xx), refused messages as dead letters, a
refused token, receipts recorded exactly (tokens past 2^53), subscriptions, and a restart in
the middle of retries (nothing lost, nothing sent twice)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from sqlalchemy import select

from chat.channels.models import ChannelChat
from chat.channels.viber.fake import sign
from chat.conversations.models import Conversation
from tests.channels.test_viber_webhook import (  # noqa: F401  (stack: a fixture)
    SHARED,
    TOKEN,
    connect,
    said,
    stack,
    status_of,
)
from tests.conftest import serve as serve_platform

ORDER = "☕ Замовити каву"


async def opened(fake, base, owner, bot_id):  # type: ignore[no-untyped-def]
    """Connected, and a Ukrainian person who opened the chat and pressed "order" (so
    subscribed, asked their name)."""
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        connection = await connect(api, base, bot_id, owner)
    person = fake.add_person(TOKEN, name="Олена", language="uk")
    assert (await fake.open(TOKEN, person)).status_code == 200
    return connection, person


async def test_retries_each_message_sent_once_and_receipts_recorded_exactly(stack, runtime) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, bot_id = stack
    _, person = await opened(fake, base, owner, bot_id)
    fake.receipts = True
    fake.fail("send_message", status=12)            # tooManyRequests
    fake.fail("send_message", http_status=503, times=2)
    await fake.press(TOKEN, person, ORDER)
    told = await said(fake, person, 2)
    assert told[-1]["text"] == "Як до вас звертатися?"
    await asyncio.sleep(0.3)
    tries = [(c.status, c.http_status) for c in fake.calls if c.method == "send_message"]
    assert tries == [(12, 200), (-1, 503), (-1, 503), (0, 200)]
    await fake.drain()
    [seen] = [d.payload for d in fake.deliveries if d.payload["event"] == "seen"]
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        for _ in range(50):
            receipts = (await api.get(f"/api/v1/bots/{bot_id}/channels/viber/receipts",
                                      headers=owner.headers)).json()
            if receipts and receipts[0]["status"] == "seen":
                break
            await asyncio.sleep(0.05)
        [receipt] = receipts
        # The token Viber gave the message, past 2^53, kept exactly.
        assert seen["message_token"] > 2 ** 53
        assert receipt["message_token"] == str(seen["message_token"])
        assert (receipt["chat_id"], receipt["status"]) == (person["id"], "seen")
        # Viber's failed callback for it: recorded, and a dead letter with Viber's reason.
        await fake.receipt(TOKEN, person, "failed", int(receipt["message_token"]),
                           desc="device is offline for good")
        state = await status_of(api, bot_id, owner)
        [letter] = state["dead_letters"]
        assert letter["seq"] == receipt["seq"] and "offline for good" in letter["reason"]
        again = (await api.get(f"/api/v1/bots/{bot_id}/channels/viber/receipts",
                               params={"chat_id": person["id"]}, headers=owner.headers)).json()
        assert again[0]["status"] == "failed"
    # A month on, the receipt is forgotten (the table does not grow with every message).
    from datetime import timedelta

    from sqlalchemy import update

    from chat.channels.models import ChannelReceipt
    from chat.channels.service import Channels
    from core.db import transaction, utcnow

    channels = Channels(runtime, None)  # type: ignore[arg-type]
    assert await channels.prune_receipts() == 0
    async with transaction(runtime.sessionmaker) as session:
        await session.execute(update(ChannelReceipt).values(
            updated_at=utcnow() - timedelta(days=31)))
    assert await channels.prune_receipts(every_seconds=0) == 1
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        assert (await api.get(f"/api/v1/bots/{bot_id}/channels/viber/receipts",
                              headers=owner.headers)).json() == []


async def test_a_refused_message_is_a_dead_letter_and_the_next_still_goes(stack) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, bot_id = stack
    _, person = await opened(fake, base, owner, bot_id)
    fake.fail("send_message", status=3)  # badData: never worth sending again
    await fake.press(TOKEN, person, ORDER)
    await asyncio.sleep(0.3)
    await fake.say(TOKEN, person, "Олена")
    told = await said(fake, person, 2)
    assert told[-1]["text"] == "Скільки чашок, Олена? (від 1 до 10)"
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        state = await status_of(api, bot_id, owner)
    [letter] = state["dead_letters"]
    assert (letter["method"], letter["chat_id"]) == ("send_message", person["id"])
    assert "badData" in letter["reason"] and state["status"] == "active"


async def test_a_refused_token_marks_the_connection_failed(stack) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, bot_id = stack
    _, person = await opened(fake, base, owner, bot_id)
    fake.fail("send_message", status=2)
    await fake.press(TOKEN, person, ORDER)
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        for _ in range(100):
            state = await status_of(api, bot_id, owner)
            if state["status"] == "failed":
                break
            await asyncio.sleep(0.05)
    assert state["status"] == "failed" and "refused the token" in state["last_error"]


async def test_signatures_duplicates_and_bodies_that_are_not_callbacks(stack, runtime) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, bot_id = stack
    connection, person = await opened(fake, base, owner, bot_id)
    url = f"{base}/webhooks/viber/{connection['id']}"
    message = {"event": "message", "timestamp": 1, "message_token": 9007199254740993,
               "sender": {"id": person["id"], "language": "uk"},
               "message": {"type": "text", "text": ORDER}}

    async def conversations() -> int:
        async with runtime.sessionmaker() as session:
            return len(list(await session.scalars(select(Conversation.id))))

    before = await conversations()
    async with httpx.AsyncClient(timeout=20) as http:
        raw = json.dumps(message).encode()
        forged = await http.post(url, content=raw, headers={
            "X-Viber-Content-Signature": sign("another-token", raw)})
        assert forged.status_code == 403
        assert forged.headers["content-type"].startswith("application/problem+json")
        unsigned = await http.post(url, content=raw)
        assert unsigned.status_code == 403
        # Viber's check of a new webhook is answered without its signature: it stores nothing.
        check = await http.post(url, json={"event": "webhook", "timestamp": 1,
                                           "message_token": 1})
        assert check.status_code == 200
        not_json = await http.post(url, content=b"{nope", headers={
            "X-Viber-Content-Signature": sign(TOKEN, b"{nope")})
        assert not_json.status_code == 400
        no_sender = json.dumps({"event": "message", "message_token": 1}).encode()
        refused = await http.post(url, content=no_sender, headers={
            "X-Viber-Content-Signature": sign(TOKEN, no_sender)})
        assert refused.status_code == 400 and "sender" in refused.json()["detail"]
        unknown = json.dumps({"event": "action", "message_token": 1}).encode()
        assert (await http.post(url, content=unknown, headers={
            "X-Viber-Content-Signature": sign(TOKEN, unknown)})).status_code == 200
    assert await conversations() == before
    assert len(fake.messages_to(TOKEN, person)) == 1  # the welcome only
    # The same callback twice (Viber resends one it had no 200 for): one turn, one answer.
    await fake.subscribe(TOKEN, person)  # (what writing does; a raw callback does not)
    first = await fake.callback(TOKEN, message)
    second = await fake.callback(TOKEN, message)
    assert first.status_code == second.status_code == 200
    told = await said(fake, person, 2)
    await asyncio.sleep(0.5)
    assert len(fake.messages_to(TOKEN, person)) == 2 and told[1]["text"] == \
        "Як до вас звертатися?"


@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/viber is not here")
async def test_every_shared_payload_goes_through_the_webhook(stack) -> None:  # type: ignore[no-untyped-def]
    """The real callbacks, and each message type of Viber's examples sent by a person: 200
    for all; what the demo cannot use gets its polite answer."""
    fake, base, owner, bot_id = stack
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        await connect(api, base, bot_id, owner)
    for path in sorted((SHARED / "callbacks").glob("*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        for key in ("user", "sender"):
            if isinstance(payload.get(key), dict) and payload[key]["id"] not in \
                    fake.bots[TOKEN].persons:
                fake.add_person(TOKEN, user_id=payload[key]["id"])
        answer = await fake.callback(TOKEN, payload)
        assert answer.status_code == 200, (path.name, answer.text)
    person = fake.add_person(TOKEN, name="Олена", language="uk")
    await fake.say(TOKEN, person, "/start")
    await said(fake, person, 1)
    for path in sorted((SHARED / "api_examples").glob("send_message__*.json")):
        example = json.loads(path.read_text(encoding="utf-8"))
        body = {k: v for k, v in example.items()
                if k not in ("receiver", "sender", "min_api_version", "tracking_data")}
        count = len(fake.messages_to(TOKEN, person))
        answer = await fake.send(TOKEN, person, body)
        assert answer.status_code == 200, (path.name, answer.text)
        told = await said(fake, person, count + 1)
        if body["type"] in ("picture", "video", "file", "location", "contact", "sticker"):
            # The demo's welcome takes buttons only: its fallback answers, then the welcome.
            assert told[count]["text"].startswith("Вибачте, я розумію лише кнопки") or \
                told[count]["text"].startswith("Sorry, I only understand the buttons"), \
                (path.name, told[count])
        await asyncio.sleep(0.1)


async def test_unsubscribed_people_are_sent_nothing_until_they_write(stack, runtime) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, bot_id = stack
    connection, person = await opened(fake, base, owner, bot_id)
    await fake.press(TOKEN, person, ORDER)
    await said(fake, person, 2)
    key = (__import__("uuid").UUID(connection["id"]), person["id"])

    async def chat() -> ChannelChat:
        async with runtime.sessionmaker() as session:
            return await session.get(ChannelChat, key)

    assert (await fake.unsubscribe(TOKEN, person)).status_code == 200
    assert (await chat()).subscribed is False
    # Viber refuses a send to someone not subscribed (status 6): the chat is marked, what
    # was due is passed over, nothing is retried.
    assert (await fake.subscribe(TOKEN, person)).status_code == 200
    assert (await chat()).subscribed is True
    fake.fail("send_message", status=6)
    await fake.say(TOKEN, person, "Олена")
    for _ in range(100):
        if not (await chat()).subscribed:
            break
        await asyncio.sleep(0.05)
    row = await chat()
    assert row.subscribed is False
    tries = [c.status for c in fake.calls if c.method == "send_message"]
    assert tries[-1] == 6 and tries.count(6) == 1
    # Writing again subscribes: answered as usual.
    await fake.say(TOKEN, person, "2")
    told = await said(fake, person, 3)
    assert told[-1]["text"].startswith("Олена, ваше замовлення: 2 ☕")


async def test_a_restart_in_the_middle_of_retries_loses_nothing_and_sends_nothing_twice(
        stack, settings, runtime) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, bot_id = stack
    _, person = await opened(fake, base, owner, bot_id)
    fake.fail("send_message", http_status=503, times=10_000)
    answered = await fake.press(TOKEN, person, ORDER)
    assert answered.status_code == 200  # stored: Viber need not resend
    await asyncio.sleep(3)
    assert len(fake.messages_to(TOKEN, person)) == 1
    fake._failures.clear()
    server, task, _ = await serve_platform(settings, runtime)
    try:
        told = await said(fake, person, 2)
        assert told[1]["text"] == "Як до вас звертатися?"
        await asyncio.sleep(2.5)
        assert len(fake.messages_to(TOKEN, person)) == 2
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


async def test_hostile_bodies_get_a_clear_400_never_a_500(stack) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, bot_id = stack
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        connection = await connect(api, base, bot_id, owner)
        url = f"/webhooks/viber/{connection['id']}"
        for raw in (b"[" * 200_000, b'{"event": "message", "message": ' * 50_000,
                    b"\xff\xfe", b"", b"null", b"1e999999",
                    b'{"event":"message","message_token":1,"sender":{"id":"u"},'
                    b'"message":{"type":"text","text":"\\ud83d"}}'):
            answer = await api.post(url, content=raw, headers={
                "X-Viber-Content-Signature": sign(TOKEN, raw)})
            assert answer.status_code in (400, 403), (raw[:20], answer.status_code)
            assert answer.headers["content-type"].startswith("application/problem+json")


async def test_a_resent_conversation_started_gets_the_same_welcome_and_starts_nothing(
        stack, runtime) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, bot_id = stack
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        await connect(api, base, bot_id, owner)
    person = fake.add_person(TOKEN, name="Олена", language="uk")
    opened = {"event": "conversation_started", "timestamp": 1, "type": "open",
              "message_token": 5_100_000_000_000_000_001, "subscribed": False, "user": person}
    first = await fake.callback(TOKEN, opened)
    again = await fake.callback(TOKEN, opened)  # Viber's retry: the first answer was lost
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and first.json()["text"].startswith("Привіт!")
    async with runtime.sessionmaker() as session:
        started = list(await session.scalars(select(Conversation.id).where(
            Conversation.end_user_id == f"viber:{person['id']}")))
    assert len(started) == 1
