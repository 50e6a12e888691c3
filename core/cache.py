"""Cache: a small key/value interface with time-to-live, in-process or in Redis. Values are
bytes so that callers choose their own encoding (JSON, msgpack) and nothing is pickled.

A cache only saves work, so with Redis down a read is a miss (the caller reads the source)
and a write is skipped; a delete is an invalidation that must not be lost (the stale entry
would outlive the outage), so it fails with ``DependencyUnavailable`` and the change that
needed it is refused."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Protocol

import structlog
from redis.asyncio import Redis

from core.redis_client import REDIS_DOWN, required

log = structlog.get_logger("rozmova.cache")


class Cache(Protocol):
    async def get(self, key: str) -> bytes | None: ...
    async def set(self, key: str, value: bytes, ttl_seconds: float | None = None) -> None: ...
    async def delete(self, key: str) -> None: ...


class MemoryCache:
    """Bounded LRU with per-key expiry; the embedded mode's cache."""

    def __init__(self, max_entries: int = 100_000) -> None:
        self._items: OrderedDict[str, tuple[bytes, float | None]] = OrderedDict()
        self._max = max_entries

    async def get(self, key: str) -> bytes | None:
        item = self._items.get(key)
        if item is None:
            return None
        value, expires = item
        if expires is not None and expires <= time.monotonic():
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return value

    async def set(self, key: str, value: bytes, ttl_seconds: float | None = None) -> None:
        expires = time.monotonic() + ttl_seconds if ttl_seconds else None
        self._items[key] = (value, expires)
        self._items.move_to_end(key)
        while len(self._items) > self._max:
            self._items.popitem(last=False)

    async def delete(self, key: str) -> None:
        self._items.pop(key, None)


class RedisCache:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix + "cache:"

    async def get(self, key: str) -> bytes | None:
        try:
            return await self._redis.get(self._prefix + key)
        except REDIS_DOWN as exc:
            log.warning("cache.read_failed", error=type(exc).__name__)
            return None

    async def set(self, key: str, value: bytes, ttl_seconds: float | None = None) -> None:
        px = int(ttl_seconds * 1000) if ttl_seconds else None
        try:
            await self._redis.set(self._prefix + key, value, px=px)
        except REDIS_DOWN as exc:
            log.warning("cache.write_failed", error=type(exc).__name__)

    async def delete(self, key: str) -> None:
        with required("a cache invalidation"):
            await self._redis.delete(self._prefix + key)
