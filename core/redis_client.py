"""The process's Redis client: one bounded connection pool sized from settings, and the
translation of Redis being unreachable (refused, timed out, pool full past its wait bound)
into ``DependencyUnavailable``, a 503 with Retry-After, instead of an unexpected error.

Which feature degrades and which refuses is decided by each adapter (``core.cache``,
``core.locks``, ``core.events``, ``core.ratelimit``) and written down in docs/security.md,
"When Redis or the database is down"."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import structlog
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.config import Settings
from core.errors import DependencyUnavailable

log = structlog.get_logger("rozmova.redis")

# What "Redis is not there" looks like from redis-py: refused or reset connections, timeouts
# (BusyLoadingError, a restarted server loading its data, is a ConnectionError too).
REDIS_DOWN: tuple[type[BaseException], ...] = (
    RedisConnectionError, RedisTimeoutError, OSError, asyncio.TimeoutError)


class PoolExhausted(RedisConnectionError):
    """Every connection of the pool stayed in use for the whole wait bound."""


class BoundedPool(BlockingConnectionPool):
    """A pool that waits up to ``timeout`` seconds for a free connection instead of failing at
    once (redis-py's default pool raises MaxConnectionsError past its size), and says so
    distinctly when the wait runs out."""

    async def get_connection(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().get_connection(*args, **kwargs)
        except RedisConnectionError as exc:
            if isinstance(exc.__cause__, asyncio.TimeoutError):
                raise PoolExhausted(
                    f"all {self.max_connections} Redis connections stayed busy for "
                    f"{self.timeout} s") from exc
            raise


def connect(settings: Settings) -> Redis:
    """The client every Redis adapter shares. Calls are bounded: a stalled server fails the
    call after ``redis_timeout_seconds``, a full pool after ``redis_pool_timeout_seconds``.
    One quick retry replaces a pooled connection that died while Redis restarted."""
    assert settings.redis_url is not None
    pool = BoundedPool.from_url(
        settings.redis_url, max_connections=settings.redis_max_connections,
        timeout=settings.redis_pool_timeout_seconds,
        socket_timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
        health_check_interval=30,
        retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), 1),
    )
    return Redis.from_pool(pool)


def unavailable(exc: BaseException, what: str) -> DependencyUnavailable:
    """The 503 for a failed Redis call (``what`` says which feature could not run)."""
    if isinstance(exc, PoolExhausted):
        log.warning("redis.pool_exhausted", what=what)
        return DependencyUnavailable(
            f"the server is at capacity (no Redis connection came free in time for {what}); "
            "nothing was changed, retry shortly", retry_after=1)
    log.warning("redis.unavailable", what=what, error=type(exc).__name__)
    return DependencyUnavailable(
        f"Redis is unreachable (needed for {what}); nothing was changed, retry shortly",
        retry_after=2)


@contextmanager
def required(what: str) -> Iterator[None]:
    """Around a Redis call the request cannot do without: Redis being down becomes a 503."""
    try:
        yield
    except REDIS_DOWN as exc:
        raise unavailable(exc, what) from exc
