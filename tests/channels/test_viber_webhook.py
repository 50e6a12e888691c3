"""The demo bot on Viber, end to end against the fake Viber API: the platform under uvicorn,
connected through the API, callbacks signed and posted by the fake as Viber posts them, what
the bot sends checked by the fake against Viber's rules and viberbot's message classes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from chat.channels.viber.fake import FakeViber, sign
from core.security import Role
from tests.channels.test_fake_telegram import serve
from tests.conftest import serve as serve_platform

TOKEN = "4a1b2c3d4e5f6a7b-viber-demo"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "viber"


@pytest.fixture
async def stack(settings, runtime, make_actor, monkeypatch):  # type: ignore[no-untyped-def]
    """(fake Viber, platform base URL, owner, bot id)."""
    from core.db import transaction
    from scenarios.contract import seed_demo_bot
    from scenarios.demo_shop import DemoShop

    fake = FakeViber()
    fake.add_bot(TOKEN, name="Кав'ярня")
    fake_server, fake_task, fake_port = await serve(fake.app)
    monkeypatch.setattr(runtime.settings, "viber_api_url", f"http://127.0.0.1:{fake_port}/pa")
    till = DemoShop()
    shop_port = await till.start(0)
    owner = await make_actor(Role.owner)
    async with transaction(runtime.sessionmaker) as session:
        bot_id, _ = await seed_demo_bot(session=session, org_id=owner.org_id,
                                        author_id=owner.user_id,
                                        shop_url=f"http://127.0.0.1:{shop_port}")
    server, task, port = await serve_platform(settings, runtime)
    yield fake, f"http://127.0.0.1:{port}", owner, bot_id
    server.should_exit = True
    await asyncio.wait_for(task, 30)
    await till.close()
    fake_server.should_exit = fake_server.force_exit = True
    await fake_task


async def connect(api: httpx.AsyncClient, base: str, bot_id: Any, owner: Any) -> dict:
    connected = await api.put(f"/api/v1/bots/{bot_id}/channels/viber", json={
        "token": TOKEN, "public_url": base}, headers=owner.headers)
    assert connected.status_code == 200, connected.text
    return connected.json()


async def said(fake: FakeViber, person: Any, count: int) -> list[dict]:
    """The first `count` messages the bot said to `person`, once they are there."""
    for _ in range(300):
        told = fake.messages_to(TOKEN, person)
        if len(told) >= count:
            return told
        await asyncio.sleep(0.02)
    raise AssertionError(f"only {[m.get('text') for m in fake.messages_to(TOKEN, person)]}")


async def status_of(api: httpx.AsyncClient, bot_id: Any, owner: Any, **at_least: int) -> dict:
    for _ in range(100):
        status = (await api.get(f"/api/v1/bots/{bot_id}/channels/viber",
                                headers=owner.headers)).json()
        if all(status[k] >= v for k, v in at_least.items()):
            return status
        await asyncio.sleep(0.05)
    raise AssertionError(f"counters stayed at {status}")


async def test_the_demo_bot_on_viber_from_start_to_end(stack) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, bot_id = stack
    person = fake.add_person(TOKEN, name="Олена", language="uk")
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        connection = await connect(api, base, bot_id, owner)
        assert connection["account"] == "Кав'ярня" and connection["kind"] == "viber"
        assert TOKEN not in json.dumps(connection) and connection["token_hint"] == TOKEN[-4:]
        assert fake.webhook(TOKEN) == f"{base}/webhooks/viber/{connection['id']}"

        # Opening the chat: the start turn comes back as the one welcome message Viber
        # allows before the person subscribes, with the demo's buttons as a keyboard.
        opened = await fake.open(TOKEN, person)
        assert opened.status_code == 200, opened.text
        welcome = opened.json()
        assert welcome["text"].startswith("Привіт! Я демо-бот кав'ярні.")
        labels = [b["Text"] for b in welcome["keyboard"]["Buttons"]]
        assert labels == ["☕ Замовити каву", "Що ти вмієш?"]

        steps: list[tuple[str, str, str]] = [
            ("press", "☕ Замовити каву", "Як до вас звертатися?"),
            ("say", "Олена", "Скільки чашок, Олена? (від 1 до 10)"),
            ("say", "2", "Олена, ваше замовлення: 2 ☕, до сплати 90 грн. Підтверджуєте?"),
            ("press", "Так", "Куди надіслати чек?"),
            ("say", "olena@example.com", "Дякую, Олена! Замовлення A-"),
        ]
        for n, (how, what, expected) in enumerate(steps, start=2):
            answered = await (fake.press if how == "press" else fake.say)(TOKEN, person, what)
            assert answered.status_code == 200, answered.text
            texts = [m.get("text", "") for m in await said(fake, person, n)]
            assert texts[-1].startswith(expected), texts
        confirm = fake.messages_to(TOKEN, person)[3]
        assert [b["ActionBody"] for b in confirm["keyboard"]["Buttons"]] == ["Так",
                                                                            "Ні, спочатку"]

        # The conversation knows the person by their Viber id, and the presses as choices.
        conversations = (await api.get(f"/api/v1/bots/{bot_id}/conversations",
                                       headers=owner.headers)).json()
        items = conversations["items"] if isinstance(conversations, dict) else conversations
        assert [c["end_user_id"] for c in items] == [f"viber:{person['id']}"]
        assert items[0]["channel"] == "viber"

        # After the end, writing again starts a new conversation (its welcome first).
        count = len(fake.messages_to(TOKEN, person))
        again = await fake.say(TOKEN, person, "ще раз")
        assert again.status_code == 200
        told = await said(fake, person, count + 1)
        assert told[count]["text"].startswith("Привіт! Я демо-бот кав'ярні.")

        status = await status_of(api, bot_id, owner, received=len(steps) + 2)
        assert status["status"] == "active" and status["last_error"] is None
        listed = (await api.get(f"/api/v1/bots/{bot_id}/channels",
                                headers=owner.headers)).json()
        assert [c["kind"] for c in listed] == ["viber"]
        gone = await api.delete(f"/api/v1/bots/{bot_id}/channels/viber",
                                headers=owner.headers)
        assert gone.status_code == 204 and not fake.webhook(TOKEN)
        raw = json.dumps({"event": "message", "message_token": 1, "sender": {
            "id": person["id"]}, "message": {"type": "text", "text": "hi"}}).encode()
        after = await api.post(f"/webhooks/viber/{connection['id']}", content=raw, headers={
            "X-Viber-Content-Signature": sign(TOKEN, raw)})
        assert after.status_code == 404
