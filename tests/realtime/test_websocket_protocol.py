"""The WebSocket chat protocol against a real server (uvicorn, websockets-sansio) with a real
`websockets` client: conversation, resume after a drop, ordering, duplicates, bad frames,
limits and close codes, origins, ended conversations, delivery across instances."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from core.runtime import Runtime
from core.security import Role
from tests.conftest import serve


class Client:
    """A protocol client that records every frame it receives."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.frames: list[dict] = []
        self.n = 0

    async def send(self, **frame) -> None:  # type: ignore[no-untyped-def]
        await self.ws.send(json.dumps(frame))

    async def recv(self, timeout: float = 10) -> dict:
        frame = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
        self.frames.append(frame)
        return frame

    async def until(self, kind: str, timeout: float = 10) -> list[dict]:
        """Frames up to and including the next one of `kind`."""
        got = []
        while True:
            frame = await self.recv(timeout)
            got.append(frame)
            if frame["type"] == kind:
                return got

    async def say(self, **body) -> list[dict]:  # type: ignore[no-untyped-def]
        self.n += 1
        body.setdefault("client_message_id", f"c{self.n}-{uuid.uuid4().hex[:6]}")
        await self.send(type="message", **body)
        return await self.until("input")


def texts(frames: list[dict]) -> list[str]:
    return [f["message"].get("text") for f in frames
            if f["type"] == "message" and f["direction"] == "out" and f["message"].get("text")]


async def open_chat(port: int, key: str, **hello) -> tuple[Client, list[dict]]:  # type: ignore[no-untyped-def]
    ws = await connect(f"ws://127.0.0.1:{port}/ws/v1/chat?key={key}")
    client = Client(ws)
    await client.send(type="hello", v=1, **hello)
    return client, await client.until("input")


async def test_a_batch_client_gets_each_turn_in_one_frame(server, demo_key) -> None:  # type: ignore[no-untyped-def]
    """`batch: true` in the hello: the welcome's turn and every later turn arrive as one
    `batch` frame (ack, history items, input state), with no `typing` for a quick answer; the
    history and its seqs are exactly what a frame-per-item client gets."""
    key, _, _ = demo_key
    ws = await connect(f"ws://127.0.0.1:{server}/ws/v1/chat?key={key}")
    client = Client(ws)
    await client.send(type="hello", v=1, language="en", batch=True)
    welcome, first = await client.recv(), await client.recv()
    assert welcome["type"] == "welcome" and first["type"] == "batch"
    assert [f["type"] for f in first["frames"]] == ["message", "input"]
    await client.send(type="message", client_message_id="b1", choice_id="order")
    turn = await client.recv()
    assert turn["type"] == "batch"
    inner = turn["frames"]
    assert [f["type"] for f in inner] == ["ack", "message", "message", "input"]
    assert inner[0]["client_message_id"] == "b1" and inner[0]["duplicate"] is False
    assert inner[1]["direction"] == "in" and inner[1]["seq"] == inner[0]["seq"]
    assert [f["message"]["text"] for f in inner[2:3]] == ["What should I call you?"]
    assert inner[-1]["input"]["kind"] == "text"
    await client.send(type="message", client_message_id="b1", choice_id="order")  # a resend
    again = await client.recv()
    assert again["type"] == "batch" and again["frames"][0]["duplicate"] is True
    with pytest.raises(TimeoutError):
        await client.recv(timeout=0.5)  # nothing else came: no typing, no stray frame
    await client.ws.close()


