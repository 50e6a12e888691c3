"""Named mutual-exclusion locks with two timeouts: how long to wait for the lock, and how long
a holder may keep it (so a crashed holder cannot wedge a conversation forever).

Locks do not degrade: without Redis no instance can know who holds a conversation, so taking
a lock fails with ``DependencyUnavailable`` (503, Retry-After) and the turn does not run.
Releasing is different: the work is done and stored, so a release that cannot reach Redis is
logged and left to the lease.

A holder may ask for news to be announced when it releases (`Held.announce`): published to
every other member present at the name (`core.presence`), in the release's own round trip. A
turn of a conversation is thus two Redis round trips: take the lock (one script, which also
says who is present), release it and tell the instances that show the conversation (one
script). News is built only where someone else is present: a holder that found nobody gives
a way to build it (`Held.announce_later`), and the release builds and publishes it only if a
member joined while the lock was held (a socket elsewhere that joined then must not miss it).

Each name also carries a *stamp*: an opaque value the last holder left (`Held.restamp`), read
back by the next holder with the lock itself (`Held.stamp`). A holder that finds its own stamp
knows nobody held the name since, so what it remembers of the last holding is current (the
chat keeps a conversation's state in memory this way and skips reading it back). A holder
that lost its lock to the lease clears the stamp on release, and so does one that says
nothing changed it cannot vouch for (`Held.clear_stamp`)."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import secrets
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Protocol

import structlog
from redis.asyncio import Redis

from core.errors import ServiceUnavailable
from core.presence import lock_key, member_channel, presence_key
from core.redis_client import REDIS_DOWN, required
from core.redis_pipe import RedisPipe

if TYPE_CHECKING:
    from core.events import PubSub
    from core.presence import Presence

log = structlog.get_logger("rozmova.locks")


class LockTimeout(ServiceUnavailable):
    code, title = "lock_timeout", "Busy"

    def __init__(self, detail: str, retry_after: int = 1) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.retry_after = retry_after
        self.headers["Retry-After"] = str(retry_after)


_KEEP = object()  # the stamp stays as it was


class Held:
    """What the holder of a lock found (`stamp`) and may ask of its release."""

    __slots__ = ("later", "members", "news", "next_stamp", "stamp")

    def __init__(self, stamp: bytes | None = None,
                 members: frozenset[str] | None = None) -> None:
        self.news: tuple[str, bytes] | None = None
        self.later: tuple[str, Callable[[], bytes]] | None = None
        self.stamp = stamp  # the last holder's stamp, None when there is none
        self.members = members  # present at the name when taken; None: not known
        self.next_stamp: object = _KEEP

    def others_present(self, member: str) -> bool:
        """Whether anyone but `member` was present when the lock was taken (or that is not
        known)."""
        return self.members is None or any(m != member for m in self.members)

    def announce_later(self, member: str, build: Callable[[], bytes]) -> None:
        """Nobody else was present: if someone joins before the release, it builds the news
        with `build` and publishes it to them."""
        self.later = (member, build)

    def restamp(self, stamp: bytes) -> None:
        """Leave `stamp` for the next holder (set on release, if the lock is still ours)."""
        self.next_stamp = stamp

    def clear_stamp(self) -> None:
        """Leave no stamp: the next holder must not trust what it remembers."""
        self.next_stamp = None

    def announce(self, member: str, message: bytes) -> None:
        """On release, publish `message` to every member present at the lock's name except
        `member` (the announcer itself, which delivers to its own sockets directly)."""
        self.news = (member, message)


Busy = Callable[[], Awaitable[None]]


async def _busy(on_busy: Busy | None) -> None:
    """Tell the caller it waits (once, before waiting); what it does about it is its own."""
    if on_busy is not None:
        try:
            await on_busy()
        except Exception as exc:  # noqa: BLE001  (the wait goes on as if nothing was said)
            log.warning("lock.on_busy_failed", error=type(exc).__name__)


class Locks(Protocol):
    def hold(
        self, name: str, *, wait_seconds: float = 5.0, lease_seconds: float = 30.0,
        on_busy: Busy | None = None,
    ) -> AsyncIterator[Held]:
        """`on_busy` is awaited once when the lock is held by someone else, before waiting
        for it (the chat asks an answer under way to end, so that the wait is short)."""
        ...

    async def tell(self, name: str, member: str, message: bytes) -> None:
        """Publish `message` now to every member present at `name` except `member`."""
        ...

    async def close(self) -> None: ...


MAX_WAITING = 32
"""Holders that may queue for one name in one process (a conversation's messages in flight);
past it the next is refused at once, so one flooded conversation cannot pile up work."""


class _LocalLocks:
    """Per-name asyncio locks; entries are dropped when nobody holds or waits for them."""

    def __init__(self, max_waiting: int = MAX_WAITING) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, list[int]]] = {}
        self._max_waiting = max_waiting

    @asynccontextmanager
    async def hold(self, name: str, wait_seconds: float,
                   on_busy: Busy | None = None) -> AsyncIterator[None]:
        lock, users = self._locks.setdefault(name, (asyncio.Lock(), [0]))
        if users[0] > self._max_waiting:  # one holder and max_waiting queued already
            raise LockTimeout(f"'{name}' has {users[0] - 1} messages waiting already; send "
                              "the next once these are answered")
        users[0] += 1
        try:
            if lock.locked() or users[0] > 1:
                await _busy(on_busy)
                try:
                    await asyncio.wait_for(lock.acquire(), wait_seconds)
                except TimeoutError:
                    raise LockTimeout(f"'{name}' is busy; try again shortly") from None
            else:
                await lock.acquire()  # free: no timer needed
            try:
                yield
            finally:
                lock.release()
        finally:
            users[0] -= 1
            if users[0] == 0:
                self._locks.pop(name, None)


class MemoryLocks:
    """One process. The lease is not enforced (one process cannot crash while holding and
    keep the lock); announcements go to the other apps of the process through the in-process
    pub/sub (tests run two apps on one runtime). Stamps are kept for the `max_stamps` names
    used last; a forgotten stamp reads as none."""

    def __init__(self, presence: Presence | None = None, pubsub: PubSub | None = None,
                 max_stamps: int = 100_000) -> None:
        self._local = _LocalLocks()
        self._presence = presence
        self._pubsub = pubsub
        self._stamps: OrderedDict[str, bytes] = OrderedDict()
        self._max_stamps = max_stamps

    async def close(self) -> None:
        pass

    @asynccontextmanager
    async def hold(
        self, name: str, *, wait_seconds: float = 5.0, lease_seconds: float = 30.0,
        on_busy: Busy | None = None,
    ) -> AsyncIterator[Held]:
        presence = self._presence
        async with self._local.hold(name, wait_seconds, on_busy):
            held = Held(self._stamps.get(name),
                        frozenset(presence.members(name)) if presence is not None else None)
            try:
                yield held
            finally:
                self._leave_stamp(name, held.next_stamp)
        if presence is None or self._pubsub is None:
            return
        if held.news is not None:
            member, message = held.news
        elif held.later is not None:
            member, build = held.later
            message = build() if any(m != member for m in presence.members(name)) else b""
        else:
            return
        for other in presence.members(name):
            if other != member and message:
                await self._pubsub.publish(member_channel(other), message)


    async def tell(self, name: str, member: str, message: bytes) -> None:
        if self._presence is None or self._pubsub is None:
            return
        for other in self._presence.members(name):
            if other != member:
                await self._pubsub.publish(member_channel(other), message)

    def _leave_stamp(self, name: str, stamp: object) -> None:
        if stamp is _KEEP:
            return
        if stamp is None:
            self._stamps.pop(name, None)
            return
        assert isinstance(stamp, bytes)
        self._stamps[name] = stamp
        self._stamps.move_to_end(name)
        if len(self._stamps) > self._max_stamps:
            self._stamps.popitem(last=False)


STAMP_TTL_MS = 86_400_000
"""A stamp outlives the lock by a day: enough for a conversation's next message, and Redis
forgets the stamps of conversations that went quiet."""

# Take the lock, and read the name's stamp and who is present, in one round trip.
_TAKE = """
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('get', KEYS[2]) or '', redis.call('smembers', KEYS[3])}
end
return {0}
"""

# Release the lock if it is still ours and leave the stamp asked for (ARGV[5]: '-' keeps it,
# '' clears it, anything else is the new stamp; a lock lost to its lease clears it), then
# publish the news to every other present member.
_RELEASE = """
local released = 0
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('del', KEYS[1])
  released = 1
