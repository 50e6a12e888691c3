"""Backpressure on the hot path: a process whose turn queue is full refuses a message at once
(503 with Retry-After over REST, an error frame with `retry_after` on the socket) and stores
nothing of it; one conversation cannot queue more than a bounded number of messages; the
queue drains in order once slots free up."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

import pytest

from core.errors import DependencyUnavailable
from core.locks import LockTimeout, _LocalLocks
from core.security import Role
from tests.integration.test_chat_api import bot_with, echo_document, start
from tests.realtime.test_websocket_protocol import open_chat


@asynccontextmanager
async def full_turn_queue(runtime):  # type: ignore[no-untyped-def]
    """Every database slot taken and the queue at its limit, as under an overload."""
    saved = runtime._turn_slots, runtime._turns_waiting
    runtime._turn_slots = asyncio.Semaphore(1)
    await runtime._turn_slots.acquire()
    runtime._turns_waiting = runtime.settings.turn_queue_limit
    try:
        yield
    finally:
        runtime._turn_slots, runtime._turns_waiting = saved


async def test_a_full_queue_refuses_a_message_at_once_and_stores_nothing(
        client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    _, _, headers = await bot_with(client, owner, echo_document())
    _, chat = await start(client, headers, language="en")
    url = f"/api/v1/conversations/{chat.id}/messages"
    before = (await client.get(url, headers=headers)).json()["items"]

    async with full_turn_queue(runtime):
        refused = await asyncio.wait_for(client.post(
            url, json={"text": "hi", "client_message_id": "bp-1"}, headers=headers), 5)
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "1"
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["code"] == "dependency_unavailable"
    assert "at capacity" in problem["detail"] and "nothing was changed" in problem["detail"]
    assert (await client.get(url, headers=headers)).json()["items"] == before

    # The same message, sent again once there is room, is handled (once).
    again = await client.post(url, json={"text": "hi", "client_message_id": "bp-1"},
                              headers=headers)
    assert again.status_code == 200 and again.json()["messages"][0]["text"] == "echo: hi"


async def test_a_socket_gets_an_error_frame_with_retry_after_and_can_send_again(
        server, client, make_actor, runtime) -> None:  # type: ignore[no-untyped-def]
    owner = await make_actor(Role.owner)
    _, _, headers = await bot_with(client, owner, echo_document())
    chat, _ = await open_chat(server, headers["X-Chat-Key"], language="en")
    async with full_turn_queue(runtime):
        await chat.send(type="message", text="hi", client_message_id="ws-1")
        frame = await chat.recv(5)
        while frame["type"] == "typing":
            frame = await chat.recv(5)
    assert frame["type"] == "error" and frame["code"] == "dependency_unavailable"
    assert frame["retry_after"] == 1
    await chat.send(type="message", text="hi", client_message_id="ws-1")
    texts = []
    while not texts:
        frame = await chat.recv(5)
        assert frame["type"] != "error", frame
        if frame["type"] == "message" and frame["direction"] == "out":
            texts.append(frame["message"]["text"])
    assert texts == ["echo: hi"]
    await chat.ws.close()


async def test_waiting_turns_enter_in_order_and_the_queue_is_bounded(runtime) -> None:  # type: ignore[no-untyped-def]
    saved = runtime._turn_slots, runtime._turns_waiting
    runtime._turn_slots = asyncio.Semaphore(1)
    limit = runtime.settings.turn_queue_limit
    order: list[int] = []
    release = asyncio.Event()

    async def turn(n: int) -> None:
        async with runtime.turn_slot():
            order.append(n)
            await release.wait()

    try:
        first = asyncio.create_task(turn(0))
        await asyncio.sleep(0)
        waiting = [asyncio.create_task(turn(n)) for n in range(1, 4)]
        await asyncio.sleep(0.01)
        assert runtime._turns_waiting == 3 and order == [0]
        runtime._turns_waiting = limit  # pretend the rest of the queue is full
        with pytest.raises(DependencyUnavailable) as refused:
            async with runtime.turn_slot():
                pass
        assert refused.value.headers["Retry-After"] == "1"
        runtime._turns_waiting = 3
        release.set()
        await asyncio.wait_for(asyncio.gather(first, *waiting), 5)
        assert order == [0, 1, 2, 3] and runtime._turns_waiting == 0
    finally:
        runtime._turn_slots, runtime._turns_waiting = saved


async def test_one_conversation_cannot_queue_without_bound() -> None:
    locks = _LocalLocks(max_waiting=3)
    entered: list[int] = []
    gate = asyncio.Event()

    async def message(n: int) -> None:
        async with locks.hold("conversation:x", wait_seconds=5):
            entered.append(n)
            await gate.wait()

    tasks = [asyncio.create_task(message(n)) for n in range(4)]  # one holds, three wait
    await asyncio.sleep(0.01)
    with pytest.raises(LockTimeout, match="3 messages waiting"):
        async with locks.hold("conversation:x", wait_seconds=5):
            pass
    async with locks.hold("conversation:other", wait_seconds=5):  # others are unaffected
        pass
    gate.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    assert entered == [0, 1, 2, 3]
    async with locks.hold("conversation:x", wait_seconds=5):  # room again
        pass


async def test_a_turn_waiting_on_an_outside_service_gives_its_slot_back(runtime) -> None:  # type: ignore[no-untyped-def]
    from core.runtime import outside_the_database

    saved = runtime._turn_slots, runtime._turns_waiting
    runtime._turn_slots = asyncio.Semaphore(1)
    order: list[str] = []
    service = asyncio.Event()

    async def slow_turn() -> None:
        async with runtime.turn_slot():
            order.append("slow: read")
            async with outside_the_database():
                await service.wait()  # a script, an HTTP API...
            order.append("slow: write")

    async def quick_turn() -> None:
        async with runtime.turn_slot():
            order.append("quick")

    try:
        slow = asyncio.create_task(slow_turn())
        await asyncio.sleep(0.01)
        await asyncio.wait_for(quick_turn(), 1)  # not stuck behind the slow service
        service.set()
        await asyncio.wait_for(slow, 1)
        assert order == ["slow: read", "quick", "slow: write"]
        assert not runtime._turn_slots.locked()  # every slot given back exactly once
        cancelled = asyncio.create_task(slow_turn())
        service.clear()
        await asyncio.sleep(0.01)
        cancelled.cancel()
        await asyncio.gather(cancelled, return_exceptions=True)
        assert not runtime._turn_slots.locked() and runtime._turn_slots._value == 1
    finally:
        runtime._turn_slots, runtime._turns_waiting = saved
