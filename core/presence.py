"""Which instances show a named thing (a conversation on their sockets), so that news about it
is sent only to them and to nobody else: no instance reads back what it published itself, and
none parses news about conversations it does not show.

In Redis a name is a set of member ids with a lease; a member refreshes its names while it
shows them (`refresh`), so a crashed instance drops out when the lease runs out. Publishing to
the members happens where the news is made: at the release of the name's lock
(`core.locks.Held.announce`), in the same round trip."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

import structlog
from redis.asyncio import Redis

from core.redis_client import REDIS_DOWN

log = structlog.get_logger("rozmova.presence")

LEASE_SECONDS = 90
"""How long a membership lasts without a refresh (members refresh every third of it)."""


def presence_key(prefix: str, name: str) -> str:
    # The braces are a Redis Cluster hash tag: the name's lock and presence share a slot, so
    # the release script may touch both.
    return f"{prefix}presence:{{{name}}}"


def lock_key(prefix: str, name: str) -> str:
    return f"{prefix}lock:{{{name}}}"


def member_channel(member: str) -> str:
    """The pub/sub channel (in `core.events`) a member reads its news from."""
    return f"member:{member}"


class Presence(Protocol):
    async def join(self, name: str, member: str) -> None: ...
    async def leave(self, name: str, member: str) -> None: ...
    async def refresh(self, names: Iterable[str], member: str) -> None: ...
    def members(self, name: str) -> set[str]: ...


class MemoryPresence:
    """One process: every app of the process (tests run two) is a member of its own."""

    def __init__(self) -> None:
        self._members: dict[str, set[str]] = defaultdict(set)

    async def join(self, name: str, member: str) -> None:
        self._members[name].add(member)

    async def leave(self, name: str, member: str) -> None:
        members = self._members.get(name)
        if members is not None:
            members.discard(member)
            if not members:
                del self._members[name]

    async def refresh(self, names: Iterable[str], member: str) -> None:
        return None

    def members(self, name: str) -> set[str]:
        return set(self._members.get(name, ()))


class RedisPresence:
    def __init__(self, redis: Redis, prefix: str, lease_seconds: int = LEASE_SECONDS) -> None:
        self._redis = redis
        self._prefix = prefix
        self._lease_ms = lease_seconds * 1000

    async def join(self, name: str, member: str) -> None:
        await self.refresh((name,), member)

    async def leave(self, name: str, member: str) -> None:
        try:
            await self._redis.srem(presence_key(self._prefix, name), member)
        except REDIS_DOWN as exc:  # the lease ends it
            log.warning("presence.leave_failed", error=type(exc).__name__)

    async def refresh(self, names: Iterable[str], member: str) -> None:
        """Join (again) every name, in one round trip per 500. Redis down: logged; what a
        socket misses meanwhile it gets on its next resume."""
        batch = list(names)
        try:
            for start in range(0, len(batch), 500):
                pipe = self._redis.pipeline(transaction=False)
                for name in batch[start:start + 500]:
                    key = presence_key(self._prefix, name)
                    pipe.sadd(key, member)
                    pipe.pexpire(key, self._lease_ms)
                await pipe.execute()
        except REDIS_DOWN as exc:
            log.warning("presence.refresh_failed", error=type(exc).__name__)

    def members(self, name: str) -> set[str]:
        raise NotImplementedError("read by the lock's release script, in Redis")