end
if released == 0 or ARGV[5] == '' then
  redis.call('del', KEYS[3])
elseif ARGV[5] ~= '-' then
  redis.call('set', KEYS[3], ARGV[5], 'PX', ARGV[6])
end
local sent = 0
local waiting = 0
if ARGV[2] ~= '' then
  for _, member in ipairs(redis.call('smembers', KEYS[2])) do
    if member ~= ARGV[2] then
      if ARGV[3] ~= '' then
        redis.call('publish', ARGV[4] .. member, ARGV[3])
        sent = sent + 1
      else
        waiting = waiting + 1
      end
    end
  end
end
return {released, sent, waiting}
"""

# News built after the release, for members that joined while the lock was held.
_PUBLISH = """
local sent = 0
for _, member in ipairs(redis.call('smembers', KEYS[1])) do
  if member ~= ARGV[1] then
    redis.call('publish', ARGV[3] .. member, ARGV[2])
    sent = sent + 1
  end
end
return sent
"""


class RedisLocks:
    """SET NX PX with a token of this process, released by a script that checks the token.
    Holders on this instance queue in process first, so a burst of one conversation's
    messages waits on an asyncio lock rather than polling Redis."""

    def __init__(self, redis: Redis, prefix: str, pipe: RedisPipe | None = None) -> None:
        self._redis = redis
        self._prefix = prefix
        self._local = _LocalLocks()
        self._release = redis.register_script(_RELEASE)
        self._take_script = redis.register_script(_TAKE)
        self._take_source = _TAKE.encode()
        self._take_sha = hashlib.sha1(self._take_source).hexdigest().encode()
        # The two commands of every turn go over one shared connection where the URL allows
        # (core.redis_pipe); redis-py's pool otherwise.
        self._pipe = pipe
        self._publish_script = redis.register_script(_PUBLISH)
        self._publish_source = _PUBLISH.encode()
        self._publish_sha = hashlib.sha1(self._publish_source).hexdigest().encode()
        self._release_source = _RELEASE.encode()
        self._release_sha = hashlib.sha1(self._release_source).hexdigest().encode()
        # Tokens only need to be unique: a random process id and a counter.
        self._process = secrets.token_hex(6)
        self._counter = itertools.count()
        self._channels = prefix + "events:" + member_channel("")

    @asynccontextmanager
    async def hold(
        self, name: str, *, wait_seconds: float = 5.0, lease_seconds: float = 30.0,
        on_busy: Busy | None = None,
    ) -> AsyncIterator[Held]:
        started = time.monotonic()
        async with self._local.hold(name, wait_seconds, on_busy):
            key = lock_key(self._prefix, name)
            stamp_key = key + ":stamp"
            token = f"{self._process}:{next(self._counter)}"
            lease_ms = int(lease_seconds * 1000)
            deadline = started + wait_seconds
            presence = presence_key(self._prefix, name)
            with required(f"lock '{name}'"):
                told = False
                while (taken := await self._take(key, stamp_key, presence, token,
                                                 lease_ms)) is None:
                    if not told:
                        told = True
                        await _busy(on_busy)
                    if time.monotonic() >= deadline:
                        raise LockTimeout(f"'{name}' is busy after "
                                          f"{time.monotonic() - started:.1f}s; try again shortly")
                    await asyncio.sleep(0.005)  # held on another instance
            held = Held(*taken)
            try:
                yield held
            finally:
                if held.news is not None:
                    member, message = held.news
                elif held.later is not None:
                    member, message = held.later[0], b""
                else:
                    member, message = "", b""
                stamp = held.next_stamp
                try:
                    waiting = await self._give_back(
                        key, presence, stamp_key, token, member, message,
                        b"-" if stamp is _KEEP else stamp or b"")
                    if waiting and held.later is not None:
                        # Someone joined while the lock was held: it gets the news too.
                        await self._publish(presence, member, held.later[1]())
                except REDIS_DOWN as exc:
                    # Redis went away meanwhile: the lease frees the lock (if Redis kept it),
                    # and sockets elsewhere get the news on their next resume.
                    log.warning("lock.release_failed", name=name, error=type(exc).__name__)

    async def close(self) -> None:
        if self._pipe is not None:
            await self._pipe.close()

    async def _take(self, key: str, stamp_key: str, presence: str, token: str, lease_ms: int
                    ) -> tuple[bytes | None, frozenset[str]] | None:
        """Once the lock is taken: the stamp (None: none) and who is present; None while
        another holds it."""
        keys = [key, stamp_key, presence]
        if self._pipe is not None:
            reply = await self._pipe.evalsha(self._take_sha, self._take_source, keys,
                                             [token, lease_ms])
        else:
            reply = await self._take_script(keys=keys, args=[token, lease_ms])
        if not reply[0]:
            return None
        stamp = _bytes(reply[1]) or None
        return stamp, frozenset(_text(m) for m in reply[2])

    async def tell(self, name: str, member: str, message: bytes) -> None:
        with required(f"presence '{name}'"):
            await self._publish(presence_key(self._prefix, name), member, message)

    async def _give_back(self, key: str, presence: str, stamp_key: str, token: str,
                         member: str, message: bytes, stamp: bytes) -> int:
        """Members present but not told (no news was given), after the release."""
        keys = [key, presence, stamp_key]
        args = [token, member, message, self._channels, stamp, STAMP_TTL_MS]
        if self._pipe is not None:
            reply = await self._pipe.evalsha(self._release_sha, self._release_source, keys,
                                             args)
        else:
            reply = await self._release(keys=keys, args=args)
        return int(reply[2])

    async def _publish(self, presence: str, member: str, message: bytes) -> None:
        args = [member, message, self._channels]
        if self._pipe is not None:
            await self._pipe.evalsha(self._publish_sha, self._publish_source, [presence], args)
            return
        await self._publish_script(keys=[presence], args=args)


def _bytes(value: bytes | str) -> bytes:
    return value.encode() if isinstance(value, str) else value


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
