"""Delivery's guarantees against the fake Bot API's failures: every stored answer is sent once,
in order, whatever Telegram answers (429, 5xx, 400, 403, a revoked token) and whether or not
the server restarts in between."""

from __future__ import annotations

import asyncio
import time

import httpx

from tests.channels.test_telegram_webhook import (  # noqa: F401  (stack: a fixture)
    CHAT,
    PERSON,
    TOKEN,
    counted,
    said,
    stack,
)
from tests.conftest import serve as serve_platform


async def connect(base: str, owner, bot_id) -> dict:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        answer = await api.put(f"/api/v1/bots/{bot_id}/channels/telegram", json={
            "token": TOKEN, "public_url": base}, headers=owner.headers)
        assert answer.status_code == 200, answer.text
        return answer.json()


def text(n: int, value: str) -> dict:
    return {"message_id": n, "date": 1, "from": PERSON, "chat": CHAT, "text": value}


async def status(base: str, owner, bot_id) -> dict:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        return (await api.get(f"/api/v1/bots/{bot_id}/channels/telegram",
                              headers=owner.headers)).json()


async def test_429_is_waited_out_and_5xx_retried_each_message_sent_once(stack) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, bot_id = stack
    await connect(base, owner, bot_id)
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    fake.fail("sendMessage", 502, "Bad Gateway", times=2)
    started = time.monotonic()
    await fake.deliver(TOKEN, fake.update(TOKEN, message=text(1, "/start")))
    [welcome] = await said(fake, 1)
    assert welcome.params["text"].startswith("Hi! I am the coffee shop demo bot.")
    assert time.monotonic() - started >= 1.0  # Telegram's retry_after was honoured
    await asyncio.sleep(0.3)
    tries = [c.status for c in fake.calls if c.method == "sendMessage"]
    assert tries == [429, 502, 502, 200]  # sent once, after waiting out each failure
    async with httpx.AsyncClient(base_url=base, timeout=20) as api:
        state = await counted(api, bot_id, owner.headers, 1, 1)
    assert state["sent"] == 1 and state["last_error"] is None


async def test_a_refused_message_is_skipped_and_recorded_the_next_still_goes(stack) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, bot_id = stack
    await connect(base, owner, bot_id)
    fake.fail("sendMessage", 400, "Bad Request: message is too long")
    await fake.deliver(TOKEN, fake.update(TOKEN, message=text(1, "/start")))
    await asyncio.sleep(0.5)
    await fake.deliver(TOKEN, fake.update(TOKEN, callback_query={
        "id": "cbq", "from": PERSON, "chat_instance": "c", "data": "about",
        "message": {"message_id": 1, "date": 1, "chat": CHAT, "text": "…"}}))
    sent = await said(fake, 2)  # the welcome was refused; "I am a Rozmova…" and the menu
    texts = [c.params["text"] for c in sent]
    assert texts[0].startswith("I am a Rozmova scenario") and texts[1].startswith("Hi!")
    assert [c.status for c in fake.calls if c.method == "sendMessage"] == [400, 200, 200]
    state = await status(base, owner, bot_id)
    assert "message is too long" in state["last_error"].lower() and state["status"] == "active"
    [letter] = state["dead_letters"]  # the refused welcome, with where and why
    assert (letter["method"], letter["chat_id"], letter["seq"]) == ("sendMessage", "501", 1)
    assert "too long" in letter["reason"].lower()


async def test_a_revoked_token_marks_the_connection_failed(stack) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, bot_id = stack
    await connect(base, owner, bot_id)
    fake.fail("sendMessage", 401, "Unauthorized")
    await fake.deliver(TOKEN, fake.update(TOKEN, message=text(1, "/start")))
    for _ in range(100):
        state = await status(base, owner, bot_id)
        if state["status"] == "failed":
            break
        await asyncio.sleep(0.05)
    assert state["status"] == "failed" and "token" in state["last_error"]


