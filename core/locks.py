"""Named mutual-exclusion locks with two timeouts: how long to wait for the lock, and how long
a holder may keep it (so a crashed holder cannot wedge a conversation forever).

Locks do not degrade: without Redis no instance can know who holds a conversation, so taking
a lock fails with ``DependencyUnavailable`` (503, Retry-After) and the turn does not run.
Releasing is different: the work is done and stored, so a release that cannot reach Redis is
logged and left to the lease."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

import structlog
from redis.asyncio import Redis
from redis.exceptions import LockError

from core.errors import ServiceUnavailable
from core.redis_client import REDIS_DOWN, required

log = structlog.get_logger("rozmova.locks")


class LockTimeout(ServiceUnavailable):
    code, title = "lock_timeout", "Busy"

    def __init__(self, detail: str, retry_after: int = 1) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.retry_after = retry_after
        self.headers["Retry-After"] = str(retry_after)


class Locks(Protocol):
    def hold(
        self, name: str, *, wait_seconds: float = 5.0, lease_seconds: float = 30.0
    ) -> AsyncIterator[None]: ...


class MemoryLocks:
    """Per-name asyncio locks; entries are dropped when nobody holds or waits for them. The
    lease is enforced by cancelling nothing (one process cannot crash while holding) but a
    holder that overruns it loses the lock to the next waiter, as with Redis."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, list[int]]] = {}

    @asynccontextmanager
    async def hold(
        self, name: str, *, wait_seconds: float = 5.0, lease_seconds: float = 30.0
    ) -> AsyncIterator[None]:
        lock, users = self._locks.setdefault(name, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            try:
                await asyncio.wait_for(lock.acquire(), wait_seconds)
            except TimeoutError:
                raise LockTimeout(f"'{name}' is busy; try again shortly") from None
            try:
                yield
            finally:
                lock.release()
        finally:
            users[0] -= 1
            if users[0] == 0:
                self._locks.pop(name, None)


class RedisLocks:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix + "lock:"

    @asynccontextmanager
    async def hold(
        self, name: str, *, wait_seconds: float = 5.0, lease_seconds: float = 30.0
    ) -> AsyncIterator[None]:
        lock = self._redis.lock(
            self._prefix + name, timeout=lease_seconds, blocking_timeout=wait_seconds,
            sleep=0.005,
        )
        started = time.monotonic()
        with required(f"lock '{name}'"):
            acquired = await lock.acquire()
        if not acquired:
            raise LockTimeout(
                f"'{name}' is busy after {time.monotonic() - started:.1f}s; try again shortly"
            )
        try:
            yield
        finally:
            try:
                await lock.release()
            except LockError:
                # The lease ran out and another holder may have the lock now: nothing to free.
                pass
            except REDIS_DOWN as exc:
                # Redis went away meanwhile: the lease frees the lock (if Redis kept it).
                log.warning("lock.release_failed", name=name, error=type(exc).__name__)
