"""Named mutual-exclusion locks with two timeouts: how long to wait for the lock, and how long
a holder may keep it (so a crashed holder cannot wedge a conversation forever)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import LockError

from core.errors import ServiceUnavailable


class LockTimeout(ServiceUnavailable):
    code, title = "lock_timeout", "Busy"


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
        if not await lock.acquire():
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
