"""Rate limits (moving window) through the ``limits`` library, in memory or in Redis.

Limits guard against abuse (password guessing), so they do not degrade open: with Redis down
a counted action fails with ``DependencyUnavailable`` (503) rather than going uncounted."""

from __future__ import annotations

import math
import time
from typing import Any

from limits import parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from core.errors import RateLimited
from core.redis_client import required


class RateLimiter:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)

    @classmethod
    def in_memory(cls) -> RateLimiter:
        return cls(MemoryStorage())

    @classmethod
    def redis(cls, url: str, prefix: str, connection_pool: Any = None) -> RateLimiter:
        """Counters in Redis: on the runtime's bounded connection pool when given, else on a
        client of their own."""
        options: dict[str, Any] = (
            {"connection_pool": connection_pool} if connection_pool is not None
            else {"socket_timeout": 2, "socket_connect_timeout": 2})
        return cls(
            RedisStorage(
                "async+" + url, implementation="redispy", key_prefix=prefix + "limits",
                **options,
            )
        )

    async def hit(self, rate: str, *identifiers: str, what: str = "requests") -> None:
        """Count one event; raise ``RateLimited`` with a Retry-After once over ``rate``."""
        if await self.counted(rate, *identifiers, what=what):
            return
        item = parse(rate)
        with required(f"counting {what}"):
            stats = await self._limiter.get_window_stats(item, *identifiers)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        raise RateLimited(
            f"Too many {what}; try again in {retry_after} s", retry_after=retry_after
        )

    async def counted(self, rate: str, *identifiers: str, what: str = "requests") -> bool:
        """Count one event; whether it was within ``rate`` (nothing raised). With "1/minute",
        whether this is the first such event of the minute, on every instance at once."""
        with required(f"counting {what}"):
            return await self._limiter.hit(parse(rate), *identifiers)

    async def clear(self, rate: str, *identifiers: str) -> None:
        with required("clearing a rate limit"):
            await self._limiter.clear(parse(rate), *identifiers)

    async def reset(self) -> None:
        """Forget every counter (tests, and an operator lifting a lock-out)."""
        await self._storage.reset()
