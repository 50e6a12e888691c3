"""A language model's answer in a Telegram chat as it is written: the first piece is sent as a
message, which is then edited as more arrives, at most once per `EDIT_SECONDS` (Telegram
allows about one message a second per chat, and edits count). The stored final message is
delivered later, as usual, by editing that same message into its final text (and buttons)
instead of sending it again (`TelegramStreams.finish`).

Pieces are previews: a failed send or edit costs a preview, never the answer, which the
delivery sends in full whatever happened here."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
import warnings
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import structlog

from chat.channels.telegram.outbound import MAX_TEXT, TelegramCall

log = structlog.get_logger("rozmova.channels.telegram.stream")

EDIT_SECONDS = 1.0   # between two edits of one answer
CALL_SECONDS = 5.0   # a preview's call waits no longer than this
KEPT = 10_000        # answers remembered for their delivery (oldest forgotten first)


class TelegramStream:
    """One answer in one chat, shown as it grows."""

    def __init__(self, bot: Callable[[], Awaitable[Any]], chat_id: int, pace: Any,
                 edit_seconds: float | None = None) -> None:
        self.bot = bot  # the connection's client, made when the first piece is shown
        self.chat_id = chat_id
        self.pace = pace  # the bot's pace (messages a second), shared with its deliveries
        self.edit_seconds = EDIT_SECONDS if edit_seconds is None else edit_seconds
        self.stream_id: str | None = None
        self.text = ""
        self.shown = ""
        self.message_id: int | None = None
        self.ended = False
        self.discarded = False  # the turn failed: the preview is taken back
        self.task: asyncio.Task[None] | None = None
        self._more = asyncio.Event()

    async def sink(self, frame: dict[str, Any]) -> None:
        """core.streams' sink: takes a piece, never waits for Telegram."""
        if self.stream_id is not None and frame.get("stream_id") != self.stream_id:
            return  # a second answer in one turn: the first one's message keeps streaming
        self.stream_id = frame.get("stream_id")
        if frame.get("discard"):
            self.ended = self.discarded = True
            if self.task is not None and self.task.done() and self.message_id is not None:
                self.task = asyncio.create_task(self._show(), name="telegram-stream")
        elif int(frame.get("offset", -1)) == len(self.text):
            self.text += str(frame.get("text") or "")
        if frame.get("end"):
            self.ended = True
        self._more.set()
        if self.task is None and self.text.strip():
            self.task = asyncio.create_task(self._show(), name="telegram-stream")

    async def _show(self) -> None:
        while True:
            self._more.clear()
            if self.discarded:
                if self.message_id is not None:
                    await self._call("deleteMessage", {"chat_id": self.chat_id,
                                                       "message_id": self.message_id})
                return
            text = _preview(self.text)
            if text.strip() and text != self.shown:
                if not await self._put(text):
                    return  # Telegram refused: the delivery sends the answer as usual
            if self.ended:
                return
            await asyncio.sleep(self.edit_seconds)
            if not self.ended and self.text == self.shown:
                await self._more.wait()

    async def _call(self, method: str, params: dict[str, Any]) -> Any:
        """One Bot API call, paced with the bot's deliveries; None when it failed."""
        try:
            await self.pace.wait()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                bot = await asyncio.wait_for(self.bot(), CALL_SECONDS)
                return await asyncio.wait_for(
                    bot.do_api_request(method, api_kwargs=params), CALL_SECONDS)
        except Exception as exc:  # noqa: BLE001  (a preview lost; the final one is delivered)
            log.info("telegram.stream_preview_failed", method=method,
                     error=type(exc).__name__)
            return None

    async def _put(self, text: str) -> bool:
        params: dict[str, Any] = {"chat_id": self.chat_id, "text": text}
        method = "sendMessage"
        if self.message_id is not None:
            method, params["message_id"] = "editMessageText", self.message_id
        result = await self._call(method, params)
        if result is None:
            return False
        if self.message_id is None:
            self.message_id = int(result["message_id"]) if isinstance(result, dict) else None
        self.shown = text
        return self.message_id is not None

    async def settled(self) -> None:
        """Wait (a bounded time) until the preview's last call is done."""
        if self.task is not None:
            self.ended = True
            self._more.set()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self.task), CALL_SECONDS)


def _preview(text: str) -> str:
    """What fits in one message: the start of a long answer (the delivery splits the final
    one into as many messages as it needs)."""
    text = text.strip()
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


class TelegramStreams:
    """Answers shown while written, by (connection, chat, stream id), until delivered."""

    def __init__(self) -> None:
        self._shown: OrderedDict[tuple[uuid.UUID, str, str], TelegramStream] = OrderedDict()

    def keep(self, connection_id: uuid.UUID, chat_id: str, stream: TelegramStream) -> None:
        if stream.stream_id is None or stream.task is None:
            return
        self._shown[(connection_id, chat_id, stream.stream_id)] = stream
        while len(self._shown) > KEPT:
            self._shown.popitem(last=False)

    async def finish(self, connection_id: uuid.UUID, chat_id: str, stream_id: str | None,
                     calls: list[TelegramCall]) -> list[TelegramCall]:
        """The delivery's calls for a stored message, with its preview (if one was shown)
        turned into the first of them: an edit to the final text, or, where the final
        message needs a keyboard an edit cannot carry, the preview deleted first."""
        stream = self._shown.pop((connection_id, chat_id, stream_id), None) \
            if stream_id else None
        if stream is None:
            return calls
        await stream.settled()
        if stream.message_id is None or not calls or calls[0].method != "sendMessage":
            return calls
        first = calls[0]
        markup = first.params.get("reply_markup")
        where = {"chat_id": stream.chat_id, "message_id": stream.message_id}
        if markup is not None and "inline_keyboard" not in markup:
            return [TelegramCall("deleteMessage", where), *calls]
        if first.params["text"] == stream.shown and markup is None:
            return calls[1:]  # already showing it all
        return [TelegramCall("editMessageText", {**first.params, **where}, first.wait_seconds),
                *calls[1:]]
