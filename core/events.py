"""Publish/subscribe on named channels: in-process fan-out, or Redis pub/sub so that an event
reaches subscribers on other instances. Delivery is at-most-once, as with Redis pub/sub;
durable work goes through the database, not through here.

With Redis down a publish is dropped (logged; the event's data is already stored, and a
socket that missed it gets it on its next resume) and a subscription fails, for its owner to
subscribe again (the chat hub retries every second)."""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

import structlog
from redis.asyncio import Redis

from core.redis_client import REDIS_DOWN

log = structlog.get_logger("rozmova.events")


class Subscription(Protocol):
    async def get(self, timeout: float | None = None) -> bytes | None: ...


class PubSub(Protocol):
    async def publish(self, channel: str, message: bytes) -> None: ...
    def subscribe(self, channel: str) -> AsyncIterator[Subscription]: ...


class _QueueSubscription:
    def __init__(self, queue: asyncio.Queue[bytes]) -> None:
        self._queue = queue

    async def get(self, timeout: float | None = None) -> bytes | None:
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None


class MemoryPubSub:
    def __init__(self, max_pending: int = 10_000) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[bytes]]] = defaultdict(set)
        self._max_pending = max_pending

    async def publish(self, channel: str, message: bytes) -> None:
        for queue in list(self._subscribers.get(channel, ())):
            # A subscriber that stopped reading loses messages rather than growing memory.
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(message)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        queue: asyncio.Queue[bytes] = asyncio.Queue(self._max_pending)
        self._subscribers[channel].add(queue)
        try:
            yield _QueueSubscription(queue)
        finally:
            subscribers = self._subscribers.get(channel)
            if subscribers is not None:
                subscribers.discard(queue)
                if not subscribers:
                    del self._subscribers[channel]


class _RedisSubscription:
    def __init__(self, pubsub: object) -> None:
        self._pubsub = pubsub

    async def get(self, timeout: float | None = None) -> bytes | None:
        # get_message returns None for the subscribe confirmation too: keep reading until a
        # real message arrives or the time is up.
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while True:
            remaining = None if deadline is None else max(0.0, deadline - loop.time())
            message = await self._pubsub.get_message(  # type: ignore[attr-defined]
                ignore_subscribe_messages=True, timeout=remaining
            )
            if message is not None:
                return message["data"]
            if deadline is not None and loop.time() >= deadline:
                return None


class RedisPubSub:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix + "events:"

    async def publish(self, channel: str, message: bytes) -> None:
        try:
            await self._redis.publish(self._prefix + channel, message)
        except REDIS_DOWN as exc:
            log.warning("events.publish_failed", channel=channel, error=type(exc).__name__)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        pubsub = self._redis.pubsub()
        try:
            await pubsub.subscribe(self._prefix + channel)
            yield _RedisSubscription(pubsub)
        finally:
            # Bounded: Redis may have stopped answering (the connection is then dropped).
            with contextlib.suppress(*REDIS_DOWN, TimeoutError):
                async with asyncio.timeout(2):
                    await pubsub.unsubscribe()
            with contextlib.suppress(*REDIS_DOWN, TimeoutError):
                async with asyncio.timeout(2):
                    await pubsub.aclose()
