"""Answers shown while they are made (a language model's tokens), and the person's way to cut
one short by writing again.

The engine stays pure: a block asks its service for the answer, and the service learns from
`current()` whether the turn it works for can show pieces of it. The chat service opens a
`TurnStream` around each turn (`Streams.turn`), with the *sinks* of that conversation: its
sockets (here and on other instances), a Server-Sent Events response, a messenger that
edits a message as it grows. A service writes through `TurnStream.writer`, which coalesces
pieces (a frame per `interval`, not per token) and numbers them by character offset, so a
sink that missed one knows it and waits for the final message, which replaces them all.

A turn that streams is registered by conversation: a new message from the person
(`Streams.interrupt`) sets the turn's `interrupted` event, and the service ends the answer
there, keeping what was said (marked incomplete), so that the turn is stored and the new
message runs next. Pieces are previews, never stored; only the final message is."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from typing import Any

import structlog

log = structlog.get_logger("rozmova.streams")

Frame = dict[str, Any]
Sink = Callable[[Frame], Awaitable[None]]

PIECE_INTERVAL = 0.05   # seconds between two frames of one answer: 20 a second at most
SINK_TIMEOUT = 2.0      # a sink that takes longer for a frame is skipped for that frame

_current: ContextVar[TurnStream | None] = ContextVar("rozmova_turn_stream", default=None)


def current() -> TurnStream | None:
    """The stream of the turn this task works for, if its caller shows answers as they come."""
    return _current.get()


class TurnStream:
    """One turn's sinks and its interruption."""

    def __init__(self, conversation_id: uuid.UUID, sinks: list[Sink],
                 client_message_id: str | None = None,
                 on_open: Callable[[], Awaitable[None]] | None = None) -> None:
        self.conversation_id = conversation_id
        self.client_message_id = client_message_id  # the message the turn answers
        self.sinks = sinks
        self.interrupted = asyncio.Event()
        self.opened: list[str] = []  # stream ids begun in this turn, for a discard on failure
        self._on_open = on_open

    async def open(self, block_id: str, interval: float = PIECE_INTERVAL) -> StreamWriter:
        """A writer for one answer. The first of the turn tells `on_open` (the chat lets
        other instances know where to send the person's next message's interruption)."""
        stream_id = secrets.token_urlsafe(9)
        first = not self.opened
        self.opened.append(stream_id)
        if first and self._on_open is not None:
            try:
                await asyncio.wait_for(self._on_open(), SINK_TIMEOUT)
            except Exception as exc:  # noqa: BLE001  (only interruption from afar is lost)
                log.info("stream.open_hook_failed", error=type(exc).__name__)
        return StreamWriter(self, stream_id, block_id, interval)

    async def publish(self, frame: Frame) -> None:
        """To every sink, each bounded in time: a slow one costs itself the piece, never the
        answer or the other sinks."""
        for sink in self.sinks:
            try:
                async with asyncio.timeout(SINK_TIMEOUT):  # no task per frame, as wait_for
                    await sink(frame)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001  (a preview lost; the final message comes)
                log.info("stream.sink_failed", error=type(exc).__name__)

    async def discard(self) -> None:
        """The turn failed: none of its answers will be stored; sinks drop their previews."""
        for stream_id in self.opened:
            await self.publish({"type": "partial", "stream_id": stream_id, "offset": 0,
                                "text": "", "end": True, "discard": True})


class StreamWriter:
    """Pieces of one answer, sent at most every `interval` seconds."""

    def __init__(self, turn: TurnStream, stream_id: str, block_id: str,
                 interval: float) -> None:
        self.turn = turn
        self.stream_id = stream_id
        self.block_id = block_id
        self.interval = interval
        self.sent = 0          # characters published
        self.text: list[str] = []
        self._pending: list[str] = []
        self._last = 0.0

    @property
    def said(self) -> str:
        return "".join(self.text)

    async def add(self, piece: str) -> None:
        if not piece:
            return
        self.text.append(piece)
        self._pending.append(piece)
        if time.monotonic() - self._last >= self.interval:
            await self.flush()

    async def flush(self, end: bool = False) -> None:
        text = "".join(self._pending)
        if not text and not end:
            return
        self._pending.clear()
        frame: Frame = {"type": "partial", "stream_id": self.stream_id,
                        "block_id": self.block_id, "offset": self.sent, "text": text}
        if end:
            frame["end"] = True
        self.sent += len(text)
        self._last = time.monotonic()
        await self.turn.publish(frame)

    async def close(self) -> None:
        """No more pieces: the final message (with this stream id) follows."""
        await self.flush(end=True)


class Streams:
    """The turns of this process that stream, by conversation."""

    def __init__(self) -> None:
        self._turns: dict[uuid.UUID, TurnStream] = {}

    @contextlib.asynccontextmanager
    async def turn(self, conversation_id: uuid.UUID, sinks: list[Sink],
                   client_message_id: str | None = None,
                   on_open: Callable[[], Awaitable[None]] | None = None,
                   on_close: Callable[[], Awaitable[None]] | None = None,
                   ) -> AsyncIterator[TurnStream]:
        """Show the turn's answers to `sinks` while it runs (the caller holds the
        conversation's lock, so there is one such turn per conversation). `on_open` is
        awaited when the turn opens its first answer, `on_close` after a turn that did."""
        stream = TurnStream(conversation_id, sinks, client_message_id, on_open)
        self._turns[conversation_id] = stream
        token = _current.set(stream)
        try:
            yield stream
        finally:
            _current.reset(token)
            if self._turns.get(conversation_id) is stream:
                del self._turns[conversation_id]
            if stream.opened and on_close is not None:
                try:
                    await asyncio.shield(asyncio.wait_for(on_close(), SINK_TIMEOUT))
                except Exception as exc:  # noqa: BLE001  (its lease ends it)
                    log.info("stream.close_hook_failed", error=type(exc).__name__)

    def interrupt(self, conversation_id: uuid.UUID,
                  client_message_id: str | None = None) -> bool:
        """The person wrote again: the answer under way ends where it is. True if one was.
        The same message sent again (a client's retry) is not something new."""
        stream = self._turns.get(conversation_id)
        if stream is None or (client_message_id is not None
                              and client_message_id == stream.client_message_id):
            return False
        stream.interrupted.set()
        return True

    def streaming(self, conversation_id: uuid.UUID) -> bool:
        return conversation_id in self._turns
