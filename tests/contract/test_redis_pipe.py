"""The hot path's shared Redis connection (core.redis_pipe): many callers' commands on one
connection, each getting its own reply; scripts loaded again after a server forgot them;
server errors as redis-py's; a silent server as a timeout that does not poison later calls."""

from __future__ import annotations

import asyncio
import hashlib
import os
import uuid

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.redis_pipe import RedisPipe

REDIS_URL = os.environ.get("ROZMOVA_TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="ROZMOVA_TEST_REDIS_URL is not set")


def test_urls_it_serves_and_those_it_leaves_to_redis_py() -> None:
    pipe = RedisPipe.from_url("redis://user:p%40ss@cache.internal:6380/3")
    assert (pipe.host, pipe.port, pipe.db, pipe.username, pipe.password) == (
        "cache.internal", 6380, 3, "user", "p@ss")
    assert RedisPipe.from_url("redis://127.0.0.1").port == 6379
    assert RedisPipe.from_url("rediss://cache.internal:6380/0") is None  # TLS: redis-py
    assert RedisPipe.from_url("unix:///run/redis.sock") is None


@needs_redis
async def test_concurrent_callers_each_get_their_own_reply() -> None:
    pipe = RedisPipe.from_url(REDIS_URL, timeout=5)
    prefix = f"rozmova-pipe-{uuid.uuid4().hex}:"
    try:
        names = [f"{prefix}{n}" for n in range(500)]
        assert all(r == b"OK" for r in await asyncio.gather(
            *(pipe.execute(b"SET", name, f"v{n}", b"PX", 60_000)
              for n, name in enumerate(names))))
        values = await asyncio.gather(*(pipe.execute(b"GET", name) for name in names))
        assert values == [f"v{n}".encode() for n in range(500)]
        # SET NX on a taken key answers nil; on a free one OK.
        assert await pipe.execute(b"SET", names[0], b"x", b"NX", b"PX", 1000) is None
        assert await pipe.execute(b"SET", prefix + "free", b"x", b"NX", b"PX", 1000) == b"OK"
        with pytest.raises(ResponseError, match="WRONGTYPE"):
            await pipe.execute(b"LPUSH", names[1], b"x")
        assert await pipe.execute(b"GET", names[1]) == b"v1"  # the connection goes on
        await pipe.execute(b"DEL", *names, prefix + "free")
    finally:
        await pipe.close()


@needs_redis
async def test_a_script_the_server_forgot_is_sent_again() -> None:
    pipe = RedisPipe.from_url(REDIS_URL, timeout=5)
    source = f"return ARGV[1] .. '-{uuid.uuid4().hex}'".encode()
    sha = hashlib.sha1(source).hexdigest().encode()
    try:
        first = await pipe.evalsha(sha, source, [], [b"a"])  # unknown: EVAL loads it
        assert first.startswith(b"a-")
        assert await pipe.evalsha(sha, source, [], [b"b"]) == b"b" + first[1:]
    finally:
        await pipe.close()


async def test_a_silent_server_times_out_and_the_next_call_reconnects() -> None:
    accepted: list[asyncio.StreamWriter] = []
    answer = asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)
        while data := await reader.read(1024):
            if answer.is_set():  # the second connection answers every PING
                writer.write(b"+PONG\r\n" * data.count(b"PING"))

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    pipe = RedisPipe("127.0.0.1", port, timeout=0.2, connect_timeout=1)
    try:
        calls = [asyncio.ensure_future(pipe.execute(b"PING")) for _ in range(3)]
        outcomes = await asyncio.gather(*calls, return_exceptions=True)
        assert all(isinstance(o, RedisTimeoutError) for o in outcomes), outcomes
        answer.set()
        assert await pipe.execute(b"PING") == b"PONG"
        assert len(accepted) == 2  # a new connection, not the one out of step
    finally:
        await pipe.close()
        server.close()


async def test_nobody_listening_is_a_connection_error() -> None:
    probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    pipe = RedisPipe("127.0.0.1", port, timeout=0.5, connect_timeout=0.5)
    with pytest.raises(RedisConnectionError, match="could not connect"):
        await pipe.execute(b"PING")
