"""The demo bot on Telegram, end to end against the fake Bot API: the platform under uvicorn,
connected through the API with python-telegram-bot doing the talking to the fake, updates
delivered by the fake to the webhook as Telegram delivers them."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from chat.channels.telegram.fake import FakeTelegram
from core.security import Role
from tests.channels.test_fake_telegram import serve
from tests.conftest import serve as serve_platform

TOKEN = "7000001:demo-TOKEN-abc"
PERSON = {"id": 501, "is_bot": False, "first_name": "Olena", "language_code": "en"}
CHAT = {"id": 501, "type": "private", "first_name": "Olena"}


@pytest.fixture
async def stack(settings, runtime, make_actor, monkeypatch):  # type: ignore[no-untyped-def]
    """(fake Telegram, platform base URL, owner, bot id)."""
    from chat.contract import ensure_chat_key
    from core.db import transaction
    from scenarios.contract import seed_demo_bot
    from scenarios.demo_shop import DemoShop

    fake = FakeTelegram()
    fake.add_bot(TOKEN, "coffee_demo_bot")
    fake_server, fake_task, fake_port = await serve(fake.app)
    monkeypatch.setattr(runtime.settings, "telegram_api_url", f"http://127.0.0.1:{fake_port}")
    till = DemoShop()
    shop_port = await till.start(0)
    owner = await make_actor(Role.owner)
    async with transaction(runtime.sessionmaker) as session:
        bot_id, _ = await seed_demo_bot(session=session, org_id=owner.org_id,
                                        author_id=owner.user_id,
                                        shop_url=f"http://127.0.0.1:{shop_port}")
        await ensure_chat_key(session=session, bot_id=bot_id, org_id=owner.org_id,
                              key="rzc_tg_demo_key")
    server, task, port = await serve_platform(settings, runtime)
    yield fake, f"http://127.0.0.1:{port}", owner, bot_id
    server.should_exit = True
    await asyncio.wait_for(task, 30)
    await till.close()
    fake_server.should_exit = fake_server.force_exit = True  # a long poll may be open
    await fake_task


async def counted(api: httpx.AsyncClient, bot_id: Any, headers: dict, received: int,
                  sent: int = 0) -> dict:
    """The connection's status once its counters (written by the sweeper, every second or
    so) reach these figures."""
    for _ in range(100):
        status = (await api.get(f"/api/v1/bots/{bot_id}/channels/telegram",
                                headers=headers)).json()
        if status["received"] >= received and status["sent"] >= sent:
            return status
        await asyncio.sleep(0.05)
    raise AssertionError(f"counters stayed at {status}")


async def said(fake: FakeTelegram, count: int) -> list[Any]:
    """The first `count` messages the bot sent, once they are there."""
    for _ in range(300):
        sent = fake.sent("sendMessage")
        if len(sent) >= count:
            return sent
        await asyncio.sleep(0.02)
    raise AssertionError(f"only {[c.params['text'] for c in fake.sent('sendMessage')]}")


async def test_the_demo_bot_on_telegram_from_start_to_end(stack) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, bot_id = stack
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        connected = await api.put(f"/api/v1/bots/{bot_id}/channels/telegram", json={
            "token": TOKEN, "mode": "webhook", "public_url": base}, headers=owner.headers)
        assert connected.status_code == 200, connected.text
        assert connected.json()["account"] == "coffee_demo_bot"
        assert TOKEN not in connected.text and connected.json()["token_hint"] == TOKEN[-4:]
        assert fake.bots[TOKEN].webhook[0].startswith(f"{base}/webhooks/telegram/")
        [menu] = fake.sent("setMyCommands")  # the demo scenario's /menu, for Telegram's menu
        assert [c["command"] for c in menu.params["commands"]] == ["menu"]

        updates = iter(range(1, 100))

        def message(text: str) -> dict:
            return {"message_id": next(updates), "date": 1, "from": PERSON, "chat": CHAT,
                    "text": text}

        def press(data: str, on: int) -> dict:
            return {"id": f"cbq-{data}", "from": PERSON, "chat_instance": "c", "data": data,
                    "message": {"message_id": on, "date": 1, "chat": CHAT, "text": "…"}}

        steps: list[tuple[dict, str]] = [
            ({"message": message("/start")}, "Hi! I am the coffee shop demo bot."),
            ({"callback_query": press("order", 1)}, "What should I call you?"),
            ({"message": message("Olena")}, "How many cups, Olena? (1 to 10)"),
            ({"message": message("2")}, "Olena, your order: 2 ☕, 90 UAH to pay. Confirm?"),
            ({"callback_query": press("yes", 4)}, "Where should I send the receipt?"),
            ({"message": message("olena@example.com")}, "Thank you, Olena! Order A-"),
        ]
        for n, (content, expected) in enumerate(steps, start=1):
            update = fake.update(TOKEN, **content)
            answered = await fake.deliver(TOKEN, update)
            assert answered.status_code == 200, answered.text
            texts = [c.params["text"] for c in await said(fake, n)]
            assert texts[-1].startswith(expected), texts
        welcome = fake.sent("sendMessage")[0].params
        assert welcome["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "order"
        # Each press is answered by its delivery, which may run after the sweeper sent the
        # answer's message: wait for it.
        for _ in range(100):
            answered = [c.params["callback_query_id"] for c in fake.sent("answerCallbackQuery")]
            if len(answered) >= 2 and len(fake.sent("editMessageReplyMarkup")) >= 2:
                break
            await asyncio.sleep(0.05)
        assert answered == ["cbq-order", "cbq-yes"]
        # The pressed keyboards were taken off their messages.
        assert [(int(c.params["message_id"]), c.params["reply_markup"])  # form: text
                for c in fake.sent("editMessageReplyMarkup")] == [
            (1, {"inline_keyboard": []}), (4, {"inline_keyboard": []})]

        # Telegram resends an update it had no 200 for: handled once.
        again = await fake.deliver(TOKEN, update)
        assert again.status_code == 200
        await asyncio.sleep(0.3)
        assert len(fake.sent("sendMessage")) == len(steps)

        # An impostor without the secret token: 403, nothing stored or sent.
        forged = fake.update(TOKEN, message=message("/start"))
        refused = await fake.deliver(TOKEN, forged, secret="guess")
        assert refused.status_code == 403
        assert (await fake.deliver(TOKEN, forged, secret=None)).status_code == 403
        malformed = await httpx.AsyncClient().post(
            fake.bots[TOKEN].webhook[0], content=b'{"update_id": "x"}',
            headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
        assert malformed.status_code == 403  # the secret is checked before the body

        status = await counted(api, bot_id, owner.headers, len(steps) + 1, len(steps))
        assert status["received"] == len(steps) + 1  # the resend was accepted (and replayed)
        assert status["status"] == "active" and status["last_error"] is None
        gone = await api.delete(f"/api/v1/bots/{bot_id}/channels/telegram",
                                headers=owner.headers)
        assert gone.status_code == 204 and fake.bots[TOKEN].webhook is None
        after = await httpx.AsyncClient().post(
            f"{base}/webhooks/telegram/{status['id']}", json=forged,
            headers={"X-Telegram-Bot-Api-Secret-Token": "x"})
        assert after.status_code == 404


async def test_a_refused_token_or_a_missing_address_is_a_clear_422(stack) -> None:  # type: ignore[no-untyped-def]
    _, base, owner, bot_id = stack
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        wrong = await api.put(f"/api/v1/bots/{bot_id}/channels/telegram", json={
            "token": "1:not-known", "public_url": base}, headers=owner.headers)
        assert wrong.status_code == 422 and "refused the token" in wrong.json()["detail"]
        nowhere = await api.put(f"/api/v1/bots/{bot_id}/channels/telegram", json={
            "token": TOKEN}, headers=owner.headers)
        assert nowhere.status_code == 422 and "public_url" in nowhere.json()["detail"]
        other = await api.get(f"/api/v1/bots/{bot_id}/channels/telegram")
        assert other.status_code == 401


async def test_polling_mode_for_a_machine_telegram_cannot_reach(stack) -> None:  # type: ignore[no-untyped-def]
    """No public address: the platform asks Telegram for updates (getUpdates) and answers
    them; the offset moves only past updates whose turn is stored."""
    fake, base, owner, bot_id = stack
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        connected = await api.put(f"/api/v1/bots/{bot_id}/channels/telegram", json={
            "token": TOKEN, "mode": "polling"}, headers=owner.headers)
        assert connected.status_code == 200, connected.text
        assert connected.json()["mode"] == "polling" and fake.bots[TOKEN].webhook is None
        fake.update(TOKEN, message={"message_id": 1, "date": 1, "from": PERSON, "chat": CHAT,
                                    "text": "/start"})
        texts = [c.params["text"] for c in await said(fake, 1)]
        assert texts[0].startswith("Hi! I am the coffee shop demo bot.")
        fake.update(TOKEN, callback_query={
            "id": "cbq-poll", "from": PERSON, "chat_instance": "c", "data": "order",
            "message": {"message_id": 1, "date": 1, "chat": CHAT, "text": "…"}})
        texts = [c.params["text"] for c in await said(fake, 2)]
        assert texts[1] == "What should I call you?"
        # ... and on to the end of the demo, as over the webhook.
        for n, (content, expected) in enumerate([
                ({"text": "Olena"}, "How many cups, Olena? (1 to 10)"),
                ({"text": "2"}, "Olena, your order: 2 ☕, 90 UAH to pay. Confirm?"),
                (None, "Where should I send the receipt?"),
                ({"text": "olena@example.com"}, "Thank you, Olena! Order A-")], start=3):
            if content is None:
                fake.update(TOKEN, callback_query={
                    "id": "cbq-yes", "from": PERSON, "chat_instance": "c", "data": "yes",
                    "message": {"message_id": 4, "date": 1, "chat": CHAT, "text": "…"}})
            else:
                fake.update(TOKEN, message={"message_id": n, "date": 1, "from": PERSON,
                                            "chat": CHAT, **content})
            texts = [c.params["text"] for c in await said(fake, n)]
            assert texts[-1].startswith(expected), texts
        polls = [c for c in fake.sent("getUpdates")]
        assert polls and all(c.params.get("allowed_updates") == ["message", "callback_query"]
                             for c in polls)
        offsets = [int(c.params["offset"]) for c in polls if c.params.get("offset")]
        assert offsets == sorted(offsets)  # confirmed updates are never asked for again
        status = await counted(api, bot_id, owner.headers, 6)
        assert status["received"] == 6 and status["last_error"] is None


UPDATES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "telegram" / "updates"


@pytest.mark.shared_data
@pytest.mark.skipif(not UPDATES.is_dir(), reason="../shared/data/telegram/updates is not here")
async def test_every_shared_update_goes_through_the_webhook(stack) -> None:  # type: ignore[no-untyped-def]
    """Each real update posted as Telegram posts it: 200 for every one (edits, payments and
    queries are dropped with a logged reason); a voice, photo, sticker... gets the demo's
    polite answer, since its welcome takes buttons only."""
    fake, base, owner, bot_id = stack
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        connected = await api.put(f"/api/v1/bots/{bot_id}/channels/telegram", json={
            "token": TOKEN, "mode": "webhook", "public_url": base}, headers=owner.headers)
        assert connected.status_code == 200, connected.text
    answered: dict[str, int] = {}
    for n, path in enumerate(sorted(UPDATES.glob("*.json"))):
        update = json.loads(path.read_text(encoding="utf-8"))
        # The samples share update ids (which would make all but one a resend, dropped by
        # the dedupe): each gets its own, as Telegram would give them.
        update["update_id"] = 50_000 + n
        before = len(fake.sent("sendMessage"))
        response = await fake.deliver(TOKEN, update)
        answered[path.stem] = response.status_code
        chat = ((update.get("message") or {}).get("chat") or {})
        if chat.get("type") != "private":
            continue
        if path.stem in ("message_with_voice", "message_with_audio"):
            # Heard first (the welcome's buttons take words too): the fake has no such file,
            # so nothing is heard, and the person is asked to type.
            expected: tuple[str, ...] = ("Sorry, I could not hear that",
                                         "Вибачте, не вдалося розібрати")
        elif path.stem in ("message_with_photo", "message_with_sticker",
                           "message_with_location"):
            # The demo's welcome (sent first, if this starts the chat) cannot take this kind:
            # its fallback answers.
            expected = ("Sorry, I only understand the buttons", "Вибачте, я розумію лише кнопки")
        else:
            continue
        for _ in range(1000):  # a chat's messages are paced (one a second): they queue
            texts = [c.params["text"] for c in fake.sent("sendMessage")][before:]
            if any(t.startswith(expected) for t in texts):
                break
            await asyncio.sleep(0.03)
        else:
            pytest.fail(f"{path.name}: {texts}")
    assert set(answered.values()) == {200}, answered