async def test_a_conversation_over_the_socket(server, demo_key) -> None:  # type: ignore[no-untyped-def]
    key, _, _ = demo_key
    client, first = await open_chat(server, key, language="en")
    welcome = first[0]
    assert welcome["type"] == "welcome" and welcome["resumed"] is False
    assert welcome["bot"]["name"] == "Demo" and welcome["resume_token"]
    assert texts(first) == ["Hi! I am the coffee shop demo bot. Shall we order a coffee?"]
    assert first[-1]["input"]["kind"] == "buttons"
    frames = await client.say(choice_id="order")
    kinds = [f["type"] for f in frames]
    assert kinds[:2] == ["typing", "ack"] and kinds[-1] == "input"
    mine = [f for f in frames if f["type"] == "message" and f["direction"] == "in"]
    assert mine and mine[0]["message"] == {"type": "choice", "choice_id": "order"}
    assert texts(frames) == ["What should I call you?"]
    seqs = [f["seq"] for f in client.frames if f["type"] == "message"]
    assert seqs == list(range(1, len(seqs) + 1))  # every history item, once, in order
    await client.ws.close()


async def test_resume_after_a_drop_loses_nothing_and_repeats_nothing(client, server, demo_key) -> None:  # type: ignore[no-untyped-def]
    key, _, _ = demo_key
    first, frames = await open_chat(server, key, language="en")
    token = frames[0]["resume_token"]
    conversation_id = frames[0]["conversation_id"]
    await first.say(choice_id="order")
    seen = max(f["seq"] for f in first.frames if f["type"] == "message")
    await first.ws.close()  # the network drops
    # Meanwhile the conversation moves on elsewhere (another tab, over REST).
    url = f"/api/v1/conversations/{conversation_id}/messages"
    moved = await client.post(url, json={"text": "Oksana", "client_message_id": "rest-1"},
                              headers={"X-Chat-Key": key})
    assert moved.status_code == 200
    again, replay = await open_chat(server, key, resume={"token": token, "last_seq": seen})
    assert replay[0]["type"] == "welcome" and replay[0]["resumed"] is True
    assert replay[0]["conversation_id"] == conversation_id
    missed = [f for f in replay if f["type"] == "message"]
    assert [f["seq"] for f in missed] == list(range(seen + 1, seen + 1 + len(missed)))
    assert [f["direction"] for f in missed] == ["in", "out"]
    assert missed[0]["message"]["text"] == "Oksana"
    assert missed[1]["message"]["text"] == "How many cups, Oksana? (1 to 10)"
    assert replay[-1]["type"] == "input" and replay[-1]["input"]["kind"] == "number"
    # and it continues from there
    assert texts(await again.say(text="2"))[-1].startswith("Oksana, your order: 2")
    await again.ws.close()


async def test_a_forged_resume_token_starts_a_new_conversation(server, demo_key) -> None:  # type: ignore[no-untyped-def]
    key, _, _ = demo_key
    client, frames = await open_chat(server, key, resume={"token": "forged.token.x", "last_seq": 3})
    assert frames[0]["resumed"] is False
    await client.ws.close()


async def test_a_resume_only_hello_starts_nothing_when_the_token_fails(server, demo_key,
                                                                      runtime) -> None:  # type: ignore[no-untyped-def]
    """The builder's test chat joins its preview or nothing: with `only: true` a token that
    no longer works is an error frame, no conversation is started, and the socket stays open
    for another hello."""
    from sqlalchemy import func, select

    from chat.conversations.models import Conversation

    key, _, _ = demo_key
    async with runtime.sessionmaker() as session:
        before = await session.scalar(select(func.count()).select_from(Conversation))
    ws = await connect(f"ws://127.0.0.1:{server}/ws/v1/chat?key={key}")
    client = Client(ws)
    await client.send(type="hello", v=1, resume={"token": "forged.token.x", "last_seq": 3,
                                                 "only": True})
    refused = await client.recv()
    assert refused["type"] == "error" and refused["code"] == "not_resumed"
    assert "nothing was started" in refused["message"]
    async with runtime.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Conversation)) == before
    await client.send(type="hello", v=1, language="en")
    assert (await client.recv())["type"] == "welcome"
    await client.ws.close()


