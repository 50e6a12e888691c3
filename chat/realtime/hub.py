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
        self._ready = asyncio.Event()

    @property
    def connections(self) -> int:
        return sum(len(s) for s in self._sockets.values())

    async def ensure_listening(self) -> None:
        if self._listener is None or self._listener.done():
            self._ready.clear()
            self._listener = asyncio.create_task(self._listen(), name="chat-hub")
        await asyncio.wait_for(self._ready.wait(), 5)

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
                    self._ready.set()
                    while True:
                        raw = await subscription.get(timeout=None)
                        if raw is not None:
                            await self._deliver(raw)
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis restarted or similar: subscribe again shortly
                log.exception("chat.hub.listen_failed")
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
