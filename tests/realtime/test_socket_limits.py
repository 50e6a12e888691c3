"""WebSocket limits a legitimate client must never hit and an abusive one always does: the
per-bot flood limit (fast typing and resends after a reconnect pass; floods of text or binary
frames are closed with 1008), the hello deadline (1008), and resume tokens that expire."""

from __future__ import annotations


import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from core.security import Role
from tests.integration.test_chat_api import bot_with, echo_document
from tests.realtime.test_websocket_protocol import Client, open_chat


async def echo_bot(client, make_actor, **settings) -> tuple[str, str, object]:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    bot_id, _, headers = await bot_with(client, owner, echo_document())
    if settings:
        patched = await client.patch(f"/api/v1/bots/{bot_id}", headers=owner.headers,
                                     json={"settings": settings})
        assert patched.status_code == 200, patched.text
    return headers["X-Chat-Key"], bot_id, owner


async def closed_code(chat: Client, timeout: float = 10) -> int:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await chat.recv(timeout)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


async def test_thirty_quick_messages_are_all_answered(server, client, make_actor) -> None:  # type: ignore[no-untyped-def]
    """A fast typist (or a widget flushing what it queued offline): 30 messages sent at once,
    on a bot with the default limit."""
    key, _, _ = await echo_bot(client, make_actor)
    chat, _ = await open_chat(server, key, language="en")
    for n in range(30):
        await chat.send(type="message", text=f"n{n}", client_message_id=f"q{n}")
    echoes = []
    while len(echoes) < 30:
        frame = await chat.recv()
        assert frame["type"] != "error", frame
        if frame["type"] == "message" and frame["direction"] == "out" and \
                frame["message"]["text"].startswith("echo"):
            echoes.append(frame["message"]["text"])
    assert echoes == [f"echo: n{n}" for n in range(30)]
    await chat.ws.close()


async def test_resends_after_a_reconnect_do_not_count(server, client, make_actor) -> None:  # type: ignore[no-untyped-def]
    """With a tight per-bot limit (12 at once, then one every 2 s), a widget that reconnects
    and resends its 10 messages (already stored: acknowledged as duplicates) can still send 8
    new ones; without the resends being recognised, that would be 19 frames, over the limit."""
    key, _, _ = await echo_bot(client, make_actor,
                               flood_limit={"burst": 12, "per_second": 0.5})
    first, frames = await open_chat(server, key, language="en")
    token = frames[0]["resume_token"]
    for n in range(10):
        await first.send(type="message", text=f"n{n}", client_message_id=f"r{n}")
    acks = 0
    while acks < 10:
        frame = await first.recv()
        assert frame["type"] != "error", frame
        acks += frame["type"] == "ack"
    seen = max(f["seq"] for f in first.frames if "seq" in f)
    await first.ws.close()

    again, _ = await open_chat(server, key, resume={"token": token, "last_seq": seen})
    for n in range(10):  # the widget did not see these acks: it sends them again
        await again.send(type="message", text=f"n{n}", client_message_id=f"r{n}")
    for n in range(10, 18):
        await again.send(type="message", text=f"n{n}", client_message_id=f"r{n}")
    acks_seen: dict[str, bool] = {}
    while len(acks_seen) < 18:
        frame = await again.recv()
        assert frame["type"] != "error", frame
        if frame["type"] == "ack":
            acks_seen[frame["client_message_id"]] = frame["duplicate"]
    assert [acks_seen[f"r{n}"] for n in range(18)] == [True] * 10 + [False] * 8
    await again.ws.close()


async def test_a_flood_is_still_closed_with_1008(server, client, make_actor) -> None:  # type: ignore[no-untyped-def]
    key, _, _ = await echo_bot(client, make_actor)
    chat, _ = await open_chat(server, key)
    for n in range(200):
        await chat.send(type="ping")
    assert await closed_code(chat) == 1008


async def test_resending_one_old_message_over_and_over_is_a_flood(server, client, make_actor) -> None:  # type: ignore[no-untyped-def]
    key, _, _ = await echo_bot(client, make_actor, flood_limit={"burst": 10, "per_second": 1})
    chat, _ = await open_chat(server, key, language="en")
    await chat.say(text="once", client_message_id="same")
    with pytest.raises(ConnectionClosed) as closed:
        for n in range(100):
            await chat.send(type="message", text="once", client_message_id="same")
        while True:
            await chat.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


async def test_binary_frames_count_against_the_flood_limit(server, client, make_actor) -> None:  # type: ignore[no-untyped-def]
    key, _, _ = await echo_bot(client, make_actor)
    chat, _ = await open_chat(server, key)
    for n in range(200):
        await chat.ws.send(b"\x00" * 10)
    assert await closed_code(chat) == 1008


async def test_a_socket_without_hello_is_closed_with_1008(server, demo_key, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from chat.realtime import router

    monkeypatch.setattr(router, "HELLO_SECONDS", 0.5)
    key, _, _ = demo_key
    ws = await connect(f"ws://127.0.0.1:{server}/ws/v1/chat?key={key}")
    assert await closed_code(Client(ws), timeout=5) == 1008


async def test_resume_tokens_carry_an_expiry(server, demo_key, settings) -> None:  # type: ignore[no-untyped-def]
    import jwt

    key, bot_id, _ = demo_key
    chat, frames = await open_chat(server, key, language="en")
    token = frames[0]["resume_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == settings.ws_resume_token_ttl_seconds == 86_400
    await chat.ws.close()


async def test_an_expired_resume_token_starts_a_new_conversation(server, demo_key, settings) -> None:  # type: ignore[no-untyped-def]
    import time

    import jwt

    key, bot_id, _ = demo_key
    chat, frames = await open_chat(server, key, language="en")
    conversation_id = frames[0]["conversation_id"]
    await chat.ws.close()
    now = int(time.time())
    claims = {"typ": "resume", "cid": conversation_id, "bid": str(bot_id)}
    expired = jwt.encode({**claims, "iat": now - 7200, "exp": now - 3600},
                         settings.signing_key(), algorithm="HS256")
    never = jwt.encode(claims, settings.signing_key(), algorithm="HS256")  # no exp at all
    valid = jwt.encode({**claims, "iat": now, "exp": now + 60}, settings.signing_key(),
                       algorithm="HS256")
    for token, resumed in ((expired, False), (never, False), (valid, True)):
        again, frames = await open_chat(server, key, resume={"token": token, "last_seq": 1})
        welcome = frames[0]
        assert welcome["resumed"] is resumed, token
        assert (welcome["conversation_id"] == conversation_id) is resumed
        await again.ws.close()


def test_the_default_flood_limit_is_the_bot_settings_default() -> None:
    from chat.realtime import router
    from scenarios.bot.schemas import BotSettings

    limit = BotSettings().flood_limit
    assert (limit.burst, limit.per_second) == (router.BURST, router.RATE_PER_SECOND)


