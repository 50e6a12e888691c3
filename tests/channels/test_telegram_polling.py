"""Polling across instances: only the instance holding the bot's lease in Redis polls; when it
stops, another takes over at once, and no update is answered twice."""

from __future__ import annotations

import asyncio

import pytest

from chat.channels.service import Channels
from chat.channels.telegram.fake import FakeTelegram
from core.security import Role
from tests.channels.test_fake_telegram import serve
from tests.channels.test_telegram_webhook import CHAT, PERSON, TOKEN, said


async def test_one_instance_polls_and_hands_over_when_it_stops(
        app, client, runtime, settings, make_actor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    if runtime.redis is None:
        pytest.skip("instances share the poller's lease through Redis (ROZMOVA_TEST_REDIS_URL)")
    from chat.dependencies import channels
    from chat.contract import ensure_chat_key
    from chat.dependencies import conversation_service
    from core.db import transaction
    from scenarios.contract import seed_demo_bot

    monkeypatch.setattr(Channels, "poll_lease_seconds", 3.0)
    monkeypatch.setattr(Channels, "poll_seconds", 0.3)
    fake = FakeTelegram()
    fake.add_bot(TOKEN, "coffee_demo_bot")
    fake_server, fake_task, fake_port = await serve(fake.app)
    monkeypatch.setattr(runtime.settings, "telegram_api_url", f"http://127.0.0.1:{fake_port}")
    owner = await make_actor(Role.owner)
    async with transaction(runtime.sessionmaker) as session:
        bot_id, _ = await seed_demo_bot(session=session, org_id=owner.org_id,
                                        author_id=owner.user_id)
        await ensure_chat_key(session=session, bot_id=bot_id, org_id=owner.org_id,
                              key="rzc_tg_poll_key")
    connected = await client.put(f"/api/v1/bots/{bot_id}/channels/telegram",
                                 json={"token": TOKEN, "mode": "polling"}, headers=owner.headers)
    assert connected.status_code == 200, connected.text
    key = f"{settings.redis_prefix}poller:{connected.json()['id']}"
    first = channels(app)
    second = Channels(runtime, conversation_service(app))  # another instance's channel layer
    try:
        await first.ensure_pollers()
        for _ in range(100):
            if await runtime.redis.get(key):
                break
            await asyncio.sleep(0.02)
        await second.ensure_pollers()
        assert (await runtime.redis.get(key)).decode() == first._instance
        fake.update(TOKEN, message={"message_id": 1, "date": 1, "from": PERSON, "chat": CHAT,
                                    "text": "/start"})
        await said(fake, 1)
        await first.close()  # the holder stops: its lease goes with it
        fake.update(TOKEN, callback_query={
            "id": "cbq-handover", "from": PERSON, "chat_instance": "c", "data": "order",
            "message": {"message_id": 1, "date": 1, "chat": CHAT, "text": "…"}})
        texts = [c.params["text"] for c in await said(fake, 2)]
        assert texts[1] == "What should I call you?"
        assert (await runtime.redis.get(key)).decode() == second._instance
        await asyncio.sleep(0.8)
        assert len(fake.sent("sendMessage")) == 2  # nothing answered twice
    finally:
        await second.close()
        await first.close()
        fake_server.should_exit = fake_server.force_exit = True
        await fake_task


async def test_a_publish_changes_telegrams_menu(app, client, runtime, make_actor,
                                                monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import json
    from pathlib import Path

    from chat.dependencies import channels
    from core.db import transaction
    from scenarios.contract import seed_demo_bot

    fake = FakeTelegram()
    fake.add_bot(TOKEN, "coffee_demo_bot")
    fake_server, fake_task, fake_port = await serve(fake.app)
    monkeypatch.setattr(runtime.settings, "telegram_api_url", f"http://127.0.0.1:{fake_port}")
    try:
        owner = await make_actor(Role.owner)
        async with transaction(runtime.sessionmaker) as session:
            bot_id, _ = await seed_demo_bot(session=session, org_id=owner.org_id,
                                            author_id=owner.user_id)
        connected = await client.put(f"/api/v1/bots/{bot_id}/channels/telegram", json={
            "token": TOKEN, "mode": "polling"}, headers=owner.headers)
        assert connected.status_code == 200, connected.text
        layer = channels(app)
        assert await layer.refresh_menus(every_seconds=0) == 0  # the menu is current
        [scenario] = (await client.get(f"/api/v1/bots/{bot_id}/scenarios",
                                       headers=owner.headers)).json()["items"]
        document = json.loads((Path(__file__).resolve().parents[2] / "scenarios" /
                               "demo-bot.json").read_text(encoding="utf-8"))
        document["entry"]["commands"]["order"] = "ask_name"
        draft = await client.put(f"/api/v1/scenarios/{scenario['id']}/draft", json=document,
                                 headers={**owner.headers, "If-Match": '"1"'})
        assert draft.status_code == 200, draft.text
        published = await client.post(f"/api/v1/scenarios/{scenario['id']}/publish", json={},
                                      headers=owner.headers)
        assert published.status_code == 201, published.text
        for _ in range(200):  # the bot's facts are kept a few seconds
            if await layer.refresh_menus(every_seconds=0) == 1:
                break
            await asyncio.sleep(0.05)
        menus = [[c["command"] for c in call.params["commands"]]
                 for call in fake.sent("setMyCommands")]
        assert menus == [["menu"], ["menu", "order"]]
        assert await layer.refresh_menus(every_seconds=0) == 0
        await layer.close()
    finally:
        fake_server.should_exit = fake_server.force_exit = True
        await fake_task
