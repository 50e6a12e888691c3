"""core.streams: pieces coalesced by time and numbered by offset, the turn's stream found by
the services it calls, interruption by something new (not by a resend), a discard on
failure, and a failing or slow sink costing only itself."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from core import streams as core_streams
from core.streams import Streams, current


async def test_pieces_are_coalesced_and_numbered_by_offset() -> None:
    frames: list[dict[str, Any]] = []

    async def sink(frame: dict[str, Any]) -> None:
        frames.append(frame)

    registry = Streams()
    assert current() is None
    async with registry.turn(uuid.uuid4(), [sink]) as turn:
        assert current() is turn
        writer = await turn.open("answer", interval=10.0)  # one frame for all, until closed
        for piece in ("Доб", "рий ", "день", " 👋"):
            await writer.add(piece)
        await writer.close()
    assert current() is None
    # The first piece goes at once (nothing was sent yet); the rest wait for the close.
    assert [(f["offset"], f["text"]) for f in frames] == [(0, "Доб"), (3, "рий день 👋")]
    assert frames[-1]["end"] is True and "end" not in frames[0]
    assert writer.said == "Добрий день 👋" and writer.sent == len("Добрий день 👋")
    assert {f["stream_id"] for f in frames} == {writer.stream_id}


async def test_interrupted_by_something_new_not_by_a_resend() -> None:
    registry = Streams()
    conversation = uuid.uuid4()
    assert registry.interrupt(conversation) is False  # nothing streams
    async with registry.turn(conversation, [], client_message_id="m1") as turn:
        assert registry.interrupt(conversation, "m1") is False  # the same message again
        assert not turn.interrupted.is_set()
        assert registry.interrupt(conversation, "m2") is True
        assert turn.interrupted.is_set()
    assert registry.streaming(conversation) is False


async def test_hooks_discard_and_failing_sinks(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(core_streams, "SINK_TIMEOUT", 0.05)
    seen: list[dict[str, Any]] = []
    calls: list[str] = []

    async def broken(frame: dict[str, Any]) -> None:
        raise RuntimeError("socket gone")

    async def stuck(frame: dict[str, Any]) -> None:
        await asyncio.sleep(10)

    async def good(frame: dict[str, Any]) -> None:
        seen.append(frame)

    async def opened() -> None:
        calls.append("open")

    async def closed() -> None:
        calls.append("close")

    registry = Streams()
    with pytest.raises(ValueError):
        async with registry.turn(uuid.uuid4(), [broken, stuck, good],
                                 on_open=opened, on_close=closed) as turn:
            writer = await turn.open("a")
            await writer.add("half an answer")
            await turn.open("b")  # a second answer: the hook is not called again
            raise ValueError("the turn failed")
    # The caller discards what was shown (chat does on a failed turn).
    await turn.discard()
    assert calls == ["open", "close"]
    assert seen[0]["text"] == "half an answer"  # the good sink got it despite the others
    assert [f.get("discard") for f in seen[-2:]] == [True, True]  # both answers discarded
