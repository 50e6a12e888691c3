"""Redis going away under a running server (uvicorn on a socket, its Redis behind a TCP proxy
the test cuts and restores): REST chat calls answer 503 problem+json with Retry-After and
store nothing; sockets stay open and get an error frame saying when to retry; everything
recovers on its own when Redis returns. Also: a full Redis connection pool answers 503, and a
database failure on a socket is an error frame, not a closed socket."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import time
import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.asyncio.client import connect

from core.config import Settings
from core.runtime import Runtime
from core.security import Role
from tests.conftest import free_port, serve
from tests.fakes.tcp_proxy import TcpProxy
from tests.integration.test_chat_api import bot_with, echo_document

REDIS_URL = os.environ.get("ROZMOVA_TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="ROZMOVA_TEST_REDIS_URL is not set "
                                 "(the proxy needs a real Redis behind it)")


@contextlib.asynccontextmanager
async def server_on(settings: Settings, redis_url: str, **overrides) -> AsyncIterator[
        tuple[str, Runtime]]:  # type: ignore[no-untyped-def]
    """A second server on the suite's database whose Redis is at ``redis_url``."""
    own = settings.model_copy(update={
        "redis_url": redis_url, "redis_prefix": f"rozmova-outage-{secrets.token_hex(4)}:",
        "redis_timeout_seconds": 0.5, **overrides})
    runtime = Runtime.from_settings(own)
    srv, task, port = await serve(own, runtime)
    try:
        yield f"127.0.0.1:{port}", runtime
    finally:
        srv.should_exit = True
        await asyncio.wait_for(task, 30)
        await runtime.close()


async def frames_until(ws, kind: str, timeout: float = 10) -> list[dict]:  # type: ignore[no-untyped-def]
    got = []
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        got.append(frame)
        if frame["type"] == kind:
            return got


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert int(response.headers["retry-after"]) >= 1
    problem = response.json()
    assert problem["code"] == "dependency_unavailable" and problem["dependency"] == "redis"


