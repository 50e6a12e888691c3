"""Cache invalidation: a change that makes a cached fact stale drops it everywhere, once the
change is committed.

A cached fact has a key (``bot:<id>``, ``chat-key:<key>``). Invalidating a key deletes it from
the shared cache (Redis or in-process), drops it from every process-local memo that registered
for it on this instance, and publishes the key so that every other instance drops its memos
too. Tables declare the keys their rows feed (``core.db.cached_as``); the commit of a
transaction that changed such rows calls ``invalidate`` before the answer is sent, so a
client that got 2xx never reads the old fact afterwards from any instance.

A memo filled from a read that started before an invalidation would put the stale fact back;
``generation(key)`` lets a memo check that no invalidation ran during its read."""

from __future__ import annotations

import asyncio
import uuid
import weakref
from collections.abc import Callable
from typing import Any

import structlog

from core.cache import Cache
from core.events import PubSub
from core.tasks import stop

log = structlog.get_logger("rozmova.invalidation")

CHANNEL = "cache-invalidate"
Dropper = Callable[[str], None]


class Invalidation:
    def __init__(self, cache: Cache, pubsub: PubSub) -> None:
        self._cache = cache
        self._pubsub = pubsub
        self._instance = uuid.uuid4().hex.encode()
        self._droppers: list[weakref.WeakMethod[Any] | Callable[[], Dropper | None]] = []
        self._generations: dict[str, int] = {}
        self._listener: asyncio.Task[None] | None = None

    # --- memos ----------------------------------------------------------------------------

    def register(self, dropper: Dropper) -> None:
        """``dropper(key)`` is called for every invalidated key, on this instance. Bound
        methods are held weakly: a memo that goes away unregisters itself."""
        if hasattr(dropper, "__self__"):
            self._droppers.append(weakref.WeakMethod(dropper))  # type: ignore[arg-type]
        else:
            self._droppers.append(lambda: dropper)

    def generation(self, key: str) -> int:
        """A counter bumped by every invalidation of ``key`` seen on this instance."""
        return self._generations.get(key, 0)

    def _drop_local(self, key: str) -> None:
        self._generations[key] = self._generations.get(key, 0) + 1
        if len(self._generations) > 100_000:
            # Old counters only matter during a read in flight; a reset is safe between reads
            # and merely lets one concurrent fill through.
            self._generations.clear()
            self._generations[key] = 1
        alive = []
        for ref in self._droppers:
            dropper = ref()
            if dropper is None:
                continue
            alive.append(ref)
            try:
                dropper(key)
            except Exception:  # one faulty memo must not keep others stale
                log.exception("invalidation.dropper_failed", key=key)
        self._droppers = alive

    # --- invalidating ---------------------------------------------------------------------

    async def invalidate(self, *keys: str) -> None:
        for key in keys:
            self._drop_local(key)
        for key in keys:
            try:
                await self._cache.delete(key)
            except Exception as exc:
                # The shared entry then lives out its TTL; the change itself is stored.
                log.warning("invalidation.cache_delete_failed", key=key,
                            error=type(exc).__name__)
        try:
            await self._pubsub.publish(CHANNEL, self._instance + b" " + "\n".join(keys).encode())
        except Exception as exc:
            log.warning("invalidation.publish_failed", keys=len(keys), error=type(exc).__name__)

    # --- listening to other instances -----------------------------------------------------

    def start(self) -> None:
        if self._listener is None or self._listener.done():
            self._listener = asyncio.create_task(self._listen(), name="cache-invalidation")

    async def stop(self) -> None:
        if self._listener is not None:
            # Bounded: a listener cancelled while Redis hangs may be stuck in its cleanup on
            # a silent socket (closing the client frees it); shutdown does not wait for that.
            await stop([self._listener], timeout=2)
            self._listener = None

    async def _listen(self) -> None:
        while True:
            try:
                async with self._pubsub.subscribe(CHANNEL) as subscription:
                    while True:
                        message = await subscription.get(timeout=30)
                        if message is None:
                            continue
                        sender, _, body = message.partition(b" ")
                        if sender == self._instance:
                            continue
                        for key in body.decode().split("\n"):
                            if key:
                                self._drop_local(key)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # Redis went away: retry; memos meanwhile expire by their own lifetimes.
                log.warning("invalidation.listen_failed", error=type(exc).__name__)
                await asyncio.sleep(1)