async def test_concurrent_sends_are_answered_in_order(server, runtime, make_actor, client) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    from tests.integration.test_chat_api import bot_with, echo_document

    _, _, headers = await bot_with(client, owner, echo_document())
    chat, _ = await open_chat(server, headers["X-Chat-Key"], language="en")
    for n in range(10):  # all at once, without waiting for answers
        await chat.send(type="message", text=f"n{n}", client_message_id=f"m{n}")
    acks, echoes = [], []
    while len(echoes) < 10:
        frame = await chat.recv()
        if frame["type"] == "ack":
            acks.append(frame["client_message_id"])
        elif frame["type"] == "message" and frame["direction"] == "out" and \
                frame["message"]["text"].startswith("echo"):
            echoes.append(frame["message"]["text"])
    assert acks == [f"m{n}" for n in range(10)]
    assert echoes == [f"echo: n{n}" for n in range(10)]
    await chat.ws.close()


async def test_duplicate_client_message_id_runs_once(server, demo_key, client) -> None:  # type: ignore[no-untyped-def]
    key, _, _ = demo_key
    chat, frames = await open_chat(server, key, language="en")
    conversation_id = frames[0]["conversation_id"]
    await chat.say(choice_id="order", client_message_id="same")
    await chat.send(type="message", choice_id="about", client_message_id="same")
    again = await chat.until("input")
    ack = next(f for f in again if f["type"] == "ack")
    assert ack["duplicate"] is True
    assert not [f for f in again if f["type"] == "message"]  # nothing new to show
    history = (await client.get(f"/api/v1/conversations/{conversation_id}/messages",
                                headers={"X-Chat-Key": key})).json()["items"]
    assert [h["direction"] for h in history].count("in") == 1
    await chat.ws.close()


async def test_bad_frames_get_error_frames_and_the_connection_stays(server, demo_key) -> None:  # type: ignore[no-untyped-def]
    key, _, _ = demo_key
    ws = await connect(f"ws://127.0.0.1:{server}/ws/v1/chat?key={key}")
    chat = Client(ws)
    await ws.send('{"type": "message", "text": "hi"}')  # before hello
    assert (await chat.recv())["code"] == "hello_required"
    await chat.send(type="hello", v=1, language="en")
    await chat.until("input")
    for raw, code, needle in [
        ("{not json", "bad_json", "not valid JSON"),
        ('["a list"]', "bad_frame", "JSON object"),
        ('{"type": "dance"}', "bad_frame", "unknown frame type 'dance'"),
        ('{"type": "message", "text": "hi"}', "bad_frame", "client_message_id"),
        ('{"type": "message", "text": "a", "choice_id": "b", "client_message_id": "x"}',
         "bad_frame", "exactly one"),
    ]:
        await ws.send(raw)
        frame = await chat.recv()
        assert frame["type"] == "error" and frame["code"] == code, frame
        assert needle in frame["message"], frame
    await chat.send(type="ping")
    assert (await chat.recv())["type"] == "pong"
    assert texts(await chat.say(choice_id="order")) == ["What should I call you?"]
    await ws.close()


async def test_oversize_frame_closes_with_1009(server, demo_key) -> None:  # type: ignore[no-untyped-def]
    key, _, _ = demo_key
    chat, _ = await open_chat(server, key)
    await chat.send(type="message", text="x" * 20_000, client_message_id="big")
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await chat.recv()
    assert closed.value.rcvd.code == 1009


async def test_flood_closes_with_1008(server, demo_key) -> None:  # type: ignore[no-untyped-def]
    key, _, _ = demo_key
    chat, _ = await open_chat(server, key)
    with pytest.raises(ConnectionClosed) as closed:
        for n in range(200):
            await chat.send(type="ping")
        while True:
            await chat.recv()
    assert closed.value.rcvd.code == 1008


