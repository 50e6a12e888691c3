"""The send pace of a messenger connection and of one chat: a burst goes at once, the rest at
the rate (Telegram: about one message a second per private chat, twenty a minute per group)."""

from __future__ import annotations

import asyncio
import uuid

from chat.channels.service import CHAT_BURST, GROUP_RATE, Channels, _Pace


async def test_a_burst_goes_at_once_then_the_rate_holds() -> None:
    pace = _Pace(20.0, 3.0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    times = []
    for _ in range(6):
        await pace.wait()
        times.append(loop.time() - started)
    assert all(t < 0.02 for t in times[:3])  # the burst
    assert times[5] >= 0.14  # then 20 a second: three more take at least 3/20 s
    assert times[5] < 0.5


def test_groups_are_paced_slower_than_private_chats() -> None:
    channels = Channels.__new__(Channels)
    channels._chat_paces = {}
    connection = uuid.uuid4()
    private = channels._chat_pace(connection, "501")
    group = channels._chat_pace(connection, "-100123")
    assert private.rate == 1.0 and group.rate == GROUP_RATE and group.burst == CHAT_BURST
    assert channels._chat_pace(connection, "501") is private
