"""The Telegram preview of an answer on its own: one message sent, edits paced and never
for an unchanged text, a preview taken back when the turn fails, and the delivery's final
call turned into an edit of it (or its deletion, where the final message needs a reply
keyboard)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from chat.channels.telegram.outbound import TelegramCall
from chat.channels.telegram.stream import TelegramStream, TelegramStreams


class Bot:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def do_api_request(self, method: str, api_kwargs: dict[str, Any]) -> Any:
        self.calls.append((method, dict(api_kwargs)))
        return {"message_id": 77} if method == "sendMessage" else True


class Pace:
    async def wait(self) -> None:
        return None


def piece(offset: int, text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "partial", "stream_id": "s1", "offset": offset, "text": text, **extra}


async def test_one_message_edited_as_it_grows_then_made_final() -> None:
    bot = Bot()

    async def client() -> Bot:
        return bot

    shown = TelegramStream(client, 501, Pace(), edit_seconds=0.05)
    await shown.sink(piece(0, "Добрий"))
    await asyncio.sleep(0.02)
    await shown.sink(piece(6, " день,"))
    await shown.sink(piece(12, " чим"))
    await asyncio.sleep(0.1)
    await shown.sink(piece(16, " допомогти?", end=True))
    await shown.settled()
    methods = [m for m, _ in bot.calls]
    assert methods[0] == "sendMessage" and set(methods[1:]) == {"editMessageText"}
    texts = [p["text"] for _, p in bot.calls]
    assert texts[0] == "Добрий" and texts[-1] == "Добрий день, чим допомогти?"
    assert len(texts) == len(set(texts))  # never an edit that changes nothing

    kept = TelegramStreams()
    connection = uuid.uuid4()
    kept.keep(connection, "501", shown)
    final = [TelegramCall("sendMessage", {"chat_id": 501, "text": "Добрий день, чим допомогти?",
                                          "reply_markup": {"inline_keyboard": [[{"text": "Так",
                                                                                 "callback_data": "yes"}]]}})]
    [edit] = await kept.finish(connection, "501", "s1", final)
    assert edit.method == "editMessageText" and edit.params["message_id"] == 77
    assert edit.params["reply_markup"]["inline_keyboard"]
    # Delivered once: a second delivery of it sends as usual (nothing is kept).
    assert await kept.finish(connection, "501", "s1", final) == final


async def test_a_reply_keyboard_replaces_the_preview_and_a_failed_turn_takes_it_back() -> None:
    bot = Bot()

    async def client() -> Bot:
        return bot

    shown = TelegramStream(client, 501, Pace(), edit_seconds=0.01)
    await shown.sink(piece(0, "Half an answer", end=True))
    await shown.settled()
    kept = TelegramStreams()
    connection = uuid.uuid4()
    kept.keep(connection, "501", shown)
    final = [TelegramCall("sendMessage", {"chat_id": 501, "text": "Half an answer and more",
                                          "reply_markup": {"keyboard": [[{"text": "A"}]]}})]
    calls = await kept.finish(connection, "501", "s1", final)
    assert [c.method for c in calls] == ["deleteMessage", "sendMessage"]

    failed = TelegramStream(client, 502, Pace(), edit_seconds=0.01)
    await failed.sink(piece(0, "Something", end=True))
    await failed.settled()
    await failed.sink({"type": "partial", "stream_id": "s1", "offset": 0, "text": "",
                       "end": True, "discard": True})
    await failed.settled()
    assert bot.calls[-1] == ("deleteMessage", {"chat_id": 502, "message_id": 77})