async def test_origins_are_checked_at_the_handshake(server, demo_key, client) -> None:  # type: ignore[no-untyped-def]
    key, bot_id, owner = demo_key
    url = f"ws://127.0.0.1:{server}/ws/v1/chat?key={key}"
    with pytest.raises(InvalidStatus) as refused:
        await connect(url, additional_headers={"Origin": "https://shop.example.com"})
    assert refused.value.response.status_code == 403
    patched = await client.patch(f"/api/v1/bots/{bot_id}", headers=owner.headers,
                                 json={"settings": {"allowed_origins": ["https://shop.example.com"]}})
    assert patched.status_code == 200, patched.text
    ws = await connect(url, additional_headers={"Origin": "https://shop.example.com"})
    await ws.close()
    with pytest.raises(InvalidStatus):
        await connect(f"ws://127.0.0.1:{server}/ws/v1/chat?key=rzc_wrong")
    own = await connect(url, additional_headers={"Origin": f"http://127.0.0.1:{server}"})
    await own.close()


async def test_a_message_to_an_ended_conversation_is_refused(server, make_actor, client) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    from tests.integration.test_chat_api import bot_with

    document = {"schema_version": 2, "entry": {"start": "bye"}, "variables": [],
                "blocks": [{"id": "bye", "type": "end",
                            "settings": {"message": {"uk": "Бувай", "en": "Bye"}}}],
                "edges": []}
    _, _, headers = await bot_with(client, owner, document)
    chat, frames = await open_chat(server, headers["X-Chat-Key"], language="en")
    assert frames[-1]["ended"] is True
    await chat.send(type="message", text="hello?", client_message_id="late")
    error = next(f for f in await chat.until("error") if f["type"] == "error")
    assert error["code"] == "conversation_ended" and error["client_message_id"] == "late"
    history = (await client.get(f"/api/v1/conversations/{frames[0]['conversation_id']}/messages",
                                headers=headers)).json()["items"]
    assert all(h["direction"] == "out" for h in history)
    await chat.ws.close()


async def test_delivery_reaches_a_socket_on_another_instance(settings, runtime, demo_key) -> None:  # type: ignore[no-untyped-def]
    """An operator writes through instance B; the person's socket lives on instance A. With
    Redis configured, B is a separate runtime and the frames cross Redis pub/sub."""
    key, bot_id, owner = demo_key
    other = Runtime.from_settings(settings) if settings.redis_url else runtime
    a, a_task, a_port = await serve(settings, runtime)
    b, b_task, b_port = await serve(settings, other)
    try:
        document = {"schema_version": 2, "entry": {"start": "human"}, "variables": [],
                    "blocks": [{"id": "human", "type": "handoff", "settings": {}}], "edges": []}
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{b_port}") as http:
            from tests.integration.test_chat_api import bot_with

            _, _, headers = await bot_with(http, owner, document)
            chat, frames = await open_chat(a_port, headers["X-Chat-Key"])
            assert frames[-1]["status"] == "handoff"
            said = await http.post(
                f"/api/v1/conversations/{frames[0]['conversation_id']}/operator/messages",
                json={"text": "Доброго дня, я оператор"}, headers=owner.headers)
            assert said.status_code == 201, said.text
            frame = await chat.recv(timeout=5)
            assert frame["type"] == "message" and frame["direction"] == "operator"
            assert frame["message"]["text"] == "Доброго дня, я оператор"
            await chat.ws.close()
    finally:
        for srv, task in ((a, a_task), (b, b_task)):
            srv.should_exit = True
            await asyncio.wait_for(task, 30)
        if other is not runtime:
            await other.close()


async def test_shutdown_tells_sockets_to_reconnect(settings, runtime, demo_key) -> None:  # type: ignore[no-untyped-def]
    key, _, _ = demo_key
    srv, task, port = await serve(settings, runtime)
    chat, _ = await open_chat(port, key)
    srv.should_exit = True
    frames = []
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            frames.append(await chat.recv(timeout=30))
    await asyncio.wait_for(task, 30)
    # Either our reconnect frame then 1012, or uvicorn's own 1012 (service restart) first:
    # both mean "reconnect and resume", which the widget does.
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
    assert all(f["type"] == "reconnect" for f in frames)
