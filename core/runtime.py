"""The process's shared resources, built once from settings: database engine and sessions,
and the cache/locks/rate-limit/pub-sub adapters (Redis when configured, in-process otherwise).
Services receive it through ``core.http`` dependencies, never through globals."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.cache import Cache, MemoryCache, RedisCache
from core.config import Settings
from core.db import create_engine, create_sessionmaker
from core.errors import DependencyUnavailable
from core.events import MemoryPubSub, PubSub, RedisPubSub
from core.invalidation import Invalidation
from core.locks import Locks, MemoryLocks, RedisLocks
from core.presence import MemoryPresence, Presence, RedisPresence
from core.ratelimit import RateLimiter
from core.redis_client import connect as connect_redis
from core.redis_pipe import RedisPipe


class _HeldSlot:
    """The turn slot this task holds, and whether it holds it right now (it gives it back
    while it waits on an outside service: `outside_the_database`)."""

    __slots__ = ("slots", "held")

    def __init__(self, slots: asyncio.Semaphore) -> None:
        self.slots = slots
        self.held = True


_held_slot: ContextVar[_HeldSlot | None] = ContextVar("rozmova_turn_slot", default=None)


@asynccontextmanager
async def outside_the_database() -> AsyncIterator[None]:
    """Around work that waits on something other than the database (a script, an HTTP API,
    a model): a turn holding a slot (`Runtime.turn_slot`) gives it back meanwhile, so slow
    outside services cannot starve other conversations of the database, and takes one again
    afterwards (in turn with the others, without the queue's refusal: its work is done)."""
    held = _held_slot.get()
    if held is None or not held.held:
        yield
        return
    held.held = False
    held.slots.release()
    try:
        yield
    finally:
        await held.slots.acquire()
        held.held = True


async def _rollback_if_open(connection: Any) -> None:
    """What the hot path's pool does when a connection comes back: its statements set no
    session state (no SET, advisory locks, LISTEN or cursors), so asyncpg's default reset
    query (RESET ALL, UNLISTEN *, ...) would be one more round trip per turn for nothing; only
    a transaction left open by a cancelled turn is rolled back."""
    if connection.is_in_transaction():
        await connection.execute("ROLLBACK")


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    cache: Cache
    locks: Locks
    limiter: RateLimiter
    pubsub: PubSub
    redis: Redis | None = None
    # A second, small pool for reads of published, immutable data (versions, bots). A request
    # that holds a transaction may need such a read; from the same pool, enough of those
    # requests at once would wait forever for each other's connections.
    reader_engine: AsyncEngine | None = None
    reader_sessionmaker: async_sessionmaker[AsyncSession] | None = None
    presence: Presence = field(default_factory=MemoryPresence)
    _driver_pool: Any = None
    _invalidation: Invalidation | None = None
    _driver_pool_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _turn_slots: asyncio.Semaphore | None = None
    _turns_waiting: int = 0

    @asynccontextmanager
    async def turn_slot(self, wait_seconds: float = 30.0) -> AsyncIterator[None]:
        """Admission for the chat hot path: at most ``database_pool_size`` turns use the
        database at once on this process; the rest wait here, in order, holding nothing,
        instead of taking a connection each and then timing out on the next pool they need
        (the scenarios reader). The queue is bounded (``turn_queue_limit``): an overloaded
        process refuses at once (503, Retry-After) rather than growing a tail that every
        later message waits behind; a wait past ``wait_seconds`` answers the same."""
        slots = self._turn_slots
        if slots is None:
            slots = self._turn_slots = asyncio.Semaphore(self.settings.database_pool_size)
        if not slots.locked():
            await slots.acquire()  # a free slot: no timer, no queue
        else:
            if self._turns_waiting >= self.settings.turn_queue_limit:
                raise DependencyUnavailable(
                    f"the server is at capacity ({self._turns_waiting} messages are already "
                    "waiting); nothing was changed, retry shortly", dependency="database",
                    retry_after=1)
            self._turns_waiting += 1
            try:
                async with asyncio.timeout(wait_seconds):
                    await slots.acquire()
            except TimeoutError:
                raise DependencyUnavailable(
                    "the server is at capacity (every database slot stayed busy); nothing was "
                    "changed, retry shortly", dependency="database", retry_after=1) from None
            finally:
                self._turns_waiting -= 1
        held = _HeldSlot(slots)
        token = _held_slot.set(held)
        try:
            yield
        finally:
            _held_slot.reset(token)
            if held.held:
                slots.release()

    @property
    def invalidation(self) -> Invalidation:
        """Drops cached facts everywhere after the change that made them stale commits."""
        if self._invalidation is None:
            self._invalidation = Invalidation(self.cache, self.pubsub)
        return self._invalidation

    async def driver_pool(self) -> Any:
        """PostgreSQL only: an asyncpg pool for the hot path's hand-written SQL, where the
        ORM's per-statement cost would dominate a turn. None on other databases."""
        if not self.settings.resolved_database_url.startswith("postgresql+asyncpg"):
            return None
        if self._driver_pool is None:
            async with self._driver_pool_lock:
                if self._driver_pool is None:
                    import asyncpg

                    dsn = self.engine.url.set(drivername="postgresql").render_as_string(
                        hide_password=False)
                    self._driver_pool = await asyncpg.create_pool(
                        dsn, min_size=1, max_size=self.settings.database_pool_size,
                        timeout=10, command_timeout=30, reset=_rollback_if_open)
        return self._driver_pool

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        runtime = cls._build(settings)
        # Every session of the main pool drops cached copies of what it commits.
        runtime.sessionmaker.configure(info={"invalidation": runtime.invalidation})
        runtime.reader_engine = create_engine(settings, pool_size=4)
        runtime.reader_sessionmaker = create_sessionmaker(runtime.reader_engine)
        return runtime

    @classmethod
    def _build(cls, settings: Settings) -> Runtime:
        engine = create_engine(settings)
        redis = None
        if settings.redis_url:
            # One bounded pool for every Redis user (rate limits included): a stalled server
            # fails the call, a full pool makes callers wait up to a bound, then 503.
            redis = connect_redis(settings)
            prefix = settings.redis_prefix
            return cls(
                settings, engine, create_sessionmaker(engine), RedisCache(redis, prefix),
                RedisLocks(redis, prefix, pipe=RedisPipe.from_url(
                    settings.redis_url, timeout=settings.redis_timeout_seconds,
                    connect_timeout=settings.redis_timeout_seconds)),
                RateLimiter.redis(settings.redis_url, prefix, redis.connection_pool),
                RedisPubSub(redis, prefix), redis, presence=RedisPresence(redis, prefix),
            )
        presence, pubsub = MemoryPresence(), MemoryPubSub()
        return cls(
            settings, engine, create_sessionmaker(engine), MemoryCache(),
            MemoryLocks(presence, pubsub), RateLimiter.in_memory(), pubsub, presence=presence,
        )

    async def check(self) -> dict[str, str]:
        """Readiness: each dependency answers, or the reason it does not."""
        status: dict[str, str] = {}
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            status["database"] = "ok"
        except Exception as exc:  # any failure means not ready; the reason is reported
            status["database"] = f"error: {type(exc).__name__}"
        if self.redis is not None:
            try:
                await self.redis.ping()
                status["redis"] = "ok"
            except Exception as exc:
                status["redis"] = f"error: {type(exc).__name__}"
        return status

    async def close(self) -> None:
        if self._invalidation is not None:
            await self._invalidation.stop()
        if self.redis is not None:
            await self.locks.close()
            await self.redis.aclose()
        await self.engine.dispose()
        if self._driver_pool is not None:
            await self._driver_pool.close()
        if self.reader_engine is not None:
            await self.reader_engine.dispose()