async def history_of(http: httpx.AsyncClient, headers: dict, conversation_id: str) -> list:
    response = await http.get(f"/api/v1/conversations/{conversation_id}/messages",
                              headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


@pytest.fixture
async def redis_proxy():  # type: ignore[no-untyped-def]
    """A TCP proxy in front of the test Redis that a test can cut, stall and restore:
    (proxy, the Redis URL through it)."""
    upstream = urlsplit(REDIS_URL)
    proxy = await TcpProxy(upstream.hostname or "127.0.0.1", upstream.port or 6379).start()
    try:
        yield proxy, f"redis://127.0.0.1:{proxy.port}{upstream.path or '/0'}"
    finally:
        await proxy.close()


@needs_redis
async def test_a_redis_outage_answers_503_keeps_sockets_and_recovers(
        settings, runtime, make_actor, redis_proxy) -> None:  # type: ignore[no-untyped-def]
    proxy, url = redis_proxy
    owner = await make_actor(Role.owner)
    async with server_on(settings, url) as (address, _), \
            httpx.AsyncClient(base_url=f"http://{address}", timeout=10) as http:
        _, _, headers = await bot_with(http, owner, echo_document())
        started = await http.post("/api/v1/conversations", json={"language": "en"},
                                  headers=headers)
        assert started.status_code == 201, started.text
        conversation_id = started.json()["conversation_id"]
        url_messages = f"/api/v1/conversations/{conversation_id}/messages"
        ok = await http.post(url_messages, json={"text": "one", "client_message_id": "r1"},
                             headers=headers)
        assert ok.status_code == 200, ok.text
        ws = await connect(f"ws://{address}/ws/v1/chat?key={headers['X-Chat-Key']}")
        await ws.send(json.dumps({"type": "hello", "v": 1, "language": "en"}))
        welcome = (await frames_until(ws, "input"))[0]
        socket_conversation = welcome["conversation_id"]

        await proxy.cut()  # Redis is gone: connections dropped, new ones refused
        stored_before = await history_of(http, headers, conversation_id)
        refused = await http.post(url_messages, json={"text": "two",
                                                      "client_message_id": "r2"},
                                  headers=headers)
        assert_unavailable(refused)
        assert await history_of(http, headers, conversation_id) == stored_before
        # Starting a conversation needs no lock: the chat key is read from the database.
        another = await http.post("/api/v1/conversations", json={"language": "en"},
                                  headers=headers)
        assert another.status_code == 201, another.text

        await ws.send(json.dumps({"type": "message", "text": "two",
                                  "client_message_id": "w2"}))
        error = (await frames_until(ws, "error"))[-1]
        assert error["code"] == "dependency_unavailable", error
        assert error["client_message_id"] == "w2" and error["retry_after"] >= 1
        await ws.send(json.dumps({"type": "ping"}))
        assert (await frames_until(ws, "pong"))[-1]["type"] == "pong"  # still open
        # A new socket opens too (pub/sub is down; its hello needs no Redis).
        ws2 = await connect(f"ws://{address}/ws/v1/chat?key={headers['X-Chat-Key']}")
        await ws2.send(json.dumps({"type": "hello", "v": 1, "language": "en"}))
        assert (await frames_until(ws2, "input"))[0]["type"] == "welcome"
        await ws2.close()

        await proxy.restore()  # Redis is back: the same requests now succeed
        deadline = time.monotonic() + 10
        while True:
            again = await http.post(url_messages, json={"text": "two",
                                                        "client_message_id": "r2"},
                                    headers=headers)
            if again.status_code == 200 or time.monotonic() > deadline:
                break
            await asyncio.sleep(float(again.headers.get("retry-after", "1")) / 4)
        assert again.status_code == 200, again.text
        assert [m["text"] for m in again.json()["messages"]] == ["echo: two", "Say"]
        await ws.send(json.dumps({"type": "message", "text": "two",
                                  "client_message_id": "w2"}))
        frames = await frames_until(ws, "input")
        ack = next(f for f in frames if f["type"] == "ack")
        assert ack["client_message_id"] == "w2" and ack["duplicate"] is False
        said = [f["message"]["text"] for f in frames
                if f["type"] == "message" and f["direction"] == "out"]
        assert said[0] == "echo: two"
        history = await history_of(http, headers, socket_conversation)
        assert [h["body"].get("text") for h in history if h["direction"] == "in"] == ["two"]
        await ws.close()


@needs_redis
async def test_a_hung_redis_answers_503_within_the_timeout(
        settings, runtime, make_actor, redis_proxy) -> None:  # type: ignore[no-untyped-def]
    proxy, url = redis_proxy
    owner = await make_actor(Role.owner)
    async with server_on(settings, url) as (address, _), \
            httpx.AsyncClient(base_url=f"http://{address}", timeout=10) as http:
        _, _, headers = await bot_with(http, owner, echo_document())
        started = await http.post("/api/v1/conversations", json={}, headers=headers)
        conversation_id = started.json()["conversation_id"]
        await proxy.stall()  # accepts, answers nothing
        began = time.monotonic()
        refused = await http.post(f"/api/v1/conversations/{conversation_id}/messages",
                                  json={"text": "x", "client_message_id": "h1"},
                                  headers=headers)
        assert_unavailable(refused)
        assert time.monotonic() - began < 5  # bounded by the Redis timeout, not hung
        await proxy.restore()


async def test_no_redis_listening_answers_503_and_the_socket_stays(
        settings, runtime, make_actor) -> None:  # type: ignore[no-untyped-def]
    """Runs on every setup: the server's Redis URL points at a port where nothing listens."""
    owner = await make_actor(Role.owner)
    async with server_on(settings, f"redis://127.0.0.1:{free_port()}/0") as (address, _), \
            httpx.AsyncClient(base_url=f"http://{address}", timeout=10) as http:
        _, _, headers = await bot_with(http, owner, echo_document())
        started = await http.post("/api/v1/conversations", json={}, headers=headers)
        assert started.status_code == 201, started.text
        conversation_id = started.json()["conversation_id"]
        refused = await http.post(f"/api/v1/conversations/{conversation_id}/messages",
                                  json={"text": "x", "client_message_id": "n1"},
                                  headers=headers)
        assert_unavailable(refused)
        ws = await connect(f"ws://{address}/ws/v1/chat?key={headers['X-Chat-Key']}")
        await ws.send(json.dumps({"type": "hello", "v": 1}))
        await frames_until(ws, "input")
        await ws.send(json.dumps({"type": "message", "text": "x", "client_message_id": "n2"}))
        error = (await frames_until(ws, "error"))[-1]
        assert error["code"] == "dependency_unavailable" and error["retry_after"] >= 1
        await ws.send(json.dumps({"type": "ping"}))
        assert (await frames_until(ws, "pong"))[-1]["type"] == "pong"
        await ws.close()
        # Login attempts cannot be counted: refused rather than let through uncounted.
        login = await http.post("/api/v1/auth/login", json={"email": owner.email,
                                                             "password": "wrong password"})
        assert_unavailable(login)


@needs_redis
async def test_a_full_redis_pool_waits_then_answers_503(settings) -> None:  # type: ignore[no-untyped-def]
    """Past its size the pool makes callers wait up to the bound; then 503, not a 500."""
    from core.errors import DependencyUnavailable

    own = settings.model_copy(update={
        "redis_url": REDIS_URL, "redis_max_connections": 2,
        "redis_pool_timeout_seconds": 0.3, "redis_prefix": f"rozmova-pool-{uuid.uuid4().hex}:"})
    runtime = Runtime.from_settings(own)
    try:
        held = [await runtime.redis.connection_pool.get_connection() for _ in range(2)]
        began = time.monotonic()
        with pytest.raises(DependencyUnavailable) as refused:
            await runtime.limiter.hit("100/minute", "pool-test", what="test calls")
        assert 0.25 < time.monotonic() - began < 2
        assert refused.value.status == 503 and refused.value.headers["Retry-After"] == "1"
        assert "capacity" in refused.value.detail and "test calls" in refused.value.detail
        # The turn's lock has a connection of its own (core.redis_pipe): unaffected.
        async with runtime.locks.hold("conversation:x", wait_seconds=1):
            pass
        await runtime.redis.connection_pool.release(held.pop())
        await runtime.limiter.hit("100/minute", "pool-test")  # a connection came free
        for connection in held:
            await runtime.redis.connection_pool.release(connection)
    finally:
        await runtime.close()


async def test_a_database_failure_on_a_socket_is_a_retryable_error_frame(
        server, demo_key, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A turn or a hello whose database connection is refused: an error frame with
    retry_after (the code REST answers too), the socket stays, the resend works."""
    from chat.conversations.service import ConversationService

    key, _, _ = demo_key
    real_start, real_send = ConversationService.start, ConversationService.send

    async def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError(111, "Connect call failed")

    monkeypatch.setattr(ConversationService, "start", refused)
    ws = await connect(f"ws://127.0.0.1:{server}/ws/v1/chat?key={key}")
    await ws.send(json.dumps({"type": "hello", "v": 1, "language": "en"}))
    error = (await frames_until(ws, "error"))[-1]
    assert error["code"] == "database_unavailable" and error["retry_after"] >= 1, error
    monkeypatch.setattr(ConversationService, "start", real_start)
    await ws.send(json.dumps({"type": "hello", "v": 1, "language": "en"}))
    assert (await frames_until(ws, "input"))[0]["type"] == "welcome"

    monkeypatch.setattr(ConversationService, "send", refused)
    await ws.send(json.dumps({"type": "message", "choice_id": "order",
                              "client_message_id": "d1"}))
    error = (await frames_until(ws, "error"))[-1]
    assert error["code"] == "database_unavailable" and error["client_message_id"] == "d1"
    monkeypatch.setattr(ConversationService, "send", real_send)
    await ws.send(json.dumps({"type": "message", "choice_id": "order",
                              "client_message_id": "d1"}))
    frames = await frames_until(ws, "input")
    assert any(f["type"] == "ack" and f["client_message_id"] == "d1" for f in frames)
    await ws.close()
