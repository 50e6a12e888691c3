"""Rate limits (moving window) through the ``limits`` library, in memory or in Redis."""

from __future__ import annotations

import math
import time

from limits import parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from core.errors import RateLimited


class RateLimiter:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)

    @classmethod
    def in_memory(cls) -> RateLimiter:
        return cls(MemoryStorage())

    @classmethod
    def redis(cls, url: str, prefix: str) -> RateLimiter:
        return cls(
            RedisStorage(
                "async+" + url, implementation="redispy", key_prefix=prefix + "limits",
                socket_timeout=2, socket_connect_timeout=2,
            )
        )

    async def hit(self, rate: str, *identifiers: str, what: str = "requests") -> None:
        """Count one event; raise ``RateLimited`` with a Retry-After once over ``rate``."""
        item = parse(rate)
        if await self._limiter.hit(item, *identifiers):
            return
        stats = await self._limiter.get_window_stats(item, *identifiers)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        raise RateLimited(
            f"Too many {what}; try again in {retry_after} s", retry_after=retry_after
        )

    async def clear(self, rate: str, *identifiers: str) -> None:
        await self._limiter.clear(parse(rate), *identifiers)

    async def reset(self) -> None:
        """Forget every counter (tests, and an operator lifting a lock-out)."""
        await self._storage.reset()