async def test_a_restart_in_the_middle_of_retries_loses_nothing_and_sends_nothing_twice(
        stack, settings, runtime) -> None:  # type: ignore[no-untyped-def]
    fake, base, owner, bot_id = stack
    await connect(base, owner, bot_id)
    # Telegram is down: every try fails, the delivery gives up, the answer stays stored.
    fake.fail("sendMessage", 503, "Service Unavailable", times=10_000)
    answered = await fake.deliver(TOKEN, fake.update(TOKEN, message=text(1, "/start")))
    assert answered.status_code == 200  # the turn is stored: Telegram need not resend
    await asyncio.sleep(3)
    assert fake.sent("sendMessage") == []
    # Another server process takes over (the first one is gone for this test's purpose);
    # Telegram is back; its sweeper finds the undelivered answer and sends it once.
    fake._failures.clear()
    server, task, port = await serve_platform(settings, runtime)
    try:
        [welcome] = await said(fake, 1)
        assert welcome.params["text"].startswith("Hi! I am the coffee shop demo bot.")
        await asyncio.sleep(2.5)  # both instances' sweepers ran again meanwhile
        assert len(fake.sent("sendMessage")) == 1
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


async def test_buttons_pressed_while_a_delivery_runs_are_each_acknowledged(stack) -> None:  # type: ignore[no-untyped-def]
    """Presses that arrive while the chat's delivery is still sending (a slow Telegram)
    are answered by the delivery that follows: none leaves its button spinning."""
    fake, base, owner, bot_id = stack
    await connect(base, owner, bot_id)
    await fake.deliver(TOKEN, fake.update(TOKEN, message=text(1, "/start")))
    await said(fake, 1)
    fake.fail("sendMessage", 502, "Bad Gateway", delay=0.5)  # the next delivery is slow

    def press(n: int, data: str) -> dict:
        return {"id": f"cbq-{n}", "from": PERSON, "chat_instance": "c", "data": data,
                "message": {"message_id": 1, "date": 1, "chat": CHAT, "text": "…"}}

    await fake.deliver(TOKEN, fake.update(TOKEN, callback_query=press(1, "about")))
    await fake.deliver(TOKEN, fake.update(TOKEN, callback_query=press(2, "order")))
    await fake.deliver(TOKEN, fake.update(TOKEN, message=text(2, "Olena")))
    texts = [c.params["text"] for c in await said(fake, 5)]
    assert texts[-1] == "How many cups, Olena? (1 to 10)"
    for _ in range(100):
        answered = [c.params["callback_query_id"] for c in fake.sent("answerCallbackQuery")]
        if len(answered) == 2:
            break
        await asyncio.sleep(0.05)
    assert answered == ["cbq-1", "cbq-2"]


async def test_a_press_whose_answer_was_sent_already_is_still_acknowledged(
        stack, settings, runtime) -> None:  # type: ignore[no-untyped-def]
    """The sweeper may deliver a press's answer before the press's own delivery runs; that
    delivery then has nothing to send, and must still answer the press (Telegram spins on
    the button until it is answered)."""
    from sqlalchemy import select

    from chat.channels.models import ChannelChat, ChannelConnection
    from chat.dependencies import channels
    from gateway.app import create_app

    fake, base, owner, bot_id = stack
    await connect(base, owner, bot_id)
    await fake.deliver(TOKEN, fake.update(TOKEN, message=text(1, "/start")))
    await said(fake, 1)
    async with runtime.sessionmaker() as session:
        connection_id = await session.scalar(select(ChannelConnection.id).where(
            ChannelConnection.bot_id == bot_id))
        chat = await session.get(ChannelChat, (connection_id, str(CHAT["id"])))
    assert chat is not None
    other = channels(create_app(settings, runtime=runtime))  # another delivery, as the sweeper's
    for _ in range(100):  # the welcome's delivery is recorded
        async with runtime.sessionmaker() as session:
            if (await session.get(ChannelChat, (connection_id, chat.chat_id))).delivered_seq \
                    >= 1:
                break
        await asyncio.sleep(0.05)
    sent = await other.deliver(connection_id, chat.chat_id, presses=[("cbq-late", 1)])
    assert sent == 0
    assert [c.params["callback_query_id"] for c in fake.sent("answerCallbackQuery")] == [
        "cbq-late"]
    [taken_off] = fake.sent("editMessageReplyMarkup")
    assert str(taken_off.params["message_id"]) == "1"
    await other.close()
