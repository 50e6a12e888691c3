"""The sockets this app holds, by conversation, and how news about a conversation reaches
them: directly from the turn that made it when the socket is here, through the app's own
pub/sub channel when it is on another instance.

The hub is a member of `core.presence` for every conversation it shows; a turn's lock release
publishes to the other members only (`core.locks.Held.announce`), so an instance never reads
back its own news, and never receives news of conversations it does not show."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any, Protocol

import orjson
import structlog

from chat.realtime.frames import conversation_name
from core.events import PubSub
from core.presence import LEASE_SECONDS, Presence, member_channel
from core.tasks import stop

log = structlog.get_logger("rozmova.chat.realtime")


class Socket(Protocol):
    id: str

    async def push(self, frames: list[dict[str, Any]]) -> None: ...
    async def go_away(self, reason: str) -> None: ...


def news(conversation_id: uuid.UUID, frames: list[dict[str, Any]],
         origin: str | None = None) -> bytes:
    """What another instance receives about a conversation."""
    return orjson.dumps({"conversation_id": str(conversation_id), "origin": origin,
                         "frames": frames})


class Hub:
    def __init__(self, pubsub: PubSub, presence: Presence) -> None:
        self._pubsub = pubsub
        self._presence = presence
        self.id = secrets.token_hex(8)  # this app's member id in the presence sets
        self._sockets: dict[uuid.UUID, set[Socket]] = defaultdict(set)
        self._listener: asyncio.Task[None] | None = None
        self._refresher: asyncio.Task[None] | None = None
        # Set once the listener has subscribed or failed to: sockets wait for no more.
        self._settled = asyncio.Event()
        self._failing = False
        # (conversation id, client message id): ends an answer this app streams there.
        self.on_interrupt: Callable[[uuid.UUID, str | None], Any] | None = None

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
        if self._refresher is None or self._refresher.done():
            self._refresher = asyncio.create_task(self._refresh(), name="chat-hub-presence")
        try:
            await asyncio.wait_for(self._settled.wait(), wait_seconds)
        except TimeoutError:
            log.warning("chat.hub.not_subscribed")

    def shows(self, conversation_id: uuid.UUID) -> bool:
        """Whether a socket of this app shows the conversation."""
        return conversation_id in self._sockets

    async def watch(self, conversation_id: uuid.UUID, socket: Socket) -> None:
        """Show the conversation on `socket`. Call before reading what the socket missed:
        a turn that releases after this announces to us, one released before is in the
        history read next (a frame may come both ways; sockets skip what they have)."""
        sockets = self._sockets[conversation_id]
        first = not sockets
        sockets.add(socket)
        if first:
            await self._presence.join(conversation_name(conversation_id), self.id)

    async def unwatch(self, conversation_id: uuid.UUID, socket: Socket) -> None:
        sockets = self._sockets.get(conversation_id)
        if sockets is None:
            return
        sockets.discard(socket)
        if not sockets:
            del self._sockets[conversation_id]
            await self._presence.leave(conversation_name(conversation_id), self.id)

    async def deliver_local(self, conversation_id: uuid.UUID, frames: list[dict[str, Any]],
                            origin: str | None) -> None:
        """News made on this app: straight to its sockets (but the one that asked)."""
        for socket in list(self._sockets.get(conversation_id, ())):
            if socket.id != origin:
                await socket.push(frames)

    async def publish(self, members: list[str], message: bytes) -> None:
        """News to other instances' hubs directly (pieces of an answer while the turn runs;
        a turn's own news goes with its lock's release)."""
        for member in members:
            await self._pubsub.publish(member_channel(member), message)

    async def _listen(self) -> None:
        while True:
            try:
                async with self._pubsub.subscribe(member_channel(self.id)) as subscription:
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

    async def _refresh(self) -> None:
        """Keep our memberships alive while we show the conversations (a crashed instance's
        lapse after LEASE_SECONDS)."""
        while True:
            await asyncio.sleep(LEASE_SECONDS / 3)
            names = [conversation_name(c) for c in list(self._sockets)]
            if names:
                try:
                    await self._presence.refresh(names, self.id)
                except Exception as exc:  # logged by the presence; never stop refreshing
                    log.warning("chat.hub.refresh_failed", error=type(exc).__name__)

    async def _deliver(self, raw: bytes) -> None:
        try:
            event = orjson.loads(raw)
            conversation_id = uuid.UUID(event["conversation_id"])
        except (ValueError, KeyError, TypeError):
            log.warning("chat.hub.bad_event")
            return
        if "interrupt" in event:
            if self.on_interrupt is not None:
                self.on_interrupt(conversation_id, event["interrupt"] or None)
            return
        origin = event.get("origin")
        for socket in list(self._sockets.get(conversation_id, ())):
            if socket.id != origin:
                await socket.push(event.get("frames", []))

    async def close(self, reason: str = "shutdown") -> None:
        """Tell every socket to reconnect (to another instance), then stop listening."""
        sockets = [s for group in self._sockets.values() for s in group]
        await asyncio.gather(*(s.go_away(reason) for s in sockets), return_exceptions=True)
        await stop([self._listener, self._refresher])
        for conversation_id in list(self._sockets):
            with contextlib.suppress(Exception):
                await self._presence.leave(conversation_name(conversation_id), self.id)
