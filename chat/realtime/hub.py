"""The sockets this instance holds, by conversation, and the one pub/sub listener that
forwards every instance's turns to them."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections import defaultdict
from typing import Any, Protocol

import structlog

from chat.realtime.frames import CHANNEL
from core.events import PubSub

log = structlog.get_logger("rozmova.chat.realtime")


class Socket(Protocol):
    id: str

    async def push(self, frames: list[dict[str, Any]]) -> None: ...
    async def go_away(self, reason: str) -> None: ...


class Hub:
    def __init__(self, pubsub: PubSub) -> None:
        self._pubsub = pubsub
        self._sockets: dict[uuid.UUID, set[Socket]] = defaultdict(set)
        self._listener: asyncio.Task[None] | None = None
        # Set once the listener has subscribed or failed to: sockets wait for no more.
        self._settled = asyncio.Event()
        self._failing = False

    @property
    def connections(self) -> int:
        return sum(len(s) for s in self._sockets.values())

    async def ensure_listening(self, wait_seconds: float = 5.0) -> None:
        """Start the listener, and wait (a bounded time) until it is subscribed so that a
        socket opening now misses no turn. While pub/sub is failing (Redis down), sockets
        open anyway: turns cannot run then either (they need the lock), and what was missed
        arrives on the socket's next resume."""
        if self._listener is None or self._listener.done():
            self._settled.clear()
            self._listener = asyncio.create_task(self._listen(), name="chat-hub")
        try:
            await asyncio.wait_for(self._settled.wait(), wait_seconds)
        except TimeoutError:
            log.warning("chat.hub.not_subscribed")

    def add(self, conversation_id: uuid.UUID, socket: Socket) -> None:
        self._sockets[conversation_id].add(socket)

    def remove(self, conversation_id: uuid.UUID, socket: Socket) -> None:
        sockets = self._sockets.get(conversation_id)
        if sockets is not None:
            sockets.discard(socket)
            if not sockets:
                del self._sockets[conversation_id]

    async def _listen(self) -> None:
        while True:
            try:
                async with self._pubsub.subscribe(CHANNEL) as subscription:
                    self._failing = False
                    self._settled.set()
                    while True:
                        raw = await subscription.get(timeout=None)
                        if raw is not None:
                            await self._deliver(raw)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis restarted or similar: subscribe again shortly
                if not self._failing:
                    log.warning("chat.hub.listen_failed", error=type(exc).__name__)
                self._failing = True
                self._settled.set()
                await asyncio.sleep(1)

    async def _deliver(self, raw: bytes) -> None:
        try:
            event = json.loads(raw)
            conversation_id = uuid.UUID(event["conversation_id"])
        except (ValueError, KeyError, TypeError):
            log.warning("chat.hub.bad_event")
            return
        origin = event.get("origin")
        for socket in list(self._sockets.get(conversation_id, ())):
            if socket.id != origin:
                await socket.push(event.get("frames", []))

    async def close(self, reason: str = "shutdown") -> None:
        """Tell every socket to reconnect (to another instance), then stop listening."""
        sockets = [s for group in self._sockets.values() for s in group]
        await asyncio.gather(*(s.go_away(reason) for s in sockets), return_exceptions=True)
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
